"""V2 order shipments and order statuses over HTTP."""

from __future__ import annotations

import pytest

BASE = "/stores/abc123/v2"
ORDERS = f"{BASE}/orders"
BILLING = {"first_name": "Jane", "last_name": "Doe", "street_1": "1 St", "city": "Austin", "state": "Texas",
           "zip": "78751", "country": "United States", "country_iso2": "US", "email": "jane@example.com"}  # fmt: skip


@pytest.fixture
def order(bc):
    """An order of two A and one B; returns (order id, address id, product ids)."""
    products = [
        {"name": "A", "quantity": 2, "price_inc_tax": 5},
        {"name": "B", "quantity": 1, "price_inc_tax": 7},
    ]
    order_id = bc.post(ORDERS, json={"billing_address": BILLING, "products": products, "status_id": 11}).json()["id"]
    address_id = bc.get(f"{ORDERS}/{order_id}/shipping_addresses").json()[0]["id"]
    product_ids = [p["id"] for p in bc.get(f"{ORDERS}/{order_id}/products").json()]
    return order_id, address_id, product_ids


def another_order(bc):
    body = {"billing_address": BILLING, "products": [{"name": "Z", "quantity": 1, "price_inc_tax": 1}]}
    return bc.post(ORDERS, json=body).json()["id"]


def ship(bc, order_id, address_id, *items, **extra):
    body = {"order_address_id": address_id, "items": [{"order_product_id": i, "quantity": q} for i, q in items]}
    return bc.post(f"{ORDERS}/{order_id}/shipments", json={**body, **extra})


def test_no_shipments_is_204(bc, order):
    response = bc.get(f"{ORDERS}/{order[0]}/shipments")
    assert response.status_code == 204
    assert response.content == b""
    assert bc.get(f"{ORDERS}/{order[0]}/shipments/count").json() == {"count": 0}


def test_create_shipment_is_201_and_partially_ships(bc, order, fake):
    order_id, address_id, (a, _b) = order
    fake.clock.freeze(1552494937)
    response = ship(bc, order_id, address_id, (a, 1), tracking_number="EJ958083578US", shipping_provider="usps",
                    comments="Ready to go...")  # fmt: skip
    assert response.status_code == 201
    shipment = response.json()
    assert shipment["id"] == 1
    assert shipment["order_id"] == order_id
    assert shipment["order_address_id"] == address_id
    assert shipment["date_created"] == "Wed, 13 Mar 2019 16:35:37 +0000"
    assert shipment["tracking_number"] == "EJ958083578US"
    assert shipment["shipping_provider"] == "usps"
    assert shipment["comments"] == "Ready to go..."
    assert shipment["items"] == [{"order_product_id": a, "product_id": 0, "quantity": 1}]
    assert shipment["billing_address"]["email"] == "jane@example.com"
    assert shipment["shipping_address"]["street_1"] == "1 St"
    got = bc.get(f"{ORDERS}/{order_id}").json()
    assert (got["status_id"], got["status"], got["items_shipped"], got["date_shipped"]) == (3, "Partially Shipped", 1,
                                                                                            "")  # fmt: skip
    products = bc.get(f"{ORDERS}/{order_id}/products").json()
    assert [p["quantity_shipped"] for p in products] == [1, 0]


def test_shipping_everything_moves_the_order_to_shipped(bc, order, fake, events):
    order_id, address_id, (a, b) = order
    fake.clock.freeze(1552494937)
    ship(bc, order_id, address_id, (a, 1))
    events.clear()
    assert ship(bc, order_id, address_id, (a, 1), (b, 1)).status_code == 201
    got = bc.get(f"{ORDERS}/{order_id}").json()
    assert (got["status_id"], got["status"], got["items_shipped"]) == (2, "Shipped", 3)
    assert got["date_shipped"] == "Wed, 13 Mar 2019 16:35:37 +0000"
    assert events == [
        ("store/shipment/created", {"type": "shipment", "id": 2, "orderId": order_id}),
        ("store/order/updated", {"type": "order", "id": order_id}),
        ("store/order/statusUpdated",
         {"type": "order", "id": order_id, "status": {"previous_status_id": 3, "new_status_id": 2}}),
    ]  # fmt: skip


