"""Mock rules applied in-process: httpx clients over ASGI transports, the real app behind them."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

import storefake
from storefake.faults import DroppedConnection

BC = "/stores/abc123"
BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}


def test_respond_json_answers_an_unimplemented_path(client, fake):
    fake.mocks.add({"id": "configs", "match": {"path": "/V1/store/storeConfigs"}, "respond": {"json": [{"id": 1}]}})
    response = client.get("/AbCYab34cdEfGHiJ27123/V1/store/storeConfigs")
    assert (response.status_code, response.json()) == (200, [{"id": 1}])
    assert response.headers["content-type"] == "application/json"


def test_respond_text_with_headers(client, fake):
    fake.mocks.add(
        {"match": {"vendor": "ims"}, "respond": {"status": 502, "text": "Bad gateway", "headers": {"X-A": "b"}}}
    )
    response = client.post("/ims/token/v3")
    assert (response.status_code, response.text, response.headers["x-a"]) == (502, "Bad gateway", "b")
    assert response.headers["content-type"].startswith("text/plain")


def test_respond_overrides_an_implemented_route(client, fake):
    fake.mocks.add(
        {"match": {"method": "GET", "path": "/v3/customers"}, "respond": {"status": 200, "json": {"data": []}}}
    )
    assert client.get(f"{BC}/v3/customers").json() == {"data": []}  # no credentials needed: rules come first


def test_respond_only_to_requests_with_the_header(client, fake):
    fake.mocks.add({"match": {"headers": {"X-Scenario": "outage"}}, "error": 503})
    assert client.get(f"{BC}/v3/catalog/products", headers={**BC_TOKEN, "X-Scenario": "outage"}).status_code == 503
    assert client.get(f"{BC}/v3/catalog/products", headers=BC_TOKEN).status_code == 200


def test_error_503_is_drawn_by_the_bigcommerce_renderer(client, fake):
    fake.mocks.add({"match": {"vendor": "bigcommerce"}, "error": 503})
    response = client.get(f"{BC}/v3/catalog/products", headers=BC_TOKEN)
    assert response.status_code == 503
    assert response.json() == {
        "status": 503,
        "title": "Service Unavailable",
        "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes",
        "errors": {},
    }


def test_error_429_carries_vendor_retry_header_and_rule_headers(client, fake):
    fake.mocks.add(
        {
            "match": {"vendor": "bigcommerce"},
            "error": {"status": 429, "retry_after": 12, "headers": {"X-Rate-Limit-Requests-Left": 0}},
        }
    )
    response = client.get(f"{BC}/v2/orders", headers=BC_TOKEN)
    assert response.status_code == 429
    assert response.json() == [{"status": 429, "message": "Too many requests."}]
    assert (response.headers["x-retry-after"], response.headers["x-rate-limit-requests-left"]) == ("12", "0")


def test_error_other_status_keeps_status_and_message(client, fake):
    fake.mocks.add({"match": {"vendor": "bigcommerce"}, "error": {"status": 500, "message": "Internal Server Error"}})
    response = client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    assert (response.status_code, response.json()["status"], response.json()["title"]) == (
        500,
        500,
        "Internal Server Error",
    )


def test_error_status_the_vendor_maps_elsewhere_is_kept(client, fake):
    # BigCommerce V2 renders Invalid as 400; a rule asking for 422 still gets 422 in the V2 shape.
    fake.mocks.add({"match": {"vendor": "bigcommerce"}, "error": {"status": 422, "message": "bad"}})
    response = client.get(f"{BC}/v2/orders", headers=BC_TOKEN)
    assert (response.status_code, response.json()) == (422, [{"status": 422, "message": "bad"}])


def test_error_without_a_vendor_has_no_invented_body(client, fake):
    fake.mocks.add({"match": {"path": "/"}, "error": {"status": 503, "headers": {"Retry-After": "30"}}})
    response = client.get("/")
    assert (response.status_code, response.content, response.headers["retry-after"]) == (503, b"", "30")


def test_delay_then_continue_to_the_fake(client, fake):
    fake.mocks.add({"id": "slow", "match": {"path": "/v3/customers"}, "delay": 0.2})
    started = time.monotonic()
    response = client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200
    assert "pagination" in response.json()["meta"]
    assert fake.journal.last.rule == "slow"


def test_delay_random_range_combined_with_a_response(client, fake):
    fake.mocks.add({"match": {"vendor": "adobe"}, "delay": {"min": 0.1, "max": 0.3}, "error": 503})
    started = time.monotonic()
    assert client.get("/AbCYab34cdEfGHiJ27123/V1/customers/1").status_code == 503
    assert time.monotonic() - started >= 0.1


def test_drop_raises_an_httpx_error_for_a_sync_client(client, fake):
    fake.mocks.add({"id": "gone", "match": {"method": "POST", "path": "/v2/orders"}, "drop": True})
    with pytest.raises(httpx.RemoteProtocolError, match="dropped by mock rule 'gone'"):
        client.post(f"{BC}/v2/orders", headers=BC_TOKEN, json={})
    assert (fake.journal.last.rule, fake.journal.last.status) == ("gone", 0)


def test_drop_raises_an_httpx_error_for_an_async_client(aclient, fake):
    fake.mocks.add({"match": {"vendor": "adobe"}, "drop": True})

    async def call():
        async with aclient:
            await aclient.get("/AbCYab34cdEfGHiJ27123/V1/customers/1")

    with pytest.raises(httpx.TransportError) as raised:
        asyncio.run(call())
    assert isinstance(raised.value, DroppedConnection)


def test_body_rule_reads_and_replays_the_body(client, fake):
    fake.mocks.add({"id": "watch", "match": {"body": [{"email": "slow@example.com"}]}, "delay": 0})
    fake.mocks.add({"id": "taken", "match": {"body": [{"email": "taken@example.com"}]}, "error": 409})
    customer = {"email": "slow@example.com", "first_name": "S", "last_name": "L"}
    created = client.post(f"{BC}/v3/customers", headers=BC_TOKEN, json=[customer])
    assert created.status_code == 200
    assert created.json()["data"][0]["email"] == "slow@example.com"  # the fake got the whole body
    assert fake.journal.last.rule == "watch"
    refused = client.post(f"{BC}/v3/customers", headers=BC_TOKEN, json=[{**customer, "email": "taken@example.com"}])
    assert refused.status_code == 409


def test_body_rule_ignores_bodies_it_cannot_parse(client, fake):
    fake.mocks.add({"match": {"body": {"a": 1}}, "error": 503})
    response = client.post(
        f"{BC}/v3/customers", headers={**BC_TOKEN, "content-type": "application/json"}, content=b"{no"
    )
    assert response.status_code != 503


@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b'{"a": 1, "b": "\\ud800"}'])
def test_body_rule_ignores_bodies_no_vendor_reads(client, fake, raw):
    fake.mocks.add({"match": {"body": {"a": 1}}, "error": 503})
    response = client.post(f"{BC}/v3/customers", headers={**BC_TOKEN, "content-type": "application/json"}, content=raw)
    assert response.status_code == 422  # the vendor's invalid JSON, not the rule and not a 500


def test_body_rule_over_the_size_limit_does_not_match():
    import storefake
    from storefake.transport import SyncASGITransport

    app = storefake.create_app(max_body_bytes=64)
    app.state.fake.mocks.add({"match": {"body": {"a": 1}}, "error": 503})
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://t") as client:
        response = client.post(f"{BC}/v3/customers", headers=BC_TOKEN, json={"a": 1, "pad": "x" * 100})
    assert response.status_code == 413  # the fake's own body limit answered, not the rule


def test_times_then_the_fake_answers(client, fake):
    fake.mocks.add({"match": {"path": "/v3/customers"}, "error": 503, "times": 2})
    statuses = [client.get(f"{BC}/v3/customers", headers=BC_TOKEN).status_code for _ in range(4)]
    assert statuses == [503, 503, 200, 200]


def test_probability_is_seeded(fake, client):
    fake.mocks.add({"match": {"path": "/v3/customers"}, "error": 500, "probability": 0.5})
    statuses = [client.get(f"{BC}/v3/customers", headers=BC_TOKEN).status_code for _ in range(40)]
    assert set(statuses) == {200, 500}
    assert statuses.count(500) == fake.mocks["rule-1"].hits


def test_control_api_is_never_faulted(client, fake):
    fake.mocks.add({"match": {"path": "*"}, "drop": True})
    assert client.get("/__storefake/health").status_code == 200


def test_journal_names_the_rule_and_records_the_injected_answer(client, fake):
    fake.mocks.add({"id": "maint", "match": {"vendor": "bigcommerce"}, "error": 503})
    client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    entry = fake.journal.last
    assert (entry.rule, entry.status, entry.response_json()["status"]) == ("maint", 503, 503)


def test_requests_no_rule_matches_have_no_rule_in_the_journal(client, fake):
    fake.mocks.add({"match": {"vendor": "adobe"}, "error": 503})
    client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    assert fake.journal.last.rule is None


# through storefake.mock(): vendor hosts intercepted by respx, answered by the same app
def test_mock_drop_is_an_httpx_error_for_sync_and_async_clients():
    async def call_async():
        async with httpx.AsyncClient() as async_client:
            await async_client.post("https://api.bigcommerce.com/stores/abc123/v2/orders", json={})

    with storefake.mock() as sf:
        sf.fake.mocks.add({"id": "gone", "match": {"method": "POST", "path": "/v2/orders"}, "drop": True})
        with pytest.raises(httpx.RemoteProtocolError, match="dropped by mock rule 'gone'"):
            httpx.post("https://api.bigcommerce.com/stores/abc123/v2/orders", json={})
        with pytest.raises(httpx.TransportError):
            asyncio.run(call_async())
    assert [(entry.rule, entry.status) for entry in sf.journal] == [("gone", 0), ("gone", 0)]


def test_mock_delay_error_times_and_unimplemented_paths(tmp_path):
    (tmp_path / "rules.yaml").write_text(
        "- {id: slow-down, match: {vendor: adobe}, delay: 0.2, error: 503, times: 1}\n"
        "- {id: configs, match: {path: /V1/store/storeConfigs}, respond: {json: [{code: default}]}}\n"
    )
    url = "https://na1.api.commerce.adobe.com/AbCYab34cdEfGHiJ27123/V1/store/storeConfigs"
    with storefake.mock(config=storefake.Config(mocks=[tmp_path])) as sf:
        started = time.monotonic()
        first = httpx.get(url)
        assert time.monotonic() - started >= 0.2
        second = httpx.get(url)
    assert (first.status_code, second.status_code, second.json()) == (503, 200, [{"code": "default"}])
    assert [entry.rule for entry in sf.journal] == ["slow-down", "configs"]


# Adobe and IMS errors come from the Adobe renderers
ADOBE = "/AbCYab34cdEfGHiJ27123"


def test_error_503_is_drawn_by_the_adobe_renderer(client, fake):
    fake.mocks.add({"match": {"vendor": "adobe"}, "error": {"status": 503, "message": "Service Unavailable"}})
    response = client.get(f"{ADOBE}/V1/customers/1")
    assert (response.status_code, response.json()) == (503, {"message": "Service Unavailable"})
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_error_429_from_the_adobe_renderer_has_retry_after(client, fake):
    fake.mocks.add({"match": {"vendor": "adobe"}, "error": {"status": 429, "retry_after": 7}})
    response = client.get(f"{ADOBE}/V1/customers/search")
    assert (response.status_code, response.headers["retry-after"]) == (429, "7")


def test_error_status_adobe_never_draws_keeps_the_magento_shape(client, fake):
    fake.mocks.add({"match": {"vendor": "adobe"}, "error": {"status": 500, "message": "Internal Error."}})
    response = client.get(f"{ADOBE}/V1/customers/1")
    assert (response.status_code, response.json()) == (500, {"message": "Internal Error."})


def test_error_on_ims_uses_the_oauth_error_shape(client, fake):
    fake.mocks.add({"match": {"vendor": "ims"}, "error": 503})
    response = client.post("/ims/token/v3", data={"grant_type": "client_credentials"})
    assert (response.status_code, response.json()) == (
        503,
        {"error": "server_error", "error_description": "Service Unavailable"},
    )


def test_form_body_rule_on_the_ims_token_call(client, fake):
    fake.mocks.add({"match": {"vendor": "ims", "body": {"client_id": "storefake-accs-client"}}, "error": 503})
    refused = client.post("/ims/token/v3", data={"client_id": "storefake-accs-client", "grant_type": "x"})
    other = client.post("/ims/token/v3", data={"client_id": "someone-else", "grant_type": "x"})
    assert (refused.status_code, other.status_code != 503) == (503, True)


# the bundled scenarios in mocks/, loaded by name
def scenario_client(name):
    from storefake.transport import SyncASGITransport

    app = storefake.create_app(mocks=[name], seed=11)
    return app.state.fake, httpx.Client(transport=SyncASGITransport(app), base_url="http://t")


def test_scenario_maintenance_window():
    _fake, client = scenario_client("maintenance-window")
    with client:
        adobe = client.get(f"{ADOBE}/V1/customers/1")
        bigcommerce = client.get(f"{BC}/v3/catalog/products", headers=BC_TOKEN)
        ims = client.post("/ims/token/v3", data={"grant_type": "client_credentials"})
    assert (adobe.status_code, adobe.headers["retry-after"]) == (503, "300")
    assert (bigcommerce.status_code, bigcommerce.json()["status"]) == (503, 503)
    assert ims.status_code != 503


def test_scenario_slow_catalog():
    fake, client = scenario_client("slow-catalog")
    with client:
        started = time.monotonic()
        response = client.get(f"{BC}/v3/catalog/categories", headers=BC_TOKEN)
    assert time.monotonic() - started >= 0.5
    assert (response.status_code, fake.journal.last.rule) == (200, "slow-catalog")


def test_scenario_flaky_order_creation():
    _fake, client = scenario_client("flaky-order-creation")
    outcomes = []
    with client:
        for _ in range(40):
            try:
                outcomes.append(client.post(f"{BC}/v2/orders", headers=BC_TOKEN, json={}).status_code)
            except httpx.RemoteProtocolError:
                outcomes.append("dropped")
    assert {"dropped", 500} <= set(outcomes)
    assert any(isinstance(o, int) and o != 500 for o in outcomes)  # the rest reach the fake


def test_scenario_rate_limit_storm():
    _fake, client = scenario_client("rate-limit-storm")
    with client:
        statuses = [client.get(f"{BC}/v3/customers", headers=BC_TOKEN).status_code for _ in range(55)]
        last = client.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    assert statuses == [200] * 20 + [429] * 30 + [200] * 5
    assert last.status_code == 200


def test_scenario_unimplemented_endpoints():
    _fake, client = scenario_client("unimplemented-endpoints")
    with client:
        configs = client.get(f"{ADOBE}/V1/store/storeConfigs")
        currencies = client.get(f"{BC}/v2/currencies", headers=BC_TOKEN)
    assert (configs.status_code, configs.json()[0]["code"]) == (200, "default")
    assert (currencies.status_code, currencies.json()[0]["currency_code"]) == (200, "USD")


def test_scenario_unimplemented_endpoints_shadows_no_served_route():
    """Its canned answers are for paths the fake does not serve: a real route must never be hidden by one."""
    import re

    import yaml
    from starlette.routing import Mount, Route

    from storefake.resources import data_dir

    def served(routes, prefix=""):
        for route in routes:
            if isinstance(route, Mount):
                yield from served(route.routes or [], prefix + route.path)
            elif isinstance(route, Route):
                pattern = re.sub(r"\{[^}]*\}", "[^/]+", prefix + route.path)
                yield from ((method, pattern) for method in route.methods or ())

    routes = list(served(storefake.create_app().routes))
    rules = yaml.safe_load((data_dir("mocks") / "unimplemented-endpoints.yaml").read_text())["rules"]
    for rule in rules:
        base = BC if rule["match"]["vendor"] == "bigcommerce" else ADOBE
        method, path = rule["match"]["method"], base + rule["match"]["path"]
        assert not [p for m, p in routes if m == method and re.fullmatch(p, path)], rule["id"]
