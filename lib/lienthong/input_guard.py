"""Refuse control characters in any text a client sends, before a route sees it.

Why this exists: a NUL byte in a name or a search term went through validation, reached
PostgreSQL (which cannot store it in ``text``) and came back as HTTP 500; other control
characters end up in certificates, logs and agency systems. No legitimate field of these
APIs carries them. One ASGI layer checks every JSON body (keys and values, at any depth),
the query string and the path, and answers 422 naming the field (JSON pointer) — so every
route of every service is covered, including routes added later. Tab, line feed and
carriage return are allowed (free-text reasons have lines).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lienthong.problems import PROBLEM_JSON

#: C0 controls except TAB, LF, CR; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Bodies larger than this are left to the service's own size limit.
MAX_INSPECTED_BYTES = 8 * 1024 * 1024


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def control_characters(value: Any, pointer: str = "") -> Iterator[str]:
    """JSON pointers of every string (key or value) in ``value`` holding a control character."""
    if isinstance(value, str):
        if CONTROL.search(value):
            yield pointer or "/"
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{pointer}/{_escape(str(key))}"
            if CONTROL.search(str(key)):
                yield child
            yield from control_characters(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from control_characters(item, f"{pointer}/{index}")


def _problem(pointers: list[str], path: str) -> bytes:
    return json.dumps(
        {
            "type": "https://lienthong.gov.vn/problems/validation-error",
            "title": "The request has invalid fields",
            "status": 422,
            "detail": f"{len(pointers)} field(s) are invalid",
            "instance": path,
            "errors": [
                {"pointer": p, "detail": "must not contain control characters"} for p in pointers
            ],
        }
    ).encode()


class RefuseControlCharacters:
    """Pure ASGI: inspects the path, the query string and JSON bodies; replays the body."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        pointers = ["/path"] if CONTROL.search(unquote(path)) else []
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            if CONTROL.search(value) or CONTROL.search(name):
                pointers.append("/" + _escape(name))
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        if pointers or "json" not in content_type:
            if pointers:
                await self._refuse(send, pointers, path)
            else:
                await self._app(scope, receive, send)
            return
        body, more, messages = b"", True, []
        while more and len(body) <= MAX_INSPECTED_BYTES:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if not more and body:
            try:
                document = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                document = None  # malformed JSON is the route's validation to report
            pointers = list(control_characters(document))
            if pointers:
                await self._refuse(send, pointers, path)
                return
        await self._app(scope, _replay(messages, receive), send)

    @staticmethod
    async def _refuse(send: Send, pointers: list[str], path: str) -> None:
        body = _problem(pointers, path)
        await send(
            {
                "type": "http.response.start",
                "status": 422,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
