"""Targets: base URLs, credentials and clients that authenticate, refresh on 401 and wait out 429s."""

from __future__ import annotations

import asyncio
import copy

import httpx
import pytest

import storefake
from storefake.resources import default_fixtures_path, load_yaml
from storefake.server import ThreadedServer
from storefake.targets import (
    ACCS_SCOPE,
    LiveSettings,
    Target,
    TargetError,
    default_credentials,
    env_var,
    fake_target,
    live_target,
    retry_delay,
    server_target,
)

TENANT = "AbCYab34cdEfGHiJ27123"
SEARCH = {"searchCriteria[pageSize]": 1}


@pytest.fixture
def target(app):
    with fake_target(app) as fake:
        yield fake


def tiny_quota_fixtures(quota: int, window_ms: int) -> dict:
    fixtures = copy.deepcopy(load_yaml(default_fixtures_path()))
    fixtures["bigcommerce"]["stores"][0]["rate_limit"] = {"window_ms": window_ms, "quota": quota}
    return fixtures


def test_from_env_reads_storefake_variables():
    settings = LiveSettings.from_env({"STOREFAKE_BIGCOMMERCE_STORE_HASH": "h1"})
    assert settings.bigcommerce_store_hash == "h1"
    assert settings.bigcommerce_api_url == "https://api.bigcommerce.com"
    assert settings.adobe_scope == ACCS_SCOPE


def test_from_env_prefers_env_over_fallbacks():
    environ = {"STOREFAKE_ADOBE_CLIENT_ID": "env", "STOREFAKE_ADOBE_CLIENT_SECRET": ""}
    settings = LiveSettings.from_env(environ, {"adobe_client_id": "ini", "adobe_client_secret": "ini-secret"})
    assert (settings.adobe_client_id, settings.adobe_client_secret) == ("env", "ini-secret")


def test_env_var_names_a_field():
    assert env_var("adobe_rest_endpoint") == "STOREFAKE_ADOBE_REST_ENDPOINT"


def test_require_names_missing_variables():
    with pytest.raises(TargetError, match="set STOREFAKE_ADOBE_CLIENT_ID, STOREFAKE_ADOBE_CLIENT_SECRET"):
        LiveSettings().require("adobe_client_id", "adobe_client_secret")


def test_fake_target_base_urls(target):
    assert target.kind == "fake"
    assert target.base_url("adobe") == f"https://na1-sandbox.api.commerce.adobe.com/{TENANT}"
    assert target.base_url("ims") == "https://ims-na1.adobelogin.com/ims/token/v3"
    assert target.base_url("bigcommerce") == "https://api.bigcommerce.com/stores/abc123"


def test_fake_target_credentials_come_from_the_fixtures(target):
    adobe = target.credentials("adobe")
    assert (adobe["client_id"], adobe["tenant_id"]) == ("storefake-accs-client", TENANT)
    assert "commerce.accs" in adobe["scope"].split(",")
    assert target.credentials("ims") == adobe
    assert target.credentials("bigcommerce") == {
        "store_hash": "abc123",
        "access_token": "storefake-bc-token",
        "client_id": "storefake-bc-client",
    }


def test_default_credentials_skip_clients_without_accs_and_read_only_accounts():
    fixtures = {
        "adobe": {
            "ims_clients": [
                {"client_id": "plain", "client_secret": "s", "scopes": ["openid"]},
                {"client_id": "accs", "client_secret": "s", "scopes": ["openid", "commerce.accs"]},
            ],
            "tenants": [{"id": "T1"}],
        },
        "bigcommerce": {
            "stores": [
                {
                    "store_hash": "h",
                    "accounts": [
                        {"access_token": "ro", "scopes": ["store_v2_products_read_only"]},
                        {"access_token": "rw", "client_id": "c", "scopes": ["store_v2_products"]},
                    ],
                }
            ]
        },
    }
    credentials = default_credentials(fixtures)
    assert credentials["adobe"]["client_id"] == "accs"
    assert credentials["bigcommerce"]["access_token"] == "rw"


