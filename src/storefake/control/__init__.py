"""The control API under /__storefake: reset, seed, journal, clock, and each vendor's extras."""

from __future__ import annotations

from storefake.control.routes import render_error, routes
from storefake.dispatch import Surface
from storefake.runtime import Fake


def mount(fake: Fake) -> Surface:
    from storefake import bigcommerce
    from storefake.adobe.control import routes as adobe_routes
    from storefake.control.verify import routes as verify_routes
    from storefake.faults.routes import routes as mock_routes
    from storefake.inspector import routes as inspector_routes
    from storefake.openapi import routes as openapi_routes
    from storefake.persistence.routes import routes as persistence_routes

    return Surface(
        "/__storefake",
        [
            *inspector_routes,
            *routes,
            *verify_routes,
            *mock_routes,
            *persistence_routes,
            *openapi_routes,
            *adobe_routes,
            *bigcommerce.control_routes,
        ],
        render=render_error,
        max_body_bytes=None,  # seed documents may be large; the control API is the user's own
    )
