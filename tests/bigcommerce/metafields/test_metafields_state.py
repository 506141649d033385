"""MetafieldState without HTTP: one module for every owner type, its rules, batches and owner deletion."""

from __future__ import annotations

import threading

import pytest

from storefake.bigcommerce.errors import (
    MetafieldConflict,
    MetafieldForbidden,
    MetafieldInvalid,
    MetafieldLimitReached,
    MetafieldNotFound,
    ResourceNotFound,
)
from storefake.bigcommerce.state.metafields import MAX_PER_RESOURCE, MetafieldListing, Owner, check_fields

ME, OTHER = "client-a", "client-b"
PRODUCT = {"name": "Mug", "type": "physical", "weight": 1, "price": 5}


def field(key="location", permission_set="app_only", **extra):
    return {"namespace": "Warehouse", "key": key, "value": "4HG", "permission_set": permission_set, **extra}


@pytest.fixture
def product(store):
    return store.catalog.create_product(dict(PRODUCT))


@pytest.fixture
def mf(store):
    return store.metafields


def owners(store, product):
    """One owner of each type, all existing."""
    variant_id = product.base_variant_id
    category = store.catalog.taxonomy.create_category({"name": "Cat", "parent_id": 0})
    brand = store.catalog.taxonomy.create_brand({"name": "Acme"})
    customer = store.customers.create_customers([{"email": "a@example.com", "first_name": "A", "last_name": "B"}])[0]
    order = store.orders.create_order(
        {"billing_address": {"zip": "78751"}, "products": [{"name": "X", "quantity": 1, "price_inc_tax": 1}]}
    )
    return [
        Owner("product", product.id),
        Owner("variant", variant_id, product.id),
        Owner("category", category.id),
        Owner("brand", brand.id),
        Owner("customer", customer.id),
        Owner("order", order.id),
    ]


def test_check_fields_requires_the_four_fields_on_create():
    with pytest.raises(MetafieldInvalid) as caught:
        check_fields({}, creating=True)
    assert caught.value.errors == {
        "permission_set": "error.path.missing",
        "namespace": "error.path.missing",
        "key": "error.path.missing",
        "value": "error.path.missing",
    }


def test_check_fields_lengths_follow_the_spec():
    assert check_fields(field(key="k" * 64, namespace="n" * 64), creating=True)["key"] == "k" * 64
    with pytest.raises(MetafieldInvalid) as caught:
        check_fields(field(key="k" * 65, namespace="", description="d" * 256), creating=True)
    assert caught.value.errors == {
        "key": "error.maxLength",
        "namespace": "error.minLength",
        "description": "error.maxLength",
    }


def test_check_fields_refuses_an_unknown_permission_set():
    with pytest.raises(MetafieldInvalid) as caught:
        check_fields(field(permission_set="public"), creating=True)
    assert caught.value.errors == {"permission_set": "error.expected.validenumvalue"}


def test_create_metafield_on_every_owner_type(store, product, mf):
    for owner in owners(store, product):
        created = mf.create_metafield(owner, field(), ME)
        assert (created.resource_type, created.resource_id, created.owner_client_id) == (
            owner.resource_type,
            owner.resource_id,
            ME,
        )
    assert len(mf.metafields) == 6


def test_create_metafield_unknown_owner_is_not_found(mf):
    with pytest.raises(ResourceNotFound):
        mf.create_metafield(Owner("product", 999), field(), ME)


def test_create_metafield_variant_of_another_product_is_not_found(store, product, mf):
    other = store.catalog.create_product({**PRODUCT, "name": "Plate"})
    with pytest.raises(ResourceNotFound):
        mf.create_metafield(Owner("variant", product.base_variant_id, other.id), field(), ME)


def test_same_namespace_and_key_on_one_resource_conflicts(product, mf):
    owner = Owner("product", product.id)
    mf.create_metafield(owner, field(), ME)
    with pytest.raises(MetafieldConflict):
        mf.create_metafield(owner, field(value="other"), ME)


def test_same_namespace_and_key_is_free_for_another_client_or_resource(store, product, mf):
    mf.create_metafield(Owner("product", product.id), field(), ME)
    mf.create_metafield(Owner("product", product.id), field(), OTHER)
    second = store.catalog.create_product({**PRODUCT, "name": "Plate"})
    mf.create_metafield(Owner("product", second.id), field(), ME)
    assert len(mf.metafields) == 3