def test_unknown_vendor_is_refused(target):
    with pytest.raises(ValueError, match="unknown vendor 'shopify'"):
        target.base_url("shopify")


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown target kind 'staging'"):
        Target("staging", {}, {})


def test_bigcommerce_client_sends_the_access_token(target):
    assert target.client("bigcommerce").get("/v3/customers").status_code == 200
    assert target.fake.journal.last.headers["x-auth-token"] == "[redacted]"


def test_bigcommerce_client_without_auth_is_refused(target):
    assert target.client("bigcommerce", auth=False).get("/v3/customers").status_code == 401


def test_adobe_client_fetches_one_token_for_sync_and_async_clients(target):
    async def call() -> int:
        async with target.async_client("adobe") as client:
            return (await client.get("/V1/customers/search", params=SEARCH)).status_code

    assert target.client("adobe").get("/V1/customers/search", params=SEARCH).status_code == 200
    assert asyncio.run(call()) == 200
    assert target.client("adobe").get("/V1/customers/search", params=SEARCH).status_code == 200
    assert target.token_fetches == 1
    assert len(target.fake.journal.filter(path="/ims/token/v3")) == 1


def test_adobe_client_fetches_a_new_token_after_a_401(target):
    client = target.client("adobe")
    client.get("/V1/customers/search", params=SEARCH)
    target.fake.clock.advance(90_000)  # past the 86399 s lifetime: the fake now refuses the cached token
    response = client.get("/V1/customers/search", params=SEARCH)
    assert response.status_code == 200
    assert target.token_fetches == 2
    assert [e.status for e in target.fake.journal.filter(path="/V1/customers/search")] == [200, 401, 200]


def test_adobe_client_async_refreshes_after_a_401(target):
    async def call() -> int:
        async with target.async_client("adobe") as client:
            await client.get("/V1/customers/search", params=SEARCH)
            target.fake.clock.advance(90_000)
            return (await client.get("/V1/customers/search", params=SEARCH)).status_code

    assert asyncio.run(call()) == 200
    assert target.token_fetches == 2


def test_adobe_client_sends_bearer_token_and_api_key(target):
    target.client("adobe").get("/V1/customers/search", params=SEARCH)
    headers = target.fake.journal.last.headers
    assert headers["authorization"] == "[redacted]"
    # Sent, and kept blanked: the journal keeps no API key's value, whatever it is (here the client id).
    assert headers["x-api-key"] == "[redacted]"


def test_adobe_client_without_auth_sends_no_token(target):
    response = target.client("adobe", auth=False).get("/V1/customers/search", params=SEARCH)
    assert response.status_code == 401
    assert target.token_fetches == 0


def test_refused_ims_credentials_raise_target_error(app):
    with ThreadedServer(app) as server:
        settings = LiveSettings(
            adobe_rest_endpoint=f"{server.url}/{TENANT}",
            adobe_ims_url=f"{server.url}/ims/token/v3",
            adobe_client_id="storefake-accs-client",
            adobe_client_secret="wrong",
        )
        with live_target(settings) as target, pytest.raises(TargetError, match=r"failed: 400 .*invalid_client"):
            target.client("adobe").get("/V1/customers/search", params=SEARCH)


def test_client_waits_out_a_429_and_resends_the_body():
    app = storefake.create_app(fixtures=tiny_quota_fixtures(quota=2, window_ms=200))
    with fake_target(app) as target:
        client = target.client("bigcommerce")
        statuses = [client.get("/v3/customers").status_code for _ in range(2)]
        customer = {"email": "wait@example.com", "first_name": "W", "last_name": "T"}
        statuses.append(client.post("/v3/customers", json=[customer]).status_code)
    assert statuses == [200, 200, 200]
    posts = target.fake.journal.filter(method="POST", path="/v3/customers")
    assert [e.status for e in posts] == [429, 200]
    assert posts[1].json() == [customer]  # the retry carried the whole body


