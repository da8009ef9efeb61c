"""Bearer-token authentication with roles.

Why this exists: every API serves several kinds of caller — a citizen (their own data), an
officer scoped to an agency and an administrative unit, an auditor, an admin. Tokens are
OIDC-style JWTs: verified with a shared HS256 secret locally, or with the identity
provider's JWKS in production. Claims used: ``sub``, ``role``, ``agency``, ``unit``.

Every token must carry ``exp``, ``iat``, ``iss`` and ``aud``, and may not live longer than
``max_lifetime`` (``exp - iat``): a token without an expiry would be a password that never
changes. JWKS keys are fetched off the event loop (a worker thread), cached by PyJWT's
``PyJWKClient`` and fetched again when a token names a key id the cache does not hold, which
is how an identity provider's key rotation reaches every service without a restart.
"""

from __future__ import annotations

import asyncio
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


REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")
#: The longest a token may live (``exp - iat``) unless the deployment says otherwise.
DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600
#: Seconds a JWKS answer is kept before it is fetched again.
JWKS_CACHE_SECONDS = 300


class TokenVerifier:
    def __init__(
        self,
        *,
        secret: str | None,
        jwks_url: str | None,
        issuer: str,
        audience: str,
        max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS,
        leeway_seconds: int = 30,
        jwks_refetch_cooldown_seconds: float = 30,
    ) -> None:
        self._secret = secret
        # An unknown key id fetches the set again (rotation), at most once per cooldown, so a
        # flood of tokens with invented key ids cannot turn into a flood of JWKS requests.
        self._jwks = (
            jwt.PyJWKClient(
                jwks_url,
                cache_jwk_set=True,
                lifespan=JWKS_CACHE_SECONDS,
                timeout=5,
                cooldown_duration=jwks_refetch_cooldown_seconds,
            )
            if jwks_url
            else None
        )
        self._issuer = issuer
        self._audience = audience
        self._max_lifetime = max_lifetime_seconds
        self._leeway = leeway_seconds

    async def verify(self, token: str) -> Principal:
        """Verify a token; a JWKS fetch (first use, expiry, unknown key id) runs in a thread."""
        try:
            if self._jwks is not None:
                signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
                return self._decode(token, signing_key.key, ["RS256", "ES256"])
        except jwt.PyJWKClientConnectionError as exc:
            raise Problem(
                503,
                "identity-provider-unavailable",
                "The identity provider's keys cannot be fetched",
                str(exc),
                retry_after=5,
            ) from exc
        except jwt.PyJWTError as exc:
            raise Problem(401, "invalid-token", "The bearer token is not valid", str(exc)) from exc
        return self._decode(token, self._secret, ["HS256"])

    def _decode(self, token: str, key: Any, algorithms: list[str]) -> Principal:
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": list(REQUIRED_CLAIMS)},
            )
            role = Role(claims.get("role", ""))
        except (jwt.PyJWTError, ValueError) as exc:
            raise Problem(401, "invalid-token", "The bearer token is not valid", str(exc)) from exc
        lifetime = int(claims["exp"]) - int(claims["iat"])
        if lifetime > self._max_lifetime:
            raise Problem(
                401,
                "invalid-token",
                "The bearer token lives too long",
                f"exp - iat is {lifetime} s; at most {self._max_lifetime} s are accepted",
            )
        if int(claims["iat"]) > time.time() + self._leeway:
            raise Problem(401, "invalid-token", "The bearer token was issued in the future")
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
    return await verifier.verify(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Problem(403, "forbidden", "This role may not do that", f"role {principal.role}")
        return principal

    return dependency
