"""BigCommerce query strings: `field[:operator]=value` filters, paging, include/field selection.

Operators (vendor-facts §3, common-query-params.mdx): `:in`, `:not_in` (CSV), `:min`, `:max`,
`:greater`, `:less`, `:like` (substring). Filters the endpoint doesn't know are ignored, as the
vendor does; a known filter with a value of the wrong type is a 422 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storefake.bigcommerce.errors import InvalidQueryParameter
from storefake.filtering import Condition
from storefake.pagination import PageRequest

V3_OPERATORS = {
    "": "eq",
    "in": "in",
    "not_in": "nin",
    "min": "gteq",
    "max": "lteq",
    "greater": "gt",
    "less": "lt",
    "like": "like",
}
LIST_OPERATORS = frozenset({"in", "nin"})
Parser = Callable[[str], Any]


def as_int(text: str) -> int:
    return int(text)


def as_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ValueError(text)


def as_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def as_str(text: str) -> str:
    return text


def as_timestamp(text: str) -> float:
    """Dates as BigCommerce accepts them in filters: ISO-8601 date or datetime, or Unix seconds."""
    if text.isascii() and text.isdigit():
        return float(text)
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


@dataclass(frozen=True)
class FilterSpec:
    """One filterable field: how to parse its values and which operators it takes."""

    parse: Parser
    operators: frozenset[str] = frozenset({""})
    field: str | None = None  # the row attribute, when it differs from the parameter name


def parse_filters(params: Iterable[tuple[str, str]], specs: Mapping[str, FilterSpec]) -> list[Condition]:
    conditions: list[Condition] = []
    for key, raw in params:
        name, _, operator = key.partition(":")
        spec = specs.get(name)
        if spec is None or operator not in spec.operators or operator not in V3_OPERATORS:
            continue
        op = V3_OPERATORS[operator]
        try:
            if op in LIST_OPERATORS:
                value: Any = [spec.parse(part) for part in raw.split(",") if part != ""]
            elif op == "like":
                value = f"%{raw}%"
            else:
                value = spec.parse(raw)
        except (ValueError, TypeError, OverflowError):
            raise InvalidQueryParameter(parameters={"name": key}) from None
        conditions.append(Condition(spec.field or name, op, value))
    return conditions


def whole_day(condition: Condition) -> list[Condition]:
    """`date_created=2024-05-14` (a midnight) means that whole day; other timestamps stay exact."""
    start = condition.value
    if condition.field.startswith("date_") and condition.op == "eq" and start % 86400 == 0:
        return [Condition(condition.field, "gteq", start), Condition(condition.field, "lt", start + 86400)]
    return [condition]


def parse_page(
    params: Mapping[str, str], *, default_limit: int = 50, max_limit: int = 250, clamp: bool = True
) -> PageRequest:
    """`page` (1-based) and `limit`; V3 clamps an oversized limit to the maximum, V2 refuses it (caller)."""
    try:
        page = int(params.get("page", "1"))
        limit = int(params.get("limit", str(default_limit)))
    except ValueError:
        raise InvalidQueryParameter(parameters={"name": "page" if "page" in params else "limit"}) from None
    page = max(page, 1)
    if limit < 1:
        limit = default_limit
    if clamp:
        limit = min(limit, max_limit)
    return PageRequest(page, limit)


def csv_param(params: Mapping[str, str], name: str) -> list[str]:
    raw = params.get(name, "")
    return [part.strip() for part in raw.split(",") if part.strip()]
