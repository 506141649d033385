"""BigCommerce test helpers: a client and the store, an event recorder, and a real webhook receiver."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.server import ThreadedServer
from storefake.transport import SyncASGITransport


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A small Starlette app on a real socket that records every POST; it can fail its first N calls."""

    def __init__(self) -> None:
        self.calls: list[Received] = []
        self.fail_first = 0
        self.always_fail = False
        self.hold: threading.Event | None = None  # when set, each call waits for it before it is recorded
        self._lock = threading.Lock()
        self._seen = 0
        app = Starlette(
            routes=[
                Route("/__storefake/health", self._health, methods=["GET"]),  # ThreadedServer's readiness probe
                Route("/{path:path}", self._receive, methods=["POST"]),
            ]
        )
        self.server = ThreadedServer(app)

    async def _health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        if self.hold is not None:
            await anyio.to_thread.run_sync(self.hold.wait, 10)
        with self._lock:
            self._seen += 1
            failing = self.always_fail or self._seen <= self.fail_first
            self.calls.append(Received(request.url.path, dict(request.headers), body))
        return Response(status_code=500 if failing else 200)

    def url(self, path: str = "/hooks") -> str:
        return self.server.url + path

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until `count` calls arrived (or fail the test)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.calls) >= count:
                    return list(self.calls)
            time.sleep(0.01)
        raise AssertionError(f"expected {count} webhook calls, got {len(self.calls)}")


@pytest.fixture
def receiver():
    """A running webhook receiver (real uvicorn socket on 127.0.0.1)."""
    r = Receiver()
    with r.server:
        yield r


@pytest.fixture
def bc(app):
    """A client of store abc123 with the full-access token."""
    headers = {"X-Auth-Token": "storefake-bc-token"}
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver", headers=headers) as client:
        yield client


@pytest.fixture
def store(fake):
    return fake.bigcommerce.stores.get("abc123")


@pytest.fixture
def events(store, monkeypatch):
    """Every (scope, data) the store announces, in order; the real `emit` still runs."""
    seen: list[tuple[str, dict]] = []
    real_emit = store.emit

    def record(scope, data):
        seen.append((scope, dict(data)))
        real_emit(scope, data)

    monkeypatch.setattr(store, "emit", record)
    return seen
