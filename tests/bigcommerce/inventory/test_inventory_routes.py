"""Inventory API over HTTP: locations, items, adjustments and settings, with the vendor's bodies and scopes."""

from __future__ import annotations

import httpx
import pytest

from storefake.transport import SyncASGITransport

V3 = "/stores/abc123/v3"
INV = f"{V3}/inventory"
TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
WAREHOUSE = {
    "code": "WH-2",
    "label": "Warehouse",
    "description": "Overflow",
    "managed_by_external_source": False,
    "type_id": "PHYSICAL",
    "enabled": True,
    "time_zone": "Etc/UTC",
    "address": {"address1": "5th Ave", "city": "New York", "state": "NY", "zip": "10021", "email": "wh@example.com",
                "geo_coordinates": {"latitude": 40.774378, "longitude": -73.9653178}, "country_code": "US"},
    "storefront_visibility": False,
}  # fmt: skip


def error(status, title, errors=None):
    return {"status": status, "title": title, "type": TYPE, "errors": errors or {}}


def client_with(app, token):
    return httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver", headers={"X-Auth-Token": token})


@pytest.fixture
def mug(bc):
    body = {"name": "Mug", "type": "physical", "weight": 1, "price": 5, "sku": "MUG", "inventory_tracking": "product",
            "inventory_level": 10}  # fmt: skip
    return bc.post(f"{V3}/catalog/products", json=body).json()["data"]


@pytest.fixture
def warehouse_id(bc):
    assert bc.post(f"{INV}/locations", json=[WAREHOUSE]).status_code == 200
    return bc.get(f"{INV}/locations", params={"location_code:in": "WH-2"}).json()["data"][0]["id"]


def test_list_locations_has_the_default(bc):
    response = bc.get(f"{INV}/locations")
    assert response.status_code == 200
    body = response.json()
    assert [(loc["id"], loc["code"], loc["label"], loc["enabled"]) for loc in body["data"]] == [
        (1, "BC-LOCATION-1", "Default location", True)
    ]
    assert body["meta"]["pagination"]["total"] == 1


def test_create_locations_answers_a_transaction_id(bc, fake):
    fake.clock.freeze(1653913082)
    response = bc.post(f"{INV}/locations", json=[WAREHOUSE])
    assert response.status_code == 200
    assert list(response.json()) == ["transaction_id"]
    created = bc.get(f"{INV}/locations", params={"location_id:in": "2"}).json()["data"][0]
    assert created == {
        "id": 2,
        **{k: v for k, v in WAREHOUSE.items() if k != "address"},
        "operating_hours": {
            day: {"open": False, "opening": "00:00", "closing": "00:00"}
            for day in ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
        },
        "created_at": "2022-05-30T12:18:02Z",
        "updated_at": "2022-05-30T12:18:02Z",
        "address": WAREHOUSE["address"],
        "special_hours": [],
    }


def test_create_location_missing_fields_is_422(bc):
    response = bc.post(f"{INV}/locations", json=[{"label": "X", "type_id": "VIRTUAL"}])
    assert response.status_code == 422
    assert response.json() == error(
        422,
        "JSON data is missing or invalid",
        {"[0].managed_by_external_source": "error.path.missing", "[0].time_zone": "error.path.missing"},
    )


def test_update_locations(bc, warehouse_id):
    response = bc.put(f"{INV}/locations", json=[{"id": warehouse_id, "label": "Main", "enabled": False}])
    assert response.status_code == 200
    listed = bc.get(f"{INV}/locations", params={"is_active": "false"}).json()["data"]
    assert [(loc["id"], loc["label"]) for loc in listed] == [(warehouse_id, "Main")]


def test_delete_the_default_location_is_422(bc):
    response = bc.delete(f"{INV}/locations", params={"location_id:in": "1"})
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Location can't be deleted. Default location is set as a shipping origin for this store and "
        "can't be deleted.",
        "type": "https://developer.bigcommerce.com/docs/start/about/status-codes",
        "errors": {},
    }


def test_delete_unknown_location_is_404(bc):
    response = bc.delete(f"{INV}/locations", params={"location_id:in": "77"})
    assert response.status_code == 404
    assert response.json() == error(404, "Location with id 77 not found")


