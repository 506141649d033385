"""The guide's journey (seeds/bigcommerce-api-guide-ko.txt), end to end over a real socket, webhooks included.

list products → create "Premium Hoodie" → update a variant's inventory → create a customer → create an
order → move it to status 11, then to 2 with a shipment → the app's receiver gets store/order/created and
store/order/statusUpdated, signed with its client secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import httpx
import pytest

from storefake.server import ThreadedServer

TOKEN = "storefake-bc-token"
SECRET = "storefake-bc-secret"


@pytest.fixture
def server():
    with ThreadedServer() as running:
        try:
            yield running
        finally:
            running.fake.close()


@pytest.fixture
def api(server):
    with httpx.Client(base_url=f"{server.url}/stores/abc123", headers={"X-Auth-Token": TOKEN}) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> object:
    assert response.status_code == status, response.text
    return response.json()


def signed(call) -> bool:
    """The receiver's checks: the guide's X-BC-Webhook-Signature and the Standard Webhooks signature."""
    guide = hmac.new(SECRET.encode(), call.body, hashlib.sha256).hexdigest()
    message = f"{call.headers['webhook-id']}.{call.headers['webhook-timestamp']}.".encode() + call.body
    standard = base64.b64encode(hmac.new(SECRET.encode(), message, hashlib.sha256).digest()).decode()
    return call.headers["x-bc-webhook-signature"] == guide and call.headers["webhook-signature"] == f"v1,{standard}"


def test_guide_journey(server, api, receiver):
    for scope in ("store/order/created", "store/order/statusUpdated"):
        ok(api.post("/v3/hooks", json={"scope": scope, "destination": receiver.url("/webhooks/orders")}))

    # 1. list products
    listing = ok(api.get("/v3/catalog/products"))
    assert listing["meta"]["pagination"]["current_page"] == 1

    # 2. create "Premium Hoodie" (the guide's body, in a category that exists, with one variant)
    category = ok(api.post("/v3/catalog/categories", json={"name": "Hoodies", "parent_id": 0}))["data"]["id"]
    hoodie = {
        "name": "Premium Hoodie",
        "type": "physical",
        "sku": "HOODIE-PREM",
        "price": 79.99,
        "description": "Premium cotton blend hoodie",
        "weight": 1.5,
        "width": 20,
        "height": 28,
        "depth": 2,
        "inventory_level": 100,
        "inventory_tracking": "variant",
        "is_visible": True,
        "categories": [category],
        "variants": [
            {
                "sku": "HOODIE-PREM-BLK-M",
                "price": 79.99,
                "inventory_level": 50,
                "option_values": [
                    {"option_display_name": "Color", "label": "Black"},
                    {"option_display_name": "Size", "label": "Medium"},
                ],
            }
        ],
    }
    product = ok(api.post("/v3/catalog/products", json=hoodie))["data"]
    assert product["name"] == "Premium Hoodie"
    variant = ok(api.get(f"/v3/catalog/products/{product['id']}/variants"))["data"][0]

    # 3. update the variant's inventory
    path = f"/v3/catalog/products/{product['id']}/variants/{variant['id']}"
    assert ok(api.put(path, json={"inventory_level": 25}))["data"]["inventory_level"] == 25

    # 4. create a customer
    jane = {"email": "jane.smith@example.com", "first_name": "Jane", "last_name": "Smith", "phone": "512-555-5678"}
    customer = ok(api.post("/v3/customers", json=[jane]))["data"][0]

    # 5. create an order
    billing = {
        "first_name": "Jane",
        "last_name": "Smith",
        "street_1": "123 Main St",
        "city": "Austin",
        "state": "Texas",
        "zip": "78701",
        "country": "United States",
        "country_iso2": "US",
        "email": "jane.smith@example.com",
    }
    line = {"product_id": product["id"], "variant_id": variant["id"], "quantity": 2}
    order = ok(
        api.post("/v2/orders", json={"customer_id": customer["id"], "billing_address": billing, "products": [line]})
    )
    assert (order["status_id"], order["status"]) == (1, "Pending")
    assert ok(api.get(path))["data"]["inventory_level"] == 23

    # 6. status 11, then a shipment of everything takes it to 2 (Shipped)
    assert ok(api.put(f"/v2/orders/{order['id']}", json={"status_id": 11}))["status"] == "Awaiting Fulfillment"
    products = ok(api.get(f"/v2/orders/{order['id']}/products"))
    address = ok(api.get(f"/v2/orders/{order['id']}/shipping_addresses"))[0]
    shipment = {
        "order_address_id": address["id"],
        "tracking_number": "1Z999AA10123456784",
        "shipping_provider": "ups",
        "items": [{"order_product_id": products[0]["id"], "quantity": 2}],
    }
    ok(api.post(f"/v2/orders/{order['id']}/shipments", json=shipment), 201)
    shipped = ok(api.get(f"/v2/orders/{order['id']}"))
    assert (shipped["status_id"], shipped["status"], shipped["items_shipped"]) == (2, "Shipped", 2)

    # 7. the webhooks arrived, signed
    calls = receiver.wait_for(3)
    assert server.fake.bigcommerce.deliveries.wait_idle()
    payloads = [json.loads(call.body) for call in receiver.calls]
    assert all(signed(call) for call in receiver.calls)
    assert all(call.path == "/webhooks/orders" for call in calls)
    events = sorted((p["scope"], json.dumps(p["data"], sort_keys=True)) for p in payloads)
    order_ref = {"type": "order", "id": order["id"]}
    expected = [
        ("store/order/created", order_ref),
        ("store/order/statusUpdated", {**order_ref, "status": {"previous_status_id": 1, "new_status_id": 11}}),
        ("store/order/statusUpdated", {**order_ref, "status": {"previous_status_id": 11, "new_status_id": 2}}),
    ]
    assert events == sorted((scope, json.dumps(data, sort_keys=True)) for scope, data in expected)
    assert {p["store_id"] for p in payloads} == {"1025646"}
    assert {p["producer"] for p in payloads} == {"stores/abc123"}
