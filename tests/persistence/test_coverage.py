"""Every state family is persisted, including ones added after persistence was written.

Every bundled contract suite runs against a persisted fake; a second fake then opens the same data dir. Its
state must equal the first one's object by object (statecompare.py walks whatever the backends hold), every
collection endpoint of the OpenAPI documents must answer the same, and no replayed write may diverge.
"""

from __future__ import annotations

import re

import httpx
import pytest

import storefake
from storefake import openapi
from storefake.contracts.commands import select_cases
from storefake.contracts.runner import Runner
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


@pytest.fixture(scope="module")
def restarted(tmp_path_factory):
    """(first fake's app, restarted fake's app) after every bundled contract case ran on the first."""
    data_dir = tmp_path_factory.mktemp("coverage") / "data"
    first = storefake.create_app(data_dir=data_dir)
    with Runner(fake_target(first), allow_writes=True) as runner:
        results = [runner.run(case) for case in select_cases(None, None)]
    failed = [result.report() for result in results if result.outcome == "failed"]
    first.state.fake.persistence.close()  # its state stays in memory, to compare with
    second = storefake.create_app(data_dir=data_dir)
    yield first, second, failed
    first.state.fake.close()
    second.state.fake.close()


def test_contract_suites_pass_on_a_persisted_fake(restarted):
    _, _, failed = restarted
    assert failed == []


def test_restart_restores_every_object_of_every_backend(restarted):
    first, second = (app.state.fake for app in restarted[:2])
    assert differences(first.backends, second.backends) == []


def test_restart_restores_mock_rules_and_the_clock(restarted):
    first, second = (app.state.fake for app in restarted[:2])
    assert first.mocks.to_list() == second.mocks.to_list()
    assert first.clock.state() == second.clock.state()


def test_restart_replays_every_write_as_it_was_answered(restarted):
    status = restarted[1].state.fake.persistence.status()
    assert status["restored"]["replayed"] > 100
    assert status["divergences"] == []


def collection_paths(vendor: str) -> list[str]:
    """GET paths of the OpenAPI document whose only parameters are the tenant or store."""
    paths = []
    for path, item in openapi.document(vendor)["paths"].items():
        if "get" in item and set(PATH_PARAMETER.findall(path)) <= set(OWN_PARAMETERS):
            paths.append(PATH_PARAMETER.sub(lambda m: OWN_PARAMETERS[m.group(1)], path))
    return paths


@pytest.mark.parametrize("vendor", openapi.VENDORS)
def test_restart_answers_every_collection_endpoint_the_same(restarted, vendor):
    answers = []
    with httpx.Client(transport=SyncASGITransport(restarted[1]), base_url="http://testserver") as client:
        token = client.post("/ims/token/v3", data=IMS_FORM).json()["access_token"]  # the first fake is closed
    headers = {**BC, "Authorization": f"Bearer {token}"}
    for app in restarted[:2]:
        with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
            answers.append({path: _answer(client, path, headers) for path in collection_paths(vendor)})
    assert answers[0] == answers[1]
    assert {status for status, _ in answers[0].values()} <= {200, 204}


def _answer(client: httpx.Client, path: str, headers: dict[str, str]) -> tuple[int, str]:
    query = next((q for suffix, q in QUERIES.items() if path.endswith(suffix)), None)
    response = client.get(path, params=query, headers=headers)
    return response.status_code, response.text
