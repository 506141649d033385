"""Near misses: for a request nothing answered, the routes and mock rules that came closest, and why not.

Worked out when a journal entry is read, never while a request is served: the routes are fixed when the
app is built, so whether one served a recorded request is decided again, exactly as the router decided
it (`Dispatcher.unrouted`); the mock rules are those in force both when the request came and when the
entry is read (a rule added later never saw the request). Route candidates are compared segment by
segment (the first segment that differs, and why: another word, another letter case, a parameter's
type); rules criterion by criterion (`faults.matching.mismatches`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.routing import compile_path

from storefake.dispatch import Dispatcher, Surface
from storefake.faults.matching import NO_BODY, Target, mismatches, parse_body
from storefake.faults.ruleset import RuleSet
from storefake.journal import CONTROL_PREFIX

if TYPE_CHECKING:
    from storefake.journal import JournalEntry

SHOWN = 3  # candidates reported per kind, closest first, as WireMock's near-miss reports do
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
_KINDS = {"int": "an integer", "float": "a number", "uuid": "a UUID"}
QUOTED = 80  # characters of the request's own text a reason quotes; the journal entry has the whole path


def _quoted(text: str) -> str:
    """`text` as a reason quotes it: shortened with an ellipsis past QUOTED characters."""
    return text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"


@dataclass(frozen=True, slots=True)
class RouteTemplate:
    """One path a vendor serves (its full template, mount included) and every method it serves it with."""

    path: str
    methods: tuple[str, ...]
    surface: Surface
    segments: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, path: str, methods: Iterable[str], surface: Surface) -> RouteTemplate:
        segments = tuple(path.split("/")[1:])
        patterns = tuple(compile_path("/" + segment)[0] for segment in segments)
        return cls(path, tuple(sorted(set(methods) - {"HEAD"})), surface, segments, patterns)

    def compare(self, method: str, path: str) -> tuple[tuple[Any, ...], list[str]]:
        """(a score, higher is closer; the reasons this template does not serve `method path`)."""
        actual = path.split("/")[1:]
        same = [i < len(actual) and bool(p.fullmatch("/" + actual[i])) for i, p in enumerate(self.patterns)]
        prefix = next((i for i, ok in enumerate(same) if not ok), len(same))
        reasons: list[str] = []
        likeness = 1.0
        if prefix < min(len(self.segments), len(actual)):
            reason, likeness = self._segment_reason(prefix, actual[prefix])
            reasons.append(reason)
        if len(actual) < len(self.segments):
            rest = "/".join(self.segments[len(actual) :])
            reasons.append(f"path is too short: the route goes on with /{rest}")
        elif len(actual) > len(self.segments):
            rest = "/".join(actual[len(self.segments) :])
            reasons.append(
                "path ends with a slash the route does not have" if rest == "" else f"path goes on: /{_quoted(rest)}"
            )
        method_ok = method in self.methods or (method == "HEAD" and "GET" in self.methods)
        if not method_ok:
            reasons.append(f"method differs: the route serves {', '.join(self.methods)}, got {method}")
        path_ok = prefix == len(self.segments) == len(actual)
        score = (path_ok, sum(same), prefix, -abs(len(actual) - len(self.segments)), method_ok, likeness)
        return score, reasons

    def _segment_reason(self, index: int, got: str) -> tuple[str, float]:
        wanted = self.segments[index]
        where = f"path differs at segment {index + 1}"
        param = _PARAM.fullmatch(wanted)
        if param is not None:
            kind = _KINDS.get(param.group(2) or "", "a value")
            got_text = "nothing" if got == "" else repr(_quoted(got))
            return f"{where}: {{{param.group(1)}}} takes {kind}, got {got_text}", 0.5
        if got.lower() == wanted.lower():
            return f"{where}: wants {wanted!r}, got {got!r} (letter case differs)", 0.99
        likeness = difflib.SequenceMatcher(None, wanted, got[: len(wanted) * 2]).ratio()  # a long one is unlike
        return f"{where}: wants {wanted!r}, got {_quoted(got)!r}", likeness


class NearMisses:
    """Explains journal entries: `explain(entry)` is None when a route and, if rules exist, a rule served it."""

    def __init__(self, router: Dispatcher, rules: RuleSet) -> None:
        self.router = router
        self.rules = rules
        self._templates: list[RouteTemplate] | None = None

    def templates(self) -> list[RouteTemplate]:
        if self._templates is None:
            methods: dict[str, tuple[Surface, set[str]]] = {}  # a path is served by one surface only
            for surface in self.router.routes:
                if isinstance(surface, Surface) and surface.path != CONTROL_PREFIX:
                    for route in surface.table.routes:
                        methods.setdefault(surface.path + route.path, (surface, set()))[1].update(route.methods or ())
            self._templates = [RouteTemplate.of(path, found, surface) for path, (surface, found) in methods.items()]
        return self._templates

    def explain(self, entry: JournalEntry) -> dict[str, Any] | None:
        if entry.rule is not None:
            return None  # a rule answered it (or delayed it on its way to the fake)
        routes = self.routes(entry.method, entry.path)
        rules = self.rule_misses(entry)
        return {"routes": routes, "rules": rules} if routes or rules else None

    def routes(self, method: str, path: str) -> list[dict[str, Any]]:
        """The closest routes when none serves `method path`; empty when one does."""
        unrouted = self.router.unrouted(method, path)
        if unrouted is None:
            return []
        entered = unrouted[1]
        ranked = []
        for template in self.templates():
            score, reasons = template.compare(method, path)
            if not reasons and template.surface is not entered:  # served there, but another mount takes the path
                reasons = [f"the path belongs to {entered.path if entered else 'no mount'}: its first segment is taken"]
            ranked.append((score, template, reasons))
        ranked.sort(key=lambda item: item[0], reverse=True)
        return [
            {"route": template.path, "methods": list(template.methods), "reasons": reasons}
            for _score, template, reasons in ranked[:SHOWN]
        ]

    def rule_misses(self, entry: JournalEntry) -> list[dict[str, Any]]:
        """The rules in force when the request came that were closest to matching it (none answered it),
        fewest failed criteria first; a rule added since is left out, it never saw the request."""
        came = entry.timestamp - entry.duration_ms / 1000  # the entry's timestamp is when the answer went
        rules = [rule for rule in self.rules if rule.added <= came]
        if not rules:
            return []
        target = entry_target(entry)
        body = entry_body(entry) if any(rule.spec.match.body is not None for rule in rules) else NO_BODY
        ranked = []
        for order, rule in enumerate(rules):
            reasons = mismatches(rule.spec.match, target, body) or [
                "its criteria match: it passed the request on (after, times or probability)"
            ]
            ranked.append((len(reasons), order, {"rule": rule.id, "reasons": reasons}))
        ranked.sort(key=lambda item: item[:2])
        return [miss for _count, _order, miss in ranked[:SHOWN]]


def entry_target(entry: JournalEntry) -> Target:
    """What mock rules see of a recorded request (secret values redacted, as the journal keeps them)."""
    headers = [(k.encode("latin-1", "replace"), v.encode("latin-1", "replace")) for k, v in entry.headers.items()]
    return Target.of(entry.method, entry.path, entry.query, headers)


def entry_body(entry: JournalEntry) -> Any:
    """A recorded request's body as body matchers read it (NO_BODY: neither JSON nor a form)."""
    return parse_body(entry.body.encode("utf-8", "replace"), entry.headers.get("content-type", ""))