def test_delete_location(bc, warehouse_id):
    assert bc.delete(f"{INV}/locations", params={"location_id:in": str(warehouse_id)}).status_code == 200
    assert bc.get(f"{INV}/locations/{warehouse_id}/items").status_code == 404


def test_absolute_adjustment_moves_the_catalog_level(bc, mug):
    response = bc.put(
        f"{INV}/adjustments/absolute",
        json={"reason": "count", "items": [{"location_id": 1, "product_id": mug["id"], "quantity": 30}]},
    )
    assert response.status_code == 200
    assert bc.get(f"{V3}/catalog/products/{mug['id']}").json()["data"]["inventory_level"] == 30


def test_relative_adjustment_by_sku(bc, mug):
    response = bc.post(
        f"{INV}/adjustments/relative", json={"items": [{"location_id": 1, "sku": "MUG", "quantity": -3}]}
    )
    assert response.status_code == 200
    assert bc.get(f"{V3}/catalog/products/{mug['id']}").json()["data"]["inventory_level"] == 7


def test_relative_adjustment_below_zero_is_422(bc, mug):
    response = bc.post(
        f"{INV}/adjustments/relative", json={"items": [{"location_id": 1, "product_id": mug["id"], "quantity": -11}]}
    )
    assert response.status_code == 422
    assert response.json() == error(
        422, f"Items with identity: [product_id {mug['id']}] do not have enough stock at location 1"
    )


def test_relative_before_absolute_at_a_new_location_is_422(bc, mug, warehouse_id):
    response = bc.post(
        f"{INV}/adjustments/relative",
        json={"items": [{"location_id": warehouse_id, "product_id": mug["id"], "quantity": 1}]},
    )
    assert response.status_code == 422
    assert response.json() == error(
        422, f"Items with identity: [product_id {mug['id']}] requires absolute adjustment before relative"
    )


def test_adjusting_a_variant_of_a_product_tracked_by_product_is_422(bc, mug):
    response = bc.put(
        f"{INV}/adjustments/absolute",
        json={"items": [{"location_id": 1, "variant_id": mug["base_variant_id"], "quantity": 1}]},
    )
    assert response.status_code == 200  # a simple product's base variant is its product
    shirt = bc.post(
        f"{V3}/catalog/products",
        json={"name": "Shirt", "type": "physical", "weight": 1, "price": 9, "inventory_tracking": "product",
              "variants": [{"sku": "SH-S", "option_values": [{"option_display_name": "Size", "label": "S"}]}]},
    ).json()["data"]  # fmt: skip
    variant_id = bc.get(f"{V3}/catalog/products/{shirt['id']}/variants").json()["data"][0]["id"]
    response = bc.put(
        f"{INV}/adjustments/absolute", json={"items": [{"location_id": 1, "variant_id": variant_id, "quantity": 1}]}
    )
    assert response.status_code == 422
    assert response.json() == error(
        422, f"[Item with variant_id {variant_id} is tracked by product, please update stock by product id]"
    )


def test_adjustment_without_items_is_422(bc):
    response = bc.put(f"{INV}/adjustments/absolute", json={"reason": "x"})
    assert response.status_code == 422
    assert response.json() == error(422, "JSON data is missing or invalid", {"items": "error.path.missing"})


def test_adjustment_unknown_location_is_422(bc, mug):
    response = bc.put(
        f"{INV}/adjustments/absolute", json={"items": [{"location_id": 9, "product_id": mug["id"], "quantity": 1}]}
    )
    assert response.status_code == 422
    assert response.json() == error(422, "Location with id 9 not found")


