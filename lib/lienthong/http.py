"""The FastAPI shell every service shares: problems, auth, health, metrics, tracing, workers.

Why this exists: uvicorn owns the event loop of every process; the service's stream workers
(outbox relay, consumers) run as supervised background tasks of the app's lifespan, so one
process has one loop, one shutdown path and one ``/readyz`` that reflects its workers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import Depends, FastAPI, Request, Response
from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lienthong import problems
from lienthong.auth import TokenVerifier
from lienthong.input_guard import RefuseControlCharacters
from lienthong.openapi import document_problems
from lienthong.policy import public
from lienthong.ratelimit import RateLimits
from lienthong.settings import ServiceSettings
from lienthong.telemetry import tracer

log = logging.getLogger(__name__)

Worker = Callable[[asyncio.Event], Awaitable[None]]
ReadinessCheck = Callable[[], Awaitable[None]]


@dataclass
class Runtime:
    """What the lifespan starts: named workers and readiness checks."""

    workers: dict[str, Worker] = field(default_factory=dict)
    checks: dict[str, ReadinessCheck] = field(default_factory=dict)
    on_shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


Startup = Callable[[FastAPI], Awaitable[Runtime]]


async def _supervise(name: str, worker: Worker, stop: asyncio.Event) -> None:
    backoff = 1.0
    while not stop.is_set():
        try:
            await worker(stop)
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("worker %s crashed; restarting in %.0fs", name, backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), backoff)
            backoff = min(backoff * 2, 30.0)


_UNTRACED = frozenset({"/healthz", "/readyz", "/metrics"})
_PROPAGATOR = TraceContextTextMapPropagator()


class _TraceRequests:
    """A SERVER span per request, continuing the caller's ``traceparent`` (pure ASGI: no
    per-request task and body copy as with ``BaseHTTPMiddleware``)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in _UNTRACED:
            await self._app(scope, receive, send)
            return
        ctx = None  # FastAPI's own instrumentation, when active, has already continued it
        if not trace.get_current_span().get_span_context().is_valid:
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            ctx = _PROPAGATOR.extract(headers)
        name = f"{scope['method']} {scope['path']}"
        with tracer().start_as_current_span(name, context=ctx, kind=trace.SpanKind.SERVER) as span:

            async def send_with_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                    route = scope.get("route")
                    if route is not None:
                        span.update_name(
                            f"{scope['method']} {getattr(route, 'path', scope['path'])}"
                        )
                await send(message)

            await self._app(scope, receive, send_with_status)


def create_service_app(
    *,
    title: str,
    description: str,
    settings: ServiceSettings,
    startup: Startup,
    version: str = "0.1.0",
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await startup(app)
        app.state.runtime = runtime
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(_supervise(name, worker, stop), name=name)
            for name, worker in runtime.workers.items()
        ]
        try:
            yield
        finally:
            stop.set()
            _, pending = await asyncio.wait(tasks, timeout=15) if tasks else (set(), set())
            for task in pending:
                task.cancel()
            for hook in runtime.on_shutdown:
                with contextlib.suppress(Exception):
                    await hook()

    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan)
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(
        secret=settings.auth_jwt_secret,
        jwks_url=settings.auth_jwks_url,
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        max_lifetime_seconds=settings.auth_max_token_lifetime_s,
    )
    app.state.rate_limits = RateLimits(
        {
            "client": settings.rate_limit_per_client,
            "subject": settings.rate_limit_per_subject,
            "citizen": settings.rate_limit_per_citizen,
        }
    )
    problems.install(app)
    document_problems(app)

    app.add_middleware(RefuseControlCharacters)
    app.add_middleware(_TraceRequests)

    operations = [Depends(public("operations.probe", limited=False))]

    @app.get("/healthz", tags=["operations"], dependencies=operations)
    async def healthz() -> dict[str, str]:
        """Liveness: the process is up."""
        return {"status": "ok", "service": settings.service_name}

    @app.get("/readyz", tags=["operations"], dependencies=operations)
    async def readyz(request: Request) -> Response:
        """Readiness: dependencies answer and every worker is running."""
        runtime: Runtime | None = getattr(request.app.state, "runtime", None)
        failures: dict[str, str] = {}
        if runtime is None:
            failures["startup"] = "not started"
        else:
            for name, check in runtime.checks.items():
                try:
                    await asyncio.wait_for(check(), 2.0)
                except Exception as exc:
                    failures[name] = f"{type(exc).__name__}: {exc}"
        if failures:
            problem = problems.Problem(
                503, "not-ready", "The service is not ready", checks=failures
            )
            return problems.problem_response(problem, request)
        return Response('{"status":"ready"}', media_type="application/json")

    @app.get("/metrics", tags=["operations"], include_in_schema=False, dependencies=operations)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
