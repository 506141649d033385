"""V3 /customers over HTTP: array bodies, filters, sort, include, paging (offset and cursor), delete."""

from __future__ import annotations

import pytest

BASE = "/stores/abc123/v3/customers"
STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


def person(n: int, **extra):
    return {"email": f"user{n}@example.com", "first_name": f"First{n}", "last_name": f"Last{n}", **extra}


def create(bc, *people):
    response = bc.post(BASE, json=list(people))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def ids(response):
    return [c["id"] for c in response.json()["data"]]


def test_create_customers_answers_200_with_data_and_empty_meta(bc, fake):
    fake.clock.freeze(1542145326)
    response = bc.post(BASE, json=[person(1, company="Acme", phone="555")])
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {}
    customer = body["data"][0]
    assert customer["id"] == 1
    assert customer["email"] == "user1@example.com"
    assert customer["company"] == "Acme"
    assert customer["date_created"] == "2018-11-13T21:42:06Z"
    assert customer["date_modified"] == "2018-11-13T21:42:06Z"
    assert customer["customer_group_id"] == 0
    assert customer["registration_ip_address"] == ""
    assert customer["authentication"] == {"force_password_reset": False}
    assert customer["addresses"] == []
    assert customer["address_count"] == 0


def test_create_customers_with_inline_addresses(bc):
    inline = {"first_name": "A", "last_name": "B", "address1": "1 Road", "city": "Leeds", "state_or_province": "",
              "postal_code": "LS1", "country_code": "gb"}  # fmt: skip
    customer = create(bc, person(1, addresses=[inline]))[0]
    assert customer["address_count"] == 1
    assert customer["addresses"][0]["country"] == "United Kingdom"
    assert customer["addresses"][0]["country_code"] == "GB"
    assert customer["addresses"][0]["customer_id"] == customer["id"]


def test_create_customers_more_than_10_is_413(bc):
    response = bc.post(BASE, json=[person(n) for n in range(11)])
    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "title": "The request payload is too large. The maximum items allowed in the array is 10.",
        "type": STATUS_TYPE,
        "errors": {},
    }
    assert bc.get(BASE).json()["data"] == []


@pytest.mark.parametrize("body", [{"email": "a@b.co"}, [], "x", None])
def test_create_customers_needs_a_non_empty_array(bc, body):
    response = bc.post(BASE, json=body)
    assert response.status_code == 422
    assert response.json() == {"status": 422, "title": "JSON data is missing or invalid", "type": STATUS_TYPE,
                               "errors": {}}  # fmt: skip


def test_create_customers_malformed_json_is_422(bc):
    response = bc.post(BASE, content=b"[{", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["title"] == "JSON data is missing or invalid"


def test_create_customers_missing_and_mistyped_fields_are_422_per_field(bc):
    response = bc.post(BASE, json=[{"first_name": 5, "last_name": "X"}, person(2, customer_group_id="a")])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "JSON data is missing or invalid",
        "type": STATUS_TYPE,
        "errors": {
            "[0].email": "error.path.missing",
            "[0].first_name": "error.expected.jsstring",
            "[1].customer_group_id": "error.expected.jsnumber",
        },
    }


def test_create_customers_read_only_field_is_422(bc):
    response = bc.post(BASE, json=[person(1, date_created="2020-01-01")])
    assert response.status_code == 422
    assert response.json()["errors"] == {"[0].date_created": "error.path.result.readonly"}


def test_create_customers_duplicate_email_is_create_customers_failed(bc):
    create(bc, person(1))
    response = bc.post(BASE, json=[person(2), {**person(3), "email": "USER1@example.com"}])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Create customers failed.",
        "type": STATUS_TYPE,
        "errors": {".customer_create": "Error creating customers: email USER1@example.com already in use"},
    }
    # all or nothing: user2 was not created either
    assert [c["email"] for c in bc.get(BASE).json()["data"]] == ["user1@example.com"]


def test_create_customers_duplicate_email_inside_one_batch_is_422(bc):
    response = bc.post(BASE, json=[person(1), person(1)])
    assert response.status_code == 422
    assert response.json()["title"] == "Create customers failed."


