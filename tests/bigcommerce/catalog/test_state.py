"""CatalogState without HTTP: product rules, SKUs, base variants, inventory, categories and brands."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import (
    CategoryInUse,
    DuplicateBrandName,
    DuplicateCategoryName,
    DuplicateProductName,
    DuplicateSku,
    FilterRequired,
    InsufficientStock,
    InvalidJSON,
    InvalidReference,
    MissingRequiredFields,
    ParentCategoryNotFound,
    ResourceNotFound,
)
from storefake.filtering import Condition

from .conftest import HOODIE


def widget(name="Widget", **extra):
    return {"name": name, "type": "physical", "price": 10, "weight": 1, **extra}


def test_create_product_fills_vendor_defaults(catalog):
    product = catalog.create_product(widget())
    view = catalog.product_view(product)
    assert view["inventory_tracking"] == "none"
    assert view["availability"] == "available"
    assert view["condition"] == "New"
    assert view["layout_file"] == "product.html"
    assert view["categories"] == []
    assert view["custom_url"] == {"url": "/widget/", "is_customized": False}
    assert view["base_variant_id"] == product.base_variant_id is not None


def test_create_product_without_required_fields_names_each(catalog):
    with pytest.raises(MissingRequiredFields) as caught:
        catalog.create_product({"sku": "X"})
    assert caught.value.errors == {
        "name": "Please provide a name.",
        "type": "Please provide a type.",
        "weight": "Please provide a weight.",
        "price": "Please provide a price.",
    }


def test_create_product_wrong_types_are_play_json_codes(catalog):
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_product(widget(price="10", is_visible="yes", type="tangible", weight=-1))
    assert caught.value.errors == {
        "price": "error.expected.jsnumber",
        "is_visible": "error.expected.jsboolean",
        "type": "error.expected.validenumvalue",
        "weight": "error.min",
    }


def test_create_product_name_is_unique_case_insensitively(catalog):
    catalog.create_product(widget("Blue Mug"))
    with pytest.raises(DuplicateProductName):
        catalog.create_product(widget(" blue mug "))


def test_create_product_sku_is_unique_across_products_and_variants(catalog):
    first = catalog.create_product(widget("A", sku="SKU-1"))
    catalog.create_variant(first.id, {"sku": "SKU-2", "option_values": [{"option_display_name": "Size", "label": "S"}]})
    with pytest.raises(DuplicateSku):
        catalog.create_product(widget("B", sku="sku-1"))
    with pytest.raises(DuplicateSku):
        catalog.create_product(widget("C", sku="SKU-2"))


def test_calculated_price_is_sale_price_when_set(catalog):
    product = catalog.create_product(widget(price=20, sale_price=15))
    assert catalog.product_view(product)["calculated_price"] == 15
    updated = catalog.update_product(product.id, {"sale_price": 0})
    assert catalog.product_view(updated)["calculated_price"] == 20


def test_custom_url_slug_gets_a_suffix_when_taken(catalog):
    catalog.create_product(widget("Mug!"))
    second = catalog.create_product(widget("Mug?"))
    assert catalog.product_view(second)["custom_url"] == {"url": "/mug-1/", "is_customized": False}


def test_renaming_moves_an_automatic_custom_url(catalog):
    product = catalog.create_product(widget("Old Name"))
    renamed = catalog.update_product(product.id, {"name": "New Name"})
    assert catalog.product_view(renamed)["custom_url"]["url"] == "/new-name/"


def test_base_variant_mirrors_sku_and_inventory(catalog):
    product = catalog.create_product(dict(HOODIE))
    base = catalog.variant(product.base_variant_id)
    assert catalog.variant_view(base)["sku"] == "HOODIE-PREM"
    catalog.update_product(product.id, {"inventory_level": 75, "sku": "HOODIE-2"})
    base = catalog.variant(product.base_variant_id)
    assert (base.inventory_level, base.sku) == (75, "HOODIE-2")
    catalog.update_variant(base.id, {"inventory_level": 25})
    assert catalog.get_product(product.id).inventory_level == 25


def test_option_variant_replaces_the_base_variant(catalog):
    product = catalog.create_product(widget(inventory_tracking="variant"))
    options = [{"option_display_name": "Color", "label": "Black"}, {"option_display_name": "Size", "label": "M"}]
    variant = catalog.create_variant(product.id, {"sku": "W-BLK-M", "inventory_level": 5, "option_values": options})
    product = catalog.get_product(product.id)
    assert product.base_variant_id is None
    assert product.inventory_level == 5
    shown = catalog.variant_view(variant)["option_values"]
    assert [v["label"] for v in shown] == ["Black", "M"]
    again = catalog.create_variant(
        product.id, {"sku": "W-BLK-L", "option_values": [{"option_display_name": "color", "label": "black"}]}
    )
    assert catalog.variant_view(again)["option_values"][0]["id"] == shown[0]["id"]


def test_variant_create_needs_sku_and_option_values(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_variant(product.id, {})
    assert caught.value.errors == {"sku": "error.path.missing.", "option_values": "error.path.missing."}


def test_variant_price_inherits_from_the_product(catalog):
    product = catalog.create_product(widget(price=30, sale_price=25))
    base = catalog.get_variant(product.base_variant_id)
    assert base.calculated_price is None  # inherits
    assert catalog.variant_price(base) == 25
    assert catalog.variant_weight(base) == 1


def test_adjust_inventory_is_relative_and_emits_order_events(catalog, events):
    product = catalog.create_product(dict(HOODIE))
    events.clear()
    assert catalog.adjust_inventory(product.id, None, -3) == 97
    assert catalog.get_product(product.id).inventory_level == 97
    assert events == [
        (
            "store/product/inventory/order/updated",
            {
                "type": "product",
                "id": product.id,
                "inventory": {"product_id": product.id, "method": "relative", "value": -3},
            },
        ),
        (  # the Inventory API's view of the same change, at the default location
            "store/channel/*/inventory/product/stock_changed",
            {"variant_id": product.base_variant_id, "product_id": product.id, "location_id": 1},
        ),
    ]


def test_adjust_inventory_with_floor_refuses_overselling(catalog):
    product = catalog.create_product(dict(HOODIE, inventory_level=2))
    with pytest.raises(InsufficientStock):
        catalog.adjust_inventory(product.id, None, -3, floor=0)
    assert catalog.get_product(product.id).inventory_level == 2


def test_adjust_inventory_leaves_untracked_products_alone(catalog, events):
    product = catalog.create_product(widget(inventory_level=4))
    events.clear()
    assert catalog.adjust_inventory(product.id, None, -1) == 4
    assert events == []


def test_adjust_inventory_by_variant(catalog):
    product = catalog.create_product(widget(inventory_tracking="variant"))
    variant = catalog.create_variant(
        product.id, {"sku": "V1", "inventory_level": 10, "option_values": [{"option_display_name": "S", "label": "1"}]}
    )
    assert catalog.adjust_inventory(product.id, variant.id, -4) == 6
    assert catalog.get_variant(variant.id).inventory_level == 6
    assert catalog.get_product(product.id).inventory_level == 6


def test_get_product_and_variant_return_none_when_missing(catalog):
    assert catalog.get_product(999) is None
    assert catalog.get_variant(999) is None
    with pytest.raises(ResourceNotFound):
        catalog.product(999)


def test_batch_update_checks_every_item_first(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(ResourceNotFound):
        catalog.update_products([{"id": product.id, "price": 99}, {"id": 12345, "price": 1}])
    assert catalog.get_product(product.id).price == 10


def test_list_products_uses_indexes_and_predicates_alike(catalog):
    catalog.taxonomy.create_category({"name": "Mugs", "parent_id": 0})
    for n in range(1, 31):
        catalog.create_product(widget(f"Item {n}", price=n, is_featured=n % 3 == 0, categories=[1] if n % 2 else []))
    featured = catalog.list_products([Condition("is_featured", "eq", True), Condition("price", "gt", 10.0)])
    assert [p.id for p in featured.items] == [12, 15, 18, 21, 24, 27, 30]
    in_category = catalog.list_products([Condition("categories", "in", [1])], offset=5, limit=5)
    assert in_category.total == 15
    assert [p.id for p in in_category.items] == [11, 13, 15, 17, 19]
    by_price = catalog.list_products([], sort="price", descending=True, limit=2)
    assert [p.price for p in by_price.items] == [30, 29]


def test_delete_products_needs_a_filter(catalog):
    with pytest.raises(FilterRequired):
        catalog.delete_products([])


def test_product_with_unknown_category_or_brand_is_refused(catalog):
    with pytest.raises(InvalidReference):
        catalog.create_product(widget(categories=[77]))
    with pytest.raises(InvalidReference):
        catalog.create_product(widget(brand_id=5))


def test_category_name_is_unique_per_parent(catalog):
    taxonomy = catalog.taxonomy
    top = taxonomy.create_category({"name": "Clothing", "parent_id": 0})
    taxonomy.create_category({"name": "Sale", "parent_id": top.id})
    taxonomy.create_category({"name": "Sale", "parent_id": 0})  # another parent: fine
    with pytest.raises(DuplicateCategoryName):
        taxonomy.create_category({"name": "sale", "parent_id": top.id})


def test_category_url_follows_its_path(catalog):
    taxonomy = catalog.taxonomy
    top = taxonomy.create_category({"name": "Men's Clothing", "parent_id": 0})
    child = taxonomy.create_category({"name": "Hoodies", "parent_id": top.id})
    assert taxonomy.category_view(child)["custom_url"] == {"url": "/men-s-clothing/hoodies/", "is_customized": False}


def test_category_needs_an_existing_parent(catalog):
    with pytest.raises(ParentCategoryNotFound):
        catalog.taxonomy.create_category({"name": "Orphan", "parent_id": 42})


def test_category_cannot_move_under_itself(catalog):
    taxonomy = catalog.taxonomy
    top = taxonomy.create_category({"name": "A", "parent_id": 0})
    child = taxonomy.create_category({"name": "B", "parent_id": top.id})
    with pytest.raises(InvalidJSON):
        taxonomy.update_category(top.id, {"parent_id": child.id})


def test_category_with_products_cannot_be_deleted_nor_its_parent(catalog):
    taxonomy = catalog.taxonomy
    top = taxonomy.create_category({"name": "A", "parent_id": 0})
    child = taxonomy.create_category({"name": "B", "parent_id": top.id})
    catalog.create_product(widget(categories=[child.id]))
    with pytest.raises(CategoryInUse):
        taxonomy.delete_category(top.id)
    assert taxonomy.categories.get(child.id) is not None


def test_deleting_a_category_deletes_its_subcategories(catalog, events):
    taxonomy = catalog.taxonomy
    top = taxonomy.create_category({"name": "A", "parent_id": 0})
    child = taxonomy.create_category({"name": "B", "parent_id": top.id})
    events.clear()
    taxonomy.delete_category(top.id)
    assert len(taxonomy.categories) == 0
    assert [e[0] for e in events] == ["store/category/deleted", "store/channel/1/category/deleted"] * 2
    assert {e[1]["id"] for e in events if e[0] == "store/category/deleted"} == {top.id, child.id}


def test_brand_name_is_unique_and_deleting_unassigns_products(catalog):
    taxonomy = catalog.taxonomy
    brand = taxonomy.create_brand({"name": "Acme"})
    with pytest.raises(DuplicateBrandName):
        taxonomy.create_brand({"name": "ACME"})
    product = catalog.create_product(widget(brand_id=brand.id))
    taxonomy.delete_brand(brand.id)
    assert catalog.get_product(product.id).brand_id == 0
    assert catalog.list_products([Condition("brand_id", "eq", brand.id)]).total == 0


def test_seed_keeps_ids_and_emits_nothing(catalog, events):
    counts = catalog.seed(
        {
            "brands": [{"id": 3, "name": "Acme"}],
            "categories": [{"id": 23, "name": "Shop All"}, {"id": 24, "name": "Bath", "parent_id": 23}],
            "products": [widget("Seeded", id=111, brand_id=3, categories=[23, 24])],
        }
    )
    assert counts == {"brands": 1, "categories": 2, "products": 1}
    assert catalog.get_product(111).name == "Seeded"
    assert events == []
    assert catalog.create_product(widget("Next")).id == 112


def test_concurrent_creates_in_threads_claim_a_sku_once(catalog):
    import threading

    gate = threading.Barrier(32)
    outcomes: list[str] = []

    def create(n: int) -> None:
        gate.wait()
        try:
            catalog.create_product(widget(f"T{n}", sku="ONE"))
            outcomes.append("won")
        except DuplicateSku:
            outcomes.append("409")

    threads = [threading.Thread(target=create, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["409"] * 31 + ["won"]
    assert len(catalog.products) == 1


def test_categories_in_counts_a_product_in_several_categories_once(catalog):
    for name in ("A", "B", "C"):
        catalog.taxonomy.create_category({"name": name, "parent_id": 0})
    catalog.create_product(widget("In both", categories=[1, 2]))
    catalog.create_product(widget("In A", categories=[1]))
    catalog.create_product(widget("In C", categories=[3]))
    catalog.create_product(widget("In B", categories=[2]))
    selection = catalog.list_products([Condition("categories", "in", [1, 2])], offset=1, limit=2)
    assert selection.total == 3
    assert [p.name for p in selection.items] == ["In A", "In B"]
    descending = catalog.list_products([Condition("categories", "in", [2, 1])], descending=True, limit=5)
    assert [p.id for p in descending.items] == [4, 2, 1]