def test_shipping_more_than_is_left_is_400(bc, order):
    order_id, address_id, (a, _b) = order
    ship(bc, order_id, address_id, (a, 1))
    response = ship(bc, order_id, address_id, (a, 2))
    assert response.status_code == 400
    assert response.json() == [
        {"status": 400, "message": f"The quantity for order product {a} exceeds the quantity left to ship (1)."}
    ]
    # the same product twice in one shipment counts together
    assert ship(bc, order_id, address_id, (a, 1), (a, 1)).status_code == 400
    assert bc.get(f"{ORDERS}/{order_id}").json()["items_shipped"] == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"items": [{"order_product_id": 1}]}, "The required field 'order_address_id' was not supplied."),
        ({"order_address_id": "ADDRESS"}, "The required field 'items' was not supplied."),
        ({"order_address_id": "ADDRESS", "items": []}, "The field 'items' is invalid."),
        ({"order_address_id": 999, "items": [{"order_product_id": "A", "quantity": 1}]},
         "The field 'order_address_id' is invalid."),
        ({"order_address_id": "ADDRESS", "items": [{"quantity": 1}]},
         "The required field 'items.order_product_id' was not supplied."),
        ({"order_address_id": "ADDRESS", "items": [{"order_product_id": 999, "quantity": 1}]},
         "The field 'items.order_product_id' is invalid."),
        ({"order_address_id": "ADDRESS", "items": [{"order_product_id": "A", "quantity": 0}]},
         "The field 'items.quantity' is invalid."),
        ([], "The field 'body' is invalid."),
    ],
)  # fmt: skip
def test_create_shipment_bad_bodies_are_v2_400s(bc, order, body, message):
    order_id, address_id, (a, _b) = order
    if isinstance(body, dict):
        body = {**body}
        if body.get("order_address_id") == "ADDRESS":
            body["order_address_id"] = address_id
        body["items"] = [
            {**item, "order_product_id": a} if item.get("order_product_id") == "A" else item
            for item in body.get("items", [])
        ] if "items" in body else None  # fmt: skip
        if body["items"] is None:
            del body["items"]
    response = bc.post(f"{ORDERS}/{order_id}/shipments", json=body)
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": message}]


def test_shipment_address_of_another_order_is_refused(bc, order):
    order_id, _address_id, (a, _b) = order
    other = another_order(bc)
    other_address = bc.get(f"{ORDERS}/{other}/shipping_addresses").json()[0]["id"]
    response = ship(bc, order_id, other_address, (a, 1))
    assert response.json() == [{"status": 400, "message": "The field 'order_address_id' is invalid."}]


def test_shipment_for_unknown_order_is_404(bc):
    response = bc.post(f"{ORDERS}/999/shipments", json={"order_address_id": 1, "items": []})
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_list_get_update_count_and_delete_shipments(bc, order):
    order_id, address_id, (a, b) = order
    first = ship(bc, order_id, address_id, (a, 1)).json()
    ship(bc, order_id, address_id, (b, 1))
    listed = bc.get(f"{ORDERS}/{order_id}/shipments").json()
    assert [s["id"] for s in listed] == [1, 2]
    assert bc.get(f"{ORDERS}/{order_id}/shipments", params={"limit": 1, "page": 2}).json()[0]["id"] == 2
    assert bc.get(f"{ORDERS}/{order_id}/shipments/count").json() == {"count": 2}
    assert bc.get(f"{ORDERS}/{order_id}/shipments/1").json() == first
    updated = bc.put(f"{ORDERS}/{order_id}/shipments/1", json={"tracking_number": "NEW"}).json()
    assert updated["tracking_number"] == "NEW"
    assert bc.delete(f"{ORDERS}/{order_id}/shipments/1").status_code == 204
    assert bc.get(f"{ORDERS}/{order_id}/shipments/1").status_code == 404
    assert bc.get(f"{ORDERS}/{order_id}").json()["items_shipped"] == 1
    assert bc.delete(f"{ORDERS}/{order_id}/shipments").status_code == 204
    assert bc.get(f"{ORDERS}/{order_id}/shipments").status_code == 204
    assert [p["quantity_shipped"] for p in bc.get(f"{ORDERS}/{order_id}/products").json()] == [0, 0]


def test_shipment_of_another_order_is_404(bc, order):
    order_id, address_id, (a, _b) = order
    ship(bc, order_id, address_id, (a, 1))
    other = another_order(bc)
    assert bc.get(f"{ORDERS}/{other}/shipments/1").status_code == 404


def test_order_statuses_lists_all_15(bc):
    response = bc.get(f"{BASE}/order_statuses")
    assert response.status_code == 200
    statuses = response.json()
    assert [s["id"] for s in statuses] == list(range(15))
    assert [s["name"] for s in statuses] == [
        "Incomplete", "Pending", "Shipped", "Partially Shipped", "Refunded", "Cancelled", "Declined",
        "Awaiting Payment", "Awaiting Pickup", "Awaiting Shipment", "Completed", "Awaiting Fulfillment",
        "Manual Verification Required", "Disputed", "Partially Refunded",
    ]  # fmt: skip
    assert statuses[2] == {
        "id": 2,
        "name": "Shipped",
        "system_label": "Shipped",
        "custom_label": "Shipped",
        "system_description": "Order has been shipped, but receipt has not been confirmed; seller has used the Ship "
        "Items action.",
        "order": 8,
    }


def test_get_order_status(bc):
    assert bc.get(f"{BASE}/order_statuses/11").json()["name"] == "Awaiting Fulfillment"
    response = bc.get(f"{BASE}/order_statuses/15")
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


@pytest.mark.parametrize("status_id", ["\u0663", "\uff13", "\u00b9"])  # Arabic-Indic, full-width 3; superscript 1
def test_get_order_status_non_ascii_digits_are_not_found(bc, status_id):
    response = bc.get(f"{BASE}/order_statuses/{status_id}")
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_order_statuses_need_the_orders_scope(bc):
    response = bc.get(f"{BASE}/order_statuses", headers={"X-Auth-Token": "storefake-bc-noscope-token"})
    assert response.status_code == 403
