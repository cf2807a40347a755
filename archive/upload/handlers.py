"""An upload handler that stops receiving a file once it passes MAX_UPLOAD_MB.

Django streams multipart bodies through upload handlers in chunks; raising
``SkipFile`` drops the file and discards the rest of its bytes without storing
them (Django docs, "Upload Handlers"), so a 60 MB text file never reaches the
disk or memory in full. The names of dropped files are kept so the result table
can say why they are missing.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitHandler(FileUploadHandler):
    """Drop any file larger than ``max_bytes``; remember (name, bytes seen)."""

    def __init__(self, request=None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large: list[tuple[str, int]] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        end = start + len(raw_data)
        if end > self.max_bytes:
            self.too_large.append((self.file_name or "?", end))
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the file
