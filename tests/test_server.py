"""ThreadedServer: a real socket on 127.0.0.1, port 0, clean start/stop, errors surfaced in the test."""

from __future__ import annotations

import contextlib

import httpx
import pytest
import requests
from starlette.applications import Starlette
from starlette.routing import Route

import storefake
from storefake.server import ServerError, ThreadedServer


@pytest.fixture
def server():
    with ThreadedServer() as running:
        yield running


def test_start_binds_loopback_on_a_free_port(server):
    assert server.url.startswith("http://127.0.0.1:")
    assert server.port != 0


def test_start_answers_requests_session(server):
    with requests.Session() as session:
        response = session.get(f"{server.url}/__storefake/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_fake_shares_state_with_the_socket(server):
    server.fake.clock.freeze(1_700_000_000)
    response = httpx.get(f"{server.url}/__storefake/clock")
    assert response.json() == {"now": 1_700_000_000, "frozen": True}


def test_fake_journal_records_socket_calls(server):
    httpx.get(f"{server.url}/stores/abc123/v3/catalog/products", headers={"X-Auth-Token": "nope"})
    assert server.fake.journal.last.path == "/stores/abc123/v3/catalog/products"


def test_two_servers_get_distinct_ports():
    with ThreadedServer() as first, ThreadedServer() as second:
        assert first.port != second.port


def test_stop_closes_keep_alive_connections():
    server = ThreadedServer().start()
    session = requests.Session()
    assert session.get(f"{server.url}/__storefake/health").status_code == 200
    server.stop()  # the session still holds its keep-alive connection
    assert not server.is_running
    with pytest.raises(requests.ConnectionError):
        session.get(f"{server.url}/__storefake/health")
    session.close()


def test_config_builds_its_own_app():
    with ThreadedServer(storefake.Config(seed=7)) as server:
        assert server.fake.config.seed == 7


def test_app_error_is_reraised_on_stop():
    app = storefake.create_app()

    async def boom(request):
        raise LookupError("broken endpoint")

    app.router.routes.insert(0, Route("/boom", boom))
    server = ThreadedServer(app).start()
    assert httpx.get(f"{server.url}/boom").status_code == 500
    with pytest.raises(LookupError, match="broken endpoint"):
        server.stop()


def test_startup_failure_is_reported():
    @contextlib.asynccontextmanager
    async def failing_lifespan(app):
        raise OSError("cannot start")
        yield  # pragma: no cover

    app = Starlette(lifespan=failing_lifespan)
    with pytest.raises(ServerError, match="thread failed: SystemExit"):
        ThreadedServer(app).start()


def test_start_twice_is_refused(server):
    with pytest.raises(ServerError, match="already started"):
        server.start()


def test_url_before_start_is_refused():
    with pytest.raises(ServerError, match="not running"):
        _ = ThreadedServer().url


def test_target_points_at_the_server(server):
    target = server.target()
    assert target.kind == "server"
    assert target.base_url("bigcommerce") == f"{server.url}/stores/abc123"
    assert target.fake is server.fake
