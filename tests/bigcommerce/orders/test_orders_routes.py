"""V2 /orders over HTTP: create (custom and catalog products), totals, list filters, paging, update, archive."""

from __future__ import annotations

import pytest

BASE = "/stores/abc123/v2"
ORDERS = f"{BASE}/orders"
BILLING = {
    "first_name": "Jane",
    "last_name": "Doe",
    "street_1": "123 Main Street",
    "city": "Austin",
    "state": "Texas",
    "zip": "78751",
    "country": "United States",
    "country_iso2": "US",
    "email": "janedoe@example.com",
}


def custom(name="Custom Thing", quantity=1, price="10.00", **extra):
    return {"name": name, "quantity": quantity, "price_inc_tax": price, "price_ex_tax": price, **extra}


def order_body(**extra):
    return {"billing_address": BILLING, "products": [custom()], **extra}


def create(bc, **extra):
    response = bc.post(ORDERS, json=order_body(**extra))
    assert response.status_code == 200, response.text
    return response.json()


def ids(response):
    return [o["id"] for o in response.json()]


def test_list_orders_empty_is_204_with_no_body(bc):
    response = bc.get(ORDERS)
    assert response.status_code == 204
    assert response.content == b""


def test_create_order_with_custom_products(bc, fake):
    fake.clock.freeze(1551822011)
    response = bc.post(
        ORDERS,
        json=order_body(
            products=[
                custom(quantity=2, price_inc_tax="10.8", price_ex_tax="10"),
                custom("Other", 1, "5"),
            ],
            shipping_cost_inc_tax=12,
            shipping_cost_ex_tax="11.09",
        ),
    )
    assert response.status_code == 200
    order = response.json()
    assert order["id"] == 100
    assert order["status_id"] == 1
    assert order["status"] == "Pending"
    assert order["custom_status"] == "Pending"
    assert order["date_created"] == "Tue, 05 Mar 2019 21:40:11 +0000"
    assert order["date_modified"] == "Tue, 05 Mar 2019 21:40:11 +0000"
    assert order["date_shipped"] == ""
    assert order["subtotal_ex_tax"] == "25.0000"
    assert order["subtotal_inc_tax"] == "26.6000"
    assert order["subtotal_tax"] == "1.6000"
    assert order["shipping_cost_ex_tax"] == "11.0900"
    assert order["shipping_cost_inc_tax"] == "12.0000"
    assert order["shipping_cost_tax"] == "0.9100"
    assert order["total_ex_tax"] == "36.0900"
    assert order["total_inc_tax"] == "38.6000"
    assert order["total_tax"] == "2.5100"
    assert order["items_total"] == 3
    assert order["items_shipped"] == 0
    assert order["currency_exchange_rate"] == "1.0000000000"
    assert order["order_source"] == "external"
    assert order["is_deleted"] is False
    assert order["billing_address"]["email"] == "janedoe@example.com"
    assert order["products"] == {
        "url": "http://testserver/stores/abc123/v2/orders/100/products",
        "resource": "/orders/100/products",
    }


def test_create_order_discount_and_status(bc):
    order = create(bc, status_id=11, discount_amount="2.5", customer_id=7)
    assert (order["status_id"], order["status"]) == (11, "Awaiting Fulfillment")
    assert order["total_inc_tax"] == "7.5000"
    assert order["discount_amount"] == "2.5000"
    assert order["customer_id"] == 7


def test_create_order_explicit_totals_win(bc):
    order = create(bc, total_inc_tax="99.99", total_ex_tax=90)
    assert (order["total_inc_tax"], order["total_ex_tax"], order["total_tax"]) == ("99.9900", "90.0000", "9.9900")


