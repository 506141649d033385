"""GET /V1/customers/search: Magento's searchCriteria, parsed from PHP-style query keys and run on a Table.

Filters inside a group are ORed, groups are ANDed. String comparisons are case-insensitive, as MySQL's
default collation makes them. Equality on `email` and on `id` are answered from indexes, so a lookup
or a one-page listing costs the same on ten customers or a million; other filters and non-id sorts scan.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from storefake import filtering
from storefake.adobe import errors as E
from storefake.adobe.state import Customer, TenantStore
from storefake.adobe.validation import CUSTOMER_FIELDS, INT, php_text, setter_key, to_int, upper_camel
from storefake.pagination import clamp_page
from storefake.table import Selection

MAX_PAGE_SIZE = 300
DEFAULT_PAGE_SIZE = 20  # Magento's DefaultPageSizeSetter fallback when input limits are on
CONDITION_TYPES = frozenset(
    {"eq", "neq", "like", "nlike", "in", "nin", "gt", "gteq", "moreq", "lt", "lteq", "from", "to"}
    | {"null", "notnull", "finset", "nfinset"}
)
ALIASES = {"moreq": "gteq", "from": "gteq", "to": "lteq"}
BILLING_FIELDS = {
    "billing_postcode": "postcode",
    "billing_city": "city",
    "billing_telephone": "telephone",
    "billing_region": "region",
    "billing_country_id": "country_id",
    "billing_company": "company",
}
# The collections' own column names reach the same data: `entity_id` is the customer's id; a customer group's
# columns are customer_group_id, customer_group_code and its tax class's class_name.
COLUMN_ALIASES = {
    "entity_id": "id",
    "customer_group_id": "id",
    "customer_group_code": "code",
    "class_name": "tax_class_name",
}
SEARCHABLE = (
    frozenset(f for f, kind in CUSTOMER_FIELDS.items() if kind in ("int", "string"))
    | {"name"}
    | set(BILLING_FIELDS)
    | set(COLUMN_ALIASES)
)
GROUP_SEARCHABLE = frozenset(
    {"id", "code", "tax_class_id", "tax_class_name", "customer_group_id", "customer_group_code", "class_name"}
)
INT_FIELDS = frozenset(f for f, kind in CUSTOMER_FIELDS.items() if kind == INT) | {"tax_class_id"}
R = TypeVar("R")
KEY_PATTERN = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class Filter:
    field: str
    value: str | None
    condition_type: str | None  # as sent (None: eq)

    @property
    def condition(self) -> filtering.Condition:
        op = ALIASES.get(self.condition_type or "eq", self.condition_type or "eq")
        field = COLUMN_ALIASES.get(self.field, self.field)
        return filtering.Condition(field, op, _typed_value(field, op, self.value))


@dataclass(frozen=True, slots=True)
class SortOrder:
    field: str
    direction: str  # ASC or DESC

    @property
    def column(self) -> str:
        return COLUMN_ALIASES.get(self.field, self.field)


@dataclass(frozen=True, slots=True)
class Criteria:
    filter_groups: tuple[tuple[Filter, ...], ...] = ()
    sort_orders: tuple[SortOrder, ...] = ()
    page_size: int = DEFAULT_PAGE_SIZE
    current_page: int | None = None
    echo: dict[str, Any] = field(default_factory=dict)


# --- parsing -------------------------------------------------------------------------------------------


def nest_query(items: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """PHP's $_GET: `a[b][0][c]=v` becomes {"a": {"b": {"0": {"c": "v"}}}}; `a[]` appends."""
    root: dict[str, Any] = {}
    for key, value in items:
        head = key.split("[", 1)[0]
        parts = [head, *KEY_PATTERN.findall(key[len(head) :])] if head else []
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
    return root


def _by_setter(data: Mapping[str, Any], allowed: Sequence[str], owner: str) -> dict[str, Any]:
    """Match camelCase or snake_case keys to canonical names; unknown keys are "not supported"."""
    lookup = {setter_key(name): name for name in allowed}
    result: dict[str, Any] = {}
    unknown = []
    for key, value in data.items():
        name = lookup.get(setter_key(key))
        if name is None:
            unknown.append(E.FieldNotSupported(upper_camel(key)))
        else:
            result[name] = value
    if unknown:
        raise E.one_or_many(unknown)
    return result


def _list_of(value: Any, name: str, type_name: str) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    if value in ("", None):
        return []
    raise E.BodyTypeInvalid(name, php_text(value), type_name)


