"""Traces, trace context in Kafka headers, and JSON logs with personal data redacted.

Why this exists: one trace id must follow a life event from the HTTP request through every
Kafka hop. The W3C ``traceparent`` travels in the event's headers (captured when the event
enters the outbox, restored when a consumer applies it). Logs are JSON lines that carry the
trace id; anything that looks like an ID number is masked before it is written.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
_ID_LIKE = re.compile(r"(?<![\d-])(\d{12}|\d{9})(?![\d-])")  # a UUID's digit-only tail is not one
_PERSONAL_FIELDS = frozenset({"id_number", "full_name", "birth_date", "name", "cmnd"})


class JsonLinesSpanExporter(SpanExporter):
    """Appends finished spans as JSON lines to a file (tests and local debugging)."""

    def __init__(self, path: str) -> None:
        self._path = path

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        with open(self._path, "a", encoding="utf-8") as out:
            for span in spans:
                ctx = span.get_span_context()
                parent = span.parent
                out.write(
                    json.dumps(
                        {
                            "name": span.name,
                            "service": span.resource.attributes.get("service.name"),
                            "trace_id": format(ctx.trace_id, "032x") if ctx else None,
                            "span_id": format(ctx.span_id, "016x") if ctx else None,
                            "parent_id": format(parent.span_id, "016x") if parent else None,
                            "kind": span.kind.name,
                            "attributes": dict(span.attributes or {}),
                        }
                    )
                    + "\n"
                )
        return SpanExportResult.SUCCESS


def setup_tracing(service_name: str) -> None:
    """Install the tracer provider; ``OTEL_TRACES_EXPORTER``: none, console, file or otlp."""
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    exporter_name = os.environ.get("OTEL_TRACES_EXPORTER", "none")
    if exporter_name == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter_name == "file":
        path = os.environ.get("OTEL_EXPORTER_FILE_PATH", "spans.jsonl")
        provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(path)))
    elif exporter_name == "otlp":
        # OTLP/HTTP to a collector; endpoint from OTEL_EXPORTER_OTLP_ENDPOINT (SDK default).
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


def tracer(name: str = "lienthong") -> trace.Tracer:
    return trace.get_tracer(name)


def current_trace_headers() -> tuple[str | None, str | None]:
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent"), carrier.get("tracestate")


@contextmanager
def consuming_span(
    name: str, traceparent: str | None, tracestate: str | None, attributes: dict[str, Any]
) -> Iterator[trace.Span]:
    """A CONSUMER span that continues the trace the event was produced in."""
    carrier = {k: v for k, v in (("traceparent", traceparent), ("tracestate", tracestate)) if v}
    ctx = _PROPAGATOR.extract(carrier)
    token = otel_context.attach(ctx)
    try:
        with tracer().start_as_current_span(
            name, kind=trace.SpanKind.CONSUMER, attributes=attributes
        ) as span:
            yield span
    finally:
        otel_context.detach(token)


@contextmanager
def publishing_span(
    name: str, traceparents: Sequence[str | None], attributes: dict[str, Any]
) -> Iterator[trace.Span]:
    """A PRODUCER span for one batch sent to the broker, linked to the trace of each
    message in it (a batch mixes events of many requests, so it has links, not a parent)."""
    links = []
    for traceparent in traceparents:
        if not traceparent:
            continue
        context = trace.get_current_span(_PROPAGATOR.extract({"traceparent": traceparent}))
        if context.get_span_context().is_valid:
            links.append(trace.Link(context.get_span_context()))
    with tracer().start_as_current_span(
        name, kind=trace.SpanKind.PRODUCER, attributes=attributes, links=links
    ) as span:
        yield span


def redact(text: str) -> str:
    return _ID_LIKE.sub("[redacted]", text)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        span = trace.get_current_span().get_span_context()
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        for key, value in getattr(record, "fields", {}).items():
            entry[key] = "[redacted]" if key in _PERSONAL_FIELDS else value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class ConsoleFormatter(logging.Formatter):
    """One readable line a record (``make run``): time, level, logger, message, fields;
    ID numbers and personal fields redacted as in the JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = " ".join(
            f"{k}={'[redacted]' if k in _PERSONAL_FIELDS else v}"
            for k, v in getattr(record, "fields", {}).items()
        )
        line = f"{when} {record.levelname:<7} {record.name}: {redact(record.getMessage())}"
        if fields:
            line += f"  {fields}"
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        return line


def setup_logging(service: str, level: str = "INFO", log_format: str = "json") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ConsoleFormatter() if log_format == "console" else JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
