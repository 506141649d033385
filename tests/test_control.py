from __future__ import annotations

import time

import httpx
import pytest

JSON = {"Content-Type": "application/json"}


def test_health(client):
    response = client.get("/__storefake/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_clock_freeze_and_advance(client):
    assert client.post("/__storefake/clock/freeze", json={"at": 1_000}).json() == {"now": 1000.0, "frozen": True}
    assert client.post("/__storefake/clock/advance", json={"seconds": 30}).json()["now"] == 1030.0
    assert client.get("/__storefake/clock").json() == {"now": 1030.0, "frozen": True}
    assert client.post("/__storefake/clock/unfreeze").json()["frozen"] is False


def test_reset_restores_a_frozen_and_advanced_clock(client):
    client.post("/__storefake/clock/freeze", json={"at": 1_000})
    client.post("/__storefake/clock/advance", json={"seconds": 30})
    assert client.post("/__storefake/reset").json() == {"reset": True}
    clock = client.get("/__storefake/clock").json()
    assert clock["frozen"] is False
    assert abs(clock["now"] - time.time()) < 5


def test_reset_restores_an_advanced_clock_to_real_time(client):
    client.post("/__storefake/clock/advance", json={"seconds": 86_400})
    client.post("/__storefake/reset")
    assert abs(client.get("/__storefake/clock").json()["now"] - time.time()) < 5


def test_reset_refreezes_the_clock_at_config_frozen_at():
    import storefake
    from storefake.transport import SyncASGITransport

    app = storefake.create_app(frozen_at=2_000.0)
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
        client.post("/__storefake/clock/unfreeze")
        client.post("/__storefake/clock/advance", json={"seconds": 30})
        client.post("/__storefake/reset")
        assert client.get("/__storefake/clock").json() == {"now": 2000.0, "frozen": True}


def test_clock_advance_rejects_bad_bodies(client):
    for body in ({"seconds": -1}, {"seconds": "soon"}, [1]):
        response = client.post("/__storefake/clock/advance", json=body)
        assert response.status_code == 400
        assert "seconds" in response.json()["error"]


def test_seed_rejects_unknown_vendor_and_bad_yaml(client):
    response = client.post("/__storefake/seed", json={"shopify": {}})
    assert response.status_code == 400
    assert response.json() == {"error": "shopify: unknown key; expected one of: adobe, bigcommerce"}
    response = client.post("/__storefake/seed", content=b"a: [", headers={"content-type": "application/yaml"})
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["application/json", "application/yaml"])
def test_seed_refuses_a_body_nested_too_deeply(client, content_type):
    deep = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/__storefake/seed", content=deep, headers={"content-type": content_type})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "body is not valid JSON or YAML: nested too deeply"},
    )


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


def _paths(page):
    return [entry["path"] for entry in page["entries"]]


def test_journal_limit_pages_oldest_first_and_the_cursor_continues(client):
    for n in range(5):
        client.get(f"/nowhere/{n}")
    first = client.get("/__storefake/journal", params={"limit": 2}).json()
    assert (_paths(first), first["count"], first["more"]) == (["/nowhere/0", "/nowhere/1"], 2, True)
    second = client.get("/__storefake/journal", params={"limit": 2, "since": first["cursor"]}).json()
    assert (_paths(second), second["more"]) == (["/nowhere/2", "/nowhere/3"], True)
    third = client.get("/__storefake/journal", params={"limit": 2, "since": second["cursor"]}).json()
    assert (_paths(third), third["more"]) == (["/nowhere/4"], False)


def test_journal_since_cursor_follows_new_entries_only(client):
    client.get("/nowhere/old")
    cursor = client.get("/__storefake/journal").json()["cursor"]
    assert client.get("/__storefake/journal", params={"since": cursor}).json()["entries"] == []
    client.get("/nowhere/new")
    page = client.get("/__storefake/journal", params={"since": cursor}).json()
    assert _paths(page) == ["/nowhere/new"]
    assert page["cursor"] > cursor


