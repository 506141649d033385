"""Snapshots: a restart loads the newest one and replays only the log after it; any snapshot it can't use is
skipped (said in `notes`) for the whole log, which is the truth."""

from __future__ import annotations

import shutil
import sqlite3

import httpx
import pytest

import storefake
from storefake.contracts.commands import select_cases
from storefake.contracts.runner import Runner
from storefake.persistence.engine import SNAPSHOT_AFTER, SNAPSHOT_AT_CLOSE
from storefake.persistence.store import DB_NAME
from storefake.targets import fake_target

from .statecompare import differences
from .support import BC, STORE, TENANT, customer_body, ims_token, serve

PRODUCTS = f"/stores/{STORE}/v3/catalog/products"


def product(name: str) -> dict:
    return {"name": name, "type": "physical", "weight": 1, "price": 1}


@pytest.fixture(scope="module")
def snapshotted(tmp_path_factory):
    """(first fake, fake restored from a snapshot taken midway, fake restored from the log alone)."""
    data_dir = tmp_path_factory.mktemp("snapshots") / "data"
    first = storefake.create_app(data_dir=data_dir)
    cases = select_cases(None, None)
    with Runner(fake_target(first), allow_writes=True) as runner:
        for case in cases[: len(cases) // 2]:
            runner.run(case)
        assert first.state.fake.persistence.snapshot() is not None
        for case in cases[len(cases) // 2 :]:
            runner.run(case)
    # What a kill -9 leaves (a clean stop would take a snapshot of it all): the midway snapshot and the log.
    crashed = data_dir.parent / "crashed"
    shutil.copytree(data_dir, crashed)
    first.state.fake.persistence.close()
    data_dir = crashed
    from_snapshot = storefake.create_app(data_dir=data_dir).state.fake
    from_snapshot.close()
    database = sqlite3.connect(data_dir / DB_NAME)
    database.execute("UPDATE snapshots SET code = 'other code'")
    database.commit()
    database.close()
    from_log = storefake.create_app(data_dir=data_dir).state.fake
    from_log.close()
    return first.state.fake, from_snapshot, from_log


def test_restart_from_a_snapshot_restores_every_object(snapshotted):
    first, from_snapshot, _ = snapshotted
    restored = from_snapshot.persistence.restored
    assert restored["snapshot_seq"] > 0
    assert restored["replayed"] > 0  # the log after the snapshot
    assert differences(first.backends, from_snapshot.backends) == []
    assert first.mocks.to_list() == from_snapshot.mocks.to_list()
    assert first.clock.state() == from_snapshot.clock.state()


def test_restart_ignores_a_snapshot_of_other_code(snapshotted):
    first, _, from_log = snapshotted
    assert from_log.persistence.restored["snapshot_seq"] is None
    assert differences(first.backends, from_log.backends) == []


def test_restored_snapshot_keeps_working(persisted):
    client = persisted.open()
    auth = ims_token(client)
    client.post(f"/{TENANT}/V1/customers", json=customer_body("snap@example.com"), headers=auth)
    client.post(PRODUCTS, json=product("Snap"), headers=BC)
    persisted.fake.persistence.snapshot()

    client = persisted.open()
    assert persisted.fake.persistence.restored == {"snapshot_seq": 3, "replayed": 0, "seconds": pytest.approx(0, abs=5)}
    duplicate = client.post(f"/{TENANT}/V1/customers", json=customer_body("SNAP@example.com"), headers=auth)
    assert duplicate.status_code == 400  # the email index's key function came back with the table
    created = client.post(f"/{TENANT}/V1/customers", json=customer_body("new@example.com"), headers=auth)
    assert created.status_code == 200
    assert client.get(PRODUCTS, params={"name": "Snap"}, headers=BC).json()["data"][0]["name"] == "Snap"


def test_snapshot_that_cannot_be_loaded_is_skipped_for_the_log(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json=product("Kept"), headers=BC)
    row = persisted.fake.persistence.snapshot()
    persisted.close()
    path = persisted.data_dir / "snapshots" / row["file"]
    path.write_bytes(path.read_bytes()[:200])  # cut short

    client = persisted.open()
    assert [p["name"] for p in client.get(PRODUCTS, headers=BC).json()["data"]] == ["Kept"]
    status = persisted.fake.persistence.status()
    assert status["restored"]["snapshot_seq"] is None
    assert status["notes"][0].startswith(f"snapshot {row['file']} of {persisted.data_dir} can't be loaded (")
    assert status["notes"][0].endswith("); the whole log is replayed instead")


def test_snapshot_of_state_that_cannot_be_pickled_names_where_it_is(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json=product("Kept"), headers=BC)
    persisted.fake.bigcommerce.stores.get(STORE).feed = (n for n in range(3))  # a generator: not picklable
    assert persisted.fake.persistence.snapshot() is None
    [note] = persisted.fake.persistence.notes
    assert note == (
        f"no snapshot of {persisted.data_dir}: TypeError: cannot pickle 'generator' object, "
        f"at fake.bigcommerce.stores._stores['{STORE}'].feed (a builtins.generator); restarts replay the log "
        "(keep state picklable: lambdas and closures are, generators, files or local classes are not)"
    )


def test_reset_removes_the_snapshots(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json=product("Gone"), headers=BC)
    persisted.fake.persistence.snapshot()
    client.post("/__storefake/reset")
    assert list((persisted.data_dir / "snapshots").iterdir()) == []

    client = persisted.open()
    assert client.get(PRODUCTS, headers=BC).json()["data"] == []


def test_close_takes_a_snapshot_once_a_little_was_written(persisted):
    persisted.open()
    products = [product(f"Big {i}") for i in range(1000)]
    persisted.fake.seed({"bigcommerce": {"stores": {STORE: {"products": products}}}})
    # Under what an idle fake waits for, over what a clean stop takes a snapshot for.
    assert SNAPSHOT_AT_CLOSE[1] <= persisted.fake.persistence.pending[1] < SNAPSHOT_AFTER[1]
    persisted.open()
    assert persisted.fake.persistence.restored["snapshot_seq"] == 1
    assert persisted.fake.persistence.restored["replayed"] == 0


def test_serve_stopped_by_sigterm_takes_a_snapshot(tmp_path):
    data_dir = tmp_path / "data"
    products = [product(f"Big {i} " + "x" * 200) for i in range(5000)]  # one write over a megabyte
    with serve(data_dir) as first:
        seed = {"bigcommerce": {"stores": {STORE: {"products": products}}}}
        seeded = httpx.post(f"{first.url}/__storefake/seed", json=seed, timeout=120)
        assert seeded.status_code == 200, seeded.text
        first.process.terminate()  # uvicorn raises SIGTERM again once it has shut down: the fake closes before
        first.process.wait(timeout=60)
    with serve(data_dir) as second:
        restored = httpx.get(f"{second.url}/__storefake/persistence", timeout=60).json()["restored"]
    assert (restored["snapshot_seq"], restored["replayed"]) == (1, 0)
    assert "(a snapshot loaded and 0 writes replayed in " in second.banner[-1]


def test_snapshot_endpoint_takes_one(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json=product("Now"), headers=BC)
    taken = client.post("/__storefake/persistence/snapshot")
    assert taken.status_code == 201
    assert taken.json()["snapshot"]["seq"] == 1
    assert client.get("/__storefake/persistence").json()["snapshot"]["file"] == "snapshot-1.pickle"


def test_snapshot_endpoint_when_persistence_is_off(client):
    refused = client.post("/__storefake/persistence/snapshot")
    assert refused.status_code == 409
    assert refused.json() == {"error": "persistence is off: start the fake with a data dir (--data-dir)"}


def test_files_no_snapshot_row_names_are_removed_at_start(persisted):
    persisted.open()
    stray = persisted.data_dir / "snapshots" / ".snapshot-9.pickle.tmp"
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"half a snapshot")
    persisted.open()
    assert not stray.exists()
