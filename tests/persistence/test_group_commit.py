"""Group commit: writes applied in one turn of the event loop share a transaction, and no answer leaves
before what it may show is durable.

The app is called as a server calls it (the ASGI interface, one event loop), so which requests run in the
same turn is known: every request below starts in the first turn, before any flush.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx

import storefake
from storefake.persistence.store import DB_NAME
from storefake.transport import SyncASGITransport

from .support import BC, STORE

WRITES = 16
READS = 8
PRODUCTS = f"/stores/{STORE}/v3/catalog/products"


async def _call(app: Any, method: str, path: str, body: dict | None, seen: list[tuple[str, int, int]]) -> int:
    """One request; `seen` gets (method, status, durable ticket when the answer started) per answer."""
    data = json.dumps(body).encode() if body is not None else b""
    headers = [(b"host", b"t"), *((k.lower().encode(), v.encode()) for k, v in BC.items())]
    if body is not None:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("t", 80),
    }
    received = False

    async def receive() -> dict:
        nonlocal received
        if received:
            await asyncio.Event().wait()  # the client stays until the answer
        received = True
        return {"type": "http.request", "body": data, "more_body": False}

    status = 0

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            seen.append((method, status, app.state.fake.persistence.log.durable))

    await app(scope, receive, send)
    return status


def test_writes_of_one_turn_share_a_transaction_and_reads_wait_for_them(tmp_path):
    app = storefake.create_app(data_dir=tmp_path)
    log = app.state.fake.persistence.log
    seen: list[tuple[str, int, int]] = []

    async def burst() -> list[int]:
        body = {"type": "physical", "weight": 1, "price": 1}
        writes = [_call(app, "POST", PRODUCTS, {**body, "name": f"Grouped {i}"}, seen) for i in range(WRITES)]
        reads = [_call(app, "GET", PRODUCTS, None, seen) for _ in range(READS)]
        return await asyncio.gather(*writes, *reads)

    try:
        before = log.status()
        statuses = asyncio.run(burst())
        after = log.status()
        assert statuses == [200] * (WRITES + READS)
        assert after["applied"] - before["applied"] == WRITES
        assert after["commits"] - before["commits"] == 1  # the sixteen writes of that turn: one transaction
        # Each read started after the sixteen writes were applied: none answered before they were durable.
        assert [durable for method, _, durable in seen if method == "GET"] == [after["durable"]] * READS
        assert all(durable >= before["applied"] + 1 for method, _, durable in seen if method == "POST")
    finally:
        app.state.fake.close()
    restarted = storefake.create_app(data_dir=tmp_path)
    try:
        names = {product.name for product in restarted.state.fake.bigcommerce.stores.get(STORE).catalog.products}
        assert {f"Grouped {i}" for i in range(WRITES)} <= names
    finally:
        restarted.state.fake.close()


def test_the_wal_is_checkpointed_in_the_background_and_reused(tmp_path):
    """Commits never checkpoint (the fsyncs would stall the loop): the snapshot thread does, and the WAL is
    then written again from its start instead of growing."""
    app = storefake.create_app(data_dir=tmp_path)
    wal, database = tmp_path / f"{DB_NAME}-wal", tmp_path / DB_NAME
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://t")
    body = {"type": "physical", "weight": 1, "price": 1}
    try:
        for i in range(300):
            response = client.post(PRODUCTS, headers=BC, json={**body, "name": f"First {i} " + "x" * 200})
            assert response.status_code == 200
        written = wal.stat().st_size
        before = database.stat().st_size
        deadline = time.monotonic() + 20
        while database.stat().st_size <= before:  # the log's pages reach the database file
            assert time.monotonic() < deadline, "no checkpoint within 20 s"
            time.sleep(0.1)
        for i in range(300):
            response = client.post(PRODUCTS, headers=BC, json={**body, "name": f"Second {i} " + "x" * 200})
            assert response.status_code == 200
        assert wal.stat().st_size <= written * 1.2
    finally:
        client.close()
        app.state.fake.close()