def test_create_order_one_price_stands_for_both(bc):
    order = create(bc, products=[{"name": "X", "quantity": 2, "price_inc_tax": 3}])
    assert (order["subtotal_ex_tax"], order["subtotal_inc_tax"]) == ("6.0000", "6.0000")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"products": [custom()]}, "The required field 'billing_address' was not supplied."),
        ({"billing_address": BILLING}, "The required field 'products' was not supplied."),
        ({"billing_address": BILLING, "products": []}, "The field 'products' is invalid."),
        ({"billing_address": "x", "products": [custom()]}, "The field 'billing_address' is invalid."),
        ({"billing_address": BILLING, "products": [{"name": "X", "price_inc_tax": 1}]},
         "The required field 'quantity' was not supplied."),
        ({"billing_address": BILLING, "products": [{"quantity": 1, "price_inc_tax": 1}]},
         "The required field 'name' was not supplied."),
        ({"billing_address": BILLING, "products": [{"name": "X", "quantity": 1}]},
         "The required field 'price_inc_tax' was not supplied."),
        ({"billing_address": BILLING, "products": [custom(quantity=0)]}, "The field 'quantity' is invalid."),
        ({"billing_address": BILLING, "products": [custom(price="abc")]}, "The field 'price_inc_tax' is invalid."),
        ({"billing_address": BILLING, "products": [custom(price="-1")]}, "The field 'price_inc_tax' is invalid."),
        ({**order_body(), "status_id": 15}, "The field 'status_id' is invalid."),
        ({**order_body(), "status_id": "x"}, "The field 'status_id' is invalid."),
        ({**order_body(), "customer_id": -1}, "The field 'customer_id' is invalid."),
        ({**order_body(), "shipping_cost_inc_tax": "NaN"}, "The field 'shipping_cost_inc_tax' is invalid."),
        ({**order_body(), "date_created": "not a date"}, "The field 'date_created' is invalid."),
        ({**order_body(), "billing_address": {**BILLING, "zip": {}}}, "The field 'billing_address.zip' is invalid."),
        ({**order_body(), "billing_address": {"email": "a@b.co"}},
         "The required field 'billing_address.zip' was not supplied."),
        ({**order_body(), "billing_address": {"zip": "7"}}, "The field 'billing_address.zip' is invalid."),
        ({**order_body(), "item_total": 3},
         "The field 'item_total' cannot be written to. Please remove it from your request before trying again."),
        ([order_body()], "The field 'body' is invalid."),
    ],
)  # fmt: skip
def test_create_order_bad_bodies_are_v2_400s(bc, body, message):
    response = bc.post(ORDERS, json=body)
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": message}]
    assert bc.get(ORDERS).status_code == 204


def test_create_order_malformed_json_is_v2_400(bc):
    response = bc.post(ORDERS, content=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": "JSON data is missing or invalid"}]


def test_create_order_accepts_rfc2822_date_created(bc):
    order = create(bc, date_created="Tue, 20 Nov 2012 00:00:00 +0000")
    assert order["date_created"] == "Tue, 20 Nov 2012 00:00:00 +0000"


def test_get_order(bc):
    created = create(bc)
    response = bc.get(f"{ORDERS}/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize("order_id", ["999", "abc", "-1"])
def test_get_unknown_order_is_v2_404(bc, order_id):
    response = bc.get(f"{ORDERS}/{order_id}")
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_update_order_status_changes_name_and_date_modified(bc, fake, events):
    fake.clock.freeze(1_700_000_000)
    created = create(bc)
    fake.clock.advance(3600)
    events.clear()
    response = bc.put(f"{ORDERS}/{created['id']}", json={"status_id": 11})
    assert response.status_code == 200
    order = response.json()
    assert (order["status_id"], order["status"], order["custom_status"]) == (11, "Awaiting Fulfillment",
                                                                               "Awaiting Fulfillment")  # fmt: skip
    assert order["date_modified"] == "Tue, 14 Nov 2023 23:13:20 +0000"
    assert order["date_created"] == created["date_created"]
    assert events == [
        ("store/order/updated", {"type": "order", "id": 100}),
        ("store/order/statusUpdated",
         {"type": "order", "id": 100, "status": {"previous_status_id": 1, "new_status_id": 11}}),
    ]  # fmt: skip


def test_update_order_without_status_change_emits_only_updated(bc, events):
    created = create(bc)
    events.clear()
    response = bc.put(f"{ORDERS}/{created['id']}", json={"staff_notes": "call first", "billing_address": {"zip": "1"}})
    assert response.json()["staff_notes"] == "call first"
    assert response.json()["billing_address"]["zip"] == "1"
    assert response.json()["billing_address"]["city"] == "Austin"
    assert events == [("store/order/updated", {"type": "order", "id": 100})]


def test_update_order_costs_recomputes_totals(bc):
    created = create(bc)
    order = bc.put(f"{ORDERS}/{created['id']}", json={"shipping_cost_inc_tax": "4.5"}).json()
    assert order["total_inc_tax"] == "14.5000"


def test_update_order_errors(bc):
    created = create(bc)
    path = f"{ORDERS}/{created['id']}"
    assert bc.put(path, json={"status_id": 99}).json() == [
        {"status": 400, "message": "The field 'status_id' is invalid."}
    ]
    assert bc.put(path, json={"id": 5}).status_code == 400
    assert bc.put(f"{ORDERS}/999", json={"status_id": 2}).status_code == 404
    assert bc.put(path, json=[1]).status_code == 400


def test_archive_order_hides_it_from_the_list(bc, events):
    first, second = create(bc), create(bc)
    events.clear()
    response = bc.delete(f"{ORDERS}/{first['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert ids(bc.get(ORDERS)) == [second["id"]]
    assert bc.get(f"{ORDERS}/{first['id']}").json()["is_deleted"] is True
    assert ids(bc.get(ORDERS, params={"is_deleted": "true"})) == [first["id"]]
    assert events == [("store/order/archived", {"type": "order", "id": first["id"]})]


def test_archive_unknown_order_is_404(bc):
    assert bc.delete(f"{ORDERS}/999").status_code == 404


def test_archive_all_orders(bc):
    create(bc)
    create(bc)
    assert bc.delete(ORDERS).status_code == 204
    assert bc.get(ORDERS).status_code == 204
    assert bc.get(f"{ORDERS}/count").json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"min_id": "101"}, [101, 102]),
        ({"max_id": "101"}, [100, 101]),
        ({"min_id": "101", "max_id": "101"}, [101]),
        ({"customer_id": "7"}, [101]),
        ({"email": "OTHER@example.com"}, [102]),
        ({"status_id": "11"}, [101, 102]),
        ({"min_total": "20"}, [101, 102]),
        ({"max_total": "20"}, [100, 101]),
        ({"min_total": "15", "max_total": "25"}, [101]),
        ({"payment_method": "Cash"}, [102]),
        ({"sort": "id:desc"}, [102, 101, 100]),
        ({"sort": "total_inc_tax:desc"}, [102, 101, 100]),
        ({"sort": "date_created:asc", "limit": "2"}, [100, 101]),
        ({"limit": "1", "page": "2"}, [101]),
        ({"status_id": "11", "customer_id": "7"}, [101]),
    ],
)
def test_list_orders_filters_sort_and_paging(bc, params, expected):
    create(bc)
    create(bc, status_id=11, customer_id=7, products=[custom(price="20")])
    create(bc, status_id=11, payment_method="Cash", products=[custom(price="30")],
           billing_address={**BILLING, "email": "other@example.com"})  # fmt: skip
    assert ids(bc.get(ORDERS, params=params)) == expected


