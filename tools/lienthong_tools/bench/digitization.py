"""Digitization store: upload and download MB/s for 1 MB and 20 MB files, the service
process's memory during uploads (it must stay flat as files grow), and the raw disk limit
measured in the same run."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psutil

from digitization.samples import pdf as sample_pdf
from lienthong.auth import Role
from lienthong_tools.bench.runner import Figure
from lienthong_tools.devstack import REPO, Stack

MB = 1024 * 1024
SIZES = ((1, 20), (20, 4))  # (MB per file, files)


class _PeakRss:
    """Samples a process's resident set every 5 ms in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self._process = psutil.Process(pid)
        self._stop = threading.Event()
        self.peak = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._process.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _raw_disk(directory: Path, size: int = 20 * MB) -> tuple[float, float]:
    """Write (with fsync) and read back one file of ``size`` bytes in 1 MB chunks."""
    path = directory / f"raw-{uuid.uuid4().hex}"
    block = os.urandom(MB)
    started = time.perf_counter()
    with path.open("wb") as f:
        for _ in range(size // MB):
            f.write(block)
        f.flush()
        os.fsync(f.fileno())
    write = size / MB / (time.perf_counter() - started)
    started = time.perf_counter()
    with path.open("rb") as f:
        while f.read(MB):
            pass
    read = size / MB / (time.perf_counter() - started)
    path.unlink()
    return write, read


async def _body(data: bytes) -> AsyncIterator[bytes]:
    for i in range(0, len(data), 256 * 1024):
        yield data[i : i + 256 * 1024]


async def upload_download() -> list[Figure]:
    data_dir = REPO / ".local" / f"bench-digitization-{uuid.uuid4().hex[:8]}"
    data_dir.mkdir(parents=True)
    stack = Stack(port_base=19500, extra_env={"DIGITIZATION_DATA_DIR": str(data_dir)})
    figures: list[Figure] = []
    try:
        await stack.create_databases()
        await asyncio.to_thread(stack.provision_topics)
        await stack.start(only=("digitization",))
        process = stack.processes["digitization"].process
        assert process is not None
        url = stack.url("digitization")
        auth = {"Authorization": f"Bearer {stack.token(Role.CITIZEN)}"}
        async with httpx.AsyncClient(timeout=120) as client:
            for size_mb, count in SIZES:
                files = [sample_pdf(uuid.uuid4().hex, padding=size_mb * MB) for _ in range(count)]
                ids: list[str] = []
                with _PeakRss(process.pid) as rss:
                    started = time.perf_counter()
                    for data in files:
                        boundary = uuid.uuid4().hex
                        head = (
                            f"--{boundary}\r\nContent-Disposition: form-data; "
                            f'name="document_type"\r\n\r\nbench\r\n--{boundary}\r\n'
                            'Content-Disposition: form-data; name="file"; filename="b.pdf"\r\n'
                            "Content-Type: application/pdf\r\n\r\n"
                        ).encode()
                        tail = f"\r\n--{boundary}--\r\n".encode()
                        r = await client.post(
                            f"{url}/api/v1/documents",
                            headers={
                                **auth,
                                "Content-Type": f"multipart/form-data; boundary={boundary}",
                            },
                            content=_body(head + data + tail),
                        )
                        r.raise_for_status()
                        ids.append(r.json()["id"])
                    upload_s = time.perf_counter() - started
                total_mb = sum(len(d) for d in files) / MB
                started = time.perf_counter()
                for document_id in ids:
                    async with client.stream(
                        "GET", f"{url}/api/v1/documents/{document_id}/content", headers=auth
                    ) as r:
                        r.raise_for_status()
                        async for _ in r.aiter_bytes(MB):
                            pass
                download_s = time.perf_counter() - started
                figures += [
                    Figure(
                        f"digitization.upload_mb_per_s.{size_mb}mb", total_mb / upload_s, "MB/s"
                    ),
                    Figure(
                        f"digitization.download_mb_per_s.{size_mb}mb", total_mb / download_s, "MB/s"
                    ),
                    Figure(f"digitization.upload_rss_mb.{size_mb}mb", rss.peak / MB, "MB"),
                ]
        figures.append(Figure("digitization.upload_rss_mb", figures[-1].value, "MB"))
        write, read = await asyncio.to_thread(_raw_disk, data_dir)
        figures += [
            Figure("digitization.raw_disk_write_mb_per_s", write, "MB/s"),
            Figure("digitization.raw_disk_read_mb_per_s", read, "MB/s"),
        ]
    finally:
        stack.stop()
        await stack.drop_databases()
        await asyncio.to_thread(stack.delete_topics)
        shutil.rmtree(data_dir, ignore_errors=True)
    return figures