def test_journal_cursor_skips_entries_the_filters_left_out(client):
    client.get("/nowhere/a")
    client.post("/nowhere/b")
    page = client.get("/__storefake/journal", params={"method": "POST"}).json()
    assert _paths(page) == ["/nowhere/b"]
    client.get("/nowhere/c")
    assert client.get("/__storefake/journal", params={"method": "GET", "since": page["cursor"]}).json()["count"] == 1


def test_journal_newest_first_pages_back_with_before(client):
    for n in range(3):
        client.get(f"/nowhere/{n}")
    newest = client.get("/__storefake/journal", params={"order": "desc", "limit": 2}).json()
    assert (_paths(newest), newest["more"]) == (["/nowhere/2", "/nowhere/1"], True)
    older = client.get("/__storefake/journal", params={"order": "desc", "before": newest["entries"][-1]["id"]}).json()
    assert (_paths(older), older["more"]) == (["/nowhere/0"], False)
    assert newest["cursor"] == newest["entries"][0]["id"], "the cursor follows what comes after the newest"


def test_journal_cursor_survives_a_clear(client):
    client.get("/nowhere/a")
    cursor = client.get("/__storefake/journal").json()["cursor"]
    client.delete("/__storefake/journal")
    client.get("/nowhere/b")
    assert _paths(client.get("/__storefake/journal", params={"since": cursor}).json()) == ["/nowhere/b"]


def test_journal_paging_parameters_are_checked(client):
    for params, text in (
        ({"limit": "0"}, "limit must be an integer of at least 1"),
        ({"limit": "ten"}, "limit must be an integer of at least 1"),
        ({"since": "-1"}, "since must be an integer of at least 0"),
        ({"before": "1e999"}, "before must be an integer of at least 1"),
        ({"order": "up"}, 'order must be "asc" or "desc"'),
    ):
        response = client.get("/__storefake/journal", params=params)
        assert (response.status_code, response.json()) == (400, {"error": text})


def test_journal_filters_by_vendor(client):
    client.get("/stores/abc123/v3/catalog/products")
    client.post("/ims/token/v3")
    client.get("/AbCYab34cdEfGHiJ27123/V1/customers/1")
    for vendor, path in (
        ("bigcommerce", "/stores/abc123/v3/catalog/products"),
        ("ims", "/ims/token/v3"),
        ("adobe", "/AbCYab34cdEfGHiJ27123/V1/customers/1"),
    ):
        assert _paths(client.get("/__storefake/journal", params={"vendor": vendor}).json()) == [path]


def test_journal_filters_by_status_code_or_class(client):
    client.get("/stores/abc123/v3/catalog/products", headers={"X-Auth-Token": "storefake-bc-token"})
    client.get("/stores/abc123/v3/catalog/products")  # no token: 401
    client.get("/nowhere/a")  # 404
    assert _paths(client.get("/__storefake/journal", params={"status": "4xx"}).json()) == [
        "/stores/abc123/v3/catalog/products",
        "/nowhere/a",
    ]
    assert _paths(client.get("/__storefake/journal", params={"status": "404"}).json()) == ["/nowhere/a"]
    assert client.get("/__storefake/journal", params={"status": "2xx", "vendor": "adobe"}).json()["count"] == 0


def test_journal_vendor_and_status_filters_are_checked(client):
    for params, text in (
        ({"vendor": "shopify"}, "vendor must be one of adobe, bigcommerce, ims"),
        ({"status": "4XX"}, "status must be a status code (404) or a class (4xx)"),
        ({"status": "1000"}, "status must be a status code (404) or a class (4xx)"),
    ):
        response = client.get("/__storefake/journal", params=params)
        assert (response.status_code, response.json()) == (400, {"error": text})


def test_journal_delete_with_method_removes_only_matching_entries(client):
    client.get("/nowhere/a")
    client.post("/nowhere/b")
    assert client.delete("/__storefake/journal", params={"method": "post"}).status_code == 204
    assert _paths(client.get("/__storefake/journal").json()) == ["/nowhere/a"]


