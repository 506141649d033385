"""Persistence: every acknowledged write survives a restart and a kill -9 (`serve --data-dir`, `Config(data_dir=...)`).

Off by default; nothing of it runs then (no middleware, no hooks). On, the design is a write-ahead log of
requests rather than a copy of each state family, because the state families keep growing (catalog
options, modifiers, metafields, refunds, customer groups, ...) and per-family code would silently miss
the ones added after it:

- **The log** (store.py, records.py, capture.py, group.py). Every request that may change state (any method
  but GET, HEAD, OPTIONS) and reaches a vendor endpoint or the control API is committed to SQLite (standard
  library, WAL) before its answer is sent: acknowledged means durable, and an unacknowledged write is either
  wholly in the log or not at all. The writes applied in one turn of the event loop are committed together
  (group commit), and a read's answer waits while a write it may show is not on disk. Writes are applied one
  at a time under one lock, across threads and event loops (`storefake.mock()` may call from several), so the
  log's order is the order in which they were applied. Changes no request makes are records of their own: a
  tenant or store made on first use by a GET (tenancy.Tenants is the one place that makes them), the clock or
  mock rules changed through the Python API, mock-rule counters after a rule matched, a BigCommerce hook
  deactivated after its last failed delivery (`Context.changes`), `fake.seed()` from Python.
- **Determinism**. Each record keeps the wall time it ran at, and the fake clock is pinned to it for the
  whole write (and set to the state it had), so timestamps and token expiry replay exactly; a write that
  draws random values (tokens, codes, ids) gets a generator of its own, seeded once from the fake's random
  source, whose seed is recorded. A replayed request is checked against the status and the CRC-32 of the
  body it answered: a divergence is reported (`GET /__storefake/persistence`, a warning line), never
  silent. Replay goes through the router only: no journal, no mock rules, no rate limit, no webhooks.
- **The base** (base.py). The fixtures, the mock rules loaded at start and the options (seed, strict,
  frozen clock) are kept with the log, plus a signing key of the data dir's own (IMS tokens stay valid
  across restarts). A restart needs no options; different ones are refused.
- **Snapshots** (snapshots.py) bound the cost of a restart: the whole state pickled as of one instant under
  the write lock (by a forked child on Linux, so writes wait only for the fork), once enough was written and
  the fake is idle, once far more was written, and at close; then only the log after it is replayed. A
  snapshot is used only by the code that took it (a hash of the sources); any other start replays the whole
  log, the version-independent truth.
- **Reset** empties the log and the snapshots in the same transaction that records it.
- **Export/import** (commands.py) move a fake as one file: its base and log, never a snapshot.

What is not kept: the journal (traffic, not state), webhook deliveries and their attempts (the events of
writes are not sent again on restart, and retries pending at a stop are dropped), rate-limit windows.

A data dir or file that is not ours, corrupt, in use by another process, or from a newer storefake is
refused with one line (`PersistenceError`; exit status 2 for the CLI), and nothing in it is overwritten.
"""

from __future__ import annotations

from storefake.persistence.engine import Persistence
from storefake.persistence.errors import PersistenceError

__all__ = ["Persistence", "PersistenceError"]
