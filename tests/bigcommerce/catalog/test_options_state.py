"""Variant options, modifiers and their values in CatalogState (no HTTP)."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import (
    CheckboxValuesFixed,
    DuplicateOptionDisplayName,
    DuplicateOptionName,
    DuplicateOptionValue,
    InvalidJSON,
    ResourceNotFound,
    TooManyOptionValues,
    UnknownOptionValue,
)


def widget(name="Widget", **extra):
    return {"name": name, "type": "physical", "price": 10, "weight": 1, **extra}


def size_option(*labels):
    values = [{"label": label, "sort_order": n} for n, label in enumerate(labels or ("S", "M"))]
    return {"display_name": "Size", "type": "rectangles", "option_values": values}


def test_create_option_gives_the_vendor_generated_name(catalog, fake):
    fake.clock.freeze(1535039590)
    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, {**size_option(), "display_name": "Add a Size"}, modifier=False)
    assert option.name == f"Add-a-Size1535039590-{product.id}"
    assert [v.label for v in option.values] == ["S", "M"]


def test_create_option_requires_display_name_type_and_values(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_option(product.id, {}, modifier=False)
    assert caught.value.errors == {
        "display_name": "error.path.missing.",
        "type": "error.path.missing.",
        "option_values": "error.path.missing.",
    }


def test_create_option_value_needs_label_and_sort_order(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_option(product.id, {**size_option(), "option_values": [{"is_default": True}]}, modifier=False)
    assert caught.value.errors == {
        "option_values[0].label": "error.path.missing.",
        "option_values[0].sort_order": "error.path.missing.",
    }


def test_create_option_duplicate_display_name_is_refused(catalog):
    product = catalog.create_product(widget())
    catalog.create_option(product.id, size_option(), modifier=False)
    with pytest.raises(DuplicateOptionDisplayName):
        catalog.create_option(product.id, {**size_option(), "display_name": "size"}, modifier=False)


def test_create_option_duplicate_name_is_refused_across_options_and_modifiers(catalog):
    product = catalog.create_product(widget())
    catalog.create_option(product.id, {**size_option(), "name": "size-rect"}, modifier=False)
    body = {"display_name": "Note", "type": "text", "required": False, "name": "Size-Rect"}
    with pytest.raises(DuplicateOptionName):
        catalog.create_option(product.id, body, modifier=True)


def test_create_option_duplicate_labels_are_refused(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(DuplicateOptionValue):
        catalog.create_option(product.id, size_option("S", "s"), modifier=False)


def test_create_option_value_limit_is_250(catalog):
    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, size_option(*[f"L{n}" for n in range(250)]), modifier=False)
    with pytest.raises(TooManyOptionValues):
        catalog.create_option_value(product.id, option.id, {"label": "one more", "sort_order": 0}, modifier=False)


def test_only_one_value_is_the_default(catalog):
    product = catalog.create_product(widget())
    body = size_option()
    body["option_values"][0]["is_default"] = True
    option = catalog.create_option(product.id, body, modifier=False)
    value = catalog.create_option_value(
        product.id, option.id, {"label": "L", "sort_order": 2, "is_default": True}, modifier=False
    )
    option = catalog.get_option(product.id, option.id, modifier=False)
    assert [v.id for v in option.values if v.is_default] == [value.id]


def test_variant_by_name_uses_an_option_made_by_the_api(catalog):
    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, size_option(), modifier=False)
    variant = catalog.create_variant(
        product.id, {"sku": "W-M", "option_values": [{"option_display_name": "SIZE", "label": "m"}]}
    )
    assert variant.fields["option_values"] == ((option.id, option.values[1].id),)
    assert len(catalog.options_of(product.id, modifier=False)) == 1


def test_variant_by_name_creates_a_rectangles_option_the_api_then_lists(catalog):
    product = catalog.create_product(widget())
    catalog.create_variant(
        product.id, {"sku": "W-B", "option_values": [{"option_display_name": "Color", "label": "Blue"}]}
    )
    [option] = catalog.list_options(product.id, modifier=False).items
    assert (option.display_name, option.type, [v.label for v in option.values]) == ("Color", "rectangles", ["Blue"])


def test_variant_with_a_value_of_another_product_is_refused(catalog):
    first, second = catalog.create_product(widget("A")), catalog.create_product(widget("B"))
    option = catalog.create_option(first.id, size_option(), modifier=False)
    pair = {"id": option.values[0].id, "option_id": option.id}
    with pytest.raises(UnknownOptionValue) as caught:
        catalog.create_variant(second.id, {"sku": "B-S", "option_values": [pair]})
    assert caught.value.errors == {"option_values[0]": "error.notFound"}
    assert catalog.list_variants([]).total == 2  # only the two base variants


def test_renaming_a_value_shows_on_its_variants(catalog):
    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, size_option(), modifier=False)
    pair = {"id": option.values[0].id, "option_id": option.id}
    variant = catalog.create_variant(product.id, {"sku": "W-S", "option_values": [pair]})
    catalog.update_option_value(product.id, option.id, option.values[0].id, {"label": "Small"}, modifier=False)
    catalog.update_option(product.id, option.id, {"display_name": "Größe"}, modifier=False)
    shown = catalog.variant_view(catalog.variant(variant.id))["option_values"]
    assert shown == [{"id": pair["id"], "label": "Small", "option_id": option.id, "option_display_name": "Größe"}]


def test_update_option_values_by_id_and_new_ones(catalog):
    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, size_option(), modifier=False)
    small = option.values[0]
    updated = catalog.update_option(
        product.id,
        option.id,
        {"option_values": [{"id": small.id, "label": "XS"}, {"label": "XL", "sort_order": 9}]},
        modifier=False,
    )
    assert [(v.label, v.sort_order) for v in updated.values] == [("XS", 0), ("M", 1), ("XL", 9)]


def test_update_option_unknown_value_id_is_refused(catalog):
    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, size_option(), modifier=False)
    with pytest.raises(UnknownOptionValue):
        catalog.update_option(product.id, option.id, {"option_values": [{"id": 999, "label": "X"}]}, modifier=False)


def test_delete_option_deletes_its_variants_and_restores_the_base_variant(catalog, events):
    product = catalog.create_product(widget(sku="W"))
    option = catalog.create_option(product.id, size_option(), modifier=False)
    variant = catalog.create_variant(
        product.id, {"sku": "W-S", "option_values": [{"id": option.values[0].id, "option_id": option.id}]}
    )
    events.clear()
    catalog.delete_option(product.id, option.id, modifier=False)
    product = catalog.get_product(product.id)
    assert catalog.get_variant(variant.id) is None
    assert catalog.variant(product.base_variant_id).fields == {"sku": "W"}
    assert events == [
        (
            "store/sku/deleted",
            {"type": "sku", "id": variant.id, "sku": {"product_id": product.id, "variant_id": variant.id}},
        )
    ]


def test_delete_option_value_deletes_only_its_variants(catalog):
    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, size_option(), modifier=False)
    small, medium = (
        catalog.create_variant(
            product.id, {"sku": f"W-{v.label}", "option_values": [{"id": v.id, "option_id": option.id}]}
        )
        for v in option.values
    )
    catalog.delete_option_value(product.id, option.id, option.values[0].id, modifier=False)
    assert catalog.get_variant(small.id) is None
    assert catalog.get_variant(medium.id) is not None
    assert [v.label for v in catalog.get_option(product.id, option.id, modifier=False).values] == ["M"]


def test_option_of_another_product_is_not_found(catalog):
    first, second = catalog.create_product(widget("A")), catalog.create_product(widget("B"))
    option = catalog.create_option(first.id, size_option(), modifier=False)
    with pytest.raises(ResourceNotFound):
        catalog.get_option(second.id, option.id, modifier=False)
    with pytest.raises(ResourceNotFound):
        catalog.get_option(first.id, option.id, modifier=True)


def test_checkbox_modifier_gets_yes_and_no(catalog):
    product = catalog.create_product(widget())
    body = {"display_name": "Insurance", "type": "checkbox", "required": True, "config": {"checked_by_default": True}}
    modifier = catalog.create_option(product.id, body, modifier=True)
    assert [(v.label, v.is_default, v.value_data) for v in modifier.values] == [
        ("Yes", True, {"checked_value": True}),
        ("No", False, {"checked_value": False}),
    ]


def test_checkbox_modifier_values_cannot_be_added_or_deleted(catalog):
    product = catalog.create_product(widget())
    body = {"display_name": "Insurance", "type": "checkbox", "required": True}
    modifier = catalog.create_option(product.id, body, modifier=True)
    with pytest.raises(CheckboxValuesFixed):
        catalog.create_option_value(product.id, modifier.id, {"label": "Maybe", "sort_order": 2}, modifier=True)
    with pytest.raises(CheckboxValuesFixed):
        catalog.delete_option_value(product.id, modifier.id, modifier.values[0].id, modifier=True)
    with pytest.raises(CheckboxValuesFixed):
        catalog.create_option(
            product.id,
            {**body, "display_name": "Again", "option_values": [{"label": "x", "sort_order": 0}]},
            modifier=True,
        )


def test_modifier_requires_required_display_name_and_type(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_option(product.id, {"option_values": []}, modifier=True)
    assert caught.value.errors == {
        "display_name": "error.path.missing.",
        "type": "error.path.missing.",
        "required": "error.path.missing.",
    }


def test_modifier_config_is_checked_field_by_field(catalog):
    product = catalog.create_product(widget())
    body = {
        "display_name": "Delivery date",
        "type": "date",
        "required": False,
        "config": {"date_limited": "yes", "date_limit_mode": "soon", "date_earliest_value": "tomorrow"},
    }
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_option(product.id, body, modifier=True)
    assert caught.value.errors == {
        "config.date_limited": "error.expected.jsboolean",
        "config.date_limit_mode": "error.expected.validenumvalue",
    }
    body["config"] = {"date_earliest_value": "tomorrow"}
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_option(product.id, body, modifier=True)
    assert caught.value.errors == {"config.date_earliest_value": "error.expected.date.isoformat"}


def test_modifier_value_adjusters_merge_on_update(catalog):
    product = catalog.create_product(widget())
    body = {
        "display_name": "Engraving",
        "type": "radio_buttons",
        "required": False,
        "option_values": [
            {"label": "+5", "sort_order": 0, "adjusters": {"price": {"adjuster": "relative", "adjuster_value": 5}}}
        ],
    }
    modifier = catalog.create_option(product.id, body, modifier=True)
    value = modifier.values[0]
    updated = catalog.update_option_value(
        product.id, modifier.id, value.id, {"adjusters": {"purchasing_disabled": {"status": True}}}, modifier=True
    )
    assert updated.adjusters == {
        "price": {"adjuster": "relative", "adjuster_value": 5},
        "purchasing_disabled": {"status": True},
    }


def test_sort_order_outside_32_bits_is_refused(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_option(product.id, {**size_option(), "sort_order": 2**31}, modifier=False)
    assert caught.value.errors == {"sort_order": "error.expected.int"}


def test_delete_modifier_announces_a_product_update(catalog, events):
    product = catalog.create_product(widget())
    modifier = catalog.create_option(
        product.id, {"display_name": "Note", "type": "text", "required": False}, modifier=True
    )
    events.clear()
    catalog.delete_option(product.id, modifier.id, modifier=True)
    assert events == [("store/product/updated", {"type": "product", "id": product.id})]


def test_delete_product_deletes_its_options_and_modifiers(catalog):
    product = catalog.create_product(widget())
    catalog.create_option(product.id, size_option(), modifier=False)
    catalog.create_option(product.id, {"display_name": "Note", "type": "text", "required": False}, modifier=True)
    catalog.delete_product(product.id)
    assert len(catalog.options) == 0


def test_delete_option_drops_the_metafields_of_its_variants(catalog, store):
    from storefake.bigcommerce.state.metafields import Owner

    product = catalog.create_product(widget())
    option = catalog.create_option(product.id, size_option(), modifier=False)
    pair = {"id": option.values[0].id, "option_id": option.id}
    variant = catalog.create_variant(product.id, {"sku": "W-S", "option_values": [pair]})
    field = {"namespace": "Warehouse", "key": "bin", "value": "4HG", "permission_set": "app_only"}
    store.metafields.create_metafield(Owner("variant", variant.id, product.id), field, "client-a")
    catalog.delete_option(product.id, option.id, modifier=False)
    assert len(store.metafields.metafields) == 0
