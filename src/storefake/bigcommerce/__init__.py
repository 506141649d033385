"""BigCommerce: OAuth app install, V3 catalog/customers/hooks and V2 orders under /stores/{store_hash}."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from storefake.runtime import Fake

control_routes: list[BaseRoute] = []


def mounts(fake: Fake) -> list[BaseRoute]:
    from storefake.bigcommerce import render, routes
    from storefake.bigcommerce.auth import AuthMiddleware
    from storefake.mounting import vendor_mount

    return [
        vendor_mount(
            "/stores/{store_hash}",
            routes.routes,
            render=render.render_error,
            max_body_bytes=fake.config.max_body_bytes,
            middleware=[Middleware(AuthMiddleware)],
        ),
    ]
