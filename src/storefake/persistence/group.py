"""Group commit: the log is written by a thread of its own, many writes per SQLite transaction.

A write is applied in memory under the write lock and handed to the log writer in that same order (its
ticket); the lock is let go at once and the write's answer waits until its ticket is durable. Meanwhile
the next writes are applied, and all those that queued up while one transaction was being written go to
disk in the next one. The wait for the disk (SQLite releases the GIL while it writes) thus overlaps with
the work of the next writes instead of holding them up, and a commit's fixed cost is shared by its group.

What it keeps of the one-commit-per-write design: acknowledged still means durable (no answer leaves
before its group is committed); the log's order is still the order writes were applied; an unacknowledged
write is still wholly in the log or not at all (a group is one transaction). Reads wait too when a write
they may have seen is not on disk yet (`caught_up`), so nothing a kill -9 would lose is ever shown. If a
transaction fails, the writes of its group and every later one are refused: memory is then ahead of the
disk, and the engine stops taking writes rather than acknowledge what it cannot keep.
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
    """The log writer: tickets in apply order, committed in groups, waited for by threads or coroutines."""

    def __init__(self, data: DataFile, on_failure: Callable[[Exception], str]) -> None:
        self._data = data
        self._on_failure = on_failure  # turns the error into the refusal every waiter is given
        self._condition = threading.Condition()
        self._queue: list[Entry] = []
        self._waiters: list[Waiter] = []
        self.submitted = 0  # the last ticket handed out
        self.durable = 0  # the last ticket committed
        self.commits = 0  # transactions written (each holding the group of writes queued while the last one was)
        self.refusal: str | None = None
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="storefake-log-writer", daemon=True)
        self._thread.start()

    def submit(self, records: Sequence[Record], *, truncate: bool = False) -> int:
        """Queue `records` (the caller holds the write lock, so tickets follow the apply order); the ticket."""
        with self._condition:
            if self.refusal is not None:
                raise PersistenceError(self.refusal)
            if self._closing:
                raise PersistenceError("the data dir's log is closed")
            self._queue.append((records, truncate))
            self.submitted += 1
            self._condition.notify_all()
            return self.submitted

    def wait(self, ticket: int) -> None:
        """Block until `ticket` is durable (PersistenceError if its group could not be committed)."""
        with self._condition:
            while self.durable < ticket and self.refusal is None:
                self._condition.wait()
            if self.durable < ticket:
                raise PersistenceError(self.refusal or "the data dir's log is closed")

    async def wait_async(self, ticket: int) -> None:
        """`wait` for a coroutine: its loop keeps running while the writer commits."""
        if self.durable >= ticket:
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._condition:
            if self.durable >= ticket:
                return
            if self.refusal is not None:
                raise PersistenceError(self.refusal)
            self._waiters.append((ticket, loop, future))
        await future

    async def caught_up(self) -> None:
        """Wait until every write applied so far is durable (a read's answer may show any of them)."""
        if self.durable < self.submitted:
            await self.wait_async(self.submitted)

    def drain(self) -> None:
        """Block until everything submitted is durable (a snapshot names the log's last record)."""
        self.wait(self.submitted)

    def status(self) -> dict[str, int]:
        return {"applied": self.submitted, "durable": self.durable, "commits": self.commits}

    def close(self) -> None:
        """Commit what is queued and stop the writer."""
        with self._condition:
            self._closing = True
            self._condition.notify_all()
        if self._thread is not threading.current_thread():
            self._thread.join()

    # the writer thread
    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._queue and not self._closing:
                    self._condition.wait()
                if not self._queue:
                    self._settle(ready=self._waiters, refusal=self.refusal or "the data dir's log is closed")
                    return
                group, self._queue = self._queue, []
                last = self.submitted
            try:
                self._data.append_group(group)
            except Exception as exc:  # whatever SQLite raised, every waiter is told
                refusal = self._on_failure(exc)
                with self._condition:
                    self.refusal = refusal
                    self._queue = []
                    waiters, self._waiters = self._waiters, []
                    self._condition.notify_all()
                self._settle(ready=waiters, refusal=refusal)
                return
            with self._condition:
                self.durable = last
                self.commits += 1
                ready = [waiter for waiter in self._waiters if waiter[0] <= last]
                if ready:
                    self._waiters = [waiter for waiter in self._waiters if waiter[0] > last]
                self._condition.notify_all()
            self._settle(ready=ready, refusal=None)

    @staticmethod
    def _settle(ready: list[Waiter], refusal: str | None) -> None:
        for _, loop, future in ready:
            with contextlib.suppress(RuntimeError):  # its loop is closed: nobody waits any more
                loop.call_soon_threadsafe(_resolve, future, refusal)


def _resolve(future: asyncio.Future[None], refusal: str | None) -> None:
    if future.done():  # the waiting request was cancelled (its client left)
        return
    if refusal is None:
        future.set_result(None)
    else:
        future.set_exception(PersistenceError(refusal))
