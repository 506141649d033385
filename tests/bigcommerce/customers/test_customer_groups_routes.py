"""V2 /customer_groups over HTTP: bare bodies, 204 empty lists, filters, count, errors in the V2 shape."""

from __future__ import annotations

import pytest

BASE = "/stores/abc123/v2/customer_groups"
CUSTOMERS = "/stores/abc123/v3/customers"


def create(bc, **body):
    response = bc.post(BASE, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def names(response):
    assert response.status_code == 200, response.text
    return [g["name"] for g in response.json()]


def test_list_customer_groups_empty_is_204(bc):
    response = bc.get(BASE)
    assert (response.status_code, response.content) == (204, b"")


def test_create_customer_group_answers_the_whole_group(bc, fake):
    fake.clock.freeze(1689575441)
    body = create(bc, name="5% Discount", category_access={"type": "specific", "categories": [18, 19, 23, 34]},
                  discount_rules=[{"type": "all", "method": "percent", "amount": 5.00}])  # fmt: skip
    assert body == {
        "id": 1,
        "name": "5% Discount",
        "is_default": False,
        "category_access": {"type": "specific", "categories": [18, 19, 23, 34]},
        "discount_rules": [{"type": "all", "method": "percent", "amount": "5.0000"}],
        "date_created": "2023-07-17 06:30:41",
        "date_modified": "2023-07-17 06:30:41",
        "is_group_for_guests": False,
    }


def test_create_customer_group_with_a_price_list_shows_no_method_or_amount(bc):
    body = create(bc, name="B2B", discount_rules=[{"type": "price_list", "price_list_id": 1}])
    assert body["discount_rules"] == [{"type": "price_list", "price_list_id": 1}]
    assert body["category_access"] == {"type": "all"}


def test_create_customer_group_without_name_is_400(bc):
    response = bc.post(BASE, json={"is_default": True})
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": "The required field 'name' was not supplied."}]


def test_create_customer_group_bad_rule_is_400(bc):
    response = bc.post(BASE, json={"name": "G", "discount_rules": [{"type": "all", "method": "double", "amount": 1}]})
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": "The field 'discount_rules.method' is invalid."}]


def test_create_customer_group_malformed_json_is_400(bc):
    response = bc.post(BASE, content=b"{", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": "JSON data is missing or invalid"}]


def test_create_customer_group_duplicate_name_is_409(bc):
    create(bc, name="Retail")
    response = bc.post(BASE, json={"name": "retail"})
    assert response.status_code == 409
    assert response.json() == [{"status": 409, "message": "A customer group with the name 'retail' already exists."}]


@pytest.fixture
def groups(bc, fake):
    fake.clock.freeze(1536154000)  # 2018-09-05 13:26:40
    create(bc, name="Wholesale")
    fake.clock.advance(86400)
    create(bc, name="Retail", is_default=True)
    create(bc, name="Guests", is_group_for_guests=True)
    create(bc, name="Wholesale EU")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Wholesale", "Retail", "Guests", "Wholesale EU"]),
        ({"name": "Retail"}, ["Retail"]),
        ({"name:like": "sale"}, ["Wholesale", "Wholesale EU"]),
        ({"is_default": "true"}, ["Retail"]),
        ({"is_group_for_guests": "1"}, ["Guests"]),
        ({"date_created": "2018-09-05"}, ["Wholesale"]),
        ({"date_created:min": "2018-09-06"}, ["Retail", "Guests", "Wholesale EU"]),
        ({"date_modified:max": "2018-09-05T23:59:59"}, ["Wholesale"]),
        ({"page": "2", "limit": "3"}, ["Wholesale EU"]),
    ],
)
def test_list_customer_groups_filters(bc, groups, query, expected):
    assert names(bc.get(BASE, params=query)) == expected


def test_list_customer_groups_past_the_last_page_is_204(bc, groups):
    assert bc.get(BASE, params={"page": 3, "limit": 2}).status_code == 204


def test_list_customer_groups_limit_above_250_is_413(bc):
    response = bc.get(BASE, params={"limit": 251})
    assert response.status_code == 413
    assert response.json() == [
        {"status": 413, "message": "The specified limit exceeds the maximum allowed.", "details": {"max_limit": 250}}
    ]


@pytest.mark.parametrize(("name", "value"), [("is_default", "perhaps"), ("date_created:min", "last week")])
def test_list_customer_groups_bad_filter_is_400(bc, name, value):
    response = bc.get(BASE, params={name: value})
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": f"The field '{name}' is invalid."}]


