"""Group commit: the writes applied during one turn of the event loop go to disk in one SQLite transaction.

A write is applied in memory under the write lock and queued in that same order (its ticket); the lock is
let go at once and the write's answer waits for its ticket to be durable. The first waiter of a loop turn
schedules a flush for the loop's next turn, so every write that loop applies until then (the other
requests ready at the same time) joins the group: under load a commit's fixed cost is shared by many
writes, and an idle fake still commits each write right after it is applied.

The flush runs on the event loop's own thread, not in a writer thread: handing every write to another
thread and waking the loop back cost more CPU (thread wake-ups, GIL hand-offs) than the transaction it
saved. A caller outside any loop (a change made from Python, a snapshot) flushes in its own thread.

What it keeps of one commit per write: acknowledged still means durable (no answer leaves before its
group is committed); the log's order is still the order writes were applied (one flush at a time, each
taking the queue whole); an unacknowledged write is still wholly in the log or not at all (a group is one
transaction). Reads wait too while a write they may show is not on disk (`caught_up`), so nothing a kill -9
would lose is ever shown. If a transaction fails, its writes and every later one are refused: memory is
then ahead of the disk, and the fake stops taking writes rather than acknowledge what it cannot keep.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from storefake.persistence.errors import PersistenceError

if TYPE_CHECKING:
    from storefake.persistence.records import Record
    from storefake.persistence.store import DataFile

Entry = tuple[Sequence["Record"], bool]  # records committed together, and whether the log is emptied first
Waiter = tuple[int, asyncio.AbstractEventLoop, "asyncio.Future[None]"]


class GroupCommit:
    """The log's queue: tickets in apply order, committed in groups, waited for by threads or coroutines."""

    def __init__(self, data: DataFile, on_failure: Callable[[Exception], str]) -> None:
        self._data = data
        self._on_failure = on_failure  # turns the error into the refusal every waiter is given
        self._lock = threading.Lock()  # the queue, the waiters and the counters
        self._flushing = threading.Lock()  # one flush at a time, so groups reach the disk in ticket order
        self._queue: list[Entry] = []
        self._waiters: list[Waiter] = []
        self._scheduled: set[asyncio.AbstractEventLoop] = set()  # loops with a flush due on their next turn
        self.submitted = 0  # the last ticket handed out
        self.durable = 0  # the last ticket committed
        self.commits = 0  # transactions written since the start
        self.refusal: str | None = None

    def submit(self, records: Sequence[Record], *, truncate: bool = False) -> int:
        """Queue `records` (the caller holds the write lock, so tickets follow the apply order); the ticket."""
        with self._lock:
            if self.refusal is not None:
                raise PersistenceError(self.refusal)
            self._queue.append((records, truncate))
            self.submitted += 1
            return self.submitted

    async def wait_async(self, ticket: int) -> None:
        """Wait until `ticket` is durable; the loop goes on applying writes, which join the same group."""
        if self.durable >= ticket:
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self.durable >= ticket:
                return
            if self.refusal is not None:
                raise PersistenceError(self.refusal)
            self._waiters.append((ticket, loop, future))
            schedule = loop not in self._scheduled
            self._scheduled.add(loop)
        if schedule:
            loop.call_soon(self._flush_on, loop)
        await future

    async def caught_up(self) -> None:
        """Wait until every write applied so far is durable (a read's answer may show any of them)."""
        if self.durable < self.submitted:
            await self.wait_async(self.submitted)

    def wait(self, ticket: int) -> None:
        """Make `ticket` durable now, from a thread (PersistenceError if its group could not be committed)."""
        if self.durable < ticket:
            self.flush()
        if self.durable < ticket:
            raise PersistenceError(self.refusal or "the data dir's log was not written")

    def drain(self) -> None:
        """Commit everything submitted (a snapshot names the log's last record)."""
        self.wait(self.submitted)

    def status(self) -> dict[str, int]:
        return {"applied": self.submitted, "durable": self.durable, "commits": self.commits}

    def _flush_on(self, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            self._scheduled.discard(loop)
        self.flush()

    def flush(self) -> None:
        """Commit the queue as one group, then release the answers waiting for it."""
        with self._flushing:
            with self._lock:
                if not self._queue or self.refusal is not None:
                    return
                group, self._queue = self._queue, []
                last = self.submitted
            try:
                self._data.append_group(group)
            except Exception as exc:  # whatever SQLite raised, every waiter is told
                refusal = self._on_failure(exc)
                with self._lock:
                    self.refusal = refusal
                    self._queue = []
                    failed, self._waiters = self._waiters, []
                _settle(failed, refusal)
                return
            with self._lock:
                self.durable = last
                self.commits += 1
                ready = [waiter for waiter in self._waiters if waiter[0] <= last]
                if ready:
                    self._waiters = [waiter for waiter in self._waiters if waiter[0] > last]
        _settle(ready, None)


def _settle(waiters: list[Waiter], refusal: str | None) -> None:
    try:
        current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        current = None
    for _, loop, future in waiters:
        if loop is current:
            _resolve(future, refusal)
        else:  # a waiter of another thread's loop (several loops call one in-process fake)
            with contextlib.suppress(RuntimeError):  # its loop is closed: nobody waits any more
                loop.call_soon_threadsafe(_resolve, future, refusal)


def _resolve(future: asyncio.Future[None], refusal: str | None) -> None:
    if future.done():  # the waiting request was cancelled (its client left)
        return
    if refusal is None:
        future.set_result(None)
    else:
        future.set_exception(PersistenceError(refusal))
