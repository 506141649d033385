"""The ordered, thread-safe set of mock rules a fake holds (`fake.mocks`), with per-rule counters.

Rules are tried in order and the first one that *applies* answers. A rule whose criteria match still
passes the request on while it is inside its `after` allowance, once its `times` are used up, or when its
`probability` draw fails; the next rules are then tried. Counters and the random draw happen under one
lock, so `times: 3` means exactly three answers even with concurrent clients.

Rules loaded at start (Config.mocks) are kept as the set's baseline: `reset()` goes back to exactly
them, with fresh counters, and forgets rules added at run time.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storefake.faults.matching import NO_BODY, Target, matches_body, matches_head
from storefake.faults.rules import RuleError, RuleSpec, load_rule_files, parse_rules
from storefake.randomness import RandomSource


@dataclass(slots=True)
class Rule:
    """A rule in a rule set: its spec plus how many requests it matched and answered."""

    spec: RuleSpec
    origin: str  # "loaded" (Config.mocks / --mocks) or "runtime"
    matched: int = 0
    hits: int = 0
    # When the rule entered the set (wall clock, as journal timestamps): near misses name only the rules a
    # recorded request could have met.
    added: float = field(default_factory=time.time)

    @property
    def id(self) -> str:
        return self.spec.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": self.origin,
            "source": self.spec.source or None,
            "matched": self.matched,
            "hits": self.hits,
            "rule": dict(self.spec.document),
        }


class RuleSet:
    """`fake.mocks`: add, list, remove and pick mock rules."""

    def __init__(self, random: RandomSource, loaded: Iterable[RuleSpec] = ()) -> None:
        self._random = random
        self._lock = threading.Lock()
        self._names = itertools.count(1)
        self._baseline = list(loaded)
        self._check_unique(self._baseline)
        self._rules: list[Rule] = []
        # Set by persistence (storefake/persistence): told of every change the set makes on its own,
        # `(operation, payload)` with operation add, remove, clear or count (counters after `pick`).
        self.observer: Callable[[str, Any], None] | None = None
        self.reset()

    @classmethod
    def from_files(cls, random: RandomSource, paths: Iterable[str | Path], bundled: Path | None = None) -> RuleSet:
        return cls(random, load_rule_files(paths, bundled))

    # Python API
    def add(self, rules: Any, *, first: bool = False) -> list[Rule]:
        """Add one rule (a mapping) or several (a list, or {"rules": [...]}); all or none are added."""
        specs = parse_rules(rules, where="mock rule")
        return self.add_specs(specs, first=first, origin="runtime")

    def load(self, *paths: str | Path) -> list[Rule]:
        """Add the rules of YAML/JSON files or directories, as run-time rules."""
        return self.add_specs(load_rule_files(paths), origin="runtime")

    def add_specs(self, specs: list[RuleSpec], *, first: bool = False, origin: str = "runtime") -> list[Rule]:
        with self._lock:
            named = [self._named(spec) for spec in specs]
            self._check_unique([*(r.spec for r in self._rules), *named])
            added = [Rule(spec, origin) for spec in named]
            self._rules = [*added, *self._rules] if first else [*self._rules, *added]
        if self.observer is not None:
            self.observer("add", (added, first))
        return added

    def remove(self, rule_id: str) -> Rule:
        with self._lock:
            for index, rule in enumerate(self._rules):
                if rule.id == rule_id:
                    removed = self._rules.pop(index)
                    break
            else:
                raise KeyError(rule_id)
        if self.observer is not None:
            self.observer("remove", rule_id)
        return removed

    def clear(self) -> None:
        """Remove every rule, loaded ones included (until the next `reset()`)."""
        with self._lock:
            self._rules = []
        if self.observer is not None:
            self.observer("clear", None)

    def reset(self) -> None:
        """Back to the rules loaded at start, with zeroed counters; run-time rules are dropped."""
        with self._lock:
            self._rules = [Rule(spec, "loaded") for spec in self._baseline]

    def __getitem__(self, rule_id: str) -> Rule:
        for rule in self:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)  # the list is replaced, never mutated in place: iteration is safe

    def __len__(self) -> int:
        return len(self._rules)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def to_list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_dict() for rule in self._rules]

    # the middleware's side
    def candidates(self, target: Target) -> list[Rule]:
        """Rules whose criteria other than the body hold for this request, in order."""
        return [rule for rule in self if matches_head(rule.spec.match, target)]

    def pick(self, target: Target, body: Any = NO_BODY, candidates: list[Rule] | None = None) -> Rule | None:
        """The first rule that matches and applies to this request; counts it."""
        if candidates is None:
            candidates = self.candidates(target)
        candidates = [rule for rule in candidates if matches_body(rule.spec.match, body)]
        if not candidates:
            return None
        picked = None
        tried = 0
        with self._lock:
            for rule in candidates:
                tried += 1
                if self._applies(rule):
                    picked = rule
                    break
            counters = [(r.id, r.matched, r.hits) for r in candidates[:tried]] if self.observer is not None else []
        if self.observer is not None:
            self.observer("count", counters)
        return picked

    def set_counters(self, counters: Iterable[tuple[str, int, int]]) -> None:
        """Put rules' counters back (restoring a fake); ids no longer in the set are skipped."""
        by_id = {rule.id: rule for rule in self._rules}
        with self._lock:
            for rule_id, matched, hits in counters:
                rule = by_id.get(rule_id)
                if rule is not None:
                    rule.matched, rule.hits = matched, hits

    def _applies(self, rule: Rule) -> bool:
        spec = rule.spec
        rule.matched += 1
        if rule.matched <= spec.after:
            return False
        if spec.times is not None and rule.hits >= spec.times:
            return False
        if spec.probability is not None and not self._random.random() < spec.probability:
            return False
        rule.hits += 1
        return True

    def _named(self, spec: RuleSpec) -> RuleSpec:
        if spec.id:
            return spec
        taken = {r.id for r in self._rules}
        name = next(n for n in (f"rule-{i}" for i in self._names) if n not in taken)
        return RuleSpec(**{**spec.__dict__, "id": name})

    @staticmethod
    def _check_unique(specs: list[RuleSpec]) -> None:
        seen: set[str] = set()
        for spec in specs:
            if spec.id in seen:
                raise RuleError(f"a mock rule with id {spec.id!r} already exists")
            seen.add(spec.id)
