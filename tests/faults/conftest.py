"""Fixtures for the fault-injection tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def app():
    """A seeded app, so probability rules and random delays repeat."""
    import storefake

    return storefake.create_app(seed=1234)
