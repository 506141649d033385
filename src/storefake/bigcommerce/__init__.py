"""BigCommerce: OAuth app install, V3 catalog/customers/hooks and V2 orders under /stores/{store_hash}."""

from __future__ import annotations

from starlette.routing import BaseRoute

from storefake.runtime import Fake

control_routes: list[BaseRoute] = []


def mounts(fake: Fake) -> list[BaseRoute]:
    return []
