"""Bodies no vendor reads (a lone UTF-16 surrogate, nesting past PHP's depth) on every BigCommerce route that
takes one: the vendor's invalid-JSON answer, nothing stored, and every list of the store still answers."""

from __future__ import annotations

import pytest

STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
V3_INVALID = {"status": 422, "title": "JSON data is missing or invalid", "type": STATUS_TYPE, "errors": {}}
V2_INVALID = [{"status": 400, "message": "JSON data is missing or invalid"}]
HEADERS = {"X-Auth-Token": "storefake-bc-token", "Content-Type": "application/json"}
SURROGATE = b'{"name": "bad \\ud800", "type": "physical", "weight": 1, "price": 1}'
DEEP = b"[" * 100_000 + b"]" * 100_000
WRITES = [
    ("POST", "/v3/catalog/products", V3_INVALID),
    ("POST", "/v3/catalog/categories", V3_INVALID),
    ("POST", "/v3/catalog/brands", V3_INVALID),
    ("POST", "/v3/customers", V3_INVALID),
    ("POST", "/v3/customers/addresses", V3_INVALID),
    ("POST", "/v3/hooks", V3_INVALID),
    ("POST", "/v2/orders", V2_INVALID),
]
LISTS = [
    "/v3/catalog/products",
    "/v3/catalog/categories",
    "/v3/catalog/brands",
    "/v3/customers",
    "/v3/customers/addresses",
    "/v3/hooks",
    "/v2/orders",
]


def _status(expected):
    return expected[0]["status"] if isinstance(expected, list) else expected["status"]


@pytest.mark.parametrize(("method", "path", "expected"), WRITES)
@pytest.mark.parametrize("raw", [SURROGATE, b'[{"email": "x@example.com", "\\udc00": 1}]'], ids=["value", "key"])
def test_create_with_a_lone_surrogate_is_invalid_json(client, method, path, expected, raw):
    response = client.request(method, f"/stores/abc123{path}", content=raw, headers=HEADERS)
    assert (response.status_code, response.json()) == (_status(expected), expected)


@pytest.mark.parametrize(("method", "path", "expected"), WRITES)
def test_create_nested_100000_deep_is_invalid_json(client, method, path, expected):
    response = client.request(method, f"/stores/abc123{path}", content=DEEP, headers=HEADERS)
    assert (response.status_code, response.json()) == (_status(expected), expected)


def test_lists_still_answer_after_refused_bodies(client):
    for method, path, _ in WRITES:
        client.request(method, f"/stores/abc123{path}", content=SURROGATE, headers=HEADERS)
        client.request(method, f"/stores/abc123{path}", content=DEEP, headers=HEADERS)
    for path in LISTS:
        response = client.get(f"/stores/abc123{path}", headers=HEADERS)
        assert response.status_code in (200, 204), (path, response.text)
        assert b"bad " not in response.content


def test_update_with_a_lone_surrogate_stores_nothing(client):
    created = client.post(
        "/stores/abc123/v3/catalog/products",
        json={"name": "Plain", "type": "physical", "weight": 1, "price": 1},
        headers={"X-Auth-Token": "storefake-bc-token"},
    ).json()["data"]
    path = f"/stores/abc123/v3/catalog/products/{created['id']}"
    response = client.put(path, content=b'{"name": "bad \\ud800"}', headers=HEADERS)
    assert (response.status_code, response.json()) == (422, V3_INVALID)
    assert client.get(path, headers=HEADERS).json()["data"]["name"] == "Plain"
