"""BigCommerce customer groups of one store: `/v2/customer_groups` (reference/customers.v2.yml).

Pure Python. A group has a name, `is_default` (new customers join it when they name no group; one group
at a time), `is_group_for_guests` (one group at a time), `category_access` (`all`, `none`, or `specific`
with category ids) and `discount_rules` (replaced as a whole on update: one `price_list` rule alone, or
at most one `all` rule with any number of `category` and `product` rules; amounts kept as 4-decimal
strings). Deleting a group unassigns its customers (their `customer_group_id` becomes 0).

Deviations: names are unique case-insensitively (409; the vendor's rule and text are UNVERIFIED);
discount rules' category, product and price list ids are not checked against the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from storefake.bigcommerce.errors import (
    CustomerGroupNameTaken,
    FieldInvalid,
    FieldReadOnly,
    RequiredFieldMissing,
    ResourceNotFound,
)
from storefake.bigcommerce.state.orders import int_of, money_of
from storefake.filtering import Condition, plan
from storefake.seeding import seeding
from storefake.table import DuplicateKey, Selection, Table

ACCESS_TYPES = ("all", "specific", "none")
RULE_TYPES = ("price_list", "all", "category", "product")
METHODS = ("percent", "fixed", "price")
WRITABLE = ("name", "is_default", "is_group_for_guests", "category_access", "discount_rules")
READ_ONLY = ("id", "date_created", "date_modified")
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class CustomerGroup:
    id: int
    name: str
    date_created: float
    date_modified: float
    is_default: bool = False
    is_group_for_guests: bool = False
    access_type: str = "all"
    categories: tuple[int, ...] = ()
    discount_rules: tuple[Mapping[str, Any], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class GroupListing:
    conditions: Sequence[Condition] = ()
    offset: int = 0
    limit: int = 50


class CustomerGroupState:
    """The customer groups of one store; writes take the store's lock."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.groups: Table[CustomerGroup] = Table(unique={"name": lambda g: g.name.strip().lower()})

    # reads
    def exists(self, group_id: int) -> bool:
        return group_id in self.groups

    def get_group(self, group_id: int) -> CustomerGroup:
        group = self.groups.get(group_id)
        if group is None:
            raise ResourceNotFound()
        return group

    def default_group_id(self) -> int:
        """The group new customers join when they name none (0: no group)."""
        return next((g.id for g in self.groups if g.is_default), 0)

    def search_groups(self, listing: GroupListing) -> Selection[CustomerGroup]:
        planned = plan(self.groups, list(listing.conditions), value_of=_value_of)
        return self.groups.select(**planned.select_kwargs(), offset=listing.offset, limit=listing.limit)

    def count_groups(self) -> int:
        return len(self.groups)

    # writes
    def create_group(self, body: Any, group_id: int | None = None) -> CustomerGroup:
        values = _parse(body, creating=True)
        with self.store.lock:
            now = self.store.now()
            new_id = group_id if group_id is not None else self.groups.last_id + 1
            group = _apply(CustomerGroup(new_id, values["name"], now, now), values)
            self._check_name(group)
            self.groups.insert(new_id, group)
            self._keep_single_flags(group)
        return group

    def update_group(self, group_id: int, body: Any) -> CustomerGroup:
        values = _parse(body, creating=False)
        with self.store.lock:
            old = self.get_group(group_id)
            group = replace(_apply(old, values), date_modified=self.store.now())
            self._check_name(group)
            self.groups.replace(group_id, group)
            self._keep_single_flags(group)
        return group

    def delete_group(self, group_id: int) -> None:
        with self.store.lock:
            self.get_group(group_id)
            self.groups.delete(group_id)
            self.store.customers.unassign_group(group_id)

    def delete_all_groups(self) -> int:
        with self.store.lock:
            ids = [g.id for g in self.groups]
            for group_id in ids:
                self.groups.delete(group_id)
                self.store.customers.unassign_group(group_id)
        return len(ids)

    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """`customer_groups: [{id?, name, is_default?, category_access?, discount_rules?}]` (ids are kept)."""
        entries = section.get("customer_groups") or []
        for index, entry in enumerate(entries):
            given = entry.get("id") if isinstance(entry, Mapping) else None
            body = {k: v for k, v in entry.items() if k != "id"} if isinstance(entry, Mapping) else entry
            with seeding("customer_groups", index):
                self.create_group(body, group_id=given if isinstance(given, int) and given > 0 else None)
        return {"customer_groups": len(entries)} if entries else {}

    # internals
    def _check_name(self, group: CustomerGroup) -> None:
        try:
            self.groups.check_unique(group, group.id)
        except DuplicateKey:
            raise CustomerGroupNameTaken(parameters={"name": group.name}) from None

    def _keep_single_flags(self, changed: CustomerGroup) -> None:
        """Only one group is the default and only one is for guests: setting a flag clears it elsewhere."""
        for flag in ("is_default", "is_group_for_guests"):
            if getattr(changed, flag):
                for other in list(self.groups):
                    if other.id != changed.id and getattr(other, flag):
                        self.groups.replace(other.id, replace(other, **{flag: False}))


