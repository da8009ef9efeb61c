"""Settings refuse what is missing; the HTTP shell answers with problems and checks roles."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ValidationError

from lienthong.auth import Principal, Role, issue_token, require_roles
from lienthong.http import Runtime, create_service_app
from lienthong.settings import ServiceSettings

SECRET = "test-secret-0123456789abcdef0123456789"


BASE_ENV = {
    "OTEL_SERVICE_NAME": "probe",
    "DATABASE_URL": "postgresql://x/y",
    "SUBJECT_ID_KEY": "k" * 32,
    "AUTH_JWT_SECRET": SECRET,
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092",
    "LIENTHONG_ENV": "test",
}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in BASE_ENV.items():
        monkeypatch.setenv(name, value)


def settings() -> ServiceSettings:
    return ServiceSettings()  # type: ignore[call-arg]


def test_required_values_have_no_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(ValidationError) as err:
        settings()
    assert "database_url" in str(err.value)


def test_placeholder_secrets_are_refused_outside_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIENTHONG_ENV", "prod")
    monkeypatch.setenv("AUTH_JWT_SECRET", "changeme")
    with pytest.raises(ValidationError, match="placeholder"):
        settings()


def test_kafka_security_is_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    config = settings().kafka.client_config()
    assert config["security.protocol"] == "SASL_SSL"
    assert config["sasl.mechanism"] == "SCRAM-SHA-512"


class Body(BaseModel):
    count: int = Field(ge=1)


def app_with_routes() -> TestClient:
    async def startup(_app: object) -> Runtime:
        return Runtime()

    app = create_service_app(title="probe", description="", settings=settings(), startup=startup)  # type: ignore[arg-type]

    @app.post("/things")
    async def make(
        body: Body, principal: Annotated[Principal, Depends(require_roles(Role.OFFICER))]
    ) -> dict[str, int]:
        return {"count": body.count}

    return TestClient(app)


def officer() -> dict[str, str]:
    token = issue_token(SECRET, subject="o1", role=Role.OFFICER, agency="JUSTICE", unit="51")
    return {"Authorization": f"Bearer {token}"}


def test_invalid_fields_get_an_rfc9457_problem_with_pointers() -> None:
    with app_with_routes() as client:
        r = client.post("/things", json={"count": 0}, headers=officer())
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"] == [
        {"pointer": "/count", "detail": "Input should be greater than or equal to 1"}
    ]


def test_missing_token_is_401_and_wrong_role_is_403() -> None:
    citizen = issue_token(SECRET, subject="c1", role=Role.CITIZEN)
    with app_with_routes() as client:
        assert client.post("/things", json={"count": 1}).status_code == 401
        r = client.post(
            "/things", json={"count": 1}, headers={"Authorization": f"Bearer {citizen}"}
        )
        assert r.status_code == 403
        assert r.json()["type"].endswith("/forbidden")
        assert client.post("/things", json={"count": 1}, headers=officer()).json() == {"count": 1}


def test_officer_token_without_unit_is_refused() -> None:
    token = issue_token(SECRET, subject="o2", role=Role.OFFICER, agency="JUSTICE")
    with app_with_routes() as client:
        r = client.post("/things", json={"count": 1}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_token_signed_with_another_key_is_refused() -> None:
    token = issue_token(
        "another-secret-0123456789abcdef0123456",
        subject="o1",
        role=Role.OFFICER,
        agency="J",
        unit="51",
    )
    with app_with_routes() as client:
        r = client.post("/things", json={"count": 1}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_health_readiness_and_metrics_answer() -> None:
    with app_with_routes() as client:
        assert client.get("/healthz").json()["status"] == "ok"
        assert client.get("/readyz").status_code == 200
        assert "python_info" in client.get("/metrics").text
