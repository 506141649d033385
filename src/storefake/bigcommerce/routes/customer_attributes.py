"""V3 customer attributes and attribute values: `/v3/customers/attributes`, `/v3/customers/attribute-values`.

Array bodies (reference/customers.v3.yml); writes answer `{"data": [...], "meta": {}}`, lists carry
`meta.pagination`, deletes take `id:in` (without it nothing is deleted, as for customers). Values are
written as `value` and read as `attribute_value`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.query import FilterSpec, as_int, as_str, as_timestamp, parse_filters, parse_page, whole_day
from storefake.bigcommerce.render import no_content, utc_z, v3_data, v3_list
from storefake.bigcommerce.routes._common import read_json, store_of
from storefake.bigcommerce.routes.customers import attribute_value_json, ids_in
from storefake.bigcommerce.state.customer_attributes import Attribute, ValueListing
from storefake.bigcommerce.state.customers import batch

IN = frozenset({"in"})
DATES = frozenset({"", "min", "max"})
ATTRIBUTE_FILTERS = {
    "name": FilterSpec(as_str, frozenset({"", "like"})),
    "type": FilterSpec(as_str),
    "date_created": FilterSpec(as_timestamp, DATES),
    "date_modified": FilterSpec(as_timestamp, DATES),
}
VALUE_FILTERS = {
    "customer_id": FilterSpec(as_int, IN),
    "attribute_id": FilterSpec(as_int, IN),
    "name": FilterSpec(as_str),
    "date_created": FilterSpec(as_timestamp, DATES),
    "date_modified": FilterSpec(as_timestamp, DATES),
}
MAX_ATTRIBUTE_BATCH = 50  # a store holds at most 50 attributes, so no body needs more


def attribute_json(attribute: Attribute) -> dict[str, Any]:
    return {
        "id": attribute.id,
        "name": attribute.name,
        "type": attribute.type,
        "date_created": utc_z(attribute.date_created),
        "date_modified": utc_z(attribute.date_modified),
    }


def filters_of(request: Request, specs: dict[str, FilterSpec]) -> list[Any]:
    conditions = parse_filters(request.query_params.multi_items(), specs)
    return [part for c in conditions for part in whole_day(c)]


# attributes
async def list_customer_attributes(request: Request) -> Response:
    paging = parse_page(request.query_params)
    conditions = filters_of(request, ATTRIBUTE_FILTERS)
    found = store_of(request).customer_attributes.search_attributes(conditions, paging.page, paging.limit)
    rows = [attribute_json(a) for a in found.items]
    return v3_list(rows, found.total, paging.page, paging.limit, dict(request.query_params))


async def create_customer_attributes(request: Request) -> Response:
    items = batch(await read_json(request), MAX_ATTRIBUTE_BATCH)
    created = store_of(request).customer_attributes.create_attributes(items)
    return v3_data([attribute_json(a) for a in created])


async def update_customer_attributes(request: Request) -> Response:
    items = batch(await read_json(request), MAX_ATTRIBUTE_BATCH)
    updated = store_of(request).customer_attributes.update_attributes(items)
    return v3_data([attribute_json(a) for a in updated])


async def delete_customer_attributes(request: Request) -> Response:
    store_of(request).customer_attributes.delete_attributes(ids_in(request))
    return no_content()


# values
async def list_customer_attribute_values(request: Request) -> Response:
    paging = parse_page(request.query_params)
    listing = ValueListing(filters_of(request, VALUE_FILTERS), paging.page, paging.limit)
    found = store_of(request).customer_attributes.search_values(listing)
    rows = [attribute_value_json(v) for v in found.items]
    return v3_list(rows, found.total, paging.page, paging.limit, dict(request.query_params))


async def upsert_customer_attribute_values(request: Request) -> Response:
    items = batch(await read_json(request), limit=10_000)  # the limit is on customers per call (state)
    written = store_of(request).customer_attributes.upsert_values(items)
    return v3_data([attribute_value_json(v) for v in written])


async def delete_customer_attribute_values(request: Request) -> Response:
    store_of(request).customer_attributes.delete_values(ids_in(request))
    return no_content()


routes: list[BaseRoute] = [
    Route("/v3/customers/attributes", list_customer_attributes, methods=["GET"]),
    Route("/v3/customers/attributes", create_customer_attributes, methods=["POST"]),
    Route("/v3/customers/attributes", update_customer_attributes, methods=["PUT"]),
    Route("/v3/customers/attributes", delete_customer_attributes, methods=["DELETE"]),
    Route("/v3/customers/attribute-values", list_customer_attribute_values, methods=["GET"]),
    Route("/v3/customers/attribute-values", upsert_customer_attribute_values, methods=["PUT"]),
    Route("/v3/customers/attribute-values", delete_customer_attribute_values, methods=["DELETE"]),
]
