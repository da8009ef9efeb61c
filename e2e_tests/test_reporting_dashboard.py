"""The dashboard page renders its charts with data in headless Chromium (desktop and phone)."""

from __future__ import annotations

import asyncio
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from e2e_tests.flows import eventually
from lienthong.service import load_codec
from lienthong_tools.bench.reporting import encode, publish, scripted_mix
from lienthong_tools.devstack import Stack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium is missing")


def _chromium(url: str, *mode: str, size: str) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                f"--window-size={size}",
                "--virtual-time-budget=8000",
                *mode,
                url,
            ],
            capture_output=True,
            timeout=60,
        )


def _distinct_colours(png: bytes) -> int:
    """Distinct pixel colours of an 8-bit RGB(A) PNG (enough to tell a blank page)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour = struct.unpack(">IIBB", data[:10])
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + pred) & 0xFF
        if y % 4 == 0:
            for x in range(0, stride, channels * 4):
                colours.add(bytes(line[x : x + 3]))
        previous = line
    return len(colours)


async def test_dashboard_charts_render_with_data_on_a_laptop_and_a_phone(
    stack: Stack, auditor_token: str
) -> None:
    mix = scripted_mix(datetime(2022, 2, 2, 2, tzinfo=UTC))
    await asyncio.to_thread(publish, encode(load_codec(), stack.topic_prefix, mix.events))
    base = stack.url("reporting")
    async with httpx.AsyncClient(timeout=10) as client:

        async def projected() -> bool | None:
            r = await client.get(
                f"{base}/api/v1/reports/project06",
                params={"from": "2022-02-01", "to": "2022-02-28"},
                headers={"Authorization": f"Bearer {auditor_token}"},
            )
            return True if r.json()["dossiers"]["submitted"] == 10 else None

        await eventually(projected)
    url = f"{base}/dashboard?from=2022-02-01&to=2022-02-28#token={auditor_token}"

    dom = (await asyncio.to_thread(_chromium, url, "--dump-dom", size="1280,900")).stdout.decode()
    assert 'data-loaded="true"' in dom
    assert "Hồ sơ theo thủ tục" in dom
    submitted = re.search(r'data-key="submitted" data-value="(\d+)"', dom)
    assert submitted is not None and submitted.group(1) == "10"
    bars = re.findall(r'class="bar" data-value="(\d+)" data-key="([^"]+)"', dom)
    assert ("9", "BIRTH_REGISTRATION") in bars and ("1", "RESIDENCE") in bars
    assert ("2", "NAME_MISMATCH") in bars
    # Procedures by their Vietnamese names, the 25 essential services, the monthly trend.
    assert ">Đăng ký khai sinh<" in dom and ">BIRTH_REGISTRATION<" not in dom
    assert "có hồ sơ: " in dom and "/25" in dom
    assert 'data-key="2022-02"' in dom
    assert "Tải Excel (.xlsx)" in dom
    # Units are shown by their Vietnamese names, in 2022's districts and on 2025 communes.
    assert "Thành phố Quảng Ngãi" in dom
    assert "sắp xếp từ 01/7/2025" in dom

    for size in ("1280,900", "390,844"):
        with tempfile.TemporaryDirectory() as out:
            shot = Path(out) / "dashboard.png"
            await asyncio.to_thread(_chromium, url, f"--screenshot={shot}", size=size)
            assert shot.exists(), f"no screenshot at {size}"
            assert _distinct_colours(shot.read_bytes()) > 8, f"blank screenshot at {size}"
