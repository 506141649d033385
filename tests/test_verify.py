"""POST /__storefake/journal/count and /journal/find: verifying requests from any language."""

from __future__ import annotations

import pytest

BC = "/stores/abc123"
BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}


@pytest.fixture
def traffic(client):
    client.get(f"{BC}/v3/catalog/products", params={"limit": 5}, headers=BC_TOKEN)
    client.get(f"{BC}/v3/catalog/products/1", headers={**BC_TOKEN, "X-Trace": "t-1"})
    client.post(f"{BC}/v3/catalog/brands", json={"name": "Acme"}, headers=BC_TOKEN)
    client.post("/ims/token/v3", data={"grant_type": "client_credentials", "client_id": "c", "client_secret": "s"})
    return client


def count(client, pattern):
    response = client.post("/__storefake/journal/count", json=pattern)
    assert response.status_code == 200, response.text
    return response.json()["count"]


def test_count_by_method_and_path_glob(traffic):
    assert count(traffic, {"method": "GET", "path": "/v3/catalog/products*"}) == 2
    assert count(traffic, {"method": "POST"}) == 2
    assert count(traffic, {}) == 4


def test_count_by_path_regex_and_vendor(traffic):
    assert count(traffic, {"path_regex": r"/v3/catalog/products/\d+"}) == 1
    assert count(traffic, {"vendor": "ims"}) == 1


def test_count_by_query_and_header(traffic):
    assert count(traffic, {"query": {"limit": 5}}) == 1
    assert count(traffic, {"headers": {"X-Trace": "t-1"}}) == 1
    assert count(traffic, {"headers": {"x-trace": "t-2"}}) == 0


def test_count_a_secret_header_by_presence_only(traffic):
    assert count(traffic, {"headers": {"X-Auth-Token": None}}) == 3
    assert count(traffic, {"headers": {"X-Auth-Token": "storefake-bc-token"}}) == 0  # values are redacted


def test_find_by_json_body_subset(traffic):
    response = traffic.post("/__storefake/journal/find", json={"body": {"name": "Acme"}})
    assert [(e["method"], e["path"]) for e in response.json()["entries"]] == [("POST", f"{BC}/v3/catalog/brands")]


def test_find_by_form_body_subset_shows_it_redacted(traffic):
    response = traffic.post("/__storefake/journal/find", json={"body": {"grant_type": "client_credentials"}})
    entries = response.json()["entries"]
    assert [e["path"] for e in entries] == ["/ims/token/v3"]
    assert "client_secret=%5Bredacted%5D" in entries[0]["body"]


def test_find_returns_entries_oldest_first(traffic):
    entries = traffic.post("/__storefake/journal/find", json={"method": "GET"}).json()["entries"]
    assert [e["path"] for e in entries] == [f"{BC}/v3/catalog/products", f"{BC}/v3/catalog/products/1"]


def test_find_takes_a_yaml_pattern(traffic):
    response = traffic.post("/__storefake/journal/find", content=b"method: POST\npath: /v3/catalog/brands\n")
    assert [e["path"] for e in response.json()["entries"]] == [f"{BC}/v3/catalog/brands"]


@pytest.mark.parametrize(
    ("pattern", "error"),
    [
        (
            {"colour": "red"},
            "pattern: unknown key(s) colour (expected some of: body, headers, method, path, path_regex, query, store, "
            "tenant, vendor)",
        ),
        (
            {"path_regex": "("},
            "pattern: 'path_regex' is not a valid regular expression: missing ), unterminated subpattern at position 0",
        ),
        ({"path": "V1/customers"}, "pattern: 'path' patterns start with '/' (e.g. /V1/customers*)"),
        ({"headers": ["x"]}, "pattern: 'headers' must be a mapping of name to value(s)"),
        ({"headers": {"x scenario": "1"}}, "pattern: header 'x scenario' is not a valid HTTP header name"),
        (["GET"], 'pattern: must be a mapping such as {"method": "POST", "path": "/V1/customers"}'),
    ],
)
def test_count_refuses_a_bad_pattern(client, pattern, error):
    response = client.post("/__storefake/journal/count", json=pattern)
    assert (response.status_code, response.json()) == (400, {"error": error})


def test_find_refuses_a_body_that_is_not_json(client):
    response = client.post(
        "/__storefake/journal/find", content=b'{"method": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("body is not valid JSON or YAML: ")


def test_count_refuses_a_header_name_with_a_lone_surrogate(client):
    # The control API's JSON reader refuses any lone surrogate before the pattern is parsed.
    pattern = b'{"headers": {"x-\\ud800": "1"}}'
    response = client.post("/__storefake/journal/count", content=pattern, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "body is not valid JSON or YAML: lone UTF-16 surrogate in a string"},
    )


def test_count_refuses_a_pattern_nested_too_deeply(client):
    deep = b'{"body": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post("/__storefake/journal/count", content=deep, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "body is not valid JSON or YAML: nested too deeply"},
    )
