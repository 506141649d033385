"""V3 /customers/attributes and /customers/attribute-values over HTTP: bodies, filters, errors, include."""

from __future__ import annotations

import pytest

CUSTOMERS = "/stores/abc123/v3/customers"
ATTRIBUTES = f"{CUSTOMERS}/attributes"
VALUES = f"{CUSTOMERS}/attribute-values"
STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


@pytest.fixture
def setup(bc, fake):
    fake.clock.freeze(1542145326)  # 2018-11-13T21:42:06Z
    bc.post(ATTRIBUTES, json=[{"name": "Age", "type": "number"}, {"name": "Joined", "type": "date"}])
    bc.post(CUSTOMERS, json=[{"email": f"u{n}@example.com", "first_name": "U", "last_name": str(n)} for n in (1, 2)])


def test_create_customer_attributes_answers_data_and_empty_meta(bc, fake):
    fake.clock.freeze(1542145326)
    response = bc.post(ATTRIBUTES, json=[{"name": "Age", "type": "string"}])
    assert response.status_code == 200
    assert response.json() == {
        "data": [{"id": 1, "name": "Age", "type": "string", "date_created": "2018-11-13T21:42:06Z",
                  "date_modified": "2018-11-13T21:42:06Z"}],
        "meta": {},
    }  # fmt: skip


def test_create_customer_attributes_bad_type_is_422(bc):
    response = bc.post(ATTRIBUTES, json=[{"name": "Age", "type": "integer"}])
    assert response.status_code == 422
    assert response.json() == {"status": 422, "title": "JSON data is missing or invalid", "type": STATUS_TYPE,
                               "errors": {"[0].type": "error.expected.validenumvalue"}}  # fmt: skip


def test_create_customer_attributes_duplicate_name_is_422(bc, setup):
    response = bc.post(ATTRIBUTES, json=[{"name": "age", "type": "string"}])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Create customer attributes failed.",
        "type": STATUS_TYPE,
        "errors": {".attribute_create": "Error creating customer attributes: name age already in use"},
    }


def test_create_customer_attributes_needs_an_array(bc):
    response = bc.post(ATTRIBUTES, json={"name": "Age", "type": "string"})
    assert (response.status_code, response.json()["title"]) == (422, "JSON data is missing or invalid")


@pytest.mark.parametrize(
    ("query", "names"),
    [({}, ["Age", "Joined"]), ({"name": "Joined"}, ["Joined"]), ({"name:like": "oin"}, ["Joined"]),
     ({"type": "number"}, ["Age"]), ({"date_created": "2018-11-13"}, ["Age", "Joined"]),
     ({"date_created:min": "2018-11-14"}, [])],
)  # fmt: skip
def test_list_customer_attributes_filters(bc, setup, query, names):
    response = bc.get(ATTRIBUTES, params=query)
    assert response.status_code == 200
    assert [a["name"] for a in response.json()["data"]] == names
    assert response.json()["meta"]["pagination"]["total"] == len(names)


def test_update_customer_attributes_renames(bc, setup):
    response = bc.put(ATTRIBUTES, json=[{"id": 1, "name": "Age in years"}])
    assert response.status_code == 200
    assert response.json()["data"][0] | {"date_modified": None} == {
        "id": 1, "name": "Age in years", "type": "number", "date_created": "2018-11-13T21:42:06Z",
        "date_modified": None,
    }  # fmt: skip


def test_update_customer_attributes_unknown_id_is_422(bc, setup):
    response = bc.put(ATTRIBUTES, json=[{"id": 7, "name": "X"}])
    assert response.status_code == 422
    assert response.json()["title"] == "Update customer attributes failed."
    assert response.json()["errors"] == {
        ".attribute_update": "Error updating customer attributes: attribute id(s) [7] not found"
    }


def test_delete_customer_attributes_by_id_in(bc, setup):
    assert bc.delete(ATTRIBUTES, params={"id:in": "1"}).status_code == 204
    assert [a["id"] for a in bc.get(ATTRIBUTES).json()["data"]] == [2]


