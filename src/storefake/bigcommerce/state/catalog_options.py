"""Variant options and modifiers of V3 catalog products, and their values (a mixin of CatalogState).

Options (`/products/{id}/options`) build variants; modifiers (`/products/{id}/modifiers`) change how the
product is made or sold without choosing a variant. Both live in one table with one id sequence (the vendor
keeps both as product options); their values share another. A variant stores the (option id, value id)
pairs it is made of, so renaming an option or a value shows on its variants. Variants created with
`option_display_name` + `label` find the option and value of that name, or create them (type `rectangles`,
the vendor's default for options made this way), so an option made by either path is the same option.

Rules (spec: reference/catalog/product-variant-options_catalog.v3.yml, product-modifiers_catalog.v3.yml;
docs/store-operations/catalog): option names are unique per product, display names per product and kind,
value labels per option (case-insensitively); at most 250 values per option; a checkbox modifier gets the
values `Yes` and `No` when created and keeps exactly those. Deleting an option or one of its values deletes
the variants made of it, and a product left without variants gets its base variant back. Deleting a
modifier announces `store/product/updated` (the vendor's list of product update events names it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from storefake.bigcommerce.errors import (
    CheckboxValuesFixed,
    DuplicateOptionDisplayName,
    DuplicateOptionName,
    DuplicateOptionValue,
    InvalidJSON,
    ResourceNotFound,
    TooManyOptionValues,
    UnknownOptionValue,
)
from storefake.bigcommerce.state.catalog_fields import clean_body, whole
from storefake.bigcommerce.state.catalog_records import Event, Option, OptionValue, Product, Variant, sku_data
from storefake.table import Selection, Table

OPTION_TYPES = ("radio_buttons", "rectangles", "dropdown", "product_list", "product_list_with_images", "swatch")
MODIFIER_TYPES = ("date", "checkbox", "file", "text", "multi_line_text", "numbers_only_text", *OPTION_TYPES)
VALUE_TYPES = frozenset({*OPTION_TYPES, "checkbox"})  # the types that offer values to choose from
DEFAULT_OPTION_TYPE = "rectangles"  # catalog guide: options made from variants "default to rectangles"
MAX_VALUES = 250

OPTION_FIELDS: dict[str, Any] = {
    "display_name": "str",
    "name": "str",
    "type": OPTION_TYPES,
    "sort_order": "int32",
    "config": "obj",
    "option_values": "list",
}
MODIFIER_FIELDS: dict[str, Any] = {**OPTION_FIELDS, "type": MODIFIER_TYPES, "required": "bool"}
OPTION_READ_ONLY = frozenset({"id", "product_id"})
VALUE_FIELDS: dict[str, Any] = {"label": "str", "sort_order": "int32", "is_default": "bool", "value_data": "obj?"}
MODIFIER_VALUE_FIELDS: dict[str, Any] = {**VALUE_FIELDS, "adjusters": "obj"}
VALUE_READ_ONLY = frozenset({"id", "option_id"})
VALUE_DATA_FIELDS: dict[str, Any] = {"colors": "strs", "image_url": "str", "product_id": "int", "checked_value": "bool"}
CONFIG_FIELDS: dict[str, Any] = {
    "default_value": "str",
    "checked_by_default": "bool",
    "checkbox_label": "str",
    "date_limited": "bool",
    "date_limit_mode": ("earliest", "range", "latest"),
    "date_earliest_value": "str",
    "date_latest_value": "str",
    "file_types_mode": ("specific", "all"),
    "file_types_supported": "strs",
    "file_types_other": "strs",
    "file_max_size": "int32",
    "text_characters_limited": "bool",
    "text_min_length": "int32",
    "text_max_length": "int32",
    "text_lines_limited": "bool",
    "text_max_lines": "int32",
    "number_limited": "bool",
    "number_limit_mode": ("lowest", "highest", "range"),
    "number_lowest_value": "real",
    "number_highest_value": "real",
    "number_integers_only": "bool",
    "product_list_adjusts_inventory": "bool",
    "product_list_adjusts_pricing": "bool",
    "product_list_shipping_calc": ("none", "weight", "package"),
}
DATE_CONFIG = ("date_earliest_value", "date_latest_value")
ADJUSTER_FIELDS: dict[str, Any] = {"adjuster": ("relative", "percentage", None), "adjuster_value": "real"}
ADJUSTERS_FIELDS: dict[str, Any] = {"price": "obj?", "weight": "obj?", "image_url": "str", "purchasing_disabled": "obj"}
PURCHASING_FIELDS: dict[str, Any] = {"status": "bool", "message": "str"}


class OptionsMixin:
    options: Table[Option]
    products: Table[Product]
    variants: Table[Variant]
    _next_value_id: int
    store: Any
    # provided by CatalogState
    _writing: Any
    _now: Any
    product: Any
    _insert_base_variant: Any
    _recount_product_inventory: Any

    # reads ------------------------------------------------------------------------------------------
    def list_options(
        self, product_id: int, *, modifier: bool, offset: int = 0, limit: int | None = None
    ) -> Selection[Option]:
        self.product(product_id)
        ids = self.options.ids_for("owner", (product_id, modifier))
        return self.options.select(candidates=[ids], offset=offset, limit=limit)

    def options_of(self, product_id: int, *, modifier: bool) -> list[Option]:
        """Every option (or modifier) of a product, in id order (for `include=options,modifiers`)."""
        found = (self.options.get(i) for i in self.options.ids_for("owner", (product_id, modifier)))
        return [o for o in found if o is not None]

    def get_option(self, product_id: int, option_id: int, *, modifier: bool) -> Option:
        self.product(product_id)
        option = self.options.get(option_id)
        if option is None or option.product_id != product_id or option.modifier != modifier:
            raise ResourceNotFound()
        return option

    def list_option_values(
        self, product_id: int, option_id: int, *, modifier: bool, offset: int = 0, limit: int | None = None
    ) -> Selection[OptionValue]:
        values = sorted_values(self.get_option(product_id, option_id, modifier=modifier))
        end = None if limit is None else offset + limit
        return Selection(values[offset:end], len(values))

    def get_option_value(self, product_id: int, option_id: int, value_id: int, *, modifier: bool) -> OptionValue:
        value = self.get_option(product_id, option_id, modifier=modifier).value(value_id)
        if value is None:
            raise ResourceNotFound()
        return value

    # options ----------------------------------------------------------------------------------------
    def create_option(self, product_id: int, body: Any, *, modifier: bool) -> Option:
        fields = _option_body(body, modifier=modifier, creating=True)
        with self._writing():
            self.product(product_id)
            new_id = self.options.allocate_id()
            name = fields.get("name") or _auto_name(fields["display_name"], self._now(), product_id)
            option = Option(
                new_id,
                product_id,
                modifier,
                fields["display_name"],
                name,
                fields["type"],
                fields.get("sort_order", 0),
                fields.get("config") or None,
                required=fields.get("required", False),
            )
            option = replace(option, values=self._new_values(option, fields))
            self._check_option_unique(option)
            self.options.insert(new_id, option)
            return option

    def update_option(self, product_id: int, option_id: int, body: Any, *, modifier: bool) -> Option:
        fields = _option_body(body, modifier=modifier, creating=False)
        with self._writing():
            option = self.get_option(product_id, option_id, modifier=modifier)
            changes = {k: fields[k] for k in ("display_name", "name", "type", "sort_order", "required") if k in fields}
            if "config" in fields:
                changes["config"] = fields["config"] or None
            updated = replace(option, **changes)
            if "option_values" in fields:
                updated = replace(updated, values=self._merged_values(updated, fields["option_values"]))
            self._check_option_unique(updated)
            self.options.replace(option_id, updated)
            return updated

    def delete_option(self, product_id: int, option_id: int, *, modifier: bool) -> None:
        with self._writing() as events:
            option = self.get_option(product_id, option_id, modifier=modifier)
            self.options.delete(option_id)
            if modifier:
                events.append(("store/product/updated", {"type": "product", "id": product_id}))
            else:
                self._drop_variants_using(product_id, lambda pair: pair[0] == option.id, events)

    # values -----------------------------------------------------------------------------------------
    def create_option_value(self, product_id: int, option_id: int, body: Any, *, modifier: bool) -> OptionValue:
        item = _value_body(body, modifier=modifier, creating=True, where="")
        with self._writing():
            option = self.get_option(product_id, option_id, modifier=modifier)
            if option.type == "checkbox":
                raise CheckboxValuesFixed(errors={})
            value = self._new_value(item)
            self._store_values(option, (*option.values, value))
            return value

    def update_option_value(
        self, product_id: int, option_id: int, value_id: int, body: Any, *, modifier: bool
    ) -> OptionValue:
        item = _value_body(body, modifier=modifier, creating=False, where="")
        with self._writing():
            option = self.get_option(product_id, option_id, modifier=modifier)
            current = option.value(value_id)
            if current is None:
                raise ResourceNotFound()
            updated = _changed_value(current, item)
            self._store_values(option, tuple(updated if v.id == value_id else v for v in option.values))
            return updated

    def delete_option_value(self, product_id: int, option_id: int, value_id: int, *, modifier: bool) -> None:
        with self._writing() as events:
            option = self.get_option(product_id, option_id, modifier=modifier)
            if option.value(value_id) is None:
                raise ResourceNotFound()
            if option.type == "checkbox":
                raise CheckboxValuesFixed(errors={})
            self.options.replace(option_id, replace(option, values=tuple(v for v in option.values if v.id != value_id)))
            if not modifier:
                self._drop_variants_using(product_id, lambda pair: pair == (option_id, value_id), events)

    # variants' option values ------------------------------------------------------------------------
    def check_variant_option_values(self, product_id: int | None, given: Any) -> None:
        """Refuse values named by id that are not the product's, before anything is written."""
        for index, item in enumerate(given if isinstance(given, list) else []):
            if not isinstance(item, dict):
                raise InvalidJSON(errors={f"option_values[{index}]": "error.expected.jsobject"})
            if isinstance(item.get("option_display_name"), str) and isinstance(item.get("label"), str):
                continue
            value_id, option_id = whole(item.get("id")), whole(item.get("option_id"))
            if value_id is None or option_id is None:
                raise InvalidJSON(errors={f"option_values[{index}]": "error.path.missing."})
            option = self.options.get(option_id)
            known = option is not None and option.product_id == product_id and not option.modifier
            if not known or option.value(value_id) is None:  # type: ignore[union-attr]
                raise UnknownOptionValue(
                    parameters={"value_id": value_id, "option_id": option_id},
                    errors={f"option_values[{index}]": "error.notFound"},
                )

    def variant_option_values(self, product_id: int, given: Any) -> tuple[tuple[int, int], ...]:
        """The (option id, value id) pairs a variant names; names and labels not yet known are created."""
        self.check_variant_option_values(product_id, given)
        pairs: list[tuple[int, int]] = []
        for item in given if isinstance(given, list) else []:
            name, label = item.get("option_display_name"), item.get("label")
            if isinstance(name, str) and isinstance(label, str):
                pairs.append(self._value_by_name(product_id, name, label))
            else:
                pairs.append((whole(item["option_id"]), whole(item["id"])))  # type: ignore[arg-type]
        return tuple(pairs)

    def option_value_views(self, pairs: Any) -> list[dict[str, Any]]:
        """A variant's `option_values` as the vendor shows them."""
        out: list[dict[str, Any]] = []
        for option_id, value_id in pairs:
            option = self.options.get(option_id)
            value = option.value(value_id) if option is not None else None
            if option is not None and value is not None:
                out.append(
                    {
                        "id": value.id,
                        "label": value.label,
                        "option_id": option.id,
                        "option_display_name": option.display_name,
                    }
                )
        return out

    def _value_by_name(self, product_id: int, name: str, label: str) -> tuple[int, int]:
        key = name.casefold()
        option = next(
            (o for o in self.options_of(product_id, modifier=False) if o.display_name.casefold() == key), None
        )
        if option is None:
            new_id = self.options.allocate_id()
            sort_order = len(self.options.ids_for("owner", (product_id, False)))
            option = Option(
                new_id,
                product_id,
                False,
                name,
                _auto_name(name, self._now(), product_id),
                DEFAULT_OPTION_TYPE,
                sort_order,
            )
            self.options.insert(new_id, option)
        value = option.value_by_label(label)
        if value is None:
            if len(option.values) >= MAX_VALUES:
                raise TooManyOptionValues(parameters={"max": MAX_VALUES}, errors={})
            value = OptionValue(self._allocate_value_id(), label, len(option.values))
            self.options.replace(option.id, replace(option, values=(*option.values, value)))
        return option.id, value.id

    # internals --------------------------------------------------------------------------------------
    def _allocate_value_id(self) -> int:
        self._next_value_id += 1
        return self._next_value_id

    def _new_value(self, item: Mapping[str, Any]) -> OptionValue:
        return OptionValue(
            self._allocate_value_id(),
            item["label"],
            item["sort_order"],
            item.get("is_default", False),
            item.get("value_data"),
            item.get("adjusters"),
        )

    def _new_values(self, option: Option, fields: Mapping[str, Any]) -> tuple[OptionValue, ...]:
        if option.type == "checkbox":
            if fields.get("option_values"):
                raise CheckboxValuesFixed(errors={})
            checked = bool((option.config or {}).get("checked_by_default", False))
            yes = OptionValue(self._allocate_value_id(), "Yes", 0, checked, {"checked_value": True})
            no = OptionValue(self._allocate_value_id(), "No", 1, not checked, {"checked_value": False})
            return (yes, no)
        if option.type not in VALUE_TYPES:
            return ()
        return _one_default(tuple(self._new_value(item) for item in fields.get("option_values") or ()))

    def _merged_values(self, option: Option, items: list[dict[str, Any]]) -> tuple[OptionValue, ...]:
        """PUT's `option_values`: items with an `id` update that value, items without one add a value."""
        if option.type not in VALUE_TYPES:
            return ()
        values = list(option.values)
        for index, item in enumerate(items):
            value_id = item.get("id")
            if value_id is None:
                if option.type == "checkbox":
                    raise CheckboxValuesFixed(errors={})
                values.append(self._new_value(item))
                continue
            position = next((n for n, v in enumerate(values) if v.id == value_id), None)
            if position is None:
                raise UnknownOptionValue(
                    parameters={"value_id": value_id, "option_id": option.id},
                    errors={f"option_values[{index}].id": "error.notFound"},
                )
            values[position] = _changed_value(values[position], item)
        return _one_default(tuple(values), prefer=_last_default(items))

    def _store_values(self, option: Option, values: tuple[OptionValue, ...]) -> None:
        prefer = next((v.id for v in reversed(values) if v.is_default), None)
        updated = replace(option, values=_one_default(values, prefer=prefer))
        self._check_values(updated)
        self.options.replace(option.id, updated)

    def _check_option_unique(self, option: Option) -> None:
        self._check_values(option)
        for other in self.options_of(option.product_id, modifier=False) + self.options_of(
            option.product_id, modifier=True
        ):
            if other.id == option.id:
                continue
            if other.modifier == option.modifier and other.display_name.casefold() == option.display_name.casefold():
                raise DuplicateOptionDisplayName(errors={"display_name": DuplicateOptionDisplayName.template})
            if other.name.casefold() == option.name.casefold():
                raise DuplicateOptionName(errors={"name": DuplicateOptionName.template})

    def _check_values(self, option: Option) -> None:
        if len(option.values) > MAX_VALUES:
            raise TooManyOptionValues(parameters={"max": MAX_VALUES}, errors={})
        labels = [v.label.casefold() for v in option.values]
        if len(labels) != len(set(labels)):
            raise DuplicateOptionValue(errors={"label": DuplicateOptionValue.template})

    def _drop_variants_using(self, product_id: int, uses: Any, events: list[Event]) -> None:
        """Delete the product's variants made of a deleted option or value; restore the base variant."""
        for variant_id in list(self.variants.ids_for("product_id", product_id)):
            variant = self.variants.get(variant_id)
            if variant is not None and any(uses(pair) for pair in variant.fields.get("option_values", ())):
                self.variants.delete(variant_id)
                self.store.metafields.drop_owner("variant", variant_id)
                events.append(("store/sku/deleted", sku_data(variant)))
        product = self.products.get(product_id)
        if product is not None and not self.variants.ids_for("product_id", product_id):
            product = replace(product, base_variant_id=self.variants.allocate_id())
            self.products.replace(product_id, product)
            self._insert_base_variant(product)
        self._recount_product_inventory(product_id)


