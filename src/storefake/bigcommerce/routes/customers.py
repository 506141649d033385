"""V3 customers and customer addresses: `/v3/customers` and `/v3/customers/addresses`.

Bodies are arrays (at most 10 items, 413 above); there is no `/v3/customers/{id}` (single reads use
`id:in`); lists carry `meta.pagination` and `meta.cursor_pagination` (customers.v3.yml).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import InvalidQueryParameter
from storefake.bigcommerce.query import (
    FilterSpec,
    as_int,
    as_str,
    as_timestamp,
    csv_param,
    parse_filters,
    parse_page,
    whole_day,
)
from storefake.bigcommerce.render import JSONBody, no_content, utc_z, v3_data, v3_list, v3_pagination
from storefake.bigcommerce.routes._common import read_json, store_of
from storefake.bigcommerce.state.customer_attributes import AttributeValue
from storefake.bigcommerce.state.customers import (
    Address,
    Customer,
    CustomerState,
    Listing,
    Page,
    batch,
    decode_cursor,
    encode_cursor,
)

IN = frozenset({"in"})
DATES = frozenset({"", "min", "max"})
CUSTOMER_FILTERS = {
    "id": FilterSpec(as_int, IN),
    "email": FilterSpec(as_str, IN),
    "name": FilterSpec(as_str, frozenset({"in", "like"})),
    "company": FilterSpec(as_str, IN),
    "customer_group_id": FilterSpec(as_int, IN),
    "phone": FilterSpec(as_str, IN),
    "registration_ip_address": FilterSpec(as_str, IN),
    "date_created": FilterSpec(as_timestamp, DATES),
    "date_modified": FilterSpec(as_timestamp, DATES),
}
ADDRESS_FILTERS = {
    "id": FilterSpec(as_int, IN),
    "customer_id": FilterSpec(as_int, IN),
    "name": FilterSpec(as_str, IN),
    "company": FilterSpec(as_str, IN),
}
CUSTOMER_SORTS = frozenset({"date_created", "last_name", "date_modified"})


# rendering
def address_json(
    address: Address, include: frozenset[str] = frozenset(), state: CustomerState | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": address.id,
        "customer_id": address.customer_id,
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": address.company,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "state_or_province": address.state_or_province,
        "postal_code": address.postal_code,
        "country": address.country,
        "country_code": address.country_code,
        "phone": address.phone,
        "address_type": address.address_type,
    }
    if "formfields" in include and state is not None:
        body["form_fields"] = state.store.customer_form_fields.of_address(address.id)
    return body


def attribute_value_json(value: AttributeValue) -> dict[str, Any]:
    """An attribute value as customers and /attribute-values list it (`attribute_value`, not `value`)."""
    return {
        "id": value.id,
        "customer_id": value.customer_id,
        "attribute_id": value.attribute_id,
        "attribute_value": value.value,
        "date_created": utc_z(value.date_created),
        "date_modified": utc_z(value.date_modified),
    }


def customer_json(customer: Customer, state: CustomerState, include: frozenset[str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": customer.id,
        "authentication": {"force_password_reset": customer.force_password_reset},
        "company": customer.company,
        "customer_group_id": customer.customer_group_id,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "notes": customer.notes,
        "phone": customer.phone,
        "registration_ip_address": customer.registration_ip_address,
        "tax_exempt_category": customer.tax_exempt_category,
        "date_created": utc_z(customer.date_created),
        "date_modified": utc_z(customer.date_modified),
        "accepts_product_review_abandoned_cart_emails": customer.accepts_product_review_abandoned_cart_emails,
        "origin_channel_id": customer.origin_channel_id,
        "channel_ids": None if customer.channel_ids is None else list(customer.channel_ids),
        "address_count": state.address_count(customer.id),
        "attribute_count": state.store.customer_attributes.count_of(customer.id),
    }
    if "addresses" in include:
        body["addresses"] = [address_json(a, include, state) for a in state.addresses_of(customer.id)]
    if "storecredit" in include:
        body["store_credit_amounts"] = [dict(s) for s in customer.store_credit_amounts]
    if "attributes" in include:
        values = state.store.customer_attributes.values_of(customer.id)
        body["attributes"] = [attribute_value_json(v) for v in values]
    if "formfields" in include:
        body["form_fields"] = state.store.customer_form_fields.of_customer(customer.id)
    return body


def cursor_meta(page: Page, limit: int, cursor_mode: bool, first_page: bool) -> dict[str, Any]:
    """`meta.cursor_pagination`; cursors are given on the first page or when paging by cursor."""
    meta: dict[str, Any] = {"count": len(page.items), "per_page": limit}
    links: dict[str, str] = {}
    if page.items and (cursor_mode or first_page):
        start, end = encode_cursor(page.items[0].id), encode_cursor(page.items[-1].id)
        meta["start_cursor"], meta["end_cursor"] = start, end
        if page.has_before:
            links["previous"] = "?" + urlencode({"before": start, "limit": limit})
        if page.has_after:
            links["next"] = "?" + urlencode({"after": end, "limit": limit})
    meta["links"] = links
    return meta


def list_response(request: Request, page: Page, listing: Listing, rows: list[dict[str, Any]]) -> Response:
    query = {k: v for k, v in request.query_params.items() if k not in ("before", "after")}
    cursor_mode = listing.before is not None or listing.after is not None
    pagination = v3_pagination(page.total, listing.page, listing.limit, query)
    pagination["count"] = len(rows)
    meta = {
        "pagination": pagination,
        "cursor_pagination": cursor_meta(page, listing.limit, cursor_mode, listing.page == 1),
    }
    return JSONBody({"data": rows, "meta": meta})


# parsing
def listing_of(request: Request, specs: Mapping[str, FilterSpec], sorts: frozenset[str]) -> Listing:
    params = request.query_params
    conditions = parse_filters(params.multi_items(), specs)
    conditions = [part for c in conditions for part in whole_day(c)]
    paging = parse_page(params)
    sort, descending = _sort_of(params.get("sort"), sorts)
    before = decode_cursor(params["before"], "before") if params.get("before") else None
    after = decode_cursor(params["after"], "after") if params.get("after") else None
    if before is not None and after is not None:
        raise InvalidQueryParameter(parameters={"name": "before, after"})
    return Listing(conditions, sort, descending, paging.page, paging.limit, before, after)


def _sort_of(raw: str | None, allowed: frozenset[str]) -> tuple[str | None, bool]:
    if not raw:
        return None, False
    name, _, direction = raw.partition(":")
    if name not in allowed or direction not in ("", "asc", "desc"):
        raise InvalidQueryParameter(parameters={"name": "sort"})
    return name, direction == "desc"


def include_of(request: Request) -> frozenset[str]:
    return frozenset(csv_param(request.query_params, "include"))


def ids_in(request: Request) -> list[int]:
    conditions = parse_filters(request.query_params.multi_items(), {"id": FilterSpec(as_int, IN)})
    return [i for c in conditions for i in c.value]


# customers
async def list_customers(request: Request) -> Response:
    state = store_of(request).customers
    listing = listing_of(request, CUSTOMER_FILTERS, CUSTOMER_SORTS)
    page = state.search_customers(listing)
    include = include_of(request)
    return list_response(request, page, listing, [customer_json(c, state, include) for c in page.items])


async def create_customers(request: Request) -> Response:
    state = store_of(request).customers
    created = state.create_customers(batch(await read_json(request)))
    include = frozenset({"addresses", "storecredit"})
    return v3_data([customer_json(c, state, include) for c in created])


async def update_customers(request: Request) -> Response:
    state = store_of(request).customers
    updated = state.update_customers(batch(await read_json(request)))
    include = frozenset({"addresses", "storecredit"})
    return v3_data([customer_json(c, state, include) for c in updated])


async def delete_customers(request: Request) -> Response:
    # Without `id:in` nothing is deleted (vendor-facts §5: a bare DELETE is 204 and deletes nothing).
    store_of(request).customers.delete_customers(ids_in(request))
    return no_content()


# addresses
async def list_addresses(request: Request) -> Response:
    state = store_of(request).customers
    listing = listing_of(request, ADDRESS_FILTERS, frozenset())
    page = state.search_addresses(listing)
    include = include_of(request)
    return v3_list(
        [address_json(a, include, state) for a in page.items],
        page.total,
        listing.page,
        listing.limit,
        dict(request.query_params),
    )


async def create_addresses(request: Request) -> Response:
    created = store_of(request).customers.create_addresses(batch(await read_json(request)))
    return v3_data([address_json(a) for a in created])


async def update_addresses(request: Request) -> Response:
    updated = store_of(request).customers.update_addresses(batch(await read_json(request)))
    return v3_data([address_json(a) for a in updated])


async def delete_addresses(request: Request) -> Response:
    store_of(request).customers.delete_addresses(ids_in(request))
    return no_content()


routes: list[BaseRoute] = [
    Route("/v3/customers/addresses", list_addresses, methods=["GET"]),
    Route("/v3/customers/addresses", create_addresses, methods=["POST"]),
    Route("/v3/customers/addresses", update_addresses, methods=["PUT"]),
    Route("/v3/customers/addresses", delete_addresses, methods=["DELETE"]),
    Route("/v3/customers", list_customers, methods=["GET"]),
    Route("/v3/customers", create_customers, methods=["POST"]),
    Route("/v3/customers", update_customers, methods=["PUT"]),
    Route("/v3/customers", delete_customers, methods=["DELETE"]),
]
