"""BigCommerce: OAuth app install, V3 catalog/customers/hooks and V2 orders under /stores/{store_hash}."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from storefake.bigcommerce.control import routes as control_routes
from storefake.runtime import Fake

__all__ = ["control_routes", "mounts"]


def mounts(fake: Fake) -> list[BaseRoute]:
    from storefake.bigcommerce import oauth, render, routes
    from storefake.bigcommerce.auth import AuthMiddleware
    from storefake.bigcommerce.ratelimit import RateLimitMiddleware
    from storefake.coverage import Unimplemented
    from storefake.dispatch import Surface

    return [
        Surface(
            "/stores/{store_hash}",
            routes.routes,
            render=render.render_error,
            max_body_bytes=fake.config.max_body_bytes,
            middleware=[Middleware(AuthMiddleware)],
            # Outside the error rendering: the four X-Rate-Limit-* headers go on error responses too.
            outer_middleware=[Middleware(RateLimitMiddleware, render=render.render_error)],
            # After authentication (the middleware above): a 501 only for a caller the vendor would let in.
            unimplemented=Unimplemented("bigcommerce", "/stores/{store_hash}", routes.routes),
        ),
        Surface(
            "/oauth2",
            oauth.routes,
            render=oauth.render_error,
            max_body_bytes=fake.config.max_body_bytes,
            unimplemented=Unimplemented("bigcommerce", "/oauth2", oauth.routes),
        ),
    ]
