"""Work-queue scope, the acknowledgement rule, cursors and the request-size limit (no I/O)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from intake.domain.model import dossier_code, dossier_code_prefix
from intake.domain.rules import needs_acknowledgement_deadline, units_within
from intake.entrypoints.api import _decode_cursor, _encode_cursor
from intake.entrypoints.limits import BodySizeLimit, PayloadTooLarge, on_payload_too_large
from lienthong.problems import Problem
from lienthong.vn.units import units
from lienthong.vn.working_time import WorkingCalendar

UNITS = units()
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_work_queue_of_a_district_covers_its_communes_and_not_its_neighbours() -> None:
    on = date(2024, 5, 2)
    within = units_within("522", UNITS, on)
    assert within[0] == "522"
    assert "21211" in within
    assert all(UNITS.covers("522", code, on) for code in within)
    assert "524" not in within


def test_work_queue_of_a_2025_commune_holds_the_legacy_codes_it_absorbed() -> None:
    within = units_within("21211", UNITS, date(2026, 3, 2))
    assert within[0] == "21211"
    assert {"21190", "21199", "21208", "21214"} <= set(within)


def test_only_online_dossiers_carry_the_8_working_hour_acknowledgement_deadline() -> None:
    assert needs_acknowledgement_deadline(True)
    assert not needs_acknowledgement_deadline(False)


def test_acknowledgement_deadline_of_a_friday_afternoon_dossier_falls_on_monday() -> None:
    friday_afternoon = datetime(2026, 11, 27, 15, 0, tzinfo=VN)
    due = WorkingCalendar().acknowledgement_deadline(friday_afternoon)
    assert due.astimezone(VN).date().isoformat() == "2026-11-30"


def test_code_prefix_is_the_code_without_its_daily_sequence() -> None:
    at = datetime(2026, 1, 30, 9, tzinfo=VN)
    assert dossier_code("522", at, 42) == dossier_code_prefix("522", at) + "000042"


def test_a_cursor_round_trips_and_a_forged_one_is_a_field_error() -> None:
    at, dossier_id = datetime(2026, 1, 30, 2, tzinfo=UTC), uuid.uuid4()
    assert _decode_cursor(_encode_cursor(at, dossier_id)) == (at, dossier_id)
    with pytest.raises(Problem) as refused:
        _decode_cursor("bm9wZQ==")
    assert refused.value.status == 422
    assert refused.value.errors == [
        {"pointer": "/cursor", "detail": "not a cursor this API returned"}
    ]


def _echo_app(limit: int) -> TestClient:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    app.add_middleware(BodySizeLimit, max_bytes=limit)
    app.add_exception_handler(PayloadTooLarge, on_payload_too_large)
    return TestClient(app)


def test_a_body_within_the_limit_passes() -> None:
    response = _echo_app(100).post("/echo", content=b"x" * 100)
    assert response.status_code == 200
    assert response.json() == {"bytes": 100}


def test_a_declared_oversized_body_is_a_413_problem_without_being_read() -> None:
    response = _echo_app(100).post("/echo", content=b"x" * 101)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/payload-too-large")
    assert response.json()["errors"] == [{"pointer": "/", "detail": "at most 100 bytes"}]


def test_a_chunked_oversized_body_is_a_413_problem_once_it_crosses_the_limit() -> None:
    def chunks() -> object:
        for _ in range(5):
            yield b"x" * 40

    response = _echo_app(100).post("/echo", content=chunks())  # type: ignore[arg-type]
    assert response.status_code == 413
    assert response.json()["type"].endswith("/payload-too-large")