def test_list_orders_date_filters_take_rfc2822_and_iso(bc, fake):
    fake.clock.freeze(1_700_000_000)
    create(bc)
    fake.clock.advance(86400)
    create(bc)
    assert ids(bc.get(ORDERS, params={"min_date_created": "Wed, 15 Nov 2023 00:00:00 +0000"})) == [101]
    assert ids(bc.get(ORDERS, params={"max_date_created": "2023-11-15T00:00:00"})) == [100]
    assert ids(bc.get(ORDERS, params={"min_date_modified": "2023-11-15"})) == [101]


def test_list_orders_past_the_last_page_is_204(bc):
    create(bc)
    response = bc.get(ORDERS, params={"page": "2"})
    assert response.status_code == 204
    assert response.content == b""


def test_list_orders_no_match_is_204(bc):
    create(bc)
    assert bc.get(ORDERS, params={"status_id": "5"}).status_code == 204


def test_list_orders_limit_above_250_is_413_with_max_limit(bc):
    response = bc.get(ORDERS, params={"limit": "251"})
    assert response.status_code == 413
    assert response.json() == [
        {"status": 413, "message": "The specified limit exceeds the maximum allowed.", "details": {"max_limit": 250}}
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_id": "x"}, "min_id"),
        ({"status_id": "-1"}, "status_id"),
        ({"min_total": "lots"}, "min_total"),
        ({"min_date_created": "yesterday"}, "min_date_created"),
        ({"min_date_created": "\u0663"}, "min_date_created"),  # an Arabic-Indic three: float() reads it as 3
        ({"is_deleted": "maybe"}, "is_deleted"),
        ({"sort": "colour:asc"}, "sort"),
        ({"sort": "id:sideways"}, "sort"),
        ({"page": "x"}, "page"),
        ({"page": "\u00b9"}, "page"),
        ({"min_id": "\u00b23"}, "min_id"),
        ({"limit": "x"}, "limit"),
    ],
)
def test_list_orders_bad_query_is_v2_400(bc, params, field):
    response = bc.get(ORDERS, params=params)
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": f"The field '{field}' is invalid."}]


def test_orders_count_by_status(bc):
    create(bc)
    create(bc, status_id=11)
    create(bc, status_id=11)
    body = bc.get(f"{ORDERS}/count").json()
    assert body["count"] == 3
    assert len(body["statuses"]) == 15
    by_id = {s["id"]: s for s in body["statuses"]}
    assert by_id[11] == {
        "id": 11,
        "name": "Awaiting Fulfillment",
        "system_label": "Awaiting Fulfillment",
        "custom_label": "Awaiting Fulfillment",
        "system_description": "Customer has completed the checkout process and payment has been confirmed.",
        "count": 2,
        "sort_order": 3,
    }
    assert by_id[1]["count"] == 1
    assert by_id[0]["count"] == 0


