"""Fixtures for the BigCommerce webhooks tests: apps whose delivery workers are stopped after each test."""

from __future__ import annotations

import pytest

import storefake


@pytest.fixture
def app():
    """A fresh app; its webhook worker is closed at teardown so no thread outlives the test."""
    application = storefake.create_app()
    yield application
    application.state.fake.close()


@pytest.fixture
def store(fake):
    return fake.bigcommerce.stores.get("abc123")
