"""BigCommerce's official Python client (PyPI `bigcommerce`, bigcommerce-api-python) against `storefake serve`.

The client builds `https://api.bigcommerce.com/stores/<hash>/v2/...` (and `login.bigcommerce.com` for OAuth) itself;
its requests session is routed to the server (conftest.ToServer), nothing else about it changes. Its V3 access is
the one its README shows: an `OAuthConnection` with `api_path='/stores/{}/v3/{}'`.
"""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

bigcommerce = pytest.importorskip("bigcommerce")
from bigcommerce.exception import ClientRequestException  # noqa: E402

STORE = "abc123"
CLIENT_ID = "storefake-bc-client"
TOKEN = "storefake-bc-token"
HOSTS = ("api.bigcommerce.com", "login.bigcommerce.com")
REDIRECT = "https://app.example.com/auth/callback"  # the fixture app's redirect_uri


@pytest.fixture(scope="module")
def api(route_to_server):
    """`bigcommerce.api.BigcommerceApi` with the fixture store's full-access token."""
    client = bigcommerce.api.BigcommerceApi(client_id=CLIENT_ID, store_hash=STORE, access_token=TOKEN)
    route_to_server(client.connection._session, *HOSTS)
    return client


@pytest.fixture(scope="module")
def v3(route_to_server):
    """The client's V3 connection, as its README builds it."""
    connection = bigcommerce.connection.OAuthConnection(
        client_id=CLIENT_ID, store_hash=STORE, access_token=TOKEN, api_path="/stores/{}/v3/{}"
    )
    route_to_server(connection._session, *HOSTS)
    return connection


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def failure(raised: pytest.ExceptionInfo) -> tuple[int, object]:
    """Status and JSON body of the response a client exception carries."""
    response = raised.value.response
    return response.status_code, response.json()


@pytest.fixture
def product(v3):
    """A physical product created through the V3 connection (orders need something to sell)."""
    body = {"name": unique("Client Hoodie"), "type": "physical", "sku": unique("CH"), "price": 25, "weight": 1}
    body["inventory_level"], body["inventory_tracking"] = 100, "product"
    return v3.create("catalog/products", body)["data"]


@pytest.fixture
def order(api, product):
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
    return api.Orders.create(billing_address=billing, products=[{"product_id": product["id"], "quantity": 2}])


# OAuth app install: the client's oauth_fetch_token posts a form to login.bigcommerce.com/oauth2/token.
def test_oauth_fetch_token_exchanges_an_install_code(server_url, route_to_server):
    minted = httpx.post(
        f"{server_url}/__storefake/bigcommerce/oauth/codes",
        json={"client_id": "storefake-app-client", "store_hash": STORE, "scope": "store_v2_orders"},
    ).json()
    app = bigcommerce.api.BigcommerceApi(client_id="storefake-app-client", store_hash=STORE)
    route_to_server(app.connection._session, *HOSTS)
    token = app.oauth_fetch_token("storefake-app-secret", minted["code"], minted["context"], minted["scope"], REDIRECT)
    assert (token["context"], token["scope"]) == (f"stores/{STORE}", "store_v2_orders")
    assert app.connection._session.headers["X-Auth-Token"] == token["access_token"]
    assert isinstance(app.Orders.count(), int)


def test_oauth_fetch_token_grants_only_the_installed_scopes(server_url, route_to_server):
    minted = httpx.post(
        f"{server_url}/__storefake/bigcommerce/oauth/codes",
        json={"client_id": "storefake-app-client", "store_hash": STORE, "scope": "store_v2_orders"},
    ).json()
    app = bigcommerce.api.BigcommerceApi(client_id="storefake-app-client", store_hash=STORE)
    route_to_server(app.connection._session, *HOSTS)
    token = app.oauth_fetch_token("storefake-app-secret", minted["code"], minted["context"], minted["scope"], REDIRECT)
    assert app.OrderStatuses.all()  # store_v2_orders was granted
    catalog = bigcommerce.connection.OAuthConnection(
        "storefake-app-client", STORE, token["access_token"], api_path="/stores/{}/v3/{}"
    )
    route_to_server(catalog._session, *HOSTS)
    with pytest.raises(ClientRequestException) as raised:
        catalog.get("catalog/products")  # store_v2_products was not
    assert raised.value.response.status_code == 403


# Store information and time: what most apps call first.
def test_store_all_reads_the_store_information(api):
    store = api.Store.all()
    assert (store.id, store.store_id, store.default_channel_id) == (STORE, 1025646, 1)
    assert {"domain", "name", "currency", "timezone", "plan_name", "features"} <= set(store)


def test_time_all_reads_the_clock(api):
    assert abs(api.Time.all()["time"] - time.time()) < 60


# V2 orders and their sub-resources.
def test_orders_create_and_get(api, order):
    got = api.Orders.get(order.id)
    assert (got.id, got.status_id, got.status, got.items_total) == (order.id, 1, "Pending", 2)


def test_orders_update_moves_the_status(api, order):
    updated = api.Orders.get(order.id).update(status_id=11)
    assert (updated.status_id, updated.status) == (11, "Awaiting Fulfillment")


def test_orders_all_and_count_see_a_new_order(api, order):
    assert order.id in [listed.id for listed in api.Orders.all(limit=250, sort="id:desc")]
    assert api.Orders.count() >= 1


def test_orders_all_filters_by_customer(api, v3, product):
    # The client README's filter example: a customer's orders.
    email = f"{unique('buyer')}@example.com"
    customer = v3.create("customers", [{"email": email, "first_name": "Jane", "last_name": "Smith"}])["data"][0]
    billing = {"first_name": "Jane", "last_name": "Smith", "street_1": "1 Main St", "city": "Austin", "zip": "78701"}
    billing |= {"country": "United States", "country_iso2": "US", "email": email, "state": "Texas"}
    line = {"product_id": product["id"], "quantity": 1}
    order = api.Orders.create(customer_id=customer["id"], billing_address=billing, products=[line])
    assert [found.id for found in api.Orders.all(customer_id=customer["id"])] == [order.id]


