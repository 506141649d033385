"""The write-ahead log's entries, and the context variable naming the one being recorded or replayed.

A `Record` is one write as it was applied:

- `request`: an HTTP request that reached a vendor endpoint or the control API and may have changed state
  (method, path, query, headers, body), with the status and a CRC-32 of the body it was answered with, so a
  replay that answers otherwise is reported;
- `tenant`: a tenant or store created on first use outside any write (by a GET), with its registry and key;
- `clock`: the fake clock moved outside any write (Python API), with its new state;
- `mocks`: mock rules changed outside a request (Python API), or their counters after a rule matched;
- `change`: a change no request made (a BigCommerce hook deactivated after its last failed delivery);
- `seed`: seed data loaded through the Python API (`fake.seed`), as YAML text;
- `reset`: `fake.reset()` from Python (the first record of the log it empties).

Every record carries the wall time it ran at (the fake clock is pinned to it for the whole write, so a
replay reads the same instants) and the clock's state when it started; a record that drew random values
carries the seed of its own generator (`draw`), so a replay draws the very same tokens and ids.
"""

from __future__ import annotations

import contextvars
import json
import random
from pathlib import Path
from typing import Any

from storefake.persistence.errors import PersistenceError

REQUEST, TENANT, CLOCK, MOCKS, CHANGE, SEED, RESET = "request", "tenant", "clock", "mocks", "change", "seed", "reset"
KINDS = frozenset({REQUEST, TENANT, CLOCK, MOCKS, CHANGE, SEED, RESET})
BASE = "base"  # the context the fixtures are loaded in: never stored (its instant and seed are the base's)
Headers = list[tuple[bytes, bytes]]

# Compact JSON for the log's text columns, latin-1 header text kept as it is (about twice as fast as json.dumps).
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

# The record of the write running in this context (recorded live, or replayed), or None.
CURRENT: contextvars.ContextVar[Record | None] = contextvars.ContextVar("storefake_persistence_record", default=None)


class Record:
    """One entry of the log; the slots after `seq` exist only while it is recorded or replayed."""

    __slots__ = (
        "body",
        "digest",
        "frozen",
        "headers",
        "kind",
        "method",
        "offset",
        "open",
        "owner",
        "path",
        "query",
        "raw_path",
        "replaying",
        "riders",
        "rng",
        "scope",
        "seed",
        "seq",
        "status",
        "touched",
        "truncate",
        "wall",
    )

    def __init__(
        self,
        kind: str,
        wall: float,
        frozen: float | None,
        offset: float,
        *,
        method: str = "",
        path: str = "",
        raw_path: bytes = b"",
        query: bytes = b"",
        headers: Headers | None = None,
        body: bytes = b"",
        scope: dict[str, Any] | None = None,
        seed: int | None = None,
        status: int | None = None,
        digest: int | None = None,
        seq: int | None = None,
    ) -> None:
        self.kind = kind
        self.wall = wall
        self.frozen = frozen
        self.offset = offset
        self.method = method
        self.path = path
        self.raw_path = raw_path
        self.query = query
        self.headers = headers if headers is not None else []
        self.body = body
        self.scope = scope or {}  # the rest of the ASGI scope an endpoint may read (scheme, client, ...)
        self.seed = seed
        self.status = status
        self.digest = digest
        self.seq = seq
        self.owner: Any = None  # the Persistence recording or replaying it
        self.replaying = False
        self.open = True  # pins the clock and gives the generator until it is committed (or replayed)
        self.rng: random.Random | None = None
        self.riders: list[Record] = []  # changes made during this write that its replay won't make
        self.touched = False  # something recorded a change while this write ran
        self.truncate = False  # a reset: the log before this record is dropped when it commits

    def generator(self, base: random.Random) -> random.Random:
        """This write's random generator, seeded from `base` on its first draw (from its seed when replayed)."""
        rng = self.rng
        if rng is None:
            if self.seed is None:
                self.seed = base.getrandbits(128)  # a replay that draws where the write did not diverges
            rng = self.rng = random.Random(self.seed)
        return rng

    def payload(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise PersistenceError(f"record {self.seq} ({self.kind}) is unreadable: {exc}") from None

    def describe(self) -> str:
        if self.kind == REQUEST:
            return f"record {self.seq} ({self.method} {self.path})"
        return f"record {self.seq} ({self.kind})"

    def row(self) -> tuple[Any, ...]:
        headers = _encode([[k.decode("latin-1"), v.decode("latin-1")] for k, v in self.headers])
        seed = None if self.seed is None else format(self.seed, "x")
        return (
            self.kind,
            self.wall,
            self.frozen,
            self.offset,
            self.method,
            self.path,
            self.raw_path,
            self.query,
            headers,
            self.body,
            _encode(self.scope) if self.scope else None,
            seed,
            self.status,
            self.digest,
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...], source: Path) -> Record:
        seq, kind, wall, frozen, offset, method, path, raw_path, query, headers, body, scope, seed, status, digest = row
        try:
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r}")
            pairs = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(headers or "[]")]
            return cls(
                kind,
                float(wall),
                None if frozen is None else float(frozen),
                float(offset),
                method=method or "",
                path=path or "",
                raw_path=bytes(raw_path or b""),
                query=bytes(query or b""),
                headers=pairs,
                body=bytes(body or b""),
                scope=json.loads(scope) if scope else None,
                seed=None if seed is None else int(seed, 16),
                status=status,
                digest=digest,
                seq=seq,
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise PersistenceError(f"{source}: record {seq} is unreadable ({exc})") from None
