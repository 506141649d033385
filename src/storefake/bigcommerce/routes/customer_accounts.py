"""V3 customer form-field values, consent and credential checks (reference/customers.v3.yml).

- `/v3/customers/form-field-values`: GET (filters `customer_id`, `address_id`, `field_name`, `field_type`;
  `page`/`limit` or `before`/`after`; `meta.pagination` on offset pages, `meta.cursor_pagination` on the
  first page and on cursor pages) and the deprecated PUT upsert of `[{customer_id | address_id, name, value}]`.
- `/v3/customers/{customerId}/consent`: GET and PUT answer the bare `{allow, deny, updated_at}`, where
  `updated_at` is the time of the call (the spec's note says the vendor does the same).
- `POST /v3/customers/validate-credentials`: `{email, password, channel_id?}` answers the bare
  `{is_valid, customer_id}`; checks are limited per email (429 `Too many requests` beyond).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import InvalidQueryParameter, ResourceNotFound
from storefake.bigcommerce.query import parse_page
from storefake.bigcommerce.render import JSONBody, utc_z, v3_data, v3_pagination
from storefake.bigcommerce.routes._common import read_json, store_of
from storefake.bigcommerce.routes.customers import cursor_meta
from storefake.bigcommerce.state.customer_form_fields import FIELD_TYPES, FormFieldValue
from storefake.bigcommerce.state.customer_listing import Listing, decode_cursor
from storefake.bigcommerce.state.customers import batch
from storefake.filtering import Condition

FIELD_FILTERS = {"customer_id": "customer_id", "address_id": "address_id", "field_name": "name"}


def form_field_value_json(row: FormFieldValue) -> dict[str, Any]:
    owner = {"customer_id": row.customer_id} if row.customer_id else {"address_id": row.address_id}
    return {**owner, **row.pair()}


def field_listing_of(request: Request) -> Listing:
    params = request.query_params
    conditions: list[Condition] = []
    for param, field in FIELD_FILTERS.items():
        if param in params:
            raw = params[param]
            if field != "name" and (not raw.isdigit() or len(raw) > 18):
                raise InvalidQueryParameter(parameters={"name": param})
            conditions.append(Condition(field, "eq", raw if field == "name" else int(raw)))
    if "field_type" in params:
        if params["field_type"] not in FIELD_TYPES:
            raise InvalidQueryParameter(parameters={"name": "field_type"})
        conditions.append(Condition("field_type", "eq", params["field_type"]))
    paging = parse_page(params)
    before = decode_cursor(params["before"], "before") if params.get("before") else None
    after = decode_cursor(params["after"], "after") if params.get("after") else None
    if before is not None and after is not None:
        raise InvalidQueryParameter(parameters={"name": "before, after"})
    return Listing(conditions, None, False, paging.page, paging.limit, before, after)


async def list_form_field_values(request: Request) -> Response:
    listing = field_listing_of(request)
    page = store_of(request).customer_form_fields.search_values(listing)
    rows = [form_field_value_json(r) for r in page.items]
    cursor_mode = listing.before is not None or listing.after is not None
    meta: dict[str, Any] = {}
    if not cursor_mode:
        query = {k: v for k, v in request.query_params.items() if k not in ("before", "after")}
        meta["pagination"] = {**v3_pagination(page.total, listing.page, listing.limit, query), "count": len(rows)}
    if cursor_mode or listing.page == 1:
        meta["cursor_pagination"] = cursor_meta(page, listing.limit, cursor_mode, listing.page == 1)
    return JSONBody({"data": rows, "meta": meta})


async def upsert_form_field_values(request: Request) -> Response:
    items = batch(await read_json(request), limit=10_000)
    written = store_of(request).customer_form_fields.upsert_values(items)
    return v3_data([form_field_value_json(r) for r in written])


def customer_id_of(request: Request) -> int:
    raw = request.path_params["customer_id"]
    if not raw.isdigit() or len(raw) > 18:
        raise ResourceNotFound()
    return int(raw)


def consent_json(consent: tuple[tuple[str, ...], tuple[str, ...]], now: float) -> dict[str, Any]:
    allow, deny = consent
    return {"allow": list(allow), "deny": list(deny), "updated_at": utc_z(now)}


async def get_customer_consent(request: Request) -> Response:
    store = store_of(request)
    return JSONBody(consent_json(store.customers.get_consent(customer_id_of(request)), store.now()))


async def update_customer_consent(request: Request) -> Response:
    store = store_of(request)
    customer_id = customer_id_of(request)
    store.customers.get_consent(customer_id)  # an unknown customer is 404 whatever the body
    consent = store.customers.set_consent(customer_id, await read_json(request))
    return JSONBody(consent_json(consent, store.now()))


async def validate_customer_credentials(request: Request) -> Response:
    customer_id = store_of(request).customers.validate_credentials(await read_json(request))
    return JSONBody({"is_valid": customer_id is not None, "customer_id": customer_id})


routes: list[BaseRoute] = [
    Route("/v3/customers/form-field-values", list_form_field_values, methods=["GET"]),
    Route("/v3/customers/form-field-values", upsert_form_field_values, methods=["PUT"]),
    Route("/v3/customers/validate-credentials", validate_customer_credentials, methods=["POST"]),
    Route("/v3/customers/{customer_id}/consent", get_customer_consent, methods=["GET"]),
    Route("/v3/customers/{customer_id}/consent", update_customer_consent, methods=["PUT"]),
]
