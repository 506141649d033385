"""storefake.mock(): vendor hosts into the app for sync and async httpx; other hosts untouched."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from respx.models import AllMockedAssertionError

import storefake
from storefake.interception import outbound_async_client, outbound_client, unpatched_transport
from storefake.server import ThreadedServer
from storefake.transport import SyncASGITransport

BC = "https://api.bigcommerce.com/stores/abc123"
HEALTH = "/__storefake/health"
PRODUCTS = "/stores/abc123/v3/catalog/products"
TENANT = "AbCYab34cdEfGHiJ27123"


@pytest.fixture(scope="module")
def server():
    """A second fake on a real socket: the 'other host' that must pass through."""
    with ThreadedServer() as running:
        yield running


def test_mock_routes_sync_client_to_the_app():
    with storefake.mock() as sf:
        response = httpx.get(f"{BC}/v3/catalog/products", headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.request.url.host == "api.bigcommerce.com"
    assert sf.journal.last.path == "/stores/abc123/v3/catalog/products"


def test_mock_routes_async_client_to_the_app():
    async def call() -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(f"https://eu1.api.commerce.adobe.com/{TENANT}/V1/customers/1")

    with storefake.mock() as sf:
        response = asyncio.run(call())
    assert response.request.url.host == "eu1.api.commerce.adobe.com"
    assert sf.journal.last.path == f"/{TENANT}/V1/customers/1"


@pytest.mark.parametrize(
    "host",
    ["ims-na1.adobelogin.com", "na1-sandbox.api.commerce.adobe.com", "api.bigcommerce.com", "login.bigcommerce.com"],
)
def test_mock_routes_every_vendor_host(host):
    with storefake.mock() as sf:
        assert httpx.get(f"https://{host}{HEALTH}").status_code == 200
    assert sf.router["storefake"].call_count == 1


def test_mock_routes_user_hosts():
    with storefake.mock(hosts=["shop.example.test"]) as sf:
        assert httpx.get(f"http://shop.example.test{HEALTH}").status_code == 200
    assert sf.router["storefake"].call_count == 1


def test_mock_keeps_raw_bytes_and_headers():
    # Two identical fakes (same seed, frozen clock): one called directly, one through the interception.
    direct_app, mocked_app = (storefake.create_app(seed=1, frozen_at=1_700_000_000) for _ in range(2))
    with httpx.Client(transport=SyncASGITransport(direct_app), base_url="https://api.bigcommerce.com") as direct:
        expected = direct.get(PRODUCTS, headers={"X-Auth-Token": "storefake-bc-token"})
    with storefake.mock(app=mocked_app):
        response = httpx.get(f"https://api.bigcommerce.com{PRODUCTS}", headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.status_code == expected.status_code == 200
    assert response.headers.raw == expected.headers.raw
    assert response.content == expected.content


def test_mock_passes_other_hosts_through(server):
    with storefake.mock() as sf:
        response = httpx.get(f"{server.url}{PRODUCTS}")
    assert response.request.url.host == "127.0.0.1"
    assert server.fake.journal.last.path == PRODUCTS
    assert not sf.journal.called


def test_mock_assert_all_mocked_blocks_other_hosts(server):
    with storefake.mock(assert_all_mocked=True), pytest.raises(AllMockedAssertionError):
        httpx.get(f"{server.url}{HEALTH}")


def test_mock_sync_client_inside_a_running_loop():
    async def call() -> int:
        return httpx.get(f"https://api.bigcommerce.com{HEALTH}").status_code

    with storefake.mock():
        assert asyncio.run(call()) == 200


def test_mock_is_a_bare_decorator():
    @storefake.mock
    def call() -> int:
        return httpx.get(f"https://api.bigcommerce.com{HEALTH}").status_code

    assert call() == 200


def test_mock_decorator_with_arguments_passes_storefake_mock():
    @storefake.mock(config=storefake.Config(seed=3))
    def call(storefake_mock) -> int:
        httpx.get(f"https://api.bigcommerce.com{HEALTH}")
        return storefake_mock.fake.config.seed

    assert call() == 3


def test_mock_decorates_async_functions():
    @storefake.mock()
    async def call(storefake_mock) -> int:
        async with httpx.AsyncClient() as client:
            await client.get(f"https://api.bigcommerce.com{PRODUCTS}")
        return storefake_mock.journal.call_count

    assert asyncio.run(call()) == 1


def test_mock_is_an_async_context_manager():
    async def call() -> int:
        async with storefake.mock() as sf, httpx.AsyncClient() as client:
            await client.get(f"https://api.bigcommerce.com{PRODUCTS}")
            return sf.journal.call_count

    assert asyncio.run(call()) == 1


def test_mock_starts_from_a_fresh_fake_each_time():
    interceptor = storefake.mock()
    with interceptor:
        httpx.get(f"https://api.bigcommerce.com{PRODUCTS}")
    with interceptor as sf:
        assert not sf.journal.called


def test_mock_exposes_clock_reset_and_seed():
    with storefake.mock() as sf:
        sf.clock.freeze(1_700_000_000)
        assert httpx.get("https://api.bigcommerce.com/__storefake/clock").json()["now"] == 1_700_000_000
        httpx.get(f"https://api.bigcommerce.com{PRODUCTS}")
        sf.reset()
        assert not sf.journal.called
        assert sf.seed({}) == {}
        assert sf.state == {"adobe": sf.adobe, "bigcommerce": sf.bigcommerce}


def test_mock_stops_intercepting_on_exit(server):
    with storefake.mock(hosts=["127.0.0.1"]) as sf:
        httpx.get(f"{server.url}{PRODUCTS}")
    httpx.get(f"{server.url}{PRODUCTS}?page=2")
    assert sf.journal.call_count == 1
    assert server.fake.journal.last.query == "page=2"


def test_mock_refuses_to_start_twice():
    with storefake.mock() as sf, pytest.raises(RuntimeError, match="already active"):
        sf.start()


def test_mock_fake_outside_the_block_is_refused():
    with pytest.raises(RuntimeError, match="has not been started"):
        _ = storefake.mock().fake


def test_mock_refuses_config_and_app_together(app):
    with pytest.raises(TypeError, match="either config or app"):
        storefake.mock(config=storefake.Config(), app=app)


def test_outbound_client_escapes_the_mock(server):
    # 127.0.0.1 is routed into the in-process fake; the fake's own outbound calls must reach the socket.
    with storefake.mock(hosts=["127.0.0.1"], assert_all_mocked=True) as sf:
        with outbound_client() as client:
            response = client.get(f"{server.url}{PRODUCTS}?via=outbound")
        assert response.request.url.host == "127.0.0.1"
        assert not sf.journal.called
    assert server.fake.journal.last.query == "via=outbound"


def test_unpatched_transport_escapes_an_httpcore_level_respx_mock(server):
    with respx.mock(assert_all_mocked=True) as user_router, httpx.Client(transport=unpatched_transport()) as client:
        response = client.get(f"{server.url}{PRODUCTS}?via=transport")
    assert response.request.url.host == "127.0.0.1"
    assert not user_router.calls.called


def test_outbound_client_escapes_an_httpx_level_respx_mock(server):
    with respx.mock(assert_all_mocked=True, using="httpx") as user_router, outbound_client() as client:
        assert client.get(f"{server.url}{HEALTH}").status_code == 200
    assert not user_router.calls.called


def test_unpatched_transport_escapes_a_users_respx_mock(server):
    with respx.mock(assert_all_mocked=True) as user_router, outbound_client() as client:
        response = client.post(f"{server.url}/__storefake/clock/advance", json={"seconds": 1})
    assert response.status_code == 200
    assert not user_router.calls.called


def test_outbound_async_client_escapes_the_mock(server):
    async def call() -> int:
        async with outbound_async_client() as client:
            return (await client.get(f"{server.url}{HEALTH}")).status_code

    with storefake.mock(hosts=["127.0.0.1"], assert_all_mocked=True) as sf:
        assert asyncio.run(call()) == 200
    assert not sf.journal.called


def test_unpatched_transport_reports_connection_errors():
    with outbound_client() as client, pytest.raises(httpx.ConnectError):
        client.get("http://127.0.0.1:1/")
