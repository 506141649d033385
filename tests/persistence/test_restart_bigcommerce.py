"""BigCommerce writes survive a restart of a persisted fake: catalog, customers, orders, hooks, OAuth installs."""

from __future__ import annotations

import pytest

from .support import BC, STORE

V3 = f"/stores/{STORE}/v3"
V2 = f"/stores/{STORE}/v2"
APP = {"client_id": "storefake-app-client", "client_secret": "storefake-app-secret"}
ADDRESS = {
    "first_name": "Per",
    "last_name": "Sist",
    "street_1": "1 Main St",
    "city": "Austin",
    "state": "Texas",
    "zip": "78701",
    "country": "United States",
    "country_iso2": "US",
    "email": "per@example.com",
}


def test_restart_keeps_products_variants_categories_and_brands(persisted):
    client = persisted.open()
    category = client.post(f"{V3}/catalog/categories", json={"parent_id": 0, "name": "Hoodies"}, headers=BC)
    brand = client.post(f"{V3}/catalog/brands", json={"name": "Acme"}, headers=BC)
    product = client.post(
        f"{V3}/catalog/products",
        json={
            "name": "Hoodie",
            "type": "physical",
            "weight": 1,
            "price": 30,
            "sku": "HOOD",
            "categories": [category.json()["data"]["id"]],
            "brand_id": brand.json()["data"]["id"],
            "inventory_level": 10,
            "inventory_tracking": "product",
        },
        headers=BC,
    ).json()["data"]
    client.put(f"{V3}/catalog/products/{product['id']}", json={"inventory_level": 7}, headers=BC)
    before = {
        path: client.get(path, headers=BC).json()
        for path in (
            f"{V3}/catalog/products/{product['id']}",
            f"{V3}/catalog/products/{product['id']}/variants",
            f"{V3}/catalog/categories",
            f"{V3}/catalog/brands",
            f"{V3}/catalog/products?sku=HOOD",
        )
    }

    client = persisted.open()
    assert {path: client.get(path, headers=BC).json() for path in before} == before
    duplicate = client.post(
        f"{V3}/catalog/products", json={"name": "Hoodie", "type": "physical", "weight": 1, "price": 1}, headers=BC
    )
    assert duplicate.status_code == 409  # the unique name index came back too


def test_restart_keeps_customers_with_addresses(persisted):
    client = persisted.open()
    [customer] = client.post(
        f"{V3}/customers", json=[{"email": "per@example.com", "first_name": "Per", "last_name": "Sist"}], headers=BC
    ).json()["data"]
    address = client.post(
        f"{V3}/customers/addresses",
        json=[
            {
                "customer_id": customer["id"],
                "first_name": "Per",
                "last_name": "Sist",
                "address1": "1 Main St",
                "city": "Austin",
                "state_or_province": "Texas",
                "postal_code": "78701",
                "country_code": "US",
            }
        ],
        headers=BC,
    )
    assert address.status_code == 200, address.text
    before = client.get(f"{V3}/customers", params={"include": "addresses"}, headers=BC).json()

    client = persisted.open()
    assert client.get(f"{V3}/customers", params={"include": "addresses"}, headers=BC).json() == before
    assert before["data"][0]["addresses"][0]["city"] == "Austin"


def test_restart_keeps_orders_with_shipments(persisted):
    client = persisted.open()
    order = client.post(
        f"{V2}/orders",
        json={
            "billing_address": ADDRESS,
            "shipping_addresses": [ADDRESS],
            "products": [{"name": "Custom", "quantity": 2, "price_inc_tax": 10, "price_ex_tax": 10}],
        },
        headers=BC,
    ).json()
    line = client.get(f"{V2}/orders/{order['id']}/products", headers=BC).json()[0]
    address = client.get(f"{V2}/orders/{order['id']}/shipping_addresses", headers=BC).json()[0]
    shipment = client.post(
        f"{V2}/orders/{order['id']}/shipments",
        json={"order_address_id": address["id"], "items": [{"order_product_id": line["id"], "quantity": 1}]},
        headers=BC,
    )
    assert shipment.status_code == 201, shipment.text
    paths = [f"{V2}/orders/{order['id']}{tail}" for tail in ("", "/shipments", "/products")]
    before = {path: client.get(path, headers=BC).json() for path in paths}

    client = persisted.open()
    assert {path: client.get(path, headers=BC).json() for path in paths} == before


def test_restart_keeps_hooks(persisted):
    client = persisted.open()
    hook = client.post(
        f"{V3}/hooks", json={"scope": "store/order/*", "destination": "https://example.com/hook"}, headers=BC
    ).json()["data"]
    client.put(f"{V3}/hooks/{hook['id']}", json={"is_active": False}, headers=BC)
    before = client.get(f"{V3}/hooks", headers=BC).json()

    client = persisted.open()
    assert client.get(f"{V3}/hooks", headers=BC).json() == before
    assert before["data"][0]["is_active"] is False


