"""The authorization policy as a matrix: every route of every service declares a rule, and
role × agency × unit × ownership goes through the same code the routes call.

A route added without a rule fails ``test_every_route_of_every_service_declares_a_rule``.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lienthong.auth import Principal, Role, issue_token
from lienthong.policy import (
    Access,
    Resource,
    Rule,
    Scope,
    citizen_subject,
    decide,
    route_rules,
    unit_covers,
)
from lienthong.problems import Problem
from lienthong.subjects import SubjectIds

SECRET = "matrix-secret-0123456789abcdef0123456789"
SERVICES = {
    "intake": "IntakeSettings",
    "digitization": "DigitizationSettings",
    "identity": "IdentitySettings",
    "orchestrator": "OrchestratorSettings",
    "reporting": "ReportingSettings",
    "population_registry": "PopulationRegistrySettings",
    "civil_registry": "CivilRegistrySettings",
    "residence": "ResidenceSettings",
    "insurance": "InsuranceSettings",
    "welfare": "WelfareSettings",
    "national_portal": "NationalPortalSettings",
}
#: Routes open without a token, on purpose.
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/dashboard"),
    ("POST", "/api/v1/dossier-lookups"),
}
SUBJECTS = SubjectIds("m" * 32)
CITIZEN_ID = "051190000123"
OTHER_ID = "051190000456"
# Real GSO codes: Quảng Ngãi 51 ⊃ TP Quảng Ngãi 522 ⊃ Tịnh Khê 21211; Bình Sơn 524; Hà Nội 01.
DOSSIER_UNIT = "21211"
COVERING_UNITS = ("51", "522", "21211")
FOREIGN_UNITS = ("524", "01", "79")
AGENCIES = ("JUSTICE", "POLICE", "BHXH", "LDTBXH", "HEALTH")


@pytest.fixture(scope="module")
def apps() -> Iterator[dict[str, FastAPI]]:
    env = {
        "DATABASE_URL": "postgresql://x/y",
        "SUBJECT_ID_KEY": "m" * 32,
        "AUTH_JWT_SECRET": SECRET,
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",
        "LIENTHONG_ENV": "test",
    }
    with pytest.MonkeyPatch.context() as mp:
        built: dict[str, FastAPI] = {}
        for service, settings_name in SERVICES.items():
            for name, value in env.items():
                mp.setenv(name, value)
            mp.setenv("OTEL_SERVICE_NAME", service)
            settings_class = getattr(importlib.import_module(f"{service}.config"), settings_name)
            create_app = importlib.import_module(f"{service}.bootstrap").create_app
            built[service] = create_app(settings_class())
        yield built


def all_routes(apps: dict[str, FastAPI]) -> list[tuple[str, str, str, Rule | None]]:
    return [
        (service, method, path, rule)
        for service, app in apps.items()
        for (method, path), rule in sorted(route_rules(app).items())
    ]


def test_every_route_of_every_service_declares_a_rule(apps: dict[str, FastAPI]) -> None:
    routes = all_routes(apps)
    assert len(routes) > 50
    unguarded = [(s, m, p) for s, m, p, rule in routes if rule is None]
    assert unguarded == []
    public = {(m, p) for _, m, p, rule in routes if rule is not None and rule.public}
    assert public == PUBLIC


def _concrete(path: str) -> str:
    return (
        path.replace("{dossier_id}", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .replace("{bundle_id}", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .replace("{case_id}", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .replace("{job_id}", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .replace("{document_id}", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .replace("{step}", "permanent_residence")
        .replace("{", "")
        .replace("}", "")
    )


def _unsigned_claims(**drop: Any) -> str:
    now = int(time.time())
    claims = {"sub": "o1", "role": "officer", "agency": "JUSTICE", "unit": "51"}
    claims |= {"iss": "lienthong", "aud": "lienthong", "iat": now, "exp": now + 600}
    for name in drop:
        claims.pop(name)
    return jwt.encode(claims, SECRET, algorithm="HS256")


def test_every_guarded_route_refuses_no_token_and_a_token_without_expiry(
    apps: dict[str, FastAPI],
) -> None:
    no_exp = {"Authorization": f"Bearer {_unsigned_claims(exp=None)}"}
    for service, method, path, rule in all_routes(apps):
        if rule is None or rule.public:
            continue
        client = TestClient(apps[service], raise_server_exceptions=False)
        url = _concrete(path)
        bare = client.request(method, url, json={})
        assert bare.status_code == 401, (service, method, path)
        assert bare.headers["content-type"] == "application/problem+json"
        assert client.request(method, url, json={}, headers=no_exp).status_code == 401


def principals() -> Iterator[tuple[str, Principal]]:
    yield "citizen-self", Principal(CITIZEN_ID, Role.CITIZEN)
    yield "citizen-other", Principal(OTHER_ID, Role.CITIZEN)
    for agency in AGENCIES:
        for unit in COVERING_UNITS + FOREIGN_UNITS:
            yield f"officer-{agency}/{unit}", Principal("o1", Role.OFFICER, agency, unit)
    yield "auditor", Principal("a1", Role.AUDITOR)
    yield "admin", Principal("ad1", Role.ADMIN)


def _verdict(principal: Principal, rule: Rule, resource: Resource) -> bool:
    try:
        scope = decide(principal, rule)
    except Problem as refused:
        assert refused.status == 403
        return False
    return Access(principal, rule, scope, None, SUBJECTS).allows(resource)


def test_matrix_of_every_route_role_agency_unit_and_ownership(apps: dict[str, FastAPI]) -> None:
    """For every guarded route: a citizen reaches only their own resources, an officer only
    those of their unit subtree and, where the resource names agencies, of their agency;
    roles a rule does not name are refused."""
    resource = Resource(
        "dossier",
        "d1",
        unit_code=DOSSIER_UNIT,
        agencies=frozenset({"JUSTICE"}),
        parties=frozenset({SUBJECTS.for_id_number(CITIZEN_ID)}),
    )
    checked = 0
    for service, method, path, rule in all_routes(apps):
        if rule is None or rule.public:
            continue
        for label, principal in principals():
            allowed = _verdict(principal, rule, resource)
            scope = rule.scope_of(principal.role)
            checked += 1
            where = (service, method, path, label)
            if scope is None or label == "citizen-other":
                assert not allowed, where
            elif principal.role is Role.OFFICER and scope is Scope.UNIT:
                expected = principal.unit in COVERING_UNITS and principal.agency == "JUSTICE"
                if rule.agencies is not None:
                    expected = expected and principal.agency in rule.agencies
                assert allowed is expected, where
            elif principal.role is Role.OFFICER and rule.agencies is not None:
                assert allowed is (principal.agency in rule.agencies), where
            if principal.role is Role.CITIZEN and allowed:
                assert scope is Scope.OWN and label == "citizen-self", where
    assert checked > 50 * 20


def _rule(apps: dict[str, FastAPI], service: str, method: str, path: str) -> Rule:
    rule = route_rules(apps[service])[(method, path)]
    assert rule is not None
    return rule


def test_named_holes_are_closed(apps: dict[str, FastAPI]) -> None:
    """The reported holes, each through the rule its route declares."""
    birth_bundle = Resource(
        "bundle", "b1", unit_code="51", agencies=frozenset({"JUSTICE", "POLICE", "BHXH"})
    )
    cancel = _rule(apps, "orchestrator", "POST", "/api/v1/bundles/{bundle_id}/cancel")
    health_01 = Principal("o9", Role.OFFICER, "HEALTH", "01")
    assert not _verdict(health_01, cancel, birth_bundle)
    assert not _verdict(Principal("o9", Role.OFFICER, "JUSTICE", "01"), cancel, birth_bundle)
    assert _verdict(Principal("o1", Role.OFFICER, "JUSTICE", "51"), cancel, birth_bundle)

    decision = _rule(apps, "identity", "POST", "/api/v1/review-cases/{case_id}/decision")
    case = Resource("review-case", "c1")
    assert not _verdict(health_01, decision, case)
    assert not _verdict(Principal("o1", Role.OFFICER, "JUSTICE", "51"), decision, case)
    assert _verdict(Principal("p1", Role.OFFICER, "POLICE", "51"), decision, case)

    dossier_read = _rule(apps, "intake", "GET", "/api/v1/dossiers/{dossier_id}")
    dossier = Resource("dossier", "d1", unit_code="51", agencies=frozenset({"JUSTICE"}))
    assert not _verdict(health_01, dossier_read, dossier)
    assert not _verdict(Principal("o2", Role.OFFICER, "POLICE", "79"), dossier_read, dossier)
    assert not _verdict(Principal(OTHER_ID, Role.CITIZEN), dossier_read, dossier)

    citizen_read = _rule(apps, "population_registry", "GET", "/api/v1/citizens/{number}")
    someone = Resource("citizen", "s1", parties=frozenset({"s1"}))
    assert not _verdict(Principal("a1", Role.AUDITOR), citizen_read, someone)
    assert not _verdict(Principal("o1", Role.OFFICER, "JUSTICE", "51"), citizen_read, someone)

    portal_read = _rule(apps, "national_portal", "GET", "/api/v1/dossiers/{code}")
    assert not _verdict(Principal(OTHER_ID, Role.CITIZEN), portal_read, dossier)


def test_officers_see_the_personal_fields_their_agency_needs() -> None:
    rule = Rule("dossier.read", {Role.OFFICER: Scope.UNIT}, personal_data=True)
    labour = Access(Principal("o", Role.OFFICER, "LDTBXH", "51"), rule, Scope.UNIT)
    health = Access(Principal("o", Role.OFFICER, "HEALTH", "51"), rule, Scope.UNIT)
    police = Access(Principal("o", Role.OFFICER, "POLICE", "51"), rule, Scope.UNIT)
    assert labour.reveals("id_number") and not labour.reveals("gender")
    assert health.reveals("full_name") and not health.reveals("id_number")
    assert all(police.reveals(f) for f in ("full_name", "id_number", "birth_date", "gender"))


def test_unit_scope_follows_the_hierarchy_not_code_prefixes() -> None:
    assert unit_covers("51", "21211")  # Tịnh Khê in Thành phố Quảng Ngãi in Quảng Ngãi
    assert unit_covers("522", "21211")
    assert not unit_covers("524", "21211")
    assert not unit_covers("01", "51")
    assert not unit_covers("21211", "522")


def test_a_citizen_token_naming_an_id_number_stands_for_its_subject_id() -> None:
    assert citizen_subject(Principal(CITIZEN_ID, Role.CITIZEN), SUBJECTS) == (
        SUBJECTS.for_id_number(CITIZEN_ID)
    )
    token = issue_token(SECRET, subject=CITIZEN_ID, role=Role.CITIZEN)
    assert jwt.decode(token, SECRET, algorithms=["HS256"], audience="lienthong")["exp"]


def test_every_operation_documents_its_error_answers_as_problem_documents(
    apps: dict[str, FastAPI],
) -> None:
    for service, app in apps.items():
        document = app.openapi()
        assert "HTTPValidationError" not in str(document), service
        for path, operations in document["paths"].items():
            for operation in operations.values():
                guarded = path not in {"/healthz", "/readyz", "/api/v1/dossier-lookups"}
                wanted = ["404", "409", "422", "429", "503"] + (["401", "403"] if guarded else [])
                for status in wanted:
                    content = operation["responses"][status]["content"]
                    assert list(content) == ["application/problem+json"], (service, path, status)
