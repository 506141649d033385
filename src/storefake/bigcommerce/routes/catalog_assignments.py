"""V3 product channel and category assignments, and the catalog summary.

`/v3/catalog/products/channel-assignments` and `/category-assignments`: GET lists `{product_id, channel_id}`
(or `category_id`) pairs with `meta.pagination`; PUT takes an array of pairs and answers 204; DELETE needs
`product_id:in` or the other id filter and answers 204. `GET /v3/catalog/summary` answers `{data, meta: {}}`.
These literal paths sit beside `/products/{product_id}`, so they are listed before the catalog's routes.
Source: reference/catalog/products_catalog.v3.yml.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import InvalidJSON
from storefake.bigcommerce.render import iso8601, no_content, v3_data
from storefake.bigcommerce.routes._common import ids_param, read_json
from storefake.bigcommerce.routes.catalog import catalog_of, listing, page_of

P = "/v3/catalog"


async def _array(request: Request) -> list[Any]:
    body = await read_json(request)
    if not isinstance(body, list):
        raise InvalidJSON(errors={})
    return body


# channel assignments
async def list_channel_assignments(request: Request) -> Response:
    page, limit = page_of(request)
    selection = catalog_of(request).list_channel_assignments(
        ids_param(request, "product_id:in"),
        ids_param(request, "channel_id:in"),
        offset=(page - 1) * limit,
        limit=limit,
    )
    items = [{"product_id": p, "channel_id": c} for p, c in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_channel_assignments(request: Request) -> Response:
    catalog_of(request).create_channel_assignments(await _array(request))
    return no_content()


async def delete_channel_assignments(request: Request) -> Response:
    catalog = catalog_of(request)
    catalog.delete_channel_assignments(ids_param(request, "product_id:in"), ids_param(request, "channel_id:in"))
    return no_content()


# category assignments
async def list_category_assignments(request: Request) -> Response:
    page, limit = page_of(request)
    selection = catalog_of(request).list_category_assignments(
        ids_param(request, "product_id:in"),
        ids_param(request, "category_id:in"),
        offset=(page - 1) * limit,
        limit=limit,
    )
    items = [{"product_id": p, "category_id": c} for p, c in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_category_assignments(request: Request) -> Response:
    catalog_of(request).create_category_assignments(await _array(request))
    return no_content()


async def delete_category_assignments(request: Request) -> Response:
    catalog = catalog_of(request)
    catalog.delete_category_assignments(ids_param(request, "product_id:in"), ids_param(request, "category_id:in"))
    return no_content()


# summary
async def get_catalog_summary(request: Request) -> Response:
    summary = catalog_of(request).get_catalog_summary()
    for key in ("oldest_variant_date", "newest_variant_date"):
        summary[key] = "" if summary[key] is None else iso8601(summary[key])
    return v3_data(summary)


routes: list[BaseRoute] = [
    Route(P + "/products/channel-assignments", list_channel_assignments, methods=["GET"]),
    Route(P + "/products/channel-assignments", create_channel_assignments, methods=["PUT"]),
    Route(P + "/products/channel-assignments", delete_channel_assignments, methods=["DELETE"]),
    Route(P + "/products/category-assignments", list_category_assignments, methods=["GET"]),
    Route(P + "/products/category-assignments", create_category_assignments, methods=["PUT"]),
    Route(P + "/products/category-assignments", delete_category_assignments, methods=["DELETE"]),
    Route(P + "/summary", get_catalog_summary, methods=["GET"]),
]
