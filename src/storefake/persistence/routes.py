"""`GET /__storefake/persistence`: is the fake persisted, where, and what its last start restored."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.runtime import fake_of


async def persistence_status(request: Request) -> Response:
    persistence = fake_of(request).persistence
    if persistence is None:
        return JSONResponse({"enabled": False})
    return JSONResponse(persistence.status())


routes = [
    Route("/persistence", persistence_status, methods=["GET"]),
]
