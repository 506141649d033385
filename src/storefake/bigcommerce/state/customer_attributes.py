"""BigCommerce V3 customer attributes and their values (reference/customers.v3.yml, customers guide).

Pure Python. An attribute is a name (unique per store, case-insensitively) and a type (`string`, `number`,
`date`) that never changes; a store has at most 50. A value is a string per (customer, attribute), at most
255 characters, that must read as the attribute's type; a customer has at most 50 values. Upserts match
a value by `id` or by (customer, attribute). Deleting an attribute deletes its values; deleting a customer
deletes theirs (CustomerState calls `forget_customer`). Changes through the API fire no webhook (the
vendor's store/customer/updated tracks attribute changes made in the control panel only).

Batches are all-or-nothing. Error titles and texts for business rules (duplicate names, limits, unknown
ids, values of the wrong type) are UNVERIFIED; schema failures use the verified 422 "JSON data is missing
or invalid" with Play-style codes keyed `[index].field`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from storefake.bigcommerce.errors import (
    AttributeValuesFailed,
    CreateAttributesFailed,
    InvalidJSON,
    PayloadTooLarge,
    UpdateAttributesFailed,
)
from storefake.filtering import Condition, plan
from storefake.seeding import seeding
from storefake.table import Selection, Table

TYPES = ("string", "number", "date")
MAX_ATTRIBUTES = 50  # per store (customers.v3.yml, create attributes)
MAX_VALUES_PER_CUSTOMER = 50  # name-value pairs per customer (customers guide)
MAX_CUSTOMERS_PER_UPSERT = 10  # "Limit of 10 customers per call"
MAX_NAME = 255
MAX_VALUE = 255


@dataclass(frozen=True, slots=True)
class Attribute:
    id: int
    name: str
    type: str
    date_created: float
    date_modified: float


@dataclass(frozen=True, slots=True)
class AttributeValue:
    id: int
    attribute_id: int
    customer_id: int
    value: str
    date_created: float
    date_modified: float


@dataclass(frozen=True, slots=True)
class ValueListing:
    conditions: Sequence[Condition] = ()
    page: int = 1
    limit: int = 50


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def value_fits(kind: str, value: str) -> bool:
    """Does a value (always a string) read as the attribute's type?"""
    if kind == "number":
        try:
            return Decimal(value.strip()).is_finite()
        except InvalidOperation:
            return False
    if kind == "date":
        text = value.strip()
        try:
            date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return False
    return True