# bodies ---------------------------------------------------------------------------------------------
def _option_body(body: Any, *, modifier: bool, creating: bool) -> dict[str, Any]:
    entity = "modifier" if modifier else "option"
    fields = clean_body(body, MODIFIER_FIELDS if modifier else OPTION_FIELDS, OPTION_READ_ONLY, entity)
    if creating:
        required = ("display_name", "type", "required") if modifier else ("display_name", "type", "option_values")
        missing = {k: "error.path.missing." for k in required if k not in fields}
        if missing:
            raise InvalidJSON(errors=missing)
    if "config" in fields:
        fields["config"] = _config(fields["config"])
    if "option_values" in fields:
        fields["option_values"] = [
            _value_body(item, modifier=modifier, creating=creating or "id" not in item, where=f"option_values[{n}].")
            if isinstance(item, dict)
            else _not_object(f"option_values[{n}]")
            for n, item in enumerate(fields["option_values"])
        ]
    return fields


def _value_body(body: Any, *, modifier: bool, creating: bool, where: str) -> dict[str, Any]:
    fields = _nested(body, MODIFIER_VALUE_FIELDS if modifier else VALUE_FIELDS, VALUE_READ_ONLY, "value", where)
    if where and isinstance(body, dict) and "id" in body:
        value_id = whole(body["id"])
        if value_id is None:
            raise InvalidJSON(errors={f"{where}id": "error.expected.jsnumber"})
        fields["id"] = value_id  # an item of an option's `option_values`: the id names the value to update
    if creating:
        missing = {f"{where}{k}": "error.path.missing." for k in ("label", "sort_order") if k not in fields}
        if missing:
            raise InvalidJSON(errors=missing)
    if fields.get("value_data") is not None:
        fields["value_data"] = _nested(fields["value_data"], VALUE_DATA_FIELDS, frozenset(), "", f"{where}value_data.")
    if "adjusters" in fields:
        fields["adjusters"] = _adjusters(fields["adjusters"], f"{where}adjusters.")
    return fields


