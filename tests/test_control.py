from __future__ import annotations


def test_health(client):
    response = client.get("/__storefake/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_clock_freeze_and_advance(client):
    assert client.post("/__storefake/clock/freeze", json={"at": 1_000}).json() == {"now": 1000.0, "frozen": True}
    assert client.post("/__storefake/clock/advance", json={"seconds": 30}).json()["now"] == 1030.0
    assert client.get("/__storefake/clock").json() == {"now": 1030.0, "frozen": True}
    assert client.post("/__storefake/clock/unfreeze").json()["frozen"] is False


def test_clock_advance_rejects_bad_bodies(client):
    for body in ({"seconds": -1}, {"seconds": "soon"}, [1]):
        response = client.post("/__storefake/clock/advance", json=body)
        assert response.status_code == 400
        assert "seconds" in response.json()["error"]


def test_seed_rejects_unknown_vendor_and_bad_yaml(client):
    response = client.post("/__storefake/seed", json={"shopify": {}})
    assert response.status_code == 400
    assert response.json() == {"error": "unknown vendor section(s): shopify"}
    response = client.post("/__storefake/seed", content=b"a: [", headers={"content-type": "application/yaml"})
    assert response.status_code == 400


def test_journal_records_vendor_calls_but_not_control_calls(client):
    client.get("/nowhere")
    client.get("/__storefake/health")
    entries = client.get("/__storefake/journal").json()["entries"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [("GET", "/nowhere", 404)]
    assert client.get("/__storefake/journal", params={"method": "POST"}).json()["count"] == 0
    assert client.delete("/__storefake/journal").status_code == 204
    assert client.get("/__storefake/journal").json()["count"] == 0


def test_unknown_root_path_is_a_json_404_without_redirect(client):
    response = client.get("/x", follow_redirects=False)
    assert response.status_code == 404
    assert response.json() == {"message": "Request does not match any route."}


def test_control_api_errors_are_its_own_json(client):
    unknown = client.get("/__storefake/nope")
    assert (unknown.status_code, unknown.json()) == (404, {"error": "Not Found"})
    wrong_method = client.put("/__storefake/health")
    assert (wrong_method.status_code, wrong_method.json()) == (405, {"error": "Method Not Allowed"})
    assert wrong_method.headers["allow"] == "GET, HEAD"
