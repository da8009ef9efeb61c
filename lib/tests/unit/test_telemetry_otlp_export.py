"""``OTEL_TRACES_EXPORTER=otlp`` sends spans to a collector over OTLP/HTTP (the compose
observability layer and the chart's ``observability.tracesExporter``).

A local HTTP listener stands in for the collector and records what it receives; the
process under test runs in a subprocess because a tracer provider is installed once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

PROGRAM = """
from opentelemetry import trace
from lienthong import telemetry
telemetry.setup_tracing("orchestrator")
with telemetry.tracer().start_as_current_span("birth bundle step"):
    pass
trace.get_tracer_provider().force_flush()
"""


class RecordingCollector(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.received: list[tuple[str, bytes]] = []


class _Handler(BaseHTTPRequestHandler):
    server: RecordingCollector

    def log_message(self, *args: object) -> None:
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def collector() -> Iterator[RecordingCollector]:
    server = RecordingCollector()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_otlp_exporter_sends_the_services_spans_to_the_collector(
    collector: RecordingCollector,
) -> None:
    env = {
        **os.environ,
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{collector.server_address[1]}",
    }
    subprocess.run([sys.executable, "-c", PROGRAM], env=env, check=True, timeout=60)
    assert [path for path, _ in collector.received] == ["/v1/traces"]
    body = collector.received[0][1]
    assert b"orchestrator" in body and b"birth bundle step" in body
