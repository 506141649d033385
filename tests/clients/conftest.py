"""Public vendor clients run against a real `storefake serve` subprocess (one per test module)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests


class ToServer(requests.adapters.HTTPAdapter):
    """Sends a requests session's calls for a vendor host to `storefake serve`, path and query unchanged.

    Clients that build `https://<vendor host>/...` themselves (the BigCommerce client does) reach the fake the
    way a TLS-terminating proxy in front of it would: only scheme and authority change.
    """

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        request.url = self.base_url + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().send(request, **kwargs)


@pytest.fixture(scope="module")
def server_url(serve_process):
    """The base URL of a `storefake serve --port 0` started for this module."""
    with serve_process() as (base_url, _banner):
        yield base_url


@pytest.fixture(scope="module")
def route_to_server(server_url):
    """`route_to_server(session, *hosts)` sends the session's `https://<host>/...` calls to the module's server."""

    def route(session: requests.Session, *hosts: str) -> None:
        for host in hosts:
            session.mount(f"https://{host}/", ToServer(server_url))

    return route
