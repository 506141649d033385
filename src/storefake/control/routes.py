"""Control API endpoints shared by every vendor.

Bodies are JSON (or YAML for seeding); errors are `{"error": <text>}` with 400 or 404, never a vendor
shape, so a client can tell the fake's own answers from the vendor's.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.runtime import fake_of


def control_error(text: str, status: int = 400, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status, headers=headers)


def render_error(request: Request, exc: Exception) -> Response:
    """The control API's own errors (unknown path, wrong method, a refused value): `{"error": ...}`."""
    if isinstance(exc, HTTPException):
        return control_error(exc.detail, exc.status_code, exc.headers)
    return control_error(str(exc))


async def read_document(request: Request) -> Any:
    """The request body as JSON or YAML (YAML is a superset of JSON, so one safe parser reads both)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        if "json" in request.headers.get("content-type", ""):
            return json.loads(raw)
        return yaml.safe_load(raw)
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"body is not valid JSON or YAML: {exc}") from exc


async def health(request: Request) -> Response:
    fake = fake_of(request)
    return JSONResponse({"status": "ok", "clock": fake.clock.now(), "frozen": fake.clock.frozen})


async def reset(request: Request) -> Response:
    fake_of(request).reset()
    return JSONResponse({"reset": True})


async def seed(request: Request) -> Response:
    try:
        document = await read_document(request)
        if not isinstance(document, dict):
            return control_error("seed body must be a mapping of vendor sections")
        counts = fake_of(request).seed(document)
    except ValueError as exc:
        return control_error(str(exc))
    return JSONResponse({"seeded": counts})


async def get_journal(request: Request) -> Response:
    method = request.query_params.get("method")
    path = request.query_params.get("path")
    entries = fake_of(request).journal.filter(method=method, path=path)
    return JSONResponse({"entries": [e.to_dict() for e in entries], "count": len(entries)})


async def clear_journal(request: Request) -> Response:
    fake_of(request).journal.clear()
    return Response(status_code=204)


async def get_clock(request: Request) -> Response:
    clock = fake_of(request).clock
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


async def advance_clock(request: Request) -> Response:
    try:
        document = await read_document(request)
        seconds = float(document.get("seconds", 0)) if isinstance(document, dict) else float("nan")
        if not seconds >= 0:
            raise ValueError
    except (ValueError, TypeError):
        return control_error('body must be {"seconds": <non-negative number>}')
    clock = fake_of(request).clock
    clock.advance(seconds)
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


async def freeze_clock(request: Request) -> Response:
    try:
        document = await read_document(request)
        at = document.get("at") if isinstance(document, dict) else None
        at = None if at is None else float(at)
    except (ValueError, TypeError):
        return control_error('body must be {} or {"at": <epoch seconds>}')
    clock = fake_of(request).clock
    clock.freeze(at)
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


async def unfreeze_clock(request: Request) -> Response:
    clock = fake_of(request).clock
    clock.unfreeze()
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/reset", reset, methods=["POST"]),
    Route("/seed", seed, methods=["POST"]),
    Route("/journal", get_journal, methods=["GET"]),
    Route("/journal", clear_journal, methods=["DELETE"]),
    Route("/clock", get_clock, methods=["GET"]),
    Route("/clock/advance", advance_clock, methods=["POST"]),
    Route("/clock/freeze", freeze_clock, methods=["POST"]),
    Route("/clock/unfreeze", unfreeze_clock, methods=["POST"]),
]
