"""Turn command-line paths and uploaded files into input items.

Zip members are read in memory with hard limits (count, declared and actual
size, no nested archives) and never extracted to disk, so a hostile member path
like ``../../etc/passwd`` is only ever a label. Oversized files are refused
before they are read. A web archive (.warc, .warc.gz) is split into its HTML
pages, each carrying its capture URL and time as ``hints`` for ``report_ingest``.

Uploads (``iter_upload_items``) are stricter than the CLI: a zip with an unsafe
member path or a nested archive is refused whole, so a hostile bundle changes
nothing (issue 6); the CLI keeps importing the good members of such a bundle.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .extract_warc import warc_pages
from .types import IngestError

MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL = 500 * 1024 * 1024
ARCHIVE_SUFFIXES = (".zip",)
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True)
class InputItem:
    """One file to ingest: its label (path as the user sees it) and bytes or an error;
    ``hints`` (WARC pages: source_url, captured_at) go to ``report_ingest``."""

    name: str
    data: bytes | None = None
    error: str | None = None
    hints: dict = field(default_factory=dict)


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes // 1048576} MB）"
        f" / file too large ({size} bytes, limit {max_bytes})"
    )


def expand_paths(paths: list[Path]) -> list[tuple[Path, str]]:
    """Files in the order given; folders recursively, sorted, hidden files skipped.

    Each comes with its label: the name relative to the path given ("seeds/000.txt"
    for a folder ``/srv/in/seeds``, "000.txt" for a file), as zip members already
    are, so a server's absolute path never becomes a report's name or title.
    """
    out: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve().name or "."
            out.extend(
                (p, "/".join((root, *p.relative_to(path).parts)))
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            out.append((path, path.name))
    return out


def iter_file_items(path: Path, *, max_bytes: int, label: str | None = None) -> Iterator[InputItem]:
    """The items of one file: itself, or each member when it is a zip archive."""
    label = label or path.name
    if not path.is_file():
        yield InputItem(label, error="找不到文件 / no such file")
        return
    size = path.stat().st_size
    if path.suffix.lower() in ARCHIVE_SUFFIXES:
        yield from iter_zip(path, label=label, max_bytes=max_bytes)
    elif size > max_bytes:
        yield InputItem(label, error=_too_big(size, max_bytes))
    elif is_warc(label):
        with path.open("rb") as handle:
            yield from iter_warc(handle, label=label, max_bytes=max_bytes)
    else:
        yield InputItem(label, data=path.read_bytes())


def iter_upload_items(
    name: str, stream: BinaryIO, *, size: int, max_bytes: int
) -> Iterator[InputItem]:
    """The items of one uploaded file, its size checked before a byte is read.

    ``stream`` must be seekable (Django's in-memory or temporary uploaded file).
    """
    if size > max_bytes:
        yield InputItem(name, error=_too_big(size, max_bytes))
    elif name.lower().endswith(ARCHIVE_SUFFIXES):
        yield from iter_zip(stream, label=name, max_bytes=max_bytes, strict=True)
    elif is_warc(name):
        yield from iter_warc(stream, label=name, max_bytes=max_bytes)
    else:
        yield InputItem(name, data=stream.read(max_bytes + 1))


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def iter_warc(stream: BinaryIO, *, label: str, max_bytes: int) -> Iterator[InputItem]:
    """One item per captured HTML page, named ``<label>#0001.html`` (the suffix tells
    the pipeline, and ``reprocess`` later, to read the stored page as HTML)."""
    try:
        for page in warc_pages(stream, max_bytes=max_bytes):
            name = f"{label}#{page.ordinal:04d}.html"
            hints = {"source_url": page.target_uri, "captured_at": page.captured_at}
            yield InputItem(name, data=page.payload, error=page.error, hints=hints)
    except IngestError as exc:
        yield InputItem(label, error=exc.reason)


def iter_zip(source, *, label: str, max_bytes: int, strict: bool = False) -> Iterator[InputItem]:
    """Members of a zip as items; the whole zip is refused if it breaks a limit
    (and, when ``strict``, if any member path is unsafe or a nested archive)."""
    try:
        bundle = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        yield InputItem(label, error=f"无法读取的 zip 文件 / unreadable zip: {exc}")
        return
    with bundle:
        members = [m for m in bundle.infolist() if not m.is_dir()]
        total = sum(m.file_size for m in members)
        if len(members) > MAX_ZIP_MEMBERS:
            yield InputItem(
                label, error=f"zip 成员过多（{len(members)} > {MAX_ZIP_MEMBERS}）/ too many members"
            )
            return
        if total > MAX_ZIP_TOTAL:
            yield InputItem(
                label, error=f"zip 解压后过大（{total} 字节）/ uncompressed size over limit"
            )
            return
        problem = _strict_problem(members) if strict else None
        if problem:
            yield InputItem(label, error=problem)
            return
        for member in members:
            item = _read_member(
                bundle, member, label=f"{label}/{member.filename}", max_bytes=max_bytes
            )
            if item.data is not None and is_warc(item.name):
                yield from iter_warc(io.BytesIO(item.data), label=item.name, max_bytes=max_bytes)
            else:
                yield item


# "../x", "/etc/x", "C:\\x", "a/../../x": anything that would leave the folder it is
# unpacked into (CVE-2007-4559 style), even though members are never unpacked here.
_UNSAFE_PATH = re.compile(r"(^|[/\\])\.\.([/\\]|$)|^[/\\]|^[A-Za-z]:")


def _strict_problem(members: list[zipfile.ZipInfo]) -> str | None:
    """Why an uploaded zip is refused whole: an unsafe path or a nested archive."""
    for member in members:
        if _UNSAFE_PATH.search(member.filename):
            return (
                f"zip 中有不安全的路径 {member.filename!r}，整个文件未导入 / "
                f"unsafe member path {member.filename!r}: the zip was refused"
            )
        if member.filename.lower().endswith(ARCHIVE_SUFFIXES):
            return (
                f"zip 中嵌套了 zip（{member.filename}），整个文件未导入 / "
                "nested archives are not accepted: the zip was refused"
            )
    return None


def _read_member(
    bundle: zipfile.ZipFile, member: zipfile.ZipInfo, *, label: str, max_bytes: int
) -> InputItem:
    if member.filename.lower().endswith(ARCHIVE_SUFFIXES):
        return InputItem(label, error="不接受嵌套的 zip / nested archives are not accepted")
    if member.file_size > max_bytes:
        return InputItem(label, error=_too_big(member.file_size, max_bytes))
    try:
        with bundle.open(member) as handle:
            # Read one byte past the limit: declared sizes can lie (zip bombs).
            data = handle.read(max_bytes + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        return InputItem(label, error=f"zip 成员无法读取 / unreadable member: {exc}")
    if len(data) > max_bytes:
        return InputItem(label, error=_too_big(len(data), max_bytes))
    return InputItem(label, data=data)
