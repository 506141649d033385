"""Does a request match a rule? Pure functions over a `Target` (what the request is) and a `Match`.

The vendor and tenant come from the path alone, the same way the app routes it: `/ims/...` is IMS,
`/oauth2/...` and `/stores/{hash}/...` are BigCommerce, any other first segment is an Adobe tenant.
Patterns are tried against the path relative to the vendor base (`/V1/customers`, `/v3/catalog/products`)
and against the full path, so both spellings work.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from storefake.faults.rules import Match

NO_BODY = object()  # the body was not read, or could not be parsed


@dataclass(frozen=True, slots=True)
class Target:
    """What the rules see of one request."""

    method: str
    path: str
    relative_path: str
    vendor: str | None
    tenant: str | None
    query: Mapping[str, list[str]]

    @classmethod
    def of(cls, method: str, path: str, query_string: str = "") -> Target:
        vendor, tenant, relative = split_path(path)
        return cls(method.upper(), path, relative, vendor, tenant, parse_qs(query_string, keep_blank_values=True))


def split_path(path: str) -> tuple[str | None, str | None, str]:
    """(vendor, tenant or store hash, path relative to the vendor base) for an app path."""
    parts = path.split("/", 3)  # "", first, second, rest
    first = parts[1] if len(parts) > 1 else ""
    if first == "ims":
        return "ims", None, path
    if first == "oauth2":
        return "bigcommerce", None, path
    if first == "stores" and len(parts) > 2 and parts[2]:
        return "bigcommerce", parts[2], "/" + parts[3] if len(parts) > 3 else ""
    if first:
        rest = path[len(first) + 1 :]
        return "adobe", first, rest
    return None, None, path


def matches(match: Match, target: Target, body: Any = NO_BODY) -> bool:
    """Every criterion given holds; body criteria need the parsed body (NO_BODY never matches one)."""
    return matches_head(match, target) and matches_body(match, body)


def matches_body(match: Match, body: Any) -> bool:
    return match.body is None or (body is not NO_BODY and subset(match.body, body))


def matches_head(match: Match, target: Target) -> bool:
    """Every criterion except the body's: decidable before reading the request body."""
    if match.vendor != "any" and match.vendor != target.vendor:
        return False
    if match.tenants and target.tenant not in match.tenants:
        return False
    if match.methods and target.method not in match.methods:
        return False
    candidates = (target.relative_path, target.path)
    if match.path_globs is not None and not any(match.path_globs.match(c) for c in candidates):
        return False
    if match.path_regexes and not any(r.fullmatch(c) for r in match.path_regexes for c in candidates):
        return False
    return all(_query_holds(target.query.get(key), wanted) for key, wanted in match.query.items())


def _query_holds(actual: list[str] | None, wanted: Sequence[str] | None) -> bool:
    if actual is None:
        return False
    return wanted is None or any(value in wanted for value in actual)


def subset(pattern: Any, actual: Any) -> bool:
    """`pattern` is contained in `actual`: mappings by key (recursively), lists item by item (each pattern
    item matches some actual item), scalars by equality (a string pattern also equals a scalar's text,
    because form bodies carry only strings)."""
    if isinstance(pattern, Mapping):
        return isinstance(actual, Mapping) and all(k in actual and subset(v, actual[k]) for k, v in pattern.items())
    if isinstance(pattern, list):
        return isinstance(actual, list) and all(any(subset(p, a) for a in actual) for p in pattern)
    if isinstance(pattern, bool) or isinstance(actual, bool):
        return pattern is actual or (isinstance(actual, str) and actual == str(pattern).lower())
    if isinstance(actual, str) and not isinstance(pattern, str):
        return actual == str(pattern)
    return bool(pattern == actual)


def parse_body(raw: bytes, content_type: str) -> Any:
    """The body as JSON, or a form as a flat mapping; NO_BODY when it is neither."""
    if "application/x-www-form-urlencoded" in content_type:
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return NO_BODY
        return {k: v[0] if len(v) == 1 else v for k, v in form.items()}
    try:
        return json.loads(raw)
    except ValueError:
        return NO_BODY
