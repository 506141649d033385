"""Does a request match a rule? Pure functions over a `Target` (what the request is) and a `Match`.

The vendor and tenant come from the path alone, the same way the app routes it: `/ims/...` is IMS,
`/oauth2/...` and `/stores/{hash}/...` are BigCommerce, any other first segment is an Adobe tenant.
Patterns are tried against the path relative to the vendor base (`/V1/customers`, `/v3/catalog/products`)
and against the full path, so both spellings work.

`matches` answers yes or no on every request a rule set sees; `mismatches` says why not, criterion by
criterion, and is only called to explain a miss (near misses in the journal): the two agree by
construction, each criterion being decided by the same predicate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from storefake import wire
from storefake.faults.rules import Match

NO_BODY = object()  # the body was not read, or could not be parsed
RawHeaders = Sequence[tuple[bytes, bytes]]  # ASGI header pairs, names in lower case


@dataclass(frozen=True, slots=True)
class Target:
    """What the rules see of one request."""

    method: str
    path: str
    relative_path: str
    vendor: str | None
    tenant: str | None
    query: Mapping[str, list[str]]
    headers: RawHeaders = ()  # kept as the server gave them: read only by rules that match a header

    @classmethod
    def of(cls, method: str, path: str, query_string: str = "", headers: RawHeaders = ()) -> Target:
        vendor, tenant, relative = split_path(path)
        query = parse_qs(query_string, keep_blank_values=True)
        return cls(method.upper(), path, relative, vendor, tenant, query, headers)


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
    if not all(_values_hold(target.query.get(key), wanted) for key, wanted in match.query.items()):
        return False
    return not match.headers or all(
        _values_hold(header_values(target.headers, name), wanted) for name, wanted in match.headers.items()
    )


def _values_hold(actual: list[str] | None, wanted: Sequence[str] | None) -> bool:
    """A query parameter or header is present (`wanted` None) or has one of the wanted values."""
    if actual is None:
        return False
    return wanted is None or any(value in wanted for value in actual)


def header_values(headers: RawHeaders, name: str) -> list[str] | None:
    """Every value of header `name` (lower case), or None when the request has none."""
    key = name.encode("latin-1")
    values = [value.decode("latin-1") for found, value in headers if found.lower() == key]
    return values or None


def mismatches(match: Match, target: Target, body: Any = NO_BODY) -> list[str]:
    """Why `match` does not match the request: one reason per criterion that fails (empty: it matches)."""
    candidates = (target.relative_path, target.path)
    shown = target.relative_path or target.path
    reasons: list[str] = []
    if match.vendor != "any" and match.vendor != target.vendor:
        reasons.append(f"vendor differs: wants {match.vendor}, got {target.vendor or 'none'}")
    if match.tenants and target.tenant not in match.tenants:
        got = "none" if target.tenant is None else _shown(target.tenant)
        reasons.append(f"tenant or store differs: wants {_one_of(match.tenants)}, got {got}")
    if match.methods and target.method not in match.methods:
        reasons.append(f"method differs: wants {' or '.join(match.methods)}, got {target.method}")
    if match.path_globs is not None and not any(match.path_globs.match(c) for c in candidates):
        reasons.append(f"path differs: {_shown(shown)} matches none of {_one_of(match.paths)}")
    if match.path_regexes and not any(r.fullmatch(c) for r in match.path_regexes for c in candidates):
        patterns = _one_of([r.pattern for r in match.path_regexes])
        reasons.append(f"path_regex differs: {_shown(shown)} matches none of {patterns}")
    for key, wanted in match.query.items():
        reasons += _value_reasons("query parameter", key, target.query.get(key), wanted)
    for name, wanted in match.headers.items():
        reasons += _value_reasons("header", name, header_values(target.headers, name), wanted)
    if match.body is not None:
        if body is NO_BODY:
            reasons.append("body matcher failed: the request has no JSON or form body")
        else:
            where = subset_mismatch(match.body, body)
            if where is not None:
                reasons.append(f"body matcher failed: {where}")
    return reasons


def _value_reasons(kind: str, key: str, actual: list[str] | None, wanted: Sequence[str] | None) -> list[str]:
    if _values_hold(actual, wanted):
        return []
    if actual is None:
        return [f"{kind} {key!r} is missing"]
    assert wanted is not None  # present values fail only against a list of wanted ones
    return [f"{kind} {key!r} differs: wants {_one_of(wanted)}, got {_one_of(actual)}"]


def _one_of(values: Iterable[str]) -> str:
    return " or ".join(_shown(v) for v in values)


def _shown(value: Any, limit: int = 80) -> str:
    """A value as JSON text, cut to `limit` characters: reasons stay one short line."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def subset_mismatch(pattern: Any, actual: Any, where: str = "$") -> str | None:
    """Where `subset(pattern, actual)` fails, as a JSON path and what was expected (None: it holds)."""
    if subset(pattern, actual):
        return None
    if isinstance(pattern, Mapping):
        if not isinstance(actual, Mapping):
            return f"{where} is {_kind(actual)}, wants an object"
        for key, value in pattern.items():
            if key not in actual:
                return f"{where}.{key} is missing"
            found = subset_mismatch(value, actual[key], f"{where}.{key}")
            if found is not None:
                return found
    if isinstance(pattern, list):
        if not isinstance(actual, list):
            return f"{where} is {_kind(actual)}, wants an array"
        for item in pattern:
            if not any(subset(item, a) for a in actual):
                return f"{where} has no item matching {_shown(item)}"
    return f"{where} is {_shown(actual)}, wants {_shown(pattern)}"


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return _shown(value)


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
        return wire.loads(raw)
    except ValueError:  # malformed, not UTF-8, a lone surrogate, too deep
        return NO_BODY
