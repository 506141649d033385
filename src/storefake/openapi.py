"""The bundled OpenAPI 3.1 documents of the faked surface (contracts/openapi/<vendor>.yaml), and their route.

The documents are written from the vendors' public facts, not generated from the routes, so that a test
can hold the two against each other (tests/openapi/test_coverage.py). They are parsed once per process:
they are read-only data, and schemathesis fetches them for every test module.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.resources import data_dir, load_yaml

VENDORS = ("adobe", "bigcommerce")


@functools.cache
def _load(vendor: str) -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(data_dir("contracts") / "openapi" / f"{vendor}.yaml")
    return document


def document(vendor: str) -> dict[str, Any]:
    """A private copy of `vendor`'s OpenAPI document (callers may edit it, e.g. to pin servers)."""
    if vendor not in VENDORS:
        raise KeyError(f"no OpenAPI document for {vendor!r}; known: {', '.join(VENDORS)}")
    return copy.deepcopy(_load(vendor))


async def get_openapi(request: Request) -> Response:
    vendor = request.path_params["vendor"]
    if vendor not in VENDORS:
        return JSONResponse({"error": f"no OpenAPI document for {vendor!r}; known: {', '.join(VENDORS)}"}, 404)
    return JSONResponse(_load(vendor))


routes = [Route("/openapi/{vendor}.json", get_openapi, methods=["GET"])]
