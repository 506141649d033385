"""Every state family is persisted, including ones added after persistence was written.

Every bundled contract suite runs against a persisted fake; a second fake then opens the same data dir and
replays its log, a third loads the snapshot the first took at the end. Their state must equal the first
one's object by object (statecompare.py walks whatever the backends hold), every collection endpoint of the
OpenAPI documents must answer the same, no replayed write may diverge, and the snapshot must hold it all
(a new family that can't be pickled is named by the failure).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from typing import Any, NamedTuple

import httpx
import pytest

import storefake
from storefake import openapi
from storefake.contracts.commands import select_cases
from storefake.contracts.runner import Runner
from storefake.persistence.store import DB_NAME
from storefake.targets import fake_target
from storefake.transport import SyncASGITransport

from .statecompare import differences
from .support import BC, IMS_FORM, STORE, TENANT

PATH_PARAMETER = re.compile(r"\{([^}]+)\}")
OWN_PARAMETERS = {"tenant_id": TENANT, "store_hash": STORE}
# What a listing needs to answer 200.
QUERIES = {
    "/V1/customers/search": {"searchCriteria[pageSize]": "100"},
    "/V1/customerGroups/search": {"searchCriteria[pageSize]": "100"},
}


class Restarted(NamedTuple):
    first: Any  # the app every bundled contract case ran on
    from_log: Any  # the app that opened its data dir and replayed the log
    failed: list[str]  # contract cases that failed on the first
    snapshot: dict[str, Any] | None  # the snapshot the first took at the end (None: see notes)
    notes: list[str]
    from_snapshot: Any  # the app that loaded that snapshot (from a copy of the data dir)


@pytest.fixture(scope="module")
def restarted(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("coverage") / "data"
    first = storefake.create_app(data_dir=data_dir)
    with Runner(fake_target(first), allow_writes=True) as runner:
        results = [runner.run(case) for case in select_cases(None, None)]
    failed = [result.report() for result in results if result.outcome == "failed"]
    persistence = first.state.fake.persistence
    row = persistence.snapshot()  # of every family the suites wrote to
    notes = list(persistence.notes)
    persistence.close()  # its state stays in memory, to compare with
    copy = data_dir.with_name("copy")
    shutil.copytree(data_dir, copy)
    database = sqlite3.connect(data_dir / DB_NAME)
    database.execute("UPDATE snapshots SET code = 'other code'")  # the original: replayed from its log alone
    database.commit()
    database.close()
    second = storefake.create_app(data_dir=data_dir)
    from_snapshot = storefake.create_app(data_dir=copy) if row is not None else None
    yield Restarted(first, second, failed, row, notes, from_snapshot)
    for app in (first, second, from_snapshot):
        if app is not None:
            app.state.fake.close()


def test_contract_suites_pass_on_a_persisted_fake(restarted):
    assert restarted.failed == []


def test_restart_restores_every_object_of_every_backend(restarted):
    first, second = restarted.first.state.fake, restarted.from_log.state.fake
    assert second.persistence.restored["snapshot_seq"] is None
    assert differences(first.backends, second.backends) == []


def test_restart_restores_mock_rules_and_the_clock(restarted):
    first, second = restarted.first.state.fake, restarted.from_log.state.fake
    assert first.mocks.to_list() == second.mocks.to_list()
    assert first.clock.state() == second.clock.state()


def test_restart_replays_every_write_as_it_was_answered(restarted):
    status = restarted.from_log.state.fake.persistence.status()
    assert status["restored"]["replayed"] > 100
    assert status["divergences"] == []


def test_snapshot_holds_every_family(restarted):
    """State must stay picklable: a note names the object that is not (see snapshots.unpicklable)."""
    assert restarted.snapshot is not None, "\n".join(restarted.notes)
    assert restarted.notes == []


def test_restart_from_a_snapshot_restores_every_object_of_every_backend(restarted):
    assert restarted.snapshot is not None, "no snapshot was taken (test_snapshot_holds_every_family says why)"
    first, fake = restarted.first.state.fake, restarted.from_snapshot.state.fake
    assert fake.persistence.restored["snapshot_seq"] == restarted.snapshot["seq"]
    assert fake.persistence.restored["replayed"] == 0
    assert differences(first.backends, fake.backends) == []
    assert first.mocks.to_list() == fake.mocks.to_list()
    assert first.clock.state() == fake.clock.state()


def collection_paths(vendor: str) -> list[str]:
    """GET paths of the OpenAPI document whose only parameters are the tenant or store."""
    paths = []
    for path, item in openapi.document(vendor)["paths"].items():
        if path.endswith("/v2/time"):  # the running clock's now, not stored state (the clock test covers it)
            continue
        if "get" in item and set(PATH_PARAMETER.findall(path)) <= set(OWN_PARAMETERS):
            paths.append(PATH_PARAMETER.sub(lambda m: OWN_PARAMETERS[m.group(1)], path))
    return paths


@pytest.mark.parametrize("vendor", openapi.VENDORS)
def test_restart_answers_every_collection_endpoint_the_same(restarted, vendor):
    answers = []
    with httpx.Client(transport=SyncASGITransport(restarted.from_log), base_url="http://testserver") as client:
        token = client.post("/ims/token/v3", data=IMS_FORM).json()["access_token"]  # the first fake is closed
    headers = {**BC, "Authorization": f"Bearer {token}"}
    for app in (restarted.first, restarted.from_log):
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
            answers.append({path: _answer(client, path, headers) for path in collection_paths(vendor)})
    assert answers[0] == answers[1]
    assert {status for status, _ in answers[0].values()} <= {200, 204}


def _answer(client: httpx.Client, path: str, headers: dict[str, str]) -> tuple[int, str]:
    query = next((q for suffix, q in QUERIES.items() if path.endswith(suffix)), None)
    response = client.get(path, params=query, headers=headers)
    return response.status_code, response.text