def test_order_products(bc):
    order = create(bc, products=[custom("A", 2, "1.5", sku="A-1"), custom("B", 1, "3")])
    response = bc.get(f"{ORDERS}/{order['id']}/products")
    assert response.status_code == 200
    products = response.json()
    assert [(p["name"], p["sku"], p["quantity"], p["total_inc_tax"]) for p in products] == [
        ("A", "A-1", 2, "3.0000"),
        ("B", "", 1, "3.0000"),
    ]
    first = products[0]
    assert (first["order_id"], first["product_id"], first["quantity_shipped"]) == (order["id"], 0, 0)
    assert bc.get(f"{ORDERS}/{order['id']}/products/{first['id']}").json() == first
    assert bc.get(f"{ORDERS}/{order['id']}/products", params={"limit": 1, "page": 2}).json()[0]["name"] == "B"
    assert bc.get(f"{ORDERS}/{order['id']}/products", params={"page": 3}).status_code == 204


def test_order_products_of_unknown_order_is_404(bc):
    assert bc.get(f"{ORDERS}/999/products").status_code == 404
    order = create(bc)
    assert bc.get(f"{ORDERS}/{order['id']}/products/999").status_code == 404


def test_order_shipping_addresses_default_to_the_billing_address(bc):
    order = create(bc)
    addresses = bc.get(f"{ORDERS}/{order['id']}/shipping_addresses").json()
    assert len(addresses) == 1
    assert addresses[0]["street_1"] == "123 Main Street"
    assert addresses[0]["order_id"] == order["id"]


def test_order_shipping_addresses_given(bc):
    shipping = [{**BILLING, "city": "Dallas", "shipping_method": "Flat Rate"}]
    order = create(bc, shipping_addresses=shipping)
    addresses = bc.get(f"{ORDERS}/{order['id']}/shippingaddresses").json()
    assert [(a["city"], a["shipping_method"]) for a in addresses] == [("Dallas", "Flat Rate")]


def test_order_created_event(bc, events):
    order = create(bc)
    assert events == [("store/order/created", {"type": "order", "id": order["id"]})]


def test_read_only_token_reads_orders_but_cannot_create(bc):
    headers = {"X-Auth-Token": "storefake-bc-readonly-token"}
    assert bc.get(ORDERS, headers=headers).status_code == 204
    response = bc.post(ORDERS, json=order_body(), headers=headers)
    assert response.status_code == 403


def test_create_order_product_options_must_be_an_array(bc):
    response = bc.post(ORDERS, json=order_body(products=[custom(product_options=True)]))
    assert response.json() == [{"status": 400, "message": "The field 'product_options' is invalid."}]


@pytest.mark.parametrize("resource", ["coupons", "taxes", "messages", "fees"])
def test_unmodelled_order_sub_resources_are_empty(bc, resource):
    order = create(bc)
    response = bc.get(f"{ORDERS}/{order['id']}/{resource}")
    assert response.status_code == 204
    assert bc.get(f"{ORDERS}/999/{resource}").status_code == 404


def test_list_archived_orders_with_filters(bc):
    first, second = create(bc, status_id=11), create(bc, status_id=11)
    create(bc, status_id=11)
    bc.delete(f"{ORDERS}/{first['id']}")
    bc.delete(f"{ORDERS}/{second['id']}")
    assert ids(bc.get(ORDERS, params={"status_id": "11", "is_deleted": "true"})) == [first["id"], second["id"]]
    assert ids(bc.get(ORDERS, params={"status_id": "11", "is_deleted": "false"})) == [102]
    assert bc.get(ORDERS, params={"customer_id": "0", "is_deleted": "true", "min_id": "101"}).json()[0]["id"] == 101


def test_shipping_addresses_page_like_every_v2_list(client):
    headers = {"X-Auth-Token": "storefake-bc-token"}
    body = {"billing_address": {"zip": "78701"}, "products": [{"name": "x", "quantity": 1, "price_inc_tax": 1}]}
    order_id = client.post("/stores/abc123/v2/orders", headers=headers, json=body).json()["id"]
    path = f"/stores/abc123/v2/orders/{order_id}/shippingaddresses"
    assert len(client.get(path, headers=headers).json()) == 1
    assert client.get(path, headers=headers, params={"page": 2}).status_code == 204
    refused = client.get(path, headers=headers, params={"page": -3})
    assert (refused.status_code, refused.json()) == (400, [{"status": 400, "message": "The field 'page' is invalid."}])
    assert client.get(path, headers=headers, params={"limit": 300}).status_code == 413
