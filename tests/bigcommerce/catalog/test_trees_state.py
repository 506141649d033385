"""Category trees in TaxonomyState (no HTTP): trees per channel, tree categories, one model with the classic API."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import (
    CategoryInUse,
    DuplicateCategoryName,
    FilterRequired,
    InvalidJSON,
    ResourceNotFound,
    TreeBatchTooLarge,
)
from storefake.filtering import Condition


@pytest.fixture
def taxonomy(catalog):
    return catalog.taxonomy


@pytest.fixture
def second_channel(store):
    return store.channels.add_channel({"id": 2, "name": "Marketplace", "type": "marketplace", "platform": "ebay"})


def test_tree_1_serves_channel_1_from_the_start(taxonomy):
    [tree] = taxonomy.list_trees().items
    assert (tree.id, tree.channels) == (1, (1,))


def test_classic_categories_are_in_tree_1(taxonomy):
    category = taxonomy.create_category({"name": "Shop All", "parent_id": 0})
    assert category.tree_id == 1
    assert "tree_id" not in category.fields  # the default tree costs nothing per category
    assert [c.id for c in taxonomy.list_tree_categories([Condition("tree_id", "in", [1])]).items] == [category.id]


def test_create_a_tree_for_another_channel(taxonomy, second_channel, events):
    [tree] = taxonomy.upsert_trees([{"name": "eBay", "channels": [second_channel.id]}])
    assert (tree.id, tree.name, tree.channels) == (2, "eBay", (2,))
    assert events == [("store/channel/2/categoryTree/updated", {"tree_id": 2})]


def test_a_channel_has_one_tree(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.upsert_trees([{"name": "Again", "channels": [1]}])
    assert caught.value.errors == {"0.channel_ids": "Channel 1 already has a category tree"}


def test_a_tree_needs_an_existing_channel(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.upsert_trees([{"name": "Nowhere", "channels": [77]}])
    assert caught.value.errors == {"0.channel_ids": "Channel 77 does not exist"}


def test_a_new_tree_needs_name_and_channels(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.upsert_trees([{"channels": [1]}, {}])
    assert caught.value.errors == {"0.name": "error.path.missing"}


def test_a_tree_update_renames_but_keeps_its_channel(taxonomy):
    assert taxonomy.upsert_trees([{"id": 1, "name": "Main"}])[0].name == "Main"
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.upsert_trees([{"id": 1, "channels": [2]}])
    assert caught.value.errors == {"0.channel_ids": "Channel cannot be updated"}


def test_tree_batch_limit_is_50(taxonomy):
    with pytest.raises(TreeBatchTooLarge) as caught:
        taxonomy.upsert_trees([{"id": 1}] * 51)
    assert str(caught.value) == "The request payload is too large. The maximum trees allowed in the array is 50."


def test_top_level_names_are_unique_per_tree(taxonomy, second_channel):
    taxonomy.upsert_trees([{"name": "eBay", "channels": [second_channel.id]}])
    taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 1}])
    [other] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 2}])
    assert other.tree_id == 2
    with pytest.raises(DuplicateCategoryName) as caught:
        taxonomy.create_tree_categories([{"name": "bath", "tree_id": 2}])
    assert caught.value.errors == {"0.name": "The category name is a duplicate"}


def test_a_batch_with_one_bad_item_creates_nothing(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.create_tree_categories([{"name": "Good", "tree_id": 1}, {"name": "Bad"}])
    assert caught.value.errors == {"1.tree_id": "error.path.missing"}
    assert len(taxonomy.categories) == 0


def test_a_batch_repeating_a_name_creates_nothing(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.create_tree_categories([{"name": "Same", "tree_id": 1}, {"name": "same", "tree_id": 1}])
    assert caught.value.errors == {"1.name": "error.duplicate"}
    assert len(taxonomy.categories) == 0


def test_a_child_joins_its_parents_tree(taxonomy, second_channel):
    taxonomy.upsert_trees([{"name": "eBay", "channels": [second_channel.id]}])
    [parent] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 2}])
    [child] = taxonomy.create_tree_categories([{"name": "Towels", "parent_id": parent.id}])
    assert child.tree_id == 2
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.create_tree_categories([{"name": "Soap", "parent_id": parent.id, "tree_id": 1}])
    assert caught.value.errors == {"0.tree_id": "error.parentInAnotherTree"}


def test_category_view_of_another_tree_has_no_tree_id(taxonomy, second_channel):
    taxonomy.upsert_trees([{"name": "eBay", "channels": [second_channel.id]}])
    [bath] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 2}])
    assert "tree_id" not in taxonomy.category_view(bath)
    assert taxonomy.tree_category_view(bath)["tree_id"] == 2


def test_an_unknown_tree_is_refused(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 9}])
    assert caught.value.errors == {"0.tree_id": "error.notFound"}


def test_url_path_may_not_be_empty(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 1, "url": {"path": ""}}])
    assert caught.value.errors == {"0.url": "Url is required and can't be empty"}


def test_category_events_name_the_channels_of_the_tree(taxonomy, events):
    [category] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 1}])
    assert events == [
        ("store/category/created", {"type": "category", "id": category.id}),
        ("store/channel/1/category/created", {"category_id": category.id, "tree_id": 1}),
    ]


def test_update_tree_categories_checks_names_after_the_whole_batch(taxonomy):
    a, b = taxonomy.create_tree_categories([{"name": "A", "tree_id": 1}, {"name": "B", "tree_id": 1}])
    taxonomy.update_tree_categories([{"category_id": a.id, "name": "B"}, {"category_id": b.id, "name": "A"}])
    assert (taxonomy.get_category(a.id).value("name"), taxonomy.get_category(b.id).value("name")) == ("B", "A")
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.update_tree_categories([{"category_id": a.id, "name": "C"}, {"category_id": b.id, "name": "c"}])
    assert caught.value.errors == {"1.name": "error.duplicate"}


def test_update_tree_categories_unknown_id(taxonomy):
    with pytest.raises(InvalidJSON) as caught:
        taxonomy.update_tree_categories([{"category_id": 404, "name": "X"}])
    assert caught.value.errors == {"0.category_id": "error.notFound"}


def test_tree_nodes_nest_with_depth_and_path(taxonomy):
    [parent] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 1}])
    [child] = taxonomy.create_tree_categories([{"name": "Towels", "parent_id": parent.id}])
    [node] = taxonomy.tree_nodes(1)
    assert (node["depth"], node["path"], node["url"]) == (1, [parent.id], "/bath/")
    assert node["children"][0] | {"children": []} == {
        "id": child.id,
        "parent_id": parent.id,
        "depth": 2,
        "path": [parent.id, child.id],
        "name": "Towels",
        "is_visible": True,
        "children": [],
        "url": "/bath/towels/",
    }
    assert taxonomy.tree_nodes(1, depth=1)[0]["children"] == []


def test_unknown_tree_nodes_are_not_found(taxonomy):
    with pytest.raises(ResourceNotFound):
        taxonomy.tree_nodes(9)


def test_category_uuid_maps_back_to_its_id(taxonomy, fake):
    [category] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 1}])
    text = taxonomy.category_uuid(category.id)
    assert taxonomy.category_id_of_uuid(text) == category.id
    other = fake.bigcommerce.stores.get("def456").catalog.taxonomy
    assert other.category_id_of_uuid(text) is None  # another store's prefix
    assert taxonomy.category_id_of_uuid("not-a-uuid") is None


def test_delete_tree_categories_needs_a_filter(taxonomy):
    with pytest.raises(FilterRequired):
        taxonomy.delete_tree_categories([])


def test_delete_a_tree_deletes_its_categories(taxonomy, second_channel, events):
    taxonomy.upsert_trees([{"name": "eBay", "channels": [second_channel.id]}])
    [category] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 2}])
    events.clear()
    taxonomy.delete_trees([2])
    assert taxonomy.list_trees().total == 1
    assert category.id not in taxonomy.categories
    assert ("store/channel/2/categoryTree/updated", {"tree_id": 2}) in events


def test_delete_a_tree_whose_category_holds_products_is_refused(taxonomy, catalog):
    [category] = taxonomy.create_tree_categories([{"name": "Bath", "tree_id": 1}])
    catalog.create_product({"name": "Towel", "type": "physical", "price": 1, "weight": 1, "categories": [category.id]})
    with pytest.raises(CategoryInUse):
        taxonomy.delete_trees([1])
    assert 1 in taxonomy.trees
