"""The fake's runtime: one object holding the clock, journal, randomness and every vendor's state.

`reset()` builds fresh vendor backends from the fixtures (moto's rule: all state is created in
`__init__`, so a reset is a new object), which keeps a reset cheap and complete.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from starlette.requests import Request
from starlette.types import Scope

from storefake.clock import Clock
from storefake.config import Config
from storefake.faults.rules import load_rule_files
from storefake.faults.ruleset import RuleSet
from storefake.journal import Journal
from storefake.listening import Listening
from storefake.randomness import RandomSource
from storefake.resources import data_dir, default_fixtures_path, load_yaml, yaml_problem
from storefake.seeding import SeedError, check_fixtures, check_seed, seeding

if TYPE_CHECKING:
    from storefake.persistence import Persistence

# Set in the scope of a write that persistence replays when a fake restarts: rate limits let it through.
REPLAY_SCOPE_KEY = "storefake.replay"


class Changes:
    """How a vendor backend makes a change that no request made (a webhook's last retry failing).

    The backend calls `context.changes.apply(self, name, data)`, which runs `backend.apply_change(name,
    data)`. A persisted fake's `Persistence` takes this role: it records the change first, like a write,
    and calls `apply_change` again when it restores the fake.
    """

    def apply(self, backend: Any, name: str, data: Mapping[str, Any]) -> None:
        backend.apply_change(name, data)


@dataclass(frozen=True)
class Context:
    """What every vendor backend is built with."""

    clock: Clock
    random: RandomSource
    config: Config
    changes: Changes = field(default_factory=Changes)
    secret: bytes | None = None  # a signing key to use instead of the process's (a persisted fake's own)
    listening: Listening = field(default_factory=Listening)  # where this fake is served (listening.py)


def load_fixtures(source: str | Path | Mapping[str, Any] | None) -> dict[str, Any]:
    """The fixtures as a mapping, checked against the fixtures schema (storefake/seeding.py).

    Every problem (a missing, empty or malformed file, a misspelled key) is one SeedError line naming the
    file and the place, e.g. `fixtures file f.yaml: bigcommerce.stores[0].accounts[1].scopes: ...`.
    """
    if source is None:
        source = default_fixtures_path()
    where = "fixtures"
    if isinstance(source, Mapping):
        data: Any = dict(source)
    else:
        where = f"fixtures file {source}"
        try:
            data = load_yaml(source, data=True)
        except OSError as exc:
            raise SeedError([], f"{where}: cannot be read: {exc.strerror or exc}") from None
        except yaml.YAMLError as exc:
            raise SeedError([], f"{where}: not valid YAML: {yaml_problem(exc)}") from None
        except UnicodeDecodeError:
            raise SeedError([], f"{where}: not UTF-8 text") from None
        if data is None:
            raise SeedError([], f"{where} is empty; it needs an `adobe` and/or a `bigcommerce` section")
    try:
        check_fixtures(data)
    except SeedError as exc:
        raise SeedError([], f"{where}: {exc}") from None
    return dict(data)


class Fake:
    """Everything one running fake knows; `request.app.state.fake` in every endpoint.

    With `Config.data_dir` the fake is persisted (storefake/persistence): its data dir's fixtures and
    options are used, and `create_app` restores its state before serving.
    """

    def __init__(self, config: Config | None = None) -> None:
        from storefake.adobe.state import AdobeBackend
        from storefake.bigcommerce.state import BigCommerceBackend

        config = config or Config()
        self.persistence: Persistence | None = None
        if config.data_dir is not None:
            from storefake.persistence import Persistence

            self.persistence = Persistence.open(config)  # PersistenceError: a clear line, nothing touched
            config = self.persistence.config
        self.config = config
        self.clock = Clock(self.config.frozen_at)
        self.random = RandomSource(self.config.seed)
        self.journal = Journal(self.config.journal_limit, self.config.journal_max_bytes)
        if self.persistence is None:
            self.fixtures = load_fixtures(self.config.fixtures)
            specs = load_rule_files(self.config.mocks, bundled=data_dir("mocks"))
        else:
            self.fixtures, specs = self.persistence.fixtures, self.persistence.mock_specs
        self._seed_lock = threading.Lock()  # one seed at a time: each locks the stores it writes
        changes = self.persistence if self.persistence is not None else Changes()
        secret = self.persistence.secret if self.persistence is not None else None
        self.listening = Listening()  # filled by whoever serves the fake on a socket
        self.context = Context(self.clock, self.random, self.config, changes, secret, self.listening)
        # Mock rules from Config.mocks survive reset(); rules added at run time do not (faults/ruleset.py).
        self.mocks = RuleSet(self.random, specs)
        self._backend_types = {"adobe": AdobeBackend, "bigcommerce": BigCommerceBackend}
        self.adobe: AdobeBackend
        self.bigcommerce: BigCommerceBackend
        try:
            if self.persistence is not None:
                self.persistence.build(self, self._build)
            else:
                self._build()
        except SeedError as exc:  # a record of the fixtures refused by its vendor's rules
            source = self.config.fixtures
            where = "fixtures" if isinstance(source, Mapping) else f"fixtures file {source or default_fixtures_path()}"
            raise SeedError([], f"{where}: {exc}") from None

    def reset(self) -> None:
        """Forget every write, journal entry and run-time mock rule: back to the fixtures and Config.mocks.

        A persisted fake forgets them on disk too. The clock goes back to real time (or to
        `Config.frozen_at`), so a test that froze or advanced it never hands that time to the next one.
        """
        if self.persistence is not None:
            self.persistence.reset(self._rebuild)
        else:
            self._rebuild()

    def _rebuild(self) -> None:
        self.clock.reset(self.config.frozen_at)
        self._build()

    def _build(self) -> None:
        self._close_backends()
        with seeding("adobe"):
            self.adobe = self._backend_types["adobe"](self.fixtures.get("adobe") or {}, self.context)
        with seeding("bigcommerce"):
            self.bigcommerce = self._backend_types["bigcommerce"](self.fixtures.get("bigcommerce") or {}, self.context)
        self.journal.clear()
        self.mocks.reset()

    def close(self) -> None:
        """Stop the backends' background work (webhook deliveries); a persisted fake also closes its data dir."""
        self._close_backends()
        if self.persistence is not None:
            self.persistence.close()

    def _close_backends(self) -> None:
        for name in ("adobe", "bigcommerce"):
            close = getattr(self.__dict__.get(name), "close", None)  # absent before the first reset
            if close is not None:
                close()

    @property
    def backends(self) -> dict[str, Any]:
        return {"adobe": self.adobe, "bigcommerce": self.bigcommerce}

    def seed(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Load seed data (the vendor sections of a fixtures file, without their settings); counts per vendor.

        All or nothing: the data is checked against the seed schema, then tried on scratch copies of every
        store it names, and written only if all of it went through; SeedError names the first problem.
        """
        check_seed(data)
        if self.persistence is not None:
            return self.persistence.seed(data, self._seed)
        return self._seed(data)

    def _seed(self, data: Mapping[str, Any]) -> dict[str, Any]:
        with self._seed_lock, contextlib.ExitStack() as locked:
            writes = {}
            for name, section in data.items():
                with seeding(name):
                    writes[name] = self.backends[name].prepare_seed(section or {}, locked)
            counts = {}
            for name, write in writes.items():
                with seeding(name):
                    counts[name] = write()
            return counts

    def describe(self, base_url: str) -> list[str]:
        """Lines naming the base URLs and default credentials, for `storefake serve`."""
        lines: list[str] = []
        for backend in self.backends.values():
            lines.extend(backend.describe(base_url))
        return lines


# Where `FakeApp` puts its runtime in every scope: one dict lookup for the endpoints, which all need it,
# where `request.app.state.fake` goes through State's __getattr__.
FAKE_SCOPE_KEY = "storefake.fake"


def fake_of(request: Request) -> Fake:
    """The runtime behind the app serving `request` (any app whose `state.fake` holds one)."""
    return fake_in(request.scope)


def fake_in(scope: Scope) -> Fake:
    """`fake_of` for middleware, which has the scope and no request."""
    fake: Fake | None = scope.get(FAKE_SCOPE_KEY)
    return fake if fake is not None else scope["app"].state.fake
