"""Adobe Commerce as a Cloud Service (customers) and Adobe IMS (server-to-server tokens)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from storefake.runtime import Fake


def mounts(fake: Fake) -> list[BaseRoute]:
    """IMS at /ims, the REST API at /{tenant_id}; the tenant mount must stay the app's last route."""
    from storefake.adobe import render, routes
    from storefake.coverage import Unimplemented
    from storefake.dispatch import Surface

    limit = fake.config.max_body_bytes
    return [
        Surface(
            "/ims",
            routes.ims_routes,
            render=render.render_ims_error,
            max_body_bytes=limit,
            name="adobe-ims",
            unimplemented=Unimplemented("adobe", "/ims", routes.ims_routes),
            trim_trailing_slash=True,  # Adobe's umapi-client posts to /ims/token/v2/
        ),
        Surface(
            "/{tenant_id}",
            routes.routes,
            render=render.render_error,
            max_body_bytes=limit,
            name="adobe",
            # Magento routes, then checks the token against the route's ACL: so does the 501.
            unimplemented=Unimplemented("adobe", "/{tenant_id}", routes.routes, authorize=routes.authorize_not_faked),
            trim_trailing_slash=True,  # Magento's PathProcessor trims the path before routing
        ),
    ]
