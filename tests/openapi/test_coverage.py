"""Every route the app serves has a documented operation, and every documented operation a route.

The vendor documents use absolute paths on the fake's host (`/{tenant_id}/V1/...`, `/ims/token/v3`,
`/stores/{store_hash}/v3|v2/...`, `/oauth2/token`). HEAD (added by Starlette to every GET) and the
control API under /__storefake are not part of a vendor's surface.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from starlette.routing import BaseRoute, Mount, Route

import storefake
from storefake import openapi
from storefake.transport import SyncASGITransport

METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")


def template(path: str) -> str:
    """`/a/{x}/b` and `/a/{y:int}/b` both become `/a/{}/b`."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def walk(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in routes:
        if isinstance(route, Mount):
            yield from walk(list(route.routes or []), prefix + route.path)
        elif isinstance(route, Route):
            for method in route.methods or ():
                if method != "HEAD":
                    yield method.lower(), template(prefix + route.path)


def served() -> set[tuple[str, str]]:
    app = storefake.create_app()
    return {(m, p) for m, p in walk(list(app.routes)) if not p.startswith("/__storefake")}


def documented(vendor: str) -> set[tuple[str, str]]:
    paths = openapi.document(vendor)["paths"]
    return {(m, template(p)) for p, item in paths.items() for m in item if m in METHODS}


def vendor_of(path: str) -> str:
    return "bigcommerce" if path.startswith(("/stores/", "/oauth2/")) else "adobe"


@pytest.mark.parametrize("vendor", openapi.VENDORS)
def test_every_route_is_documented(vendor):
    routes = {(m, p) for m, p in served() if vendor_of(p) == vendor}
    assert sorted(routes - documented(vendor)) == []


@pytest.mark.parametrize("vendor", openapi.VENDORS)
def test_every_documented_operation_is_served(vendor):
    routes = {(m, p) for m, p in served() if vendor_of(p) == vendor}
    assert sorted(documented(vendor) - routes) == []


@pytest.mark.parametrize("vendor", openapi.VENDORS)
def test_create_operations_link_to_their_reads(vendor):
    paths = openapi.document(vendor)["paths"]
    creates = [item["post"] for p, item in paths.items() if "post" in item and not p.endswith(("/token", "/token/v3"))]
    linked = [op["operationId"] for op in creates if any("links" in r for r in op["responses"].values())]
    assert linked, "no create operation has links"


@pytest.mark.parametrize("vendor", openapi.VENDORS)
def test_openapi_route_serves_the_bundled_document(vendor):
    with httpx.Client(transport=SyncASGITransport(storefake.create_app()), base_url="http://testserver") as client:
        response = client.get(f"/__storefake/openapi/{vendor}.json")
    assert response.status_code == 200
    assert response.json() == openapi.document(vendor)
    assert response.json()["openapi"].startswith("3.1")


def test_openapi_route_unknown_vendor():
    with httpx.Client(transport=SyncASGITransport(storefake.create_app()), base_url="http://testserver") as client:
        response = client.get("/__storefake/openapi/shopify.json")
    assert response.status_code == 404
    assert response.json() == {"error": "no OpenAPI document for 'shopify'; known: adobe, bigcommerce"}


def test_document_unknown_vendor():
    with pytest.raises(KeyError, match="shopify"):
        openapi.document("shopify")
