"""A data dir that can't be used is refused with one clear line, and nothing in it is overwritten."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import httpx
import pytest
import yaml

import storefake
from storefake.persistence import PersistenceError
from storefake.persistence.store import APPLICATION_ID, DB_NAME
from storefake.transport import SyncASGITransport

from .support import BC, STORE


def refusal(data_dir, **options) -> str:
    with pytest.raises(PersistenceError) as caught:
        storefake.create_app(data_dir=data_dir, **options)
    return str(caught.value)


def test_open_refuses_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"these are not the pages of a database" * 100)
    assert refusal(tmp_path) == f"{tmp_path / DB_NAME} is not a storefake data file (file is not a database)"
    assert (tmp_path / DB_NAME).read_bytes() == b"these are not the pages of a database" * 100


def test_open_refuses_a_database_of_another_application(tmp_path):
    other = sqlite3.connect(tmp_path / DB_NAME)
    other.execute("CREATE TABLE notes (text TEXT)")
    other.commit()
    other.close()
    assert refusal(tmp_path) == f"{tmp_path / DB_NAME} is not a storefake data file (a database of another application)"


def test_open_refuses_a_data_file_of_a_newer_storefake(tmp_path):
    storefake.create_app(data_dir=tmp_path).state.fake.close()
    newer = sqlite3.connect(tmp_path / DB_NAME)
    newer.execute("PRAGMA user_version = 99")
    newer.close()
    assert refusal(tmp_path) == (
        f"{tmp_path / DB_NAME} was written by a newer storefake (data format 99; this one reads 1)"
    )


def test_open_refuses_a_data_dir_in_use(tmp_path):
    first = storefake.create_app(data_dir=tmp_path)
    try:
        assert refusal(tmp_path).startswith(f"{tmp_path} is in use by another storefake (pid ")
    finally:
        first.state.fake.close()


def test_open_refuses_a_path_that_is_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    assert refusal(tmp_path / "file") == f"{tmp_path / 'file'} is not a directory"


def test_open_refuses_other_fixtures_and_seed(tmp_path):
    storefake.create_app(data_dir=tmp_path / "data", seed=1).state.fake.close()
    fixtures = tmp_path / "other.yaml"
    fixtures.write_text(yaml.safe_dump({"adobe": {}, "bigcommerce": {}}))
    assert refusal(tmp_path / "data", seed=2, fixtures=fixtures) == (
        f"{tmp_path / 'data'} holds a fake made with other fixtures and seed: start it with the same options "
        "(or none of them), or use another data dir"
    )


def test_open_without_options_uses_the_data_dirs_fixtures(tmp_path):
    fixtures = tmp_path / "own.yaml"
    fixtures.write_text(yaml.safe_dump({"bigcommerce": {"stores": [{"store_hash": "own1", "store_id": 5}]}}))
    storefake.create_app(data_dir=tmp_path / "data", fixtures=fixtures, strict=True).state.fake.close()
    fixtures.unlink()  # the data dir keeps its own copy

    fake = storefake.create_app(data_dir=tmp_path / "data").state.fake
    try:
        assert list(fake.bigcommerce.stores) == ["own1"]
        assert fake.config.strict is True
    finally:
        fake.close()


def test_open_refuses_an_unreadable_record(tmp_path, persisted):
    client = persisted.open()
    client.post(
        f"/stores/{STORE}/v3/catalog/products",
        json={"name": "A", "type": "physical", "weight": 1, "price": 1},
        headers=BC,
    )
    persisted.close()
    damaged = sqlite3.connect(persisted.data_dir / DB_NAME)
    damaged.execute("UPDATE records SET headers = 'not json'")
    damaged.commit()
    damaged.close()
    assert refusal(persisted.data_dir).startswith(f"{persisted.data_dir / DB_NAME}: record 1 is unreadable (")


def test_serve_refuses_a_corrupt_data_dir_with_exit_2_and_one_line(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"\0" * 4096)
    result = subprocess.run(
        [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"storefake: {tmp_path / DB_NAME} is not a storefake data file (file is not a database)"
    ]


def test_write_that_cannot_be_committed_is_not_acknowledged_and_later_ones_are_refused(persisted):
    persisted.open()
    client = httpx.Client(transport=SyncASGITransport(persisted.app, raise_app_exceptions=False), base_url="http://t")
    persisted.fake.persistence.data._db.close()  # the data file is gone from under the fake
    body = {"name": "Lost", "type": "physical", "weight": 1, "price": 1}
    lost = client.post(f"/stores/{STORE}/v3/catalog/products", json=body, headers=BC)
    assert lost.status_code == 503  # its group was never committed: not acknowledged
    refusal = f"storefake: writing to the data dir {persisted.data_dir} failed (Cannot operate on a closed database.)"
    assert lost.json() == {"error": f"{refusal}; writes are refused"}
    refused = client.post(f"/stores/{STORE}/v3/catalog/products", json=body, headers=BC)
    assert (refused.status_code, refused.json()) == (503, lost.json())


def test_application_id_marks_the_file(tmp_path):
    storefake.create_app(data_dir=tmp_path).state.fake.close()
    database = sqlite3.connect(tmp_path / DB_NAME)
    assert database.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    database.close()


def test_persistence_off_installs_nothing():
    app = storefake.create_app()
    fake = app.state.fake
    assert (fake.persistence, fake.clock.pin, fake.random.tape, fake.mocks.observer) == (None, None, None, None)
    assert all(m.cls.__name__ != "PersistenceMiddleware" for m in app.user_middleware)
    assert all(tenants.on_create is None for tenants in (fake.adobe.tenants, fake.bigcommerce.stores))
