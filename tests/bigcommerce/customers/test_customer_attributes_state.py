"""CustomerAttributeState without HTTP: definitions, typed values, upserts, limits and cascades."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import (
    AttributeValuesFailed,
    CreateAttributesFailed,
    CreateCustomersFailed,
    InvalidJSON,
    PayloadTooLarge,
    UpdateAttributesFailed,
)
from storefake.bigcommerce.state.customer_attributes import ValueListing, value_fits
from storefake.filtering import Condition


def person(n: int, **extra):
    return {"email": f"user{n}@example.com", "first_name": "F", "last_name": f"L{n}", **extra}


@pytest.fixture
def attributes(store):
    state = store.customer_attributes
    state.create_attributes([{"name": "Shoe size", "type": "number"}, {"name": "Joined", "type": "date"},
                             {"name": "Nickname", "type": "string"}])  # fmt: skip
    store.customers.create_customers([person(1), person(2)])
    return state


@pytest.mark.parametrize(
    ("kind", "value", "fits"),
    [("number", "42", True), ("number", "-1.5", True), ("number", "big", False), ("number", "NaN", False),
     ("date", "2024-05-14", True), ("date", "2024-05-14T09:34:00Z", True), ("date", "14/05/2024", False),
     ("string", "anything", True)],
)  # fmt: skip
def test_value_fits_its_type(kind, value, fits):
    assert value_fits(kind, value) is fits


def test_create_attributes_numbers_them(store):
    created = store.customer_attributes.create_attributes([{"name": " Age ", "type": "string"}])
    assert [(a.id, a.name, a.type) for a in created] == [(1, "Age", "string")]


def test_create_attributes_schema_errors_are_keyed_per_item(store):
    with pytest.raises(InvalidJSON) as caught:
        store.customer_attributes.create_attributes([{"type": "colour"}, {"name": 3, "type": "date", "id": 4}, 7])
    assert caught.value.errors == {
        "[0].name": "error.path.missing",
        "[0].type": "error.expected.validenumvalue",
        "[1].name": "error.expected.jsstring",
        "[1].id": "error.path.result.readonly",
        "[2]": "error.expected.jsobject",
    }


def test_create_attributes_duplicate_name_in_store_or_batch(attributes):
    with pytest.raises(CreateAttributesFailed) as caught:
        attributes.create_attributes([{"name": "Colour", "type": "string"}, {"name": "colour", "type": "string"}])
    assert caught.value.errors == {
        ".attribute_create": "Error creating customer attributes: name colour already in use"
    }
    with pytest.raises(CreateAttributesFailed):
        attributes.create_attributes([{"name": "SHOE SIZE", "type": "string"}])
    assert len(attributes.attributes) == 3


def test_create_attributes_at_most_50_per_store(store):
    store.customer_attributes.create_attributes([{"name": f"A{n}", "type": "string"} for n in range(50)])
    with pytest.raises(CreateAttributesFailed) as caught:
        store.customer_attributes.create_attributes([{"name": "One more", "type": "string"}])
    expected = "Error creating customer attributes: a store has at most 50 customer attributes"
    assert caught.value.errors == {".attribute_create": expected}


def test_update_attributes_renames(attributes, fake):
    fake.clock.freeze(fake.clock.now() + 5)
    updated = attributes.update_attributes([{"id": 3, "name": "Handle"}])
    assert (updated[0].name, updated[0].type, updated[0].date_modified > updated[0].date_created) == (
        "Handle", "string", True,
    )  # fmt: skip


def test_update_attributes_type_never_changes(attributes):
    with pytest.raises(UpdateAttributesFailed) as caught:
        attributes.update_attributes([{"id": 1, "name": "Shoe size", "type": "string"}])
    expected = "Error updating customer attributes: the type of attribute id(s) [1] cannot be changed"
    assert caught.value.errors == {".attribute_update": expected}


def test_update_attributes_unknown_id(attributes):
    with pytest.raises(UpdateAttributesFailed) as caught:
        attributes.update_attributes([{"id": 9, "name": "X"}])
    assert caught.value.errors == {
        ".attribute_update": "Error updating customer attributes: attribute id(s) [9] not found"
    }


def test_upsert_values_creates_then_updates_the_pair(attributes, fake):
    fake.clock.freeze(1000)
    first = attributes.upsert_values([{"attribute_id": 1, "customer_id": 1, "value": "42"}])
    fake.clock.advance(3)
    second = attributes.upsert_values([{"attribute_id": 1, "customer_id": 1, "value": "43"}])
    assert (first[0].id, second[0].id, second[0].value) == (1, 1, "43")
    assert second[0].date_modified == first[0].date_modified + 3
    assert attributes.count_of(1) == 1


def test_upsert_values_checks_type_attribute_and_customer(attributes):
    cases = [
        ({"attribute_id": 1, "customer_id": 1, "value": "big"}, "value 'big' is not a number (attribute id 1)"),
        ({"attribute_id": 9, "customer_id": 1, "value": "x"}, "attribute id(s) [9] not found"),
        ({"attribute_id": 3, "customer_id": 99, "value": "x"}, "customer id(s) [99] not found"),
        (
            {"attribute_id": 3, "customer_id": 1, "value": "x", "id": 5},
            "attribute value id 5 not found for customer id 1",
        ),
    ]
    for item, text in cases:
        with pytest.raises(AttributeValuesFailed) as caught:
            attributes.upsert_values([item])
        assert caught.value.errors == {".attribute_value_upsert": f"Error upserting customer attribute values: {text}"}
    assert len(attributes.values) == 0


def test_upsert_values_schema_errors(attributes):
    with pytest.raises(InvalidJSON) as caught:
        attributes.upsert_values([{"attribute_id": "1", "value": 5}])
    assert caught.value.errors == {
        "[0].attribute_id": "error.expected.jsnumber",
        "[0].customer_id": "error.path.missing",
        "[0].value": "error.expected.jsstring",
    }


def test_upsert_values_at_most_10_customers_per_call(store, attributes):
    store.customers.create_customers([person(n) for n in range(3, 12)])
    items = [{"attribute_id": 3, "customer_id": n, "value": "x"} for n in range(1, 12)]
    with pytest.raises(PayloadTooLarge):
        attributes.upsert_values(items)


def test_search_values_by_customer_and_attribute_name(attributes):
    attributes.upsert_values([{"attribute_id": 3, "customer_id": 1, "value": "a"},
                              {"attribute_id": 1, "customer_id": 2, "value": "9"},
                              {"attribute_id": 3, "customer_id": 2, "value": "b"}])  # fmt: skip
    by_name = attributes.search_values(ValueListing([Condition("name", "eq", "nickname")]))
    assert [v.value for v in by_name.items] == ["a", "b"]
    by_customer = attributes.search_values(ValueListing([Condition("customer_id", "in", [2])]))
    assert [v.attribute_id for v in by_customer.items] == [1, 3]


def test_deleting_an_attribute_deletes_its_values(attributes):
    attributes.upsert_values([{"attribute_id": 3, "customer_id": 1, "value": "a"}])
    assert attributes.delete_attributes([3, 3, 77]) == [3]
    assert len(attributes.values) == 0


def test_deleting_a_customer_deletes_their_values(store, attributes):
    attributes.upsert_values([{"attribute_id": 3, "customer_id": 1, "value": "a"}])
    store.customers.delete_customers([1])
    assert attributes.values_of(1) == []


def test_new_customers_inline_attributes_become_values(store, attributes):
    created = store.customers.create_customers([person(5, attributes=[{"attribute_id": 1, "attribute_value": "40"}])])
    assert [(v.attribute_id, v.value) for v in attributes.values_of(created[0].id)] == [(1, "40")]


def test_new_customers_inline_attributes_are_checked_before_anything_is_stored(store, attributes):
    with pytest.raises(CreateCustomersFailed) as caught:
        store.customers.create_customers([person(5, attributes=[{"attribute_id": 1, "attribute_value": "tall"}])])
    expected = "Error creating customers: value 'tall' is not a number (attribute id 1)"
    assert caught.value.errors == {".customer_create": expected}
    assert store.customers.get_customer_by_email("user5@example.com") is None


def test_new_customers_inline_attributes_schema(store, attributes):
    with pytest.raises(InvalidJSON) as caught:
        store.customers.create_customers([person(5, attributes=[{"attribute_id": 1}, {"attribute_id": 1,
                                                                  "attribute_value": "1"}])])  # fmt: skip
    assert caught.value.errors == {
        "[0].attributes[0].attribute_value": "error.path.missing",
        "[0].attributes[1].attribute_id": "error.duplicate",
    }
