"""Browsing stored records through the control API: stores and tenants, their collections, a page at a time."""

from __future__ import annotations

import pytest

BC = "/stores/abc123"
BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}
TENANT = "AbCYab34cdEfGHiJ27123"
BILLING = {
    "first_name": "Jane",
    "last_name": "Doe",
    "street_1": "1 Main Street",
    "city": "Austin",
    "state": "Texas",
    "zip": "78751",
    "country": "United States",
    "country_iso2": "US",
    "email": "jane@example.com",
}


@pytest.fixture
def bc(client):
    client.headers.update(BC_TOKEN)
    return client


def make_products(bc, count):
    for index in range(count):
        response = bc.post(
            f"{BC}/v3/catalog/products", json={"name": f"P{index}", "type": "physical", "weight": 1, "price": 5}
        )
        assert response.status_code == 200, response.text


def test_list_stores_counts_each_collection(bc):
    make_products(bc, 2)
    bc.post(f"{BC}/v3/hooks", json={"scope": "store/order/created", "destination": "https://example.com/h"})
    stores = {s["store_hash"]: s for s in bc.get("/__storefake/bigcommerce/stores").json()["stores"]}
    assert stores["abc123"]["name"] == "storefake demo store"
    assert stores["abc123"]["counts"]["products"] == 2
    assert stores["abc123"]["counts"]["hooks"] == 1
    assert stores["def456"]["counts"]["products"] == 0


def test_list_records_renders_products_as_the_api_does(bc):
    make_products(bc, 1)
    api = bc.get(f"{BC}/v3/catalog/products/1").json()["data"]
    body = bc.get("/__storefake/bigcommerce/stores/abc123/records/products").json()
    assert body == {
        "store_hash": "abc123",
        "collection": "products",
        "records": [api],
        "total": 1,
        "page": 1,
        "limit": 50,
    }


def test_list_records_pages_newest_first(bc):
    make_products(bc, 5)
    body = bc.get(
        "/__storefake/bigcommerce/stores/abc123/records/products", params={"limit": 2, "page": 2, "order": "desc"}
    ).json()
    assert [p["name"] for p in body["records"]] == ["P2", "P1"]
    assert (body["total"], body["page"], body["limit"]) == (5, 2, 2)


def test_list_records_orders_and_customers(bc):
    assert bc.post(f"{BC}/v2/orders", json={"billing_address": BILLING, "products": [
        {"name": "Thing", "quantity": 1, "price_inc_tax": "5.00", "price_ex_tax": "5.00"}
    ]}).status_code == 200  # fmt: skip
    bc.post(f"{BC}/v3/customers", json=[{"email": "c@example.com", "first_name": "C", "last_name": "D"}])
    orders = bc.get("/__storefake/bigcommerce/stores/abc123/records/orders").json()["records"]
    assert orders[0]["billing_address"]["email"] == "jane@example.com"
    assert orders[0]["products"]["url"].startswith("http://testserver/stores/abc123/v2/orders/")
    customers = bc.get("/__storefake/bigcommerce/stores/abc123/records/customers").json()["records"]
    assert [c["email"] for c in customers] == ["c@example.com"]


def test_list_records_shows_every_clients_hooks(bc):
    bc.post(f"{BC}/v3/hooks", json={"scope": "store/order/created", "destination": "https://example.com/h"})
    hooks = bc.get("/__storefake/bigcommerce/stores/abc123/records/hooks").json()["records"]
    assert [(h["scope"], h["destination"]) for h in hooks] == [("store/order/created", "https://example.com/h")]


def test_list_records_of_an_adobe_tenant(client, fake):
    fake.seed(
        {"adobe": {"tenants": {TENANT: {"customers": [{"email": "a@example.com", "firstname": "A", "lastname": "B"}]}}}}
    )
    tenants = client.get("/__storefake/adobe/tenants").json()["tenants"]
    assert tenants == [{"tenant_id": TENANT, "counts": {"customers": 1}}]
    body = client.get(f"/__storefake/adobe/tenants/{TENANT}/records/customers").json()
    assert [(c["email"], c["firstname"]) for c in body["records"]] == [("a@example.com", "A")]
    assert body["total"] == 1


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        ("/bigcommerce/stores/nope/records/products", 404, "unknown store"),
        (
            "/bigcommerce/stores/abc123/records/widgets",
            404,
            "no collection 'widgets'; one of: products, variants, images, categories, brands, customers, "
            "customer_addresses, orders, shipments, hooks",
        ),
        ("/bigcommerce/stores/abc123/records/products?limit=251", 400, "limit must be an integer from 1 to 250"),
        ("/bigcommerce/stores/abc123/records/products?page=0", 400, "page must be an integer from 1 to 1000000000"),
        ("/bigcommerce/stores/abc123/records/products?order=up", 400, 'order must be "asc" or "desc"'),
        ("/adobe/tenants/nope/records/customers", 404, "unknown tenant"),
        (f"/adobe/tenants/{TENANT}/records/orders", 404, "no collection 'orders'; one of: customers"),
    ],
)
def test_list_records_refuses(client, path, status, error):
    response = client.get(f"/__storefake{path}")
    assert (response.status_code, response.json()) == (status, {"error": error})
