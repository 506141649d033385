"""The control API's persistence endpoints: `GET /__storefake/persistence` (is the fake persisted, where, what
its last start restored, any divergence) and `POST /__storefake/persistence/snapshot` (take one now)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.control.routes import control_error
from storefake.runtime import fake_of


async def persistence_status(request: Request) -> Response:
    persistence = fake_of(request).persistence
    if persistence is None:
        return JSONResponse({"enabled": False})
    return JSONResponse(persistence.status())


async def take_snapshot(request: Request) -> Response:
    persistence = fake_of(request).persistence
    if persistence is None:
        return control_error("persistence is off: start the fake with a data dir (--data-dir)", 409)
    # Pickling a large state takes a while: off the event loop, which goes on serving reads.
    row = await run_in_threadpool(persistence.snapshot)
    if row is None:
        return control_error(persistence.notes[-1] if persistence.notes else "no snapshot was taken", 409)
    return JSONResponse({"snapshot": row}, status_code=201)


routes = [
    Route("/persistence", persistence_status, methods=["GET"]),
    Route("/persistence/snapshot", take_snapshot, methods=["POST"]),
]
