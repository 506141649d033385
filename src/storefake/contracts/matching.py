"""Expectation matching: status, exact or subset JSON, JSON Schema, headers.

Every check returns readable mismatch lines (`$.items[0].email: expected 'a@x.io', got 'b@x.io'`); an
empty list means the response meets the expectation.

Inside expected JSON (exact or subset) a one-key mapping whose key starts with `$` is a matcher, so a
case can state what it knows without pinning ids or timestamps:
  {$type: integer}                 type name (string, integer, number, boolean, null, array, object) or a list
  {$regex: "^\\d{4}-"}             the value is a string matching the pattern (re.search)
  {$any: true}                     present, any value
  {$absent: true}                  the key must not be there (mapping fields only)
  {$contains: [ {...}, ... ]}      a list holding, for each expected item, some element that subset-matches it
  {$not_contains: [ {...} ]}       a list none of whose elements subset-match any of these
  {$len: 3}                        a list, mapping or string of this length
  {$one_of: [a, b]}                equal to one of these
  {$ne: value}                     anything but this value
Exact mode: mappings have exactly the expected keys, lists exactly the expected length. Subset mode:
mappings may have more keys; lists still match item by item and must have the same length (use
$contains for "somewhere in the list").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema

_MISSING = object()
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
    "array": (list,),
    "object": (dict,),
}
MATCHERS = frozenset({"$type", "$regex", "$any", "$absent", "$contains", "$not_contains", "$len", "$one_of", "$ne"})


def short(value: Any, limit: int = 120) -> str:
    text = repr(value) if value is not _MISSING else "<missing>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_matcher(value: Any) -> bool:
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in MATCHERS


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    for name in ("integer", "number", "string", "array", "object"):
        if isinstance(value, _TYPES[name]):
            return name
    return type(value).__name__


def _has_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(name, ()))


def _match_matcher(matcher: Mapping[str, Any], actual: Any, path: str) -> list[str]:
    import re

    key, argument = next(iter(matcher.items()))
    if key == "$absent":
        return [] if actual is _MISSING else [f"{path}: expected no such field, got {short(actual)}"]
    if actual is _MISSING:
        return [f"{path}: missing (expected {key} {short(argument)})"]
    if key == "$any":
        return []
    if key == "$type":
        names = [str(name) for name in (argument if isinstance(argument, list) else [argument])]
        if any(_has_type(actual, name) for name in names):
            return []
        return [f"{path}: expected type {' or '.join(names)}, got {type_name(actual)} {short(actual)}"]
    if key == "$regex":
        try:
            if isinstance(actual, str) and re.search(str(argument), actual):
                return []
        except re.error as exc:
            return [f"{path}: invalid $regex /{argument}/: {exc}"]
        return [f"{path}: expected a string matching /{argument}/, got {short(actual)}"]
    if key == "$len":
        if isinstance(actual, list | Mapping | str) and len(actual) == argument:
            return []
        size = len(actual) if isinstance(actual, list | Mapping | str) else "no"
        return [f"{path}: expected length {argument}, got {size} ({short(actual)})"]
    if key == "$one_of":
        choices = argument if isinstance(argument, list) else [argument]
        return [] if actual in choices else [f"{path}: expected one of {short(argument)}, got {short(actual)}"]
    if key == "$ne":
        return [] if actual != argument else [f"{path}: expected anything but {short(argument)}"]
    if not isinstance(actual, list):
        return [f"{path}: expected a list for {key}, got {type_name(actual)} {short(actual)}"]
    wanted = argument if isinstance(argument, list) else [argument]
    problems = []
    for index, item in enumerate(wanted):
        found = any(not match_json(item, element, subset=True) for element in actual)
        if key == "$contains" and not found:
            problems.append(f"{path}: no item matches {key}[{index}] {short(item)} among {len(actual)} item(s)")
        if key == "$not_contains" and found:
            problems.append(f"{path}: an item matches {key}[{index}] {short(item)}")
    return problems


def match_json(expected: Any, actual: Any, *, subset: bool, path: str = "$") -> list[str]:
    """Mismatch lines between `expected` and `actual` (a decoded JSON document)."""
    if _is_matcher(expected):
        return _match_matcher(expected, actual, path)
    if actual is _MISSING:
        return [f"{path}: missing (expected {short(expected)})"]
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{path}: expected an object, got {type_name(actual)} {short(actual)}"]
        problems: list[str] = []
        for key, value in expected.items():
            problems += match_json(value, actual.get(key, _MISSING), subset=subset, path=f"{path}.{key}")
        if not subset:
            extra = sorted(str(key) for key in actual if key not in expected)
            if extra:
                problems.append(f"{path}: unexpected field(s) {', '.join(extra)}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {type_name(actual)} {short(actual)}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} item(s), got {len(actual)}: {short(actual)}"]
        problems = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            problems += match_json(want, got, subset=subset, path=f"{path}[{index}]")
        return problems
    if type_name(expected) != type_name(actual) and not (
        type_name(expected) in ("integer", "number") and type_name(actual) in ("integer", "number")
    ):
        return [f"{path}: expected {type_name(expected)} {short(expected)}, got {type_name(actual)} {short(actual)}"]
    if expected != actual:
        return [f"{path}: expected {short(expected)}, got {short(actual)}"]
    return []


def match_schema(schema: Mapping[str, Any], actual: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(actual), key=lambda error: list(error.absolute_path)):
        where = "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
        problems.append(
            f"{where}: schema: {error.message if len(error.message) < 200 else error.message[:197] + '...'}"
        )
    return problems


def match_status(expected: tuple[int, ...], actual: int) -> list[str]:
    if not expected or actual in expected:
        return []
    wanted = expected[0] if len(expected) == 1 else " or ".join(map(str, expected))
    return [f"status: expected {wanted}, got {actual}"]


def match_headers(
    equal: Mapping[str, str], present: tuple[str, ...], absent: tuple[str, ...], actual: Mapping[str, str]
) -> list[str]:
    """`actual` must be case-insensitive (httpx.Headers)."""
    problems = []
    for name, value in equal.items():
        got = actual.get(name)
        if got is None:
            problems.append(f"header {name}: missing (expected {value!r})")
        elif got != value:
            problems.append(f"header {name}: expected {value!r}, got {got!r}")
    problems += [f"header {name}: missing" for name in present if name not in actual]
    problems += [f"header {name}: expected absent, got {actual.get(name)!r}" for name in absent if name in actual]
    return problems