def _config(config: dict[str, Any]) -> dict[str, Any]:
    default = config.get("default_value")
    if isinstance(default, int | float) and not isinstance(default, bool) and math.isfinite(default):
        config = {**config, "default_value": _number_text(config["default_value"])}  # numbers_only_text takes numbers
    fields = _nested(config, CONFIG_FIELDS, frozenset(), "", "config.")
    for key in DATE_CONFIG:
        if key in fields and not _is_iso_date(fields[key]):
            raise InvalidJSON(errors={f"config.{key}": "error.expected.date.isoformat"})
    return fields


def _adjusters(adjusters: dict[str, Any], where: str) -> dict[str, Any]:
    fields = _nested(adjusters, ADJUSTERS_FIELDS, frozenset(), "", where)
    for key in ("price", "weight"):
        if fields.get(key) is not None:
            fields[key] = _nested(fields[key], ADJUSTER_FIELDS, frozenset(), "", f"{where}{key}.")
    if "purchasing_disabled" in fields:
        fields["purchasing_disabled"] = _nested(
            fields["purchasing_disabled"], PURCHASING_FIELDS, frozenset(), "", f"{where}purchasing_disabled."
        )
    return fields


def _nested(body: Any, fields: Mapping[str, Any], read_only: frozenset[str], entity: str, where: str) -> dict[str, Any]:
    """`clean_body` for an object inside a body: error keys carry its path (`config.date_limit_mode`)."""
    if not isinstance(body, dict):
        raise InvalidJSON(errors={where.rstrip(".") or "body": "error.expected.jsobject"})
    try:
        return clean_body(body, fields, read_only, entity)
    except InvalidJSON as exc:
        errors = exc.errors if isinstance(exc.errors, Mapping) else {}
        raise InvalidJSON(errors={f"{where}{key}": code for key, code in errors.items()}) from None


