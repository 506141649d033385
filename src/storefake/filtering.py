"""Filters over a Table: one condition model, one planner, for every vendor's query syntax.

Vendors spell filters differently (BigCommerce `price:min=10`, Magento `searchCriteria[...]`), but once
parsed they are the same conditions. The planner answers equality and `in` conditions on indexed fields
from the table's indexes (so a page stays O(page) on a large store), turns id bounds into an id range,
and leaves the rest to a predicate.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sortedcontainers import SortedList, SortedSet

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


def _union(buckets: list[Collection[int]]) -> Collection[int]:
    """The ids in any bucket. A lone sorted index bucket is passed as it is, not copied: the table pages it
    by position, so a filter matching most of a large table still costs O(log n + page), not O(matches).
    Several sorted buckets (`categories:in=3,4,5`) are merged in order: O(matches), in C."""
    filled = [bucket for bucket in buckets if len(bucket)]
    if len(filled) == 1 and isinstance(filled[0], SortedSet):
        return filled[0]
    if filled and all(isinstance(bucket, SortedSet) for bucket in filled):
        # sorted() of concatenated sorted runs is a merge (timsort), and groupby drops repeats, both in C.
        merged = sorted(itertools.chain(*filled))
        return SortedList(map(operator.itemgetter(0), itertools.groupby(merged)))
    ids: set[int] = set()
    for bucket in filled:
        ids.update(bucket)
    return ids


@dataclass(frozen=True)
class Plan:
    """Keyword arguments for `Table.select` that implement a list of conditions."""

    candidates: tuple[Collection[int], ...]
    id_min: int | None
    id_max: int | None
    where: Callable[[Any], bool] | None

    def select_kwargs(self) -> dict[str, Any]:
        return {"candidates": self.candidates, "id_min": self.id_min, "id_max": self.id_max, "where": self.where}


def plan(
    table: Table[Any],
    conditions: Iterable[Condition],
    *,
    value_of: Callable[[Any, str], Any],
    indexes: Mapping[str, str] | None = None,
    normalize: Mapping[str, Callable[[Any], Any]] | None = None,
    id_field: str = "id",
) -> Plan:
    """Split conditions into index lookups, an id range and a residual predicate.

    `indexes` maps a field to the table index holding it; `normalize` maps a field to the function the
    index applied to its keys (e.g. lower-casing emails), so lookups use the same form.
    """
    indexes = indexes or {}
    normalize = normalize or {}
    candidates: list[Collection[int]] = []
    id_min: int | None = None
    id_max: int | None = None
    rest: list[Condition] = []
    for condition in conditions:
        field, op = condition.field, condition.op
        if field in indexes and op in ("eq", "in"):
            norm = normalize.get(field, lambda v: v)
            buckets = [table.ids_for(indexes[field], norm(value)) for value in _values(condition.value)]
            candidates.append(_union(buckets))
        elif field == id_field and op in ("gteq", "gt", "lteq", "lt") and isinstance(condition.value, int):
            low = condition.value + (1 if op == "gt" else 0)
            high = condition.value - (1 if op == "lt" else 0)
            if op in ("gteq", "gt"):
                id_min = low if id_min is None else max(id_min, low)
            else:
                id_max = high if id_max is None else min(id_max, high)
        elif field == id_field and op in ("eq", "in"):
            candidates.append({v for v in _values(condition.value) if isinstance(v, int) and v in table})
        else:
            rest.append(condition)
    where = None
    if rest:

        def where(row: Any) -> bool:
            return all(matches(value_of(row, c.field), c) for c in rest)

    return Plan(tuple(candidates), id_min, id_max, where)
