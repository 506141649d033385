"""Form-field values of customers and of their addresses (reference/customers.v3.yml, form-field-values).

Pure Python. One row per (customer or address, field name): its value is a string, a number or a list of
strings. The rows are the only copy: customers' and addresses' `form_fields` (include=formfields, create,
update) and `/v3/customers/form-field-values` read and write the same table, so a listing is an index
lookup, not a walk over every customer. Writes upsert by name; a customer's or address's deletion drops its
rows.

Deviation: the vendor checks names against the store's sign-up form fields (set up in the control panel,
not through this API); the fake takes any name and works a field's type out of its value (`checkboxes` for
a list, `numbers` for a number, `text` otherwise), which is what `field_type` filters on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from storefake.bigcommerce.errors import FormFieldValuesFailed, InvalidJSON
from storefake.bigcommerce.state.customer_listing import Listing, Page, search
from storefake.table import Table

FIELD_TYPES = ("checkboxes", "date", "multiline", "numbers", "password", "radiobuttons", "text", "picklist")
MAX_NAME = 255


@dataclass(frozen=True, slots=True)
class FormFieldValue:
    id: int
    customer_id: int  # 0 for an address's field
    address_id: int  # 0 for a customer's field
    name: str
    value: Any

    @property
    def field_type(self) -> str:
        if isinstance(self.value, list):
            return "checkboxes"
        if isinstance(self.value, int | float):
            return "numbers"
        return "text"

    def pair(self) -> dict[str, Any]:
        return {"name": self.name, "value": _copy(self.value)}


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def value_ok(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return math.isfinite(value)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def check_fields(errors: dict[str, str], key: str, fields: Any) -> None:
    """`[{name, value}]` as customers, addresses and their PUTs send it; failures keyed `<key>[n].name`."""
    if not isinstance(fields, list):
        return  # the caller reports a non-array
    for number, field in enumerate(fields):
        where = f"{key}[{number}]"
        if not isinstance(field, Mapping):
            errors[where] = "error.expected.jsobject"
            continue
        name = field.get("name")
        if name is None:
            errors[f"{where}.name"] = "error.path.missing"
        elif not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            errors[f"{where}.name"] = "error.expected.jsstring"
        if "value" not in field or field["value"] is None:
            errors[f"{where}.value"] = "error.path.missing"
        elif not value_ok(field["value"]):
            errors[f"{where}.value"] = "error.expected.jsstring"


class FormFieldState:
    """Every form-field value of one store's customers and addresses."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.rows: Table[FormFieldValue] = Table(
            unique={"owner_name": lambda r: (r.customer_id, r.address_id, r.name)},
            indexes={
                "customer_id": lambda r: (r.customer_id,) if r.customer_id else (),
                "address_id": lambda r: (r.address_id,) if r.address_id else (),
                "name": lambda r: (r.name,),
            },
        )

    # reads
    def of_customer(self, customer_id: int) -> list[dict[str, Any]]:
        return [r.pair() for r in self._rows("customer_id", customer_id)]

    def of_address(self, address_id: int) -> list[dict[str, Any]]:
        return [r.pair() for r in self._rows("address_id", address_id)]

    # writes (callers hold the store's lock and checked the fields)
    def set_fields(self, fields: Iterable[Mapping[str, Any]], *, customer_id: int = 0, address_id: int = 0) -> None:
        """Upsert `[{name, value}]` for one customer or one address (a repeated name: the last one wins)."""
        for field in fields:
            name = str(field["name"])
            value = _copy(field["value"])
            old = self.rows.get_unique("owner_name", (customer_id, address_id, name))
            if old is None:
                row_id = self.rows.allocate_id()
                self.rows.insert(row_id, FormFieldValue(row_id, customer_id, address_id, name, value))
            else:
                self.rows.replace(old.id, replace(old, value=value))

    def forget(self, *, customer_id: int = 0, address_id: int = 0) -> None:
        index, key = ("customer_id", customer_id) if customer_id else ("address_id", address_id)
        for row_id in list(self.rows.ids_for(index, key)):
            self.rows.delete(row_id)

    def upsert_values(self, items: Sequence[Any]) -> list[FormFieldValue]:
        """`PUT /v3/customers/form-field-values`: `[{customer_id | address_id, name, value}]`, all or nothing."""
        errors: dict[str, str] = {}
        for index, item in enumerate(items):
            if not isinstance(item, Mapping):
                errors[f"[{index}]"] = "error.expected.jsobject"
                continue
            owners = [k for k in ("customer_id", "address_id") if item.get(k) is not None]
            if len(owners) != 1:
                errors[f"[{index}].customer_id"] = "error.path.missing" if not owners else "error.invalid"
            elif not isinstance(item[owners[0]], int) or isinstance(item[owners[0]], bool) or item[owners[0]] < 1:
                errors[f"[{index}].{owners[0]}"] = "error.expected.jsnumber"
            check_fields(errors, f"[{index}]", [{"name": item.get("name"), "value": item.get("value")}])
        if errors:
            raise InvalidJSON(errors={k.replace("][0]", "]"): v for k, v in errors.items()})
        with self.store.lock:
            self._require_owners(items)
            written: dict[tuple[int, int, str], None] = {}
            for item in items:
                owner = {"customer_id": item.get("customer_id") or 0, "address_id": item.get("address_id") or 0}
                self.set_fields([item], **owner)
                written[(owner["customer_id"], owner["address_id"], item["name"])] = None
        rows = [self.rows.get_unique("owner_name", key) for key in written]
        return [r for r in rows if r is not None]

    def search_values(self, listing: Listing) -> Page:
        return search(self.rows, listing, {"customer_id": "customer_id", "address_id": "address_id", "name": "name"})

    # internals
    def _require_owners(self, items: Sequence[Mapping[str, Any]]) -> None:
        customers = self.store.customers
        wanted = {i["customer_id"] for i in items if i.get("customer_id")}
        absent = sorted(c for c in wanted if customers.get_customer(c) is None)
        where = "customer"
        if not absent:
            addresses = {i["address_id"] for i in items if i.get("address_id")}
            absent = sorted(a for a in addresses if a not in customers.addresses)
            where = "address"
        if absent:
            text = f"Error upserting form field values: {where} id(s) {absent} not found"
            raise FormFieldValuesFailed(errors={".form_field_value_upsert": text})

    def _rows(self, index: str, key: int) -> list[FormFieldValue]:
        return [r for i in self.rows.ids_for(index, key) if (r := self.rows.get(i))]