class CustomerAttributeState:
    """The attribute definitions of one store and every customer's values for them."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.attributes: Table[Attribute] = Table(
            unique={"name": lambda a: a.name.lower()}, indexes={"type": lambda a: (a.type,)}
        )
        self.values: Table[AttributeValue] = Table(
            unique={"pair": lambda v: (v.customer_id, v.attribute_id)},
            indexes={"customer_id": lambda v: (v.customer_id,), "attribute_id": lambda v: (v.attribute_id,)},
        )

    # attributes
    def create_attributes(self, items: Sequence[Any], attribute_id: int | None = None) -> list[Attribute]:
        """Create attributes (POST /v3/customers/attributes); `attribute_id`: the id of a single seeded one."""
        errors: dict[str, str] = {}
        for index, item in enumerate(items):
            if _checked_item(errors, index, item):
                _check_name(errors, index, item, required=True)
                kind = item.get("type")
                if kind is None:
                    errors[f"[{index}].type"] = "error.path.missing"
                elif kind not in TYPES:
                    errors[f"[{index}].type"] = "error.expected.validenumvalue"
                _check_read_only(errors, index, item, ("id", "date_created", "date_modified"))
        if errors:
            raise InvalidJSON(errors=errors)
        with self.store.lock:
            prefix = "Error creating customer attributes"
            self._check_names(items, CreateAttributesFailed, ".attribute_create", prefix)
            if len(self.attributes) + len(items) > MAX_ATTRIBUTES:
                raise CreateAttributesFailed(
                    errors={".attribute_create": f"{prefix}: a store has at most {MAX_ATTRIBUTES} customer attributes"}
                )
            now = self.store.now()
            created = []
            for item in items:
                new_id = attribute_id if attribute_id is not None else self.attributes.allocate_id()
                attribute = Attribute(new_id, item["name"].strip(), item["type"], now, now)
                self.attributes.insert(new_id, attribute)
                created.append(attribute)
        return created

    def update_attributes(self, items: Sequence[Any]) -> list[Attribute]:
        errors: dict[str, str] = {}
        for index, item in enumerate(items):
            if _checked_item(errors, index, item):
                if not _is_int(item.get("id")):
                    errors[f"[{index}].id"] = (
                        "error.path.missing" if item.get("id") is None else "error.expected.jsnumber"
                    )
                _check_name(errors, index, item, required=True)
                _check_read_only(errors, index, item, ("date_created", "date_modified"))
        if errors:
            raise InvalidJSON(errors=errors)
        with self.store.lock:
            prefix = "Error updating customer attributes"
            missing = sorted({item["id"] for item in items if item["id"] not in self.attributes})
            if missing:
                raise UpdateAttributesFailed(
                    errors={".attribute_update": f"{prefix}: attribute id(s) {missing} not found"}
                )
            changed = [i for i in items if "type" in i and i["type"] != self._attribute(i["id"]).type]
            if changed:
                ids = [i["id"] for i in changed]
                raise UpdateAttributesFailed(
                    errors={".attribute_update": f"{prefix}: the type of attribute id(s) {ids} cannot be changed"}
                )
            self._check_names(items, UpdateAttributesFailed, ".attribute_update", prefix)
            now = self.store.now()
            updated = []
            for item in items:
                attribute = replace(self._attribute(item["id"]), name=item["name"].strip(), date_modified=now)
                self.attributes.replace(attribute.id, attribute)
                updated.append(attribute)
        return updated

    def delete_attributes(self, ids: Iterable[int]) -> list[int]:
        with self.store.lock:
            deleted = [i for i in dict.fromkeys(ids) if i in self.attributes]
            for attribute_id in deleted:
                for value_id in list(self.values.ids_for("attribute_id", attribute_id)):
                    self.values.delete(value_id)
                self.attributes.delete(attribute_id)
        return deleted

    def search_attributes(self, conditions: Sequence[Condition], page: int, limit: int) -> Selection[Attribute]:
        planned = plan(self.attributes, list(conditions), value_of=_value_of, indexes={"type": "type"})
        return self.attributes.select(**planned.select_kwargs(), offset=(page - 1) * limit, limit=limit)

    # values
    def upsert_values(self, items: Sequence[Any]) -> list[AttributeValue]:
        errors: dict[str, str] = {}
        for index, item in enumerate(items):
            if _checked_item(errors, index, item):
                for name in ("attribute_id", "customer_id"):
                    value = item.get(name)
                    if value is None:
                        errors[f"[{index}].{name}"] = "error.path.missing"
                    elif not _is_int(value) or value < 1:
                        errors[f"[{index}].{name}"] = "error.expected.jsnumber"
                if item.get("id") is not None and (not _is_int(item["id"]) or item["id"] < 1):
                    errors[f"[{index}].id"] = "error.expected.jsnumber"
                _check_value(errors, index, item, "value")
        if errors:
            raise InvalidJSON(errors=errors)
        if len({item["customer_id"] for item in items}) > MAX_CUSTOMERS_PER_UPSERT:
            raise PayloadTooLarge(parameters={"max": MAX_CUSTOMERS_PER_UPSERT}, errors={})
        with self.store.lock:
            pairs = [(item["customer_id"], item["attribute_id"], item["value"], item.get("id")) for item in items]
            self._check_values(pairs, AttributeValuesFailed, ".attribute_value_upsert",
                               "Error upserting customer attribute values")  # fmt: skip
            return self._write_values(pairs)

    def values_for_new_customer(self, customer_id: int, attributes: Sequence[Mapping[str, Any]]) -> None:
        """A new customer's inline `attributes` ([{attribute_id, attribute_value}]); checked beforehand."""
        pairs = [(customer_id, a["attribute_id"], a["attribute_value"], None) for a in attributes]
        self._write_values(pairs)

    def check_inline(self, items: Sequence[Any], error: type[Exception], key: str, prefix: str) -> None:
        """Customers' inline attributes: known attributes, values of their type (call under the store lock)."""
        pairs = [
            (None, a["attribute_id"], a["attribute_value"], None)
            for item in items
            for a in item.get("attributes") or ()
        ]
        self._check_values(pairs, error, key, prefix)

    def delete_values(self, ids: Iterable[int]) -> list[int]:
        with self.store.lock:
            deleted = [i for i in dict.fromkeys(ids) if i in self.values]
            for value_id in deleted:
                self.values.delete(value_id)
        return deleted

    def search_values(self, listing: ValueListing) -> Selection[AttributeValue]:
        conditions = []
        for condition in listing.conditions:
            if condition.field == "name":  # the attribute's name: the values of the attributes so named
                named = [a.id for a in self.attributes if a.name.lower() == str(condition.value).lower()]
                conditions.append(Condition("attribute_id", "in", named))
            else:
                conditions.append(condition)
        planned = plan(
            self.values, conditions, value_of=_value_of,
            indexes={"customer_id": "customer_id", "attribute_id": "attribute_id"},
        )  # fmt: skip
        offset = (listing.page - 1) * listing.limit
        return self.values.select(**planned.select_kwargs(), offset=offset, limit=listing.limit)

    def values_of(self, customer_id: int) -> list[AttributeValue]:
        return [v for i in self.values.ids_for("customer_id", customer_id) if (v := self.values.get(i))]

    def count_of(self, customer_id: int) -> int:
        return len(self.values.ids_for("customer_id", customer_id))

    def forget_customer(self, customer_id: int) -> None:
        for value_id in list(self.values.ids_for("customer_id", customer_id)):
            self.values.delete(value_id)

    # seeding
    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """`customer_attributes: [{id?, name, type}]` in a store's fixture or seed section (ids are kept), before
        the customers whose inline `attributes` name them."""
        entries = section.get("customer_attributes") or []
        for index, entry in enumerate(entries):
            given = entry.get("id") if isinstance(entry, Mapping) else None
            body = {k: v for k, v in entry.items() if k != "id"} if isinstance(entry, Mapping) else entry
            with seeding("customer_attributes", index):
                self.create_attributes([body], attribute_id=given if isinstance(given, int) and given > 0 else None)
        return {"customer_attributes": len(entries)} if entries else {}

    # internals
    def _attribute(self, attribute_id: int) -> Attribute:
        attribute = self.attributes.get(attribute_id)
        assert attribute is not None
        return attribute

    def _check_names(self, items: Sequence[Any], error: type[Exception], key: str, prefix: str) -> None:
        seen: dict[str, Any] = {}
        for item in items:
            lowered = item["name"].strip().lower()
            holder = self.attributes.get_unique("name", lowered)
            own = item.get("id")
            repeated = lowered in seen and (own is None or seen[lowered] != own)
            if (holder is not None and holder.id != own) or repeated:
                raise error(errors={key: f"{prefix}: name {item['name'].strip()} already in use"})  # type: ignore[call-arg]
            seen[lowered] = own

    def _check_values(
        self, pairs: Sequence[tuple[int | None, int, str, int | None]], error: type[Exception], key: str, prefix: str
    ) -> None:
        def fail(text: str) -> None:
            raise error(errors={key: f"{prefix}: {text}"})  # type: ignore[call-arg]

        unknown = sorted({attribute_id for _, attribute_id, _, _ in pairs if attribute_id not in self.attributes})
        if unknown:
            fail(f"attribute id(s) {unknown} not found")
        customers = self.store.customers
        absent = sorted({c for c, _, _, _ in pairs if c is not None and customers.get_customer(c) is None})
        if absent:
            fail(f"customer id(s) {absent} not found")
        for customer_id, attribute_id, value, value_id in pairs:
            attribute = self._attribute(attribute_id)
            if not value_fits(attribute.type, value):
                fail(f"value '{value}' is not a {attribute.type} (attribute id {attribute_id})")
            if value_id is not None:
                row = self.values.get(value_id)
                if row is None or (row.customer_id, row.attribute_id) != (customer_id, attribute_id):
                    fail(f"attribute value id {value_id} not found for customer id {customer_id}")
        new_pairs: dict[int, set[int]] = {}
        for customer_id, attribute_id, _, _ in pairs:
            if customer_id is not None and self.values.get_unique("pair", (customer_id, attribute_id)) is None:
                new_pairs.setdefault(customer_id, set()).add(attribute_id)
        for customer_id, added in new_pairs.items():
            if self.count_of(customer_id) + len(added) > MAX_VALUES_PER_CUSTOMER:
                fail(f"customer id {customer_id} would have more than {MAX_VALUES_PER_CUSTOMER} attribute values")

    def _write_values(self, pairs: Sequence[tuple[int | None, int, str, int | None]]) -> list[AttributeValue]:
        now = self.store.now()
        written: dict[tuple[int, int], AttributeValue] = {}
        for customer_id, attribute_id, value, _ in pairs:
            assert customer_id is not None
            old = self.values.get_unique("pair", (customer_id, attribute_id))
            if old is None:
                value_id = self.values.allocate_id()
                row = AttributeValue(value_id, attribute_id, customer_id, value, now, now)
                self.values.insert(value_id, row)
            else:
                row = replace(old, value=value, date_modified=now)
                self.values.replace(old.id, row)
            written[(customer_id, attribute_id)] = row
        return list(written.values())


