"""Fixtures for the contract runner tests: a Target on a fresh in-process app."""

from __future__ import annotations

import pytest

from storefake.targets import fake_target


@pytest.fixture
def target(app):
    """A fake Target on the `app` fixture's app (so `fake` sees the same state and journal)."""
    with fake_target(app) as in_process:
        yield in_process
