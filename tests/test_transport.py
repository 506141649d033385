"""SyncASGITransport: sync httpx clients served in-process, from plain threads and from inside a loop."""

from __future__ import annotations

import asyncio
import gc
import threading

import httpx

from storefake.transport import SyncASGITransport

CLOCK = "http://testserver/__storefake/clock"


def test_sync_client_in_a_plain_thread(app):
    with httpx.Client(transport=SyncASGITransport(app)) as client:
        assert client.get(CLOCK).status_code == 200


def test_sync_client_inside_a_running_loop(app):
    async def call(client: httpx.Client) -> int:
        return client.get(CLOCK).status_code

    with httpx.Client(transport=SyncASGITransport(app)) as client:
        assert asyncio.run(call(client)) == 200


def test_threads_share_the_app_state(app):
    transport = SyncASGITransport(app)
    results: list[float] = []

    def read_clock() -> None:
        with httpx.Client(transport=transport) as client:
            results.append(client.get(CLOCK).json()["now"])

    app.state.fake.clock.freeze(1_700_000_000)
    threads = [threading.Thread(target=read_clock) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    transport.close()
    assert results == [1_700_000_000] * 3


def test_request_body_and_raw_headers_survive(app):
    with httpx.Client(transport=SyncASGITransport(app)) as client:
        response = client.post("http://testserver/__storefake/clock/advance", json={"seconds": 5})
    assert response.status_code == 200
    assert (b"content-type", b"application/json") in response.headers.raw


def test_transport_usable_after_close(app):
    transport = SyncASGITransport(app)
    with httpx.Client(transport=transport) as client:
        client.get(CLOCK)
    with httpx.Client(transport=transport) as client:
        assert client.get(CLOCK).status_code == 200


def test_forgotten_transport_closes_its_loops(app):
    transport = SyncASGITransport(app)
    httpx.Client(transport=transport).get(CLOCK)  # never closed: collection must not warn
    del transport
    gc.collect()
