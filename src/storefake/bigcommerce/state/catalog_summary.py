"""`GET /v3/catalog/summary`: a lightweight summary of the catalog's variants and stock.

Facts from reference/catalog/products_catalog.v3.yml (Get a Catalog Summary): the ten fields, numbers for
prices but a string for `lowest_variant_price`, dates as midnight ISO-8601 (`2018-08-15T00:00:00+00:00`).
Where the spec is silent (README fidelity notes): stock counts only what is tracked (a product's level, or
its variants' with variant tracking) and is valued at the variant's price (its own, else its product's);
a variant is dated by its product's creation; `primary_category_*` is the category holding the most
products (the lowest id on a tie), `0` and `""` when no category holds one; an empty catalog answers zeros,
`"0"` and `""` dates. The summary is computed when asked (one pass over products and variants, under the
store lock), so no write pays for it.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

# Sums and the average in Decimal, wide enough for any stored price (up to float's 1.7e308) times any level:
# in floats a few such prices sum to Infinity, which is no JSON.
_WIDE = decimal.Context(prec=1000)


def catalog_summary(catalog: Any) -> dict[str, Any]:
    with catalog.store.lock, decimal.localcontext(_WIDE):
        return _summary(catalog)


def _summary(catalog: Any) -> dict[str, Any]:
    prices: list[float] = []
    dates: list[float] = []
    inventory_count, inventory_value = 0, Decimal(0)
    products = catalog.products
    for variant in catalog.variants:
        product = products.get(variant.product_id)
        if product is None:
            continue
        own = variant.fields.get("price")
        price = float(own if own is not None else product.fields.get("price", 0) or 0)
        prices.append(price)
        dates.append(product.created_at)
        if product.fields.get("inventory_tracking", "none") == "variant":
            level = int(variant.fields.get("inventory_level", 0) or 0)
            inventory_count += level
            inventory_value += level * _exact(price)
    for product in products:
        if product.fields.get("inventory_tracking", "none") == "product":
            level = int(product.fields.get("inventory_level", 0) or 0)
            inventory_count += level
            inventory_value += level * _exact(product.fields.get("price", 0) or 0)
    primary_id, primary_name = _primary_category(catalog)
    return {
        "inventory_count": inventory_count,
        "inventory_value": _number(round(inventory_value, 4)),
        "primary_category_id": primary_id,
        "primary_category_name": primary_name,
        "variant_count": len(prices),
        "highest_variant_price": _number(max(prices, default=0)),
        "average_variant_price": _number(round(sum(map(_exact, prices)) / len(prices), 8) if prices else 0),
        "lowest_variant_price": str(_number(min(prices, default=0))),
        # Epoch seconds of the day's start (None: no variants); the route formats them.
        "oldest_variant_date": _day(min(dates)) if dates else None,
        "newest_variant_date": _day(max(dates)) if dates else None,
    }


def _primary_category(catalog: Any) -> tuple[int, str]:
    best_id, best_count = 0, 0
    for category_id in catalog.taxonomy.categories.ids_from(0):
        count = len(catalog.products.ids_for("categories", category_id))
        if count > best_count:
            best_id, best_count = category_id, count
    if not best_id:
        return 0, ""
    return best_id, str(catalog.taxonomy.categories.get(best_id).value("name"))


def _exact(price: Any) -> Decimal:
    return Decimal(repr(float(price)))  # the price as it is shown (0.1, not 0.1000000000000000055...)


def _number(value: float | Decimal) -> int | float:
    """Whole amounts as integers (`249`), as in the spec's example; others as the nearest float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value) if float(value).is_integer() else value


def _day(seconds: float) -> int:
    return int(seconds) - int(seconds) % 86400
