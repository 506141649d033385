"""`storefake export` / `storefake import`: a whole persisted fake as one file, and back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import httpx
import pytest

import storefake
from storefake.persistence import PersistenceError
from storefake.persistence.commands import export_data_dir, import_file
from storefake.persistence.store import DB_NAME

from .statecompare import differences
from .support import BC, STORE, TENANT, customer_body, ims_token, serve

PRODUCTS = f"/stores/{STORE}/v3/catalog/products"


def storefake_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storefake.cli", *args], capture_output=True, text=True, timeout=120)


def write_some(client: httpx.Client) -> None:
    auth = ims_token(client)
    client.post(f"/{TENANT}/V1/customers", json=customer_body("shared@example.com"), headers=auth)
    client.post(PRODUCTS, json={"name": "Shared", "type": "physical", "weight": 1, "price": 2}, headers=BC)
    client.post("/__storefake/clock/advance", json={"seconds": 60})


def test_export_then_import_restores_the_same_fake(persisted, tmp_path):
    write_some(persisted.open())
    persisted.fake.persistence.snapshot()
    first = persisted.fake
    first.persistence.close()

    assert export_data_dir(persisted.data_dir, tmp_path / "shared.storefake") == 4
    assert import_file(tmp_path / "shared.storefake", tmp_path / "elsewhere") == 4
    second = storefake.create_app(data_dir=tmp_path / "elsewhere").state.fake
    try:
        assert differences(first.backends, second.backends) == []
        assert second.clock.state() == first.clock.state()
        assert second.persistence.restored["snapshot_seq"] is None  # replayed: no snapshot travels
    finally:
        second.close()


def test_export_is_one_file_without_snapshots(persisted, tmp_path):
    write_some(persisted.open())
    persisted.fake.persistence.snapshot()
    persisted.close()
    export_data_dir(persisted.data_dir, tmp_path / "shared.storefake")
    database = sqlite3.connect(tmp_path / "shared.storefake")
    try:
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert database.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 0
    finally:
        database.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "shared.storefake"]


def test_export_of_a_running_server_then_import_and_serve(tmp_path):
    with serve(tmp_path / "data") as first, httpx.Client(base_url=first.url) as client:
        write_some(client)
        exported = storefake_cli("export", "--data-dir", str(tmp_path / "data"), str(tmp_path / "shared.storefake"))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == f"storefake: exported {tmp_path / 'data'} (4 writes) to {tmp_path / 'shared.storefake'}\n"
    imported = storefake_cli("import", str(tmp_path / "shared.storefake"), "--data-dir", str(tmp_path / "copy"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == (
        f"storefake: imported {tmp_path / 'shared.storefake'} (4 writes) into {tmp_path / 'copy'}; "
        f"start it with: storefake serve --data-dir {tmp_path / 'copy'}\n"
    )
    with serve(tmp_path / "copy") as second, httpx.Client(base_url=second.url) as client:
        listed = client.get(PRODUCTS, headers=BC).json()["data"]
    assert [product["name"] for product in listed] == ["Shared"]


def test_import_refuses_a_data_dir_that_holds_a_fake(persisted, tmp_path):
    write_some(persisted.open())
    persisted.close()
    export_data_dir(persisted.data_dir, tmp_path / "shared.storefake")
    result = storefake_cli("import", str(tmp_path / "shared.storefake"), "--data-dir", str(persisted.data_dir))
    assert result.returncode == 2
    assert result.stderr == f"storefake: {persisted.data_dir} already holds a fake (use --force to replace it)\n"


def test_import_with_force_replaces_the_fake(persisted, tmp_path):
    write_some(persisted.open())
    persisted.close()
    export_data_dir(persisted.data_dir, tmp_path / "shared.storefake")
    client = persisted.open()
    client.post(PRODUCTS, json={"name": "Replaced", "type": "physical", "weight": 1, "price": 1}, headers=BC)
    persisted.fake.persistence.snapshot()
    persisted.close()

    import_file(tmp_path / "shared.storefake", persisted.data_dir, force=True)
    client = persisted.open()
    assert [p["name"] for p in client.get(PRODUCTS, headers=BC).json()["data"]] == ["Shared"]


def test_import_refuses_a_data_dir_in_use(persisted, tmp_path):
    write_some(persisted.open())
    persisted.fake.persistence.close()
    export_data_dir(persisted.data_dir, tmp_path / "shared.storefake")
    running = storefake.create_app(data_dir=tmp_path / "running")
    try:
        with pytest.raises(PersistenceError, match=r"is in use by another storefake \(pid \d+\)$"):
            import_file(tmp_path / "shared.storefake", tmp_path / "running", force=True)
    finally:
        running.state.fake.close()


def test_import_refuses_a_file_that_is_not_an_export(tmp_path):
    (tmp_path / "notes.txt").write_text("not a database at all" * 50)
    result = storefake_cli("import", str(tmp_path / "notes.txt"), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2
    assert (
        result.stderr == f"storefake: {tmp_path / 'notes.txt'} is not a storefake data file (file is not a database)\n"
    )
    assert not (tmp_path / "data" / DB_NAME).exists()


def test_export_refuses_to_overwrite_a_file(persisted, tmp_path):
    write_some(persisted.open())
    persisted.close()
    (tmp_path / "taken").write_text("mine")
    result = storefake_cli("export", "--data-dir", str(persisted.data_dir), str(tmp_path / "taken"))
    assert result.returncode == 2
    assert result.stderr == f"storefake: {tmp_path / 'taken'} exists (use --force to overwrite it)\n"
    assert (tmp_path / "taken").read_text() == "mine"


def test_export_refuses_a_dir_without_a_fake(tmp_path):
    result = storefake_cli("export", "--data-dir", str(tmp_path / "empty"), str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr == f"storefake: {tmp_path / 'empty'} holds no storefake data (no {DB_NAME})\n"
