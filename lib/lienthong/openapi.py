"""Published contracts that tell the truth: every operation documents its error answers as
RFC 9457 problem documents.

Why this exists: FastAPI documents a 422 as ``application/json`` with its own error shape,
and nothing else; the services answer ``application/problem+json`` with 401, 403, 404,
409, 422, 429 and 503 as well. This fills each operation's ``responses`` from what the
shared shell really does (the policy tells which routes take a token), once, when the
document is first asked for — so routes added by any service are covered.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from lienthong.policy import route_rules
from lienthong.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "detail"],
                "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}

GUARDED = {
    "401": "No valid bearer token (missing, expired, without exp/iat/iss/aud, too long-lived)",
    "403": "The token's role, agency or unit may not do this",
}
ALWAYS = {
    "404": "No such resource (or not yours to know of)",
    "409": "The resource's state does not allow this now",
    "422": "Invalid fields, each named by a JSON pointer",
    "429": "Too many requests; see Retry-After",
    "503": "A dependency (database, broker, identity provider) is unavailable; see Retry-After",
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


def _problem_response(description: str, status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in ("429", "503"):
        response["headers"] = RETRY_AFTER
    return response


def document_problems(app: FastAPI) -> None:
    """Make ``app.openapi()`` document every error answer with the problem media type."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        rules = route_rules(app)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = PROBLEM_SCHEMA
        for schemas in ("HTTPValidationError", "ValidationError"):
            components.pop(schemas, None)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                rule = rules.get((method.upper(), path))
                answers = dict(ALWAYS)
                if rule is None or not rule.public:
                    answers = GUARDED | answers
                responses = operation.setdefault("responses", {})
                for status, description in answers.items():
                    responses[status] = _problem_response(description, status)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
