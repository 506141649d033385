"""Form-field values, consent and credential checks of customers, without HTTP."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import (
    CredentialChecksExceeded,
    FormFieldValuesFailed,
    InvalidJSON,
    ResourceNotFound,
)
from storefake.bigcommerce.state.customer_listing import Listing
from storefake.filtering import Condition

ADDRESS = {"first_name": "A", "last_name": "B", "address1": "1 Road", "city": "Leeds", "state_or_province": "",
           "postal_code": "LS1", "country_code": "GB"}  # fmt: skip


def person(n: int, **extra):
    return {"email": f"user{n}@example.com", "first_name": "F", "last_name": f"L{n}", **extra}


# form fields
def test_form_fields_of_a_new_customer_and_its_inline_address(store):
    address = {**ADDRESS, "form_fields": [{"name": "Gate", "value": 42}]}
    store.customers.create_customers(
        [person(1, form_fields=[{"name": "Sales Rep", "value": "Bond"}], addresses=[address])]
    )
    fields = store.customer_form_fields
    assert fields.of_customer(1) == [{"name": "Sales Rep", "value": "Bond"}]
    assert fields.of_address(1) == [{"name": "Gate", "value": 42}]


def test_customer_update_upserts_form_fields_by_name(store):
    store.customers.create_customers(
        [person(1, form_fields=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])]
    )
    store.customers.update_customers([{"id": 1, "form_fields": [{"name": "B", "value": ["x", "y"]}]}])
    assert store.customer_form_fields.of_customer(1) == [
        {"name": "A", "value": "1"},
        {"name": "B", "value": ["x", "y"]},
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ([{"value": "x"}], {"[0].form_fields[0].name": "error.path.missing"}),
        ([{"name": "A"}], {"[0].form_fields[0].value": "error.path.missing"}),
        ([{"name": "A", "value": {"k": 1}}], {"[0].form_fields[0].value": "error.expected.jsstring"}),
        ([{"name": "A", "value": [1, 2]}], {"[0].form_fields[0].value": "error.expected.jsstring"}),
        (["A"], {"[0].form_fields[0]": "error.expected.jsobject"}),
    ],
)
def test_customer_form_fields_are_checked(store, fields, errors):
    with pytest.raises(InvalidJSON) as caught:
        store.customers.create_customers([person(1, form_fields=fields)])
    assert caught.value.errors == errors


def test_form_fields_go_with_their_customer_and_address(store):
    address = {**ADDRESS, "form_fields": [{"name": "G", "value": "2"}]}
    store.customers.create_customers([person(1, form_fields=[{"name": "A", "value": "1"}], addresses=[address])])
    store.customers.create_addresses([{**ADDRESS, "customer_id": 1, "city": "York",
                                       "form_fields": [{"name": "G", "value": "3"}]}])  # fmt: skip
    store.customers.delete_addresses([2])
    assert [r.address_id for r in store.customer_form_fields.rows] == [0, 1]
    store.customers.delete_customers([1])
    assert len(store.customer_form_fields.rows) == 0


def test_upsert_form_field_values_for_customers_and_addresses(store):
    store.customers.create_customers([person(1, addresses=[ADDRESS])])
    written = store.customer_form_fields.upsert_values(
        [{"customer_id": 1, "name": "Rep", "value": "M"}, {"address_id": 1, "name": "Gate", "value": "7"}]
    )
    assert [(r.customer_id, r.address_id, r.name) for r in written] == [(1, 0, "Rep"), (0, 1, "Gate")]


@pytest.mark.parametrize(
    ("item", "text"),
    [
        ({"customer_id": 5, "name": "Rep", "value": "M"}, "customer id(s) [5] not found"),
        ({"address_id": 5, "name": "Rep", "value": "M"}, "address id(s) [5] not found"),
    ],
)
def test_upsert_form_field_values_needs_an_existing_owner(store, item, text):
    with pytest.raises(FormFieldValuesFailed) as caught:
        store.customer_form_fields.upsert_values([item])
    assert caught.value.errors == {".form_field_value_upsert": f"Error upserting form field values: {text}"}


def test_upsert_form_field_values_schema(store):
    with pytest.raises(InvalidJSON) as caught:
        store.customer_form_fields.upsert_values([{"name": "Rep", "value": "M"}, {"customer_id": 1, "address_id": 2,
                                                                                  "value": "x"}])  # fmt: skip
    assert caught.value.errors == {
        "[0].customer_id": "error.path.missing",
        "[1].customer_id": "error.invalid",
        "[1].name": "error.path.missing",
    }


def test_search_form_field_values_by_type(store):
    store.customers.create_customers([person(1, form_fields=[{"name": "A", "value": "t"}, {"name": "B", "value": 3},
                                                             {"name": "C", "value": ["x"]}])])  # fmt: skip
    search = store.customer_form_fields.search_values
    assert [r.name for r in search(Listing([Condition("field_type", "eq", "numbers")])).items] == ["B"]
    assert [r.name for r in search(Listing([Condition("field_type", "eq", "checkboxes")])).items] == ["C"]
    assert [r.name for r in search(Listing([Condition("name", "eq", "A")])).items] == ["A"]


# consent
def test_consent_defaults_to_essential_only(store):
    store.customers.create_customers([person(1)])
    assert store.customers.get_consent(1) == (("essential",), ())


def test_set_consent_keeps_essential_allowed(store):
    store.customers.create_customers([person(1)])
    assert store.customers.set_consent(1, {"allow": ["analytics"], "deny": ["targeting"]}) == (
        ("essential", "analytics"), ("targeting",),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"allow": "all"}, {"allow": "error.expected.jsarray"}),
        ({"allow": ["cookies"]}, {"allow[0]": "error.expected.validenumvalue"}),
        ({"deny": ["analytics", "analytics"]}, {"deny": "error.unique"}),
        ({"allow": ["analytics"], "deny": ["analytics"]}, {"deny": "error.consent.conflict"}),
        ({"deny": ["essential"]}, {"deny": "error.consent.essential"}),
    ],
)
def test_set_consent_refuses_bad_lists(store, body, errors):
    store.customers.create_customers([person(1)])
    with pytest.raises(InvalidJSON) as caught:
        store.customers.set_consent(1, body)
    assert caught.value.errors == errors


def test_consent_of_an_unknown_customer_is_not_found(store):
    with pytest.raises(ResourceNotFound):
        store.customers.get_consent(1)


def test_consent_goes_with_the_customer(store):
    store.customers.create_customers([person(1)])
    store.customers.set_consent(1, {"allow": ["functional"]})
    store.customers.delete_customers([1])
    assert store.customers.consents == {}


# credentials
def test_password_is_kept_as_a_salted_hash(store):
    customer = store.customers.create_customers([person(1, authentication={"new_password": "s3cret!"})])[0]
    assert "s3cret" not in customer.password_hash
    assert store.customers.password_matches(customer, "s3cret!")
    assert not store.customers.password_matches(customer, "S3cret!")


def test_validate_credentials(store):
    store.customers.create_customers([person(1, authentication={"new_password": "pw1"})])
    check = store.customers.validate_credentials
    assert check({"email": "USER1@example.com", "password": "pw1"}) == 1
    assert check({"email": "user1@example.com", "password": "pw2"}) is None
    assert check({"email": "nobody@example.com", "password": "pw1"}) is None


def test_validate_credentials_after_a_password_change(store):
    store.customers.create_customers([person(1, authentication={"new_password": "old"})])
    store.customers.update_customers([{"id": 1, "authentication": {"new_password": "new"}}])
    assert store.customers.validate_credentials({"email": "user1@example.com", "password": "new"}) == 1
    assert store.customers.validate_credentials({"email": "user1@example.com", "password": "old"}) is None


def test_validate_credentials_without_a_password_set_is_never_valid(store):
    store.customers.create_customers([person(1)])
    assert store.customers.validate_credentials({"email": "user1@example.com", "password": ""}) is None


def test_validate_credentials_respects_the_customers_channels(store):
    store.channels.add_channel({"name": "Shop2", "type": "storefront", "platform": "next"})
    store.customers.create_customers([person(1, channel_ids=[2], authentication={"new_password": "pw"})])
    check = store.customers.validate_credentials
    assert check({"email": "user1@example.com", "password": "pw", "channel_id": 2}) == 1
    assert check({"email": "user1@example.com", "password": "pw"}) is None  # channel 1 by default
    assert check({"email": "user1@example.com", "password": "pw", "channel_id": 9}) is None


def test_validate_credentials_schema(store):
    with pytest.raises(InvalidJSON) as caught:
        store.customers.validate_credentials({"password": 5, "channel_id": "1"})
    assert caught.value.errors == {
        "email": "error.path.missing",
        "password": "error.expected.jsstring",
        "channel_id": "error.expected.jsnumber",
    }


def test_validate_credentials_is_rate_limited_per_email(store, fake):
    fake.clock.freeze(1000)
    for _ in range(10):
        store.customers.validate_credentials({"email": "a@example.com", "password": "x"})
    with pytest.raises(CredentialChecksExceeded) as caught:
        store.customers.validate_credentials({"email": "A@example.com", "password": "x"})
    assert caught.value.retry_after_seconds == 60
    assert store.customers.validate_credentials({"email": "b@example.com", "password": "x"}) is None
    fake.clock.advance(60)
    assert store.customers.validate_credentials({"email": "a@example.com", "password": "x"}) is None
