"""The control API for mock rules: /__storefake/mocks."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storefake
from storefake.transport import SyncASGITransport

BC = "/stores/abc123"
BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}
MAINTENANCE = {"id": "maint", "match": {"vendor": "bigcommerce"}, "error": 503}


def test_list_mocks_starts_empty(client):
    assert client.get("/__storefake/mocks").json() == {"rules": [], "count": 0}


def test_add_one_rule_as_json(client):
    response = client.post("/__storefake/mocks", json=MAINTENANCE)
    assert response.status_code == 201
    assert response.json() == {
        "added": [
            {
                "id": "maint",
                "origin": "runtime",
                "source": None,
                "matched": 0,
                "hits": 0,
                "rule": {"match": {"vendor": "bigcommerce"}, "error": 503},
            }
        ]
    }
    assert client.get(f"{BC}/v3/customers", headers=BC_TOKEN).status_code == 503


def test_add_a_list_as_yaml(client):
    body = "rules:\n  - {id: a, match: {vendor: adobe}, drop: true}\n  - {match: {vendor: ims}, delay: 0}\n"
    response = client.post("/__storefake/mocks", content=body, headers={"content-type": "application/yaml"})
    assert [rule["id"] for rule in response.json()["added"]] == ["a", "rule-1"]


def test_list_shows_hit_counts(client):
    client.post("/__storefake/mocks", json={**MAINTENANCE, "times": 1})
    client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    (rule,) = client.get("/__storefake/mocks").json()["rules"]
    assert (rule["id"], rule["matched"], rule["hits"]) == ("maint", 2, 1)


def test_add_first_goes_ahead(client):
    client.post("/__storefake/mocks", json=MAINTENANCE)
    client.post("/__storefake/mocks?first=true", json={"id": "ok", "match": {"vendor": "bigcommerce"}, "respond": {}})
    assert [r["id"] for r in client.get("/__storefake/mocks").json()["rules"]] == ["ok", "maint"]
    assert client.get(f"{BC}/v3/customers").status_code == 200


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ('{"id": "x"}', "mock rule: rule 1 ('x'): a rule needs an action: respond, error, drop or delay"),
        ('{"id": "x", "error": {"status": 200}}', "mock rule: rule 1 ('x').error: an error 'status' must be 400"),
        ("[1]", "mock rule: rule 1: a rule must be a mapping, got int"),
        ("{", "body is not valid JSON or YAML"),
        ('"text"', "mock rule: expected a rule, a list of rules or a mapping with 'rules'"),
    ],
)
def test_add_invalid_rule_is_400_with_a_clear_error(client, body, error):
    response = client.post("/__storefake/mocks", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith(error)
    assert client.get("/__storefake/mocks").json()["count"] == 0


def test_add_duplicate_id_is_400(client):
    client.post("/__storefake/mocks", json=MAINTENANCE)
    response = client.post("/__storefake/mocks", json=MAINTENANCE)
    assert (response.status_code, response.json()) == (400, {"error": "a mock rule with id 'maint' already exists"})


def test_get_one_rule(client):
    client.post("/__storefake/mocks", json=MAINTENANCE)
    assert client.get("/__storefake/mocks/maint").json()["id"] == "maint"
    assert client.get("/__storefake/mocks/nope").status_code == 404


def test_delete_one_rule(client):
    client.post("/__storefake/mocks", json=MAINTENANCE)
    assert client.delete("/__storefake/mocks/maint").status_code == 204
    assert client.get(f"{BC}/v3/customers", headers=BC_TOKEN).status_code == 200
    response = client.delete("/__storefake/mocks/maint")
    assert (response.status_code, response.json()) == (404, {"error": "no mock rule with id 'maint'"})


def test_delete_all_rules(client):
    client.post("/__storefake/mocks", json=[MAINTENANCE, {"id": "b", "drop": True}])
    assert client.delete("/__storefake/mocks").status_code == 204
    assert client.get("/__storefake/mocks").json()["count"] == 0


def test_journal_shows_the_rule_that_answered(client):
    client.post("/__storefake/mocks", json=MAINTENANCE)
    client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    (entry,) = client.get("/__storefake/journal").json()["entries"]
    assert (entry["rule"], entry["status"]) == ("maint", 503)


def test_reset_keeps_loaded_rules_and_drops_runtime_ones(tmp_path):
    (tmp_path / "start.yaml").write_text("- {id: loaded, match: {vendor: adobe}, error: 503}\n")
    app = storefake.create_app(mocks=[tmp_path])
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://t") as client:
        client.post("/__storefake/mocks", json=MAINTENANCE)
        client.get("/AbCYab34cdEfGHiJ27123/V1/customers/1")
        client.post("/__storefake/reset")
        rules = client.get("/__storefake/mocks").json()["rules"]
    assert [(r["id"], r["origin"], r["hits"], r["source"]) for r in rules] == [
        ("loaded", "loaded", 0, str(tmp_path / "start.yaml"))
    ]


@settings(
    max_examples=100, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=6),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
        max_leaves=8,
    )
)
def test_add_never_answers_a_server_error(client, body):
    response = client.post("/__storefake/mocks", json=body)
    assert response.status_code in (201, 400)
    client.delete("/__storefake/mocks")
