"""Group commit over a real socket: answers wait for the disk, and writes queued together share a transaction.

The disk is held back for real: another SQLite connection takes the data file's write lock (BEGIN
IMMEDIATE), as a slow disk would hold the log writer, while writers and a reader talk to `storefake serve`.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

import httpx

from storefake.persistence.store import DB_NAME

from .support import BC, STORE, serve

WRITERS = 16
PRODUCTS = f"/stores/{STORE}/v3/catalog/products"


async def _status(client: httpx.AsyncClient) -> dict:
    return (await client.get("/__storefake/persistence")).json()["log"]


async def _until_applied(client: httpx.AsyncClient, count: int) -> dict:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        log = await _status(client)
        if log["applied"] >= count:
            return log
        await asyncio.sleep(0.02)
    raise AssertionError(f"writes were not applied: {log}")


async def _held_back(url: str, db: sqlite3.Connection) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        before = await _status(client)
        db.execute("BEGIN IMMEDIATE")  # the disk is busy: no group can be committed
        try:
            writes = [
                asyncio.create_task(
                    client.post(
                        PRODUCTS, headers=BC, json={"name": f"Grouped {i}", "type": "physical", "weight": 1, "price": 1}
                    )
                )
                for i in range(WRITERS)
            ]
            held = await _until_applied(client, before["applied"] + WRITERS)
            assert held["durable"] <= before["durable"]  # applied in memory, none of them on disk
            read = asyncio.create_task(client.get(PRODUCTS, headers=BC, params={"limit": 250}))
            await asyncio.sleep(0.3)
            assert not any(task.done() for task in writes)  # no write is acknowledged before it is durable
            assert not read.done()  # nor is a read that may show one of them
        finally:
            db.execute("COMMIT")
        answers = await asyncio.gather(*writes)
        assert [answer.status_code for answer in answers] == [200] * WRITERS
        listed = (await read).json()["data"]
        assert {answer.json()["data"]["id"] for answer in answers} <= {product["id"] for product in listed}
        after = await _status(client)
        assert after["durable"] == after["applied"] == before["applied"] + WRITERS
        # The first write's transaction waited for the disk alone; the fifteen queued behind it went together.
        assert after["commits"] - before["commits"] <= 2


def test_answers_wait_for_their_group_and_queued_writes_share_one_transaction(tmp_path):
    with serve(tmp_path) as served:
        db = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None, timeout=30)
        try:
            asyncio.run(_held_back(served.url, db))
        finally:
            db.close()
    with serve(tmp_path) as served:  # and each of them is in the log
        names = {
            p["name"] for p in httpx.get(f"{served.url}{PRODUCTS}", headers=BC, params={"limit": 250}).json()["data"]
        }
        assert {f"Grouped {i}" for i in range(WRITERS)} <= names
