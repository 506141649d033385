"""Adobe Commerce as a Cloud Service (customers) and Adobe IMS (server-to-server tokens)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from storefake.runtime import Fake


def mounts(fake: Fake) -> list[BaseRoute]:
    """IMS at /ims, the REST API at /{tenant_id}; the tenant mount must stay the app's last route."""
    from storefake.adobe import render, routes
    from storefake.dispatch import Surface

    limit = fake.config.max_body_bytes
    return [
        Surface(
            "/ims",
            routes.ims_routes,
            render=render.render_ims_error,
            max_body_bytes=limit,
            name="adobe-ims",
        ),
        Surface(
            "/{tenant_id}",
            routes.routes,
            render=render.render_error,
            max_body_bytes=limit,
            name="adobe",
        ),
    ]
