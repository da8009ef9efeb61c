"""Who may do what to which resource: one declarative authorization policy for every route.

Why this exists: a role check alone let any officer of any agency and unit read any
dossier, cancel another province's bundle or merge citizen records. Every route of every
service now declares, next to its path, a :class:`Rule` — for each role, the *scope* it is
granted — and the handler asks the rule about the resource it loaded
(:meth:`Access.require`). The rule is data, so one test enumerates every route of every app
and checks that each has one, and a matrix test runs role × agency × unit × ownership
through the same code the routes call.

Scopes:
- ``ALL``: every resource the route serves (admins; aggregate counts).
- ``UNIT``: an officer, for resources handled at their unit or a unit below it, and — when
  the resource names the agencies concerned — only if the officer's agency is one of them.
- ``OWN``: a citizen, for resources that name the token's subject as applicant or party.
- ``AUDITED``: like ``ALL``, and every read of personal data is recorded (who, what, purpose).

Field needs: an officer sees the personal fields their agency needs (:data:`AGENCY_FIELDS`);
the others come back masked (:meth:`Access.reveals`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Protocol

import asyncpg
from fastapi import Depends, Request

from lienthong.auth import CurrentPrincipal, Principal, Role
from lienthong.problems import Problem
from lienthong.ratelimit import RateLimits
from lienthong.subjects import SubjectIds
from lienthong.vn.units import LAYOUT_PRE_REFORM, day_in_vietnam, units

log = logging.getLogger(__name__)


class Scope(StrEnum):
    ALL = "all"
    UNIT = "unit"
    OWN = "own"
    AUDITED = "audited"


#: Personal fields each agency's officers need; every other personal field is masked.
AGENCY_FIELDS: Mapping[str, frozenset[str]] = {
    "POLICE": frozenset({"full_name", "id_number", "birth_date", "gender"}),
    "JUSTICE": frozenset({"full_name", "id_number", "birth_date", "gender"}),
    "BHXH": frozenset({"full_name", "id_number", "birth_date", "gender"}),
    "LDTBXH": frozenset({"full_name", "id_number", "birth_date"}),
}
#: Personal fields of any agency not listed above.
DEFAULT_FIELDS: frozenset[str] = frozenset({"full_name"})

#: The agency accountable for each reference agency system (saga step owners).
SYSTEM_AGENCY: Mapping[str, str] = {
    "civil_registry": "JUSTICE",
    "identity": "POLICE",
    "population_registry": "POLICE",
    "residence": "POLICE",
    "health_insurance": "BHXH",
    "insurance": "BHXH",
    "welfare": "LDTBXH",
}

#: Header a caller may send to state why it reads personal data (recorded with the read).
PURPOSE_HEADER = "X-Purpose"


@dataclass(frozen=True)
class Rule:
    """What a route does and which scope each role gets for it; roles not named are refused."""

    action: str
    grants: Mapping[Role, Scope]
    personal_data: bool = False
    public: bool = False
    #: Officers of these agencies only (None: the resource decides, or any agency).
    agencies: frozenset[str] | None = None

    def scope_of(self, role: Role) -> Scope | None:
        return self.grants.get(role)


@dataclass(frozen=True)
class Resource:
    """What a rule is asked about: where it is handled, by whom, and whose it is."""

    kind: str
    id: str
    unit_code: str | None = None
    #: Agencies concerned (None: any agency's officer in the unit subtree).
    agencies: frozenset[str] | None = None
    #: Pseudonymous subject ids of the applicant and every party.
    parties: frozenset[str] = field(default_factory=frozenset)


class UnitScope(Protocol):
    def __call__(self, scope_unit: str, unit_code: str, as_of: date | None = None) -> bool: ...


def _on_day(as_of: date | None) -> date:
    return as_of or day_in_vietnam(datetime.now(UTC))


def is_known_unit(unit_code: str, as_of: date | None = None) -> bool:
    """Whether ``unit_code`` names an administrative unit on ``as_of`` or in the last
    three-tier layout (records keep the codes of the day they were made)."""
    directory = units()
    return (
        directory.get(unit_code, _on_day(as_of)) is not None
        or directory.get(unit_code, LAYOUT_PRE_REFORM) is not None
    )


def unit_covers(scope_unit: str, unit_code: str, as_of: date | None = None) -> bool:
    """Whether ``unit_code`` is ``scope_unit`` or a unit below it (GSO codes).

    The one place the policy decides a unit scope, on the unit library's hierarchy in
    both layouts (``lienthong.vn.units``). An officer whose unit belongs to the three-tier
    layout (a district, abolished on 1 July 2025) keeps the scope it had on the last day
    of that layout.
    """
    directory = units()
    day = _on_day(as_of)
    if directory.get(scope_unit, day) is None:
        day = LAYOUT_PRE_REFORM
    return directory.covers(scope_unit, unit_code, day)


def citizen_subject(principal: Principal, subjects: SubjectIds | None) -> str:
    """The pseudonymous subject id a citizen token stands for.

    An e-identity provider names the citizen by their 12-digit personal ID number; a token
    may also carry the subject id itself. Both resolve to the subject id the services store.
    """
    sub = principal.subject
    if subjects is not None and len(sub) == 12 and sub.isdigit():
        return subjects.for_id_number(sub)
    return sub


@dataclass
class Access:
    """A principal's grant on one route; the handler asks it about the resource it loaded."""

    principal: Principal
    rule: Rule
    scope: Scope
    request: Request | None = None
    subjects: SubjectIds | None = None
    unit_scope: UnitScope = unit_covers

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def subject(self) -> str:
        """The caller's subject id (resolved from an ID number for a citizen)."""
        if self.principal.role is Role.CITIZEN:
            return citizen_subject(self.principal, self.subjects)
        return self.principal.subject

    def allows(self, resource: Resource) -> bool:
        if self.scope in (Scope.ALL, Scope.AUDITED):
            return True
        if self.scope is Scope.OWN:
            return self.subject in resource.parties
        if self.scope is Scope.UNIT:
            return self._within_unit(resource)
        return False

    def _within_unit(self, resource: Resource) -> bool:
        agency, unit = self.principal.agency, self.principal.unit
        if agency is None or unit is None:
            return False
        if self.rule.agencies is not None and agency not in self.rule.agencies:
            return False
        if resource.agencies is not None and agency not in resource.agencies:
            return False
        return resource.unit_code is not None and self.unit_scope(unit, resource.unit_code)

    def require(self, resource: Resource) -> None:
        """Refuse unless the grant covers ``resource``.

        A citizen gets 404 for another person's resource (its existence is not theirs to
        learn); an officer gets 403 naming the scope.
        """
        if self.allows(resource):
            return
        if self.scope is Scope.OWN:
            raise Problem(404, "not-found", f"No such {resource.kind}")
        raise Problem(
            403,
            "outside-your-scope",
            f"This {resource.kind} is outside your agency and unit",
            f"{self.principal.agency}/{self.principal.unit} may not {self.rule.action} "
            f"{resource.kind} of unit {resource.unit_code}",
        )

    def require_unit(self, unit_code: str) -> None:
        """For writes naming a unit: an officer acts only within their unit subtree."""
        if self.scope is Scope.UNIT:
            self.require(Resource("unit", unit_code, unit_code=unit_code))

    def reveals(self, personal_field: str) -> bool:
        """Whether the caller may see ``personal_field`` of a resource they were allowed."""
        if self.role in (Role.ADMIN, Role.AUDITOR):
            return True
        if self.role is Role.CITIZEN:
            return self.scope is Scope.OWN
        agency = self.principal.agency or ""
        return personal_field in AGENCY_FIELDS.get(agency, DEFAULT_FIELDS)

    @property
    def purpose(self) -> str:
        stated = self.request.headers.get(PURPOSE_HEADER) if self.request is not None else None
        return (stated or self.rule.action)[:200]

    async def record_read(
        self, conn: asyncpg.Connection, resource: Resource, fields: Collection[str] = ()
    ) -> None:
        """Record a read of personal data: who, what, for what purpose (same database)."""
        if not self.rule.personal_data:
            return
        await conn.execute(
            """INSERT INTO personal_data_reads
                   (reader, reader_role, reader_agency, reader_unit, action, resource_kind,
                    resource_id, fields, purpose)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            self.principal.subject,
            self.role.value,
            self.principal.agency,
            self.principal.unit,
            self.rule.action,
            resource.kind,
            resource.id,
            sorted(fields),
            self.purpose,
        )


def _refused(principal: Principal, rule: Rule) -> Problem:
    detail = f"role {principal.role} may not {rule.action}"
    return Problem(403, "forbidden", "This role may not do that", detail)


def decide(principal: Principal, rule: Rule) -> Scope:
    """The scope ``principal`` gets from ``rule``; 403 when none."""
    scope = rule.scope_of(principal.role)
    if scope is None:
        raise _refused(principal, rule)
    if (
        principal.role is Role.OFFICER
        and rule.agencies is not None
        and principal.agency not in rule.agencies
    ):
        raise Problem(
            403,
            "outside-your-scope",
            "Your agency may not do that",
            f"{rule.action} is for officers of {', '.join(sorted(rule.agencies))}",
        )
    return scope


AccessDependency = Callable[..., Coroutine[Any, Any, Access]]


def guard(
    action: str,
    *,
    citizen: Scope | None = None,
    officer: Scope | None = None,
    auditor: Scope | None = None,
    admin: Scope | None = Scope.ALL,
    personal_data: bool = False,
    agencies: Collection[str] | None = None,
) -> AccessDependency:
    """A route dependency that authenticates, applies the rule, and hands back an Access."""
    grants = {
        role: scope
        for role, scope in (
            (Role.CITIZEN, citizen),
            (Role.OFFICER, officer),
            (Role.AUDITOR, auditor),
            (Role.ADMIN, admin),
        )
        if scope is not None
    }
    rule = Rule(
        action,
        grants,
        personal_data=personal_data,
        agencies=frozenset(agencies) if agencies is not None else None,
    )

    async def dependency(request: Request, principal: CurrentPrincipal) -> Access:
        scope = decide(principal, rule)
        subjects: SubjectIds | None = getattr(request.app.state, "subjects", None)
        access = Access(principal, rule, scope, request, subjects)
        limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
        if limits is not None and principal.role is Role.CITIZEN:
            await limits.check("citizen", access.subject)
        return access

    dependency.__lienthong_rule__ = rule  # type: ignore[attr-defined]
    return dependency


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def public(action: str, *, limited: bool = True) -> Callable[..., Coroutine[Any, Any, None]]:
    """A route dependency that marks a route as open without a token, limited per client
    address unless ``limited`` is false (health probes, metrics)."""
    rule = Rule(action, {}, public=True)

    async def dependency(request: Request) -> None:
        limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
        if limited and limits is not None:
            await limits.check("client", client_address(request))

    dependency.__lienthong_rule__ = rule  # type: ignore[attr-defined]
    return dependency


def rule_of(dependency: Any) -> Rule | None:
    rule: Rule | None = getattr(dependency, "__lienthong_rule__", None)
    return rule


def _api_routes(routes: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path, route) of every API route, through included routers of any depth."""
    from fastapi.routing import APIRoute

    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):  # FastAPI ≥ 0.16x keeps includes lazily
            context = getattr(route, "include_context", None)
            yield from _api_routes(
                route.original_router.routes, prefix + str(getattr(context, "prefix", "") or "")
            )


