"""Wire shapes of the V3 catalog: state records → the vendor's JSON objects.

Dates become ISO-8601 (`2018-08-15T14:48:46+00:00`); `include=variants,images,custom_fields,primary_image`
adds sub-resources; `include_fields` / `exclude_fields` trim the object's own fields (`id` always stays,
sub-resources from `include` are added after trimming, as the vendor does).
Image URLs are shaped like the vendor's CDN URLs (`.../images/stencil/1280x1280/products/<pid>/<iid>/...`).
A product record keeps its rendered object and its encoded JSON: records are replaced on every write, never
changed in place, so plain reads (no include/fields selection) reuse the bytes and lists just join them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import Response

from storefake import wire
from storefake.bigcommerce.query import csv_param
from storefake.bigcommerce.render import JSON_TYPE, iso8601
from storefake.bigcommerce.state.catalog import CatalogState
from storefake.bigcommerce.state.catalog_extras import REVIEW_DEFAULTS, VIDEO_DEFAULTS, BulkRule, Review, Video
from storefake.bigcommerce.state.catalog_images import ORIGIN, UPLOADED
from storefake.bigcommerce.state.catalog_options import sorted_values
from storefake.bigcommerce.state.catalog_records import Image, Option, OptionValue, Product, Variant
from storefake.bigcommerce.state.catalog_trees import Tree

PRODUCT_INCLUDES = frozenset(
    {"variants", "images", "custom_fields", "primary_image", "options", "modifiers", "bulk_pricing_rules", "videos"}
    | {"reviews", "channels"}
)
# The spec's `include` note: with options or modifiers a product page holds at most 10 products.
HEAVY_INCLUDES = frozenset({"options", "modifiers"})
HEAVY_PAGE = 10
CDN = "https://cdn11.bigcommerce.com/s-{store_hash}"
UPLOAD_EXTENSIONS = {
    "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/bmp": "bmp", "image/webp": "webp",
    "image/x-xbitmap": "xbm", "image/vnd.wap.wbmp": "wbmp",
}  # fmt: skip
IMAGE_SIZES = {"url_zoom": "1280x1280", "url_standard": "500x659", "url_thumbnail": "220x290", "url_tiny": "44x58"}


@dataclass(frozen=True, slots=True)
class Shape:
    """What the query asks for: sub-resources to include and which own fields to keep or drop."""

    include: frozenset[str] = frozenset()
    include_fields: frozenset[str] = frozenset()
    exclude_fields: frozenset[str] = frozenset()

    @classmethod
    def of(cls, params: Mapping[str, str], includes: Collection[str] = PRODUCT_INCLUDES) -> Shape:
        if not params:
            return PLAIN
        shape = cls(
            frozenset(v for v in csv_param(params, "include") if v in includes),
            frozenset(csv_param(params, "include_fields")),
            frozenset(csv_param(params, "exclude_fields")),
        )
        return PLAIN if shape == PLAIN else shape  # callers test `is PLAIN` for the pre-encoded fast path

    def trim(self, obj: dict[str, Any]) -> dict[str, Any]:
        if self.include_fields:
            obj = {k: v for k, v in obj.items() if k == "id" or k in self.include_fields}
        if self.exclude_fields:
            obj = {k: v for k, v in obj.items() if k == "id" or k not in self.exclude_fields}
        return obj


PLAIN = Shape()


@lru_cache(maxsize=8192)
def _iso(seconds: int) -> str:
    # Products written in one burst share their second; formatting is a good part of a small product's cost.
    return iso8601(seconds)


def product(catalog: CatalogState, record: Product, shape: Shape = PLAIN) -> dict[str, Any]:
    obj = record.wire
    if obj is None:
        obj = catalog.product_view(record)
        obj["date_created"] = _iso(int(obj["date_created"]))
        obj["date_modified"] = _iso(int(obj["date_modified"]))
        record.wire = obj
    obj = shape.trim(obj)
    if not shape.include:
        return obj  # shared with the record's cache: callers only serialize it
    obj = dict(obj)
    if "variants" in shape.include:
        ids = catalog.variants.ids_for("product_id", record.id)
        obj["variants"] = [variant(catalog, v) for v in (catalog.variants.get(i) for i in ids) if v is not None]
    if "images" in shape.include:
        ids = catalog.images.ids_for("product_id", record.id)
        obj["images"] = [image(catalog, i) for i in (catalog.images.get(n) for n in ids) if i is not None]
    if "custom_fields" in shape.include:
        obj["custom_fields"] = [custom_field(cf) for cf in record.custom_fields]
    if "bulk_pricing_rules" in shape.include:
        obj["bulk_pricing_rules"] = [bulk_pricing_rule(r) for r in catalog.bulk_pricing_rules_of(record.id)]
    if "videos" in shape.include:
        obj["videos"] = [video(v) for v in catalog.videos_of(record.id)]
    if "reviews" in shape.include:
        obj["reviews"] = [review(r) for r in catalog.reviews_of(record.id)]
    if "options" in shape.include:
        obj["options"] = [option(catalog, o) for o in catalog.options_of(record.id, modifier=False)]
    if "modifiers" in shape.include:
        obj["modifiers"] = [option(catalog, o) for o in catalog.options_of(record.id, modifier=True)]
    if "channels" in shape.include:
        obj["channels"] = list(catalog.channels_of(record.id))
    if "primary_image" in shape.include:
        primary = catalog.primary_image(record.id)
        if primary is not None:
            obj["primary_image"] = image(catalog, primary)
    return obj


def product_json(catalog: CatalogState, record: Product) -> bytes:
    """The plain product object's JSON, encoded once per record version (reads outnumber writes)."""
    encoded = record.wire_json
    if encoded is None:
        encoded = record.wire_json = wire.dumps(product(catalog, record))
    return encoded


