"""Replay is exact: writes from many threads and event loops replay to the same state, and a write that replays
differently from how it was answered is reported, never silent."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import httpx

import storefake
from storefake.persistence.store import DB_NAME

from .statecompare import differences
from .support import BC, STORE, TENANT, customer_body, ims_token

PRODUCTS = f"/stores/{STORE}/v3/catalog/products"


def test_writes_from_threads_and_loops_replay_to_the_same_state(persisted):
    client = persisted.open()
    auth = ims_token(client)
    app = persisted.app

    def sync_writer(number: int) -> None:  # each thread runs the app on an event loop of its own
        from storefake.transport import SyncASGITransport

        with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as own:
            for i in range(10):
                own.post(
                    PRODUCTS, json={"name": f"T{number}-{i}", "type": "physical", "weight": 1, "price": i}, headers=BC
                )

    async def async_writers() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as own:
            await asyncio.gather(
                *(
                    own.post(f"/{TENANT}/V1/customers", json=customer_body(f"a{i}@example.com"), headers=auth)
                    for i in range(30)
                )
            )

    threads = [threading.Thread(target=sync_writer, args=(n,)) for n in range(6)]
    threads.append(threading.Thread(target=asyncio.run, args=(async_writers(),)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first = persisted.fake
    persisted.fake.persistence.close()  # keep the first fake's state to compare with

    second = storefake.create_app(data_dir=persisted.data_dir).state.fake
    try:
        assert len(second.bigcommerce.stores.get(STORE).catalog.products) == 60
        assert differences(first.backends, second.backends) == []
        assert second.persistence.status()["divergence_count"] == 0
    finally:
        second.close()


def test_replay_that_answers_otherwise_is_reported(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json={"name": "Once", "type": "physical", "weight": 1, "price": 1}, headers=BC)
    persisted.close()
    edited = sqlite3.connect(persisted.data_dir / DB_NAME)
    edited.execute("UPDATE records SET status = 201")  # as if it had been answered otherwise
    edited.commit()
    edited.close()

    client = persisted.open()
    status = client.get("/__storefake/persistence").json()
    assert status["divergence_count"] == 1
    assert status["divergences"] == [
        f"replay of {persisted.data_dir} diverged at record 1 (POST {PRODUCTS}): answered 200, not 201 as when it "
        "was made; the state may differ"
    ]


def test_serve_prints_a_divergence_as_a_warning(tmp_path):
    from .support import serve

    with serve(tmp_path / "data") as first, httpx.Client(base_url=first.url) as client:
        client.post(PRODUCTS, json={"name": "Once", "type": "physical", "weight": 1, "price": 1}, headers=BC)
    edited = sqlite3.connect(tmp_path / "data" / DB_NAME)
    edited.execute("UPDATE records SET digest = 1")
    edited.commit()
    edited.close()
    with serve(tmp_path / "data") as second:
        assert "(1 writes replayed in" in second.banner[-1]
        second.process.terminate()
        warnings = second.stderr().splitlines()
    assert warnings[0] == (
        f"storefake: warning: replay of {tmp_path / 'data'} diverged at record 1 (POST {PRODUCTS}): answered "
        "another body than when it was made; the state may differ"
    )


def test_each_write_draws_from_its_own_recorded_generator(persisted):
    client = persisted.open()
    code = client.post(
        "/__storefake/bigcommerce/oauth/codes", json={"client_id": "storefake-app-client", "store_hash": STORE}
    ).json()
    persisted.open()
    codes = persisted.fake.bigcommerce.oauth._codes
    assert list(codes) == [code["code"]]
    assert codes[code["code"]].account_uuid == code["account_uuid"]