def test_update_customers_changes_fields_and_date_modified(bc, fake):
    fake.clock.freeze(1_700_000_000)
    created = create(bc, person(1))[0]
    fake.clock.advance(60)
    response = bc.put(BASE, json=[{"id": created["id"], "last_name": "Changed", "notes": "vip"}])
    assert response.status_code == 200
    updated = response.json()["data"][0]
    assert updated["last_name"] == "Changed"
    assert updated["notes"] == "vip"
    assert updated["first_name"] == "First1"
    assert updated["date_created"] == created["date_created"]
    assert updated["date_modified"] != created["date_modified"]


def test_update_customers_needs_ids(bc):
    response = bc.put(BASE, json=[{"first_name": "X"}])
    assert response.status_code == 422
    assert response.json()["errors"] == {"[0].id": "error.path.missing"}


def test_update_customers_unknown_id_is_update_customers_failed(bc):
    response = bc.put(BASE, json=[{"id": 999, "first_name": "X"}])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Update customers failed.",
        "type": STATUS_TYPE,
        "errors": {".customer_update": "Error updating customers: customer id(s) [999] not found"},
    }


def test_update_customers_to_a_taken_email_is_422(bc):
    first, second = create(bc, person(1), person(2))
    response = bc.put(BASE, json=[{"id": second["id"], "email": first["email"]}])
    assert response.status_code == 422
    assert response.json()["title"] == "Update customers failed."


def test_update_customers_may_keep_its_own_email(bc):
    first = create(bc, person(1))[0]
    response = bc.put(BASE, json=[{"id": first["id"], "email": "USER1@example.com"}])
    assert response.status_code == 200
    assert response.json()["data"][0]["email"] == "USER1@example.com"


def test_update_customers_more_than_10_is_413(bc):
    response = bc.put(BASE, json=[{"id": n} for n in range(1, 12)])
    assert response.status_code == 413


def test_there_is_no_single_customer_path(bc):
    create(bc, person(1))
    response = bc.get(f"{BASE}/1")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_single_read_uses_id_in(bc):
    create(bc, person(1), person(2), person(3))
    assert ids(bc.get(BASE, params={"id:in": "3,1"})) == [1, 3]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"email:in": "USER2@example.com,user3@example.com"}, [2, 3]),
        ({"name:in": "First1 Last1"}, [1]),
        ({"name:like": "st3 la"}, [3]),
        ({"company:in": "Acme"}, [1, 3]),
        ({"customer_group_id:in": "2"}, [2]),
        ({"customer_group_id:in": "0,2"}, [1, 2, 3]),
        ({"phone:in": "555"}, [3]),
        ({"company:in": "Acme", "id:in": "3"}, [3]),
        ({"email:in": "nobody@example.com"}, []),
    ],
)
def test_list_customers_filters(bc, store, params, expected):
    store.seed({"customer_groups": [{"id": 2, "name": "Wholesale"}]})
    create(bc, person(1, company="Acme"), person(2, customer_group_id=2), person(3, company="Acme", phone="555"))
    assert ids(bc.get(BASE, params=params)) == expected


def test_list_customers_date_filters(bc, fake):
    fake.clock.freeze(1_715_644_800)  # 2024-05-14T00:00:00Z
    create(bc, person(1))
    fake.clock.advance(86400)
    create(bc, person(2))
    assert ids(bc.get(BASE, params={"date_created:min": "2024-05-15"})) == [2]
    assert ids(bc.get(BASE, params={"date_created:max": "2024-05-14T23:59:59"})) == [1]
    assert ids(bc.get(BASE, params={"date_created": "2024-05-14"})) == [1]
    assert ids(bc.get(BASE, params={"date_modified:min": "1715731200"})) == [2]


def test_list_customers_bad_filter_value_is_422(bc):
    response = bc.get(BASE, params={"id:in": "abc"})
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "The filter(s): id:in are not valid filter parameter(s).",
        "type": STATUS_TYPE,
        "errors": {},
    }


def test_list_customers_sort(bc, fake):
    fake.clock.freeze(1_700_000_000)
    create(bc, person(1, last_name="Zed"))
    fake.clock.advance(10)
    create(bc, person(2, last_name="adams"), person(3, last_name="Moe"))
    assert ids(bc.get(BASE, params={"sort": "last_name:asc"})) == [2, 3, 1]
    assert ids(bc.get(BASE, params={"sort": "last_name:desc"})) == [1, 3, 2]
    assert ids(bc.get(BASE, params={"sort": "date_created:desc"})) == [3, 2, 1]


