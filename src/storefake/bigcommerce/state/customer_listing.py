"""Listing of the V3 customer family's tables: filters, sort, offset pages and the vendor's cursors.

Shared by customers, addresses, attribute values and form-field values (reference/customers.v3.yml):
`page`/`limit` or `before`/`after` cursors, which are unpadded base64 of `{"id":N}` as in the spec's example.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storefake.bigcommerce.errors import InvalidQueryParameter
from storefake.filtering import Condition, plan
from storefake.table import Table


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _value_of(row: Any, name: str) -> Any:
    return getattr(row, name, None)


def encode_cursor(row_id: int) -> str:
    """The vendor's cursors are unpadded base64 of `{"id":N}` (customers.v3.yml `after=eyJpZCI6MjA0fQ`)."""
    raw = json.dumps({"id": row_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, name: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)["id"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise InvalidQueryParameter(parameters={"name": name}) from None
    if not _is_int(value):
        raise InvalidQueryParameter(parameters={"name": name})
    return int(value)


@dataclass(frozen=True, slots=True)
class Listing:
    """How to list: filters, sort (field, descending), page/limit or a cursor."""

    conditions: Sequence[Condition] = ()
    sort: str | None = None
    descending: bool = False
    page: int = 1
    limit: int = 50
    before: int | None = None
    after: int | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of rows, how many matched, and whether rows lie before and after it."""

    items: list[Any]
    total: int
    has_before: bool
    has_after: bool


def search(table: Table[Any], listing: Listing, indexes: Mapping[str, str]) -> Page:
    """One page of `table` per `listing` (filters planned on `indexes`, offset or cursor paging)."""
    conditions = list(listing.conditions)
    norm = {"email": lambda v: str(v).lower()}
    conditions = [_lower_email(c) for c in conditions]
    planned = plan(table, conditions, value_of=_value_of, indexes=indexes, normalize=norm)
    kwargs = planned.select_kwargs()
    order_by = _sort_key(listing.sort)
    if listing.after is not None or listing.before is not None:
        return _cursor_page(table, kwargs, listing, order_by)
    offset = (listing.page - 1) * listing.limit
    found = table.select(**kwargs, order_by=order_by, descending=listing.descending, offset=offset, limit=listing.limit)
    return Page(found.items, found.total, listing.page > 1, offset + len(found.items) < found.total)


def _lower_email(condition: Condition) -> Condition:
    if condition.field != "email":
        return condition
    value = condition.value
    lowered = [str(v).lower() for v in value] if isinstance(value, list) else str(value).lower()
    return Condition("email", condition.op, lowered)


def _sort_key(sort: str | None) -> Callable[[Any], Any] | None:
    if sort is None or sort == "id":
        return None
    if sort == "last_name":
        return lambda row: (row.last_name.lower(), row.id)
    return lambda row: (getattr(row, sort), row.id)


def _cursor_page(
    table: Table[Any], kwargs: dict[str, Any], listing: Listing, order_by: Callable[[Any], Any] | None
) -> Page:
    """A page after (or before) the cursor's row in the listing's order; `total` counts every match."""
    total = table.select(**kwargs, limit=0).total
    forward = listing.after is not None
    want = listing.limit + 1  # one more tells whether another page lies beyond
    if order_by is None:
        cursor = listing.after if forward else listing.before
        assert cursor is not None
        toward_high = forward != listing.descending
        bound = dict(kwargs)
        if toward_high:
            bound["id_min"] = max(cursor + 1, bound["id_min"] or 0)
        else:
            bound["id_max"] = cursor - 1 if bound["id_max"] is None else min(cursor - 1, bound["id_max"])
        rows = table.select(**bound, descending=not toward_high, limit=want).items
    else:
        ordered = table.select(**kwargs, order_by=order_by, descending=listing.descending).items
        cursor = listing.after if forward else listing.before
        position = next((n for n, row in enumerate(ordered) if row.id == cursor), None)
        if position is None:
            return Page([], total, False, False)
        rows = (
            ordered[position + 1 : position + 1 + want]
            if forward
            else ordered[max(0, position - want) : position][::-1]
        )
    more = len(rows) > listing.limit
    rows = rows[: listing.limit]
    if forward:
        return Page(rows, total, True, more)
    return Page(rows[::-1], total, more, True)
