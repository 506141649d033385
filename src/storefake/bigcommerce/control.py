"""BigCommerce's part of the control API (/__storefake/bigcommerce/...): what only the fake can do.

- POST /bigcommerce/oauth/codes        mint an authorization code, as the vendor does when a user installs an app
- GET  /bigcommerce/webhooks/deliveries every delivery with its attempts (filters: store_hash, hook_id, scope, state)
- POST /bigcommerce/webhooks/flush      attempt every pending delivery now, however far off its retry is
- GET/PUT /bigcommerce/stores/{store_hash}/rate_limit  read or replace a store's {plan, quota, window_ms}
- GET /bigcommerce/stores                              every store with its record counts
- GET /bigcommerce/stores/{store_hash}/records/{collection}  a page of its records, as the API renders them
- GET /bigcommerce/stores/{store_hash}/images/{size}/{product_id}/{image_id}/{name}  an uploaded product image
  (the `url_*` of an image made from a multipart `image_file` point here; every size is the file as sent)
- GET/PUT /bigcommerce/stores/{store_hash}/information  read or change what GET /v2/store answers (as the merchant
  would in the control panel; a change fires store/information/updated)
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.control import records
from storefake.control.routes import control_error, read_document
from storefake.errors import DomainError
from storefake.runtime import fake_of


async def issue_oauth_code(request: Request) -> Response:
    try:
        document = await read_document(request)
        if not isinstance(document, dict) or not document.get("client_id") or not document.get("store_hash"):
            raise ValueError('body must be {"client_id", "store_hash", "scope"?, "user"?}')
        user = document.get("user")
        if user is not None and not isinstance(user, dict):
            raise ValueError("user must be a mapping {id, username, email}")
        oauth = fake_of(request).bigcommerce.oauth
        code = oauth.issue_code(str(document["client_id"]), str(document["store_hash"]), document.get("scope"), user)
    except (ValueError, DomainError) as exc:
        return control_error(str(exc))
    app = oauth.app(code.client_id) or {}
    query = {"code": code.code, "scope": " ".join(code.scopes), "context": code.context}
    query["account_uuid"] = code.account_uuid
    return JSONResponse(
        {
            **query,
            "client_id": code.client_id,
            "redirect_uri": app.get("redirect_uri"),
            "callback_url": f"{app.get('redirect_uri', '')}?{urlencode(query)}",
        },
        status_code=201,
    )


DELIVERY_FILTERS = {"store_hash": str, "hook_id": int, "scope": str, "state": str, "client_id": str}


async def list_deliveries(request: Request) -> Response:
    try:
        filters = {
            k: cast(request.query_params[k]) for k, cast in DELIVERY_FILTERS.items() if k in request.query_params
        }
    except ValueError:
        return control_error("hook_id must be an integer")
    deliveries = fake_of(request).bigcommerce.deliveries.deliveries(**filters)
    return JSONResponse({"deliveries": [d.to_dict() for d in deliveries], "count": len(deliveries)})


async def flush_deliveries(request: Request) -> Response:
    # Sending blocks on the network: off the event loop, so a receiver served by this same server can answer.
    flushed = await run_in_threadpool(fake_of(request).bigcommerce.deliveries.flush)
    return JSONResponse({"flushed": len(flushed), "deliveries": [d.to_dict() for d in flushed]})


def _rate_limit_body(store: Any) -> dict[str, Any]:
    from storefake.bigcommerce.state.limits import store_quota

    quota = store_quota(store.settings.rate_limit)
    return {
        "store_hash": store.store_hash,
        "rate_limit": dict(store.settings.rate_limit),
        "quota": quota.requests,
        "window_ms": int(quota.window_seconds * 1000),
    }


async def get_rate_limit(request: Request) -> Response:
    store = fake_of(request).bigcommerce.stores.find(request.path_params["store_hash"])
    if store is None:
        return control_error("unknown store", 404)
    return JSONResponse(_rate_limit_body(store))


async def put_rate_limit(request: Request) -> Response:
    from storefake.bigcommerce.state.limits import store_quota

    backend = fake_of(request).bigcommerce
    try:
        document = await read_document(request)
        if not isinstance(document, dict):
            raise ValueError('body must be {"plan"?, "quota"?, "window_ms"?}')
        store_quota(document)
        store = backend.stores.get(request.path_params["store_hash"])
    except (ValueError, DomainError) as exc:
        return control_error(str(exc))
    store.settings.rate_limit = dict(document)
    backend.rate_limits.forget(store.store_hash)  # a new quota starts a new window
    return JSONResponse(_rate_limit_body(store))


def collections(request: Request, store: Any) -> records.Collections:
    """A store's records by collection, each with the view its API answers with (every client's hooks)."""
    from storefake.bigcommerce.routes import catalog_views as views
    from storefake.bigcommerce.routes.customers import address_json, customer_json
    from storefake.bigcommerce.routes.orders import order_json, shipment_json

    catalog, customers, orders = store.catalog, store.customers, store.orders
    base = f"{request.base_url}stores/{store.store_hash}/v2"
    return {
        "products": (catalog.products, lambda row: views.product(catalog, row)),
        "variants": (catalog.variants, lambda row: views.variant(catalog, row)),
        "images": (catalog.images, lambda row: views.image(catalog, row)),
        "categories": (catalog.taxonomy.categories, lambda row: views.category(catalog, row)),
        "brands": (catalog.taxonomy.brands, lambda row: views.brand(catalog, row)),
        "customers": (customers.customers, lambda row: customer_json(row, customers, frozenset())),
        "customer_addresses": (customers.addresses, address_json),
        "orders": (orders.orders, lambda row: order_json(base, row)),
        "shipments": (orders.shipments, lambda row: shipment_json(orders, row)),
        "hooks": (store.hooks.all_hooks(), lambda hook: hook.to_dict()),
    }


async def list_stores(request: Request) -> Response:
    stores = []
    for store_hash, store in fake_of(request).bigcommerce.stores.items():
        with store.lock:
            counts = records.counts(collections(request, store))
        stores.append(
            {"store_hash": store_hash, "store_id": store.store_id, "name": store.settings.name, "counts": counts}
        )
    return JSONResponse({"stores": stores, "count": len(stores)})


async def list_records(request: Request) -> Response:
    store = fake_of(request).bigcommerce.stores.find(request.path_params["store_hash"])
    if store is None:
        return control_error("unknown store", 404)
    owner = {"store_hash": store.store_hash}
    return records.collection_page(request, owner, store.lock, lambda: collections(request, store))


async def get_information(request: Request) -> Response:
    store = fake_of(request).bigcommerce.stores.find(request.path_params["store_hash"])
    if store is None:
        return control_error("unknown store", 404)
    return JSONResponse(store.store_information())


async def put_information(request: Request) -> Response:
    try:
        document = await read_document(request)
        store = fake_of(request).bigcommerce.stores.get(request.path_params["store_hash"])
        return JSONResponse(store.update_information(document))
    except (ValueError, DomainError) as exc:
        return control_error(str(exc))


async def get_image_file(request: Request) -> Response:
    store = fake_of(request).bigcommerce.stores.find(request.path_params["store_hash"])
    try:
        if store is None:
            raise LookupError
        params = request.path_params
        data, media_type = store.catalog.image_file(params["product_id"], params["image_id"])
    except (LookupError, DomainError):
        return control_error("no such uploaded image", 404)
    return Response(data, media_type=media_type, headers={"Cache-Control": "public, max-age=31536000"})


routes = [
    Route("/bigcommerce/oauth/codes", issue_oauth_code, methods=["POST"]),
    Route("/bigcommerce/webhooks/deliveries", list_deliveries, methods=["GET"]),
    Route("/bigcommerce/webhooks/flush", flush_deliveries, methods=["POST"]),
    Route("/bigcommerce/stores/{store_hash}/rate_limit", get_rate_limit, methods=["GET"]),
    Route("/bigcommerce/stores/{store_hash}/rate_limit", put_rate_limit, methods=["PUT"]),
    Route("/bigcommerce/stores", list_stores, methods=["GET"]),
    Route("/bigcommerce/stores/{store_hash}/records/{collection}", list_records, methods=["GET"]),
    Route(
        "/bigcommerce/stores/{store_hash}/images/{size}/{product_id:int}/{image_id:int}/{name}",
        get_image_file,
        methods=["GET"],
    ),
    Route("/bigcommerce/stores/{store_hash}/information", get_information, methods=["GET"]),
    Route("/bigcommerce/stores/{store_hash}/information", put_information, methods=["PUT"]),
]
