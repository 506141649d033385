"""Inventory locations, per-location stock and item settings of one store (reference/inventory.v3.yml,
locations.v3.yml, docs/store-operations/catalog/inventory-adjustments.mdx). Pure Python.

Every store has location 1, the default (it can't be deleted: it is the store's shipping origin). Stock at
location 1 IS the catalog's `inventory_level` (the variant spec: "The Catalog API returns the inventory for
only the default location"): adjustments there go through the catalog (`CatalogState.set_stock`), as orders
take and return it through `CatalogState.adjust_inventory`, so there is one stock, moved in one place.
Stock at other locations lives here, per item; a location has an item's stock once an absolute adjustment
gave it one ("requires absolute adjustment before relative").

An inventory item is a product's own stock (a product without option variants, or one tracked by product)
or a variant's (a product tracked by variant); naming the other is the vendor's 422 "[Item with variant_id
106 is tracked by product, please update stock by product id]". A relative adjustment may not take the
stock below the item's safety stock. Writes answer a `transaction_id` (the vendor applies them
asynchronously; the fake at once).

Events: `store/inventory/location/created|updated` ({location_id}); `store/channel/*/inventory/product/
stock_changed` and `.../settings_changed` ({variant_id, product_id, location_id}), and for stock an order
takes, `.../low_stock_reached` and `.../out_of_stock_reached`; the catalog's own
`store/product|sku/inventory/updated` events keep firing for location 1.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from storefake.bigcommerce.errors import (
    AdjustmentBatchTooLarge,
    AdjustmentInvalid,
    ItemNeedsAbsoluteAdjustment,
    ItemNotEnoughStock,
    ItemNotFound,
    ItemTrackedElsewhere,
    LocationCodeTaken,
    LocationDeleteOrigin,
    LocationDisabled,
    LocationInvalid,
    LocationLimitReached,
    LocationNotFound,
    LocationsMissing,
    LocationUnknown,
    SettingsInvalid,
)
from storefake.bigcommerce.state.catalog_fields import sku_key
from storefake.table import Table

DEFAULT_LOCATION_ID = 1
MAX_ACTIVE_LOCATIONS = 100  # locations.v3.yml: "Limit of 100 active locations"
MAX_ITEMS = 2000  # inventory.v3.yml: "Limit of 2000 items for payload length"
MAX_STOCK = 2**31 - 1
DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
TYPES = ("PHYSICAL", "VIRTUAL")
ADDRESS_REQUIRED = ("address1", "city", "state", "zip", "email", "geo_coordinates", "country_code")
ADDRESS_TEXTS = ("address1", "address2", "city", "state", "zip", "email", "phone", "country_code")
STOCK_CHANGED = "store/channel/*/inventory/product/stock_changed"
SETTINGS_CHANGED = "store/channel/*/inventory/product/settings_changed"
LOW_STOCK = "store/channel/*/inventory/product/low_stock_reached"
OUT_OF_STOCK = "store/channel/*/inventory/product/out_of_stock_reached"
CATALOG_STOCK_EVENTS = ("store/product/inventory/", "store/sku/inventory/")
SETTING_NAMES = ("safety_stock", "is_in_stock", "warning_level", "bin_picking_number")


@dataclass(frozen=True, slots=True)
class Location:
    id: int
    code: str
    label: str
    description: str
    managed_by_external_source: bool
    type_id: str
    enabled: bool
    operating_hours: dict[str, Any]
    time_zone: str
    address: dict[str, Any] | None
    storefront_visibility: bool
    special_hours: tuple[dict[str, Any], ...]
    created_at: float
    updated_at: float


@dataclass(frozen=True, slots=True)
class StockKey:
    """An inventory item: a product's own stock (`variant_id` None) or one variant's."""

    product_id: int
    variant_id: int | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    safety_stock: int = 0
    is_in_stock: bool = True
    warning_level: int = 0
    bin_picking_number: str = ""


@dataclass(frozen=True, slots=True)
class ItemLevel:
    """One item at one location, as the item endpoints list it."""

    location: Location
    on_hand: int
    settings: Settings

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.settings.safety_stock)


@dataclass(frozen=True, slots=True)
class ItemRow:
    """An inventory item as listed: the catalog variant naming it, its stock key, and its levels."""

    product_id: int
    variant_id: int
    sku: str
    sku_id: int | None
    key: StockKey
    levels: list[ItemLevel] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LocationListing:
    ids: Sequence[int] | None = None
    codes: Sequence[str] | None = None
    is_default: bool | None = None
    types: Sequence[str] | None = None
    managed_by_external_source: bool | None = None
    is_active: bool | None = None
    storefront_visibility: bool | None = None
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True, slots=True)
class ItemListing:
    skus: Sequence[str] | None = None
    variant_ids: Sequence[int] | None = None
    product_ids: Sequence[int] | None = None
    location_ids: Sequence[int] | None = None
    location_codes: Sequence[str] | None = None
    offset: int = 0
    limit: int = 50


def _closed_week() -> dict[str, Any]:
    return {day: {"open": False, "opening": "00:00", "closing": "00:00"} for day in DAYS}


class InventoryState:
    """Locations and the stock and settings of every item at every location but the default's stock."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.locations: Table[Location] = Table(unique={"code": lambda loc: loc.code.casefold()})
        self.stock: dict[int, dict[StockKey, int]] = {}  # location id -> item -> on hand (not location 1)
        self.settings: dict[tuple[int, StockKey], Settings] = {}
        now = store.now()
        default = Location(
            id=DEFAULT_LOCATION_ID,
            code="BC-LOCATION-1",
            label="Default location",
            description="",
            managed_by_external_source=False,
            type_id="PHYSICAL",
            enabled=True,
            operating_hours=_closed_week(),
            time_zone="Etc/UTC",
            address={
                **dict.fromkeys(ADDRESS_TEXTS, ""),
                "country_code": "US",
                "geo_coordinates": {"latitude": 0, "longitude": 0},
            },
            storefront_visibility=True,
            special_hours=(),
            created_at=now,
            updated_at=now,
        )
        self.locations.insert(self.locations.allocate_id(), default)

    # locations --------------------------------------------------------------------------------------
    def list_locations(self, listing: LocationListing) -> tuple[list[Location], int]:
        def wanted(loc: Location) -> bool:
            checks = (
                listing.ids is None or loc.id in listing.ids,
                listing.codes is None or loc.code in listing.codes,
                listing.is_default is None or (loc.id == DEFAULT_LOCATION_ID) == listing.is_default,
                listing.types is None or loc.type_id in listing.types,
                listing.managed_by_external_source in (None, loc.managed_by_external_source),
                listing.is_active in (None, loc.enabled),
                listing.storefront_visibility in (None, loc.storefront_visibility),
            )
            return all(checks)

        found = self.locations.select(where=wanted, offset=listing.offset, limit=listing.limit)
        return found.items, found.total

    def get_location(self, location_id: int) -> Location:
        location = self.locations.get(location_id)
        if location is None:
            raise LocationNotFound(parameters={"id": location_id})
        return location

    def create_locations(self, items: Any) -> str:
        bodies = _array(items)
        checked = [_location_fields(body, f"[{n}]", creating=True) for n, body in enumerate(bodies)]
        with self.store.lock:
            now = self.store.now()
            codes = [fields.get("code") for fields in checked if fields.get("code")]
            for code in codes:
                if codes.count(code) > 1 or self.locations.get_unique("code", code.casefold()) is not None:
                    raise LocationCodeTaken(parameters={"code": code})
            active = sum(1 for loc in self.locations if loc.enabled)
            if active + sum(1 for f in checked if f.get("enabled", True)) > MAX_ACTIVE_LOCATIONS:
                raise LocationLimitReached(parameters={"max": MAX_ACTIVE_LOCATIONS})
            created = []
            for fields in checked:
                location_id = self.locations.allocate_id()
                location = Location(
                    id=location_id,
                    code=fields.pop("code", None) or f"BC-LOCATION-{location_id}",
                    label=fields.pop("label"),
                    description=fields.pop("description", ""),
                    managed_by_external_source=fields.pop("managed_by_external_source"),
                    type_id=fields.pop("type_id"),
                    enabled=fields.pop("enabled", True),
                    operating_hours={**_closed_week(), **fields.pop("operating_hours", {})},
                    time_zone=fields.pop("time_zone"),
                    address=fields.pop("address", None),
                    storefront_visibility=fields.pop("storefront_visibility", True),
                    special_hours=tuple(fields.pop("special_hours", ())),
                    created_at=now,
                    updated_at=now,
                )
                self.locations.insert(location_id, location)
                created.append(location_id)
        for location_id in created:
            self.store.emit("store/inventory/location/created", {"location_id": location_id})
        return self._transaction()

    def update_locations(self, items: Any) -> str:
        bodies = _array(items)
        checked: list[tuple[int, dict[str, Any]]] = []
        for n, body in enumerate(bodies):
            location_id = body.get("id") if isinstance(body, Mapping) else None
            if isinstance(location_id, bool) or not isinstance(location_id, int):
                raise LocationInvalid(errors={f"[{n}].id": "error.path.missing"})
            checked.append((location_id, _location_fields(body, f"[{n}]", creating=False)))
        with self.store.lock:
            now = self.store.now()
            changed: list[Location] = []
            for location_id, fields in checked:
                current = self.locations.get(location_id)
                if current is None:
                    raise LocationUnknown(parameters={"id": location_id})
                if "address" in fields:
                    fields["address"] = {**(current.address or {}), **fields["address"]}
                if "operating_hours" in fields:
                    fields["operating_hours"] = {**current.operating_hours, **fields["operating_hours"]}
                if "special_hours" in fields:
                    fields["special_hours"] = tuple(fields["special_hours"])
                changed.append(replace(current, **fields, updated_at=now))
            self._check_codes(changed)
            for location in changed:
                self.locations.replace(location.id, location)
        for location in changed:
            self.store.emit("store/inventory/location/updated", {"location_id": location.id})
        return self._transaction()

    def delete_locations(self, ids: Sequence[int] | None) -> str:
        """DELETE ?location_id:in=: the default location is the shipping origin and stays; stock goes with the rest."""
        if not ids:
            raise LocationsMissing()
        with self.store.lock:
            doomed = [self.get_location(location_id) for location_id in dict.fromkeys(ids)]
            for location in doomed:
                if location.id == DEFAULT_LOCATION_ID:
                    raise LocationDeleteOrigin(
                        parameters={"label": location.label},
                        detail={"type": "https://developer.bigcommerce.com/docs/start/about/status-codes"},
                    )
            for location in doomed:
                self.locations.delete(location.id)
                self.stock.pop(location.id, None)
                for key in [k for k in self.settings if k[0] == location.id]:
                    del self.settings[key]
                self.store.metafields.drop_owner("location", location.id)
        return self._transaction()

    # items ------------------------------------------------------------------------------------------
    def list_items(self, listing: ItemListing, location_id: int | None = None) -> tuple[list[ItemRow], int]:
        """Inventory items (catalog variants) with their levels at every location, or at `location_id` only."""
        catalog = self.store.catalog
        if location_id is not None:
            locations = [self.get_location(location_id)]
        else:
            locations = [
                loc
                for loc in self.locations
                if (listing.location_ids is None or loc.id in listing.location_ids)
                and (listing.location_codes is None or loc.code in listing.location_codes)
            ]
        candidates: list[Any] = []
        if listing.variant_ids is not None:
            candidates.append(catalog.variants.known_ids(listing.variant_ids))
        if listing.product_ids is not None:
            candidates.append(set(catalog.variants.ids_for_any("product_id", listing.product_ids)))
        if listing.skus is not None:
            candidates.append(self._variant_ids_of_skus(listing.skus))
        only_here = location_id is not None and location_id != DEFAULT_LOCATION_ID

        def wanted(variant: Any) -> bool:
            return not only_here or self._key_of_variant(variant) in self.stock.get(location_id or 0, {})

        found = catalog.variants.select(
            candidates=[sorted(c) for c in candidates],
            where=wanted if only_here else None,
            offset=listing.offset,
            limit=listing.limit,
        )
        rows = [self._row(variant, locations, only_here) for variant in found.items]
        return rows, found.total

    def update_settings(self, location_id: int, body: Any) -> str:
        """PUT /inventory/locations/{id}/items: settings per item; each entry must set at least one."""
        settings = body.get("settings") if isinstance(body, Mapping) else None
        if not isinstance(settings, list):
            raise SettingsInvalid(errors={"settings": "error.path.missing"})
        if len(settings) > MAX_ITEMS:
            raise AdjustmentBatchTooLarge(parameters={"max": MAX_ITEMS})
        changes: list[tuple[int, dict[str, Any]]] = []
        for n, entry in enumerate(settings):
            given = {name: entry[name] for name in SETTING_NAMES if isinstance(entry, Mapping) and name in entry}
            if not set(given) & {"safety_stock", "is_in_stock", "warning_level"}:
                raise SettingsInvalid(
                    errors={
                        f"setting.{n}.settings": "At least one setting must be specified: warning_level, "
                        "is_in_stock or safety_stock"
                    }
                )
            changes.append((n, _settings_of(given, n)))
        with self.store.lock:
            location = self.get_location(location_id)
            keys = [self._resolve(settings[n].get("identity"), n) for n, _ in changes]
            for key, (_, given) in zip(keys, changes, strict=True):
                current = self.settings.get((location.id, key)) or self._default_settings(location.id, key)
                self.settings[(location.id, key)] = replace(current, **given)
        for key in keys:
            self.store.emit(SETTINGS_CHANGED, self._item_data(key, location_id))
        return self._transaction()

    # adjustments ------------------------------------------------------------------------------------
    def adjust_absolute(self, body: Any) -> str:
        return self._adjust(body, relative=False)

    def adjust_relative(self, body: Any) -> str:
        return self._adjust(body, relative=True)

    def _adjust(self, body: Any, *, relative: bool) -> str:
        items = body.get("items") if isinstance(body, Mapping) else None
        if not isinstance(items, list):
            raise AdjustmentInvalid(errors={"items": "error.path.missing"})
        if len(items) > MAX_ITEMS:
            raise AdjustmentBatchTooLarge(parameters={"max": MAX_ITEMS})
        if isinstance(body, Mapping) and "reason" in body and not isinstance(body["reason"], str):
            raise AdjustmentInvalid(errors={"reason": "error.expected.jsstring"})
        parsed = [_adjustment_of(item, n, relative) for n, item in enumerate(items)]
        moved: list[tuple[StockKey, int]] = []
        with self.store.lock:
            planned: dict[tuple[int, StockKey], tuple[int, int]] = {}  # (location, item) -> (level, change)
            for n, (location_id, identity, quantity) in enumerate(parsed):
                location = self.get_location_for_stock(location_id)
                key = self._resolve(identity, n)
                current = planned[(location.id, key)][0] if (location.id, key) in planned else None
                if current is None:
                    current = self._on_hand(location.id, key, relative)
                level = current + quantity if relative else quantity
                if relative and level < self._settings(location.id, key).safety_stock:
                    raise ItemNotEnoughStock(parameters={"identity": _identity_text(key), "location": location.id})
                if level > MAX_STOCK:
                    raise AdjustmentInvalid(errors={f"items.{n}.quantity": "error.max"})
                planned[(location.id, key)] = (level, quantity)
            for (loc_id, key), (level, change) in planned.items():
                self._write(loc_id, key, level, relative=relative, change=change)
                if loc_id != DEFAULT_LOCATION_ID:
                    moved.append((key, loc_id))
        for key, loc_id in moved:
            self.store.emit(STOCK_CHANGED, self._item_data(key, loc_id))
        return self._transaction()

    def get_location_for_stock(self, location_id: int) -> Location:
        location = self.locations.get(location_id)
        if location is None:
            raise LocationUnknown(parameters={"id": location_id})
        if not location.enabled:
            raise LocationDisabled(parameters={"id": location_id})
        return location

    # the catalog's stock events (StoreState.emit calls this for every event) -------------------------
    def follow_up(self, scope: str, data: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Channel inventory events a catalog stock event at the default location implies."""
        if not scope.startswith(CATALOG_STOCK_EVENTS):
            return []
        inventory = data.get("inventory") or {}
        product_id = inventory.get("product_id")
        product = self.store.catalog.get_product(product_id) if isinstance(product_id, int) else None
        if product is None:
            return []
        variant_id = inventory.get("variant_id")
        key = StockKey(product.id, variant_id if variant_id not in (None, product.base_variant_id) else None)
        item = self._item_data(key, DEFAULT_LOCATION_ID)
        events = [(STOCK_CHANGED, item)]
        if scope.endswith("/order/updated"):
            level = self._on_hand(DEFAULT_LOCATION_ID, key, relative=False)
            warning = self._settings(DEFAULT_LOCATION_ID, key).warning_level
            if level <= 0:
                events.append((OUT_OF_STOCK, dict(item)))
            elif level <= warning:
                events.append((LOW_STOCK, dict(item)))
        return events

    # seeding ----------------------------------------------------------------------------------------
    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """`locations: [...]` in create-body shape (no events)."""
        entries = list(section.get("locations") or [])
        if entries:
            checked = [_location_fields(body, f"[{n}]", creating=True) for n, body in enumerate(entries)]
            with self.store.lock:
                now = self.store.now()
                for fields in checked:
                    location_id = self.locations.allocate_id()
                    location = Location(
                        id=location_id,
                        code=fields.get("code") or f"BC-LOCATION-{location_id}",
                        label=fields["label"],
                        description=fields.get("description", ""),
                        managed_by_external_source=fields["managed_by_external_source"],
                        type_id=fields["type_id"],
                        enabled=fields.get("enabled", True),
                        operating_hours={**_closed_week(), **fields.get("operating_hours", {})},
                        time_zone=fields["time_zone"],
                        address=fields.get("address"),
                        storefront_visibility=fields.get("storefront_visibility", True),
                        special_hours=tuple(fields.get("special_hours", ())),
                        created_at=now,
                        updated_at=now,
                    )
                    self.locations.insert(location_id, location)
        return {"locations": len(entries)} if entries else {}

    # internals --------------------------------------------------------------------------------------
    def _transaction(self) -> str:
        return str(self.store.context.random.uuid4())

    def _check_codes(self, changed: Iterable[Location]) -> None:
        seen: dict[str, int] = {}
        for location in changed:
            code = location.code.casefold()
            holder = self.locations.get_unique("code", code)
            if (holder is not None and holder.id != location.id) or seen.get(code, location.id) != location.id:
                raise LocationCodeTaken(parameters={"code": location.code})
            seen[code] = location.id

    def _variant_ids_of_skus(self, skus: Iterable[str]) -> set[int]:
        catalog = self.store.catalog
        found: set[int] = set()
        for sku in skus:
            key = sku_key(sku)
            variant = catalog.variants.get_unique("sku", key) if key else None
            if variant is not None:
                found.add(variant.id)
                continue
            product = catalog.products.get_unique("sku", key) if key else None
            if product is not None:
                found.update(catalog.variants.ids_for("product_id", product.id))
        return found

    def _key_of_variant(self, variant: Any) -> StockKey:
        product = self.store.catalog.get_product(variant.product_id)
        if product is None or product.base_variant_id == variant.id or self._by_product(product):
            return StockKey(variant.product_id)
        return StockKey(variant.product_id, variant.id)

    @staticmethod
    def _by_product(product: Any) -> bool:
        """A product with option variants keeps one stock for all of them when tracked by product."""
        return product.base_variant_id is not None or product.fields.get("inventory_tracking") == "product"

    def _resolve(self, identity: Any, index: int) -> StockKey:
        """The item an adjustment or setting names by `sku`, `variant_id` or `product_id`."""
        catalog = self.store.catalog
        if not isinstance(identity, Mapping):
            raise AdjustmentInvalid(errors={f"items.{index}": "error.path.missing"})
        if identity.get("product_id") is not None:
            product_id = _int(identity["product_id"], f"items.{index}.product_id")
            product = catalog.get_product(product_id)
            if product is None:
                raise ItemNotFound(parameters={"identity": f"product_id {product_id}"})
            if not self._by_product(product):
                raise ItemTrackedElsewhere(
                    parameters={"identity": f"product_id {product_id}", "mode": "variant", "by": "variant id"}
                )
            return StockKey(product_id)
        if identity.get("variant_id") is not None:
            variant_id = _int(identity["variant_id"], f"items.{index}.variant_id")
            variant = catalog.get_variant(variant_id)
            if variant is None:
                raise ItemNotFound(parameters={"identity": f"variant_id {variant_id}"})
            return self._variant_key(variant, f"variant_id {variant_id}")
        sku = identity.get("sku")
        if isinstance(sku, str) and sku_key(sku):
            variant = catalog.variants.get_unique("sku", sku_key(sku))
            if variant is not None:
                return self._variant_key(variant, f"sku {sku}")
            product = catalog.products.get_unique("sku", sku_key(sku))
            if product is not None and self._by_product(product):
                return StockKey(product.id)
            raise ItemNotFound(parameters={"identity": f"sku {sku}"})
        raise AdjustmentInvalid(errors={f"items.{index}": "One of sku, variant_id or product_id is required"})

    def _variant_key(self, variant: Any, identity: str) -> StockKey:
        product = self.store.catalog.get_product(variant.product_id)
        if product is not None and product.base_variant_id == variant.id:
            return StockKey(product.id)
        if product is not None and self._by_product(product):
            raise ItemTrackedElsewhere(parameters={"identity": identity, "mode": "product", "by": "product id"})
        return StockKey(variant.product_id, variant.id)

    def _on_hand(self, location_id: int, key: StockKey, relative: bool) -> int:
        if location_id == DEFAULT_LOCATION_ID:
            catalog = self.store.catalog
            row = catalog.get_variant(key.variant_id) if key.variant_id else catalog.get_product(key.product_id)
            return int(row.fields.get("inventory_level", 0)) if row is not None else 0
        level = self.stock.get(location_id, {}).get(key)
        if level is None:
            if relative:
                raise ItemNeedsAbsoluteAdjustment(parameters={"identity": _identity_text(key)})
            return 0
        return level

    def _write(self, location_id: int, key: StockKey, level: int, *, relative: bool, change: int) -> None:
        if location_id == DEFAULT_LOCATION_ID:
            method, value = ("relative", change) if relative else ("absolute", level)
            self.store.catalog.set_stock(key.product_id, key.variant_id, level, method=method, value=value)
        else:
            self.stock.setdefault(location_id, {})[key] = level

    def _settings(self, location_id: int, key: StockKey) -> Settings:
        return self.settings.get((location_id, key)) or self._default_settings(location_id, key)

    def _default_settings(self, location_id: int, key: StockKey) -> Settings:
        """At the default location, the catalog's warning level and bin picking number stand in."""
        if location_id != DEFAULT_LOCATION_ID:
            return Settings()
        catalog = self.store.catalog
        row = catalog.get_variant(key.variant_id) if key.variant_id else catalog.get_product(key.product_id)
        if row is None:
            return Settings()
        return Settings(
            warning_level=int(row.fields.get("inventory_warning_level") or 0),
            bin_picking_number=str(row.fields.get("bin_picking_number") or ""),
        )

    def _item_data(self, key: StockKey, location_id: int) -> dict[str, Any]:
        variant_id = key.variant_id
        if variant_id is None:
            product = self.store.catalog.get_product(key.product_id)
            variant_id = product.base_variant_id if product is not None else None
        return {"variant_id": variant_id, "product_id": key.product_id, "location_id": location_id}

    def _row(self, variant: Any, locations: Sequence[Location], only_here: bool) -> ItemRow:
        key = self._key_of_variant(variant)
        product = self.store.catalog.get_product(variant.product_id)
        base = product is not None and product.base_variant_id == variant.id
        sku = variant.fields.get("sku") or (product.fields.get("sku") if product is not None else "") or ""
        levels = []
        for location in locations:
            if location.id != DEFAULT_LOCATION_ID and key not in self.stock.get(location.id, {}):
                continue
            on_hand = self._on_hand(location.id, key, relative=False)
            levels.append(ItemLevel(location, on_hand, self._settings(location.id, key)))
        return ItemRow(variant.product_id, variant.id, str(sku), None if base else variant.sku_id, key, levels)


# parsing helpers ------------------------------------------------------------------------------------
def _array(items: Any) -> list[Any]:
    if not isinstance(items, list):
        raise LocationInvalid(errors={"obj": "error.expected.jsarray"})
    return items


def _int(value: Any, name: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 2**63:
        raise AdjustmentInvalid(errors={name: "error.expected.jsnumber"})
    return value


def _identity_text(key: StockKey) -> str:
    return f"variant_id {key.variant_id}" if key.variant_id else f"product_id {key.product_id}"


def _adjustment_of(item: Any, index: int, relative: bool) -> tuple[int, Mapping[str, Any], int]:
    if not isinstance(item, Mapping):
        raise AdjustmentInvalid(errors={f"items.{index}": "error.expected.jsobject"})
    if item.get("location_id") is None:
        raise AdjustmentInvalid(errors={f"items.{index}.location_id": "error.path.missing"})
    location_id = _int(item["location_id"], f"items.{index}.location_id")
    if item.get("quantity") is None:
        raise AdjustmentInvalid(errors={f"items.{index}.quantity": "error.path.missing"})
    quantity = item["quantity"]
    if isinstance(quantity, float) and quantity.is_integer():
        quantity = int(quantity)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or abs(quantity) > MAX_STOCK:
        raise AdjustmentInvalid(errors={f"items.{index}.quantity": "error.expected.jsnumber"})
    if not relative and quantity < 0:
        raise AdjustmentInvalid(errors={f"items.{index}.quantity": "error.min"})
    return location_id, item, quantity


def _settings_of(given: Mapping[str, Any], index: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name == "is_in_stock":
            ok = isinstance(value, bool)
        elif name == "bin_picking_number":
            ok = isinstance(value, str) and len(value) <= 255
        else:
            ok = not isinstance(value, bool) and isinstance(value, int) and 0 <= value <= MAX_STOCK
        if not ok:
            raise SettingsInvalid(errors={f"setting.{index}.{name}": "error.invalid"})
        out[name] = value
    return out


def _location_fields(body: Any, where: str, *, creating: bool) -> dict[str, Any]:
    """A location create/update item's fields, checked; LocationInvalid keyed `[n].field` (Play-style codes)."""
    if not isinstance(body, Mapping):
        raise LocationInvalid(errors={where: "error.expected.jsobject"})
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {}
    if creating:
        for name in ("label", "managed_by_external_source", "type_id", "time_zone"):
            if name not in body:
                errors[f"{where}.{name}"] = "error.path.missing"
    for name in ("code", "label", "description", "time_zone"):
        if name in body:
            value = body[name]
            if not isinstance(value, str) or (name in ("code", "label") and not value.strip()) or len(value) > 255:
                errors[f"{where}.{name}"] = "error.expected.jsstring"
            else:
                fields[name] = value
    for name in ("managed_by_external_source", "enabled", "storefront_visibility"):
        if name in body:
            if not isinstance(body[name], bool):
                errors[f"{where}.{name}"] = "error.expected.jsboolean"
            else:
                fields[name] = body[name]
    if "type_id" in body:
        if body["type_id"] not in TYPES:
            errors[f"{where}.type_id"] = "error.expected.validenumvalue"
        else:
            fields["type_id"] = body["type_id"]
    if "time_zone" in fields and not _is_time_zone(fields["time_zone"]):
        errors[f"{where}.time_zone"] = "error.invalid"
    if "operating_hours" in body:
        fields["operating_hours"] = _hours(body["operating_hours"], f"{where}.operating_hours", errors)
    if "special_hours" in body:
        fields["special_hours"] = _special_hours(body["special_hours"], f"{where}.special_hours", errors)
    physical = fields.get("type_id", "PHYSICAL") == "PHYSICAL"
    if "address" in body or (creating and physical):
        address = _address(body.get("address"), f"{where}.address", errors, full=creating)
        if address is not None:
            fields["address"] = address
    if errors:
        raise LocationInvalid(errors=errors)
    return fields


def _is_time_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _address(value: Any, where: str, errors: dict[str, str], *, full: bool) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        errors[where] = "error.path.missing" if value is None else "error.expected.jsobject"
        return None
    address: dict[str, Any] = {}
    for name in ADDRESS_REQUIRED:
        if full and value.get(name) is None:
            errors[f"{where}.{name}"] = "error.path.missing"
    for name in ADDRESS_TEXTS:
        if name in value:
            if not isinstance(value[name], str) or len(value[name]) > 255:
                errors[f"{where}.{name}"] = "error.expected.jsstring"
            else:
                address[name] = value[name]
    code = address.get("country_code")
    if code is not None and not (len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()):
        errors[f"{where}.country_code"] = "error.invalid"
    if "email" in address and "@" not in address["email"]:
        errors[f"{where}.email"] = "error.email"
    coordinates = value.get("geo_coordinates")
    if "geo_coordinates" in value:
        lat = coordinates.get("latitude") if isinstance(coordinates, Mapping) else None
        lon = coordinates.get("longitude") if isinstance(coordinates, Mapping) else None
        if not (_number(lat) and -90 <= lat <= 90 and _number(lon) and -180 <= lon <= 180):
            errors[f"{where}.geo_coordinates"] = "error.invalid"
        else:
            address["geo_coordinates"] = {"latitude": lat, "longitude": lon}
    return address


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and value == value


def _hours(value: Any, where: str, errors: dict[str, str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        errors[where] = "error.expected.jsobject"
        return {}
    hours: dict[str, Any] = {}
    for day, spec in value.items():
        if day not in DAYS or not isinstance(spec, Mapping):
            errors[f"{where}.{day}"] = "error.invalid"
            continue
        entry = {"open": spec.get("open", False), "opening": spec.get("opening", "00:00"),
                 "closing": spec.get("closing", "00:00")}  # fmt: skip
        if not isinstance(entry["open"], bool) or not all(_clock(entry[k]) for k in ("opening", "closing")):
            errors[f"{where}.{day}"] = "error.invalid"
            continue
        hours[day] = entry
    return hours


def _special_hours(value: Any, where: str, errors: dict[str, str]) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        errors[where] = "error.expected.jsarray"
        return []
    out = []
    for n, spec in enumerate(value):
        ok = (
            isinstance(spec, Mapping)
            and isinstance(spec.get("label"), str)
            and _is_date(spec.get("date"))
            and isinstance(spec.get("open"), bool)
            and all(_clock(spec.get(k, "00:00")) for k in ("opening", "closing"))
            and all(isinstance(spec.get(k, False), bool) for k in ("all_day", "annual"))
        )
        if not ok:
            errors[f"{where}[{n}]"] = "error.invalid"
            continue
        out.append({
            "label": spec["label"], "date": spec["date"], "open": spec["open"],
            "opening": spec.get("opening", "00:00"), "closing": spec.get("closing", "00:00"),
            "all_day": spec.get("all_day", False), "annual": spec.get("annual", False),
        })  # fmt: skip
    return out


def _is_date(text: Any) -> bool:
    try:
        return isinstance(text, str) and len(text) == 10 and date.fromisoformat(text) is not None
    except ValueError:
        return False


def _clock(text: Any) -> bool:
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        return False
    hours, minutes = text[:2], text[3:]
    return hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60
