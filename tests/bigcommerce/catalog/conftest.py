"""Fixtures for the V3 catalog tests: a client on store abc123's catalog and a recorder of emitted events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from storefake.transport import SyncASGITransport

STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
HOODIE: dict[str, Any] = {
    "name": "Premium Hoodie",
    "type": "physical",
    "sku": "HOODIE-PREM",
    "price": 79.99,
    "description": "Premium cotton blend hoodie",
    "weight": 1.5,
    "width": 20,
    "height": 28,
    "depth": 2,
    "inventory_level": 100,
    "inventory_tracking": "product",
    "is_visible": True,
}


@pytest.fixture
def bc(app):
    """A sync client on /stores/abc123/v3/catalog with the full-access token."""
    transport = SyncASGITransport(app)
    base = "http://testserver/stores/abc123/v3/catalog"
    with httpx.Client(transport=transport, base_url=base, headers={"X-Auth-Token": "storefake-bc-token"}) as client:
        yield client


@pytest.fixture
def catalog(store):
    return store.catalog


def make_product(bc, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Widget", "type": "physical", "price": 10, "weight": 1, **overrides}
    response = bc.post("/products", json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]