def test_app_only_metafields_are_hidden_from_other_clients(product, mf):
    owner = Owner("product", product.id)
    private = mf.create_metafield(owner, field(), ME)
    shared = mf.create_metafield(owner, field(key="shared", permission_set="read"), ME)
    seen = mf.list_metafields("product", owner, OTHER, MetafieldListing())
    assert [m.id for m in seen.items] == [shared.id]
    with pytest.raises(MetafieldNotFound):
        mf.get_metafield(owner, private.id, OTHER)


def test_read_metafields_refuse_other_clients_writes(product, mf):
    owner = Owner("product", product.id)
    shared = mf.create_metafield(owner, field(permission_set="read_and_sf_access"), ME)
    with pytest.raises(MetafieldForbidden) as caught:
        mf.update_metafield(owner, shared.id, {"value": "x"}, OTHER)
    assert caught.value.render_text() == "Unauthorized to update"
    with pytest.raises(MetafieldForbidden):
        mf.delete_metafield(owner, shared.id, OTHER)


def test_write_metafields_take_other_clients_writes(product, mf):
    owner = Owner("product", product.id)
    shared = mf.create_metafield(owner, field(permission_set="write"), ME)
    assert mf.update_metafield(owner, shared.id, {"value": "changed"}, OTHER).value == "changed"
    mf.delete_metafield(owner, shared.id, OTHER)
    assert len(mf.metafields) == 0


def test_update_metafield_into_a_taken_key_conflicts(product, mf):
    owner = Owner("product", product.id)
    mf.create_metafield(owner, field(key="a"), ME)
    second = mf.create_metafield(owner, field(key="b"), ME)
    with pytest.raises(MetafieldConflict):
        mf.update_metafield(owner, second.id, {"key": "a"}, ME)


def test_update_metafield_moves_date_modified(fake, product, mf):
    owner = Owner("product", product.id)
    fake.clock.freeze(1_700_000_000)
    created = mf.create_metafield(owner, field(), ME)
    fake.clock.advance(60)
    updated = mf.update_metafield(owner, created.id, {"description": "where"}, ME)
    assert (updated.date_created, updated.date_modified, updated.description) == (1_700_000_000, 1_700_000_060, "where")


def test_metafield_of_another_resource_is_not_found(store, product, mf):
    created = mf.create_metafield(Owner("product", product.id), field(), ME)
    second = store.catalog.create_product({**PRODUCT, "name": "Plate"})
    with pytest.raises(MetafieldNotFound):
        mf.get_metafield(Owner("product", second.id), created.id, ME)


def test_limit_is_per_resource_and_client(product, mf, monkeypatch):
    monkeypatch.setattr("storefake.bigcommerce.state.metafields.MAX_PER_RESOURCE", 2)
    owner = Owner("product", product.id)
    mf.create_metafield(owner, field(key="a"), ME)
    mf.create_metafield(owner, field(key="b"), ME)
    mf.create_metafield(owner, field(key="a"), OTHER)
    with pytest.raises(MetafieldLimitReached) as caught:
        mf.create_metafield(owner, field(key="c"), ME)
    assert caught.value.render_text() == "The maximum of 2 metafields for this resource has been reached."
    assert MAX_PER_RESOURCE == 250


def test_list_metafields_filters_and_directions(product, mf):
    owner = Owner("product", product.id)
    for key, namespace in (("a", "one"), ("b", "two"), ("c", "one")):
        mf.create_metafield(owner, field(key=key, namespace=namespace), ME)
    from storefake.filtering import Condition

    listing = MetafieldListing(conditions=[Condition("namespace", "eq", "one")], descending=True)
    assert [m.key for m in mf.list_metafields("product", owner, ME, listing).items] == ["c", "a"]
    listing = MetafieldListing(conditions=[Condition("key", "in", ["a", "b"])])
    assert [m.key for m in mf.list_metafields("product", owner, ME, listing).items] == ["a", "b"]


def test_list_metafields_pages_by_cursor(product, mf):
    owner = Owner("product", product.id)
    made = [mf.create_metafield(owner, field(key=str(n)), ME) for n in range(5)]
    page = mf.list_metafields("product", owner, ME, MetafieldListing(limit=2, after=made[1].id))
    assert ([m.id for m in page.items], page.has_before, page.has_after) == ([made[2].id, made[3].id], True, True)
    page = mf.list_metafields("product", owner, ME, MetafieldListing(limit=2, before=made[2].id))
    assert ([m.id for m in page.items], page.has_before, page.has_after) == ([made[0].id, made[1].id], False, True)