def test_count_customer_groups(bc, groups):
    assert bc.get(f"{BASE}/count").json() == {"count": 4}


def test_get_customer_group(bc, groups):
    response = bc.get(f"{BASE}/2")
    assert (response.status_code, response.json()["name"], response.json()["is_default"]) == (200, "Retail", True)


@pytest.mark.parametrize("group_id", ["99", "abc"])
def test_get_customer_group_unknown_is_404(bc, group_id):
    response = bc.get(f"{BASE}/{group_id}")
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_update_customer_group_partially(bc, groups):
    rule = {"type": "product", "product_id": 33, "method": "percent", "amount": 5}
    response = bc.put(f"{BASE}/1", json={"is_default": True, "discount_rules": [rule]})
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["is_default"]) == ("Wholesale", True)
    assert body["discount_rules"] == [{"type": "product", "method": "percent", "amount": "5.0000", "product_id": 33}]
    assert bc.get(f"{BASE}/2").json()["is_default"] is False


def test_update_customer_group_with_an_empty_body_changes_nothing(bc, groups):
    before = bc.get(f"{BASE}/1").json()
    response = bc.put(f"{BASE}/1")
    assert (response.status_code, response.json()["name"]) == (200, before["name"])


def test_update_customer_group_unknown_is_404(bc):
    response = bc.put(f"{BASE}/5", json={"name": "x"})
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_delete_customer_group_unassigns_customers(bc, groups):
    customer = bc.post(CUSTOMERS, json=[{"email": "g@example.com", "first_name": "G", "last_name": "H",
                                         "customer_group_id": 1}]).json()["data"][0]  # fmt: skip
    assert customer["customer_group_id"] == 1
    response = bc.delete(f"{BASE}/1")
    assert (response.status_code, response.content) == (204, b"")
    assert bc.get(f"{BASE}/1").status_code == 404
    listed = bc.get(CUSTOMERS, params={"id:in": customer["id"]}).json()["data"][0]
    assert listed["customer_group_id"] == 0


def test_delete_customer_group_unknown_is_404(bc):
    assert bc.delete(f"{BASE}/3").status_code == 404


def test_delete_customer_groups_deletes_every_group(bc, groups):
    assert bc.delete(BASE).status_code == 204
    assert bc.get(f"{BASE}/count").json() == {"count": 0}


def test_create_customers_joins_the_default_group(bc, groups):
    customer = bc.post(CUSTOMERS, json=[{"email": "d@example.com", "first_name": "D", "last_name": "E"}])
    assert customer.json()["data"][0]["customer_group_id"] == 2


def test_create_customers_with_an_unknown_group_is_422(bc):
    response = bc.post(CUSTOMERS, json=[{"email": "u@example.com", "first_name": "U", "last_name": "V",
                                         "customer_group_id": 12}])  # fmt: skip
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Create customers failed.",
        "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
        "errors": {".customer_create": "Error creating customers: customer group id(s) [12] not found"},
    }


def test_update_customers_with_an_unknown_group_is_422(bc):
    created = bc.post(CUSTOMERS, json=[{"email": "w@example.com", "first_name": "W", "last_name": "X"}])
    customer_id = created.json()["data"][0]["id"]
    response = bc.put(CUSTOMERS, json=[{"id": customer_id, "customer_group_id": 12}])
    assert response.status_code == 422
    assert response.json()["title"] == "Update customers failed."
    assert response.json()["errors"] == {
        ".customer_update": "Error updating customers: customer group id(s) [12] not found"
    }


def test_customer_groups_read_only_scope_may_read_but_not_write(bc, groups):
    readonly = {"X-Auth-Token": "storefake-bc-readonly-token"}
    assert bc.get(BASE, headers=readonly).status_code == 200
    response = bc.post(BASE, json={"name": "Nope"}, headers=readonly)
    assert response.status_code == 403
    assert response.json() == [{"status": 403, "message": "You don't have a required scope to access the endpoint"}]


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_count_is_no_group_id_under_other_methods(bc, method):
    response = bc.request(method, f"{BASE}/count")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_a_group_id_that_is_no_number_is_the_v2_not_found(bc):
    response = bc.put(f"{BASE}/abc", json={"name": "X"})
    assert (response.status_code, response.json()) == (
        404,
        [{"status": 404, "message": "The requested resource was not found."}],
    )