def test_delete_customer_attributes_without_id_in_deletes_nothing(bc, setup):
    assert bc.delete(ATTRIBUTES).status_code == 204
    assert len(bc.get(ATTRIBUTES).json()["data"]) == 2


def test_upsert_customer_attribute_values_reads_value_writes_attribute_value(bc, setup):
    response = bc.put(VALUES, json=[{"attribute_id": 1, "customer_id": 2, "value": "34"}])
    assert response.status_code == 200
    assert response.json() == {
        "data": [{"id": 1, "customer_id": 2, "attribute_id": 1, "attribute_value": "34",
                  "date_created": "2018-11-13T21:42:06Z", "date_modified": "2018-11-13T21:42:06Z"}],
        "meta": {},
    }  # fmt: skip


def test_upsert_customer_attribute_values_wrong_type_is_422(bc, setup):
    response = bc.put(VALUES, json=[{"attribute_id": 2, "customer_id": 1, "value": "yesterday"}])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Upsert customer attribute values failed.",
        "type": STATUS_TYPE,
        "errors": {".attribute_value_upsert": "Error upserting customer attribute values: value 'yesterday' is not a "
                   "date (attribute id 2)"},
    }  # fmt: skip


def test_upsert_customer_attribute_values_more_than_10_customers_is_413(bc, setup):
    items = [{"attribute_id": 1, "customer_id": n, "value": "1"} for n in range(1, 12)]
    response = bc.put(VALUES, json=items)
    assert response.status_code == 413
    assert response.json()["title"] == "The request payload is too large. The maximum items allowed in the array is 10."


@pytest.mark.parametrize(
    ("query", "expected"),
    [({}, [(1, 1), (2, 1), (1, 2)]), ({"customer_id:in": "1"}, [(1, 1), (1, 2)]),
     ({"attribute_id:in": "2"}, [(1, 2)]), ({"name": "Age"}, [(1, 1), (2, 1)])],
)  # fmt: skip
def test_list_customer_attribute_values_filters(bc, setup, query, expected):
    bc.put(VALUES, json=[{"attribute_id": 1, "customer_id": 1, "value": "30"},
                         {"attribute_id": 1, "customer_id": 2, "value": "40"},
                         {"attribute_id": 2, "customer_id": 1, "value": "2020-02-02"}])  # fmt: skip
    response = bc.get(VALUES, params=query)
    assert response.status_code == 200
    assert [(v["customer_id"], v["attribute_id"]) for v in response.json()["data"]] == expected


def test_delete_customer_attribute_values(bc, setup):
    bc.put(VALUES, json=[{"attribute_id": 1, "customer_id": 1, "value": "30"}])
    assert bc.delete(VALUES, params={"id:in": "1"}).status_code == 204
    assert bc.get(VALUES).json()["data"] == []


def test_customers_include_attributes_and_count_them(bc, setup):
    bc.put(VALUES, json=[{"attribute_id": 1, "customer_id": 1, "value": "30"}])
    customer = bc.get(CUSTOMERS, params={"id:in": "1", "include": "attributes"}).json()["data"][0]
    assert customer["attribute_count"] == 1
    assert customer["attributes"] == [{"id": 1, "customer_id": 1, "attribute_id": 1, "attribute_value": "30",
                                       "date_created": "2018-11-13T21:42:06Z",
                                       "date_modified": "2018-11-13T21:42:06Z"}]  # fmt: skip


def test_create_customers_with_inline_attributes(bc, setup):
    body = [{"email": "i@example.com", "first_name": "I", "last_name": "J",
             "attributes": [{"attribute_id": 1, "attribute_value": "28"}]}]  # fmt: skip
    created = bc.post(CUSTOMERS, json=body).json()["data"][0]
    assert created["attribute_count"] == 1
    assert bc.get(VALUES, params={"customer_id:in": created["id"]}).json()["data"][0]["attribute_value"] == "28"


def test_attribute_endpoints_read_only_scope(bc, setup):
    readonly = {"X-Auth-Token": "storefake-bc-readonly-token"}
    assert bc.get(VALUES, headers=readonly).status_code == 200
    assert bc.put(VALUES, json=[], headers=readonly).status_code == 403