def test_list_customers_unknown_sort_is_422(bc):
    response = bc.get(BASE, params={"sort": "email:asc"})
    assert response.status_code == 422
    assert response.json()["title"] == "The filter(s): sort are not valid filter parameter(s)."


def test_list_customers_include_addresses(bc):
    created = create(bc, person(1))[0]
    bc.post(f"{BASE}/addresses", json=[{"customer_id": created["id"], "first_name": "J", "last_name": "D",
                                         "address1": "1 St", "city": "Austin", "state_or_province": "Texas",
                                         "postal_code": "78701", "country_code": "US"}])  # fmt: skip
    plain = bc.get(BASE).json()["data"][0]
    assert "addresses" not in plain
    assert plain["address_count"] == 1
    included = bc.get(BASE, params={"include": "addresses"}).json()["data"][0]
    assert [a["city"] for a in included["addresses"]] == ["Austin"]


def test_list_customers_offset_pagination_meta(bc):
    create(bc, *[person(n) for n in range(1, 6)])
    response = bc.get(BASE, params={"limit": 2, "page": 2})
    assert ids(response) == [3, 4]
    meta = response.json()["meta"]
    assert meta["pagination"] == {
        "total": 5,
        "count": 2,
        "per_page": 2,
        "current_page": 2,
        "total_pages": 3,
        "links": {"previous": "?page=1&limit=2", "current": "?page=2&limit=2", "next": "?page=3&limit=2"},
    }
    # cursors are only given on the first page or when paging by cursor (customers.v3.yml)
    assert meta["cursor_pagination"] == {"count": 2, "per_page": 2, "links": {}}


def test_list_customers_first_page_carries_cursors(bc):
    create(bc, *[person(n) for n in range(1, 6)])
    cursor = bc.get(BASE, params={"limit": 2}).json()["meta"]["cursor_pagination"]
    assert cursor == {
        "count": 2,
        "per_page": 2,
        "start_cursor": "eyJpZCI6MX0",
        "end_cursor": "eyJpZCI6Mn0",
        "links": {"next": "?after=eyJpZCI6Mn0&limit=2"},
    }


def test_list_customers_after_and_before_walk_the_list(bc):
    create(bc, *[person(n) for n in range(1, 6)])
    first = bc.get(BASE, params={"limit": 2}).json()
    second = bc.get(BASE, params={"limit": 2, "after": first["meta"]["cursor_pagination"]["end_cursor"]}).json()
    assert [c["id"] for c in second["data"]] == [3, 4]
    third = bc.get(BASE, params={"limit": 2, "after": second["meta"]["cursor_pagination"]["end_cursor"]}).json()
    assert [c["id"] for c in third["data"]] == [5]
    assert "next" not in third["meta"]["cursor_pagination"]["links"]
    assert third["meta"]["pagination"]["total"] == 5
    back = bc.get(BASE, params={"limit": 2, "before": third["meta"]["cursor_pagination"]["start_cursor"]}).json()
    assert [c["id"] for c in back["data"]] == [3, 4]
    assert set(back["meta"]["cursor_pagination"]["links"]) == {"previous", "next"}


def test_list_customers_cursor_follows_the_sort(bc):
    create(bc, person(1, last_name="C"), person(2, last_name="A"), person(3, last_name="B"))
    first = bc.get(BASE, params={"limit": 1, "sort": "last_name:asc"}).json()
    assert [c["id"] for c in first["data"]] == [2]
    after = first["meta"]["cursor_pagination"]["end_cursor"]
    rest = bc.get(BASE, params={"limit": 5, "sort": "last_name:asc", "after": after}).json()
    assert [c["id"] for c in rest["data"]] == [3, 1]


def test_list_customers_cursor_with_descending_id(bc):
    create(bc, *[person(n) for n in range(1, 5)])
    response = bc.get(BASE, params={"limit": 2, "sort": "date_created:desc"})
    assert len(response.json()["data"]) == 2


