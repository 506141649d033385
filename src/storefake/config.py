"""The one typed configuration object taken by `create_app`, `mock` and the fixtures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Config:
    """How a fake is built.

    fixtures: a YAML path or an already-loaded mapping; None means the bundled fixtures/default.yaml.
    mocks: YAML files or directories of mock rules loaded at start (see mocks/).
    strict: unknown tenants and store hashes are refused instead of being created on first use.
    seed: makes tokens, ids and other random values reproducible.
    frozen_at: start with the clock frozen at this epoch second.
    journal_limit, journal_max_bytes: the journal keeps at most this many entries and this many bytes of
    them (each body counts up to 64 KiB), dropping the oldest first.
    data_dir: keep every write in this directory (SQLite) and restore it on the next start; off when None
        (see storefake/persistence). A data dir keeps the fixtures, mocks and options it was made with.
    body_timeout: seconds a request's body may take to arrive after its head (None: no limit); a late
        body is answered with the vendor's 408 (storefake/timeouts.py).
    """

    fixtures: str | Path | Mapping[str, Any] | None = None
    mocks: Sequence[str | Path] = ()
    strict: bool = False
    max_body_bytes: int = 4 * 1024 * 1024
    body_timeout: float | None = 30.0
    journal_limit: int = 10_000
    journal_max_bytes: int = 64 * 1024 * 1024
    seed: int | None = None
    frozen_at: float | None = None
    deliver_webhooks: bool = True
    data_dir: str | Path | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
