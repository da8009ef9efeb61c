"""The dashboard signs in with the authorization code flow and PKCE; the dev provider that
``make run`` and the tests use checks the verifier, spends each code once, and its tokens
pass the same verifier every service uses. Production settings cannot serve it."""

from __future__ import annotations

import asyncio
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from lienthong.auth import Role, TokenVerifier
from lienthong.dev_identity_provider import DevIdentityProvider, router, s256
from reporting.config import ReportingSettings
from reporting.entrypoints import dashboard

SECRET = "dev-test-secret-0123456789abcdef0123"
VERIFIER = "v" * 43 + "-pkce-verifier"
BASE = "http://testserver"
REDIRECT = f"{BASE}/dashboard"


ENV = {
    "LIENTHONG_ENV": "test",
    "DATABASE_URL": "postgresql://unused/reporting",
    "SUBJECT_ID_KEY": "s" * 32,
    "AUTH_JWT_SECRET": SECRET,
    "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    "DEV_IDENTITY_PROVIDER": "1",
}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def settings(monkeypatch: pytest.MonkeyPatch | None = None, **overrides: str) -> ReportingSettings:
    if monkeypatch is not None:
        for name, value in overrides.items():
            monkeypatch.setenv(name, value)
    return ReportingSettings()  # type: ignore[call-arg]


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    app.state.settings = settings()
    app.include_router(dashboard.router)
    app.include_router(
        router(
            DevIdentityProvider(
                secret=SECRET, password="pw", token_issuer="lienthong", audience="lienthong"
            )
        )
    )
    return TestClient(app, base_url=BASE)


def authorize(client: TestClient, challenge: str = s256(VERIFIER), **extra: str) -> str:
    params = {
        "response_type": "code",
        "client_id": "lienthong-dashboard",
        "redirect_uri": REDIRECT,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "st-1",
        "username": "thanhtra",
        "password": "pw",
    } | extra
    answer = client.post("/dev-idp/authorize", data=params, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    target = urlparse(answer.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == REDIRECT
    query = parse_qs(target.query)
    assert query["state"] == ["st-1"]
    return query["code"][0]


def exchange(client: TestClient, code: str, verifier: str = VERIFIER) -> dict[str, str]:
    answer = client.post(
        "/dev-idp/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "lienthong-dashboard",
            "code_verifier": verifier,
        },
    )
    body: dict[str, str] = answer.json()
    return body


def test_the_page_names_the_issuer_client_and_redirect_uri(client: TestClient) -> None:
    page = client.get("/dashboard").text
    block = re.search(r'<script id="sign-in-settings" type="application/json">(.*?)</script>', page)
    assert block is not None
    assert json.loads(block.group(1)) == {
        "issuer": f"{BASE}/dev-idp",
        "client_id": "lienthong-dashboard",
        "redirect_uri": REDIRECT,
    }
    assert ">Đăng nhập<" in page
    discovery = client.get("/dev-idp/.well-known/openid-configuration").json()
    assert discovery["issuer"] == f"{BASE}/dev-idp"
    assert discovery["token_endpoint"] == f"{BASE}/dev-idp/token"
    assert discovery["code_challenge_methods_supported"] == ["S256"]


def test_a_code_and_its_verifier_give_a_token_every_service_accepts(client: TestClient) -> None:
    assert (
        'id="password"'
        in client.get(
            "/dev-idp/authorize",
            params={
                "response_type": "code",
                "client_id": "lienthong-dashboard",
                "redirect_uri": REDIRECT,
                "code_challenge": s256(VERIFIER),
                "code_challenge_method": "S256",
            },
        ).text
    )
    tokens = exchange(client, authorize(client))
    verifier = TokenVerifier(secret=SECRET, jwks_url=None, issuer="lienthong", audience="lienthong")
    principal = asyncio.run(verifier.verify(tokens["access_token"]))
    assert principal.role is Role.AUDITOR and principal.subject == "thanhtra"
    assert tokens["token_type"] == "Bearer"


def test_a_wrong_verifier_a_spent_code_and_a_wrong_password_are_refused(
    client: TestClient,
) -> None:
    code = authorize(client)
    assert exchange(client, code, "w" * 43)["error"] == "invalid_grant"
    assert exchange(client, code)["error"] == "invalid_grant"  # spent by the failed try
    good = authorize(client)
    assert "access_token" in exchange(client, good)
    assert exchange(client, good)["error"] == "invalid_grant"
    wrong = client.post(
        "/dev-idp/authorize",
        data={
            "response_type": "code",
            "client_id": "lienthong-dashboard",
            "redirect_uri": REDIRECT,
            "code_challenge": s256(VERIFIER),
            "code_challenge_method": "S256",
            "username": "thanhtra",
            "password": "guess",
        },
        follow_redirects=False,
    )
    assert wrong.status_code == 400 and "Sai tài khoản" in wrong.text


def test_plain_pkce_and_foreign_redirect_uris_are_refused(client: TestClient) -> None:
    base = {
        "response_type": "code",
        "client_id": "lienthong-dashboard",
        "redirect_uri": REDIRECT,
        "code_challenge": VERIFIER,
    }
    plain = client.get("/dev-idp/authorize", params=base | {"code_challenge_method": "plain"})
    assert plain.status_code == 400
    foreign = client.get(
        "/dev-idp/authorize",
        params=base
        | {"code_challenge_method": "S256", "redirect_uri": "https://elsewhere.example/cb"},
    )
    assert foreign.status_code == 400


def test_production_settings_refuse_the_dev_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings(monkeypatch, DEV_IDENTITY_PROVIDER="0").dev_identity_provider is False
    with pytest.raises(ValidationError, match="DEV_IDENTITY_PROVIDER"):
        settings(
            monkeypatch,
            DEV_IDENTITY_PROVIDER="1",
            LIENTHONG_ENV="prod",
            AUTH_JWT_SECRET="a-real-secret-" + "x" * 24,
            SUBJECT_ID_KEY="a-real-subject-key-" + "y" * 24,
        )
