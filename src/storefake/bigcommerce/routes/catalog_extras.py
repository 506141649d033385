"""V3 catalog endpoints for a product's custom fields, bulk pricing rules, videos and reviews.

`/products/{product_id}/custom-fields`, `/bulk-pricing-rules`, `/videos` and `/reviews`, each with its
`/{id}`: creates and updates answer 200 `{"data": ..., "meta": {}}`, lists `meta.pagination`, deletes 204;
`include_fields` / `exclude_fields` trim the objects; reviews filter by `status` (1 approved, 0 pending).
Source: reference/catalog/products_catalog.v3.yml.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import InvalidQueryParameter
from storefake.bigcommerce.render import no_content, v3_data
from storefake.bigcommerce.routes import catalog_views as views
from storefake.bigcommerce.routes._common import int_param, read_json
from storefake.bigcommerce.routes.catalog import catalog_of, listing, page_of
from storefake.filtering import Condition

# The spec's review `status` filter: 1 approved, 0 pending.
REVIEW_STATUS = {"1": "approved", "0": "pending"}


def _shape(request: Request) -> views.Shape:
    return views.Shape.of(request.query_params, ())


def _page(request: Request, selection: Any, render: Callable[..., dict[str, Any]]) -> Response:
    page, limit = page_of(request)
    shape = _shape(request)
    return listing(request, [render(item, shape) for item in selection.items], selection.total, page, limit)


def _offset(request: Request) -> dict[str, int]:
    page, limit = page_of(request)
    return {"offset": (page - 1) * limit, "limit": limit}


def _review_conditions(request: Request) -> list[Condition]:
    status = request.query_params.get("status")
    if status is None:
        return []
    if status not in REVIEW_STATUS:
        raise InvalidQueryParameter(parameters={"name": "status"})
    return [Condition("status", "eq", REVIEW_STATUS[status])]


@dataclass(frozen=True)
class SubResource:
    """One family under a product: its path, its id's path parameter, its state methods and its view.

    The state names its methods after the family (`list_videos`, `create_video`, `get_video`, ...), so the
    five endpoints of every family are the same code, made once by `sub_resource_routes`.
    """

    path: str  # "videos"
    name: str  # "video": the state's create_/get_/update_/delete_ methods, "{name}_id" the path parameter
    plural: str  # "videos": the state's list_ method
    render: Callable[..., dict[str, Any]]
    conditions: Callable[[Request], list[Condition]] | None = None  # list filters the family takes


def sub_resource_routes(family: SubResource) -> list[BaseRoute]:
    item_id = f"{family.name}_id"

    def ids(request: Request) -> tuple[int, int]:
        return int_param(request, "product_id"), int_param(request, item_id)

    async def list_items(request: Request) -> Response:
        lister = getattr(catalog_of(request), f"list_{family.plural}")
        filters = [family.conditions(request)] if family.conditions is not None else []
        selection = lister(int_param(request, "product_id"), *filters, **_offset(request))
        return _page(request, selection, family.render)

    async def create_item(request: Request) -> Response:
        creator = getattr(catalog_of(request), f"create_{family.name}")
        return v3_data(family.render(creator(int_param(request, "product_id"), await read_json(request))))

    async def get_item(request: Request) -> Response:
        getter = getattr(catalog_of(request), f"get_{family.name}")
        return v3_data(family.render(getter(*ids(request)), _shape(request)))

    async def update_item(request: Request) -> Response:
        updater = getattr(catalog_of(request), f"update_{family.name}")
        return v3_data(family.render(updater(*ids(request), await read_json(request))))

    async def delete_item(request: Request) -> Response:
        getattr(catalog_of(request), f"delete_{family.name}")(*ids(request))
        return no_content()

    collection, item = f"{PRODUCT}/{family.path}", f"{PRODUCT}/{family.path}/{{{item_id}}}"
    return [
        Route(collection, list_items, methods=["GET"], name=f"list_{family.plural}"),
        Route(collection, create_item, methods=["POST"], name=f"create_{family.name}"),
        Route(item, get_item, methods=["GET"], name=f"get_{family.name}"),
        Route(item, update_item, methods=["PUT"], name=f"update_{family.name}"),
        Route(item, delete_item, methods=["DELETE"], name=f"delete_{family.name}"),
    ]


PRODUCT = "/v3/catalog/products/{product_id}"
FAMILIES = (
    SubResource("custom-fields", "custom_field", "custom_fields", views.custom_field),
    SubResource("bulk-pricing-rules", "bulk_pricing_rule", "bulk_pricing_rules", views.bulk_pricing_rule),
    SubResource("videos", "video", "videos", views.video),
    SubResource("reviews", "review", "reviews", views.review, conditions=_review_conditions),
)
routes: list[BaseRoute] = [route for family in FAMILIES for route in sub_resource_routes(family)]
