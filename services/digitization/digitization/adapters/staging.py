"""Staged uploads: bytes streamed to a temporary file while their SHA-256 is computed.

Why this exists: a 20 MB scan must not sit in the service's memory, and its content address
must be known before it enters the blob store. A staged file is written once, hashed on the
way, and keeps its first and last bytes for the format checks.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from digitization.domain import content as formats
from digitization.domain.errors import TooLarge


class StagedFile:
    def __init__(self, directory: Path, limit_bytes: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"upload-{uuid.uuid4().hex}.part"
        self.limit = limit_bytes
        self.size = 0
        self.head = b""
        self.tail = b""
        self._hash = hashlib.sha256()
        self._file = self.path.open("wb")

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge(f"the file exceeds {self.limit} bytes", "/file")
        if len(self.head) < formats.HEAD_BYTES:
            self.head = (self.head + data)[: formats.HEAD_BYTES]
        self.tail = (self.tail + data)[-formats.TAIL_BYTES :]
        self._hash.update(data)
        self._file.write(data)

    def finish(self) -> str:
        """Flush to disk; the hex SHA-256 of everything written."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)
