"""V3 /customers/addresses over HTTP: array create/update, identical re-posts, filters, delete."""

from __future__ import annotations

BASE = "/stores/abc123/v3/customers"
ADDRESSES = f"{BASE}/addresses"
STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


def address(customer_id: int, **extra):
    return {
        "customer_id": customer_id,
        "first_name": "Jane",
        "last_name": "Doe",
        "address1": "123 Main Street",
        "city": "Austin",
        "state_or_province": "Texas",
        "postal_code": "78701",
        "country_code": "US",
        **extra,
    }


def customers(bc, count=2):
    people = [{"email": f"u{n}@example.com", "first_name": "F", "last_name": f"L{n}"} for n in range(count)]
    return [c["id"] for c in bc.post(BASE, json=people).json()["data"]]


def test_create_addresses_answers_the_new_addresses(bc):
    (customer_id, _) = customers(bc)
    response = bc.post(ADDRESSES, json=[address(customer_id, company="Acme", address_type="commercial")])
    assert response.status_code == 200
    assert response.json() == {
        "data": [
            {
                "id": 1,
                "customer_id": customer_id,
                "first_name": "Jane",
                "last_name": "Doe",
                "company": "Acme",
                "address1": "123 Main Street",
                "address2": "",
                "city": "Austin",
                "state_or_province": "Texas",
                "postal_code": "78701",
                "country": "United States",
                "country_code": "US",
                "phone": "",
                "address_type": "commercial",
            }
        ],
        "meta": {},
    }


def test_create_identical_address_is_a_no_op_left_out_of_data(bc):
    (customer_id, other) = customers(bc)
    bc.post(ADDRESSES, json=[address(customer_id)])
    response = bc.post(ADDRESSES, json=[address(customer_id), address(customer_id, city="Dallas"), address(other)])
    assert response.status_code == 200
    assert [(a["customer_id"], a["city"]) for a in response.json()["data"]] == [
        (customer_id, "Dallas"),
        (other, "Austin"),
    ]
    assert bc.get(ADDRESSES).json()["meta"]["pagination"]["total"] == 3


def test_create_addresses_missing_fields_is_422(bc):
    response = bc.post(ADDRESSES, json=[{"first_name": "J"}])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "JSON data is missing or invalid",
        "type": STATUS_TYPE,
        "errors": {
            "[0].last_name": "error.path.missing",
            "[0].address1": "error.path.missing",
            "[0].city": "error.path.missing",
            "[0].state_or_province": "error.path.missing",
            "[0].postal_code": "error.path.missing",
            "[0].country_code": "error.path.missing",
            "[0].customer_id": "error.path.missing",
        },
    }


def test_create_addresses_bad_address_type_is_422(bc):
    (customer_id, _) = customers(bc)
    response = bc.post(ADDRESSES, json=[address(customer_id, address_type="castle")])
    assert response.status_code == 422
    assert response.json()["errors"] == {"[0].address_type": "error.expected.validenumvalue"}


def test_create_addresses_for_an_unknown_customer_is_422(bc):
    response = bc.post(ADDRESSES, json=[address(42)])
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Create addresses failed.",
        "type": STATUS_TYPE,
        "errors": {".address_create": "Error creating addresses: customer id(s) [42] not found"},
    }


def test_create_addresses_more_than_10_is_413(bc):
    (customer_id, _) = customers(bc)
    response = bc.post(ADDRESSES, json=[address(customer_id, city=f"C{n}") for n in range(11)])
    assert response.status_code == 413


def test_update_addresses(bc):
    (customer_id, _) = customers(bc)
    created = bc.post(ADDRESSES, json=[address(customer_id)]).json()["data"][0]
    response = bc.put(ADDRESSES, json=[{"id": created["id"], "city": "Dallas"}])
    assert response.status_code == 200
    updated = response.json()["data"][0]
    assert updated["city"] == "Dallas"
    assert updated["address1"] == "123 Main Street"


def test_update_unknown_address_is_422(bc):
    response = bc.put(ADDRESSES, json=[{"id": 77, "city": "Dallas"}])
    assert response.status_code == 422
    assert response.json()["title"] == "Update addresses failed."
    assert response.json()["errors"] == {".address_update": "Error updating addresses: address id(s) [77] not found"}


def test_list_addresses_filters(bc):
    (first, second) = customers(bc)
    bc.post(ADDRESSES, json=[address(first), address(second, company="Acme"), address(first, city="Dallas")])
    listing = bc.get(ADDRESSES, params={"customer_id:in": str(first)}).json()
    assert [a["city"] for a in listing["data"]] == ["Austin", "Dallas"]
    assert listing["meta"]["pagination"]["total"] == 2
    assert [a["id"] for a in bc.get(ADDRESSES, params={"company:in": "Acme"}).json()["data"]] == [2]
    assert [a["id"] for a in bc.get(ADDRESSES, params={"id:in": "3"}).json()["data"]] == [3]
    assert [a["id"] for a in bc.get(ADDRESSES, params={"name:in": "Jane Doe"}).json()["data"]] == [1, 2, 3]


def test_delete_addresses_by_id_in(bc):
    (customer_id, _) = customers(bc)
    bc.post(ADDRESSES, json=[address(customer_id), address(customer_id, city="Dallas")])
    assert bc.delete(ADDRESSES, params={"id:in": "1"}).status_code == 204
    assert [a["id"] for a in bc.get(ADDRESSES).json()["data"]] == [2]


def test_address_events(bc, events):
    (customer_id,) = customers(bc, 1)
    events.clear()
    bc.post(ADDRESSES, json=[address(customer_id)])
    bc.put(ADDRESSES, json=[{"id": 1, "city": "Dallas"}])
    bc.delete(ADDRESSES, params={"id:in": "1"})
    data = {"type": "customer", "id": 1, "address": {"customer_id": customer_id}}
    assert events == [
        ("store/customer/address/created", data),
        ("store/customer/address/updated", data),
        ("store/customer/address/deleted", data),
    ]


def test_create_addresses_form_fields_must_be_an_array(bc):
    (customer_id, _) = customers(bc)
    response = bc.post(ADDRESSES, json=[address(customer_id, form_fields=5)])
    assert response.status_code == 422
    assert response.json()["errors"] == {"[0].form_fields": "error.expected.jsarray"}


def test_create_addresses_keeps_form_fields_for_include(bc):
    (customer_id, _) = customers(bc)
    bc.post(ADDRESSES, json=[address(customer_id, form_fields=[{"name": "Gate code", "value": "42"}])])
    listed = bc.get(ADDRESSES, params={"include": "formfields"}).json()["data"][0]
    assert listed["form_fields"] == [{"name": "Gate code", "value": "42"}]
