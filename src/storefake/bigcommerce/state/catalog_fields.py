"""The V3 catalog's field tables: each object's fields in the vendor's order with their defaults, which
fields a client may write and with what JSON type, and the checks a create or update body goes through.

Defaults follow the example objects in the vendor's spec (bigcommerce/docs reference/catalog/*.v3.yml):
`""` for unset strings, `[]` for lists, 0 for counters, `inventory_tracking` "none", `availability`
"available", `condition` "New", `layout_file` "product.html". Records keep only the values a client set
(sparse), so a million seeded products stay small; rendering lays them over these defaults.
Type errors use the vendor's Play-JSON codes (`error.expected.jsnumber`, vendor-facts §2); a missing field
is `error.path.missing.` with the trailing period of the webhooks spec's example, the one verified sample.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from storefake.bigcommerce.errors import InvalidJSON

# kinds: str, int, int32 (a 32-bit int), num (number >= 0), real (any number), bool, ints (int list),
# strs (str list), obj, list, date, or an enum tuple; a trailing `?` also allows null.
PRODUCT_FIELDS: dict[str, Any] = {
    "name": "str",
    "type": ("physical", "digital"),
    "sku": "str",
    "description": "str",
    "weight": "num",
    "width": "num",
    "depth": "num",
    "height": "num",
    "price": "num",
    "cost_price": "num",
    "retail_price": "num",
    "sale_price": "num",
    "map_price": "num",
    "tax_class_id": "int",
    "product_tax_code": "str",
    "categories": "ints",
    "brand_id": "int",
    "brand_name": "str",
    "option_set_id": "int",
    "option_set_display": "str",
    "inventory_level": "int",
    "inventory_warning_level": "int",
    "inventory_tracking": ("none", "product", "variant"),
    "fixed_cost_shipping_price": "num",
    "is_free_shipping": "bool",
    "is_visible": "bool",
    "is_featured": "bool",
    "related_products": "ints",
    "warranty": "str",
    "bin_picking_number": "str",
    "layout_file": "str",
    "upc": "str",
    "mpn": "str",
    "gtin": "str",
    "search_keywords": "str",
    "availability": ("available", "disabled", "preorder"),
    "availability_description": "str",
    "gift_wrapping_options_type": ("any", "none", "list"),
    "gift_wrapping_options_list": "ints",
    "sort_order": "int",
    "condition": ("New", "Used", "Refurbished"),
    "is_condition_shown": "bool",
    "order_quantity_minimum": "int",
    "order_quantity_maximum": "int",
    "page_title": "str",
    "meta_keywords": "strs",
    "meta_description": "str",
    "view_count": "int",
    "preorder_release_date": "date",
    "preorder_message": "str",
    "is_preorder_only": "bool",
    "is_price_hidden": "bool",
    "price_hidden_label": "str",
    "custom_url": "obj",
    "open_graph_type": ("product", "album", "book", "drink", "food", "game", "movie", "song", "tv_show"),
    "open_graph_title": "str",
    "open_graph_description": "str",
    "open_graph_use_meta_description": "bool",
    "open_graph_use_product_name": "bool",
    "open_graph_use_image": "bool",
    "custom_fields": "list",
    "images": "list",
    "variants": "list",
    "bulk_pricing_rules": "list",
    "videos": "list",
}

# The wire object, in the vendor's key order, with what a fresh product shows.
PRODUCT_DEFAULTS: dict[str, Any] = {
    "id": 0,
    "name": "",
    "type": "physical",
    "sku": "",
    "description": "",
    "weight": 0,
    "width": 0,
    "depth": 0,
    "height": 0,
    "price": 0,
    "cost_price": 0,
    "retail_price": 0,
    "sale_price": 0,
    "map_price": 0,
    "tax_class_id": 0,
    "product_tax_code": "",
    "calculated_price": 0,
    "categories": [],
    "brand_id": 0,
    "option_set_id": None,
    "option_set_display": "right",
    "inventory_level": 0,
    "inventory_warning_level": 0,
    "inventory_tracking": "none",
    "reviews_rating_sum": 0,
    "reviews_count": 0,
    "total_sold": 0,
    "fixed_cost_shipping_price": 0,
    "is_free_shipping": False,
    "is_visible": True,
    "is_featured": False,
    "related_products": [],
    "warranty": "",
    "bin_picking_number": "",
    "layout_file": "product.html",
    "upc": "",
    "mpn": "",
    "gtin": "",
    "date_last_imported": None,
    "search_keywords": "",
    "availability": "available",
    "availability_description": "",
    "gift_wrapping_options_type": "any",
    "gift_wrapping_options_list": [],
    "sort_order": 0,
    "condition": "New",
    "is_condition_shown": False,
    "order_quantity_minimum": 0,
    "order_quantity_maximum": 0,
    "page_title": "",
    "meta_keywords": [],
    "meta_description": "",
    "date_created": "",
    "date_modified": "",
    "view_count": 0,
    "preorder_release_date": None,
    "preorder_message": "",
    "is_preorder_only": False,
    "is_price_hidden": False,
    "price_hidden_label": "",
    "custom_url": None,
    "base_variant_id": None,
    "open_graph_type": "product",
    "open_graph_title": "",
    "open_graph_description": "",
    "open_graph_use_meta_description": True,
    "open_graph_use_product_name": True,
    "open_graph_use_image": True,
}
# Read-only fields a client may send back (a GET-modify-PUT round trip); they are ignored, not refused.
PRODUCT_READ_ONLY = frozenset(
    {"id", "date_created", "date_modified", "calculated_price", "base_variant_id", "reviews_rating_sum",
     "reviews_count", "total_sold", "date_last_imported", "primary_image", "modifiers", "options", "channels",
     "parent_relations", "reviews"}
)  # fmt: skip
PRODUCT_REQUIRED = ("name", "type", "weight", "price")
# Missing-field texts of the vendor's "Missing Required Fields" answer (S1 migration/4_errors.md shows
# the name one; price/type/weight are written the same way, UNVERIFIED).
REQUIRED_TEXTS = {
    "name": "Please provide a name.",
    "type": "Please provide a type.",
    "weight": "Please provide a weight.",
    "price": "Please provide a price.",
}

VARIANT_FIELDS: dict[str, Any] = {
    "product_id": "int",
    "sku": "str",
    "price": "num?",
    "sale_price": "num?",
    "retail_price": "num?",
    "map_price": "num?",
    "cost_price": "num?",
    "weight": "num?",
    "width": "num?",
    "height": "num?",
    "depth": "num?",
    "is_free_shipping": "bool",
    "fixed_cost_shipping_price": "num?",
    "purchasing_disabled": "bool",
    "purchasing_disabled_message": "str",
    "image_url": "str",
    "upc": "str",
    "mpn": "str",
    "gtin": "str",
    "inventory_level": "int",
    "inventory_warning_level": "int",
    "bin_picking_number": "str",
    "option_values": "list",
}
VARIANT_DEFAULTS: dict[str, Any] = {
    "id": 0,
    "product_id": 0,
    "sku": "",
    "sku_id": None,
    "price": None,
    "calculated_price": 0,
    "sale_price": None,
    "retail_price": None,
    "map_price": None,
    "weight": None,
    "width": None,
    "height": None,
    "depth": None,
    "is_free_shipping": False,
    "fixed_cost_shipping_price": None,
    "calculated_weight": 0,
    "purchasing_disabled": False,
    "purchasing_disabled_message": "",
    "image_url": "",
    "cost_price": None,
    "upc": "",
    "mpn": "",
    "gtin": "",
    "inventory_level": 0,
    "inventory_warning_level": 0,
    "bin_picking_number": "",
    "option_values": [],
}
VARIANT_READ_ONLY = frozenset({"id", "sku_id", "calculated_price", "calculated_weight"})

IMAGE_FIELDS: dict[str, Any] = {
    "image_url": "str",
    "is_thumbnail": "bool",
    "sort_order": "int",
    "description": "str",
}
IMAGE_READ_ONLY = frozenset(
    {"id", "product_id", "image_file", "url_zoom", "url_standard", "url_thumbnail", "url_tiny", "date_modified"}
)

CATEGORY_FIELDS: dict[str, Any] = {
    "parent_id": "int",
    "name": "str",
    "description": "str",
    "views": "int",
    "sort_order": "int",
    "page_title": "str",
    "meta_keywords": "strs",
    "meta_description": "str",
    "layout_file": "str",
    "image_url": "str",
    "is_visible": "bool",
    "search_keywords": "str",
    "default_product_sort": (
        "use_store_settings", "featured", "newest", "best_selling", "alpha_asc", "alpha_desc", "avg_customer_review",
        "price_asc", "price_desc",
    ),
    "custom_url": "obj",
}  # fmt: skip
CATEGORY_DEFAULTS: dict[str, Any] = {
    "id": 0,
    "parent_id": 0,
    "name": "",
    "description": "",
    "views": 0,
    "sort_order": 0,
    "page_title": "",
    "meta_keywords": [],
    "meta_description": "",
    "layout_file": "category.html",
    "image_url": "",
    "is_visible": True,
    "search_keywords": "",
    "default_product_sort": "use_store_settings",
    "custom_url": None,
}
CATEGORY_READ_ONLY = frozenset({"id"})

BRAND_FIELDS: dict[str, Any] = {
    "name": "str",
    "page_title": "str",
    "meta_keywords": "strs",
    "meta_description": "str",
    "search_keywords": "str",
    "image_url": "str",
    "custom_url": "obj",
}
BRAND_DEFAULTS: dict[str, Any] = {
    "id": 0,
    "name": "",
    "page_title": "",
    "meta_keywords": [],
    "meta_description": "",
    "image_url": "",
    "search_keywords": "",
    "custom_url": None,
}
BRAND_READ_ONLY = frozenset({"id"})

# Length limits from the spec (name 1-250 for products, 1-50 categories, 1-255 brands and SKUs); a listed
# field may not be blank unless BLANK_OK names it (the spec's minLength 0).
MAX_LENGTHS = {
    "product.name": 250,
    "product.sku": 255,
    "variant.sku": 255,
    "category.name": 50,
    "brand.name": 255,
    "image.image_url": 255,
    "option.display_name": 255,
    "option.name": 255,
    "modifier.display_name": 255,
    "modifier.name": 255,
    "value.label": 255,
    "custom_field.name": 250,
    "custom_field.value": 250,
    "video.title": 255,
    "video.video_id": 25,
    "review.title": 255,
    "review.name": 255,
    "tree.name": 255,
}
BLANK_OK = frozenset({"video.title", "review.title", "review.name"})


def _is_number(value: Any) -> bool:
    """A JSON number; Python's json also reads NaN, Infinity and 1e400 (inf), which no vendor accepts."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not isinstance(value, float) or math.isfinite(value)


