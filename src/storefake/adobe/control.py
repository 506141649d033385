"""Adobe's part of the control API (/__storefake/adobe/...): what only the fake can show.

- GET /adobe/tenants                                  every tenant with its record counts
- GET /adobe/tenants/{tenant_id}/records/{collection} a page of its records, as the REST API renders them
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.control import records
from storefake.control.routes import control_error
from storefake.runtime import fake_of


def collections(tenant: Any) -> records.Collections:
    from storefake.adobe.render import customer_json

    return {"customers": (tenant.customers, customer_json)}


async def list_tenants(request: Request) -> Response:
    tenants = []
    for tenant_id, tenant in fake_of(request).adobe.tenants.items():
        with tenant.lock:
            tenants.append({"tenant_id": tenant_id, "counts": records.counts(collections(tenant))})
    return JSONResponse({"tenants": tenants, "count": len(tenants)})


async def list_records(request: Request) -> Response:
    tenant = fake_of(request).adobe.tenants.find(request.path_params["tenant_id"])
    if tenant is None:
        return control_error("unknown tenant", 404)
    return records.collection_page(request, {"tenant_id": tenant.tenant_id}, tenant.lock, lambda: collections(tenant))


routes = [
    Route("/adobe/tenants", list_tenants, methods=["GET"]),
    Route("/adobe/tenants/{tenant_id}/records/{collection}", list_records, methods=["GET"]),
]
