"""Fixtures for the BigCommerce rate-limit tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def limited(fake):
    """Store abc123 limited to 3 requests per 30 s window, with the clock frozen."""
    fake.clock.freeze(1_700_000_000)
    fake.bigcommerce.stores.get("abc123").settings.rate_limit = {"quota": 3, "window_ms": 30000}
    return fake
