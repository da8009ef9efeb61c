"""The outbox relay opens one PRODUCER span per batch, linked to each message's trace."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from lienthong.telemetry import publishing_span

FIRST = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
SECOND = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_a_batch_span_is_a_producer_linked_to_the_trace_of_every_message() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    original = trace.get_tracer
    trace.get_tracer = lambda *args, **kwargs: tracer  # type: ignore[assignment]
    try:
        with publishing_span("outbox publish", [FIRST, None, SECOND], {"n": 3}):
            pass
    finally:
        trace.get_tracer = original  # type: ignore[assignment]
    (span,) = exporter.get_finished_spans()
    assert span.kind is trace.SpanKind.PRODUCER
    linked = {format(link.context.trace_id, "032x") for link in span.links}
    assert linked == {FIRST.split("-")[1], SECOND.split("-")[1]}