def parse_criteria(query: Sequence[tuple[str, str]], searchable: Collection[str] = SEARCHABLE) -> Criteria:
    """searchCriteria (or search_criteria) from the query string; absent → the "is required" error.

    `searchable` names the fields filters and sort orders may use (a customer's by default)."""
    params = nest_query(query)
    raw = next((v for k, v in params.items() if setter_key(k) == "searchcriteria"), None)
    if raw is None:
        raise E.FieldRequired("searchCriteria")
    data = (
        _by_setter(raw, ("filter_groups", "sort_orders", "page_size", "current_page"), "searchCriteria")
        if (isinstance(raw, dict))
        else {}
    )
    raw_groups = _list_of(data.get("filter_groups"), "filter_groups", "FilterGroup[]")
    groups = tuple(_parse_group(g, searchable) for g in raw_groups)
    sorts = tuple(_parse_sort(s, searchable) for s in _list_of(data.get("sort_orders"), "sort_orders", "SortOrder[]"))
    page_size = DEFAULT_PAGE_SIZE if data.get("page_size") in (None, "") else to_int("page_size", data["page_size"])
    if page_size > MAX_PAGE_SIZE:
        raise E.PageSizeTooLarge(MAX_PAGE_SIZE)
    current = None if data.get("current_page") in (None, "") else to_int("current_page", data["current_page"])
    echo = _echo(groups, sorts, page_size, current)
    return Criteria(groups, sorts, page_size if page_size > 0 else DEFAULT_PAGE_SIZE, current, echo)


def _parse_group(raw: Any, searchable: Collection[str]) -> tuple[Filter, ...]:
    if not isinstance(raw, dict):
        raise E.BodyTypeInvalid("filter_groups", php_text(raw), "FilterGroup")
    group = _by_setter(raw, ("filters",), "filterGroups")
    return tuple(_parse_filter(f, searchable) for f in _list_of(group.get("filters"), "filters", "Filter[]"))


def _parse_filter(raw: Any, searchable: Collection[str]) -> Filter:
    if not isinstance(raw, dict):
        raise E.BodyTypeInvalid("filters", php_text(raw), "Filter")
    data = _by_setter(raw, ("field", "value", "condition_type"), "filters")
    name = str(data.get("field") or "")
    if name not in searchable:
        raise E.InvalidAttribute(name)
    condition_type = data.get("condition_type") or None
    if condition_type is not None and condition_type.lower() not in CONDITION_TYPES:
        raise E.ConditionTypeInvalid(condition_type)
    return Filter(name, data.get("value"), None if condition_type is None else condition_type.lower())


def _parse_sort(raw: Any, searchable: Collection[str]) -> SortOrder:
    if not isinstance(raw, dict):
        raise E.BodyTypeInvalid("sort_orders", php_text(raw), "SortOrder")
    data = _by_setter(raw, ("field", "direction"), "sortOrders")
    name = str(data.get("field") or "")
    if name not in searchable:
        raise E.InvalidAttribute(name)
    direction = str(data.get("direction") or "ASC").upper()
    if direction not in ("ASC", "DESC"):
        raise E.SortDirectionInvalid(str(data.get("direction")))
    return SortOrder(name, direction)


def _echo(
    groups: Sequence[Sequence[Filter]], sorts: Sequence[SortOrder], size: int, page: int | None
) -> dict[str, Any]:
    """The search_criteria object Magento sends back: what was set, in snake_case."""
    filter_groups = [
        {
            "filters": [
                {"field": f.field, **({"value": f.value} if f.value is not None else {})}
                | ({"condition_type": f.condition_type} if f.condition_type else {})
                for f in group
            ]
        }
        for group in groups
    ]
    echo: dict[str, Any] = {"filter_groups": filter_groups}
    if sorts:
        echo["sort_orders"] = [{"field": s.field, "direction": s.direction} for s in sorts]
    echo["page_size"] = size
    if page is not None:
        echo["current_page"] = page
    return echo


def _typed_value(field_name: str, op: str, value: str | None) -> Any:
    if op in ("null", "notnull"):
        return None
    text = "" if value is None else str(value)
    if op in ("in", "nin", "finset", "nfinset"):
        return [_typed_scalar(field_name, part.strip()) for part in text.split(",")]
    if op in ("like", "nlike"):
        return text.lower()
    return _typed_scalar(field_name, text)


def _typed_scalar(field_name: str, text: str) -> Any:
    # MySQL compares an int column with a numeric string as numbers; strings case-insensitively.
    if field_name in INT_FIELDS:
        try:
            number = float(text)
        except ValueError:
            return text.lower()
        if math.isfinite(number):  # "inf", "nan", 1e999: compared as the text, matching no id
            return int(number)
    return text.lower()


# --- running -------------------------------------------------------------------------------------------


def value_of(customer: Customer, name: str) -> Any:
    """The comparable form of a field: ints as ints, strings lower-cased, derived fields computed."""
    if name == "name":
        parts = (customer.field(p) for p in ("prefix", "firstname", "middlename", "lastname", "suffix"))
        value: Any = " ".join(str(p) for p in parts if p)
    elif name in BILLING_FIELDS:
        address = customer.default_billing_address
        value = None if address is None else address.data.get(BILLING_FIELDS[name])
        if isinstance(value, dict):
            value = value.get("region")
    else:
        value = customer.field(name)
    return value.lower() if isinstance(value, str) else value


