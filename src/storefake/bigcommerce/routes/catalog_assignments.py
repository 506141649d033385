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


def assignment_routes(other: str) -> list[BaseRoute]:
    """The list, PUT and DELETE of `/products/{other}-assignments` (`channel` or `category`): one shape.

    The state names its methods after the family (`list_channel_assignments`, ...), and a pair is
    `{product_id, <other>_id}` on the wire.
    """
    other_id = f"{other}_id"
    family = f"{other}_assignments"

    def filters(request: Request) -> tuple[Any, Any]:
        return ids_param(request, "product_id:in"), ids_param(request, f"{other_id}:in")

    async def list_pairs(request: Request) -> Response:
        page, limit = page_of(request)
        lister = getattr(catalog_of(request), f"list_{family}")
        selection = lister(*filters(request), offset=(page - 1) * limit, limit=limit)
        items = [{"product_id": product, other_id: value} for product, value in selection.items]
        return listing(request, items, selection.total, page, limit)

    async def create_pairs(request: Request) -> Response:
        getattr(catalog_of(request), f"create_{family}")(await _array(request))
        return no_content()

    async def delete_pairs(request: Request) -> Response:
        getattr(catalog_of(request), f"delete_{family}")(*filters(request))
        return no_content()

    path = f"{P}/products/{other}-assignments"
    return [
        Route(path, list_pairs, methods=["GET"], name=f"list_{family}"),
        Route(path, create_pairs, methods=["PUT"], name=f"create_{family}"),
        Route(path, delete_pairs, methods=["DELETE"], name=f"delete_{family}"),
    ]


# summary
async def get_catalog_summary(request: Request) -> Response:
    summary = catalog_of(request).get_catalog_summary()
    for key in ("oldest_variant_date", "newest_variant_date"):
        summary[key] = "" if summary[key] is None else iso8601(summary[key])
    return v3_data(summary)


routes: list[BaseRoute] = [
    *assignment_routes("channel"),
    *assignment_routes("category"),
    Route(P + "/summary", get_catalog_summary, methods=["GET"]),
]
