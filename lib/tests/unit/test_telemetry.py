"""Logs are JSON with the trace id; anything shaped like an ID number is masked."""

from __future__ import annotations

import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from lienthong.telemetry import JsonFormatter, current_trace_headers, redact


def test_twelve_and_nine_digit_numbers_are_masked_but_other_numbers_are_kept() -> None:
    text = redact("citizen 051090123456 (old 123456789) paid 1500000 dong on 20260130")
    assert "051090123456" not in text and "123456789" not in text
    assert "1500000" in text and "20260130" in text


def _record(message: str, **fields: object) -> logging.LogRecord:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, message, None, None)
    record.fields = fields
    return record


def test_log_lines_are_json_and_personal_fields_are_redacted() -> None:
    line = json.loads(
        JsonFormatter("intake").format(_record("checked", full_name="Lê Văn Đức", unit="51"))
    )
    assert line["service"] == "intake"
    assert line["full_name"] == "[redacted]"
    assert line["unit"] == "51"


def test_log_lines_carry_the_current_trace_id() -> None:
    tracer = TracerProvider().get_tracer("t")
    with tracer.start_as_current_span("work") as span:
        line = json.loads(JsonFormatter("intake").format(_record("inside a span")))
        traceparent, _ = current_trace_headers()
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")
    assert traceparent is not None and line["trace_id"] in traceparent


def test_a_uuid_whose_last_group_is_all_digits_is_left_readable() -> None:
    event_id = "8ee02e57-369d-4b60-a9ac-809887542796"
    assert redact(f"event {event_id} applied") == f"event {event_id} applied"


def test_console_lines_are_readable_and_still_redact_id_numbers() -> None:
    from lienthong.telemetry import ConsoleFormatter

    record = logging.LogRecord(
        "intake", logging.INFO, __file__, 1, "checked 051090123456", None, None
    )
    record.fields = {"dossier_id": "d-1", "full_name": "Nguyễn Văn Hùng"}
    line = ConsoleFormatter().format(record)
    assert "INFO    intake: checked [redacted]" in line
    assert "dossier_id=d-1" in line and "full_name=[redacted]" in line
    assert "051090123456" not in line and not line.startswith("{")