def test_async_client_waits_out_a_429():
    app = storefake.create_app(fixtures=tiny_quota_fixtures(quota=1, window_ms=200))

    async def call(target: Target) -> list[int]:
        async with target.async_client("bigcommerce") as client:
            return [(await client.get("/v3/customers")).status_code for _ in range(2)]

    with fake_target(app) as target:
        assert asyncio.run(call(target)) == [200, 200]
    assert 429 in [e.status for e in target.fake.journal]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-Rate-Limit-Time-Reset-Ms": "1500", "X-Retry-After": "9"}, 1.5),
        ({"X-Retry-After": "2"}, 2.0),
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "not a date"}, 1.0),
        ({}, 1.0),
        ({"X-Retry-After": "3600"}, 60.0),
        ({"X-Rate-Limit-Time-Reset-Ms": "-5"}, 0.0),
    ],
)
def test_retry_delay_reads_the_vendor_headers(headers, expected):
    assert retry_delay(httpx.Response(429, headers=headers)) == expected


def test_retry_delay_reads_an_http_date():
    delay = retry_delay(httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    assert delay == 0.0  # in the past: retry at once


def test_retry_delay_ignores_other_statuses():
    assert retry_delay(httpx.Response(503, headers={"Retry-After": "3"})) is None


def test_server_target_talks_over_the_socket():
    with ThreadedServer() as server, server_target(server.url, fake=server.fake) as target:
        assert target.base_url("adobe") == f"{server.url}/{TENANT}"
        assert target.client("adobe").get("/V1/customers/search", params=SEARCH).status_code == 200
        assert target.client("bigcommerce").get("/v3/customers").status_code == 200
    assert server.fake.journal.last.path == "/stores/abc123/v3/customers"


def test_live_target_uses_the_settings():
    settings = LiveSettings(
        adobe_rest_endpoint="https://eu1.api.commerce.adobe.com/TENANT9/",
        adobe_client_id="id",
        adobe_client_secret="secret",
        bigcommerce_store_hash="h9",
        bigcommerce_access_token="tok",
    )
    target = live_target(settings)
    assert target.kind == "live"
    assert target.base_url("adobe") == "https://eu1.api.commerce.adobe.com/TENANT9"
    assert target.credentials("adobe")["tenant_id"] == "TENANT9"
    assert target.base_url("bigcommerce") == "https://api.bigcommerce.com/stores/h9"
    assert target.fake is None


def test_live_target_names_missing_settings():
    target = live_target(LiveSettings(bigcommerce_store_hash="h9"))
    with pytest.raises(TargetError, match="STOREFAKE_BIGCOMMERCE_ACCESS_TOKEN"):
        target.client("bigcommerce")
    with pytest.raises(TargetError, match="STOREFAKE_ADOBE_REST_ENDPOINT"):
        target.base_url("adobe")


def test_live_target_against_a_server(app):
    with ThreadedServer(app) as server:
        settings = LiveSettings(
            adobe_rest_endpoint=f"{server.url}/{TENANT}",
            adobe_ims_url=f"{server.url}/ims/token/v3",
            adobe_client_id="storefake-accs-client",
            adobe_client_secret="storefake-accs-secret",
            bigcommerce_store_hash="abc123",
            bigcommerce_access_token="storefake-bc-token",
            bigcommerce_api_url=server.url,
        )
        with live_target(settings) as target:
            assert target.client("adobe").get("/V1/customers/search", params=SEARCH).status_code == 200
            assert target.client("bigcommerce").get("/v3/customers").status_code == 200


def test_close_closes_the_clients_handed_out(target):
    client = target.client("bigcommerce")
    target.close()
    assert client.is_closed


def test_closing_one_client_leaves_the_shared_transport_usable(target):
    target.client("bigcommerce").close()
    assert target.client("bigcommerce").get("/v3/customers").status_code == 200
