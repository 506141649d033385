"""Which of the vendors' published operations storefake fakes, derived from the app's routes.

The operations are data (contracts/operations/<vendor>.yaml, written by tools/operations.py from the
vendors' own OpenAPI files); whether one is faked is never written down: an operation is faked when a
route of the app serves its method and path template. From the two come the coverage document
(COVERAGE.md, `storefake coverage --write`) and, for every operation still not faked, the 501 answer of
`Unimplemented` (a surface asks it only when no route served the request).
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Scope

from storefake.dispatch import UNIMPLEMENTED_HEADER
from storefake.errors import DomainError, NotFakedYet
from storefake.resources import data_dir, load_yaml

VENDORS = ("bigcommerce", "adobe")
TITLES = {"bigcommerce": "BigCommerce", "adobe": "Adobe Commerce as a Cloud Service and Adobe IMS"}
CONTROL_PREFIX = "/__storefake"
_PARAM = re.compile(r"\{[^}]*\}")


def template(path: str) -> str:
    """`/a/{x}/b` and `/a/{y:int}/b` both become `/a/{}/b`: two templates are the same path when equal."""
    return _PARAM.sub("{}", path)


@dataclass(frozen=True)
class Operation:
    """One published operation: method, path template on the fake's host, family, id and summary."""

    vendor: str
    method: str
    path: str
    family: str
    operation: str
    summary: str
    acl: str | None = None  # Adobe: the ACL resource Magento's 401 names

    @property
    def key(self) -> tuple[str, str]:
        return self.method, template(self.path)


@functools.cache
def operations(vendor: str) -> tuple[Operation, ...]:
    """`vendor`'s operations as listed in contracts/operations/<vendor>.yaml."""
    if vendor not in VENDORS:
        raise KeyError(f"no operation list for {vendor!r}; known: {', '.join(VENDORS)}")
    document = load_yaml(data_dir("contracts") / "operations" / f"{vendor}.yaml")
    return tuple(
        Operation(
            vendor=vendor,
            method=item["method"],
            path=item["path"],
            family=item["family"],
            operation=item["operation"],
            summary=item.get("summary") or "",
            acl=item.get("acl"),
        )
        for item in document["operations"]
    )


def source_of(vendor: str) -> dict[str, str]:
    document = load_yaml(data_dir("contracts") / "operations" / f"{vendor}.yaml")
    return dict(document.get("sources") or {})


