"""A local OpenID provider for ``make run`` and tests: the dev issuer behind a login form.

Why this exists: the dashboard signs in with the OIDC authorization code flow and PKCE
against whatever identity provider a deployment names. On a developer's machine and in the
e2e tests there is none; rather than a second runtime (ADR 0144 weighs the OIDC servers the
registries offer), this module puts the project's dev issuer (``lienthong.auth.issue_token``,
HS256 with ``AUTH_JWT_SECRET``, the key every local service already verifies with) behind
the three endpoints a browser client needs:
discovery, the authorization endpoint (a login form; ``code_challenge_method=S256`` only)
and the token endpoint (which checks the PKCE verifier, the client id and the redirect
URI). Codes are single use, live 60 s and are kept in memory.

It is mounted only when ``DEV_IDENTITY_PROVIDER`` is set, and the settings refuse that
outside ``LIENTHONG_ENV=dev``/``test``: a production deployment never serves it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import time
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

import jwt
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from lienthong.auth import Role, issue_token
from lienthong.policy import public

PREFIX = "/dev-idp"
CODE_TTL_SECONDS = 60
TOKEN_TTL_SECONDS = 3600


@dataclass(frozen=True)
class DevAccount:
    role: Role
    name: str
    agency: str | None = None
    unit: str | None = None


#: The accounts of the login form. Real GSO code: 51 is Quảng Ngãi.
ACCOUNTS: dict[str, DevAccount] = {
    "thanhtra": DevAccount(Role.AUDITOR, "Thanh tra Sở Tư pháp"),
    "canbo.quangngai": DevAccount(Role.OFFICER, "Cán bộ Sở Tư pháp Quảng Ngãi", "JUSTICE", "51"),
}


@dataclass(frozen=True)
class _Grant:
    subject: str
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str | None
    expires: float


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _problem(status: int, error: str, description: str) -> JSONResponse:
    """Token endpoint errors in the shape OAuth clients read (RFC 6749 §5.2)."""
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _form_page(params: dict[str, str], message: str = "") -> HTMLResponse:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in params.items()
    )
    options = "".join(
        f'<option value="{html.escape(u)}">{html.escape(a.name)} ({html.escape(u)})</option>'
        for u, a in ACCOUNTS.items()
    )
    error = f'<p role="alert" id="error">{html.escape(message)}</p>' if message else ""
    return HTMLResponse(
        f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập (máy chủ định danh thử nghiệm)</title>
<style>body{{font-family:system-ui,sans-serif;max-width:360px;margin:40px auto;padding:0 16px}}
label{{display:block;margin:8px 0}}input,select,button{{width:100%;padding:6px}}
#error{{color:#c0392b}}</style></head><body>
<h1>Đăng nhập</h1><p><small>Máy chủ định danh thử nghiệm — chỉ dùng khi phát triển.</small></p>
{error}<form method="post" action="{PREFIX}/authorize" id="login">{hidden}
<label>Tài khoản <select name="username" id="username">{options}</select></label>
<label>Mật khẩu <input type="password" name="password" id="password"
 autocomplete="current-password"></label>
<button type="submit" id="submit">Đăng nhập</button></form></body></html>""",
        status_code=400 if message else 200,
    )


class DevIdentityProvider:
    def __init__(self, *, secret: str, password: str, token_issuer: str, audience: str) -> None:
        self._secret = secret
        self._password = password
        self._token_issuer = token_issuer
        self._audience = audience
        self._grants: dict[str, _Grant] = {}

    def discovery(self, issuer: str) -> dict[str, Any]:
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["HS256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "scopes_supported": ["openid", "profile"],
        }

    def grant(self, subject: str, params: dict[str, str]) -> str:
        now = time.time()
        for code in [c for c, g in self._grants.items() if g.expires < now]:
            del self._grants[code]
        code = secrets.token_urlsafe(32)
        self._grants[code] = _Grant(
            subject,
            params["client_id"],
            params["redirect_uri"],
            params["code_challenge"],
            params.get("nonce") or None,
            now + CODE_TTL_SECONDS,
        )
        return code

    def exchange(
        self, code: str, client_id: str, redirect_uri: str, verifier: str
    ) -> dict[str, Any] | str:
        """Tokens for a code, or why not. A code is spent by its first exchange."""
        grant = self._grants.pop(code, None)
        if grant is None or grant.expires < time.time():
            return "the code is unknown, spent or expired"
        if grant.client_id != client_id or grant.redirect_uri != redirect_uri:
            return "client_id or redirect_uri differ from the authorization request"
        if not secrets.compare_digest(s256(verifier), grant.challenge):
            return "the code_verifier does not match the code_challenge"
        account = ACCOUNTS[grant.subject]
        access = issue_token(
            self._secret,
            subject=grant.subject,
            role=account.role,
            agency=account.agency,
            unit=account.unit,
            issuer=self._token_issuer,
            audience=self._audience,
            ttl_seconds=TOKEN_TTL_SECONDS,
        )
        now = int(time.time())
        id_claims: dict[str, Any] = {
            "iss": self._token_issuer,
            "sub": grant.subject,
            "aud": client_id,
            "iat": now,
            "exp": now + TOKEN_TTL_SECONDS,
            "name": account.name,
        }
        if grant.nonce:
            id_claims["nonce"] = grant.nonce
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": TOKEN_TTL_SECONDS,
            "id_token": jwt.encode(id_claims, self._secret, algorithm="HS256"),
            "scope": "openid profile",
        }

    def check_password(self, username: str, password: str) -> bool:
        return username in ACCOUNTS and secrets.compare_digest(password, self._password)


