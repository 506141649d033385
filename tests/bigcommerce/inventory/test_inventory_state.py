"""InventoryState without HTTP: locations, one stock shared with the catalog and orders, adjustments, events."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import (
    AdjustmentBatchTooLarge,
    ItemNeedsAbsoluteAdjustment,
    ItemNotEnoughStock,
    ItemNotFound,
    ItemTrackedElsewhere,
    LocationCodeTaken,
    LocationDeleteOrigin,
    LocationDisabled,
    LocationInvalid,
    LocationNotFound,
    LocationUnknown,
    SettingsInvalid,
)
from storefake.bigcommerce.state.inventory import ItemListing, LocationListing, StockKey

SIMPLE = {"name": "Mug", "type": "physical", "weight": 1, "price": 5, "sku": "MUG", "inventory_tracking": "product",
          "inventory_level": 10}  # fmt: skip
SHIRT = {"name": "Shirt", "type": "physical", "weight": 1, "price": 20, "inventory_tracking": "variant",
         "variants": [{"sku": "SHIRT-S", "option_values": [{"option_display_name": "Size", "label": "S"}],
                       "inventory_level": 4},
                      {"sku": "SHIRT-M", "option_values": [{"option_display_name": "Size", "label": "M"}],
                       "inventory_level": 6}]}  # fmt: skip
WAREHOUSE = {
    "code": "WH-2",
    "label": "Warehouse",
    "managed_by_external_source": False,
    "type_id": "PHYSICAL",
    "time_zone": "America/New_York",
    "address": {"address1": "5th Ave", "city": "New York", "state": "NY", "zip": "10021", "email": "wh@example.com",
                "geo_coordinates": {"latitude": 40.77, "longitude": -73.96}, "country_code": "US"},
}  # fmt: skip
BILLING = {"first_name": "Jane", "zip": "78751", "email": "jane@example.com"}


@pytest.fixture
def inv(store):
    return store.inventory


@pytest.fixture
def mug(store):
    return store.catalog.create_product(dict(SIMPLE))


@pytest.fixture
def shirt(store):
    return store.catalog.create_product(dict(SHIRT))


def variants_of(store, product):
    return [store.catalog.get_variant(v) for v in store.catalog.variants.ids_for("product_id", product.id)]


def warehouse(inv, **extra):
    inv.create_locations([{**WAREHOUSE, **extra}])
    return inv.list_locations(LocationListing(codes=[extra.get("code", "WH-2")]))[0][0]


def level(store, product_id, variant_id=None):
    row = store.catalog.get_variant(variant_id) if variant_id else store.catalog.get_product(product_id)
    return row.fields.get("inventory_level", 0)


def test_every_store_has_the_default_location(inv):
    locations, total = inv.list_locations(LocationListing())
    assert total == 1
    assert (locations[0].id, locations[0].code, locations[0].label) == (1, "BC-LOCATION-1", "Default location")


def test_create_locations_numbers_them_after_the_default(inv):
    transaction_id = inv.create_locations([WAREHOUSE, {**WAREHOUSE, "code": "WH-3", "type_id": "VIRTUAL"}])
    assert len(transaction_id) == 36
    assert [loc.id for loc in inv.list_locations(LocationListing())[0]] == [1, 2, 3]


def test_create_location_requires_the_spec_fields(inv):
    with pytest.raises(LocationInvalid) as caught:
        inv.create_locations([{"label": "X", "type_id": "PHYSICAL"}])
    assert caught.value.errors == {
        "[0].managed_by_external_source": "error.path.missing",
        "[0].time_zone": "error.path.missing",
        "[0].address": "error.path.missing",
    }


def test_create_location_checks_address_and_time_zone(inv):
    address = {**WAREHOUSE["address"], "geo_coordinates": {"latitude": 91, "longitude": 0}}
    with pytest.raises(LocationInvalid) as caught:
        inv.create_locations([{**WAREHOUSE, "time_zone": "Mars/Olympus", "address": address}])
    assert caught.value.errors == {"[0].time_zone": "error.invalid", "[0].address.geo_coordinates": "error.invalid"}


def test_virtual_location_needs_no_address(inv):
    body = {k: v for k, v in WAREHOUSE.items() if k != "address"}
    inv.create_locations([{**body, "type_id": "VIRTUAL"}])
    assert inv.get_location(2).address is None


def test_location_codes_are_unique(inv):
    warehouse(inv)
    with pytest.raises(LocationCodeTaken) as caught:
        inv.create_locations([{**WAREHOUSE, "code": "wh-2"}])
    assert caught.value.render_text() == "Location with code wh-2 already exists"


def test_a_refused_batch_creates_nothing(inv):
    with pytest.raises(LocationInvalid):
        inv.create_locations([WAREHOUSE, {"label": "broken"}])
    assert inv.list_locations(LocationListing())[1] == 1


def test_update_locations_merges_the_address(inv):
    loc = warehouse(inv)
    inv.update_locations(
        [{"id": loc.id, "label": "Main warehouse", "address": {"city": "Brooklyn", "country_code": "US"}}]
    )
    updated = inv.get_location(loc.id)
    assert (updated.label, updated.address["city"], updated.address["zip"]) == ("Main warehouse", "Brooklyn", "10021")


def test_update_unknown_location_is_422(inv):
    with pytest.raises(LocationUnknown):
        inv.update_locations([{"id": 9, "label": "x"}])


def test_the_default_location_cannot_be_deleted(inv):
    with pytest.raises(LocationDeleteOrigin) as caught:
        inv.delete_locations([1])
    assert caught.value.render_text() == (
        "Location can't be deleted. Default location is set as a shipping origin for this store and can't be deleted."
    )


def test_delete_unknown_location_is_404(inv):
    with pytest.raises(LocationNotFound):
        inv.delete_locations([5])


def test_deleting_a_location_deletes_its_stock(store, inv, mug):
    loc = warehouse(inv)
    inv.adjust_absolute({"items": [{"location_id": loc.id, "product_id": mug.id, "quantity": 3}]})
    inv.delete_locations([loc.id])
    assert inv.stock == {}


def test_list_locations_filters(inv):
    warehouse(inv)
    warehouse(inv, code="WH-3", enabled=False, type_id="VIRTUAL")
    assert [loc.id for loc in inv.list_locations(LocationListing(is_default=False))[0]] == [2, 3]
    assert [loc.id for loc in inv.list_locations(LocationListing(is_active=False))[0]] == [3]
    assert [loc.id for loc in inv.list_locations(LocationListing(types=["VIRTUAL"]))[0]] == [3]
    assert [loc.id for loc in inv.list_locations(LocationListing(ids=[1, 3]))[0]] == [1, 3]


def test_absolute_adjustment_at_the_default_location_is_the_catalog_level(store, inv, mug):
    inv.adjust_absolute({"items": [{"location_id": 1, "product_id": mug.id, "quantity": 42}]})
    assert level(store, mug.id) == 42
    assert level(store, mug.id, mug.base_variant_id) == 42  # the base variant mirrors its product


def test_relative_adjustment_at_the_default_location_moves_the_catalog_level(store, inv, mug):
    inv.adjust_relative({"items": [{"location_id": 1, "sku": "MUG", "quantity": -4}]})
    assert level(store, mug.id) == 6


def test_variant_adjustments_recount_the_product(store, inv, shirt):
    small, _medium = variants_of(store, shirt)
    inv.adjust_absolute({"items": [{"location_id": 1, "variant_id": small.id, "quantity": 9}]})
    assert (level(store, shirt.id, small.id), level(store, shirt.id)) == (9, 15)


def test_orders_and_the_inventory_api_move_one_stock(store, inv, mug):
    store.orders.create_order({"billing_address": BILLING, "products": [{"product_id": mug.id, "quantity": 3}]})
    inv.adjust_relative({"items": [{"location_id": 1, "product_id": mug.id, "quantity": 5}]})
    rows, _ = inv.list_items(ItemListing(product_ids=[mug.id]))
    assert rows[0].levels[0].on_hand == 12 == level(store, mug.id)


def test_other_locations_keep_their_own_stock(store, inv, mug):
    loc = warehouse(inv)
    inv.adjust_absolute({"items": [{"location_id": loc.id, "product_id": mug.id, "quantity": 3}]})
    inv.adjust_relative({"items": [{"location_id": loc.id, "product_id": mug.id, "quantity": 2}]})
    assert inv.stock == {loc.id: {StockKey(mug.id): 5}}
    assert level(store, mug.id) == 10


def test_relative_before_absolute_at_a_location_is_refused(inv, mug):
    loc = warehouse(inv)
    with pytest.raises(ItemNeedsAbsoluteAdjustment) as caught:
        inv.adjust_relative({"items": [{"location_id": loc.id, "product_id": mug.id, "quantity": 2}]})
    assert caught.value.render_text() == (
        f"Items with identity: [product_id {mug.id}] requires absolute adjustment before relative"
    )


def test_relative_below_the_safety_stock_is_refused_and_changes_nothing(store, inv, mug):
    inv.update_settings(1, {"settings": [{"identity": {"product_id": mug.id}, "safety_stock": 4}]})
    with pytest.raises(ItemNotEnoughStock):
        inv.adjust_relative({"items": [{"location_id": 1, "product_id": mug.id, "quantity": -7}]})
    inv.adjust_relative({"items": [{"location_id": 1, "product_id": mug.id, "quantity": -6}]})
    assert level(store, mug.id) == 4


def test_a_refused_adjustment_batch_changes_nothing(store, inv, mug):
    with pytest.raises(ItemNotFound):
        inv.adjust_absolute(
            {
                "items": [
                    {"location_id": 1, "product_id": mug.id, "quantity": 1},
                    {"location_id": 1, "sku": "?", "quantity": 1},
                ]
            }
        )
    assert level(store, mug.id) == 10


def test_repeated_items_in_one_relative_batch_add_up(store, inv, mug):
    item = {"location_id": 1, "product_id": mug.id, "quantity": -6}
    with pytest.raises(ItemNotEnoughStock):
        inv.adjust_relative({"items": [item, item]})
    assert level(store, mug.id) == 10


def test_variant_of_a_product_tracked_by_product_is_refused(store, inv):
    product = store.catalog.create_product({**SHIRT, "inventory_tracking": "product"})
    small = variants_of(store, product)[0]
    with pytest.raises(ItemTrackedElsewhere) as caught:
        inv.adjust_absolute({"items": [{"location_id": 1, "variant_id": small.id, "quantity": 1}]})
    assert caught.value.render_text() == (
        f"[Item with variant_id {small.id} is tracked by product, please update stock by product id]"
    )


def test_product_tracked_by_variant_is_refused(inv, shirt):
    with pytest.raises(ItemTrackedElsewhere) as caught:
        inv.adjust_absolute({"items": [{"location_id": 1, "product_id": shirt.id, "quantity": 1}]})
    assert caught.value.render_text() == (
        f"[Item with product_id {shirt.id} is tracked by variant, please update stock by variant id]"
    )


def test_adjusting_a_disabled_location_is_refused(inv, mug):
    loc = warehouse(inv, enabled=False)
    with pytest.raises(LocationDisabled):
        inv.adjust_absolute({"items": [{"location_id": loc.id, "product_id": mug.id, "quantity": 1}]})


def test_more_than_2000_items_is_too_large(inv):
    with pytest.raises(AdjustmentBatchTooLarge):
        inv.adjust_absolute({"items": [{"location_id": 1, "product_id": 1, "quantity": 1}] * 2001})


def test_settings_need_at_least_one_setting(inv, mug):
    with pytest.raises(SettingsInvalid) as caught:
        inv.update_settings(1, {"settings": [{"identity": {"product_id": mug.id}}]})
    assert caught.value.errors == {
        "setting.0.settings": "At least one setting must be specified: warning_level, is_in_stock or safety_stock"
    }


def test_settings_show_in_the_item_listing(inv, mug):
    inv.update_settings(1, {"settings": [{"identity": {"sku": "MUG"}, "safety_stock": 3, "warning_level": 2}]})
    rows, _ = inv.list_items(ItemListing(skus=["MUG"]))
    levels = rows[0].levels[0]
    assert (levels.settings.safety_stock, levels.settings.warning_level, levels.available) == (3, 2, 7)


def test_items_are_the_catalog_variants(store, inv, mug, shirt):
    rows, total = inv.list_items(ItemListing())
    assert total == 3
    assert [(r.product_id, r.key.variant_id is None) for r in rows] == [
        (mug.id, True),
        (shirt.id, False),
        (shirt.id, False),
    ]


def test_location_items_list_only_stocked_items(inv, mug, shirt):
    loc = warehouse(inv)
    inv.adjust_absolute({"items": [{"location_id": loc.id, "sku": "MUG", "quantity": 8}]})
    rows, total = inv.list_items(ItemListing(), loc.id)
    assert (total, rows[0].product_id, rows[0].levels[0].on_hand) == (1, mug.id, 8)


def test_adjustments_fire_the_catalog_and_channel_events(events, inv, mug):
    loc = warehouse(inv)
    events.clear()
    inv.adjust_absolute(
        {
            "items": [
                {"location_id": 1, "product_id": mug.id, "quantity": 5},
                {"location_id": loc.id, "product_id": mug.id, "quantity": 1},
            ]
        }
    )
    item = {"variant_id": mug.base_variant_id, "product_id": mug.id}
    assert events == [
        ("store/product/inventory/updated",
         {"type": "product", "id": mug.id, "inventory": {"product_id": mug.id, "method": "absolute", "value": 5}}),
        ("store/channel/*/inventory/product/stock_changed", {**item, "location_id": 1}),
        ("store/channel/*/inventory/product/stock_changed", {**item, "location_id": loc.id}),
    ]  # fmt: skip


def test_orders_reaching_the_warning_level_fire_low_stock(events, store, inv, mug):
    inv.update_settings(1, {"settings": [{"identity": {"product_id": mug.id}, "warning_level": 8}]})
    store.orders.create_order({"billing_address": BILLING, "products": [{"product_id": mug.id, "quantity": 2}]})
    scopes = [scope for scope, _ in events if "channel" in scope]
    assert scopes[-2:] == [
        "store/channel/*/inventory/product/stock_changed",
        "store/channel/*/inventory/product/low_stock_reached",
    ]


def test_orders_emptying_the_stock_fire_out_of_stock(events, store, mug):
    store.orders.create_order({"billing_address": BILLING, "products": [{"product_id": mug.id, "quantity": 10}]})
    assert ("store/channel/*/inventory/product/out_of_stock_reached", {
        "variant_id": mug.base_variant_id, "product_id": mug.id, "location_id": 1}) in events  # fmt: skip


def test_location_events(events, inv):
    loc = warehouse(inv)
    inv.update_locations([{"id": loc.id, "label": "Renamed"}])
    assert [e for e in events if "location" in e[0]] == [
        ("store/inventory/location/created", {"location_id": loc.id}),
        ("store/inventory/location/updated", {"location_id": loc.id}),
    ]


def test_seed_locations(fake, store):
    counts = fake.bigcommerce.seed({"stores": {"abc123": {"locations": [WAREHOUSE]}}})
    assert counts == {"abc123": {"locations": 1}}
    assert store.inventory.get_location(2).code == "WH-2"
