"""V2 customer groups: `/v2/customer_groups`, `/count` and `/{customer_group_id}` (reference/customers.v2.yml).

Bare V2 bodies; an empty list is 204; `limit` above 250 is the V2 413; bad fields and filters are V2 400s
naming them. Filters: `name`, `name:like`, `is_default`, `is_group_for_guests`, `date_created` and
`date_modified` (with `:min`/`:max`; a date alone means that whole day). `DELETE /v2/customer_groups`
deletes every group, as the vendor's older spec documents.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import FieldInvalid
from storefake.bigcommerce.query import as_bool, whole_day
from storefake.bigcommerce.render import money, no_content, v2_json, v2_list
from storefake.bigcommerce.routes._common import int_param, read_json, store_of
from storefake.bigcommerce.routes.orders import paging_of
from storefake.bigcommerce.state.customer_groups import CustomerGroup, GroupListing
from storefake.bigcommerce.state.orders import date_of
from storefake.filtering import Condition

DATE_FILTERS = {"": "eq", "min": "gteq", "max": "lteq"}


def group_date(timestamp: float) -> str:
    """Customer group dates as the spec's example writes them: `2023-07-17 06:30:41` (UTC)."""
    return datetime.fromtimestamp(int(timestamp), tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def rule_json(rule: Any) -> dict[str, Any]:
    if rule["type"] == "price_list":
        return {"type": "price_list", "price_list_id": rule["price_list_id"]}
    body = {"type": rule["type"], "method": rule["method"], "amount": money(rule["amount"])}
    for key in ("category_id", "product_id"):
        if key in rule:
            body[key] = rule[key]
    return body


def group_json(group: CustomerGroup) -> dict[str, Any]:
    access: dict[str, Any] = {"type": group.access_type}
    if group.access_type == "specific":
        access["categories"] = list(group.categories)
    return {
        "id": group.id,
        "name": group.name,
        "is_default": group.is_default,
        "category_access": access,
        "discount_rules": [rule_json(r) for r in group.discount_rules],
        "date_created": group_date(group.date_created),
        "date_modified": group_date(group.date_modified),
        "is_group_for_guests": group.is_group_for_guests,
    }


def listing_of(request: Request) -> GroupListing:
    params = request.query_params
    conditions: list[Condition] = []
    if "name" in params:
        conditions.append(Condition("name", "eq", params["name"]))
    if "name:like" in params:
        conditions.append(Condition("name", "like", f"%{params['name:like']}%"))
    for flag in ("is_default", "is_group_for_guests"):
        if flag in params:
            try:
                conditions.append(Condition(flag, "eq", as_bool(params[flag])))
            except ValueError:
                raise FieldInvalid(parameters={"field": flag}) from None
    for field in ("date_created", "date_modified"):
        for suffix, op in DATE_FILTERS.items():
            key = f"{field}:{suffix}" if suffix else field
            if key in params:
                conditions.extend(whole_day(Condition(field, op, date_of(params[key], key))))
    offset, limit = paging_of(request)
    return GroupListing(conditions, offset, limit)


async def list_customer_groups(request: Request) -> Response:
    found = store_of(request).customer_groups.search_groups(listing_of(request))
    return v2_list([group_json(g) for g in found.items])


async def create_customer_group(request: Request) -> Response:
    group = store_of(request).customer_groups.create_group(await read_json_v2(request))
    return v2_json(group_json(group))


async def delete_customer_groups(request: Request) -> Response:
    store_of(request).customer_groups.delete_all_groups()
    return no_content()


async def count_customer_groups(request: Request) -> Response:
    return v2_json({"count": store_of(request).customer_groups.count_groups()})


async def get_customer_group(request: Request) -> Response:
    group = store_of(request).customer_groups.get_group(int_param(request, "customer_group_id"))
    return v2_json(group_json(group))


async def update_customer_group(request: Request) -> Response:
    groups = store_of(request).customer_groups
    group_id = int_param(request, "customer_group_id")
    groups.get_group(group_id)  # an unknown group is 404 whatever the body
    group = groups.update_group(group_id, await read_json_v2(request, empty_ok=True))
    return v2_json(group_json(group))


async def delete_customer_group(request: Request) -> Response:
    store_of(request).customer_groups.delete_group(int_param(request, "customer_group_id"))
    return no_content()


async def read_json_v2(request: Request, *, empty_ok: bool = False) -> Any:
    """The body; an empty PUT body changes nothing (the spec marks it optional)."""
    if empty_ok and not (await request.body()).strip():
        return {}
    return await read_json(request)


GROUP = "/v2/customer_groups/{customer_group_id:int}"  # :int, so PUT or DELETE `/count` is a 405, not a group
routes: list[BaseRoute] = [
    Route("/v2/customer_groups", list_customer_groups, methods=["GET"]),
    Route("/v2/customer_groups", create_customer_group, methods=["POST"]),
    Route("/v2/customer_groups", delete_customer_groups, methods=["DELETE"]),
    Route("/v2/customer_groups/count", count_customer_groups, methods=["GET"]),
    Route(GROUP, get_customer_group, methods=["GET"]),
    Route(GROUP, update_customer_group, methods=["PUT"]),
    Route(GROUP, delete_customer_group, methods=["DELETE"]),
]
