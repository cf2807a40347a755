"""Turn command-line paths (files, folders, zip archives) into input items.

Zip members are read in memory with hard limits (count, declared and actual
size, no nested archives) and never extracted to disk, so a hostile member path
like ``../../etc/passwd`` is only ever a label. Oversized files are refused
before they are read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL = 500 * 1024 * 1024
ARCHIVE_SUFFIXES = (".zip",)


@dataclass(frozen=True)
class InputItem:
    """One file to ingest: its label (path as the user sees it) and bytes or an error."""

    name: str
    data: bytes | None = None
    error: str | None = None


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes // 1048576} MB）"
        f" / file too large ({size} bytes, limit {max_bytes})"
    )


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files in the order given; folders recursively, sorted, hidden files skipped."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            out.append(path)
    return out


def iter_file_items(path: Path, *, max_bytes: int) -> Iterator[InputItem]:
    """The items of one file: itself, or each member when it is a zip archive."""
    label = str(path)
    if not path.is_file():
        yield InputItem(label, error="找不到文件 / no such file")
        return
    size = path.stat().st_size
    if path.suffix.lower() in ARCHIVE_SUFFIXES:
        yield from iter_zip(path, label=label, max_bytes=max_bytes)
    elif size > max_bytes:
        yield InputItem(label, error=_too_big(size, max_bytes))
    else:
        yield InputItem(label, data=path.read_bytes())


def iter_zip(source, *, label: str, max_bytes: int) -> Iterator[InputItem]:
    """Members of a zip as items; the whole zip is refused if it breaks a limit."""
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
        for member in members:
            yield _read_member(
                bundle, member, label=f"{label}/{member.filename}", max_bytes=max_bytes
            )


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
