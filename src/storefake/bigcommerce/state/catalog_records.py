"""The V3 catalog's records (sparse: only what a client set) and the webhook `data` shapes they announce."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from storefake.bigcommerce.state.catalog_fields import PRODUCT_DEFAULTS, VARIANT_DEFAULTS

Event = tuple[str, dict[str, Any]]


@dataclass(slots=True)
class Product:
    """A product: only the fields a client set (`fields`) plus what the store computes."""

    id: int
    fields: dict[str, Any]
    created_at: float
    modified_at: float
    base_variant_id: int | None = None
    custom_fields: tuple[dict[str, Any], ...] = ()
    # The rendered wire object, kept by the route layer. Records are never changed in place (every write
    # stores a `replace`d copy, which starts without one), so a kept rendering can't go stale.
    wire: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)
    wire_json: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def value(self, name: str) -> Any:
        if name == "id":
            return self.id
        if name == "date_modified":
            return self.modified_at
        if name == "date_created":
            return self.created_at
        if name == "calculated_price":
            return calculated_price(self.fields)
        return self.fields.get(name, PRODUCT_DEFAULTS.get(name))

    def __getattr__(self, name: str) -> Any:
        # Reads like the wire object (`product.price`), for families that take products as plain objects.
        if name in PRODUCT_DEFAULTS:
            return self.value(name)
        raise AttributeError(name)


@dataclass(slots=True)
class Variant:
    id: int
    product_id: int
    fields: dict[str, Any]
    sku_id: int | None = None

    def value(self, name: str) -> Any:
        if name == "id":
            return self.id
        if name == "product_id":
            return self.product_id
        if name == "calculated_price":
            # Own sale price or price; None means "inherits the product's" (CatalogState.variant_price).
            return self.fields.get("sale_price") or self.fields.get("price")
        return self.fields.get(name, VARIANT_DEFAULTS.get(name))

    def __getattr__(self, name: str) -> Any:
        if name in VARIANT_DEFAULTS:
            return self.value(name)
        raise AttributeError(name)


@dataclass(slots=True)
class Image:
    id: int
    product_id: int
    fields: dict[str, Any]
    modified_at: float


@dataclass(frozen=True, slots=True)
class OptionValue:
    """One value of a variant option or a modifier (`Black` of `Color`); `adjusters` only on modifiers."""

    id: int
    label: str
    sort_order: int = 0
    is_default: bool = False
    value_data: Any = None
    adjusters: Any = None


@dataclass(frozen=True, slots=True)
class Option:
    """A variant option (`Color`) or a modifier (`modifier=True`) of one product, with its values.

    Options and modifiers share one id sequence, as they are one table on the vendor; records are replaced,
    never changed in place.
    """

    id: int
    product_id: int
    modifier: bool
    display_name: str
    name: str
    type: str
    sort_order: int = 0
    config: Any = None
    values: tuple[OptionValue, ...] = ()
    required: bool = False

    def value(self, value_id: int) -> OptionValue | None:
        return next((v for v in self.values if v.id == value_id), None)

    def value_by_label(self, label: str) -> OptionValue | None:
        key = label.casefold()
        return next((v for v in self.values if v.label.casefold() == key), None)


def calculated_price(fields: Mapping[str, Any]) -> Any:
    """The vendor's `calculated_price`: the sale price when one is set, else the price."""
    sale = fields.get("sale_price") or 0
    return sale if sale > 0 else fields.get("price", 0)


def custom_url_key(fields: Mapping[str, Any]) -> str | None:
    url = fields.get("custom_url")
    return url["url"].casefold() if isinstance(url, dict) and isinstance(url.get("url"), str) else None


def sku_id(variant: Variant) -> int:
    return variant.sku_id if variant.sku_id is not None else variant.id


def sku_data(variant: Variant) -> dict[str, Any]:
    """`store/sku/*` data: `{"type": "sku", "id": <sku id>, "sku": {"product_id", "variant_id"}}`."""
    return {"type": "sku", "id": sku_id(variant), "sku": {"product_id": variant.product_id, "variant_id": variant.id}}


def inventory_event(
    kind: str, entity_id: int, product_id: int, variant_id: int | None, method: str, value: int, cause: str
) -> Event:
    """`store/product/inventory/updated` (API writes) or `.../inventory/order/updated` (orders), and sku twins."""
    scope = f"store/{kind}/inventory/{'order/' if cause == 'order' else ''}updated"
    inventory: dict[str, Any] = {"product_id": product_id, "method": method, "value": value}
    if variant_id is not None:
        inventory["variant_id"] = variant_id
    return scope, {"type": kind, "id": entity_id, "inventory": inventory}