def test_orders_iterall_stops_on_the_empty_page(api, order):
    # iterall asks page after page until the V2 204 (an empty body the client reads as "no more").
    assert order.id in [listed.id for listed in api.Orders.iterall()]


def test_orders_products_lists_the_lines(order, product):
    lines = order.products()
    assert [(line.product_id, line.quantity) for line in lines] == [(product["id"], 2)]
    assert order.products(lines[0].id).id == lines[0].id


def test_orders_shipping_addresses_lists_the_destination(order):
    addresses = order.shipping_addresses()
    assert [address.city for address in addresses] == ["Austin"]


def test_order_shipments_create_update_and_delete(api, order):
    line = order.products()[0]
    address = order.shipping_addresses()[0]
    shipment = api.OrderShipments.create(
        order.id,
        order_address_id=address.id,
        tracking_number="1Z999AA10123456784",
        shipping_provider="ups",
        items=[{"order_product_id": line.id, "quantity": 2}],
    )
    assert order.shipments()[0].id == shipment.id
    assert api.OrderShipments.count(order.id) == 1
    assert shipment.update(tracking_number="1Z999AA10123456785").tracking_number == "1Z999AA10123456785"
    shipment.delete()
    api.OrderShipments.all(order.id)
    assert api.connection._last_response.status_code == 204  # V2's empty list


def test_orders_shipping_an_order_in_full_marks_it_shipped(api, order):
    line = order.products()[0]
    address = order.shipping_addresses()[0]
    items = [{"order_product_id": line.id, "quantity": 2}]
    api.OrderShipments.create(order.id, order_address_id=address.id, shipping_provider="ups", items=items)
    shipped = api.Orders.get(order.id)
    assert (shipped.status_id, shipped.items_shipped) == (2, 2)


def test_orders_coupons_taxes_and_messages_answer_the_v2_204(api, order):
    statuses = []
    for listing in (order.coupons, order.taxes, order.messages):
        listing()
        statuses.append(api.connection._last_response.status_code)
    assert statuses == [204, 204, 204]


def test_orders_delete_archives_the_order(api, order):
    api.Orders.get(order.id).delete()
    assert api.Orders.get(order.id).is_deleted is True


def test_order_statuses_all_lists_the_vendor_statuses(api):
    statuses = {status.id: status.name for status in api.OrderStatuses.all()}
    assert (statuses[1], statuses[2], statuses[11]) == ("Pending", "Shipped", "Awaiting Fulfillment")


def test_orders_get_unknown_raises_with_the_v2_error(api):
    with pytest.raises(ClientRequestException) as raised:
        api.Orders.get(987654321)
    assert failure(raised) == (404, [{"status": 404, "message": "The requested resource was not found."}])


# V2 customer groups.
def test_customer_groups_create_update_count_and_delete(api):
    group = api.CustomerGroups.create(name=unique("Wholesale"), category_access={"type": "all"})
    assert api.CustomerGroups.get(group.id).name == group.name
    assert api.CustomerGroups.get(group.id).update(name=group.name + " B").name == group.name + " B"
    assert api.CustomerGroups.count() >= 1
    api.CustomerGroups.get(group.id).delete()
    with pytest.raises(ClientRequestException) as raised:
        api.CustomerGroups.get(group.id)
    assert raised.value.response.status_code == 404


# Rate limits: the client reads the X-Rate-Limit-* headers of every answer.
def test_connection_reads_the_rate_limit_headers(api):
    api.OrderStatuses.all()
    limits = api.connection.rate_limit
    assert limits["requests_quota"] == 100000
    assert 0 <= limits["requests_remaining"] < limits["requests_quota"]
    assert limits["window_size_ms"] == 30000


# V3 through the client's OAuthConnection.
def test_v3_catalog_products_create_get_update_delete(v3):
    created = v3.create("catalog/products", {"name": unique("V3 Tee"), "type": "physical", "price": 12, "weight": 1})
    product_id = created["data"]["id"]
    listed = v3.get("/catalog/products", include_fields="name,sku", limit=5, page=1, **{"id:in": product_id})
    assert [p["id"] for p in listed["data"]] == [product_id]
    assert v3.update("catalog/products", product_id, {"price": 13})["data"]["price"] == 13
    v3.delete("catalog/products", product_id)
    with pytest.raises(ClientRequestException) as raised:
        v3.get("catalog/products", product_id)
    assert raised.value.response.status_code == 404


def test_v3_customers_create_and_search(v3):
    email = f"{unique('client')}@example.com"
    created = v3.create("customers", [{"email": email, "first_name": "Ada", "last_name": "Lovelace"}])
    found = v3.get("customers", **{"email:in": email})
    assert [c["id"] for c in found["data"]] == [created["data"][0]["id"]]


def test_v3_hooks_create_and_list(v3):
    hook = v3.create("hooks", {"scope": "store/order/created", "destination": "https://app.example.com/hooks"})
    assert hook["data"]["id"] in [listed["id"] for listed in v3.get("hooks")["data"]]
    v3.delete("hooks", hook["data"]["id"])


def test_v3_errors_keep_the_v3_envelope(v3):
    with pytest.raises(ClientRequestException) as raised:
        v3.get("catalog/products", 987654321)
    status, body = failure(raised)
    assert (status, body["status"], body["title"]) == (404, 404, "The requested resource was not found.")
    assert body["type"] == "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
