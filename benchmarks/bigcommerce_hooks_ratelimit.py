"""Costs of the hooks-ratelimit-oauth pieces, as ratios measured in the same run (not run by CI).

1. Rate-limit middleware: GET /stores/abc123/v3/hooks driven straight through ASGI (no sockets), on the
   BigCommerce mount with and without RateLimitMiddleware; reported as requests/s with ÷ without.
2. emit() with a matching active hook (build the payload, enqueue the delivery) as a fraction of one
   whole in-process GET request from (1): what a state change pays for webhooks; it never waits on the network.
3. Delivery throughput to a real local receiver (uvicorn on 127.0.0.1), deliveries per second.

    /work/venv/bin/python benchmarks/bigcommerce_hooks_ratelimit.py [--requests 20000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import Route

import storefake
from storefake.bigcommerce import render, routes
from storefake.bigcommerce.auth import AuthMiddleware
from storefake.bigcommerce.ratelimit import RateLimitMiddleware
from storefake.dispatch import Surface
from storefake.server import ThreadedServer


def mount_app(with_limit: bool) -> Starlette:
    fake_app = storefake.create_app()
    outer = [Middleware(RateLimitMiddleware, render=render.render_error)] if with_limit else []
    mount = Surface(
        "/stores/{store_hash}",
        routes.routes,
        render=render.render_error,
        max_body_bytes=1 << 20,
        middleware=[Middleware(AuthMiddleware)],
        outer_middleware=outer,
    )
    app = Starlette(routes=[mount])
    app.state.fake = fake_app.state.fake
    return app


async def drive(app: Starlette, requests: int) -> float:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/stores/abc123/v3/hooks",
        "raw_path": b"/stores/abc123/v3/hooks",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"bench"), (b"x-auth-token", b"storefake-bc-token")],
        "client": ("127.0.0.1", 1),
        "server": ("bench", 80),
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message

    start = time.perf_counter()
    for _ in range(requests):
        await app(dict(scope), receive, send)
    return requests / (time.perf_counter() - start)


def rate_limit_ratio(requests: int, rounds: int) -> list[float]:
    ratios = []
    for _ in range(rounds):
        with_limit = asyncio.run(drive(mount_app(True), requests))
        without = asyncio.run(drive(mount_app(False), requests))
        ratios.append(with_limit / without)
    return ratios


def emit_seconds(events: int) -> float:
    """Seconds per emit() with one matching active hook (delivery recorded, not sent)."""
    app = storefake.create_app(deliver_webhooks=False)  # enqueue only: measure the request's share
    try:
        store = app.state.fake.bigcommerce.stores.get("abc123")
        store.hooks.create_hook("c", {"scope": "store/order/*", "destination": "https://example.com/h"})
        start = time.perf_counter()
        for n in range(events):
            store.emit("store/order/created", {"type": "order", "id": n})
        return (time.perf_counter() - start) / events
    finally:
        app.state.fake.close()


def delivery_rate(events: int) -> float:
    async def ok(request):  # the fastest possible receiver
        await request.body()
        return Response(status_code=200)

    async def health(request):
        return Response("{}", media_type="application/json")

    receiver = Starlette(routes=[Route("/__storefake/health", health), Route("/h", ok, methods=["POST"])])
    app = storefake.create_app()
    try:
        with ThreadedServer(receiver) as server:
            store = app.state.fake.bigcommerce.stores.get("abc123")
            store.hooks.create_hook("c", {"scope": "store/order/*", "destination": server.url + "/h"})
            deliveries = app.state.fake.bigcommerce.deliveries
            start = time.perf_counter()
            for n in range(events):
                store.emit("store/order/created", {"type": "order", "id": n})
            while len(deliveries.deliveries(state="delivered")) < events:
                time.sleep(0.005)
            return events / (time.perf_counter() - start)
    finally:
        app.state.fake.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args(argv)
    limit = rate_limit_ratio(args.requests, args.rounds)
    print(f"rate-limit middleware: with/without = {statistics.median(limit):.3f}x  (rounds {limit})")
    request_seconds = 1 / asyncio.run(drive(mount_app(True), args.requests))
    emit = emit_seconds(args.events * 5)
    print(f"emit() with one matching hook = {emit / request_seconds:.3f}x of one GET /v3/hooks request")
    rate = delivery_rate(args.events)
    print(f"delivery throughput to a local receiver: {rate:.0f} deliveries/s (one worker thread, http.client)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1:])
