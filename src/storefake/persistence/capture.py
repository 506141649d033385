"""Recording writes: the write lock and the ASGI middleware that commits each write before it is answered.

The middleware sits innermost (inside the journal and the mock rules, so a rule's delay never holds the
lock, and an answer a rule made never reaches state). For a request that may change state (any method
but GET, HEAD and OPTIONS, outside the read-only parts of the control API) it reads the whole body first,
then takes the write lock and runs the app. When the app has its answer, the record is queued for the log
(only if an endpoint ran, or something recorded a change: a 401, 404, 413 or 429 changes nothing), the lock
is let go, and the answer waits until the record's group is committed (group.py) before anything reaches
the client. Acknowledged therefore means durable, and the log's order is the order in which writes were
applied. A read's answer waits likewise while a write it may show is not on disk yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefake.journal import CONTROL_PREFIX
from storefake.persistence.errors import PersistenceError
from storefake.persistence.records import CURRENT

if TYPE_CHECKING:
    from storefake.persistence.engine import Persistence

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Control-API paths that never change what is persisted: the journal (with the inspector's verify API
# under it), sending webhooks now (a hook it deactivates is recorded as a change), persistence's own.
UNRECORDED_PREFIXES = (
    f"{CONTROL_PREFIX}/journal",
    f"{CONTROL_PREFIX}/bigcommerce/webhooks/flush",
    f"{CONTROL_PREFIX}/persistence",
)


class WriteLock:
    """One write at a time, across every thread and event loop calling the app.

    A coroutine takes it without blocking its loop: at once when it is free, else by waiting in a thread
    of the lock's own. `owner` is the thread holding it (a loop's thread for a coroutine), so code of that
    same thread that must record a change while its write is suspended (`acquire_sync` returns False)
    does not wait for itself.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.owner: int | None = None
        self._waiters: ThreadPoolExecutor | None = None

    async def acquire(self) -> None:
        if not self._lock.acquire(blocking=False):
            future = asyncio.get_running_loop().run_in_executor(self._executor(), self._lock.acquire)
            try:
                await asyncio.shield(future)
            except asyncio.CancelledError:
                future.add_done_callback(lambda _: self.release())  # taken after all: give it back
                raise
        self.owner = threading.get_ident()

    def acquire_sync(self) -> bool:
        """Take the lock (blocking); False when this thread's own suspended write holds it already."""
        if self.owner == threading.get_ident() and self._lock.locked():
            return False
        self._lock.acquire()
        self.owner = threading.get_ident()
        return True

    def release(self) -> None:
        self.owner = None
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def _executor(self) -> ThreadPoolExecutor:
        if self._waiters is None:
            self._waiters = ThreadPoolExecutor(max_workers=4, thread_name_prefix="storefake-write-wait")
        return self._waiters


class PersistenceMiddleware:
    """Commits every state-changing request to the data dir before its answer is sent."""

    def __init__(self, app: ASGIApp, persistence: Persistence) -> None:
        self.app = app
        self.persistence = persistence

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        persistence = self.persistence
        if path.startswith(UNRECORDED_PREFIXES):  # traffic and persistence's own status, not state
            await self.app(scope, receive, send)
            return
        if scope["method"] in READ_METHODS:
            waits = persistence.log is not None
            await self.app(scope, receive, _after_writes(persistence, scope, receive, send) if waits else send)
            return
        if persistence.refusal is not None:
            await _refuse(persistence.refusal, scope, receive, send)
            return
        limit = None if path.startswith(CONTROL_PREFIX) else persistence.max_body_bytes
        body, receive = await _read_body(receive, limit)
        if body is None:  # over the body limit, or the client left: the app answers, no endpoint runs
            await self.app(scope, receive, send)
            return
        await persistence.lock.acquire()
        record = persistence.begin(scope, body)
        token = CURRENT.set(record)
        start: Message | None = None
        refused = False

        async def send_committed(message: Message) -> None:
            nonlocal start, refused
            if refused:
                return
            if record.open:
                if message["type"] == "http.response.start":
                    start = message  # held until the body: its CRC goes into the record
                    return
                try:
                    await _durable(persistence, persistence.finish(record, scope, start, message))
                except PersistenceError as exc:  # its group was not committed: not acknowledged, not kept
                    refused = True
                    await _refuse(str(exc), scope, receive, send)
                    return
                if start is not None:
                    await send(start)
            await send(message)

        try:
            await self.app(scope, _replaying(body, receive), send_committed)
        finally:
            if record.open:  # the app raised before answering: its error goes on, the record is kept first
                with contextlib.suppress(PersistenceError):
                    await _durable(persistence, persistence.finish(record, scope, start, None))
            CURRENT.reset(token)


async def _durable(persistence: Persistence, ticket: int) -> None:
    if ticket and persistence.log is not None:
        await persistence.log.wait_async(ticket)


async def _refuse(refusal: str, scope: Scope, receive: Receive, send: Send) -> None:
    await JSONResponse({"error": refusal}, status_code=503)(scope, receive, send)


def _after_writes(persistence: Persistence, scope: Scope, receive: Receive, send: Send) -> Send:
    """`send` for a read: its answer leaves once every write applied before it is durable."""
    log = persistence.log
    assert log is not None
    refused = False

    async def send_after_writes(message: Message) -> None:
        nonlocal refused
        if refused:
            return
        if message["type"] == "http.response.start" and log.durable < log.submitted:
            try:
                await log.caught_up()
            except PersistenceError as exc:  # it may show a write that is lost: the read is refused too
                refused = True
                await _refuse(str(exc), scope, receive, send)
                return
        await send(message)

    return send_after_writes


async def _read_body(receive: Receive, limit: int | None) -> tuple[bytes | None, Receive]:
    """The whole body, or None (over `limit`, or the client left) with a `receive` that replays what was read."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None, _then(chunks, message, receive)
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), receive
        if limit is not None and size > limit:
            return None, _then(chunks, None, receive, more=True)


def _then(chunks: list[bytes], last: Message | None, receive: Receive, more: bool = False) -> Receive:
    pending: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": more}]
    if last is not None:
        pending = [last] if not chunks else [{**pending[0], "more_body": True}, last]

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The body read already, in one message; then the client's own messages (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
