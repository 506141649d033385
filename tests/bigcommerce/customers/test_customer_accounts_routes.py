"""V3 /customers/form-field-values, /customers/{id}/consent and /customers/validate-credentials over HTTP."""

from __future__ import annotations

import pytest

CUSTOMERS = "/stores/abc123/v3/customers"
FIELDS = f"{CUSTOMERS}/form-field-values"
VALIDATE = f"{CUSTOMERS}/validate-credentials"
STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
ADDRESS = {"first_name": "A", "last_name": "B", "address1": "1 Road", "city": "Austin", "state_or_province": "TX",
           "postal_code": "78701", "country_code": "US"}  # fmt: skip


@pytest.fixture
def customers(bc):
    body = [
        {"email": "a@example.com", "first_name": "A", "last_name": "One",
         "authentication": {"new_password": "Secret123"},
         "form_fields": [{"name": "Sales Rep", "value": "James Bond"}, {"name": "Toppings", "value": ["Olives"]}],
         "addresses": [{**ADDRESS, "form_fields": [{"name": "Delivery", "value": "Front door"}]}]},
        {"email": "b@example.com", "first_name": "B", "last_name": "Two",
         "form_fields": [{"name": "Age", "value": 30}]},
    ]  # fmt: skip
    response = bc.post(CUSTOMERS, json=body)
    assert response.status_code == 200, response.text


# form-field values
def test_list_form_field_values_first_page_has_both_paginations(bc, customers):
    response = bc.get(FIELDS)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == [
        {"customer_id": 1, "name": "Sales Rep", "value": "James Bond"},
        {"customer_id": 1, "name": "Toppings", "value": ["Olives"]},
        {"address_id": 1, "name": "Delivery", "value": "Front door"},
        {"customer_id": 2, "name": "Age", "value": 30},
    ]
    assert body["meta"]["pagination"]["total"] == 4
    assert body["meta"]["cursor_pagination"]["count"] == 4


def test_list_form_field_values_later_page_has_only_pagination(bc, customers):
    meta = bc.get(FIELDS, params={"page": 2, "limit": 2}).json()["meta"]
    assert set(meta) == {"pagination"}


def test_list_form_field_values_cursor_page_has_only_cursor_pagination(bc, customers):
    first = bc.get(FIELDS, params={"limit": 2}).json()["meta"]["cursor_pagination"]
    response = bc.get(FIELDS, params={"limit": 2, "after": first["end_cursor"]})
    assert set(response.json()["meta"]) == {"cursor_pagination"}
    assert [row["name"] for row in response.json()["data"]] == ["Delivery", "Age"]


@pytest.mark.parametrize(
    ("query", "names"),
    [({"customer_id": "1"}, ["Sales Rep", "Toppings"]), ({"address_id": "1"}, ["Delivery"]),
     ({"field_name": "Age"}, ["Age"]), ({"field_type": "checkboxes"}, ["Toppings"]),
     ({"field_type": "numbers"}, ["Age"]), ({"field_type": "text", "customer_id": "1"}, ["Sales Rep"])],
)  # fmt: skip
def test_list_form_field_values_filters(bc, customers, query, names):
    assert [row["name"] for row in bc.get(FIELDS, params=query).json()["data"]] == names


@pytest.mark.parametrize(("name", "value"), [("customer_id", "x"), ("field_type", "colour")])
def test_list_form_field_values_bad_filter_is_422(bc, name, value):
    response = bc.get(FIELDS, params={name: value})
    assert response.status_code == 422
    assert response.json() == {"status": 422, "title": f"The filter(s): {name} are not valid filter parameter(s).",
                               "type": STATUS_TYPE, "errors": {}}  # fmt: skip


def test_upsert_form_field_values(bc, customers):
    response = bc.put(FIELDS, json=[{"customer_id": 2, "name": "Age", "value": 31},
                                    {"address_id": 1, "name": "Gate", "value": "1234"}])  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {
        "data": [{"customer_id": 2, "name": "Age", "value": 31}, {"address_id": 1, "name": "Gate", "value": "1234"}],
        "meta": {},
    }
    listed = bc.get(CUSTOMERS, params={"id:in": "1", "include": "addresses,formfields"}).json()["data"][0]
    assert listed["addresses"][0]["form_fields"] == [{"name": "Delivery", "value": "Front door"},
                                                    {"name": "Gate", "value": "1234"}]  # fmt: skip