def route_rules(app: Any) -> dict[tuple[str, str], Rule | None]:
    """Every (method, path) of ``app``'s API routes and the rule guarding it (None: unguarded)."""
    found: dict[tuple[str, str], Rule | None] = {}
    for path, route in _api_routes(app.routes):
        rule = None
        stack = list(route.dependant.dependencies)
        while stack and rule is None:
            dep = stack.pop()
            rule = rule_of(dep.call)
            stack.extend(dep.dependencies)
        for method in route.methods or ():
            found[(method, path)] = rule
    return found


def as_principal(dependency: AccessDependency) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """The guard's principal, for routes whose scope needs no resource check beyond the rule's
    agencies (writes to an agency's own register, aggregate counts)."""

    # A default, not ``Annotated``: the annotation is a string here and could not name the
    # local ``dependency``.
    async def principal(access: Access = Depends(dependency)) -> Principal:  # noqa: B008
        return access.principal

    return principal


def require_officer_unit(principal: Principal, unit_code: str) -> None:
    """An officer writes only for their unit subtree (others' scope is decided by the rule)."""
    if principal.role is not Role.OFFICER:
        return
    if principal.unit is None or not unit_covers(principal.unit, unit_code):
        raise Problem(
            403,
            "outside-your-scope",
            "This unit is outside your unit",
            f"unit {unit_code} is not within {principal.unit}",
        )
