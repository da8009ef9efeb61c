"""Blob stores: bytes by SHA-256 content address, on a filesystem or an S3-compatible store.

Why this exists: the same scan submitted twice (or by two dossiers) is kept once; the
address is the hash, so a stored blob never changes and can be cached or replicated freely.
Writers hand over a staged file whose hash is already known and verified.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from digitization.adapters.sigv4 import Credentials, sign

CHUNK = 1024 * 1024


def blob_key(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class BlobStore(Protocol):
    async def put_file(self, sha256: str, staged: Path) -> None:
        """Store the staged file under its hash (taking it over) unless already stored."""

    async def exists(self, sha256: str) -> bool: ...

    def read(self, sha256: str) -> AsyncIterator[bytes]:
        """The blob's bytes, in chunks."""

    async def close(self) -> None: ...


class FilesystemBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / blob_key(sha256)

    async def put_file(self, sha256: str, staged: Path) -> None:
        target = self.path(sha256)
        if target.exists():
            staged.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)

    async def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        with self.path(sha256).open("rb") as f:
            while chunk := await asyncio.to_thread(f.read, CHUNK):
                yield chunk

    async def close(self) -> None:
        return None


class S3BlobStore:
    """Objects ``blobs/ab/cd/<sha256>`` in one bucket, path-style URLs, SigV4-signed.

    The payload hash S3 asks for is the content address itself, so uploads are signed
    over their exact bytes without reading them twice.
    """

    def __init__(
        self,
        endpoint: str,
        bucket: str,
        credentials: Credentials,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.host = urlsplit(self.endpoint).netloc
        self.bucket = bucket
        self.credentials = credentials
        self.client = client or httpx.AsyncClient(timeout=httpx.Timeout(30.0, read=300.0))

    def object_path(self, sha256: str) -> str:
        return f"/{self.bucket}/{blob_key(sha256)}"

    def signed_request(
        self, method: str, sha256: str, payload_sha256: str, extra: dict[str, str] | None = None
    ) -> tuple[str, dict[str, str]]:
        path = self.object_path(sha256)
        headers = sign(
            method,
            self.host,
            path,
            extra or {},
            payload_sha256,
            self.credentials,
            datetime.now(UTC),
        )
        headers.pop("host")
        return self.endpoint + path, headers

    async def exists(self, sha256: str) -> bool:
        url, headers = self.signed_request("HEAD", sha256, _EMPTY)
        response = await self.client.head(url, headers=headers)
        if response.status_code == 404:
            return False
        response.raise_for_status()
        return True

    async def put_file(self, sha256: str, staged: Path) -> None:
        try:
            if await self.exists(sha256):
                return
            size = staged.stat().st_size
            url, headers = self.signed_request("PUT", sha256, sha256, {"content-length": str(size)})
            response = await self.client.put(url, headers=headers, content=_chunks(staged))
            response.raise_for_status()
        finally:
            staged.unlink(missing_ok=True)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        url, headers = self.signed_request("GET", sha256, _EMPTY)
        async with self.client.stream("GET", url, headers=headers) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes(CHUNK):
                yield chunk

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.client.aclose()


_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as f:
        while chunk := await asyncio.to_thread(f.read, CHUNK):
            yield chunk