def test_journal_delete_with_path_removes_only_matching_entries(client):
    client.get("/nowhere/a")
    client.get("/nowhere/b")
    assert client.delete("/__storefake/journal", params={"path": "/b"}).status_code == 204
    assert _paths(client.get("/__storefake/journal").json()) == ["/nowhere/a"]


DEEP_JSON = b"[" * 100_000 + b"]" * 100_000


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/__storefake/seed"),
        ("POST", "/__storefake/mocks"),
        ("POST", "/__storefake/clock/advance"),
        ("POST", "/__storefake/clock/freeze"),
        ("POST", "/__storefake/bigcommerce/oauth/codes"),
        ("PUT", "/__storefake/bigcommerce/stores/abc123/rate_limit"),
    ],
)
@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (DEEP_JSON, "application/json"),
        (DEEP_JSON, "application/yaml"),
        (b'{"adobe": "bad \\ud800"}', "application/json"),
        (b'adobe: "bad \\ud800"', "application/yaml"),
    ],
    ids=["deep-json", "deep-yaml", "surrogate-json", "surrogate-yaml"],
)
def test_control_body_no_parser_should_keep_is_a_400(client, method, path, raw, content_type):
    response = client.request(method, path, content=raw, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert client.get("/__storefake/health").status_code == 200


def test_seed_with_a_lone_surrogate_names_the_reason(client):
    response = client.post("/__storefake/seed", content=b'{"bigcommerce": "\\ud800"}', headers=JSON)
    assert response.json() == {"error": "body is not valid JSON or YAML: lone UTF-16 surrogate in a string"}


@pytest.mark.parametrize("raw", [b'{"seconds": 1e999}', b'{"seconds": NaN}', b'{"seconds": "Infinity"}'])
def test_clock_advance_refuses_non_finite_seconds(client, raw):
    response = client.post("/__storefake/clock/advance", content=raw, headers=JSON)
    assert (response.status_code, response.json()) == (
        400,
        {"error": 'body must be {"seconds": <non-negative number>}'},
    )
    assert client.get("/__storefake/health").status_code == 200


def test_clock_advance_past_year_9999_is_refused(client):
    response = client.post("/__storefake/clock/advance", json={"seconds": 1e300})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "the clock can only be set between 0 and 253402300799 (9999-12-31T23:59:59Z)"},
    )


@pytest.mark.parametrize("raw", [b'{"at": 1e999}', b'{"at": NaN}', b'{"at": -1}', b"at: .inf"])
def test_clock_freeze_refuses_an_instant_no_date_can_hold(client, raw):
    content_type = "application/yaml" if raw.startswith(b"at:") else "application/json"
    response = client.post("/__storefake/clock/freeze", content=raw, headers={"Content-Type": content_type})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "the clock can only be set between 0 and 253402300799 (9999-12-31T23:59:59Z)"},
    )
    assert client.get("/__storefake/clock").json()["frozen"] is False


def test_health_clock_and_ims_answer_after_refused_clock_values(client):
    client.post("/__storefake/clock/advance", content=b'{"seconds": 1e999}', headers=JSON)
    client.post("/__storefake/clock/freeze", content=b'{"at": NaN}', headers=JSON)
    assert client.get("/__storefake/health").status_code == 200
    assert client.get("/__storefake/clock").status_code == 200
    form = {
        "grant_type": "client_credentials",
        "client_id": "storefake-accs-client",
        "client_secret": "storefake-accs-secret",
        "scope": "commerce.accs",
    }
    assert client.post("/ims/token/v3", data=form).status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "TRACE"])
def test_control_root_under_another_method_is_the_control_apis_own_405(client, method):
    # GET redirects to the inspector page (tests/test_inspector.py); no other method is a server error.
    response = client.request(method, "/__storefake")
    assert (response.status_code, response.json()) == (405, {"error": "Method Not Allowed"})
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/__storefake/nope", "/__storefake/nope/deeper", "/__storefake/journal/x"])
def test_unknown_control_paths_are_the_control_apis_own_404(client, path):
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, {"error": "Not Found"})
