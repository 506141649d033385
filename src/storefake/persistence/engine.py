"""`Persistence`: a fake's data dir, recording its writes and restoring them on the next start.

`Persistence.open(config)` opens (or makes) the data dir before the fake is built, and gives it the data
dir's fixtures and options; `build(fake, ...)` hooks the fake's shared pieces (the clock's pin, the random
source's tape, the tenant registries, the mock rules, the clock's listeners); `start(app)` restores the
state (snapshot, then the log after it) and from then on records every write. See the package docstring
for the design and what is and isn't kept.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import random
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import yaml
from starlette.types import Message, Scope

from storefake.config import Config
from storefake.persistence import base as base_module
from storefake.persistence.capture import WriteLock
from storefake.persistence.errors import PersistenceError
from storefake.persistence.group import GroupCommit
from storefake.persistence.records import BASE, CHANGE, CLOCK, CURRENT, MOCKS, REQUEST, RESET, SEED, TENANT, Record
from storefake.persistence.store import open_dir
from storefake.runtime import Changes
from storefake.tenancy import Tenants

if TYPE_CHECKING:
    from storefake.runtime import Fake

log = logging.getLogger("storefake.persistence")
log.addHandler(logging.NullHandler())  # a library's logger: the CLI prints divergences itself
MAX_DIVERGENCES_KEPT = 20
# When a snapshot is taken (snapshots.py): once this much was written since the last one and the fake has been
# idle a moment (no write running or made), or once far more was written, busy or not; and at close once a
# little was, so a clean stop restarts without replaying (a seed of 5,000 products into a large store takes
# seconds to replay: each seed is tried on a copy of the store). Both counts matter: one seed request can
# hold 100,000 products.
SNAPSHOT_AFTER = (1_000, 1 << 20)  # records, bytes of request bodies
SNAPSHOT_AT_CLOSE = (100, 64 << 10)
SNAPSHOT_ALWAYS = (100_000, 64 << 20)
IDLE_SECONDS = 2.0
SCOPE_KEPT = ("scheme", "root_path", "client", "server", "http_version")  # what else a replayed request needs


class Persistence(Changes):
    """One fake's data dir: the write lock, the log, the restore."""

    def __init__(self, config: Config) -> None:
        self.directory, self._dir_lock, self.data = open_dir(config.data_dir or "")
        try:
            self.base = base_module.load_or_create(self.data, config)
        except BaseException:
            self.data.close()
            self._dir_lock.release()
            raise
        self.config = self.base.config_for(config)
        self.max_body_bytes = config.max_body_bytes
        self.lock = WriteLock()
        self.fake: Fake | None = None
        self.app: Any = None
        self.recording = False  # from the end of `start` to `close`: before, hooks apply changes directly
        self.closed = False
        self.refusal: str | None = None  # why writes are refused (the data dir failed or is closed)
        self.divergences: list[str] = []
        self.divergence_count = 0
        self.notes: list[str] = []  # what a start had to do otherwise (a snapshot it could not use)
        self.restored: dict[str, Any] = {}
        self.pending = [0, 0]  # records and body bytes since the last snapshot
        self.last_write = time.monotonic()
        self.epoch = 0  # bumped by every reset: a snapshot of an older epoch is never registered
        self._snapshot_lock = threading.Lock()
        self._stop = threading.Event()
        self._snapshotter: threading.Thread | None = None
        self.log: GroupCommit | None = None  # the log's group-commit queue, from the end of `start`

    @classmethod
    def open(cls, config: Config) -> Persistence:
        return cls(config)

    # what the fake is built from
    @property
    def fixtures(self) -> dict[str, Any]:
        return self.base.fixtures

    @property
    def mock_specs(self) -> list[Any]:
        return list(self.base.mock_specs)

    @property
    def secret(self) -> bytes | None:
        return None if self.base.seed is not None else self.base.secret  # a seeded fake derives its own

    # wiring
    def build(self, fake: Fake, build: Callable[[], None]) -> None:
        """Hook `fake`'s shared pieces, then load its fixtures (`build`) as every start of this data dir does.

        The fixtures are loaded at the data dir's creation instant, with a generator seeded from its key, so
        what they make (a store's default channel, its dates) is the same on every start, as replay needs.
        """
        self.fake = fake
        fake.clock.pin = self.pinned_wall
        fake.random.tape = self.generator
        fake.clock.subscribe(self._clock_changed)
        fake.mocks.observer = self._mocks_changed
        frozen, offset = fake.clock.state()
        seed = int.from_bytes(hashlib.sha256(self.base.secret + b"fixtures").digest()[:16], "big")
        record = Record(BASE, self.base.created, frozen, offset, seed=seed)
        record.owner = self
        token = CURRENT.set(record)
        try:
            build()
        finally:
            record.open = False
            CURRENT.reset(token)
        self._attach()

    def _attach(self) -> None:
        """Hook every tenant registry of the current backends (a reset builds new ones)."""
        assert self.fake is not None
        for vendor, backend in self.fake.backends.items():
            for name, value in vars(backend).items():
                if isinstance(value, Tenants):
                    value.on_create = functools.partial(self.create_tenant, f"{vendor}.{name}")

    def start(self, app: Any) -> None:
        """Restore the state from the data dir through `app`, then record every write."""
        from storefake.persistence.replay import restore

        assert self.fake is not None, "build(fake, ...) first"
        self.app = app
        try:
            self.restored = restore(self, self.fake, app)
        except BaseException:
            self.close()
            raise
        if self.base.generation > 1:  # a seeded fake must not repeat what it drew before the restart
            self.fake.random.reseed(f"{self.base.seed}/{self.base.generation}")
        self.log = GroupCommit(self.data, self._failed)
        self.recording = True
        self._snapshotter = threading.Thread(target=self._snapshot_when_due, name="storefake-snapshots", daemon=True)
        self._snapshotter.start()

    # the clock's pin and the random source's tape
    def active(self) -> Record | None:
        """The write being recorded or replayed in this context, if it is this data dir's and still running."""
        record = CURRENT.get()
        return record if record is not None and record.owner is self and record.open else None

    def pinned_wall(self) -> float | None:
        record = CURRENT.get()
        return record.wall if record is not None and record.owner is self and record.open else None

    def generator(self, base: random.Random) -> random.Random:
        record = CURRENT.get()
        if record is None or record.owner is not self or not record.open:
            return base
        return record.generator(base)

    # recording requests (PersistenceMiddleware)
    def begin(self, scope: Scope, body: bytes) -> Record:
        """The record of a request about to run; the write lock is held."""
        assert self.fake is not None
        self.last_write = time.monotonic()  # a long write (a large seed) is no idle time for a snapshot
        frozen, offset = self.fake.clock.state()
        record = Record(
            REQUEST,
            time.time(),
            frozen,
            offset,
            method=scope["method"],
            path=scope["path"],
            raw_path=scope.get("raw_path") or b"",
            query=scope.get("query_string") or b"",
            headers=list(scope.get("headers") or ()),
            body=body,
            scope={name: scope[name] for name in SCOPE_KEPT if scope.get(name) is not None},
        )
        record.owner = self
        return record

    def finish(self, record: Record, scope: Scope, start: Message | None, message: Message | None) -> int:
        """Hand the request's record to the log if it reached an endpoint or changed something; let the lock go.

        Returns the ticket the answer must wait for (`log.wait_async`), 0 when nothing was recorded.
        """
        ticket = 0
        try:
            record.open = False
            if "endpoint" in scope or record.touched or record.truncate:
                record.status = None if start is None else start["status"]
                if message is not None and not message.get("more_body", False):
                    record.digest = zlib.crc32(message.get("body", b""))
                ticket = self._submit([record, *record.riders], truncate=record.truncate)
        finally:
            self.lock.release()
        if record.truncate:  # rare: wait here, so no snapshot of the emptied log is left behind
            self._durable(ticket)
            self._forget_snapshots()
        return ticket

    # changes made outside requests
    def create_tenant(self, registry: str, tenants: Tenants[Any], key: str) -> Any:
        """Tenants.on_create: a tenant made on first use is recorded, unless the write making it is."""
        record = self.active()
        if record is not None or not self.recording:
            if record is not None:
                record.touched = True
            return tenants.add(key)
        return self._standalone(TENANT, {"registry": registry, "key": key}, lambda: tenants.add(key))

    def apply(self, backend: Any, name: str, data: Mapping[str, Any]) -> None:
        """Changes.apply: record a vendor's change (a hook deactivated), then make it."""
        vendor = self._vendor_of(backend)
        if vendor is None or not self.recording:  # a backend a reset replaced: nothing to keep
            backend.apply_change(name, data)
            return
        payload = {"vendor": vendor, "name": name, "data": dict(data)}
        record = self.active()
        if record is not None:  # during a write whose replay won't make it (webhooks aren't sent again)
            record.riders.append(self._record(CHANGE, payload, wall=record.wall))
            record.touched = True
            backend.apply_change(name, data)
            return
        self._standalone(CHANGE, payload, lambda: backend.apply_change(name, data))

    def seed(self, data: Mapping[str, Any], apply: Callable[[Mapping[str, Any]], Any]) -> Any:
        """Fake.seed from Python: kept as a record of its YAML text (a seed over HTTP is a request)."""
        if not self.recording or self.active() is not None:
            return apply(data)
        try:
            text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True)
        except yaml.YAMLError as exc:
            raise ValueError(f"seed data must be plain YAML/JSON values to be kept in a data dir: {exc}") from None
        return self._standalone(SEED, None, lambda: apply(data), body=text.encode())

    def reset(self, build: Callable[[], None]) -> None:
        """Fake.reset: the log and snapshots go too (atomically with the reset's own record)."""
        record = self.active()
        if not self.recording or record is not None:
            build()
            self._attach()
            if record is not None and not record.replaying:
                record.truncate = True  # committed with the reset request, in one transaction
            return
        acquired = self.lock.acquire_sync()
        try:
            record = self._record(RESET, {})
            token = CURRENT.set(record)  # built at a recorded instant, so a restart builds the same
            try:
                build()
            finally:
                record.open = False
                CURRENT.reset(token)
            self._attach()
            self._commit([record], truncate=True)
        finally:
            if acquired:
                self.lock.release()
        self._forget_snapshots()

    def _clock_changed(self) -> None:
        if self.recording and self.active() is None:
            self._standalone(CLOCK, {}, None)

    def _mocks_changed(self, operation: str, payload: Any) -> None:
        if not self.recording or self.active() is not None:
            return  # during a write (POST /__storefake/mocks): the write's replay makes the change again
        if operation == "add":
            added, first = payload
            document: dict[str, Any] = {
                "op": "add",
                "first": first,
                "origin": added[0].origin if added else "runtime",
                "rules": [base_module.rule_document(rule.spec) for rule in added],
            }
        elif operation == "remove":
            document = {"op": "remove", "id": payload}
        elif operation == "count":
            document = {"op": "count", "counters": [list(item) for item in payload]}
        else:
            document = {"op": operation}
        self._standalone(MOCKS, document, None)

    # internals
    def _record(self, kind: str, payload: Any, *, wall: float | None = None, body: bytes | None = None) -> Record:
        assert self.fake is not None
        frozen, offset = self.fake.clock.state()
        if body is None:
            body = base_module.dumps(payload).encode()
        record = Record(kind, time.time() if wall is None else wall, frozen, offset, body=body)
        record.owner = self
        return record

    def _standalone(
        self, kind: str, payload: Any, apply: Callable[[], Any] | None, *, body: bytes | None = None
    ) -> Any:
        """Record a change made outside any request: applied and committed under the write lock."""
        if self.refusal is not None:
            raise PersistenceError(self.refusal)
        acquired = self.lock.acquire_sync()
        try:
            record = self._record(kind, payload, body=body)
            token = CURRENT.set(record)
            try:
                result = apply() if apply is not None else None
            finally:
                record.open = False
                CURRENT.reset(token)
            self._commit([record])
            return result
        finally:
            if acquired:
                self.lock.release()

    def _commit(self, records: list[Record], *, truncate: bool = False) -> None:
        """Submit and wait until durable: a change made outside a request has no answer to hold back."""
        self._durable(self._submit(records, truncate=truncate))

    def _submit(self, records: list[Record], *, truncate: bool = False) -> int:
        """Queue `records` for the log (the write lock is held); the ticket its answer waits for."""
        if self.refusal is not None:
            raise PersistenceError(self.refusal)
        assert self.log is not None, "recording starts with the log queue"
        ticket = self.log.submit(records, truncate=truncate)
        self.last_write = time.monotonic()
        if truncate:
            self.epoch += 1
            self.pending = [0, 0]
        self.pending[0] += len(records)
        self.pending[1] += sum(len(record.body) for record in records)
        return ticket

    def _durable(self, ticket: int) -> None:
        if ticket and self.log is not None:
            self.log.wait(ticket)

    def _failed(self, exc: Exception) -> str:
        """A group could not be committed: what is in memory is ahead of the disk, so writes are refused."""
        self.refusal = f"storefake: writing to the data dir {self.directory} failed ({exc}); writes are refused"
        log.error(self.refusal)
        return self.refusal

    def _vendor_of(self, backend: Any) -> str | None:
        assert self.fake is not None
        return next((name for name, b in self.fake.backends.items() if b is backend), None)

    def registry(self, name: str) -> Tenants[Any]:
        assert self.fake is not None
        vendor, _, attribute = name.partition(".")
        registry = getattr(self.fake.backends[vendor], attribute)
        if not isinstance(registry, Tenants):
            raise PersistenceError(f"{name} is not a tenant registry")
        return registry

    def diverged(self, record: Record, what: str) -> None:
        """A replayed record did not do what it did when it was made: said loudly, kept for /persistence."""
        self.divergence_count += 1
        text = f"replay of {self.directory} diverged at {record.describe()}: {what}; the state may differ"
        if len(self.divergences) < MAX_DIVERGENCES_KEPT:
            self.divergences.append(text)
        log.warning(text)

    def _forget_snapshots(self) -> None:
        snapshots = self.directory / "snapshots"
        if snapshots.is_dir():
            for path in snapshots.iterdir():
                path.unlink(missing_ok=True)

    # snapshots
    def snapshot(self) -> dict[str, Any] | None:
        """Take a snapshot now; its row, or None when the state can't be pickled (then said in `notes`).

        Where the platform forks (Linux), the write lock is held only while the process forks: a child
        pickles the state of that instant from its copy-on-write memory, on another CPU, while this
        process goes on applying writes. Elsewhere, or if the child fails, it is pickled here under the
        lock (and a failure is then named).
        """
        from storefake.persistence import snapshots

        assert self.fake is not None
        with self._snapshot_lock:
            taken = self._take(fork=snapshots.can_fork())
            if taken is None:
                return None
            seq, epoch, pending, name, size = taken
            row = {"seq": seq, "file": name, "code": snapshots.code_fingerprint(), "created": time.time(), "size": size}
            acquired = self.lock.acquire_sync()
            try:
                if self.epoch != epoch or self.closed:  # a reset came in between: this state is gone
                    (self.directory / "snapshots" / name).unlink(missing_ok=True)
                    return None
                stale = self.data.add_snapshot(**row)
                self.pending = [self.pending[0] - pending[0], self.pending[1] - pending[1]]
            finally:
                if acquired:
                    self.lock.release()
            for old in stale:
                (self.directory / "snapshots" / old).unlink(missing_ok=True)
            return row

    def _take(self, *, fork: bool) -> tuple[int, int, list[int], str, int] | None:
        """Write a snapshot file of the state after the log's last record: (seq, epoch, pending, file, size)."""
        from storefake.persistence import snapshots

        assert self.fake is not None
        acquired = self.lock.acquire_sync()
        try:
            if self.closed or self.refusal is not None:  # memory may be ahead of the log: no snapshot of it
                return None
            if self.log is not None:
                self.log.drain()  # every write applied is in the log: the snapshot is of its last record
            seq, epoch, pending = self.data.last_seq(), self.epoch, list(self.pending)
            if fork:
                try:
                    child = snapshots.dump_in_child(self, self.fake, seq, self.directory)
                except OSError:  # no fork now (out of processes or memory): pickled here instead
                    fork = False
            if not fork:
                payload = self._dump(seq)
                if payload is None:
                    return None
        finally:
            if acquired:
                self.lock.release()
        if not fork:
            return seq, epoch, pending, snapshots.write(self.directory, seq, payload), len(payload)
        try:
            name, size = child.wait()
        except snapshots.SnapshotFailed:
            return self._take(fork=False)  # in this process, which names what can't be pickled
        return seq, epoch, pending, name, size

    def _dump(self, seq: int) -> bytes | None:
        from storefake.persistence import snapshots

        assert self.fake is not None
        for _ in range(3):
            try:
                return snapshots.dump(self, self.fake, seq)
            except RuntimeError as exc:  # a read filled a cache while it was pickled: try again
                error: Exception = exc
            except Exception as exc:  # something in the state pickle can't write: the log still has it all
                where = snapshots.unpicklable(self, self.fake)
                if where is None:
                    error = exc
                    break
                self.note(
                    f"no snapshot of {self.directory}: {type(exc).__name__}: {exc}, at {where}; restarts replay the "
                    "log (keep state picklable: lambdas and closures are, generators, files or local classes are not)"
                )
                return None
        self.note(f"no snapshot of {self.directory}: {type(error).__name__}: {error}; restarts replay the log")
        return None

    def _snapshot_when_due(self) -> None:
        checkpointed = 0
        while not self._stop.wait(1.0):
            durable = self.log.durable if self.log is not None else 0
            if durable != checkpointed:
                try:
                    self.data.checkpoint()
                    checkpointed = durable
                except PersistenceError as exc:  # tried again next second; the WAL holds everything meanwhile
                    self.note(f"no checkpoint of {self.directory}: {exc}")
            records, size = self.pending
            idle = not self.lock.locked() and time.monotonic() - self.last_write >= IDLE_SECONDS
            due = records >= SNAPSHOT_ALWAYS[0] or size >= SNAPSHOT_ALWAYS[1]
            if due or (idle and (records >= SNAPSHOT_AFTER[0] or size >= SNAPSHOT_AFTER[1])):
                try:
                    self.snapshot()
                except Exception as exc:  # a full disk, say: the log has everything, the next start replays it
                    self.note(f"no snapshot of {self.directory}: {exc}")

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)
            log.warning(text)

    # status and shutdown
    def status(self) -> dict[str, Any]:
        snapshots = self.data.snapshots() if not self.closed else []
        return {
            "enabled": True,
            "data_dir": str(self.directory),
            "records": None if self.closed else self.data.count(),
            "snapshot": snapshots[0] if snapshots else None,
            "restored": self.restored,
            "divergences": list(self.divergences),
            "divergence_count": self.divergence_count,
            "notes": list(self.notes),
            "refusal": self.refusal,
            "log": None if self.log is None else self.log.status(),
        }

    def close(self) -> None:
        """Stop recording and let the data dir go (another fake may open it), after a last snapshot if due."""
        if self.closed:
            return
        self._stop.set()
        if self._snapshotter is not None and self._snapshotter is not threading.current_thread():
            self._snapshotter.join()
        records, size = self.pending
        if self.recording and (records >= SNAPSHOT_AT_CLOSE[0] or size >= SNAPSHOT_AT_CLOSE[1]):
            with contextlib.suppress(Exception):  # the log has everything: the next start replays it
                self.snapshot()
        acquired = self.lock.acquire_sync()
        try:
            if self.log is not None:
                with contextlib.suppress(PersistenceError):  # already refused: said when it failed
                    self.log.drain()  # what is queued is committed first
            self.recording = False
            self.closed = True
            self.refusal = self.refusal or f"storefake: the data dir {self.directory} is closed; writes are refused"
            self.data.close()
            self._dir_lock.release()
        finally:
            if acquired:
                self.lock.release()
