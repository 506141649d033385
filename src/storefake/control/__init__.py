"""The control API under /__storefake: reset, seed, journal, clock, and each vendor's extras."""

from __future__ import annotations

from starlette.routing import Mount, Router

from storefake.control.routes import routes
from storefake.runtime import Fake


def mount(fake: Fake) -> Mount:
    from storefake import bigcommerce
    from storefake.faults.routes import routes as mock_routes
    from storefake.openapi import routes as openapi_routes

    return Mount(
        "/__storefake",
        app=Router([*routes, *mock_routes, *openapi_routes, *bigcommerce.control_routes], redirect_slashes=False),
    )