def test_list_items(bc, mug, warehouse_id):
    bc.put(f"{INV}/adjustments/absolute", json={"items": [{"location_id": warehouse_id, "sku": "MUG", "quantity": 4}]})
    body = bc.get(f"{INV}/items").json()
    assert body["data"] == [
        {
            "identity": {"sku": "MUG", "variant_id": mug["base_variant_id"], "product_id": mug["id"], "sku_id": None},
            "locations": [
                {"location_id": 1, "location_code": "BC-LOCATION-1", "location_name": "Default location",
                 "available_to_sell": 10, "total_inventory_onhand": 10, "location_enabled": True,
                 "settings": {"safety_stock": 0, "is_in_stock": True, "warning_level": 0, "bin_picking_number": ""}},
                {"location_id": warehouse_id, "location_code": "WH-2", "location_name": "Warehouse",
                 "available_to_sell": 4, "total_inventory_onhand": 4, "location_enabled": True,
                 "settings": {"safety_stock": 0, "is_in_stock": True, "warning_level": 0, "bin_picking_number": ""}},
            ],
        }
    ]  # fmt: skip
    assert body["meta"]["pagination"]["total"] == 1


def test_list_items_location_filter(bc, mug, warehouse_id):
    body = bc.get(f"{INV}/items", params={"location_id:in": str(warehouse_id)}).json()
    assert body["data"][0]["locations"] == []


def test_location_items_and_settings(bc, mug):
    response = bc.put(
        f"{INV}/locations/1/items",
        json={"settings": [{"identity": {"product_id": mug["id"]}, "safety_stock": 2, "bin_picking_number": "A1"}]},
    )
    assert response.status_code == 200
    assert bc.get(f"{INV}/locations/1/items").json()["data"] == [
        {
            "identity": {"sku": "MUG", "variant_id": mug["base_variant_id"], "product_id": mug["id"]},
            "available_to_sell": 8,
            "total_inventory_onhand": 10,
            "settings": {"safety_stock": 2, "is_in_stock": True, "warning_level": 0, "bin_picking_number": "A1"},
        }
    ]


def test_settings_without_a_setting_is_the_documented_422(bc, mug):
    response = bc.put(f"{INV}/locations/1/items", json={"settings": [{"identity": {"product_id": mug["id"]}}]})
    assert response.status_code == 422
    assert response.json() == error(
        422,
        "Payload contains invalid fields",
        {"setting.0.settings": "At least one setting must be specified: warning_level, is_in_stock or safety_stock"},
    )


def test_location_items_unknown_location_is_404(bc):
    response = bc.get(f"{INV}/locations/42/items")
    assert response.status_code == 404
    assert response.json() == error(404, "Location with id 42 not found")


def test_read_only_token_reads_but_cannot_adjust(app, mug):
    with client_with(app, "storefake-bc-readonly-token") as reader:
        assert reader.get(f"{INV}/items").status_code == 200
        assert reader.get(f"{INV}/locations").status_code == 200
        response = reader.put(f"{INV}/adjustments/absolute", json={"items": []})
    assert response.status_code == 403
    assert response.json() == error(403, "You don't have a required scope to access the endpoint")


def test_locations_also_take_the_store_locations_scope(fake, app):
    from storefake.bigcommerce.state import Account

    fake.bigcommerce.add_account(Account("abc123", "loc-token", "loc-client", "s", frozenset({"store_locations"})))
    with client_with(app, "loc-token") as client:
        assert client.get(f"{INV}/locations").status_code == 200
        assert client.get(f"{INV}/items").status_code == 403


def test_location_metafields(bc, warehouse_id):
    field = {"namespace": "hq", "key": "status", "value": "upcoming", "permission_set": "write_and_sf_access"}
    response = bc.post(f"{INV}/locations/{warehouse_id}/metafields", json=field)
    assert response.status_code == 200
    assert response.json()["data"]["resource_type"] == "location"
    assert bc.get(f"{INV}/locations/metafields").json()["data"][0]["resource_id"] == warehouse_id
    bc.delete(f"{INV}/locations", params={"location_id:in": str(warehouse_id)})
    assert bc.get(f"{INV}/locations/metafields").json()["data"] == []


def test_list_items_of_variant_ids_no_variant_has_lists_only_real_ones(bc, mug):
    wanted = f"{mug['base_variant_id']},48,565486294"
    response = bc.get(f"{INV}/items", params={"variant_id:in": wanted})
    assert response.status_code == 200
    assert [item["identity"]["variant_id"] for item in response.json()["data"]] == [mug["base_variant_id"]]
    assert bc.get(f"{INV}/items", params={"variant_id:in": "48"}).json()["data"] == []
