"""Adobe Commerce as a Cloud Service (customers) and Adobe IMS (server-to-server tokens)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from storefake.runtime import Fake


def mounts(fake: Fake) -> list[BaseRoute]:
    """IMS at /ims, the REST API at /{tenant_id}; the tenant mount must stay the app's last route."""
    from storefake.adobe import routes

    return [Mount("/{tenant_id}", routes=routes.routes)]
