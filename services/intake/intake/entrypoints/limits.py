"""Request-size limit: an oversized body is refused with a 413 problem before it is parsed.

Why this exists: a dossier is a few kilobytes (at most 10 people and 50 document
references); anything much larger is a mistake or an attack, and parsing it would cost the
CPU the other submissions need. A declared ``Content-Length`` above the limit is refused
without reading the body; a chunked body is counted as it arrives and refused when it
crosses the limit.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lienthong.problems import Problem, problem_response

PAYLOAD_TOO_LARGE = "payload-too-large"


class PayloadTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")
        self.limit = limit


def too_large_problem(limit: int) -> Problem:
    return Problem(
        413,
        PAYLOAD_TOO_LARGE,
        "The request body is too large",
        f"the request body is larger than {limit} bytes",
        errors=[{"pointer": "/", "detail": f"at most {limit} bytes"}],
        max_bytes=limit,
    )


async def on_payload_too_large(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PayloadTooLarge)
    return problem_response(too_large_problem(exc.limit), request)


class BodySizeLimit:
    """Pure ASGI middleware refusing request bodies over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                too_large = False  # the server refuses a malformed length itself
            if too_large:
                response = problem_response(too_large_problem(self.max_bytes))
                response.headers["Connection"] = "close"
                await response(scope, receive, send)
                return
        seen = 0
        limit = self.max_bytes

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise PayloadTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)
