"""Fixtures for the V2 orders tests: an authenticated client, the store, and an event recorder."""

from __future__ import annotations

import httpx
import pytest

from storefake.transport import SyncASGITransport


@pytest.fixture
def bc(app):
    """A client of store abc123 with the full-access token."""
    headers = {"X-Auth-Token": "storefake-bc-token"}
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver", headers=headers) as client:
        yield client


@pytest.fixture
def store(fake):
    return fake.bigcommerce.stores.get("abc123")


@pytest.fixture
def events(store, monkeypatch):
    """Every (scope, data) the store announces; the real `emit` still runs."""
    seen: list[tuple[str, dict]] = []
    real_emit = store.emit

    def record(scope, data):
        seen.append((scope, dict(data)))
        real_emit(scope, data)

    monkeypatch.setattr(store, "emit", record)
    return seen
