"""Shared fixtures for storefake's own tests (the plugin's public fixtures are tested with pytester)."""

from __future__ import annotations

import httpx
import pytest

import storefake


def pytest_configure(config):
    config.addinivalue_line("markers", "release: builds and installs the wheel in a fresh venv (about 30 s)")


@pytest.fixture
def app():
    """A fresh app built from the bundled fixtures."""
    return storefake.create_app()


@pytest.fixture
def client(app):
    """A sync httpx client calling the app in-process."""
    from storefake.transport import SyncASGITransport

    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as sync_client:
        yield sync_client


@pytest.fixture
def fake(app):
    return app.state.fake


@pytest.fixture
def aclient(app):
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