def data_response(item: bytes) -> Response:
    """`{"data": <item>, "meta": {}}` from an already encoded item."""
    return Response(b'{"data":' + item + b',"meta":{}}', media_type=JSON_TYPE)


def list_response(items: list[bytes], meta: dict[str, Any]) -> Response:
    """`{"data": [...], "meta": {...}}` from already encoded items."""
    return Response(b'{"data":[' + b",".join(items) + b'],"meta":' + wire.dumps(meta) + b"}", media_type=JSON_TYPE)


def variant(catalog: CatalogState, record: Variant, shape: Shape = PLAIN) -> dict[str, Any]:
    return shape.trim(catalog.variant_view(record))


def image(catalog: CatalogState, record: Image) -> dict[str, Any]:
    fields = record.fields
    store_hash = catalog.store.store_hash
    if UPLOADED in fields:  # served by the fake itself (control API), at the origin it was uploaded to
        stem, _ = _file_name(str(fields[UPLOADED]), record.id)
        ext = UPLOAD_EXTENSIONS.get(catalog.image_files.get(record.id, (b"", ""))[1], "jpg")
        base = f"{fields[ORIGIN]}/__storefake/bigcommerce/stores/{store_hash}"
    else:
        stem, ext = _file_name(str(fields.get("image_url", "")), record.id)
        base = CDN.format(store_hash=store_hash)
    stamp = int(record.modified_at)
    obj: dict[str, Any] = {
        "id": record.id,
        "product_id": record.product_id,
        "is_thumbnail": bool(fields.get("is_thumbnail", False)),
        "sort_order": fields.get("sort_order", 0),
        "description": fields.get("description", ""),
        "image_file": f"{stem[:1] or 'i'}/{record.id % 1000:03d}/{stem}__{stamp}.{ext}",
    }
    for key, size in IMAGE_SIZES.items():
        if UPLOADED in fields:
            obj[key] = f"{base}/images/{size}/{record.product_id}/{record.id}/{stem}__{stamp}.{ext}"
        else:
            obj[key] = f"{base}/images/stencil/{size}/products/{record.product_id}/{record.id}/{stem}__{stamp}.{ext}"
    obj["date_modified"] = iso8601(record.modified_at)
    return obj


def _file_name(url: str, image_id: int) -> tuple[str, str]:
    name = PurePosixPath(urlsplit(url).path).name
    stem, _, ext = name.rpartition(".")
    if not stem:
        stem, ext = name or f"image{image_id}", "jpg"
    clean = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in stem)[:100]
    return clean or f"image{image_id}", (
        "".join(ch for ch in ext if ch.isascii() and ch.isalnum())[:5] or "jpg"
    ).lower()


