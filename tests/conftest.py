"""Shared fixtures for storefake's own tests (the plugin's public fixtures are tested with pytester)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator

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


@contextlib.contextmanager
def _serve(*args: str) -> Iterator[tuple[str, list[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("storefake listening on http://127.0.0.1:"), first + process.stderr.read()
        banner = [first]
        while banner[-1] and not banner[-1].lstrip().startswith("control API"):
            banner.append(process.stdout.readline())
        yield first.split()[-1], banner
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.fixture(scope="session")
def serve_process():
    """`with serve_process(*args) as (base_url, banner):` runs `storefake serve --port 0` in a subprocess."""
    return _serve
