"""Fixtures for the contract runner tests: a Target on a fresh in-process app."""

from __future__ import annotations

import pytest

from storefake.targets import fake_target


@pytest.fixture
def target(app):
    """A fake Target on the `app` fixture's app (so `fake` sees the same state and journal)."""
    with fake_target(app) as in_process:
        yield in_process


@pytest.fixture(scope="module")
def serve(serve_process):
    """A `storefake serve` process on a free port; yields its base URL."""
    with serve_process() as (base_url, _banner):
        yield base_url
