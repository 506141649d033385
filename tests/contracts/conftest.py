"""Fixtures for the contract runner tests: a Target on a fresh in-process app."""

from __future__ import annotations

import subprocess
import sys

import pytest

from storefake.targets import fake_target


@pytest.fixture
def target(app):
    """A fake Target on the `app` fixture's app (so `fake` sees the same state and journal)."""
    with fake_target(app) as in_process:
        yield in_process


@pytest.fixture(scope="module")
def serve():
    """A `storefake serve` process on a free port; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "storefake.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("storefake listening on http://127.0.0.1:"), first + process.stderr.read()
        yield first.split()[-1]
    finally:
        process.terminate()
        process.communicate(timeout=10)
