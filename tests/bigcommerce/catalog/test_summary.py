"""`GET /v3/catalog/summary`: the summary of the catalog's variants and stock, in state and over HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from storefake.bigcommerce.state.catalog_summary import catalog_summary

from .conftest import make_product

EMPTY = {
    "inventory_count": 0,
    "inventory_value": 0,
    "primary_category_id": 0,
    "primary_category_name": "",
    "variant_count": 0,
    "highest_variant_price": 0,
    "average_variant_price": 0,
    "lowest_variant_price": "0",
}


def widget(name="Widget", **extra):
    return {"name": name, "type": "physical", "price": 10, "weight": 1, **extra}


def size(label):
    return [{"option_display_name": "Size", "label": label}]


def test_summary_of_an_empty_catalog(catalog):
    assert catalog_summary(catalog) == {**EMPTY, "oldest_variant_date": None, "newest_variant_date": None}


def test_summary_counts_base_variants_and_tracked_product_stock(catalog):
    catalog.create_product(widget("A", price=7, inventory_tracking="product", inventory_level=3))
    catalog.create_product(widget("B", price=20.5, inventory_level=9))  # untracked: no stock counted
    summary = catalog_summary(catalog)
    assert summary["variant_count"] == 2
    assert (summary["inventory_count"], summary["inventory_value"]) == (3, 21)
    assert (summary["highest_variant_price"], summary["lowest_variant_price"]) == (20.5, "7")
    assert summary["average_variant_price"] == 13.75


def test_summary_values_variant_stock_at_the_variants_prices(catalog):
    product = catalog.create_product(widget("Shirt", price=10, inventory_tracking="variant"))
    catalog.create_variant(product.id, {"sku": "S-S", "price": 12, "inventory_level": 2, "option_values": size("S")})
    catalog.create_variant(product.id, {"sku": "S-M", "inventory_level": 1, "option_values": size("M")})
    summary = catalog_summary(catalog)
    assert summary["variant_count"] == 2  # the base variant gave way to the option variants
    assert (summary["inventory_count"], summary["inventory_value"]) == (3, 34)
    assert (summary["highest_variant_price"], summary["lowest_variant_price"]) == (12, "10")


def test_summary_primary_category_holds_the_most_products(catalog):
    bath = catalog.taxonomy.create_category({"name": "Bath", "parent_id": 0})
    kitchen = catalog.taxonomy.create_category({"name": "Kitchen", "parent_id": 0})
    catalog.create_product(widget("A", categories=[kitchen.id]))
    catalog.create_product(widget("B", categories=[kitchen.id, bath.id]))
    summary = catalog_summary(catalog)
    assert (summary["primary_category_id"], summary["primary_category_name"]) == (kitchen.id, "Kitchen")


def test_summary_inventory_value_is_rounded_to_four_places(catalog):
    catalog.create_product(widget("A", price=0.1, inventory_tracking="product", inventory_level=3))
    assert catalog_summary(catalog)["inventory_value"] == 0.3


def test_summary_dates_are_the_days_the_products_were_made(catalog, fake):
    catalog.create_product(widget("A"))
    day = catalog_summary(catalog)["oldest_variant_date"]
    assert day % 86400 == 0
    assert day <= fake.clock.now() < day + 86400


def test_get_catalog_summary_of_an_empty_catalog(bc):
    response = bc.get("/summary")
    assert response.status_code == 200
    assert response.json() == {"data": {**EMPTY, "oldest_variant_date": "", "newest_variant_date": ""}, "meta": {}}


def test_get_catalog_summary_dates_are_midnight_iso8601(bc, fake):
    make_product(bc, price=7, inventory_tracking="product", inventory_level=2)
    data = bc.get("/summary").json()["data"]
    today = datetime.fromtimestamp(fake.clock.now(), UTC).strftime("%Y-%m-%d")
    assert data["oldest_variant_date"] == data["newest_variant_date"] == f"{today}T00:00:00+00:00"
    assert (data["inventory_count"], data["inventory_value"], data["lowest_variant_price"]) == (2, 14, "7")


def test_get_catalog_summary_with_a_read_only_token(bc):
    response = bc.get("/summary", headers={"X-Auth-Token": "storefake-bc-readonly-token"})
    assert response.status_code == 200


def test_get_catalog_summary_of_prices_near_the_float_limit_is_json(bc):
    """Three prices of 1.7e308 sum past float's range: the summary still answers numbers, not Infinity."""
    for name in ("A", "B", "C"):
        make_product(bc, name=name, price=1.7e308, inventory_tracking="product", inventory_level=5)
    response = bc.get("/summary")
    assert response.status_code == 200
    data = json.loads(response.text, parse_constant=pytest.fail)  # Infinity or NaN would fail here
    assert data["data"]["average_variant_price"] == int(Decimal("1.7e308"))
    assert data["data"]["inventory_value"] == 15 * int(Decimal("1.7e308"))
