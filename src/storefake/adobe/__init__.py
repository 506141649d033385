"""Adobe Commerce as a Cloud Service (customers) and Adobe IMS (server-to-server tokens)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from storefake.runtime import Fake


def mounts(fake: Fake) -> list[BaseRoute]:
    """IMS at /ims, the REST API at /{tenant_id}; the tenant mount must stay the app's last route."""
    from storefake.adobe import render, routes
    from storefake.mounting import vendor_mount

    limit = fake.config.max_body_bytes
    return [
        vendor_mount(
            "/ims",
            routes.ims_routes,
            render=render.render_ims_error,
            max_body_bytes=limit,
            name="adobe-ims",
        ),
        vendor_mount(
            "/{tenant_id}",
            routes.routes,
            render=render.render_error,
            max_body_bytes=limit,
            name="adobe",
        ),
    ]
