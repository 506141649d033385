"""BigCommerce products and customers per store as a hypothesis state machine, through the real app.

Random create/update/delete/list/search sequences over two stores, compared with a tiny model.
Invariants: ids unique per store, product names and SKUs unique (409 otherwise), customer emails unique
(422 otherwise), list totals equal the model, paging walks every record exactly once, and one store's
records never show up in the other.
"""

from __future__ import annotations

import math

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import storefake
from storefake.transport import SyncASGITransport

STORES = {"abc123": "storefake-bc-token", "def456": "storefake-bc2-token"}
NAMES = tuple(f"Product {c}" for c in "ABCDE")
SKUS = tuple(f"SKU-{i}" for i in range(5))
EMAILS = tuple(f"shopper{i}@example.com" for i in range(5))


class BigCommerceStores(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.client = httpx.Client(transport=SyncASGITransport(storefake.create_app()), base_url="http://testserver")
        self.products: dict[str, dict[int, tuple[str, str]]] = {s: {} for s in STORES}  # id -> (name, sku)
        self.customers: dict[str, dict[int, str]] = {s: {} for s in STORES}  # id -> email
        self.product_ids: dict[str, set[int]] = {s: set() for s in STORES}
        self.customer_ids: dict[str, set[int]] = {s: set() for s in STORES}

    def teardown(self) -> None:
        self.client.close()

    def call(self, store: str, method: str, path: str, **kwargs: object) -> httpx.Response:
        headers = {"X-Auth-Token": STORES[store], "Accept": "application/json"}
        return self.client.request(method, f"/stores/{store}{path}", headers=headers, **kwargs)  # type: ignore[arg-type]

    def product_taken(self, store: str, name: str, sku: str, except_id: int | None = None) -> bool:
        return any((n == name or s == sku) for i, (n, s) in self.products[store].items() if i != except_id)

    def some_product(self) -> st.SearchStrategy[tuple[str, int]]:
        return st.sampled_from([(s, i) for s in STORES for i in self.products[s]])

    def some_customer(self) -> st.SearchStrategy[tuple[str, int]]:
        return st.sampled_from([(s, i) for s in STORES for i in self.customers[s]])

    # --- products ------------------------------------------------------------------------------------
    @rule(store=st.sampled_from(list(STORES)), name=st.sampled_from(NAMES), sku=st.sampled_from(SKUS))
    def create_product(self, store: str, name: str, sku: str) -> None:
        body = {"name": name, "sku": sku, "type": "physical", "weight": 1, "price": 9.5}
        response = self.call(store, "POST", "/v3/catalog/products", json=body)
        if self.product_taken(store, name, sku):
            assert response.status_code == 409, response.text
            return
        assert response.status_code == 200, response.text
        product = response.json()["data"]
        assert product["id"] not in self.product_ids[store], "a product id was handed out twice"
        self.product_ids[store].add(product["id"])
        self.products[store][product["id"]] = (name, sku)

    @precondition(lambda self: any(self.products.values()))
    @rule(data=st.data(), name=st.sampled_from(NAMES), sku=st.sampled_from(SKUS))
    def update_product(self, data: st.DataObject, name: str, sku: str) -> None:
        store, product_id = data.draw(self.some_product())
        response = self.call(store, "PUT", f"/v3/catalog/products/{product_id}", json={"name": name, "sku": sku})
        if self.product_taken(store, name, sku, except_id=product_id):
            assert response.status_code == 409, response.text
            return
        assert response.status_code == 200, response.text
        assert (response.json()["data"]["name"], response.json()["data"]["sku"]) == (name, sku)
        self.products[store][product_id] = (name, sku)

    @precondition(lambda self: any(self.products.values()))
    @rule(data=st.data())
    def delete_product(self, data: st.DataObject) -> None:
        store, product_id = data.draw(self.some_product())
        assert self.call(store, "DELETE", f"/v3/catalog/products/{product_id}").status_code == 204
        del self.products[store][product_id]
        assert self.call(store, "GET", f"/v3/catalog/products/{product_id}").status_code == 404

    @precondition(lambda self: any(self.products.values()))
    @rule(data=st.data())
    def get_product_in_both_stores(self, data: st.DataObject) -> None:
        store, product_id = data.draw(self.some_product())
        found = self.call(store, "GET", f"/v3/catalog/products/{product_id}").json()["data"]
        assert (found["name"], found["sku"]) == self.products[store][product_id]
        other = next(s for s in STORES if s != store)
        seen = self.call(other, "GET", f"/v3/catalog/products/{product_id}")
        if product_id in self.products[other]:
            assert seen.json()["data"]["sku"] == self.products[other][product_id][1]
        else:
            assert seen.status_code == 404, "another store's product is visible"

    @rule(store=st.sampled_from(list(STORES)), sku=st.sampled_from(SKUS))
    def search_products_by_sku(self, store: str, sku: str) -> None:
        result = self.call(store, "GET", "/v3/catalog/products", params={"sku": sku}).json()
        expected = [i for i, (_, s) in self.products[store].items() if s == sku]
        assert [p["id"] for p in result["data"]] == expected
        assert result["meta"]["pagination"]["total"] == len(expected)

    # --- customers -----------------------------------------------------------------------------------
    @rule(store=st.sampled_from(list(STORES)), email=st.sampled_from(EMAILS))
    def create_customer(self, store: str, email: str) -> None:
        body = [{"email": email, "first_name": "Model", "last_name": "Shopper"}]
        response = self.call(store, "POST", "/v3/customers", json=body)
        if email in self.customers[store].values():
            assert response.status_code == 422, response.text
            return
        assert response.status_code == 200, response.text
        customer = response.json()["data"][0]
        assert customer["id"] not in self.customer_ids[store], "a customer id was handed out twice"
        self.customer_ids[store].add(customer["id"])
        self.customers[store][customer["id"]] = email

    @precondition(lambda self: any(self.customers.values()))
    @rule(data=st.data(), email=st.sampled_from(EMAILS))
    def update_customer(self, data: st.DataObject, email: str) -> None:
        store, customer_id = data.draw(self.some_customer())
        response = self.call(store, "PUT", "/v3/customers", json=[{"id": customer_id, "email": email}])
        if any(e == email for i, e in self.customers[store].items() if i != customer_id):
            assert response.status_code == 422, response.text
            return
        assert response.status_code == 200, response.text
        self.customers[store][customer_id] = email

    @precondition(lambda self: any(self.customers.values()))
    @rule(data=st.data())
    def delete_customer(self, data: st.DataObject) -> None:
        store, customer_id = data.draw(self.some_customer())
        assert self.call(store, "DELETE", "/v3/customers", params={"id:in": str(customer_id)}).status_code == 204
        del self.customers[store][customer_id]

    @rule(store=st.sampled_from(list(STORES)), email=st.sampled_from(EMAILS))
    def search_customers_by_email(self, store: str, email: str) -> None:
        result = self.call(store, "GET", "/v3/customers", params={"email:in": email}).json()
        expected = [i for i, e in self.customers[store].items() if e == email]
        assert [c["id"] for c in result["data"]] == expected
        assert result["meta"]["pagination"]["total"] == len(expected)

    # --- listings --------------------------------------------------------------------------------------
    @rule(
        store=st.sampled_from(list(STORES)),
        limit=st.integers(1, 3),
        resource=st.sampled_from(["products", "customers"]),
    )
    def walk_pages(self, store: str, limit: int, resource: str) -> None:
        model = self.products[store] if resource == "products" else self.customers[store]
        path = "/v3/catalog/products" if resource == "products" else "/v3/customers"
        ids: list[int] = []
        for page in range(1, math.ceil(len(model) / limit) + 2):  # one page past the end: empty
            result = self.call(store, "GET", path, params={"limit": limit, "page": page}).json()
            assert result["meta"]["pagination"]["total"] == len(model)
            ids.extend(r["id"] for r in result["data"])
        assert len(ids) == len(set(ids)), "a record showed up on two pages"
        assert sorted(ids) == sorted(model)

    @invariant()
    def totals_match_the_model(self) -> None:
        for store in STORES:
            products = self.call(store, "GET", "/v3/catalog/products", params={"limit": 250}).json()
            assert {p["id"]: (p["name"], p["sku"]) for p in products["data"]} == self.products[store]
            assert products["meta"]["pagination"]["total"] == len(self.products[store])
            customers = self.call(store, "GET", "/v3/customers", params={"limit": 250}).json()
            assert {c["id"]: c["email"] for c in customers["data"]} == self.customers[store]
            assert customers["meta"]["pagination"]["total"] == len(self.customers[store])


BigCommerceStores.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_bigcommerce_stores = BigCommerceStores.TestCase
