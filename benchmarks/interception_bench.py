"""Throughput of storefake.mock() (sync and async httpx) against raw httpx.ASGITransport on the same app.

Not run by CI. `python benchmarks/interception_bench.py [calls]` prints calls per second for each way in
and its ratio to raw httpx.ASGITransport measured in the same run (target: >= 0.6x for both).
"""

from __future__ import annotations

import asyncio
import sys
import time

import httpx

import storefake
from storefake.transport import SyncASGITransport

URL = "https://api.bigcommerce.com/stores/abc123/v3/customers?limit=1"
HEADERS = {"X-Auth-Token": "storefake-bc-token", "Accept": "application/json"}
WARMUP = 100


def timed_sync(client: httpx.Client, calls: int) -> float:
    for _ in range(WARMUP):
        client.get(URL, headers=HEADERS)
    start = time.perf_counter()
    for _ in range(calls):
        response = client.get(URL, headers=HEADERS)
        assert response.status_code == 200, response.text
    return time.perf_counter() - start


async def timed_async(client: httpx.AsyncClient, calls: int) -> float:
    for _ in range(WARMUP):
        await client.get(URL, headers=HEADERS)
    start = time.perf_counter()
    for _ in range(calls):
        response = await client.get(URL, headers=HEADERS)
        assert response.status_code == 200, response.text
    return time.perf_counter() - start


async def raw_async(app: object, calls: int) -> float:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        return await timed_async(client, calls)


async def mocked_async(calls: int) -> float:
    async with httpx.AsyncClient() as client:
        return await timed_async(client, calls)


def one_round(app: object, calls: int) -> dict[str, float]:
    results = {"raw httpx.ASGITransport (async)": asyncio.run(raw_async(app, calls))}
    with httpx.Client(transport=SyncASGITransport(app)) as client:
        results["raw SyncASGITransport (sync)"] = timed_sync(client, calls)
    with storefake.mock(app=app), httpx.Client() as client:
        results["storefake.mock() sync httpx"] = timed_sync(client, calls)
    with storefake.mock(app=app):
        results["storefake.mock() async httpx"] = asyncio.run(mocked_async(calls))
    return results


def main(calls: int, rounds: int = 5) -> None:
    # Interleaved rounds on a shared machine: every way in sees the same background load.
    app = storefake.create_app()
    totals: dict[str, float] = {}
    for _ in range(rounds):
        for name, seconds in one_round(app, calls // rounds).items():
            totals[name] = totals.get(name, 0.0) + seconds
    baseline = totals["raw httpx.ASGITransport (async)"]
    print(f"{calls} sequential GET calls per way in, in {rounds} interleaved rounds (after warm-up calls)")
    for name, seconds in totals.items():
        print(f"  {name:34} {calls / seconds:8.0f} calls/s   {baseline / seconds:5.2f}x of raw ASGITransport")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
