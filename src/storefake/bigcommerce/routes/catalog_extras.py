"""V3 catalog endpoints for a product's custom fields, bulk pricing rules, videos and reviews.

`/products/{product_id}/custom-fields`, `/bulk-pricing-rules`, `/videos` and `/reviews`, each with its
`/{id}`: creates and updates answer 200 `{"data": ..., "meta": {}}`, lists `meta.pagination`, deletes 204;
`include_fields` / `exclude_fields` trim the objects; reviews filter by `status` (1 approved, 0 pending).
Source: reference/catalog/products_catalog.v3.yml.
"""

from __future__ import annotations

from collections.abc import Callable
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


# custom fields
async def list_custom_fields(request: Request) -> Response:
    selection = catalog_of(request).list_custom_fields(int_param(request, "product_id"), **_offset(request))
    return _page(request, selection, views.custom_field)


async def create_custom_field(request: Request) -> Response:
    created = catalog_of(request).create_custom_field(int_param(request, "product_id"), await read_json(request))
    return v3_data(views.custom_field(created))


async def get_custom_field(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "custom_field_id")
    return v3_data(views.custom_field(catalog_of(request).get_custom_field(*ids), _shape(request)))


async def update_custom_field(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "custom_field_id")
    return v3_data(views.custom_field(catalog_of(request).update_custom_field(*ids, await read_json(request))))


async def delete_custom_field(request: Request) -> Response:
    catalog_of(request).delete_custom_field(int_param(request, "product_id"), int_param(request, "custom_field_id"))
    return no_content()


# bulk pricing rules
async def list_bulk_pricing_rules(request: Request) -> Response:
    selection = catalog_of(request).list_bulk_pricing_rules(int_param(request, "product_id"), **_offset(request))
    return _page(request, selection, views.bulk_pricing_rule)


async def create_bulk_pricing_rule(request: Request) -> Response:
    rule = catalog_of(request).create_bulk_pricing_rule(int_param(request, "product_id"), await read_json(request))
    return v3_data(views.bulk_pricing_rule(rule))


async def get_bulk_pricing_rule(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "bulk_pricing_rule_id")
    return v3_data(views.bulk_pricing_rule(catalog_of(request).get_bulk_pricing_rule(*ids), _shape(request)))


async def update_bulk_pricing_rule(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "bulk_pricing_rule_id")
    rule = catalog_of(request).update_bulk_pricing_rule(*ids, await read_json(request))
    return v3_data(views.bulk_pricing_rule(rule))


async def delete_bulk_pricing_rule(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "bulk_pricing_rule_id")
    catalog_of(request).delete_bulk_pricing_rule(*ids)
    return no_content()


# videos
async def list_videos(request: Request) -> Response:
    selection = catalog_of(request).list_videos(int_param(request, "product_id"), **_offset(request))
    return _page(request, selection, views.video)


async def create_video(request: Request) -> Response:
    video = catalog_of(request).create_video(int_param(request, "product_id"), await read_json(request))
    return v3_data(views.video(video))


async def get_video(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "video_id")
    return v3_data(views.video(catalog_of(request).get_video(*ids), _shape(request)))


async def update_video(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "video_id")
    return v3_data(views.video(catalog_of(request).update_video(*ids, await read_json(request))))


async def delete_video(request: Request) -> Response:
    catalog_of(request).delete_video(int_param(request, "product_id"), int_param(request, "video_id"))
    return no_content()


# reviews
async def list_reviews(request: Request) -> Response:
    conditions = []
    status = request.query_params.get("status")
    if status is not None:
        if status not in REVIEW_STATUS:
            raise InvalidQueryParameter(parameters={"name": "status"})
        conditions.append(Condition("status", "eq", REVIEW_STATUS[status]))
    product_id = int_param(request, "product_id")
    selection = catalog_of(request).list_reviews(product_id, conditions, **_offset(request))
    return _page(request, selection, views.review)


async def create_review(request: Request) -> Response:
    review = catalog_of(request).create_review(int_param(request, "product_id"), await read_json(request))
    return v3_data(views.review(review))


async def get_review(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "review_id")
    return v3_data(views.review(catalog_of(request).get_review(*ids), _shape(request)))


async def update_review(request: Request) -> Response:
    ids = int_param(request, "product_id"), int_param(request, "review_id")
    return v3_data(views.review(catalog_of(request).update_review(*ids, await read_json(request))))


async def delete_review(request: Request) -> Response:
    catalog_of(request).delete_review(int_param(request, "product_id"), int_param(request, "review_id"))
    return no_content()


PRODUCT = "/v3/catalog/products/{product_id}"
routes: list[BaseRoute] = [
    Route(PRODUCT + "/custom-fields", list_custom_fields, methods=["GET"]),
    Route(PRODUCT + "/custom-fields", create_custom_field, methods=["POST"]),
    Route(PRODUCT + "/custom-fields/{custom_field_id}", get_custom_field, methods=["GET"]),
    Route(PRODUCT + "/custom-fields/{custom_field_id}", update_custom_field, methods=["PUT"]),
    Route(PRODUCT + "/custom-fields/{custom_field_id}", delete_custom_field, methods=["DELETE"]),
    Route(PRODUCT + "/bulk-pricing-rules", list_bulk_pricing_rules, methods=["GET"]),
    Route(PRODUCT + "/bulk-pricing-rules", create_bulk_pricing_rule, methods=["POST"]),
    Route(PRODUCT + "/bulk-pricing-rules/{bulk_pricing_rule_id}", get_bulk_pricing_rule, methods=["GET"]),
    Route(PRODUCT + "/bulk-pricing-rules/{bulk_pricing_rule_id}", update_bulk_pricing_rule, methods=["PUT"]),
    Route(PRODUCT + "/bulk-pricing-rules/{bulk_pricing_rule_id}", delete_bulk_pricing_rule, methods=["DELETE"]),
    Route(PRODUCT + "/videos", list_videos, methods=["GET"]),
    Route(PRODUCT + "/videos", create_video, methods=["POST"]),
    Route(PRODUCT + "/videos/{video_id}", get_video, methods=["GET"]),
    Route(PRODUCT + "/videos/{video_id}", update_video, methods=["PUT"]),
    Route(PRODUCT + "/videos/{video_id}", delete_video, methods=["DELETE"]),
    Route(PRODUCT + "/reviews", list_reviews, methods=["GET"]),
    Route(PRODUCT + "/reviews", create_review, methods=["POST"]),
    Route(PRODUCT + "/reviews/{review_id}", get_review, methods=["GET"]),
    Route(PRODUCT + "/reviews/{review_id}", update_review, methods=["PUT"]),
    Route(PRODUCT + "/reviews/{review_id}", delete_review, methods=["DELETE"]),
]