# parsing: V2 reports every bad field as a 400 naming it
def _parse(body: Any, *, creating: bool) -> dict[str, Any]:
    if not isinstance(body, Mapping):
        raise FieldInvalid(parameters={"field": "body"})
    values: dict[str, Any] = {}
    for name in READ_ONLY:
        if name in body:
            raise FieldReadOnly(parameters={"field": name})
    name = body.get("name")
    if name is None:
        if creating:
            raise RequiredFieldMissing(parameters={"field": "name"})
    elif not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise FieldInvalid(parameters={"field": "name"})
    else:
        values["name"] = name.strip()
    for flag in ("is_default", "is_group_for_guests"):
        if body.get(flag) is not None:
            if not isinstance(body[flag], bool):
                raise FieldInvalid(parameters={"field": flag})
            values[flag] = body[flag]
    if body.get("category_access") is not None:
        values["category_access"] = _category_access(body["category_access"])
    if body.get("discount_rules") is not None:
        values["discount_rules"] = _discount_rules(body["discount_rules"])
    return values


def _category_access(value: Any) -> tuple[str, tuple[int, ...]]:
    if not isinstance(value, Mapping) or value.get("type") not in ACCESS_TYPES:
        raise FieldInvalid(parameters={"field": "category_access"})
    categories = value.get("categories")
    if value["type"] != "specific":
        return value["type"], ()
    if not isinstance(categories, list):
        raise FieldInvalid(parameters={"field": "category_access.categories"})
    ids = tuple(dict.fromkeys(int_of(c, "category_access.categories", low=1) for c in categories))
    return "specific", ids


def _discount_rules(value: Any) -> tuple[dict[str, Any], ...]:
    # Kept for compatibility with the vendor's older docs: a single rule object means a list of one.
    rules = [value] if isinstance(value, Mapping) else value
    if not isinstance(rules, list):
        raise FieldInvalid(parameters={"field": "discount_rules"})
    parsed = tuple(_rule(rule) for rule in rules)
    kinds = [rule["type"] for rule in parsed]
    if ("price_list" in kinds and len(kinds) > 1) or kinds.count("all") > 1:
        raise FieldInvalid(parameters={"field": "discount_rules"})
    return parsed


def _rule(rule: Any) -> dict[str, Any]:
    if not isinstance(rule, Mapping) or rule.get("type") not in RULE_TYPES:
        raise FieldInvalid(parameters={"field": "discount_rules.type"})
    kind = rule["type"]
    if kind == "price_list":
        return {"type": kind, "price_list_id": int_of(rule.get("price_list_id"), "discount_rules.price_list_id", 1)}
    if rule.get("method") not in METHODS:
        raise FieldInvalid(parameters={"field": "discount_rules.method"})
    amount: Decimal = money_of(rule.get("amount"), "discount_rules.amount")
    parsed: dict[str, Any] = {"type": kind, "method": rule["method"], "amount": amount}
    if kind in ("category", "product"):
        key = f"{kind}_id"
        parsed[key] = int_of(rule.get(key), f"discount_rules.{key}", 1)
    return parsed


def _apply(group: CustomerGroup, values: Mapping[str, Any]) -> CustomerGroup:
    changes: dict[str, Any] = {k: values[k] for k in ("name", "is_default", "is_group_for_guests") if k in values}
    if "category_access" in values:
        changes["access_type"], changes["categories"] = values["category_access"]
    if "discount_rules" in values:
        changes["discount_rules"] = values["discount_rules"]
    return replace(group, **changes)


def _value_of(group: CustomerGroup, name: str) -> Any:
    return getattr(group, name, None)
