"""Arbitrary bodies and queries on every catalog endpoint: always a vendor status and body, never a 500."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storefake
from storefake.transport import SyncASGITransport

from .conftest import HOODIE, STATUS_TYPE

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)
FIELDS = ["name", "type", "sku", "price", "weight", "categories", "brand_id", "inventory_level", "custom_url",
          "variants", "images", "custom_fields", "option_values", "image_url", "parent_id", "is_visible", "id",
          "product_id", "sale_price", "inventory_tracking", "is_thumbnail", "sort_order"]  # fmt: skip
BODIES = (
    JSON
    | st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=8)
    | st.lists(st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6), max_size=12)
)
WRITES = [
    ("POST", "/products"),
    ("PUT", "/products"),
    ("PUT", "/products/1"),
    ("POST", "/products/1/variants"),
    ("PUT", "/products/1/variants/1"),
    ("PUT", "/variants"),
    ("POST", "/products/1/images"),
    ("PUT", "/products/1/images/1"),
    ("POST", "/categories"),
    ("PUT", "/categories/1"),
    ("POST", "/brands"),
    ("PUT", "/brands/1"),
]
READS = ["/products", "/variants", "/categories", "/brands", "/products/1/variants", "/products/1/images"]
QUERY_KEYS = ["id", "id:in", "id:min", "id:not_in", "name", "name:like", "sku:in", "price:min", "is_visible",
              "categories:in", "inventory_level:less", "date_modified:min", "keyword", "sort", "direction", "page",
              "limit", "include", "include_fields", "exclude_fields", "parent_id", "product_id:in"]  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_client():
    """One app for the whole module (hypothesis runs many examples); product 1 and category 1 exist."""
    app = storefake.create_app()
    base = "http://testserver/stores/abc123/v3/catalog"
    headers = {"X-Auth-Token": "storefake-bc-token"}
    with httpx.Client(transport=SyncASGITransport(app), base_url=base, headers=headers) as client:
        client.post("/categories", json={"name": "Fuzz", "parent_id": 0})
        client.post("/brands", json={"name": "Fuzz"})
        client.post("/products", json=HOODIE)
        client.post("/products/1/images", json={"image_url": "https://example.com/a.jpg"})
        yield client


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["status"] == response.status_code
        assert body["type"] == STATUS_TYPE


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(WRITES), body=BODIES)
def test_any_body_gets_a_vendor_answer(fuzz_client, target, body):
    method, path = target
    check(fuzz_client.request(method, path, content=json.dumps(body)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(READS),
    query=st.lists(st.tuples(st.sampled_from(QUERY_KEYS), st.text(max_size=15)), max_size=4),
)
def test_any_query_gets_a_vendor_answer(fuzz_client, path, query):
    check(fuzz_client.get(path, params=query))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.tuples(st.sampled_from(QUERY_KEYS), st.text(max_size=10)), max_size=3))
def test_any_delete_filter_gets_a_vendor_answer(fuzz_client, query):
    for path in ("/products", "/categories", "/brands"):
        check(fuzz_client.delete(path, params=query))
