"""Input that breaks the stores is refused at the edge: control characters (NUL included)
with a 422 naming the field, implausible dates, and dependency faults as 503."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from civil_registry.entrypoints.api import BirthIn
from intake.entrypoints.api import PersonIn
from lienthong.bounds import birth_date_problem
from lienthong.input_guard import RefuseControlCharacters
from lienthong.problems import Problem, install
from lienthong.ratelimit import RateLimits
from population_registry.domain.events import Gender, IssuePersonalIdNumber
from population_registry.service_layer.handlers import _refusal


class Thing(BaseModel):
    name: str
    tags: list[str] = []


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = FastAPI()
    install(app)
    app.add_middleware(RefuseControlCharacters)

    @app.post("/things")
    async def create(thing: Thing) -> Thing:
        return thing

    @app.get("/things")
    async def search(q: str = "") -> dict[str, str]:
        return {"q": q}

    @app.get("/down")
    async def down() -> None:
        raise asyncpg.CannotConnectNowError("the database system is starting up")

    @app.get("/refused")
    async def refused() -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    with TestClient(app) as test_client:
        yield test_client


def test_a_nul_byte_in_a_text_field_is_422_naming_the_field(client: TestClient) -> None:
    r = client.post("/things", json={"name": "Nguyễn\u0000Văn An", "tags": ["ok", "b\u0007"]})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["pointer"] for e in r.json()["errors"]] == ["/name", "/tags/1"]


def test_a_nul_byte_in_a_query_parameter_is_422_naming_it(client: TestClient) -> None:
    r = client.get("/things", params={"q": "51-\x00"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["pointer"] == "/q"


def test_text_with_lines_and_vietnamese_letters_passes(client: TestClient) -> None:
    r = client.post("/things", json={"name": "Trần Thị Thủy\nghi chú\tthêm"})
    assert r.status_code == 200
    assert r.json()["name"] == "Trần Thị Thủy\nghi chú\tthêm"


def test_a_database_starting_up_is_503_with_retry_after(client: TestClient) -> None:
    for path in ("/down", "/refused"):
        r = client.get(path)
        assert r.status_code == 503
        assert r.headers["retry-after"] == "5"
        assert r.headers["content-type"] == "application/problem+json"


def test_births_before_1900_or_in_the_future_are_implausible() -> None:
    assert birth_date_problem(date(136, 5, 1)) == "is before 1900-01-01"
    assert birth_date_problem(date.today() + timedelta(days=3)) == "is in the future"
    assert birth_date_problem(date(1900, 1, 1)) is None


def test_civil_registry_refuses_a_child_born_in_the_year_136() -> None:
    body = {
        "unit_code": "21211",
        "place_of_birth": "Bệnh viện Đa khoa tỉnh Quảng Ngãi",
        "child": {"full_name": "Nguyễn Gia Bảo", "birth_date": "0136-05-01", "gender": "MALE"},
    }
    with pytest.raises(ValidationError) as caught:
        BirthIn.model_validate(body)
    assert caught.value.errors()[0]["loc"] == ("child", "birth_date")


def test_intake_refuses_a_person_born_before_1900() -> None:
    with pytest.raises(ValidationError):
        PersonIn.model_validate(
            {"role": "applicant", "full_name": "Lê Văn Tám", "birth_date": "1899-12-31"}
        )


def test_population_registry_refuses_to_issue_a_number_for_a_birth_in_136() -> None:
    command = IssuePersonalIdNumber(
        command_id="7c9e6679-7425-40de-944b-e07fc1f90ae7",
        bundle_id="7c9e6679-7425-40de-944b-e07fc1f90ae8",
        subject_id="sub_x",
        full_name="Nguyễn Gia Bảo",
        birth_date=date(136, 5, 1),
        gender=Gender.MALE,
        registration_province_code="051",
        requested_at=datetime(2026, 12, 5, 8, 0),
    )
    assert _refusal(command) == "BIRTH_DATE_IMPLAUSIBLE"


async def test_a_limit_refuses_the_hit_over_it_with_retry_after() -> None:
    limits = RateLimits({"subject": "3/hour"})
    for _ in range(3):
        await limits.check("subject", "sub_a")
    with pytest.raises(Problem) as caught:
        await limits.check("subject", "sub_a")
    assert caught.value.status == 429
    assert caught.value.retry_after is not None and 3000 < caught.value.retry_after <= 3600
    await limits.check("subject", "sub_b")  # another person is counted apart