_AUTHORIZE_PARAMS = ("response_type", "client_id", "redirect_uri", "code_challenge")
_PASSED_ON = (*_AUTHORIZE_PARAMS, "code_challenge_method", "state", "nonce", "scope")


def _authorize_error(params: dict[str, str], origin: str) -> str | None:
    missing = [k for k in _AUTHORIZE_PARAMS if not params.get(k)]
    if missing:
        return "missing: " + ", ".join(missing)
    if params["response_type"] != "code":
        return "only response_type=code is supported"
    if params.get("code_challenge_method") != "S256":
        return "PKCE with code_challenge_method=S256 is required"
    if not params["redirect_uri"].startswith(origin):
        return "redirect_uri must be on this server (the dev provider serves its own pages)"
    return None


def router(provider: DevIdentityProvider) -> APIRouter:
    r = APIRouter(prefix=PREFIX, tags=["dev identity provider"], include_in_schema=False)
    limited = [Depends(public("dev_identity_provider.sign_in"))]
    open_ = [Depends(public("dev_identity_provider.discovery", limited=False))]

    def issuer_of(request: Request) -> str:
        return str(request.base_url).rstrip("/") + PREFIX

    @r.get("/.well-known/openid-configuration", dependencies=open_)
    async def discovery(request: Request) -> dict[str, Any]:
        return provider.discovery(issuer_of(request))

    @r.get("/authorize", dependencies=open_)
    async def authorize_form(request: Request) -> Response:
        params = {k: v for k, v in request.query_params.items() if k in _PASSED_ON}
        error = _authorize_error(params, str(request.base_url))
        if error:
            return HTMLResponse(f"<p>{html.escape(error)}</p>", status_code=400)
        return _form_page(params)

    @r.post("/authorize", dependencies=limited)
    async def authorize(
        request: Request,
        username: Annotated[str, Form()],
        password: Annotated[str, Form()] = "",
    ) -> Response:
        form = await request.form()
        params = {k: str(v) for k, v in form.items() if k in _PASSED_ON}
        error = _authorize_error(params, str(request.base_url))
        if error:
            return HTMLResponse(f"<p>{html.escape(error)}</p>", status_code=400)
        if not provider.check_password(username, password):
            return _form_page(params, "Sai tài khoản hoặc mật khẩu.")
        code = provider.grant(username, params)
        answer = {"code": code}
        if params.get("state"):
            answer["state"] = params["state"]
        return RedirectResponse(f"{params['redirect_uri']}?{urlencode(answer)}", status_code=303)

    @r.post("/token", dependencies=limited)
    async def token(
        grant_type: Annotated[str, Form()],
        code: Annotated[str, Form()] = "",
        redirect_uri: Annotated[str, Form()] = "",
        client_id: Annotated[str, Form()] = "",
        code_verifier: Annotated[str, Form()] = "",
    ) -> Response:
        if grant_type != "authorization_code":
            return _problem(400, "unsupported_grant_type", "only authorization_code")
        if not code_verifier:
            return _problem(400, "invalid_request", "code_verifier is required (PKCE)")
        answer = provider.exchange(code, client_id, redirect_uri, code_verifier)
        if isinstance(answer, str):
            return _problem(400, "invalid_grant", answer)
        return JSONResponse(answer, headers={"Cache-Control": "no-store"})

    return r