def category(catalog: CatalogState, record: Any, shape: Shape = PLAIN) -> dict[str, Any]:
    return shape.trim(catalog.taxonomy.category_view(record))


def brand(catalog: CatalogState, record: Any, shape: Shape = PLAIN) -> dict[str, Any]:
    return shape.trim(catalog.taxonomy.brand_view(record))


# options and modifiers
def option(catalog: CatalogState, record: Option, shape: Shape = PLAIN) -> dict[str, Any]:
    """A variant option or a modifier; an option without a config shows `[]`, as the vendor's examples do."""
    obj: dict[str, Any] = {
        "id": record.id,
        "product_id": record.product_id,
        "name": record.name,
        "display_name": record.display_name,
        "type": record.type,
    }
    if record.modifier:
        obj["required"] = record.required
    obj["sort_order"] = record.sort_order
    obj["config"] = dict(record.config) if record.config else []
    obj["option_values"] = [option_value(record, v) for v in sorted_values(record)]
    return shape.trim(obj)


def option_value(option: Option, value: OptionValue, shape: Shape = PLAIN) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": value.id}
    if option.modifier:
        obj["option_id"] = option.id
    obj["label"] = value.label
    obj["sort_order"] = value.sort_order
    obj["value_data"] = value.value_data
    obj["is_default"] = value.is_default
    if option.modifier:
        adjusters = value.adjusters or {}
        obj["adjusters"] = {
            "price": adjusters.get("price") or {},
            "weight": adjusters.get("weight") or {},
            "image_url": adjusters.get("image_url", ""),
            "purchasing_disabled": {"status": False, "message": "", **adjusters.get("purchasing_disabled", {})},
        }
    return shape.trim(obj)


# custom fields, bulk pricing rules, videos, reviews
def custom_field(record: Mapping[str, Any], shape: Shape = PLAIN) -> dict[str, Any]:
    return shape.trim({"id": record["id"], "name": record["name"], "value": record["value"]})


def bulk_pricing_rule(record: BulkRule, shape: Shape = PLAIN) -> dict[str, Any]:
    obj = {
        "id": record.id,
        "quantity_min": record.quantity_min,
        "quantity_max": record.quantity_max,
        "type": record.type,
        "amount": record.amount,
    }
    return shape.trim(obj)


def video(record: Video, shape: Shape = PLAIN) -> dict[str, Any]:
    fields = {**VIDEO_DEFAULTS, **record.fields}
    obj = {"id": record.id, "type": fields["type"], "video_id": fields["video_id"], "product_id": record.product_id}
    obj.update(sort_order=fields["sort_order"], title=fields["title"], description=fields["description"])
    obj["length"] = fields["length"]
    return shape.trim(obj)


def review(record: Review, shape: Shape = PLAIN) -> dict[str, Any]:
    """In the spec example's key order: the review's own fields, then the store's."""
    fields = {**REVIEW_DEFAULTS, **record.fields}
    obj = {key: fields.get(key, "") for key in ("title", "text", "status", "rating", "email", "name")}
    obj["date_reviewed"] = iso8601(fields["date_reviewed"])
    obj["id"] = record.id
    obj["product_id"] = record.product_id
    obj["date_created"] = _iso(int(record.created_at))
    obj["date_modified"] = _iso(int(record.modified_at))
    return shape.trim(obj)


# category trees
def tree(record: Tree) -> dict[str, Any]:
    return {"id": record.id, "name": record.name, "channels": list(record.channels)}


def tree_category(taxonomy: Any, record: Any, shape: Shape = PLAIN) -> dict[str, Any]:
    """A category as the trees API shows it; `include_fields` / `exclude_fields` keep `category_id`."""
    obj = taxonomy.tree_category_view(record)
    if shape.include_fields:
        obj = {k: v for k, v in obj.items() if k == "category_id" or k in shape.include_fields}
    if shape.exclude_fields:
        obj = {k: v for k, v in obj.items() if k == "category_id" or k not in shape.exclude_fields}
    return obj
