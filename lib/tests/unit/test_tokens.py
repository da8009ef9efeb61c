"""Tokens: every required claim, a bounded lifetime, JWKS keys fetched off the event loop,
cached, and fetched again when the identity provider rotates its keys."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from lienthong.auth import TokenVerifier
from lienthong.problems import Problem

SECRET = "token-secret-0123456789abcdef0123456789"


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {"sub": "c1", "role": "citizen", "iss": "lienthong"}
    base |= {"aud": "lienthong", "iat": now, "exp": now + 600}
    for name, value in changes.items():
        if value is None:
            base.pop(name)
        else:
            base[name] = value
    return base


def hs256_verifier(max_lifetime: int = 3600) -> TokenVerifier:
    return TokenVerifier(
        secret=SECRET,
        jwks_url=None,
        issuer="lienthong",
        audience="lienthong",
        max_lifetime_seconds=max_lifetime,
    )


async def refused(verifier: TokenVerifier, token: str) -> Problem:
    with pytest.raises(Problem) as caught:
        await verifier.verify(token)
    return caught.value


@pytest.mark.parametrize("missing", ["exp", "iat", "iss", "aud"])
async def test_a_token_without_a_required_claim_is_refused(missing: str) -> None:
    token = jwt.encode(claims(**{missing: None}), SECRET, algorithm="HS256")
    problem = await refused(hs256_verifier(), token)
    assert problem.status == 401
    assert missing in str(problem.detail)


async def test_a_token_living_longer_than_the_maximum_is_refused() -> None:
    now = int(time.time())
    token = jwt.encode(claims(iat=now, exp=now + 30 * 86400), SECRET, algorithm="HS256")
    problem = await refused(hs256_verifier(max_lifetime=12 * 3600), token)
    assert problem.status == 401 and "lives too long" in problem.title


async def test_an_expired_token_is_refused_and_a_fresh_one_accepted() -> None:
    now = int(time.time())
    stale = jwt.encode(claims(iat=now - 7200, exp=now - 3600), SECRET, algorithm="HS256")
    assert (await refused(hs256_verifier(), stale)).status == 401
    fresh = jwt.encode(claims(), SECRET, algorithm="HS256")
    assert (await hs256_verifier().verify(fresh)).subject == "c1"


class IdentityProvider:
    """A JWKS endpoint on localhost whose keys can rotate and whose answers can be slow."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        self.delay = 0.0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.fetches += 1
                time.sleep(provider.delay)
                body = json.dumps(
                    {
                        "keys": [
                            {**json.loads(RSAAlgorithm.to_jwk(k.public_key())), "kid": kid}
                            | {"use": "sig", "alg": "RS256"}
                            for kid, k in provider.keys.items()
                        ]
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks"

    def rotate(self, kid: str) -> None:
        self.keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)}

    def sign(self, kid: str) -> str:
        return jwt.encode(claims(), self.keys[kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def provider() -> Iterator[IdentityProvider]:
    idp = IdentityProvider()
    thread = threading.Thread(target=idp.server.serve_forever, daemon=True)
    thread.start()
    yield idp
    idp.server.shutdown()


def jwks_verifier(provider: IdentityProvider, cooldown: float = 0.0) -> TokenVerifier:
    return TokenVerifier(
        secret=None,
        jwks_url=provider.url,
        issuer="lienthong",
        audience="lienthong",
        jwks_refetch_cooldown_seconds=cooldown,
    )


async def test_jwks_keys_are_cached_and_fetched_again_after_rotation(
    provider: IdentityProvider,
) -> None:
    provider.rotate("k1")
    verifier = jwks_verifier(provider)
    for _ in range(5):
        assert (await verifier.verify(provider.sign("k1"))).subject == "c1"
    assert provider.fetches == 1
    provider.rotate("k2")
    assert (await verifier.verify(provider.sign("k2"))).subject == "c1"
    assert provider.fetches == 2


async def test_unknown_key_ids_refetch_the_keys_at_most_once_per_cooldown(
    provider: IdentityProvider,
) -> None:
    provider.rotate("k1")
    verifier = jwks_verifier(provider, cooldown=60)
    await verifier.verify(provider.sign("k1"))
    forged = jwt.encode(claims(), "x" * 32, algorithm="HS256", headers={"kid": "invented"})
    for _ in range(5):
        assert (await refused(verifier, forged)).status == 401
    assert provider.fetches == 1


async def test_a_slow_jwks_fetch_does_not_block_the_event_loop(
    provider: IdentityProvider,
) -> None:
    provider.rotate("k1")
    provider.delay = 0.6
    verifier = jwks_verifier(provider)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    ticker = asyncio.create_task(tick())
    await verifier.verify(provider.sign("k1"))
    ticker.cancel()
    assert ticks >= 10  # the loop kept running while the keys were fetched
