"""Metafield endpoints of every owner type, built from one table of owners over one state module.

Per owner (reference/catalog/*_catalog.v3.yml, customers.v3.yml, orders.v3.yml):
`GET/POST <owner>/{id}/metafields`, `GET/PUT/DELETE <owner>/{id}/metafields/{metafield_id}`, and the
batch endpoints `GET/POST/PUT/DELETE <owners>/metafields` (POST items name `resource_id`, PUT items
`id`, DELETE takes a list of ids). Batches answer 200 `{data, errors: [], meta: {total, success,
failed}}`, or 422 with the successes in `data` and the failures in `errors` when any item failed.
A body that is not JSON is the specs' 400 "Input is invalid" with `detail: "Syntax error"`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake import wire
from storefake.bigcommerce.errors import (
    InvalidQueryParameter,
    MetafieldBatchFailed,
    MetafieldInputInvalid,
    MetafieldInvalid,
)
from storefake.bigcommerce.query import FilterSpec, as_int, as_str, as_timestamp, csv_param, parse_filters, parse_page
from storefake.bigcommerce.render import JSONBody, iso8601, no_content, v3_batch, v3_data, v3_pagination
from storefake.bigcommerce.routes._common import account_of, int_param, store_of
from storefake.bigcommerce.routes.customers import cursor_meta
from storefake.bigcommerce.state.customers import decode_cursor
from storefake.bigcommerce.state.metafields import Metafield, MetafieldListing, MetafieldState, Owner

STRINGS = frozenset({"", "in"})
DATES = frozenset({"", "min", "max"})
FILTERS = {
    "key": FilterSpec(as_str, STRINGS),
    "namespace": FilterSpec(as_str, STRINGS),
    "date_created": FilterSpec(as_timestamp, DATES),
    "date_modified": FilterSpec(as_timestamp, DATES),
}
BATCH_FILTERS = {**FILTERS, "resource_id": FilterSpec(as_int, frozenset({"in"}))}
FIELDS = ("id", "key", "value", "namespace", "permission_set", "resource_type", "resource_id", "description",
          "date_created", "date_modified", "owner_client_id")  # fmt: skip


@dataclass(frozen=True, slots=True)
class OwnerPaths:
    """Where one owner type's metafields live: its item path, the path parameter naming it, its batch path."""

    resource_type: str
    item: str
    param: str
    batch: str


OWNERS = (
    OwnerPaths("product", "/v3/catalog/products/{product_id}", "product_id", "/v3/catalog/products/metafields"),
    OwnerPaths(
        "variant",
        "/v3/catalog/products/{product_id}/variants/{variant_id}",
        "variant_id",
        "/v3/catalog/variants/metafields",
    ),
    OwnerPaths("category", "/v3/catalog/categories/{category_id}", "category_id", "/v3/catalog/categories/metafields"),
    OwnerPaths("brand", "/v3/catalog/brands/{brand_id}", "brand_id", "/v3/catalog/brands/metafields"),
    OwnerPaths("customer", "/v3/customers/{customer_id}", "customer_id", "/v3/customers/metafields"),
    OwnerPaths("order", "/v3/orders/{order_id}", "order_id", "/v3/orders/metafields"),
    OwnerPaths(
        "location", "/v3/inventory/locations/{location_id}", "location_id", "/v3/inventory/locations/metafields"
    ),
)


# rendering
def metafield_json(metafield: Metafield, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": metafield.id,
        "key": metafield.key,
        "value": metafield.value,
        "namespace": metafield.namespace,
        "permission_set": metafield.permission_set,
        "resource_type": metafield.resource_type,
        "resource_id": metafield.resource_id,
        "description": metafield.description,
        "date_created": iso8601(metafield.date_created),
        "date_modified": iso8601(metafield.date_modified),
        "owner_client_id": metafield.owner_client_id,
    }
    if include:
        # `include_fields`: the id and the fields named (metafield specs, IncludeFieldsParamMetafields).
        return {name: value for name, value in body.items() if name == "id" or name in include}
    return body


def batch_response(result: Any, render: Callable[[Any], Any]) -> Response:
    failure = MetafieldBatchFailed(errors=result.failures) if result.failures else None
    meta = {"total": result.total, "success": len(result.done), "failed": len(result.failures)}
    return v3_batch([render(item) for item in result.done], failure, meta)


# parsing
def state_of(request: Request) -> MetafieldState:
    state: MetafieldState = store_of(request).metafields
    return state


def client_of(request: Request) -> str:
    return account_of(request).client_id


async def metafield_body(request: Request) -> Any:
    """The decoded body; anything but JSON is the metafield specs' 400 (detail "Syntax error")."""
    try:
        return wire.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise MetafieldInputInvalid(detail={"detail": "Syntax error"}) from None


async def batch_body(request: Request) -> list[Any]:
    body = await metafield_body(request)
    if not isinstance(body, list):
        raise MetafieldInvalid(errors={"obj": "error.expected.jsarray"})
    return body