def _is_whole(value: Any) -> bool:
    """An integer as JSON has it: `396` or `396.0` (Play's Int reader takes any whole JsNumber)."""
    return _is_number(value) and (isinstance(value, int) or value.is_integer())


def whole(value: Any) -> int | None:
    """`value` as an int when it is a JSON integer (`5` or `5.0`), else None."""
    return int(value) if _is_whole(value) else None


INT32 = (-(2**31), 2**31 - 1)


def _as_stored(kind: Any, value: Any) -> Any:
    """Whole floats given for integer fields are kept as ints, so they render as the vendor's integers."""
    if kind in ("int", "int32") and isinstance(value, float):
        return int(value)
    if kind == "ints" and any(isinstance(v, float) for v in value):
        return [int(v) for v in value]
    return value


def _type_error(kind: Any, value: Any) -> str | None:
    """The Play-JSON code for `value` not being of `kind`, or None when it is."""
    if isinstance(kind, tuple):
        return None if value in kind else "error.expected.validenumvalue"
    if kind.endswith("?"):
        return None if value is None else _type_error(kind[:-1], value)
    checks: dict[str, tuple[bool, str]] = {
        "str": (isinstance(value, str), "error.expected.jsstring"),
        "date": (value is None or isinstance(value, str), "error.expected.jsstring"),
        "int": (_is_whole(value), "error.expected.jsnumber"),
        "int32": (_is_number(value), "error.expected.jsnumber"),
        "num": (_is_number(value), "error.expected.jsnumber"),
        "real": (_is_number(value), "error.expected.jsnumber"),
        "bool": (isinstance(value, bool), "error.expected.jsboolean"),
        "obj": (isinstance(value, dict), "error.expected.jsobject"),
        "list": (isinstance(value, list), "error.expected.jsarray"),
        "ints": (isinstance(value, list) and all(_is_whole(v) for v in value), "error.expected.jsarray"),
        "strs": (isinstance(value, list) and all(isinstance(v, str) for v in value), "error.expected.jsarray"),
    }  # fmt: skip
    ok, code = checks[kind]
    if not ok:
        return code
    if kind == "num" and value < 0:
        return "error.min"
    if kind == "int32" and not (_is_whole(value) and INT32[0] <= value <= INT32[1]):
        return "error.expected.int"  # Play's Int reader: a number that is no 32-bit integer
    return None


