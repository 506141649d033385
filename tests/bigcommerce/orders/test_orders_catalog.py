"""Orders of catalog products: name/SKU/price from the catalog, inventory taken atomically."""

from __future__ import annotations

import threading

import httpx
import pytest

from storefake.transport import SyncASGITransport

CATALOG = "/stores/abc123/v3/catalog/products"
ORDERS = "/stores/abc123/v2/orders"
BILLING = {"first_name": "Jane", "last_name": "Doe", "street_1": "1 St", "city": "Austin", "state": "Texas",
           "zip": "78751", "country": "United States", "country_iso2": "US", "email": "jane@example.com"}  # fmt: skip


def product(bc, **fields):
    body = {"name": "Premium Hoodie", "type": "physical", "weight": 1.5, "price": 40, "sku": "HOOD", **fields}
    response = bc.post(CATALOG, json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def level(bc, product_id):
    return bc.get(f"{CATALOG}/{product_id}").json()["data"]["inventory_level"]


def order(bc, *lines):
    return bc.post(ORDERS, json={"billing_address": BILLING, "products": list(lines)})


@pytest.fixture
def hoodie(bc):
    return product(bc, sale_price=35, inventory_tracking="product", inventory_level=5)


def test_catalog_line_takes_name_sku_and_calculated_price(bc, hoodie):
    response = order(bc, {"product_id": hoodie["id"], "quantity": 2})
    assert response.status_code == 200, response.text
    assert response.json()["subtotal_inc_tax"] == "70.0000"
    line = bc.get(f"{ORDERS}/{response.json()['id']}/products").json()[0]
    assert (line["product_id"], line["name"], line["sku"], line["price_inc_tax"]) == (
        hoodie["id"], "Premium Hoodie", "HOOD", "35.0000")  # fmt: skip
    assert line["variant_id"] == hoodie["base_variant_id"]
    assert line["weight"] == "1.5000"


def test_catalog_line_decrements_tracked_inventory(bc, hoodie):
    order(bc, {"product_id": hoodie["id"], "quantity": 2})
    assert level(bc, hoodie["id"]) == 3


def test_untracked_product_keeps_its_inventory(bc):
    plain = product(bc, inventory_level=1)
    assert order(bc, {"product_id": plain["id"], "quantity": 4}).status_code == 200
    assert level(bc, plain["id"]) == 1


def test_out_of_stock_is_400_and_changes_nothing(bc, hoodie):
    response = order(bc, {"product_id": hoodie["id"], "quantity": 3}, {"product_id": hoodie["id"], "quantity": 3})
    assert response.status_code == 400
    assert response.json() == [
        {"status": 400, "message": "The product 'Premium Hoodie' does not have enough stock: 5 left."}
    ]
    assert level(bc, hoodie["id"]) == 5
    assert bc.get(ORDERS).status_code == 204


def test_unknown_product_is_400(bc):
    response = order(bc, {"product_id": 4242, "quantity": 1})
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": "The product with ID 4242 was not found."}]


def test_variant_of_another_product_is_400(bc, hoodie):
    other = product(bc, name="Cap", sku="CAP")
    response = order(bc, {"product_id": hoodie["id"], "variant_id": other["base_variant_id"], "quantity": 1})
    assert response.json() == [{"status": 400, "message": "The field 'variant_id' is invalid."}]


def test_variant_tracked_inventory_comes_from_the_variant(bc):
    variants = [
        {"sku": "TEE-S", "price": 12, "inventory_level": 2,
         "option_values": [{"option_display_name": "Size", "label": "S"}]},
        {"sku": "TEE-M", "inventory_level": 9, "option_values": [{"option_display_name": "Size", "label": "M"}]},
    ]  # fmt: skip
    tee = product(bc, name="Tee", sku="TEE", price=10, inventory_tracking="variant", variants=variants)
    small, medium = (v["id"] for v in bc.get(f"{CATALOG}/{tee['id']}/variants").json()["data"])
    response = order(bc, {"product_id": tee["id"], "variant_id": small, "quantity": 2},
                     {"product_id": tee["id"], "variant_id": medium, "quantity": 1})  # fmt: skip
    assert response.status_code == 200, response.text
    lines = bc.get(f"{ORDERS}/{response.json()['id']}/products").json()
    assert [(x["sku"], x["price_inc_tax"]) for x in lines] == [("TEE-S", "12.0000"), ("TEE-M", "10.0000")]
    levels = {v["sku"]: v["inventory_level"] for v in bc.get(f"{CATALOG}/{tee['id']}/variants").json()["data"]}
    assert (levels["TEE-S"], levels["TEE-M"]) == (0, 8)
    refused = order(bc, {"product_id": tee["id"], "variant_id": small, "quantity": 1})
    assert refused.json() == [{"status": 400, "message": "The product 'Tee' does not have enough stock: 0 left."}]


def test_mixed_custom_and_catalog_lines(bc, hoodie):
    response = order(bc, {"product_id": hoodie["id"], "quantity": 1}, {"name": "Gift wrap", "quantity": 1,
                                                                       "price_inc_tax": "2.5"})  # fmt: skip
    assert response.json()["subtotal_inc_tax"] == "37.5000"
    assert response.json()["items_total"] == 2


def test_concurrent_orders_never_oversell(app, bc, hoodie):
    """16 threads each order 1 of 5 tracked units: exactly 5 orders succeed and stock ends at 0."""
    barrier = threading.Barrier(16)
    statuses: list[int] = []

    def buy():
        headers = {"X-Auth-Token": "storefake-bc-token"}
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver", headers=headers) as client:
            barrier.wait()
            statuses.append(order(client, {"product_id": hoodie["id"], "quantity": 1}).status_code)

    threads = [threading.Thread(target=buy) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [400] * 11
    assert level(bc, hoodie["id"]) == 0
