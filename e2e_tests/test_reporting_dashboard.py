"""The dashboard page in headless Chromium: charts with data (desktop and phone), and an
officer who signs in through the identity provider's form, reads a figure and downloads the
spreadsheet export."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import websocket
from openpyxl import load_workbook

from e2e_tests.flows import eventually
from lienthong.service import load_codec
from lienthong_tools.bench.reporting import encode, publish, scripted_mix
from lienthong_tools.devstack import Stack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium is missing")


def _chromium(url: str, *mode: str, size: str) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
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


class DevTools:
    """A Chromium page driven over the DevTools protocol (one socket, commands in order)."""

    def __init__(self, page_socket: str, browser_socket: str) -> None:
        self._page = websocket.create_connection(page_socket, timeout=30, suppress_origin=True)
        self._browser = websocket.create_connection(
            browser_socket, timeout=30, suppress_origin=True
        )
        self._next = 0

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False
    ) -> Any:
        sock = self._browser if browser else self._page
        self._next += 1
        sock.send(json.dumps({"id": self._next, "method": method, "params": params or {}}))
        while True:
            answer = json.loads(sock.recv())
            if answer.get("id") == self._next:
                assert "error" not in answer, answer
                return answer["result"]

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            # A navigation in progress has no context to evaluate in: try again.
            try:
                value = self.evaluate(expression)
            except AssertionError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                page = self.evaluate(
                    "location.href + ' | ' + document.body.innerText.slice(0, 400)"
                )
                raise AssertionError(f"{expression} not true within {timeout}s; page: {page}")
            time.sleep(0.2)

    def close(self) -> None:
        self._page.close()
        self._browser.close()


@contextmanager
def _browser() -> Iterator[DevTools]:
    # Chromium's helper processes may still write the profile while they exit.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(
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
                "--window-size=1280,900",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            active = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not (active.exists() and active.read_text().count("\n") >= 1):
                assert proc.poll() is None and time.monotonic() < deadline, "Chromium did not start"
                time.sleep(0.1)
            port, browser_path = active.read_text().split("\n")[:2]
            pages = httpx.get(f"http://127.0.0.1:{port}/json/list").json()
            page = next(t for t in pages if t["type"] == "page")
            tools = DevTools(page["webSocketDebuggerUrl"], f"ws://127.0.0.1:{port}{browser_path}")
            try:
                yield tools
            finally:
                tools.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)


def _sign_in_read_and_export(base: str, downloads: Path) -> dict[str, Any]:
    with _browser() as page:
        page.send(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads)},
            browser=True,
        )
        page.send("Page.navigate", {"url": f"{base}/dashboard?from=2023-03-01&to=2023-03-31"})
        page.wait_for("document.body.dataset.signedIn === 'false'")
        signed_out_text = page.evaluate("document.getElementById('status').textContent")
        page.evaluate("document.getElementById('sign-in').click()")
        # The provider's login form, reached by the authorization request with PKCE.
        authorize = page.wait_for(
            "document.getElementById('password') && location.href.includes('/dev-idp/authorize')"
            " && location.href"
        )
        page.evaluate(
            "document.getElementById('username').value = 'thanhtra';"
            "document.getElementById('password').value = 'lienthong-dev';"
            "document.getElementById('submit').click()"
        )
        page.wait_for("document.body.dataset.loaded === 'true'")
        read = page.evaluate(
            "JSON.stringify({url: location.href, who: document.getElementById('who').textContent,"
            " submitted: document.querySelector('.counter[data-key=submitted]').dataset.value})"
        )
        page.evaluate("document.getElementById('export-xlsx').click()")
        deadline = time.monotonic() + 30
        while not [p for p in downloads.iterdir() if p.suffix == ".xlsx"]:
            assert time.monotonic() < deadline, "no .xlsx was downloaded"
            time.sleep(0.2)
    return {"authorize": authorize, "signed_out": signed_out_text, **json.loads(read)}


async def test_an_officer_signs_in_reads_the_report_and_downloads_the_spreadsheet(
    stack: Stack, auditor_token: str
) -> None:
    # 2023: a year no other test of the session's shared stack publishes into.
    mix = scripted_mix(datetime(2023, 3, 3, 3, tzinfo=UTC))
    await asyncio.to_thread(publish, encode(load_codec(), stack.topic_prefix, mix.events))
    base = stack.url("reporting")
    period = {"from": "2023-03-01", "to": "2023-03-31"}
    async with httpx.AsyncClient(timeout=10) as client:
        assert (
            await client.get(f"{base}/api/v1/reports/project06", params=period)
        ).status_code == 401

        async def projected() -> dict[str, Any] | None:
            r = await client.get(
                f"{base}/api/v1/reports/project06",
                params=period,
                headers={"Authorization": f"Bearer {auditor_token}"},
            )
            report: dict[str, Any] = r.json()
            return report if report["dossiers"]["submitted"] == 10 else None

        report = await eventually(projected)

    with tempfile.TemporaryDirectory() as out:
        seen = await asyncio.to_thread(_sign_in_read_and_export, base, Path(out))
        (xlsx,) = [p for p in Path(out).iterdir() if p.suffix == ".xlsx"]
        book = load_workbook(io.BytesIO(xlsx.read_bytes()))

    assert "Đăng nhập" in seen["signed_out"]
    assert "code_challenge_method=S256" in seen["authorize"]
    assert "code_challenge=" in seen["authorize"]
    # Back on the dashboard: signed in, the code gone from the address bar, the period kept.
    assert seen["url"] == f"{base}/dashboard?from=2023-03-01&to=2023-03-31"
    assert seen["who"].startswith("thanhtra")
    assert seen["submitted"] == str(report["dossiers"]["submitted"]) == "10"
    rows = [[c.value for c in r] for r in book["Biểu 01 - DVC thiết yếu"].iter_rows()]
    header = next(r for r in rows if r[0] == "STT")
    birth = dict(zip(header, next(r for r in rows if r[1] == "BIRTH_REGISTRATION"), strict=True))
    assert birth["Số hồ sơ tiếp nhận"] == report["procedures"]["BIRTH_REGISTRATION"]["submitted"]
    assert birth["Số hồ sơ tiếp nhận"] == 9
