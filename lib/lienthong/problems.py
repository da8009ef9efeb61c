"""RFC 9457 problem details for every HTTP API.

Why this exists: a portal or an officer's client must be able to act on an error without
parsing prose. Each problem has a stable ``type`` URI, a title, the status, a detail, and —
for invalid input — ``errors`` naming each field (JSON pointer style) and what is wrong.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://lienthong.gov.vn/problems/"


class Problem(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        type_: str,
        title: str,
        detail: str | None = None,
        errors: list[dict[str, str]] | None = None,
        *,
        retry_after: int | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or title)
        self.retry_after = retry_after
        self.status = status
        self.type = (
            type_ if type_.startswith("http") or type_ == "about:blank" else TYPE_BASE + type_
        )
        self.title = title
        self.detail = detail
        self.errors = errors
        self.extensions = extensions

    def body(self, instance: str | None = None) -> dict[str, Any]:
        doc: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status}
        if self.detail:
            doc["detail"] = self.detail
        if instance:
            doc["instance"] = instance
        if self.errors:
            doc["errors"] = self.errors
        doc.update(self.extensions)
        return doc


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    response = JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
    )
    if problem.retry_after is not None:
        response.headers["Retry-After"] = str(problem.retry_after)
    return response


#: Seconds a client is told to wait when a dependency (database, broker) is unavailable.
DEPENDENCY_RETRY_AFTER = 5

#: Exceptions that mean a dependency is down or overloaded, not that the request is wrong.
DEPENDENCY_ERRORS: tuple[type[Exception], ...] = (
    OSError,
    ConnectionError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.TooManyConnectionsError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
)


def dependency_unavailable(detail: str) -> Problem:
    return Problem(
        503,
        "dependency-unavailable",
        "A service this request needs is unavailable; retry later",
        detail,
        retry_after=DEPENDENCY_RETRY_AFTER,
    )


def _pointer(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return "/" + "/".join(parts) if parts else "/"


def install(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"pointer": _pointer(e.get("loc", ())), "detail": str(e.get("msg", "invalid"))}
            for e in exc.errors()
        ]
        problem = Problem(
            422,
            "validation-error",
            "The request has invalid fields",
            f"{len(errors)} field(s) are invalid",
            errors=errors,
        )
        return problem_response(problem, request)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        problem = Problem(exc.status_code, "about:blank", str(exc.detail), None)
        response = problem_response(problem, request)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    async def on_dependency(request: Request, exc: Exception) -> JSONResponse:
        log.warning("%s %s: dependency unavailable: %s", request.method, request.url.path, exc)
        return problem_response(dependency_unavailable(type(exc).__name__), request)

    app.add_exception_handler(Problem, on_problem)
    for error in DEPENDENCY_ERRORS:
        app.add_exception_handler(error, on_dependency)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