def test_restart_keeps_a_hook_deactivated_after_its_last_failed_delivery(persisted):
    client = persisted.open(deliver_webhooks=False)  # attempts only on flush, each at once
    hook = client.post(
        f"{V3}/hooks", json={"scope": "store/product/*", "destination": "http://127.0.0.1:9/closed"}, headers=BC
    ).json()["data"]
    client.post(
        f"{V3}/catalog/products", json={"name": "Ping", "type": "physical", "weight": 1, "price": 1}, headers=BC
    )
    for _ in range(12):  # the first attempt and its 11 retries, all refused
        client.post("/__storefake/bigcommerce/webhooks/flush")
    assert client.get(f"{V3}/hooks/{hook['id']}", headers=BC).json()["data"]["is_active"] is False

    client = persisted.open(deliver_webhooks=False)
    assert client.get(f"{V3}/hooks/{hook['id']}", headers=BC).json()["data"]["is_active"] is False
    assert persisted.fake.persistence.status()["divergence_count"] == 0


def test_restart_does_not_send_webhooks_again(persisted):
    client = persisted.open(deliver_webhooks=False)
    client.post(f"{V3}/hooks", json={"scope": "store/product/*", "destination": "http://127.0.0.1:9/x"}, headers=BC)
    client.post(
        f"{V3}/catalog/products", json={"name": "Once", "type": "physical", "weight": 1, "price": 1}, headers=BC
    )
    assert client.get("/__storefake/bigcommerce/webhooks/deliveries").json()["count"] == 1

    client = persisted.open(deliver_webhooks=False)
    assert client.get("/__storefake/bigcommerce/webhooks/deliveries").json()["count"] == 0


def test_restart_keeps_an_oauth_install(persisted):
    client = persisted.open()
    code = client.post(
        "/__storefake/bigcommerce/oauth/codes", json={"client_id": APP["client_id"], "store_hash": STORE}
    ).json()
    granted = client.post(
        "/oauth2/token",
        data={
            **APP,
            "code": code["code"],
            "scope": code["scope"],
            "grant_type": "authorization_code",
            "redirect_uri": code["redirect_uri"],
            "context": code["context"],
        },
    )
    assert granted.status_code == 200, granted.text
    token = {"X-Auth-Token": granted.json()["access_token"]}

    client = persisted.open()
    assert client.get(f"{V3}/catalog/products", headers=token).status_code == 200
    reused = client.post(
        "/oauth2/token",
        data={
            **APP,
            "code": code["code"],
            "scope": code["scope"],
            "grant_type": "authorization_code",
            "redirect_uri": code["redirect_uri"],
            "context": code["context"],
        },
    )
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"


def test_restart_keeps_a_rate_limit_setting_and_replays_no_refused_write(persisted):
    client = persisted.open()
    client.put(f"/__storefake/bigcommerce/stores/{STORE}/rate_limit", json={"quota": 1, "window_ms": 30000})
    made = client.post(
        f"{V3}/catalog/products", json={"name": "One", "type": "physical", "weight": 1, "price": 1}, headers=BC
    )
    refused = client.post(
        f"{V3}/catalog/products", json={"name": "Two", "type": "physical", "weight": 1, "price": 1}, headers=BC
    )
    assert (made.status_code, refused.status_code) == (200, 429)

    client = persisted.open()
    assert client.get(f"/__storefake/bigcommerce/stores/{STORE}/rate_limit").json()["quota"] == 1
    listed = client.get(f"{V3}/catalog/products", headers=BC).json()["data"]
    assert [product["name"] for product in listed] == ["One"]


@pytest.mark.parametrize("snapshot", [False, True])
def test_restart_keeps_an_uploaded_product_image(persisted, snapshot):
    client = persisted.open()
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    product = client.post(
        f"{V3}/catalog/products", json={"name": "Lamp", "type": "physical", "weight": 1, "price": 5}, headers=BC
    ).json()["data"]
    image = client.post(
        f"{V3}/catalog/products/{product['id']}/images",
        files={"image_file": ("lamp.png", png, "image/png")},
        headers=BC,
    ).json()["data"]
    if snapshot:
        assert client.post("/__storefake/persistence/snapshot").status_code == 201

    client = persisted.open()
    assert client.get(f"{V3}/catalog/products/{product['id']}/images/{image['id']}", headers=BC).json()["data"] == image
    assert client.get(image["url_zoom"]).content == png
