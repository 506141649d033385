"""Control API for mock rules, mounted under /__storefake: list, add, read and remove rules.

Bodies are JSON or YAML (one rule, a list, or {"rules": [...]}); errors use the control API's own
`{"error": <text>}` shape, never a vendor's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.control.routes import control_error, read_document
from storefake.runtime import fake_of


async def list_mocks(request: Request) -> Response:
    rules = fake_of(request).mocks.to_list()
    return JSONResponse({"rules": rules, "count": len(rules)})


async def add_mocks(request: Request) -> Response:
    """`?first=true` puts the new rules ahead of the existing ones (rules are tried in order)."""
    first = request.query_params.get("first", "").lower() in ("1", "true", "yes")
    try:
        document = await read_document(request)
        added = fake_of(request).mocks.add(document, first=first)
    except ValueError as exc:  # RuleError is a ValueError, and so are unreadable bodies
        return control_error(str(exc))
    return JSONResponse({"added": [rule.to_dict() for rule in added]}, status_code=201)


async def get_mock(request: Request) -> Response:
    rule_id = request.path_params["rule_id"]
    try:
        return JSONResponse(fake_of(request).mocks[rule_id].to_dict())
    except KeyError:
        return control_error(f"no mock rule with id {rule_id!r}", 404)


async def delete_mock(request: Request) -> Response:
    rule_id = request.path_params["rule_id"]
    try:
        fake_of(request).mocks.remove(rule_id)
    except KeyError:
        return control_error(f"no mock rule with id {rule_id!r}", 404)
    return Response(status_code=204)


async def clear_mocks(request: Request) -> Response:
    fake_of(request).mocks.clear()
    return Response(status_code=204)


routes = [
    Route("/mocks", list_mocks, methods=["GET"]),
    Route("/mocks", add_mocks, methods=["POST"]),
    Route("/mocks", clear_mocks, methods=["DELETE"]),
    Route("/mocks/{rule_id}", get_mock, methods=["GET"]),
    Route("/mocks/{rule_id}", delete_mock, methods=["DELETE"]),
]