def clean_body(body: Any, fields: Mapping[str, Any], read_only: frozenset[str], entity: str) -> dict[str, Any]:
    """The writable fields of a JSON object body, checked for type; 422 naming each bad field.

    Unknown fields are dropped, as the vendor ignores them; read-only ones are dropped too.
    """
    if not isinstance(body, dict):
        raise InvalidJSON(errors={})
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in body.items():
        kind = fields.get(key)
        if kind is None or key in read_only:
            continue
        code = _type_error(kind, value)
        if code is None and isinstance(value, str):
            code = _length_error(f"{entity}.{key}", value)
        if code is not None:
            errors[key] = code
        else:
            cleaned[key] = _as_stored(kind, value)
    if errors:
        raise InvalidJSON(errors=errors)
    return cleaned


def _length_error(key: str, value: str) -> str | None:
    limit = MAX_LENGTHS.get(key)
    if limit is None:
        return None
    if len(value) > limit:
        return "error.maxLength"
    if not value.strip() and key not in BLANK_OK:
        return "error.minLength"
    return None


def slugify(text: str) -> str:
    """The vendor's auto URL part: lower-case words joined by hyphens (`Premium Hoodie` -> `premium-hoodie`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "item"


def name_key(name: Any) -> str | None:
    """Unique-name key: names compare case-insensitively and ignoring outer spaces (MySQL collation)."""
    return name.strip().casefold() if isinstance(name, str) and name.strip() else None


def sku_key(sku: Any) -> str | None:
    """SKUs are unique across products and variants, case-insensitively; an empty SKU is no SKU."""
    return sku.strip().casefold() if isinstance(sku, str) and sku.strip() else None
