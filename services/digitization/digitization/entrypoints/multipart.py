"""Streaming ``multipart/form-data`` decoding: small text fields, and one file to disk.

Why this exists: Starlette's form parser spools files and we would read them again to hash
them; here the request body flows chunk by chunk from the socket through the parser into a
``StagedFile`` that hashes as it writes, so memory stays flat however large the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from digitization.adapters.staging import StagedFile
from digitization.domain.errors import InvalidUpload

FIELD_LIMIT = 4096
FILE_FIELD = "file"


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    file: StagedFile | None = None
    declared_type: str | None = None
    filename: str | None = None
    sha256: str = ""


class _Collector:
    def __init__(self, staging: Path, limit: int) -> None:
        self.upload = Upload()
        self._staging, self._limit = staging, limit
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name: str | None = None
        self._value = bytearray()
        self._to_file = False

    def on_part_begin(self) -> None:
        self._headers, self._name, self._value, self._to_file = {}, None, bytearray(), False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name == FILE_FIELD:
            if self.upload.file is not None:
                raise InvalidUpload("send exactly one file part", "/file")
            self._to_file = True
            self.upload.file = StagedFile(self._staging, self._limit)
            declared = self._headers.get(b"content-type")
            self.upload.declared_type = declared.decode("latin-1") if declared else None
            filename = options.get(b"filename")
            self.upload.filename = filename.decode("utf-8", "replace") if filename else None

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._to_file:
            assert self.upload.file is not None
            self.upload.file.write(data[start:end])
            return
        self._value += data[start:end]
        if len(self._value) > FIELD_LIMIT:
            raise InvalidUpload(f"longer than {FIELD_LIMIT} bytes", f"/{self._name}")

    def on_part_end(self) -> None:
        if not self._to_file and self._name:
            self.upload.fields[self._name] = self._value.decode("utf-8", "replace").strip()


async def receive(request: Request, staging: Path, limit_bytes: int) -> Upload:
    """Decode the request body; the caller discards ``upload.file`` when done with it."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidUpload("send multipart/form-data with a boundary", "/")
    collector = _Collector(staging, limit_bytes)
    callbacks = {
        name: getattr(collector, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
        )
    }
    parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except BaseException:
        if collector.upload.file is not None:
            collector.upload.file.discard()
        raise
    upload = collector.upload
    if upload.file is None:
        raise InvalidUpload("a file part named 'file' is required", "/file")
    upload.sha256 = upload.file.finish()
    return upload