@pytest.mark.parametrize("cursor", ["!!!", "eyJmb28iOjF9", "bm90anNvbg"])
def test_list_customers_bad_cursor_is_422(bc, cursor):
    response = bc.get(BASE, params={"after": cursor})
    assert response.status_code == 422
    assert response.json()["title"] == "The filter(s): after are not valid filter parameter(s)."


def test_list_customers_limit_is_clamped_to_250(bc):
    meta = bc.get(BASE, params={"limit": 1000}).json()["meta"]
    assert meta["pagination"]["per_page"] == 250


def test_delete_customers_by_id_in(bc):
    create(bc, person(1), person(2), person(3))
    response = bc.delete(BASE, params={"id:in": "1,3,99"})
    assert response.status_code == 204
    assert response.content == b""
    assert ids(bc.get(BASE)) == [2]


def test_delete_customers_without_a_filter_deletes_nothing(bc):
    create(bc, person(1))
    assert bc.delete(BASE).status_code == 204
    assert ids(bc.get(BASE)) == [1]


def test_deleting_a_customer_frees_its_email_and_drops_its_addresses(bc, store):
    created = create(bc, person(1, addresses=[{"first_name": "A", "last_name": "B", "address1": "1", "city": "C",
                                               "state_or_province": "S", "postal_code": "1", "country_code": "US"}])
                     )[0]  # fmt: skip
    bc.delete(BASE, params={"id:in": str(created["id"])})
    assert len(store.customers.addresses) == 0
    assert create(bc, person(1))[0]["id"] == 2


def test_read_only_token_lists_but_cannot_create(bc):
    headers = {"X-Auth-Token": "storefake-bc-readonly-token"}
    assert bc.get(BASE, headers=headers).status_code == 200
    response = bc.post(BASE, json=[person(1)], headers=headers)
    assert response.status_code == 403
    assert response.json()["title"] == "You don't have a required scope to access the endpoint"


def test_customer_events(bc, events):
    created = create(bc, person(1), person(2))
    bc.put(BASE, json=[{"id": created[0]["id"], "notes": "x"}])
    bc.delete(BASE, params={"id:in": "2"})
    assert events == [
        ("store/customer/created", {"type": "customer", "id": 1}),
        ("store/customer/created", {"type": "customer", "id": 2}),
        ("store/customer/updated", {"type": "customer", "id": 1}),
        ("store/customer/deleted", {"type": "customer", "id": 2}),
    ]


@pytest.mark.parametrize(
    ("extra", "errors"),
    [
        ({"addresses": 5}, {"[0].addresses": "error.expected.jsarray"}),
        ({"addresses": [5]}, {"[0].addresses[0]": "error.expected.jsobject"}),
        ({"addresses": [{"first_name": "A"}]}, {
            "[0].addresses[0].last_name": "error.path.missing",
            "[0].addresses[0].address1": "error.path.missing",
            "[0].addresses[0].city": "error.path.missing",
            "[0].addresses[0].state_or_province": "error.path.missing",
            "[0].addresses[0].postal_code": "error.path.missing",
            "[0].addresses[0].country_code": "error.path.missing",
        }),
        ({"channel_ids": ["a"]}, {"[0].channel_ids": "error.expected.jsnumber"}),
        ({"authentication": "x"}, {"[0].authentication": "error.expected.jsobject"}),
        ({"accepts_product_review_abandoned_cart_emails": "yes"},
         {"[0].accepts_product_review_abandoned_cart_emails": "error.expected.jsboolean"}),
        ({"email": "not-an-email"}, {"[0].email": "error.email"}),
        ({"first_name": ""}, {"[0].first_name": "error.minLength"}),
        ({"last_name": "x" * 101}, {"[0].last_name": "error.maxLength"}),
    ],
)  # fmt: skip
def test_create_customers_nested_and_typed_fields_are_checked(bc, extra, errors):
    response = bc.post(BASE, json=[person(1, **extra)])
    assert response.status_code == 422
    assert response.json()["errors"] == errors


def test_list_customers_before_and_after_together_is_422(bc):
    response = bc.get(BASE, params={"after": "eyJpZCI6MX0", "before": "eyJpZCI6NX0"})
    assert response.status_code == 422
    assert response.json()["title"] == "The filter(s): before, after are not valid filter parameter(s)."