def search_customers(store: TenantStore, criteria: Criteria) -> Selection[Customer]:
    """One page of matching customers and the count before paging (Magento clamps the page number)."""
    size = criteria.page_size
    page = max(1, criteria.current_page or 1)
    # Under the store's lock: a scan must not see the sorted index change under it (direct domain use
    # from several threads; the app itself runs every request on one event loop).
    with store.lock:
        candidates, where = _plan(store, criteria.filter_groups)
        result = _select(store, candidates, where, criteria.sort_orders, page, size)
        last = clamp_page(page, result.total, size)
        if last != page and result.total:
            result = _select(store, candidates, where, criteria.sort_orders, last, size)
    return result


def _plan(
    store: TenantStore, groups: Sequence[Sequence[Filter]]
) -> tuple[list[Collection[int]], Callable[[Customer], bool] | None]:
    singles: list[filtering.Condition] = []
    candidates: list[Collection[int]] = []
    predicates: list[Callable[[Customer], bool]] = []
    for group in groups:
        if not group:
            continue
        conditions = [f.condition for f in group]
        ids = _index_ids(store, conditions)
        if ids is not None:
            candidates.append(ids)
        elif len(conditions) == 1:
            singles.append(conditions[0])
        else:
            predicates.append(_any_of(conditions))
    planned = filtering.plan(store.customers, singles, value_of=value_of)
    candidates.extend(planned.candidates)
    if planned.id_min is not None or planned.id_max is not None:
        predicates.append(_id_between(planned.id_min, planned.id_max))
    if planned.where is not None:
        predicates.append(planned.where)
    return candidates, _all_of(predicates)


def _index_ids(store: TenantStore, conditions: Sequence[filtering.Condition]) -> set[int] | None:
    """Ids for a group made only of email/id equality (or `in`); None when the group needs a scan."""
    ids: set[int] = set()
    for c in conditions:
        if c.op not in ("eq", "in") or c.field not in ("email", "id"):
            return None
        values = c.value if isinstance(c.value, list) else [c.value]
        for value in values:
            if c.field == "id":
                if isinstance(value, int) and value in store.customers:
                    ids.add(value)
                continue
            for website_id in store.structure.websites:
                ids.update(store.customers.ids_for("email", (website_id, value)))
    return ids


def _any_of(conditions: Sequence[filtering.Condition]) -> Callable[[Customer], bool]:
    return lambda row: any(filtering.matches(value_of(row, c.field), c) for c in conditions)


def _id_between(low: int | None, high: int | None) -> Callable[[Customer], bool]:
    return lambda row: (low is None or row.id >= low) and (high is None or row.id <= high)


def _all_of(predicates: Sequence[Callable[[Customer], bool]]) -> Callable[[Customer], bool] | None:
    if not predicates:
        return None
    if len(predicates) == 1:
        return predicates[0]
    return lambda row: all(p(row) for p in predicates)


def _select(
    store: TenantStore,
    candidates: list[Collection[int]],
    where: Callable[[Customer], bool] | None,
    sorts: Sequence[SortOrder],
    page: int,
    size: int,
) -> Selection[Customer]:
    offset = (page - 1) * size
    if all(s.column == "id" for s in sorts):
        descending = bool(sorts) and sorts[0].direction == "DESC"
        return store.customers.select(
            candidates=candidates, where=where, descending=descending, offset=offset, limit=size
        )
    matched = store.customers.select(candidates=candidates, where=where).items
    for sort in reversed(sorts):  # stable sorts, last key first, give a multi-key order
        matched.sort(key=lambda row, f=sort.column: _sort_key(value_of(row, f)), reverse=sort.direction == "DESC")
    return Selection(matched[offset : offset + size], len(matched))


def _sort_key(value: Any) -> tuple[int, Any]:
    # MySQL puts NULLs first in ascending order; ints and strings never meet in one column.
    if value is None:
        return (0, 0)
    return (1, value) if isinstance(value, int) else (2, str(value))


def group_value_of(groups: Any) -> Callable[[Any, str], Any]:
    """A customer group's comparable fields: ids as ints, texts lower-cased (MySQL's collation)."""

    def value_of(group: Any, name: str) -> Any:
        if name == "tax_class_name":
            text = groups.tax_class_name(group)
            return None if text is None else text.lower()
        value = getattr(group, name)
        return value.lower() if isinstance(value, str) else value

    return value_of


def search_rows(rows: Iterable[R], criteria: Criteria, value_of: Callable[[R, str], Any]) -> Selection[R]:
    """The same search over a small collection (a tenant's customer groups): filter, sort, clamp, page."""
    groups = [[f.condition for f in group] for group in criteria.filter_groups if group]
    matched = [row for row in rows if all(any(_holds(row, c, value_of) for c in group) for group in groups)]
    for sort in reversed(criteria.sort_orders):
        matched.sort(key=lambda row, f=sort.column: _sort_key(value_of(row, f)), reverse=sort.direction == "DESC")
    size = criteria.page_size
    page = clamp_page(max(1, criteria.current_page or 1), len(matched), size)
    offset = (page - 1) * size
    return Selection(matched[offset : offset + size], len(matched))


def _holds(row: R, condition: filtering.Condition, value_of: Callable[[R, str], Any]) -> bool:
    return filtering.matches(value_of(row, condition.field), condition)
