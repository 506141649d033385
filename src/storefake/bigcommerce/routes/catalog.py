"""V3 catalog endpoints under /v3/catalog: products, variants, images, categories, brands.

Creates answer 200 `{"data": ..., "meta": {}}` (the spec's status for catalog creates); lists answer
`meta.pagination` with limit 50 by default and 250 at most; batch PUTs take at most 10 products or 50
variants (413 above); DELETE on a collection needs a filter (422 without one).
Source: bigcommerce/docs reference/catalog/*.v3.yml, vendor-facts §4.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import BatchTooLarge, InvalidJSON
from storefake.bigcommerce.query import (
    FilterSpec,
    as_bool,
    as_float,
    as_int,
    as_str,
    as_timestamp,
    parse_filters,
    parse_page,
)
from storefake.bigcommerce.render import no_content, v3_data, v3_list, v3_pagination
from storefake.bigcommerce.routes import catalog_views as views
from storefake.bigcommerce.routes._common import int_param, read_json, store_of
from storefake.bigcommerce.state.catalog import CatalogState
from storefake.filtering import Condition

P = "/v3/catalog"
EQ = frozenset({""})
IDS = frozenset({"", "in", "not_in", "min", "max", "greater", "less"})
RANGE = frozenset({"", "min", "max", "greater", "less"})
DATES = frozenset({"", "min", "max"})
MAX_PRODUCT_BATCH = 10
MAX_VARIANT_BATCH = 50
MAX_IMAGE_FORM_FIELDS = 16

PRODUCT_FILTERS = {
    "id": FilterSpec(as_int, IDS),
    "channel_id": FilterSpec(as_int, frozenset({"in"})),
    "name": FilterSpec(as_str, frozenset({"", "like"})),
    "sku": FilterSpec(as_str, frozenset({"", "in"})),
    "upc": FilterSpec(as_str, EQ),
    "mpn": FilterSpec(as_str, EQ),
    "gtin": FilterSpec(as_str, EQ),
    "brand_id": FilterSpec(as_int, frozenset({"", "in", "not_in"})),
    "categories": FilterSpec(as_int, frozenset({"", "in"})),
    "price": FilterSpec(as_float, RANGE),
    "weight": FilterSpec(as_float, RANGE),
    "condition": FilterSpec(as_str, EQ),
    "is_visible": FilterSpec(as_bool, EQ),
    "is_featured": FilterSpec(as_bool, EQ),
    "is_free_shipping": FilterSpec(as_bool, EQ),
    "inventory_level": FilterSpec(as_int, IDS),
    "total_sold": FilterSpec(as_int, RANGE),
    "type": FilterSpec(as_str, EQ),
    "availability": FilterSpec(as_str, EQ),
    "keyword": FilterSpec(as_str, EQ),
    "date_modified": FilterSpec(as_timestamp, DATES),
    "date_last_imported": FilterSpec(as_timestamp, DATES),
}
# The spec's DELETE /catalog/products takes the list's filters but `channel_id:in`.
PRODUCT_DELETE_FILTERS = {k: v for k, v in PRODUCT_FILTERS.items() if k != "channel_id"}
VARIANT_FILTERS = {
    "id": FilterSpec(as_int, IDS),
    "sku": FilterSpec(as_str, frozenset({"", "in"})),
    "upc": FilterSpec(as_str, EQ),
    "product_id": FilterSpec(as_int, frozenset({"", "in"})),
}
CATEGORY_FILTERS = {
    "id": FilterSpec(as_int, IDS),
    "name": FilterSpec(as_str, frozenset({"", "like"})),
    "parent_id": FilterSpec(as_int, IDS),
    "page_title": FilterSpec(as_str, frozenset({"", "like"})),
    "keyword": FilterSpec(as_str, EQ),
    "is_visible": FilterSpec(as_bool, EQ),
}
BRAND_FILTERS = {
    "id": FilterSpec(as_int, IDS),
    "name": FilterSpec(as_str, frozenset({"", "like"})),
    "page_title": FilterSpec(as_str, EQ),
}


# request helpers
def catalog_of(request: Request) -> CatalogState:
    catalog: CatalogState = store_of(request).catalog
    return catalog


def filters_of(request: Request, specs: Mapping[str, FilterSpec]) -> list[Condition]:
    """The query's filters; `keyword` becomes a substring match over the searchable text."""
    conditions = parse_filters(request.query_params.multi_items(), specs)
    return [Condition(c.field, "like", f"%{c.value}%") if c.field == "keyword" else c for c in conditions]


