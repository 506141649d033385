"""The BigCommerce framework shared by every resource family: auth, scopes, renderer, query parsing."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.query import FilterSpec, as_bool, as_int, as_timestamp, parse_filters, parse_page
from storefake.bigcommerce.render import money, rfc2822, v3_pagination
from storefake.filtering import Condition

STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


def test_missing_token_is_401(client):
    response = client.get("/stores/abc123/v3/catalog/products")
    assert response.status_code == 401
    assert response.json()["status"] == 401
    assert response.json()["type"] == STATUS_TYPE


def test_token_of_another_store_is_401(client):
    response = client.get("/stores/def456/v3/catalog/products", headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.status_code == 401


def test_missing_scope_is_the_vendors_403_body(client):
    response = client.get("/stores/abc123/v3/catalog/products", headers={"X-Auth-Token": "storefake-bc-noscope-token"})
    assert response.status_code == 403
    assert response.json() == {
        "status": 403,
        "title": "You don't have a required scope to access the endpoint",
        "type": STATUS_TYPE,
        "errors": {},
    }


@pytest.mark.parametrize("path", ["/v3/catalog/products", "/v3/customers", "/v2/orders", "/v2/order_statuses"])
def test_read_only_scope_refuses_writes(client, path):
    response = client.post(f"/stores/abc123{path}", headers={"X-Auth-Token": "storefake-bc-readonly-token"}, json={})
    assert response.status_code == 403


def test_unknown_v2_path_is_a_v2_404_array(client):
    response = client.get("/stores/abc123/v2/nothing-here", headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_unknown_v3_path_is_a_v3_404(client):
    response = client.get("/stores/abc123/v3/nothing-here", headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.status_code == 404
    assert response.json()["status"] == 404


@pytest.mark.parametrize("path", ["/v3/catalog%0Aproducts", "/v3/catalog/products/1%0A/images", "/v3%0Acustomers"])
def test_newline_in_path_is_a_bigcommerce_404_not_adobe(client, path):
    response = client.get(f"/stores/abc123{path}", headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.status_code == 404
    assert response.json() == {"status": 404, "title": "Not Found", "type": STATUS_TYPE, "errors": {}}


@pytest.mark.parametrize("method", ["PUT", "DELETE", "POST"])
def test_orders_count_under_another_method_is_405(client, method):
    response = client.request(method, "/stores/abc123/v2/orders/count", headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json() == [{"status": 405, "message": "Method Not Allowed"}]


def test_shipments_count_under_put_is_405(client):
    path = "/stores/abc123/v2/orders/1/shipments/count"
    response = client.put(path, headers={"X-Auth-Token": "storefake-bc-token"}, json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_money_and_rfc2822_formats():
    assert money(62.67929) == "62.6793"
    assert money("5") == "5.0000"
    assert rfc2822(1551822011) == "Tue, 05 Mar 2019 21:40:11 +0000"


def test_pagination_links_omit_missing_pages():
    first = v3_pagination(total=120, page=1, limit=50, query={"name": "x"})
    assert first["total_pages"] == 3
    assert first["count"] == 50
    assert first["links"] == {"current": "?name=x&page=1&limit=50", "next": "?name=x&page=2&limit=50"}
    last = v3_pagination(total=120, page=3, limit=50)
    assert last["count"] == 20
    assert set(last["links"]) == {"previous", "current"}


def test_parse_filters_maps_operators_and_ignores_unknown_filters():
    specs = {
        "id": FilterSpec(as_int, frozenset({"", "in", "not_in", "min", "max"})),
        "name": FilterSpec(str, frozenset({"", "like"})),
    }
    conditions = parse_filters(
        [("id:in", "1,2"), ("id:min", "3"), ("name:like", "hood"), ("color", "red"), ("id:like", "4")], specs
    )
    assert conditions == [
        Condition("id", "in", [1, 2]),
        Condition("id", "gteq", 3),
        Condition("name", "like", "%hood%"),
    ]


def test_parse_filters_rejects_a_badly_typed_value():
    from storefake.bigcommerce.errors import InvalidQueryParameter

    with pytest.raises(InvalidQueryParameter):
        parse_filters([("id", "abc")], {"id": FilterSpec(as_int)})


def test_value_parsers():
    assert as_bool("true") is True
    assert as_bool("0") is False
    with pytest.raises(ValueError, match="maybe"):
        as_bool("maybe")
    assert as_timestamp("1970-01-02") == 86400.0
    assert as_timestamp("86400") == 86400.0


def test_parse_page_defaults_and_clamps():
    assert parse_page({}).limit == 50
    assert parse_page({"limit": "1000"}).limit == 250
    assert parse_page({"limit": "1000"}, clamp=False).limit == 1000
    assert parse_page({"page": "0"}).page == 1


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/v3/catalog/products",
            {"status": 413, "title": "The request payload is too large.", "type": STATUS_TYPE, "errors": {}},
        ),
        ("/v2/orders", [{"status": 413, "message": "The request payload is too large."}]),
    ],
)
def test_declared_oversized_body_is_a_vendor_shaped_413(path, expected):
    import httpx

    import storefake
    from storefake.transport import SyncASGITransport

    app = storefake.create_app(max_body_bytes=100)
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as small:
        response = small.post(
            f"/stores/abc123{path}", headers={"X-Auth-Token": "storefake-bc-token"}, json={"name": "x" * 200}
        )
    assert response.status_code == 413
    assert response.json() == expected
    assert "x-rate-limit-requests-left" in response.headers


def test_streamed_oversized_body_is_a_vendor_shaped_413():
    import httpx

    import storefake
    from storefake.transport import SyncASGITransport

    def chunks():
        yield b"["
        yield b'{"email": "' + b"x" * 300 + b'"}'
        yield b"]"

    app = storefake.create_app(max_body_bytes=100)
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as small:
        response = small.post(
            "/stores/abc123/v3/customers", headers={"X-Auth-Token": "storefake-bc-token"}, content=chunks()
        )
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_money_draws_amounts_of_any_size_with_four_decimals():
    assert money(1e300) == "1" + "0" * 300 + ".0000"
    assert money("123456789012345678901234567890.12345") == "123456789012345678901234567890.1235"
    assert money(-1e40) == "-1" + "0" * 40 + ".0000"
