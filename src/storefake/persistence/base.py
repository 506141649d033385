"""A data dir's base: what its state starts from, kept in the data file's `meta` table.

The fixtures (as YAML text), the documents of the mock rules loaded at start, the options that shape
state (seed, strict, frozen_at), a signing key of its own (IMS tokens outlive restarts) and how many
times the data dir was opened. A data dir made once keeps its base: later starts need not repeat
`--fixtures`, `--mocks`, `--seed` or `--strict`, and a start that gives different ones is refused
(the fake would otherwise replay its writes on top of other data).
"""

from __future__ import annotations

import dataclasses
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from storefake import __version__
from storefake.config import Config
from storefake.faults.rules import RuleError, RuleSpec, load_rule_files, parse_rule
from storefake.persistence.errors import PersistenceError
from storefake.persistence.store import DataFile, dumps
from storefake.resources import data_dir


@dataclass
class Base:
    fixtures: dict[str, Any]
    mock_specs: list[RuleSpec]
    seed: int | None
    strict: bool
    frozen_at: float | None
    secret: bytes
    generation: int
    created: float  # when the data dir was made: the instant the fixtures are loaded at, on every start

    def config_for(self, config: Config) -> Config:
        """`config` with the data dir's own fixtures and options."""
        return dataclasses.replace(
            config, fixtures=self.fixtures, mocks=(), seed=self.seed, strict=self.strict, frozen_at=self.frozen_at
        )


def load_or_create(data: DataFile, config: Config) -> Base:
    """The data file's base (checked against what `config` gives explicitly), or a new one made from `config`."""
    meta = data.meta()
    if "fixtures" not in meta:
        return _create(data, config)
    base = _read(meta, data)
    _check_options(base, config, data)
    base.generation += 1
    data.set_meta({"generation": str(base.generation)})
    return base


def _create(data: DataFile, config: Config) -> Base:
    from storefake.runtime import load_fixtures

    fixtures = _plain(load_fixtures(config.fixtures))
    specs = load_rule_files(config.mocks, bundled=data_dir("mocks"))
    base = Base(fixtures, specs, config.seed, config.strict, config.frozen_at, secrets.token_bytes(32), 1, time.time())
    data.set_meta(
        {
            "created_by": __version__,
            "fixtures": yaml.safe_dump(fixtures, sort_keys=False, allow_unicode=True),
            "mocks": dumps([rule_document(spec) for spec in specs]),
            "options": dumps({"seed": config.seed, "strict": config.strict, "frozen_at": config.frozen_at}),
            "secret": base.secret.hex(),
            "generation": "1",
            "created": repr(base.created),
        }
    )
    return base


def _read(meta: Mapping[str, str], data: DataFile) -> Base:
    try:
        fixtures = yaml.safe_load(meta["fixtures"]) or {}
        specs = [rebuild_rule(item) for item in json.loads(meta["mocks"])]
        options = json.loads(meta["options"])
        return Base(
            fixtures,
            specs,
            options.get("seed"),
            bool(options.get("strict")),
            options.get("frozen_at"),
            bytes.fromhex(meta["secret"]),
            int(meta.get("generation", "0")),
            float(meta["created"]),
        )
    except (KeyError, ValueError, TypeError, yaml.YAMLError) as exc:
        raise PersistenceError(f"{data.path}: its base is unreadable ({exc!r})") from None


def _check_options(base: Base, config: Config, data: DataFile) -> None:
    """Refuse options given explicitly that differ from the data dir's; options left out take its own."""
    from storefake.runtime import load_fixtures

    different: list[str] = []
    if config.fixtures is not None and _plain(load_fixtures(config.fixtures)) != base.fixtures:
        different.append("fixtures")
    if config.mocks:
        given = [rule_document(spec) for spec in load_rule_files(config.mocks, bundled=data_dir("mocks"))]
        if given != [rule_document(spec) for spec in base.mock_specs]:
            different.append("mock rules")
    if config.seed is not None and config.seed != base.seed:
        different.append("seed")
    if config.strict and not base.strict:
        different.append("strict mode")
    if config.frozen_at is not None and config.frozen_at != base.frozen_at:
        different.append("frozen clock")
    if different:
        directory = data.path.parent
        raise PersistenceError(
            f"{directory} holds a fake made with other {' and '.join(different)}: start it with the same "
            "options (or none of them), or use another data dir"
        )


def rule_document(spec: RuleSpec) -> dict[str, Any]:
    return {"id": spec.id, "document": dict(spec.document), "source": spec.source}


def rebuild_rule(item: Mapping[str, Any]) -> RuleSpec:
    try:
        spec = parse_rule(item["document"], where=f"stored mock rule {item['id']!r}", default_id=item["id"])
    except RuleError as exc:
        raise PersistenceError(str(exc)) from None
    return dataclasses.replace(spec, source=str(item.get("source", "")))


def rebuild_rules(items: Sequence[Mapping[str, Any]]) -> list[RuleSpec]:
    return [rebuild_rule(item) for item in items]


def _plain(fixtures: Mapping[str, Any]) -> dict[str, Any]:
    """Fixtures as they read back from YAML (the form they are kept in), so comparisons are like for like."""
    try:
        return yaml.safe_load(yaml.safe_dump(dict(fixtures), sort_keys=False)) or {}
    except yaml.YAMLError as exc:
        raise PersistenceError(f"fixtures can't be kept in a data dir: {exc}") from None