def walk(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(METHOD, path template) of every route below `routes`; HEAD (Starlette adds it to GET) left out."""
    for route in routes:
        if isinstance(route, Mount):
            yield from walk(route.routes or [], prefix + route.path)
        elif isinstance(route, Route):
            for method in route.methods or ():
                if method != "HEAD":
                    yield method, prefix + route.path


def served(routes: Iterable[BaseRoute]) -> set[tuple[str, str]]:
    """The vendor operations `routes` serve, as (METHOD, template) pairs; the control API is not one."""
    return {(m, template(p)) for m, p in walk(routes) if not p.startswith(CONTROL_PREFIX)}


@dataclass(frozen=True)
class Coverage:
    """Each listed operation with whether a route serves it, and the served routes no list names."""

    faked: dict[str, list[tuple[Operation, bool]]]
    unlisted: list[tuple[str, str]]

    def counts(self, vendor: str, family: str | None = None) -> tuple[int, int]:
        rows = [(op, done) for op, done in self.faked[vendor] if family is None or op.family == family]
        return sum(done for _, done in rows), len(rows)

    def families(self, vendor: str) -> list[str]:
        return sorted({op.family for op, _ in self.faked[vendor]})

    def not_faked(self, vendor: str) -> list[Operation]:
        return [op for op, done in self.faked[vendor] if not done]


def coverage(routes: Iterable[BaseRoute] | None = None) -> Coverage:
    """The coverage of the app's routes (by default a fresh app's) against the operation lists."""
    if routes is None:
        from storefake.app import create_app

        routes = create_app().routes
    routes_served = served(routes)
    faked = {vendor: [(op, op.key in routes_served) for op in operations(vendor)] for vendor in VENDORS}
    listed = {op.key for vendor in VENDORS for op in operations(vendor)}
    return Coverage(faked=faked, unlisted=sorted(routes_served - listed))


def percent(done: int, total: int) -> str:
    return f"{100 * done / total:.0f}%" if total else "-"


def summary_lines(result: Coverage) -> list[str]:
    lines = []
    for vendor in VENDORS:
        done, total = result.counts(vendor)
        lines.append(f"{vendor}: {done} of {total} operations faked ({percent(done, total)})")
        for family in result.families(vendor):
            f_done, f_total = result.counts(vendor, family)
            lines.append(f"  {family:<24} {f_done:>3} of {f_total:<3} ({percent(f_done, f_total)})")
    for method, path in result.unlisted:
        lines.append(f"served but in no operation list: {method} {path}")
    return lines


def markdown(result: Coverage) -> str:
    """COVERAGE.md: per vendor and family, every listed operation, faked or not (deterministic text)."""
    out = [
        "# Implementation coverage",
        "",
        "Generated by `storefake coverage --write COVERAGE.md` from the operation lists in",
        "`contracts/operations/` and the app's routes; do not edit by hand. An operation is faked when a",
        "route serves its method and path; every other one answers a 501 in the vendor's error format,",
        "naming the operation (see the README's *Operations storefake does not fake*).",
        "",
        "| Vendor | Faked | Operations | Coverage |",
        "| --- | ---: | ---: | ---: |",
    ]
    for vendor in VENDORS:
        done, total = result.counts(vendor)
        out.append(f"| {TITLES[vendor]} | {done} | {total} | {percent(done, total)} |")
    for vendor in VENDORS:
        source = source_of(vendor)
        out += ["", f"## {TITLES[vendor]}", ""]
        if source:
            out += [f"Listed from {source.get('repository', '')} at commit `{source.get('commit', '')}`.", ""]
        out += ["| Family | Faked | Operations | Coverage |", "| --- | ---: | ---: | ---: |"]
        for family in result.families(vendor):
            done, total = result.counts(vendor, family)
            out.append(f"| {family} | {done} | {total} | {percent(done, total)} |")
        for family in result.families(vendor):
            out += ["", f"### {vendor} / {family}", ""]
            for op, done in result.faked[vendor]:
                if op.family == family:
                    summary = f": {op.summary}" if op.summary else ""
                    out.append(f"- [{'x' if done else ' '}] `{op.method} {op.path}` {op.operation}{summary}")
    return "\n".join(out) + "\n"


# --- the 501 for operations not faked yet ------------------------------------------------------------------


Authorize = Callable[[Scope, Operation], None]


class Unimplemented:
    """The operations of `vendor` not faked yet under one surface (mounted at `prefix`, serving `routes`).

    A surface asks `answer` only when no route served a request (dispatch.py), so served requests pay
    nothing. The index is built on the first such request. A literal segment of an operation wins over a
    route's parameter there, so `/v3/catalog/products/channel-assignments` is never read as a product id.
    `authorize` runs the vendor's authentication for the operation first where routing does not (Adobe
    checks the token per route, with the route's ACL); it raises the vendor's error for a caller the
    vendor would turn away.
    """

    def __init__(
        self, vendor: str, prefix: str, routes: Iterable[BaseRoute], *, authorize: Authorize | None = None
    ) -> None:
        self.vendor = vendor
        self.prefix = prefix
        self.authorize = authorize
        self._routes = list(routes)
        self._index: list[tuple[re.Pattern[str], Operation, list[str]]] | None = None

    def _build(self) -> list[tuple[re.Pattern[str], Operation, list[str]]]:
        routes_served = served(self._routes)
        index = []
        for op in operations(self.vendor):
            if not op.path.startswith(self.prefix + "/"):
                continue
            below = op.path[len(self.prefix) :]
            if (op.method, template(below)) in routes_served:
                continue
            segments = below.split("/")
            pattern = "/".join("[^/]+" if _PARAM.fullmatch(s) else re.escape(s) for s in segments)
            index.append((re.compile(pattern), op, segments))
        # Most literal first: /products/channel-assignments before /products/{product_id}.
        index.sort(key=lambda item: [_PARAM.fullmatch(s) is not None for s in item[2]])
        return index

    def find(self, method: str, path: str, route_path: str | None = None) -> Operation | None:
        """The not-faked operation `method path` (path below the surface) asks for, if any.

        `route_path` is the template of a route that matched the path but failed: only an operation with a
        literal segment where that route has a parameter is taken then (the route was not the one asked).
        """
        if self._index is None:
            self._index = self._build()
        for pattern, op, segments in self._index:
            if op.method != method or pattern.fullmatch(path) is None:
                continue
            if route_path is None or _more_literal(segments, route_path.split("/")):
                return op
        return None

    def answer(
        self, scope: Scope, method: str, path: str, route_path: str | None
    ) -> tuple[Exception, str | None] | None:
        """The error to draw instead (the 501, or the vendor's refusal of the caller) and the header value
        naming the operation, or None when `method path` is no operation of the list."""
        op = self.find(method, path, route_path)
        if op is None:
            return None
        if self.authorize is not None:
            try:
                self.authorize(scope, op)
            except DomainError as refused:
                return refused, None
        return NotFakedYet(op.method, op.path, op.operation), f"{op.family} {op.operation}"


def marker(headers: Mapping[str, str]) -> dict[str, str] | None:
    """The journal's `unimplemented` field, from the header a 501 names its operation in."""
    header = headers.get(UNIMPLEMENTED_HEADER)
    if not header or " " not in header:
        return None
    family, operation = header.split(" ", 1)
    return {"operation": operation, "family": family}


def _more_literal(segments: list[str], route_segments: list[str]) -> bool:
    """Does the operation have a literal where the route has a parameter, before any opposite case?"""
    for own, other in zip(segments, route_segments, strict=False):
        own_param, other_param = _PARAM.fullmatch(own) is not None, _PARAM.fullmatch(other) is not None
        if own_param != other_param:
            return other_param
    return False


# --- command line --------------------------------------------------------------------------------------------


def add_command(commands: Any) -> None:
    parser = commands.add_parser(
        "coverage", help="which vendor operations the fake serves (writes COVERAGE.md with --write)"
    )
    _arguments(parser)
    parser.set_defaults(handler=run)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", metavar="FILE", help="write the coverage document (Markdown) to FILE")
    parser.add_argument("--check", metavar="FILE", help="exit 1 if FILE is not the current coverage document")
    parser.add_argument("--markdown", action="store_true", help="print the coverage document instead of a summary")


def run(args: argparse.Namespace) -> int:
    result = coverage()
    text = markdown(result)
    status = 0
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    if args.check:
        try:
            current = Path(args.check).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"storefake: cannot read {args.check}: {exc.strerror}", file=sys.stderr)
            return 2
        if current != text:
            print(f"storefake: {args.check} is stale: run `storefake coverage --write {args.check}`", file=sys.stderr)
            status = 1
    if args.markdown:
        sys.stdout.write(text)
    else:
        print("\n".join(summary_lines(result)))
    if result.unlisted:
        print("storefake: served routes missing from contracts/operations/: add them (tools/operations.py)")
        status = status or 1
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m storefake.coverage [--write FILE] [--check FILE] [--markdown]`, as `storefake coverage`."""
    parser = argparse.ArgumentParser(prog="python -m storefake.coverage", description=__doc__.split("\n\n")[0])
    _arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
