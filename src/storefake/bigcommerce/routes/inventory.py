"""Inventory API: `/v3/inventory/locations`, `/v3/inventory/items`, per-location items and settings, and the
absolute and relative adjustments (reference/inventory.v3.yml, locations.v3.yml).

Writes answer 200 `{"transaction_id": "<uuid>"}` (the vendor applies them asynchronously; the fake has
already applied them); lists answer `{data, meta: {pagination}}`. Location ids and stock at location 1
are the catalog's (state/inventory.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import InvalidQueryParameter
from storefake.bigcommerce.query import as_bool, as_int, csv_param, parse_page
from storefake.bigcommerce.render import JSONBody, v3_list
from storefake.bigcommerce.routes._common import int_param, read_json, store_of
from storefake.bigcommerce.routes.customers import utc_z
from storefake.bigcommerce.state.inventory import (
    InventoryState,
    ItemLevel,
    ItemListing,
    ItemRow,
    Location,
    LocationListing,
)

P = "/v3/inventory"


# rendering
def location_json(location: Location) -> dict[str, Any]:
    return {
        "id": location.id,
        "code": location.code,
        "label": location.label,
        "description": location.description,
        "managed_by_external_source": location.managed_by_external_source,
        "type_id": location.type_id,
        "enabled": location.enabled,
        "operating_hours": {day: dict(hours) for day, hours in location.operating_hours.items()},
        "time_zone": location.time_zone,
        "created_at": utc_z(location.created_at),
        "updated_at": utc_z(location.updated_at),
        "address": None if location.address is None else dict(location.address),
        "storefront_visibility": location.storefront_visibility,
        "special_hours": [dict(day) for day in location.special_hours],
    }


def settings_json(level: ItemLevel) -> dict[str, Any]:
    settings = level.settings
    return {
        "safety_stock": settings.safety_stock,
        "is_in_stock": settings.is_in_stock,
        "warning_level": settings.warning_level,
        "bin_picking_number": settings.bin_picking_number,
    }


def item_json(row: ItemRow) -> dict[str, Any]:
    return {
        "identity": {"sku": row.sku, "variant_id": row.variant_id, "product_id": row.product_id, "sku_id": row.sku_id},
        "locations": [
            {
                "location_id": level.location.id,
                "location_code": level.location.code,
                "location_name": level.location.label,
                "available_to_sell": level.available,
                "total_inventory_onhand": level.on_hand,
                "location_enabled": level.location.enabled,
                "settings": settings_json(level),
            }
            for level in row.levels
        ],
    }


def location_item_json(row: ItemRow) -> dict[str, Any]:
    level = row.levels[0]
    return {
        "identity": {"sku": row.sku, "variant_id": row.variant_id, "product_id": row.product_id},
        "available_to_sell": level.available,
        "total_inventory_onhand": level.on_hand,
        "settings": settings_json(level),
    }


def transaction(transaction_id: str) -> Response:
    return JSONBody({"transaction_id": transaction_id})


# parsing
def state_of(request: Request) -> InventoryState:
    state: InventoryState = store_of(request).inventory
    return state


def csv_of(request: Request, name: str, parse: Callable[[str], Any]) -> list[Any] | None:
    if name not in request.query_params:
        return None
    try:
        return [parse(part) for part in csv_param(request.query_params, name)]
    except ValueError:
        raise InvalidQueryParameter(parameters={"name": name}) from None


def flag_of(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return as_bool(raw)
    except ValueError:
        raise InvalidQueryParameter(parameters={"name": name}) from None


def paging_of(request: Request) -> tuple[int, int, int]:
    page = parse_page(request.query_params)
    return page.page, page.limit, page.offset


def item_listing_of(request: Request) -> ItemListing:
    _, limit, offset = paging_of(request)
    return ItemListing(
        skus=csv_of(request, "sku:in", str),
        variant_ids=csv_of(request, "variant_id:in", as_int),
        product_ids=csv_of(request, "product_id:in", as_int),
        location_ids=csv_of(request, "location_id:in", as_int),
        location_codes=csv_of(request, "location_code:in", str),
        offset=offset,
        limit=limit,
    )


# locations
async def list_locations(request: Request) -> Response:
    page, limit, offset = paging_of(request)
    listing = LocationListing(
        ids=csv_of(request, "location_id:in", as_int),
        codes=csv_of(request, "location_code:in", str),
        is_default=flag_of(request, "is_default"),
        types=csv_of(request, "type_id:in", str),
        managed_by_external_source=flag_of(request, "managed_by_external_source"),
        is_active=flag_of(request, "is_active"),
        storefront_visibility=flag_of(request, "storefront_visibility"),
        offset=offset,
        limit=limit,
    )
    locations, total = state_of(request).list_locations(listing)
    return v3_list([location_json(loc) for loc in locations], total, page, limit, request.query_params)


async def create_locations(request: Request) -> Response:
    return transaction(state_of(request).create_locations(await read_json(request)))


async def update_locations(request: Request) -> Response:
    return transaction(state_of(request).update_locations(await read_json(request)))


async def delete_locations(request: Request) -> Response:
    return transaction(state_of(request).delete_locations(csv_of(request, "location_id:in", as_int)))


# items
async def list_items(request: Request) -> Response:
    page, limit, _ = paging_of(request)
    rows, total = state_of(request).list_items(item_listing_of(request))
    return v3_list([item_json(row) for row in rows], total, page, limit, request.query_params)


async def list_location_items(request: Request) -> Response:
    page, limit, _ = paging_of(request)
    location_id = int_param(request, "location_id")
    rows, total = state_of(request).list_items(item_listing_of(request), location_id)
    return v3_list([location_item_json(row) for row in rows], total, page, limit, request.query_params)


async def update_location_items(request: Request) -> Response:
    location_id = int_param(request, "location_id")
    return transaction(state_of(request).update_settings(location_id, await read_json(request)))


# adjustments
async def adjust_absolute(request: Request) -> Response:
    return transaction(state_of(request).adjust_absolute(await read_json(request)))


async def adjust_relative(request: Request) -> Response:
    return transaction(state_of(request).adjust_relative(await read_json(request)))


routes: list[BaseRoute] = [
    Route(f"{P}/locations", list_locations, methods=["GET"]),
    Route(f"{P}/locations", create_locations, methods=["POST"]),
    Route(f"{P}/locations", update_locations, methods=["PUT"]),
    Route(f"{P}/locations", delete_locations, methods=["DELETE"]),
    Route(f"{P}/items", list_items, methods=["GET"]),
    Route(f"{P}/locations/{{location_id}}/items", list_location_items, methods=["GET"]),
    Route(f"{P}/locations/{{location_id}}/items", update_location_items, methods=["PUT"]),
    Route(f"{P}/adjustments/absolute", adjust_absolute, methods=["PUT"]),
    Route(f"{P}/adjustments/relative", adjust_relative, methods=["POST"]),
]
