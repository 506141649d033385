"""The fake's runtime: one object holding the clock, journal, randomness and every vendor's state.

`reset()` builds fresh vendor backends from the fixtures (moto's rule: all state is created in
`__init__`, so a reset is a new object), which keeps a reset cheap and complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.types import Scope

from storefake.clock import Clock
from storefake.config import Config
from storefake.faults.ruleset import RuleSet
from storefake.journal import Journal
from storefake.randomness import RandomSource
from storefake.resources import data_dir, default_fixtures_path, load_yaml


@dataclass(frozen=True)
class Context:
    """What every vendor backend is built with."""

    clock: Clock
    random: RandomSource
    config: Config


def load_fixtures(source: str | Path | Mapping[str, Any] | None) -> dict[str, Any]:
    if source is None:
        source = default_fixtures_path()
    if isinstance(source, Mapping):
        return dict(source)
    data = load_yaml(source)
    if not isinstance(data, dict):
        raise ValueError(f"fixtures file {source} must hold a mapping at the top level")
    return data


class Fake:
    """Everything one running fake knows; `request.app.state.fake` in every endpoint."""

    def __init__(self, config: Config | None = None) -> None:
        from storefake.adobe.state import AdobeBackend
        from storefake.bigcommerce.state import BigCommerceBackend

        self.config = config or Config()
        self.clock = Clock(self.config.frozen_at)
        self.random = RandomSource(self.config.seed)
        self.journal = Journal(self.config.journal_limit)
        self.fixtures = load_fixtures(self.config.fixtures)
        self.context = Context(self.clock, self.random, self.config)
        # Mock rules from Config.mocks survive reset(); rules added at run time do not (faults/ruleset.py).
        self.mocks = RuleSet.from_files(self.random, self.config.mocks, bundled=data_dir("mocks"))
        self._backend_types = {"adobe": AdobeBackend, "bigcommerce": BigCommerceBackend}
        self.adobe: AdobeBackend
        self.bigcommerce: BigCommerceBackend
        self.reset()

    def reset(self) -> None:
        """Forget every write, journal entry and run-time mock rule: back to the fixtures and Config.mocks."""
        self.close()
        self.adobe = self._backend_types["adobe"](self.fixtures.get("adobe") or {}, self.context)
        self.bigcommerce = self._backend_types["bigcommerce"](self.fixtures.get("bigcommerce") or {}, self.context)
        self.journal.clear()
        self.mocks.reset()

    def close(self) -> None:
        """Stop the backends' background work (webhook deliveries) of the current state."""
        for name in ("adobe", "bigcommerce"):
            close = getattr(self.__dict__.get(name), "close", None)  # absent before the first reset
            if close is not None:
                close()

    @property
    def backends(self) -> dict[str, Any]:
        return {"adobe": self.adobe, "bigcommerce": self.bigcommerce}

    def seed(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Load seed data (same shape as a fixtures file's vendor sections); returns counts per vendor."""
        unknown = set(data) - set(self.backends)
        if unknown:
            raise ValueError(f"unknown vendor section(s): {', '.join(sorted(unknown))}")
        return {name: self.backends[name].seed(section or {}) for name, section in data.items()}

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
