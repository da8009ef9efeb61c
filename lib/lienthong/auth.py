"""Bearer-token authentication with roles.

Why this exists: every API serves several kinds of caller — a citizen (their own data), an
officer scoped to an agency and an administrative unit, an auditor, an admin. Tokens are
OIDC-style JWTs: verified with a shared HS256 secret locally, or with the identity
provider's JWKS in production. Claims used: ``sub``, ``role``, ``agency``, ``unit``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lienthong.problems import Problem


class Role(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"
    AUDITOR = "auditor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    agency: str | None = None
    unit: str | None = None

    def may_see_personal_data(self) -> bool:
        return self.role in (Role.OFFICER, Role.AUDITOR, Role.ADMIN)


class TokenVerifier:
    def __init__(
        self,
        *,
        secret: str | None,
        jwks_url: str | None,
        issuer: str,
        audience: str,
    ) -> None:
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url) if jwks_url else None
        self._issuer = issuer
        self._audience = audience

    def verify(self, token: str) -> Principal:
        try:
            if self._jwks is not None:
                key: Any = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = ["RS256", "ES256"]
            else:
                key, algorithms = self._secret, ["HS256"]
            claims = jwt.decode(
                token, key, algorithms=algorithms, audience=self._audience, issuer=self._issuer
            )
            role = Role(claims.get("role", ""))
        except (jwt.PyJWTError, ValueError) as exc:
            raise Problem(401, "invalid-token", "The bearer token is not valid", str(exc)) from exc
        if role is Role.OFFICER and not (claims.get("agency") and claims.get("unit")):
            raise Problem(401, "invalid-token", "An officer token needs agency and unit claims")
        return Principal(str(claims["sub"]), role, claims.get("agency"), claims.get("unit"))


def issue_token(
    secret: str,
    *,
    subject: str,
    role: Role,
    agency: str | None = None,
    unit: str | None = None,
    issuer: str = "lienthong",
    audience: str = "lienthong",
    ttl_seconds: int = 8 * 3600,
) -> str:
    """Sign a token with the shared secret (local runs, tests and the demo only)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if agency:
        claims["agency"] = agency
    if unit:
        claims["unit"] = unit
    return jwt.encode(claims, secret, algorithm="HS256")


_bearer = HTTPBearer(auto_error=False)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise Problem(401, "missing-token", "A bearer token is required")
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Problem(403, "forbidden", "This role may not do that", f"role {principal.role}")
        return principal

    return dependency
