"""/v3/hooks: webhooks of the calling client (vendor-facts §7). No scope is needed; each client sees its own."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefake.bigcommerce import render
from storefake.bigcommerce.errors import InvalidQueryParameter, WebhookNotFound
from storefake.bigcommerce.query import as_bool, parse_page
from storefake.bigcommerce.routes._common import account_of, read_json, store_of
from storefake.runtime import fake_of


def hook_id_of(request: Request) -> int:
    raw = str(request.path_params["webhook_id"])
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise WebhookNotFound(parameters={"id": raw}, errors={})
    return int(raw)


def list_filters(request: Request) -> dict[str, Any]:
    params = request.query_params
    filters: dict[str, Any] = {name: params[name] for name in ("scope", "destination") if name in params}
    if "is_active" in params:
        try:
            filters["is_active"] = as_bool(params["is_active"])
        except ValueError:
            raise InvalidQueryParameter(parameters={"name": "is_active"}, errors={}) from None
    return filters


async def get_hooks(request: Request) -> Response:
    page = parse_page(request.query_params)
    hooks = store_of(request).hooks.list_hooks(account_of(request).client_id, list_filters(request))
    items = [h.to_dict() for h in hooks[page.offset : page.offset + page.limit]]
    return render.v3_list(items, len(hooks), page.page, page.limit, dict(request.query_params))


async def create_hook(request: Request) -> Response:
    body = await read_json(request)
    fake_of(request).listening.note(request.scope.get("server"))  # a destination must not be this fake
    hook = store_of(request).hooks.create_hook(account_of(request).client_id, body)
    return render.v3_data(hook.to_dict())


async def get_hook(request: Request) -> Response:
    hook = store_of(request).hooks.get_hook(account_of(request).client_id, hook_id_of(request))
    return render.v3_data(hook.to_dict())


async def update_hook(request: Request) -> Response:
    hook_id = hook_id_of(request)
    body = await read_json(request)
    fake_of(request).listening.note(request.scope.get("server"))
    hook = store_of(request).hooks.update_hook(account_of(request).client_id, hook_id, body)
    return render.v3_data(hook.to_dict())


async def delete_hook(request: Request) -> Response:
    # The vendor answers 200 with the deleted hook, not 204 (vendor-facts §7).
    hook = store_of(request).hooks.delete_hook(account_of(request).client_id, hook_id_of(request))
    return render.v3_data(hook.to_dict())


routes = [
    Route("/v3/hooks", get_hooks, methods=["GET"]),
    Route("/v3/hooks", create_hook, methods=["POST"]),
    Route("/v3/hooks/{webhook_id}", get_hook, methods=["GET"]),
    Route("/v3/hooks/{webhook_id}", update_hook, methods=["PUT"]),
    Route("/v3/hooks/{webhook_id}", delete_hook, methods=["DELETE"]),
]
