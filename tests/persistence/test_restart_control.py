"""What the control API and the Python API change survives a restart: mock rules and their counters, the clock,
seed data; a reset empties the data dir too."""

from __future__ import annotations

import time

import storefake

from .statecompare import differences
from .support import BC, STORE

PRODUCTS = f"/stores/{STORE}/v3/catalog/products"
RULE = {"id": "twice", "match": {"method": "GET", "path": PRODUCTS}, "times": 2, "respond": {"status": 503}}


def product(name: str) -> dict:
    return {"name": name, "type": "physical", "weight": 1, "price": 1}


def test_restart_keeps_a_runtime_mock_rule_and_its_counters(persisted):
    client = persisted.open()
    assert client.post("/__storefake/mocks", json=RULE).status_code == 201
    assert client.get(PRODUCTS, headers=BC).status_code == 503

    client = persisted.open()
    assert client.get(PRODUCTS, headers=BC).status_code == 503  # its second and last answer
    assert client.get(PRODUCTS, headers=BC).status_code == 200
    assert client.get("/__storefake/mocks/twice").json()["hits"] == 2


def test_restart_keeps_mock_rules_changed_from_python(persisted):
    persisted.open()
    persisted.fake.mocks.add(RULE)
    persisted.fake.mocks.add({**RULE, "id": "removed"})
    persisted.fake.mocks.remove("removed")

    client = persisted.open()
    assert [rule["id"] for rule in client.get("/__storefake/mocks").json()["rules"]] == ["twice"]


def test_restart_keeps_mock_rules_cleared(persisted):
    client = persisted.open(mocks=["maintenance-window"])
    client.delete("/__storefake/mocks")

    client = persisted.open()
    assert client.get("/__storefake/mocks").json()["count"] == 0


def test_restart_does_not_apply_a_write_a_mock_rule_answered(persisted):
    client = persisted.open()
    client.post("/__storefake/mocks", json={"id": "no", "match": {"method": "POST"}, "respond": {"status": 500}})
    assert client.post(PRODUCTS, json=product("Never"), headers=BC).status_code == 500

    client = persisted.open()
    client.delete("/__storefake/mocks/no")
    assert client.get(PRODUCTS, headers=BC).json()["data"] == []


def test_restart_keeps_the_clock_advanced(persisted):
    client = persisted.open()
    client.post("/__storefake/clock/advance", json={"seconds": 7200})

    client = persisted.open()
    assert abs(client.get("/__storefake/clock").json()["now"] - (time.time() + 7200)) < 60


def test_restart_keeps_the_clock_frozen(persisted):
    client = persisted.open()
    client.post("/__storefake/clock/freeze", json={"at": 1_700_000_000})

    client = persisted.open()
    assert client.get("/__storefake/clock").json() == {"now": 1_700_000_000, "frozen": True}


def test_restart_keeps_the_offset_an_unfreeze_left(persisted):
    client = persisted.open()
    client.post("/__storefake/clock/freeze", json={"at": time.time() - 86_400})
    client.post("/__storefake/clock/unfreeze")

    client = persisted.open()
    clock = client.get("/__storefake/clock").json()
    assert clock["frozen"] is False
    assert abs(clock["now"] - (time.time() - 86_400)) < 60


def test_restart_keeps_the_clock_moved_from_python(persisted):
    persisted.open()
    persisted.fake.clock.freeze(1_800_000_000)
    persisted.fake.clock.advance(10)

    client = persisted.open()
    assert client.get("/__storefake/clock").json() == {"now": 1_800_000_010, "frozen": True}


def test_restart_keeps_timestamps_of_writes(persisted):
    client = persisted.open()
    made = client.post(PRODUCTS, json=product("Stamped"), headers=BC).json()["data"]
    client.post("/__storefake/clock/advance", json={"seconds": 3600})

    client = persisted.open()
    read = client.get(f"{PRODUCTS}/{made['id']}", headers=BC).json()["data"]
    assert (read["date_created"], read["date_modified"]) == (made["date_created"], made["date_modified"])


def test_restart_keeps_seed_data_loaded_from_python(persisted):
    persisted.open()
    persisted.fake.seed({"bigcommerce": {"stores": {STORE: {"products": [product("Seeded")]}}}})

    client = persisted.open()
    assert [p["name"] for p in client.get(PRODUCTS, headers=BC).json()["data"]] == ["Seeded"]


def test_reset_empties_the_data_dir(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json=product("Forgotten"), headers=BC)
    client.post("/__storefake/clock/freeze", json={"at": 1_700_000_000})
    client.post("/__storefake/reset")
    assert persisted.fake.persistence.status()["records"] == 1  # the reset itself

    client = persisted.open()
    assert client.get(PRODUCTS, headers=BC).json()["data"] == []
    clock = client.get("/__storefake/clock").json()  # a reset puts the clock back to real time, restarted too
    assert clock["frozen"] is False
    assert abs(clock["now"] - time.time()) < 60


def test_reset_from_python_empties_the_data_dir(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json=product("Forgotten"), headers=BC)
    persisted.fake.reset()

    client = persisted.open()
    assert client.get(PRODUCTS, headers=BC).json()["data"] == []
    assert persisted.fake.persistence.status()["records"] == 1  # the reset itself


def test_reset_from_python_after_the_clock_moved_restores_the_same_fixtures(persisted):
    persisted.open()
    persisted.fake.clock.advance(86_400)
    persisted.fake.reset()  # the fixtures are loaded again, a day later on the fake clock
    first = persisted.fake
    first.persistence.close()

    second = storefake.create_app(data_dir=persisted.data_dir).state.fake
    try:
        assert differences(first.backends, second.backends) == []
    finally:
        second.close()


def test_restart_of_a_seeded_fake_draws_new_tokens(persisted):
    client = persisted.open(seed=7)
    codes = [
        client.post(
            "/__storefake/bigcommerce/oauth/codes", json={"client_id": "storefake-app-client", "store_hash": STORE}
        ).json()["code"]
    ]

    client = persisted.open()
    codes.append(
        client.post(
            "/__storefake/bigcommerce/oauth/codes", json={"client_id": "storefake-app-client", "store_hash": STORE}
        ).json()["code"]
    )
    assert len(set(codes)) == 2
    assert persisted.fake.config.seed == 7  # the data dir's seed, without being given again


def test_status_when_persistence_is_off(client):
    assert client.get("/__storefake/persistence").json() == {"enabled": False}


def test_status_names_the_data_dir_and_what_was_restored(persisted):
    client = persisted.open()
    client.post(PRODUCTS, json=product("Counted"), headers=BC)

    client = persisted.open()
    status = client.get("/__storefake/persistence").json()
    assert status["enabled"] is True
    assert status["data_dir"] == str(persisted.data_dir)
    assert status["records"] == 1
    assert status["restored"]["replayed"] == 1
    assert status["divergence_count"] == 0