async def array_body(request: Request, limit: int) -> list[Any]:
    body = await read_json(request)
    if not isinstance(body, list):
        raise InvalidJSON(errors={})
    if len(body) > limit:
        raise BatchTooLarge(parameters={"max": limit}, errors={})
    return body


def page_of(request: Request) -> tuple[int, int]:
    page = parse_page(request.query_params)
    return page.page, page.limit


def listing(request: Request, items: list[dict[str, Any]], total: int, page: int, limit: int) -> Response:
    return v3_list(items, total, page, limit, query=request.query_params)


# products
async def list_products(request: Request) -> Response:
    catalog = catalog_of(request)
    params = request.query_params
    page, limit = page_of(request)
    shape = views.Shape.of(params)
    if shape.include & views.HEAVY_INCLUDES:
        limit = min(limit, views.HEAVY_PAGE)
    selection = catalog.list_products(
        filters_of(request, PRODUCT_FILTERS),
        sort=params.get("sort", "id"),
        descending=params.get("direction", "asc").lower() == "desc",
        offset=(page - 1) * limit,
        limit=limit,
    )
    if shape is views.PLAIN:
        meta = {"pagination": v3_pagination(selection.total, page, limit, request.query_params)}
        return views.list_response([views.product_json(catalog, p) for p in selection.items], meta)
    items = [views.product(catalog, p, shape) for p in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_product(request: Request) -> Response:
    catalog = catalog_of(request)
    product = catalog.create_product(await read_json(request))
    return v3_data(views.product(catalog, product, views.Shape.of(request.query_params)))


async def update_products(request: Request) -> Response:
    catalog = catalog_of(request)
    products = catalog.update_products(await array_body(request, MAX_PRODUCT_BATCH))
    return v3_data([views.product(catalog, p) for p in products])


async def delete_products(request: Request) -> Response:
    catalog_of(request).delete_products(filters_of(request, PRODUCT_DELETE_FILTERS))
    return no_content()


async def get_product(request: Request) -> Response:
    catalog = catalog_of(request)
    product = catalog.product(int_param(request, "product_id"))
    shape = views.Shape.of(request.query_params)
    if shape is views.PLAIN:
        return views.data_response(views.product_json(catalog, product))
    return v3_data(views.product(catalog, product, shape))


async def update_product(request: Request) -> Response:
    catalog = catalog_of(request)
    product_id = int_param(request, "product_id")
    product = catalog.update_product(product_id, await read_json(request))
    return v3_data(views.product(catalog, product, views.Shape.of(request.query_params)))


async def delete_product(request: Request) -> Response:
    catalog_of(request).delete_product(int_param(request, "product_id"))
    return no_content()


# variants
async def list_product_variants(request: Request) -> Response:
    catalog = catalog_of(request)
    product_id = int_param(request, "product_id")
    catalog.product(product_id)
    page, limit = page_of(request)
    shape = views.Shape.of(request.query_params, ())
    conditions = [Condition("product_id", "eq", product_id)]
    selection = catalog.list_variants(conditions, offset=(page - 1) * limit, limit=limit)
    items = [views.variant(catalog, v, shape) for v in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_variant(request: Request) -> Response:
    catalog = catalog_of(request)
    variant = catalog.create_variant(int_param(request, "product_id"), await read_json(request))
    return v3_data(views.variant(catalog, variant))


async def get_variant(request: Request) -> Response:
    catalog = catalog_of(request)
    variant = catalog.variant(int_param(request, "variant_id"), int_param(request, "product_id"))
    return v3_data(views.variant(catalog, variant, views.Shape.of(request.query_params, ())))


async def update_variant(request: Request) -> Response:
    catalog = catalog_of(request)
    product_id, variant_id = int_param(request, "product_id"), int_param(request, "variant_id")
    variant = catalog.update_variant(variant_id, await read_json(request), product_id)
    return v3_data(views.variant(catalog, variant))


async def delete_variant(request: Request) -> Response:
    catalog_of(request).delete_variant(int_param(request, "product_id"), int_param(request, "variant_id"))
    return no_content()


async def list_variants(request: Request) -> Response:
    catalog = catalog_of(request)
    page, limit = page_of(request)
    shape = views.Shape.of(request.query_params, ())
    selection = catalog.list_variants(filters_of(request, VARIANT_FILTERS), offset=(page - 1) * limit, limit=limit)
    items = [views.variant(catalog, v, shape) for v in selection.items]
    return listing(request, items, selection.total, page, limit)


async def update_variants(request: Request) -> Response:
    catalog = catalog_of(request)
    variants = catalog.update_variants(await array_body(request, MAX_VARIANT_BATCH))
    return v3_data([views.variant(catalog, v) for v in variants])


# images
async def list_images(request: Request) -> Response:
    catalog = catalog_of(request)
    page, limit = page_of(request)
    selection = catalog.list_images(int_param(request, "product_id"), offset=(page - 1) * limit, limit=limit)
    items = [views.image(catalog, i) for i in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_image(request: Request) -> Response:
    catalog = catalog_of(request)
    product_id = int_param(request, "product_id")
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        image = await _upload_image(request, catalog, product_id)
    else:
        image = catalog.create_image(product_id, await read_json(request))
    return v3_data(views.image(catalog, image))


async def _upload_image(request: Request, catalog: CatalogState, product_id: int) -> Any:
    """A multipart `image_file` (with optional text fields); the image is served from this request's origin."""
    async with request.form(max_files=1, max_fields=MAX_IMAGE_FORM_FIELDS) as form:
        part = form.get("image_file")
        upload = (part.filename or "", await part.read()) if isinstance(part, UploadFile) else None
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "image_file"}
    return catalog.create_image_file(product_id, fields, upload, str(request.base_url).rstrip("/"))


async def get_image(request: Request) -> Response:
    catalog = catalog_of(request)
    image = catalog.get_image(int_param(request, "product_id"), int_param(request, "image_id"))
    return v3_data(views.image(catalog, image))


async def update_image(request: Request) -> Response:
    catalog = catalog_of(request)
    product_id, image_id = int_param(request, "product_id"), int_param(request, "image_id")
    image = catalog.update_image(product_id, image_id, await read_json(request))
    return v3_data(views.image(catalog, image))


async def delete_image(request: Request) -> Response:
    catalog_of(request).delete_image(int_param(request, "product_id"), int_param(request, "image_id"))
    return no_content()


# categories
async def list_categories(request: Request) -> Response:
    catalog = catalog_of(request)
    page, limit = page_of(request)
    shape = views.Shape.of(request.query_params, ())
    selection = catalog.taxonomy.list_categories(
        filters_of(request, CATEGORY_FILTERS), offset=(page - 1) * limit, limit=limit
    )
    items = [views.category(catalog, c, shape) for c in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_category(request: Request) -> Response:
    catalog = catalog_of(request)
    category = catalog.taxonomy.create_category(await read_json(request))
    return v3_data(views.category(catalog, category))


async def delete_categories(request: Request) -> Response:
    catalog_of(request).taxonomy.delete_categories(filters_of(request, CATEGORY_FILTERS))
    return no_content()


async def get_category(request: Request) -> Response:
    catalog = catalog_of(request)
    category = catalog.taxonomy.get_category(int_param(request, "category_id"))
    return v3_data(views.category(catalog, category, views.Shape.of(request.query_params, ())))


async def update_category(request: Request) -> Response:
    catalog = catalog_of(request)
    category = catalog.taxonomy.update_category(int_param(request, "category_id"), await read_json(request))
    return v3_data(views.category(catalog, category))


async def delete_category(request: Request) -> Response:
    catalog_of(request).taxonomy.delete_category(int_param(request, "category_id"))
    return no_content()


# brands
async def list_brands(request: Request) -> Response:
    catalog = catalog_of(request)
    page, limit = page_of(request)
    shape = views.Shape.of(request.query_params, ())
    selection = catalog.taxonomy.list_brands(filters_of(request, BRAND_FILTERS), offset=(page - 1) * limit, limit=limit)
    items = [views.brand(catalog, b, shape) for b in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_brand(request: Request) -> Response:
    catalog = catalog_of(request)
    brand = catalog.taxonomy.create_brand(await read_json(request))
    return v3_data(views.brand(catalog, brand))


async def delete_brands(request: Request) -> Response:
    catalog_of(request).taxonomy.delete_brands(filters_of(request, BRAND_FILTERS))
    return no_content()


async def get_brand(request: Request) -> Response:
    catalog = catalog_of(request)
    brand = catalog.taxonomy.get_brand(int_param(request, "brand_id"))
    return v3_data(views.brand(catalog, brand, views.Shape.of(request.query_params, ())))


async def update_brand(request: Request) -> Response:
    catalog = catalog_of(request)
    brand = catalog.taxonomy.update_brand(int_param(request, "brand_id"), await read_json(request))
    return v3_data(views.brand(catalog, brand))


async def delete_brand(request: Request) -> Response:
    catalog_of(request).taxonomy.delete_brand(int_param(request, "brand_id"))
    return no_content()


PRODUCT = P + "/products/{product_id}"
routes: list[BaseRoute] = [
    Route(P + "/products", list_products, methods=["GET"]),
    Route(P + "/products", create_product, methods=["POST"]),
    Route(P + "/products", update_products, methods=["PUT"]),
    Route(P + "/products", delete_products, methods=["DELETE"]),
    Route(PRODUCT, get_product, methods=["GET"]),
    Route(PRODUCT, update_product, methods=["PUT"]),
    Route(PRODUCT, delete_product, methods=["DELETE"]),
    Route(PRODUCT + "/variants", list_product_variants, methods=["GET"]),
    Route(PRODUCT + "/variants", create_variant, methods=["POST"]),
    Route(PRODUCT + "/variants/{variant_id}", get_variant, methods=["GET"]),
    Route(PRODUCT + "/variants/{variant_id}", update_variant, methods=["PUT"]),
    Route(PRODUCT + "/variants/{variant_id}", delete_variant, methods=["DELETE"]),
    Route(PRODUCT + "/images", list_images, methods=["GET"]),
    Route(PRODUCT + "/images", create_image, methods=["POST"]),
    Route(PRODUCT + "/images/{image_id}", get_image, methods=["GET"]),
    Route(PRODUCT + "/images/{image_id}", update_image, methods=["PUT"]),
    Route(PRODUCT + "/images/{image_id}", delete_image, methods=["DELETE"]),
    Route(P + "/variants", list_variants, methods=["GET"]),
    Route(P + "/variants", update_variants, methods=["PUT"]),
    Route(P + "/categories", list_categories, methods=["GET"]),
    Route(P + "/categories", create_category, methods=["POST"]),
    Route(P + "/categories", delete_categories, methods=["DELETE"]),
    Route(P + "/categories/{category_id}", get_category, methods=["GET"]),
    Route(P + "/categories/{category_id}", update_category, methods=["PUT"]),
    Route(P + "/categories/{category_id}", delete_category, methods=["DELETE"]),
    Route(P + "/brands", list_brands, methods=["GET"]),
    Route(P + "/brands", create_brand, methods=["POST"]),
    Route(P + "/brands", delete_brands, methods=["DELETE"]),
    Route(P + "/brands/{brand_id}", get_brand, methods=["GET"]),
    Route(P + "/brands/{brand_id}", update_brand, methods=["PUT"]),
    Route(P + "/brands/{brand_id}", delete_brand, methods=["DELETE"]),
]