def test_upsert_form_field_values_unknown_customer_is_422(bc):
    response = bc.put(FIELDS, json=[{"customer_id": 77, "name": "Age", "value": 1}])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Upsert form field values failed.",
        "type": STATUS_TYPE,
        "errors": {".form_field_value_upsert": "Error upserting form field values: customer id(s) [77] not found"},
    }


def test_customers_include_formfields(bc, customers):
    customer = bc.get(CUSTOMERS, params={"id:in": "2", "include": "formfields"}).json()["data"][0]
    assert customer["form_fields"] == [{"name": "Age", "value": 30}]


# consent
def test_get_customer_consent_defaults(bc, customers, fake):
    fake.clock.freeze(1566656122)
    response = bc.get(f"{CUSTOMERS}/1/consent")
    assert response.status_code == 200
    assert response.json() == {"allow": ["essential"], "deny": [], "updated_at": "2019-08-24T14:15:22Z"}


def test_update_customer_consent(bc, customers):
    response = bc.put(f"{CUSTOMERS}/1/consent", json={"allow": ["functional", "analytics"], "deny": ["targeting"]})
    assert response.status_code == 200
    assert (response.json()["allow"], response.json()["deny"]) == (["essential", "functional", "analytics"],
                                                                   ["targeting"])  # fmt: skip
    assert bc.get(f"{CUSTOMERS}/1/consent").json()["deny"] == ["targeting"]


def test_update_customer_consent_bad_category_is_422(bc, customers):
    response = bc.put(f"{CUSTOMERS}/1/consent", json={"allow": ["marketing"]})
    assert response.status_code == 422
    assert response.json() == {"status": 422, "title": "JSON data is missing or invalid", "type": STATUS_TYPE,
                               "errors": {"allow[0]": "error.expected.validenumvalue"}}  # fmt: skip


@pytest.mark.parametrize("customer", ["99", "abc"])
def test_customer_consent_of_an_unknown_customer_is_404(bc, customer):
    response = bc.get(f"{CUSTOMERS}/{customer}/consent")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "title": "The requested resource was not found.", "type": STATUS_TYPE,
                               "errors": {}}  # fmt: skip


# credentials
def test_validate_customer_credentials_valid(bc, customers):
    response = bc.post(VALIDATE, json={"email": "A@example.com", "password": "Secret123", "channel_id": 1})
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "customer_id": 1}


def test_validate_customer_credentials_wrong_password(bc, customers):
    response = bc.post(VALIDATE, json={"email": "a@example.com", "password": "secret123"})
    assert (response.status_code, response.json()) == (200, {"is_valid": False, "customer_id": None})


def test_validate_customer_credentials_missing_field_is_422(bc):
    response = bc.post(VALIDATE, json={"email": "a@example.com"})
    assert response.status_code == 422
    assert response.json() == {"status": 422, "title": "JSON data is missing or invalid", "type": STATUS_TYPE,
                               "errors": {"password": "error.path.missing"}}  # fmt: skip


def test_validate_customer_credentials_too_many_is_429(bc, fake):
    fake.clock.freeze(1000)
    for _ in range(10):
        bc.post(VALIDATE, json={"email": "x@example.com", "password": "guess"})
    response = bc.post(VALIDATE, json={"email": "x@example.com", "password": "guess"})
    assert response.status_code == 429
    assert response.json() == {"status": 429, "title": "Too many requests", "type": STATUS_TYPE, "errors": {}}
    assert response.headers["x-retry-after"] == "60"


def test_validate_customer_credentials_read_only_scope_is_403(bc):
    response = bc.post(VALIDATE, json={"email": "a@example.com", "password": "x"},
                       headers={"X-Auth-Token": "storefake-bc-readonly-token"})  # fmt: skip
    assert response.status_code == 403
