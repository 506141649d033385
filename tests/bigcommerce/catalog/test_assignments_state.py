"""Product channel and category assignments in CatalogState (no HTTP)."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import AssignmentFilterRequired, InvalidJSON, TooManyProductCategories
from storefake.filtering import Condition


def widget(name="Widget", **extra):
    return {"name": name, "type": "physical", "price": 10, "weight": 1, **extra}


@pytest.fixture
def channels(store):
    """Channels 2 and 3 besides the storefront."""
    for channel_id in (2, 3):
        store.channels.add_channel(
            {"id": channel_id, "name": f"Shop {channel_id}", "type": "marketplace", "platform": "ebay"}
        )
    return store.channels


@pytest.fixture
def products(catalog):
    return [catalog.create_product(widget(f"Widget {n}")) for n in range(1, 6)]


def pairs(selection):
    return list(selection.items)


# channel assignments
def test_a_new_product_is_on_the_storefront_channel_without_a_record(catalog, products):
    assert catalog.channels_of(products[0].id) == (1,)
    assert len(catalog.product_channels) == 0  # products that never meet the endpoints cost nothing


def test_assign_channels_adds_and_announces(catalog, products, channels, events):
    events.clear()
    catalog.create_channel_assignments(
        [{"product_id": products[0].id, "channel_id": 2}, {"product_id": products[0].id, "channel_id": 1}]
    )
    assert catalog.channels_of(products[0].id) == (1, 2)
    assert events == [("store/channel/2/product/assigned", {"product_id": products[0].id})]


def test_assign_channels_checks_every_item_first(catalog, products, channels):
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_channel_assignments(
            [{"product_id": products[0].id, "channel_id": 2}, {"product_id": products[1].id, "channel_id": 9}]
        )
    assert caught.value.errors == {"1.channel_id": "Channel 9 does not exist"}
    assert catalog.channels_of(products[0].id) == (1,)


def test_assign_channels_unknown_product(catalog, channels):
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_channel_assignments([{"product_id": 999, "channel_id": 2}])
    assert caught.value.errors == {"0.product_id": "Product 999 does not exist"}


@pytest.mark.parametrize(
    ("item", "errors"),
    [
        ({"channel_id": 2}, {"0.product_id": "error.path.missing"}),
        ({"product_id": "1", "channel_id": 2}, {"0.product_id": "error.expected.jsnumber"}),
        ({"product_id": 1, "channel_id": True}, {"0.channel_id": "error.expected.jsnumber"}),
        ([1, 2], {"0": "error.expected.jsobject"}),
    ],
)
def test_assign_channels_item_shape(catalog, products, item, errors):
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_channel_assignments([item])
    assert caught.value.errors == errors


def test_unassign_channels_needs_a_filter(catalog):
    with pytest.raises(AssignmentFilterRequired):
        catalog.delete_channel_assignments(None, None)


def test_unassign_the_storefront_keeps_a_record_and_announces(catalog, products, events):
    events.clear()
    catalog.delete_channel_assignments([products[1].id], [1])
    assert catalog.channels_of(products[1].id) == ()
    assert events == [("store/channel/1/product/unassigned", {"product_id": products[1].id})]
    catalog.create_channel_assignments([{"product_id": products[1].id, "channel_id": 1}])
    assert len(catalog.product_channels) == 0  # back to the default: the record goes


def test_list_channel_assignments_in_product_then_channel_order(catalog, products, channels):
    catalog.create_channel_assignments(
        [{"product_id": products[1].id, "channel_id": 3}, {"product_id": products[1].id, "channel_id": 2}]
    )
    catalog.delete_channel_assignments([products[3].id], None)
    expected = [(p.id, 1) for p in products[:2]] + [(products[1].id, 2), (products[1].id, 3), (products[2].id, 1)]
    expected += [(products[4].id, 1)]
    assert pairs(catalog.list_channel_assignments()) == expected
    assert catalog.list_channel_assignments().total == 6


@pytest.mark.parametrize("offset", range(7))
def test_list_channel_assignments_pages_match_the_whole_list(catalog, products, channels, offset):
    catalog.create_channel_assignments(
        [{"product_id": products[1].id, "channel_id": 3}, {"product_id": products[1].id, "channel_id": 2}]
    )
    catalog.create_channel_assignments([{"product_id": products[3].id, "channel_id": 2}])
    catalog.delete_channel_assignments([products[2].id, products[3].id], [1])
    whole = pairs(catalog.list_channel_assignments())
    page = catalog.list_channel_assignments(offset=offset, limit=2)
    assert (page.items, page.total) == (whole[offset : offset + 2], len(whole))


def test_list_channel_assignments_filters(catalog, products, channels):
    catalog.create_channel_assignments([{"product_id": products[1].id, "channel_id": 2}])
    assert pairs(catalog.list_channel_assignments(channel_ids=[2])) == [(products[1].id, 2)]
    assert pairs(catalog.list_channel_assignments([products[1].id, 999])) == [(products[1].id, 1), (products[1].id, 2)]
    assert catalog.list_channel_assignments(channel_ids=[1, 2]).total == 6


def test_products_filtered_by_channel(catalog, products, channels):
    catalog.create_channel_assignments([{"product_id": products[1].id, "channel_id": 2}])
    catalog.delete_channel_assignments([products[0].id], [1])
    on_2 = catalog.list_products([Condition("channel_id", "in", [2])]).items
    on_1 = catalog.list_products([Condition("channel_id", "in", [1])]).items
    assert [p.id for p in on_2] == [products[1].id]
    assert [p.id for p in on_1] == [p.id for p in products[1:]]


def test_deleting_a_product_drops_its_channels(catalog, products):
    catalog.delete_channel_assignments([products[0].id], None)
    catalog.delete_product(products[0].id)
    assert len(catalog.product_channels) == 0


# category assignments
@pytest.fixture
def categories(catalog):
    return [catalog.taxonomy.create_category({"name": name, "parent_id": 0}) for name in ("Bath", "Kitchen")]


def test_assign_categories_sets_the_products_categories(catalog, products, categories, events):
    events.clear()
    catalog.create_category_assignments([{"product_id": products[0].id, "category_id": categories[1].id}])
    assert catalog.get_product(products[0].id).categories == [categories[1].id]
    data = {"product_id": products[0].id, "category_id": categories[1].id}
    assert events == [("store/channel/1/category/product/assigned", data)]


def test_assign_categories_unknown_category(catalog, products):
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_category_assignments([{"product_id": products[0].id, "category_id": 77}])
    assert caught.value.errors == {"0.category_id": "Category 77 does not exist"}


def test_assign_categories_limit_is_1000(catalog, products, monkeypatch, categories):
    monkeypatch.setattr("storefake.bigcommerce.state.catalog_assignments.MAX_PRODUCT_CATEGORIES", 1)
    catalog.create_category_assignments([{"product_id": products[0].id, "category_id": categories[0].id}])
    with pytest.raises(TooManyProductCategories) as caught:
        catalog.create_category_assignments([{"product_id": products[0].id, "category_id": categories[1].id}])
    assert caught.value.errors == {"0.category_id": "error.max"}


def test_list_category_assignments_in_product_then_category_order(catalog, products, categories):
    bath, kitchen = categories
    catalog.create_category_assignments(
        [
            {"product_id": products[2].id, "category_id": kitchen.id},
            {"product_id": products[0].id, "category_id": kitchen.id},
            {"product_id": products[0].id, "category_id": bath.id},
        ]
    )
    whole = [(products[0].id, bath.id), (products[0].id, kitchen.id), (products[2].id, kitchen.id)]
    assert pairs(catalog.list_category_assignments()) == whole
    assert pairs(catalog.list_category_assignments(offset=1, limit=1)) == whole[1:2]
    assert pairs(catalog.list_category_assignments(category_ids=[kitchen.id])) == [whole[1], whole[2]]
    assert pairs(catalog.list_category_assignments([products[0].id], [bath.id])) == whole[:1]


def test_unassign_categories(catalog, products, categories, events):
    bath, kitchen = categories
    catalog.create_category_assignments([{"product_id": products[0].id, "category_id": c.id} for c in categories])
    events.clear()
    catalog.delete_category_assignments(None, [bath.id])
    assert catalog.get_product(products[0].id).categories == [kitchen.id]
    assert events == [
        ("store/channel/1/category/product/unassigned", {"product_id": products[0].id, "category_id": bath.id})
    ]
    with pytest.raises(AssignmentFilterRequired):
        catalog.delete_category_assignments(None, None)
