"""V3 channels (reads): `/v3/channels` and `/v3/channels/{channel_id}` (reference/channels.v3.yml).

Lists take `available`, `status:in`, `type:in`, `platform:in`, `date_created`/`date_modified` (with
`:min`/`:max`), `include=currencies`, `page` and `limit`. A bad `limit`/`page`/`available` value is the
spec's 422 `Query parameter "limit" value must be integer. For input string: "a".`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import ChannelNotFound, ChannelQueryInvalid
from storefake.bigcommerce.query import FilterSpec, as_bool, as_str, as_timestamp, parse_filters, whole_day
from storefake.bigcommerce.render import utc_z, v3_data, v3_list
from storefake.bigcommerce.routes._common import store_of
from storefake.bigcommerce.state.channels import Channel, ChannelListing
from storefake.filtering import Condition

DATES = frozenset({"", "min", "max"})
FILTERS = {
    "status": FilterSpec(as_str, frozenset({"in"})),
    "type": FilterSpec(as_str, frozenset({"in"})),
    "platform": FilterSpec(as_str, frozenset({"in"})),
    "date_created": FilterSpec(as_timestamp, DATES),
    "date_modified": FilterSpec(as_timestamp, DATES),
}
MAX_LIMIT = 250


def channel_json(channel: Channel, include: frozenset[str] = frozenset()) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": channel.id,
        "external_id": channel.external_id,
        "is_listable_from_ui": channel.is_listable_from_ui,
        "is_enabled": channel.is_enabled,
        "is_visible": channel.is_visible,
        "status": channel.status,
        "name": channel.name,
        "type": channel.type,
        "platform": channel.platform,
        "date_created": utc_z(channel.date_created),
        "date_modified": utc_z(channel.date_modified),
        "icon_url": channel.icon_url,
    }
    if "currencies" in include:
        body["currencies"] = {
            "channel_id": channel.id,
            "enabled_currencies": list(channel.enabled_currencies),
            "default_currency": channel.default_currency,
        }
    return body


def typed(request: Request, name: str, kind: str, default: str) -> Any:
    raw = request.query_params.get(name, default)
    try:
        return as_bool(raw) if kind == "boolean" else int(raw)
    except ValueError:
        raise ChannelQueryInvalid(parameters={"name": name, "kind": kind, "value": raw}, errors={}) from None


def listing_of(request: Request) -> ChannelListing:
    conditions = parse_filters(request.query_params.multi_items(), FILTERS)
    conditions = [part for c in conditions for part in whole_day(c)]
    if "available" in request.query_params:
        conditions.append(Condition("available", "eq", typed(request, "available", "boolean", "")))
    page = max(1, typed(request, "page", "integer", "1"))
    limit = typed(request, "limit", "integer", "50")
    limit = 50 if limit < 1 else min(limit, MAX_LIMIT)
    return ChannelListing(conditions, page, limit)


def include_of(request: Request) -> frozenset[str]:
    return frozenset(part.strip() for part in request.query_params.get("include", "").split(","))


async def list_channels(request: Request) -> Response:
    listing = listing_of(request)
    found = store_of(request).channels.search_channels(listing)
    include = include_of(request)
    rows = [channel_json(c, include) for c in found.items]
    return v3_list(rows, found.total, listing.page, listing.limit, dict(request.query_params))


async def get_channel(request: Request) -> Response:
    raw = request.path_params["channel_id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ChannelNotFound(errors={})
    channel = store_of(request).channels.get_channel(int(raw))
    return v3_data(channel_json(channel, include_of(request)))


routes: list[BaseRoute] = [
    Route("/v3/channels", list_channels, methods=["GET"]),
    Route("/v3/channels/{channel_id}", get_channel, methods=["GET"]),
]
