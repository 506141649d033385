"""Helpers every BigCommerce route module uses: the store, the caller's account, the JSON body."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from storefake import wire
from storefake.bigcommerce.auth import ACCOUNT_SCOPE_KEY
from storefake.bigcommerce.errors import InvalidJSON, InvalidQueryParameter, ResourceNotFound
from storefake.bigcommerce.query import csv_param
from storefake.bigcommerce.state import Account, StoreState
from storefake.runtime import fake_of


def store_of(request: Request) -> StoreState:
    """The store named in the path (created on first use unless the fake is strict)."""
    return fake_of(request).bigcommerce.stores.get(request.path_params["store_hash"])


def account_of(request: Request) -> Account:
    account: Account = request.scope[ACCOUNT_SCOPE_KEY]
    return account


async def read_json(request: Request) -> Any:
    """The decoded body; malformed or empty JSON is the vendor's 422 "JSON data is missing or invalid"."""
    raw = await request.body()
    try:
        return wire.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidJSON(errors={}) from None


def int_param(request: Request, name: str) -> int:
    """A numeric path parameter; a non-number is the resource not existing (where the route has no `:int`).

    ASCII digits only: `str.isdigit` also takes "¹" (which `int` refuses) and "٣" (which it reads as 3).
    """
    raw = str(request.path_params[name])
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ResourceNotFound()
    return int(raw)


def ids_param(request: Request, name: str) -> list[int] | None:
    """A comma-separated id list (`product_id:in=1,2`); None when absent, 422 naming it when not numbers."""
    if name not in request.query_params:
        return None
    parts = csv_param(request.query_params, name)
    if not all(part.isascii() and part.isdigit() and len(part) <= 18 for part in parts):
        raise InvalidQueryParameter(parameters={"name": name})
    return [int(part) for part in parts]