# checks shared by the batches
def _checked_item(errors: dict[str, str], index: int, item: Any) -> bool:
    if not isinstance(item, Mapping):
        errors[f"[{index}]"] = "error.expected.jsobject"
        return False
    return True


def _check_name(errors: dict[str, str], index: int, item: Mapping[str, Any], *, required: bool) -> None:
    name = item.get("name")
    key = f"[{index}].name"
    if name is None:
        if required:
            errors[key] = "error.path.missing"
    elif not isinstance(name, str):
        errors[key] = "error.expected.jsstring"
    elif not name.strip():
        errors[key] = "error.minLength"
    elif len(name) > MAX_NAME:
        errors[key] = "error.maxLength"


def _check_value(errors: dict[str, str], index: int, item: Mapping[str, Any], name: str) -> None:
    value = item.get(name)
    key = f"[{index}].{name}"
    if value is None:
        errors[key] = "error.path.missing"
    elif not isinstance(value, str):
        errors[key] = "error.expected.jsstring"
    elif len(value) > MAX_VALUE:
        errors[key] = "error.maxLength"


def _check_read_only(errors: dict[str, str], index: int, item: Mapping[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if name in item:
            errors[f"[{index}].{name}"] = "error.path.result.readonly"


def check_inline_attributes(errors: dict[str, str], index: int, item: Mapping[str, Any]) -> None:
    """A customer create item's `attributes`: [{attribute_id, attribute_value}], at most 10, no repeats."""
    attributes = item.get("attributes")
    if not isinstance(attributes, list):
        return
    seen: set[int] = set()
    for number, attribute in enumerate(attributes):
        key = f"[{index}].attributes[{number}]"
        if not isinstance(attribute, Mapping):
            errors[key] = "error.expected.jsobject"
            continue
        attribute_id = attribute.get("attribute_id")
        if attribute_id is None:
            errors[f"{key}.attribute_id"] = "error.path.missing"
        elif not _is_int(attribute_id) or attribute_id < 1:
            errors[f"{key}.attribute_id"] = "error.expected.jsnumber"
        elif attribute_id in seen:
            errors[f"{key}.attribute_id"] = "error.duplicate"
        else:
            seen.add(attribute_id)
        value = attribute.get("attribute_value")
        if value is None:
            errors[f"{key}.attribute_value"] = "error.path.missing"
        elif not isinstance(value, str):
            errors[f"{key}.attribute_value"] = "error.expected.jsstring"
        elif len(value) > MAX_VALUE:
            errors[f"{key}.attribute_value"] = "error.maxLength"


def _value_of(row: Any, name: str) -> Any:
    return getattr(row, name, None)
