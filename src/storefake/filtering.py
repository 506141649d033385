"""Filters over a Table: one condition model, one planner, for every vendor's query syntax.

Vendors spell filters differently (BigCommerce `price:min=10`, Magento `searchCriteria[...]`), but once
parsed they are the same conditions. The planner answers equality and `in` on hash-indexed fields from
their buckets, numeric comparisons on ordered fields from key ranges, id bounds from the id order, and
narrows `like` patterns on text-indexed fields by trigrams; whatever is left is a predicate checked on
the rows the indexes leave. `Table.select` picks how to combine them (table.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from storefake.indexes import KeyRange
from storefake.table import Table

OPERATORS = frozenset(
    {"eq", "neq", "in", "nin", "gt", "gteq", "lt", "lteq", "like", "nlike", "null", "notnull", "finset", "nfinset"}
)


@dataclass(frozen=True, slots=True)
class Condition:
    """`field <op> value`; `value` is a list for in/nin/finset, None for null/notnull."""

    field: str
    op: str
    value: Any = None


@functools.lru_cache(maxsize=256)  # `matches` asks once per row; build each pattern once
def like_regex(pattern: str) -> re.Pattern[str]:
    """SQL LIKE (`%` any run, `_` one character), case-insensitive as MySQL's default collation is."""
    parts = (".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


def _compare(left: Any, right: Any, op: str) -> bool:
    if left is None or right is None:
        return False
    try:
        if op == "gt":
            return bool(left > right)
        if op == "gteq":
            return bool(left >= right)
        if op == "lt":
            return bool(left < right)
        return bool(left <= right)
    except TypeError:
        return False


def matches(actual: Any, condition: Condition) -> bool:
    """Does a field value satisfy the condition? A list value matches when any element does."""
    op, expected = condition.op, condition.value
    if op == "null":
        return actual is None or actual == "" or actual == []
    if op == "notnull":
        return not (actual is None or actual == "" or actual == [])
    if op in ("finset", "nfinset"):
        members = actual if isinstance(actual, list | tuple) else str(actual or "").split(",")
        found = any(str(v) in {str(m) for m in members} for v in _values(expected))
        return found if op == "finset" else not found
    if isinstance(actual, list | tuple) and op in ("eq", "in"):
        return any(matches(item, condition) for item in actual)
    if op == "eq":
        return bool(actual == expected)
    if op == "neq":
        return bool(actual != expected)
    if op == "in":
        return actual in _values(expected)
    if op == "nin":
        return actual not in _values(expected)
    if op in ("like", "nlike"):
        found = actual is not None and like_regex(str(expected)).fullmatch(str(actual)) is not None
        return found if op == "like" else not found
    return _compare(actual, expected, op)


@dataclass(frozen=True)
class Plan:
    """Keyword arguments for `Table.select` that implement a list of conditions."""

    candidates: tuple[Collection[int], ...]
    id_min: int | None
    id_max: int | None
    where: Callable[[Any], bool] | None
    ranges: tuple[KeyRange, ...] = ()

    def select_kwargs(self) -> dict[str, Any]:
        return {
            "candidates": self.candidates,
            "ranges": self.ranges,
            "id_min": self.id_min,
            "id_max": self.id_max,
            "where": self.where,
        }


RANGE_OPERATORS = frozenset({"eq", "gt", "gteq", "lt", "lteq"})


def plan(
    table: Table[Any],
    conditions: Iterable[Condition],
    *,
    value_of: Callable[[Any, str], Any],
    indexes: Mapping[str, str] | None = None,
    normalize: Mapping[str, Callable[[Any], Any]] | None = None,
    ordered: Mapping[str, str] | None = None,
    text_fields: Collection[str] = (),
    id_field: str = "id",
) -> Plan:
    """Split conditions into index lookups, ranges, an id range and a residual predicate.

    `indexes` maps a field to the table hash index holding it; `normalize` maps a field to the function
    the index applied to its keys (e.g. lower-casing emails), so lookups use the same form. `ordered`
    maps a field to the table's ordered index of it: numeric comparisons become key ranges. `like`
    patterns on `text_fields` (whose text the table's text index holds) narrow the rows to check by
    trigrams; the pattern itself is still checked on each of them.
    """
    indexes = indexes or {}
    normalize = normalize or {}
    ordered = ordered or {}
    candidates: list[Collection[int]] = []
    hashed: list[tuple[str, list[Any], Collection[int]]] = []  # hash-index filters: index, keys, ids
    bounds: dict[str, KeyRange] = {}
    id_min: int | None = None
    id_max: int | None = None
    rest: list[Condition] = []
    for condition in conditions:
        field, op, value = condition.field, condition.op, condition.value
        if field in indexes and op in ("eq", "in"):
            norm = normalize.get(field, lambda v: v)
            keys = [norm(item) for item in _values(value)]
            if len(keys) == 1:
                found = table.ids_for(indexes[field], keys[0])
            else:
                found = table.ids_for_any(indexes[field], keys)
            candidates.append(found)
            hashed.append((indexes[field], keys, found))
        elif field == id_field and op in ("gteq", "gt", "lteq", "lt") and isinstance(value, int):
            low = value + (1 if op == "gt" else 0)
            high = value - (1 if op == "lt" else 0)
            if op in ("gteq", "gt"):
                id_min = low if id_min is None else max(id_min, low)
            else:
                id_max = high if id_max is None else min(id_max, high)
        elif field == id_field and op in ("eq", "in"):
            candidates.append(table.known_ids(_values(value)))
        elif field in ordered and op in RANGE_OPERATORS and _is_number(value):
            index = ordered[field]
            bounds[index] = _narrow(bounds.get(index, KeyRange(index)), op, value)
        else:
            rest.append(condition)
            found = _text_candidates(table, condition, text_fields)
            if found is not None:
                candidates.append(found)
    where = None
    if rest:
        tests = [_test(condition, value_of) for condition in rest]

        def where(row: Any) -> bool:
            return all(test(row) for test in tests)

    candidates, ranges = _bucket_ranges(table, hashed, candidates, bounds)
    return Plan(tuple(candidates), id_min, id_max, where, ranges)


def _bucket_ranges(
    table: Table[Any],
    hashed: list[tuple[str, list[Any], Collection[int]]],
    candidates: list[Collection[int]],
    bounds: dict[str, KeyRange],
) -> tuple[list[Collection[int]], tuple[KeyRange, ...]]:
    """A hash-index filter and a range the table keeps per bucket of that index become one exact id set."""
    for index, keys, ids in hashed:
        for field, key_range in list(bounds.items()):
            if table.orders_buckets(index, field):
                candidates = [c for c in candidates if c is not ids]
                candidates.append(table.ids_in_range(index, keys, key_range))
                del bounds[field]
                break
    return candidates, tuple(bounds.values())


def _test(condition: Condition, value_of: Callable[[Any, str], Any]) -> Callable[[Any], bool]:
    """`matches` for one condition as a function of the row; `like` (checked on every candidate a text
    search leaves) compiles its pattern once and skips the operator dispatch."""
    field = condition.field
    if condition.op == "like":
        pattern = like_regex(str(condition.value))

        def like(row: Any) -> bool:
            value = value_of(row, field)
            return value is not None and pattern.fullmatch(str(value)) is not None

        return like
    return lambda row: matches(value_of(row, field), condition)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _narrow(current: KeyRange, op: str, value: float) -> KeyRange:
    """`current` intersected with `<op> value` (the tighter bound wins; equal bounds: the exclusive one)."""
    low, low_inclusive, high, high_inclusive = current.low, current.low_inclusive, current.high, current.high_inclusive
    if op in ("eq", "gt", "gteq"):
        inclusive = op != "gt"
        if low is None or value > low or (value == low and not inclusive):
            low, low_inclusive = value, inclusive
    if op in ("eq", "lt", "lteq"):
        inclusive = op != "lt"
        if high is None or value < high or (value == high and not inclusive):
            high, high_inclusive = value, inclusive
    return KeyRange(current.index, low, low_inclusive, high, high_inclusive)


def _text_candidates(table: Table[Any], condition: Condition, text_fields: Collection[str]) -> set[int] | None:
    """Rows that may match a `like` on a text-indexed field; None when the index can't narrow it.

    Only ASCII patterns: the index folds text (indexes.fold) so that whatever the case-insensitive
    expression matches with an ASCII pattern holds the pattern's trigrams; other patterns check every row.
    """
    if condition.op != "like" or condition.field not in text_fields or not table.has_text():
        return None
    pattern = str(condition.value)
    if not pattern.isascii():
        return None
    return table.text_candidates(re.split(r"[%_]", pattern))
