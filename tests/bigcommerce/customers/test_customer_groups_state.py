"""CustomerGroupState without HTTP: validation, single flags, unique names, deletion unassigning customers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefake.bigcommerce.errors import (
    CreateCustomersFailed,
    CustomerGroupNameTaken,
    FieldInvalid,
    FieldReadOnly,
    RequiredFieldMissing,
    ResourceNotFound,
    UpdateCustomersFailed,
)
from storefake.bigcommerce.state.customer_groups import GroupListing
from storefake.filtering import Condition


def person(n: int, **extra):
    return {"email": f"user{n}@example.com", "first_name": "F", "last_name": f"L{n}", **extra}


def test_create_group_defaults(store):
    group = store.customer_groups.create_group({"name": "  Wholesale "})
    assert (group.id, group.name, group.is_default, group.is_group_for_guests) == (1, "Wholesale", False, False)
    assert (group.access_type, group.categories, group.discount_rules) == ("all", (), ())


def test_create_group_keeps_rules_with_decimal_amounts(store):
    rules = [{"type": "all", "method": "percent", "amount": "2.5"}, {"type": "category", "category_id": 7,
             "method": "price", "amount": 12}]  # fmt: skip
    group = store.customer_groups.create_group({"name": "G", "discount_rules": rules})
    assert group.discount_rules == (
        {"type": "all", "method": "percent", "amount": Decimal("2.5")},
        {"type": "category", "method": "price", "amount": Decimal("12"), "category_id": 7},
    )


def test_create_group_single_rule_object_is_a_list_of_one(store):
    group = store.customer_groups.create_group(
        {"name": "G", "discount_rules": {"type": "all", "method": "fixed", "amount": 5}}
    )
    assert len(group.discount_rules) == 1


@pytest.mark.parametrize(
    ("body", "error", "text"),
    [
        ({}, RequiredFieldMissing, "The required field 'name' was not supplied."),
        ({"name": " "}, FieldInvalid, "The field 'name' is invalid."),
        ({"name": 5}, FieldInvalid, "The field 'name' is invalid."),
        ({"name": "G", "is_default": "yes"}, FieldInvalid, "The field 'is_default' is invalid."),
        ({"name": "G", "category_access": {"type": "some"}}, FieldInvalid, "The field 'category_access' is invalid."),
        (
            {"name": "G", "category_access": {"type": "specific"}},
            FieldInvalid,
            "The field 'category_access.categories' is invalid.",
        ),
        (
            {"name": "G", "discount_rules": [{"type": "sitewide"}]},
            FieldInvalid,
            "The field 'discount_rules.type' is invalid.",
        ),
        (
            {"name": "G", "discount_rules": [{"type": "all", "method": "half", "amount": 1}]},
            FieldInvalid,
            "The field 'discount_rules.method' is invalid.",
        ),
        (
            {"name": "G", "discount_rules": [{"type": "all", "method": "percent", "amount": -1}]},
            FieldInvalid,
            "The field 'discount_rules.amount' is invalid.",
        ),
        (
            {"name": "G", "discount_rules": [{"type": "product", "method": "percent", "amount": 1}]},
            FieldInvalid,
            "The field 'discount_rules.product_id' is invalid.",
        ),
        (
            {
                "name": "G",
                "discount_rules": [
                    {"type": "price_list", "price_list_id": 1},
                    {"type": "all", "method": "percent", "amount": 1},
                ],
            },
            FieldInvalid,
            "The field 'discount_rules' is invalid.",
        ),
        (
            {"name": "G", "discount_rules": [{"type": "all", "method": "percent", "amount": 1}] * 2},
            FieldInvalid,
            "The field 'discount_rules' is invalid.",
        ),
        (
            {"name": "G", "id": 5},
            FieldReadOnly,
            "The field 'id' cannot be written to. Please remove it from your request before trying again.",
        ),
        ([{"name": "G"}], FieldInvalid, "The field 'body' is invalid."),
    ],
)
def test_create_group_refuses_bad_bodies(store, body, error, text):
    with pytest.raises(error) as caught:
        store.customer_groups.create_group(body)
    assert caught.value.render_text() == text
    assert store.customer_groups.count_groups() == 0


def test_group_names_are_unique_case_insensitively(store):
    store.customer_groups.create_group({"name": "Retail"})
    with pytest.raises(CustomerGroupNameTaken) as caught:
        store.customer_groups.create_group({"name": "RETAIL"})
    assert caught.value.render_text() == "A customer group with the name 'RETAIL' already exists."


def test_update_group_may_keep_its_own_name(store):
    store.customer_groups.create_group({"name": "Retail"})
    assert store.customer_groups.update_group(1, {"name": "retail"}).name == "retail"


def test_update_group_replaces_the_rules_wholesale(store, fake):
    fake.clock.freeze(1000)
    store.customer_groups.create_group({"name": "G", "discount_rules": [{"type": "all", "method": "percent",
                                                                         "amount": 5}]})  # fmt: skip
    fake.clock.advance(10)
    group = store.customer_groups.update_group(1, {"discount_rules": [{"type": "price_list", "price_list_id": 3}]})
    assert group.discount_rules == ({"type": "price_list", "price_list_id": 3},)
    assert (group.date_created, group.date_modified) == (1000, 1010)


def test_update_group_unknown_is_not_found(store):
    with pytest.raises(ResourceNotFound):
        store.customer_groups.update_group(5, {"name": "x"})


def test_only_one_default_and_one_guest_group(store):
    store.customer_groups.create_group({"name": "A", "is_default": True, "is_group_for_guests": True})
    store.customer_groups.create_group({"name": "B", "is_default": True})
    store.customer_groups.update_group(1, {"name": "A2"})
    groups = {g.id: g for g in store.customer_groups.groups}
    assert (groups[1].is_default, groups[2].is_default) == (False, True)
    assert groups[1].is_group_for_guests is True
    assert store.customer_groups.default_group_id() == 2


def test_search_groups_by_name_like_and_flag(store):
    for name in ("Wholesale", "Retail", "Wholesale EU"):
        store.customer_groups.create_group({"name": name, "is_default": name == "Retail"})
    like = store.customer_groups.search_groups(GroupListing([Condition("name", "like", "%sale%")]))
    assert [g.name for g in like.items] == ["Wholesale", "Wholesale EU"]
    flagged = store.customer_groups.search_groups(GroupListing([Condition("is_default", "eq", True)]))
    assert [g.id for g in flagged.items] == [2]


def test_new_customers_join_the_default_group(store):
    store.customer_groups.create_group({"name": "Retail", "is_default": True})
    created = store.customers.create_customers([person(1), person(2, customer_group_id=0)])
    assert [c.customer_group_id for c in created] == [1, 0]


def test_create_customers_with_an_unknown_group_is_refused(store):
    with pytest.raises(CreateCustomersFailed) as caught:
        store.customers.create_customers([person(1, customer_group_id=4), person(2, customer_group_id=3)])
    assert caught.value.errors == {
        ".customer_create": "Error creating customers: customer group id(s) [3, 4] not found"
    }
    assert len(store.customers.customers) == 0


def test_update_customers_with_an_unknown_group_is_refused(store):
    store.customers.create_customers([person(1)])
    with pytest.raises(UpdateCustomersFailed) as caught:
        store.customers.update_customers([{"id": 1, "customer_group_id": 9}])
    assert caught.value.errors == {".customer_update": "Error updating customers: customer group id(s) [9] not found"}


def test_delete_group_unassigns_its_customers(store, events):
    store.customer_groups.create_group({"name": "G"})
    store.customers.create_customers([person(1, customer_group_id=1), person(2)])
    events.clear()
    store.customer_groups.delete_group(1)
    assert [c.customer_group_id for c in store.customers.customers] == [0, 0]
    assert store.customers.customers.ids_for("customer_group_id", 1) == ()
    assert events == []


def test_delete_group_unknown_is_not_found(store):
    with pytest.raises(ResourceNotFound):
        store.customer_groups.delete_group(1)


def test_delete_all_groups(store):
    for name in ("A", "B"):
        store.customer_groups.create_group({"name": name})
    store.customers.create_customers([person(1, customer_group_id=2)])
    assert store.customer_groups.delete_all_groups() == 2
    assert store.customer_groups.count_groups() == 0
    assert store.customers.get_customer(1).customer_group_id == 0


def test_ids_are_never_reused(store):
    store.customer_groups.create_group({"name": "A"})
    store.customer_groups.delete_group(1)
    assert store.customer_groups.create_group({"name": "B"}).id == 2


def test_seed_keeps_ids_before_customers_use_them(store):
    counts = store.seed({"customer_groups": [{"id": 7, "name": "VIP"}], "customers": [person(1, customer_group_id=7)]})
    assert counts["customer_groups"] == 1
    assert store.customers.get_customer(1).customer_group_id == 7