def listing_of(request: Request, specs: Mapping[str, FilterSpec]) -> MetafieldListing:
    params = request.query_params
    paging = parse_page(params)
    before = decode_cursor(params["before"], "before") if params.get("before") else None
    after = decode_cursor(params["after"], "after") if params.get("after") else None
    if before is not None and after is not None:
        raise InvalidQueryParameter(parameters={"name": "before, after"})
    return MetafieldListing(
        conditions=parse_filters(params.multi_items(), specs),
        descending=params.get("direction", "asc").lower() == "desc",
        offset=0 if before is not None or after is not None else paging.offset,
        limit=paging.limit,
        before=before,
        after=after,
    )


def include_of(request: Request) -> frozenset[str]:
    return frozenset(csv_param(request.query_params, "include_fields")) & frozenset(FIELDS)


def owner_of(request: Request, paths: OwnerPaths) -> Owner:
    product_id = int_param(request, "product_id") if paths.resource_type == "variant" else None
    return Owner(paths.resource_type, int_param(request, paths.param), product_id)


def list_response(request: Request, page: Any, listing: MetafieldListing) -> Response:
    include = include_of(request)
    query = {k: v for k, v in request.query_params.items() if k not in ("before", "after")}
    current = listing.offset // listing.limit + 1
    cursor_mode = listing.before is not None or listing.after is not None
    pagination = v3_pagination(page.total, current, listing.limit, query)
    pagination["count"] = len(page.items)
    meta = {
        "pagination": pagination,
        "cursor_pagination": cursor_meta(page, listing.limit, cursor_mode, current == 1),
    }
    return JSONBody({"data": [metafield_json(m, include) for m in page.items], "meta": meta})


# endpoints, one set per owner type (each closes over the owner's paths)
def endpoints(paths: OwnerPaths) -> list[BaseRoute]:
    kind = paths.resource_type

    async def list_metafields(request: Request) -> Response:
        listing = listing_of(request, FILTERS)
        page = state_of(request).list_metafields(kind, owner_of(request, paths), client_of(request), listing)
        return list_response(request, page, listing)

    async def create_metafield(request: Request) -> Response:
        body = await metafield_body(request)
        created = state_of(request).create_metafield(owner_of(request, paths), body, client_of(request))
        return v3_data(metafield_json(created))

    async def get_metafield(request: Request) -> Response:
        metafield_id = int_param(request, "metafield_id")
        found = state_of(request).get_metafield(owner_of(request, paths), metafield_id, client_of(request))
        return v3_data(metafield_json(found, include_of(request)))

    async def update_metafield(request: Request) -> Response:
        owner, metafield_id = owner_of(request, paths), int_param(request, "metafield_id")
        body = await metafield_body(request)
        updated = state_of(request).update_metafield(owner, metafield_id, body, client_of(request))
        return v3_data(metafield_json(updated))

    async def delete_metafield(request: Request) -> Response:
        owner, metafield_id = owner_of(request, paths), int_param(request, "metafield_id")
        state_of(request).delete_metafield(owner, metafield_id, client_of(request))
        return no_content()

    async def list_all_metafields(request: Request) -> Response:
        listing = listing_of(request, BATCH_FILTERS)
        page = state_of(request).list_metafields(kind, None, client_of(request), listing)
        return list_response(request, page, listing)

    async def create_metafields(request: Request) -> Response:
        result = state_of(request).create_metafields(kind, await batch_body(request), client_of(request))
        return batch_response(result, metafield_json)

    async def update_metafields(request: Request) -> Response:
        result = state_of(request).update_metafields(kind, await batch_body(request), client_of(request))
        return batch_response(result, metafield_json)

    async def delete_metafields(request: Request) -> Response:
        result = state_of(request).delete_metafields(kind, await batch_body(request), client_of(request))
        return batch_response(result, lambda metafield_id: metafield_id)

    one = paths.item + "/metafields"
    return [
        Route(paths.batch, list_all_metafields, methods=["GET"]),
        Route(paths.batch, create_metafields, methods=["POST"]),
        Route(paths.batch, update_metafields, methods=["PUT"]),
        Route(paths.batch, delete_metafields, methods=["DELETE"]),
        Route(one, list_metafields, methods=["GET"]),
        Route(one, create_metafield, methods=["POST"]),
        Route(one + "/{metafield_id}", get_metafield, methods=["GET"]),
        Route(one + "/{metafield_id}", update_metafield, methods=["PUT"]),
        Route(one + "/{metafield_id}", delete_metafield, methods=["DELETE"]),
    ]


_all = [route for paths in OWNERS for route in endpoints(paths)]
# The batch paths are literal siblings of `{id}` routes (`/catalog/products/metafields` beside
# `/catalog/products/{product_id}`), so they are served before the other families' routes.
batch_routes: list[BaseRoute] = [r for r in _all if isinstance(r, Route) and "{" not in r.path]
routes: list[BaseRoute] = [r for r in _all if r not in batch_routes]