def test_batch_create_succeeds_item_by_item(product, mf):
    result = mf.create_metafields(
        "product",
        [{**field(), "resource_id": product.id}, {**field(), "resource_id": 999}, field(), {"resource_id": product.id}],
        ME,
    )
    assert [m.key for m in result.done] == ["location"]
    assert result.failures == {
        "1": "The resource with which the metafield is associated does not exist",
        "2": "resource_id: error.path.missing",
        "3": "permission_set: error.path.missing; namespace: error.path.missing; key: error.path.missing; "
        "value: error.path.missing",
    }
    assert result.total == 4


def test_batch_create_repeating_a_key_fails_the_second(product, mf):
    item = {**field(), "resource_id": product.id}
    result = mf.create_metafields("product", [item, item], ME)
    assert (len(result.done), result.failures) == (
        1,
        {"1": "Metafield with the same namespace and key already exists for this resource"},
    )


def test_batch_update_only_touches_its_own_type(store, product, mf):
    category = store.catalog.taxonomy.create_category({"name": "Cat", "parent_id": 0})
    of_category = mf.create_metafield(Owner("category", category.id), field(), ME)
    of_product = mf.create_metafield(Owner("product", product.id), field(), ME)
    result = mf.update_metafields("product", [{"id": of_product.id, "value": "v2"}, {"id": of_category.id}], ME)
    assert [m.value for m in result.done] == ["v2"]
    assert result.failures == {"1": "Metafield does not exist"}


def test_batch_delete_reports_ids_it_could_not_delete(product, mf):
    owner = Owner("product", product.id)
    mine = mf.create_metafield(owner, field(key="a"), ME)
    theirs = mf.create_metafield(owner, field(key="b", permission_set="read"), OTHER)
    result = mf.delete_metafields("product", [mine.id, theirs.id, 404, "x"], ME)
    assert result.done == [mine.id]
    assert result.failures == {
        str(theirs.id): "Unauthorized to delete",
        "404": "Metafield does not exist",
        "x": "Metafield does not exist",
    }


def test_deleting_a_product_deletes_its_and_its_variants_metafields(store, product, mf):
    mf.create_metafield(Owner("product", product.id), field(), ME)
    mf.create_metafield(Owner("variant", product.base_variant_id), field(), ME)
    store.catalog.delete_product(product.id)
    assert len(mf.metafields) == 0


def test_deleting_an_owner_of_each_type_deletes_its_metafields(store, product, mf):
    listed = owners(store, product)
    for owner in listed:
        mf.create_metafield(owner, field(), ME)
    store.catalog.delete_variant(product.id, product.base_variant_id)
    store.catalog.taxonomy.delete_category(listed[2].resource_id)
    store.catalog.taxonomy.delete_brand(listed[3].resource_id)
    store.customers.delete_customers([listed[4].resource_id])
    assert sorted(m.resource_type for m in mf.metafields) == ["order", "product"]


def test_events_name_the_owner_type(events, product, mf):
    owner = Owner("product", product.id)
    created = mf.create_metafield(owner, field(), ME)
    mf.delete_metafield(owner, created.id, ME)
    scoped = [e for e in events if "metafield" in e[0]]
    data = {"metafield_id": created.id, "resource_id": str(product.id), "namespace": "Warehouse"}
    assert scoped == [("store/product/metafield/created", data), ("store/product/metafield/deleted", data)]


def test_customer_metafields_fire_no_events(events, store, product, mf):
    customer = owners(store, product)[4]
    mf.create_metafield(customer, field(), ME)
    assert [e for e in events if "metafield" in e[0]] == []


def test_seed_metafields(fake, store, product):
    counts = fake.bigcommerce.seed(
        {"stores": {"abc123": {"metafields": [{**field(), "resource_type": "product", "resource_id": product.id}]}}}
    )
    assert counts == {"abc123": {"metafields": 1}}
    assert store.metafields.metafields.get(1).owner_client_id == ""


def test_concurrent_creates_of_one_key_let_exactly_one_win(product, mf):
    outcomes: list[str] = []
    barrier = threading.Barrier(16)

    def attempt():
        barrier.wait()
        try:
            mf.create_metafield(Owner("product", product.id), field(), ME)
            outcomes.append("created")
        except MetafieldConflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * 15