def _not_object(where: str) -> dict[str, Any]:
    raise InvalidJSON(errors={where: "error.expected.jsobject"})


def _changed_value(value: OptionValue, item: Mapping[str, Any]) -> OptionValue:
    changes = {k: item[k] for k in ("label", "sort_order", "is_default", "value_data", "adjusters") if k in item}
    if "adjusters" in changes and value.adjusters:
        changes["adjusters"] = {**value.adjusters, **changes["adjusters"]}
    return replace(value, **changes)


def _one_default(values: tuple[OptionValue, ...], prefer: int | None = None) -> tuple[OptionValue, ...]:
    """At most one value is the default: the one just marked, else the first marked."""
    marked = [v.id for v in values if v.is_default]
    if len(marked) <= 1:
        return values
    keep = prefer if prefer in marked else marked[0]
    return tuple(v if v.id == keep or not v.is_default else replace(v, is_default=False) for v in values)


def _last_default(items: list[dict[str, Any]]) -> int | None:
    return next((item.get("id") for item in reversed(items) if item.get("is_default")), None)


def sorted_values(option: Option) -> list[OptionValue]:
    return sorted(option.values, key=lambda v: (v.sort_order, v.id))


def _auto_name(display_name: str, now: float, product_id: int) -> str:
    """The vendor's generated option name: `Add-a-$5-Donation1535039590-191` (display name, time, product)."""
    return f"{display_name.replace(' ', '-')}{int(now)}-{product_id}"


def _is_iso_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
