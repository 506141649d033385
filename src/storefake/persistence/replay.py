"""Restoring a fake: the newest usable snapshot, then every record after it, replayed in order.

A request record goes through the app's router (not its middleware: no journal entry, no mock rule, and
the BigCommerce rate limit lets it through) with the fake clock pinned to the record's wall time and set
to the state it had, the record's own random generator, and webhook deliveries suppressed (they were sent
when the write was made). Each replayed request is checked against the status (and, for vendor paths,
the CRC-32 of the body) it answered the first time: a mismatch is a divergence, reported and counted.

Replay runs on an event loop of its own in a worker thread, so it works whether or not the caller is
inside a running loop (a test building a fake in async code).
"""

from __future__ import annotations

import asyncio
import threading
import time
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import yaml
from starlette.types import Message

from storefake import webhooks
from storefake.journal import CONTROL_PREFIX
from storefake.persistence import base as base_module
from storefake.persistence import snapshots
from storefake.persistence.errors import PersistenceError
from storefake.persistence.records import CHANGE, CLOCK, CURRENT, MOCKS, REQUEST, RESET, SEED, TENANT, Record
from storefake.runtime import FAKE_SCOPE_KEY, REPLAY_SCOPE_KEY

if TYPE_CHECKING:
    from storefake.persistence.engine import Persistence
    from storefake.runtime import Fake


def restore(persistence: Persistence, fake: Fake, app: Any) -> dict[str, Any]:
    """Bring `fake` to the state its data dir holds; returns what was done (for /__storefake/persistence)."""
    started = time.perf_counter()
    snapshot = _load_snapshot(persistence, fake)
    after = 0 if snapshot is None else int(snapshot["seq"])
    records = persistence.data.records(after)
    replayed = run_in_own_loop(lambda: _replay_all(persistence, fake, app, records))
    persistence.pending = [replayed, 0]
    return {
        "snapshot_seq": None if snapshot is None else after,
        "replayed": replayed,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _load_snapshot(persistence: Persistence, fake: Fake) -> dict[str, Any] | None:
    """The newest snapshot this code can load, installed; None (the whole log then) if there is none."""
    folder = persistence.directory / "snapshots"
    rows = persistence.data.snapshots()
    if folder.is_dir():  # files no row names: a snapshot cut short, or one a reset made stale
        named = {row["file"] for row in rows}
        for path in folder.iterdir():
            if path.name not in named:
                path.unlink(missing_ok=True)
    for row in rows:
        if row["code"] != snapshots.code_fingerprint():
            continue  # taken by another storefake (or Python): the log is the truth
        try:
            state = snapshots.load(folder / row["file"], persistence, fake)
        except Exception as exc:
            persistence.note(
                f"snapshot {row['file']} of {persistence.directory} can't be loaded "
                f"({type(exc).__name__}: {exc}); the whole log is replayed instead"
            )
            continue
        snapshots.install(state, persistence, fake)
        persistence._attach()
        return row
    return None


def run_in_own_loop(make: Any) -> Any:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = asyncio.run(make())
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="storefake-restore")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


async def _replay_all(persistence: Persistence, fake: Fake, app: Any, records: Iterator[Record]) -> int:
    count = 0
    with webhooks.suppressed():
        for record in records:
            await replay(persistence, fake, app, record)
            count += 1
    return count


async def replay(persistence: Persistence, fake: Fake, app: Any, record: Record) -> None:
    record.owner = persistence
    record.replaying = True
    token = CURRENT.set(record)
    try:
        if record.kind == CLOCK:
            fake.clock.set_state(record.frozen, record.offset)
            return
        if record.kind == MOCKS:
            _replay_mocks(fake, record.payload())
            return
        fake.clock.set_state(record.frozen, record.offset)
        if record.kind == REQUEST:
            await _replay_request(persistence, fake, app, record)
        elif record.kind == TENANT:
            payload = record.payload()
            persistence.registry(str(payload["registry"])).add(str(payload["key"]))
        elif record.kind == CHANGE:
            payload = record.payload()
            fake.backends[str(payload["vendor"])].apply_change(str(payload["name"]), payload["data"])
        elif record.kind == SEED:
            fake._seed(yaml.safe_load(record.body) or {})
        elif record.kind == RESET:
            fake.reset()
    except PersistenceError:
        raise
    except Exception as exc:  # the write fails now where it worked then: report it, go on with the others
        persistence.diverged(record, f"raised {type(exc).__name__}: {exc}")
    finally:
        record.open = False
        CURRENT.reset(token)


async def _replay_request(persistence: Persistence, fake: Fake, app: Any, record: Record) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "scheme": "http",
        "root_path": "",
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
        **record.scope,
        "method": record.method,
        "path": record.path,
        "raw_path": record.raw_path or record.path.encode(),
        "query_string": record.query,
        "headers": record.headers,
        "state": {},
        "app": app,
        FAKE_SCOPE_KEY: fake,
        REPLAY_SCOPE_KEY: True,
    }
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": record.body, "more_body": False}

    status: int | None = None
    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        await app.router(scope, receive, send)
    except Exception as exc:
        if record.status is not None:  # it raised then too (a 500): the same outcome
            persistence.diverged(record, f"raised {type(exc).__name__}: {exc} (answered {record.status} then)")
        return
    if status != record.status:
        persistence.diverged(record, f"answered {status}, not {record.status} as when it was made")
    elif record.digest not in (None, zlib.crc32(b"".join(chunks))) and not record.path.startswith(CONTROL_PREFIX):
        persistence.diverged(record, "answered another body than when it was made")


def _replay_mocks(fake: Fake, document: dict[str, Any]) -> None:
    operation = document.get("op")
    if operation == "add":
        specs = base_module.rebuild_rules(document.get("rules") or [])
        fake.mocks.add_specs(specs, first=bool(document.get("first")), origin=str(document.get("origin", "runtime")))
    elif operation == "remove":
        fake.mocks.remove(str(document["id"]))
    elif operation == "clear":
        fake.mocks.clear()
    elif operation == "count":
        fake.mocks.set_counters((str(i), int(m), int(h)) for i, m, h in document.get("counters") or [])
    else:
        raise PersistenceError(f"unknown mock operation {operation!r} in the data dir")
