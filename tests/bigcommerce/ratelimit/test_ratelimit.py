"""Per-store rate limits: the four headers on every response, 429 over quota, windows driven by the clock."""

from __future__ import annotations

import pytest

import storefake
from storefake.bigcommerce.state.limits import store_quota
from storefake.clock import Clock
from storefake.ratelimit import Quota, WindowCounter

TOKEN = {"X-Auth-Token": "storefake-bc-token"}
TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
HEADERS = (
    "x-rate-limit-time-window-ms",
    "x-rate-limit-time-reset-ms",
    "x-rate-limit-requests-quota",
    "x-rate-limit-requests-left",
)


def limits(response):
    return {name: response.headers.get(name) for name in HEADERS}


# the shared counter
def test_window_counter_allows_the_quota_then_refuses():
    clock = Clock(frozen_at=100.0)
    counter = WindowCounter(clock)
    quota = Quota(requests=2, window_seconds=30)
    first, second, third = (counter.hit("s", quota) for _ in range(3))
    assert (first.allowed, first.left) == (True, 1)
    assert (second.allowed, second.left) == (True, 0)
    assert (third.allowed, third.left, third.reset_ms) == (False, 0, 30000)
    clock.advance(12.5)
    assert counter.hit("s", quota).reset_ms == 17500
    assert counter.hit("other", quota).allowed  # keys are independent
    clock.advance(17.5)
    fresh = counter.hit("s", quota)
    assert (fresh.allowed, fresh.left, fresh.reset_ms) == (True, 1, 30000)


def test_window_counter_forget_opens_a_new_window():
    counter = WindowCounter(Clock(frozen_at=0.0))
    quota = Quota(1, 30)
    counter.hit("s", quota)
    assert not counter.hit("s", quota).allowed
    counter.forget("s")
    assert counter.hit("s", quota).allowed
    counter.forget()
    assert counter.hit("s", quota).allowed


def test_window_counter_without_keep_answers_a_fresh_window_and_keeps_nothing():
    counter = WindowCounter(Clock(frozen_at=0.0))
    quota = Quota(1, 30)
    counter.hit("s", quota)
    decision = counter.hit("s", quota, keep=False)
    assert (decision.allowed, decision.left, decision.reset_ms) == (True, 0, 30000)
    assert len(counter) == 1


def test_unknown_store_hashes_keep_no_window(app, client):
    for n in range(2_000):
        response = client.get(f"/stores/made-up-{n}/v3/catalog/products", headers=TOKEN)
        assert response.status_code == 401
        assert response.headers["x-rate-limit-requests-left"] == "99999"
    assert len(app.state.fake.bigcommerce.rate_limits) == 0
    client.get("/stores/abc123/v3/catalog/products", headers=TOKEN)
    assert len(app.state.fake.bigcommerce.rate_limits) == 1


@pytest.mark.parametrize(
    ("settings", "requests", "window"),
    [
        (None, 100_000, 30.0),
        ({"plan": "standard"}, 150, 30.0),
        ({"plan": "Plus"}, 150, 30.0),
        ({"plan": "pro"}, 450, 30.0),
        ({"plan": "pro", "quota": 7}, 7, 30.0),
        ({"quota": 5, "window_ms": 1000}, 5, 1.0),
    ],
)
def test_store_quota(settings, requests, window):
    assert store_quota(settings) == Quota(requests, window)


@pytest.mark.parametrize(
    "settings",
    [{"plan": "gold"}, {"quota": 0}, {"quota": "10"}, {"quota": True}, {"window_ms": -1}, {"windowms": 1}],
)
def test_store_quota_refuses_malformed_settings(settings):
    with pytest.raises(ValueError, match="rate_limit"):
        store_quota(settings)


def test_fixture_with_a_bad_plan_fails_at_load():
    fixtures = {"bigcommerce": {"stores": [{"store_hash": "x1", "store_id": 1, "rate_limit": {"plan": "gold"}}]}}
    with pytest.raises(ValueError, match=r"^fixtures: bigcommerce.stores\[0\]: unknown rate_limit plan 'gold'"):
        storefake.create_app(fixtures=fixtures)


# headers on every response
@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/stores/abc123/v3/hooks", TOKEN, 200),
        ("GET", "/stores/abc123/v3/hooks", {"X-Auth-Token": "wrong"}, 401),
        ("GET", "/stores/abc123/v3/hooks", {}, 401),
        ("POST", "/stores/abc123/v3/catalog/products", {"X-Auth-Token": "storefake-bc-readonly-token"}, 403),
        ("GET", "/stores/abc123/v3/nothing-here", TOKEN, 404),
        ("GET", "/stores/abc123/v2/nothing-here", TOKEN, 404),
        ("POST", "/stores/abc123/v3/hooks", TOKEN, 422),
        ("GET", "/stores/abc123/v2/order_statuses", TOKEN, 200),
    ],
)
def test_every_response_carries_all_four_headers(client, fake, method, path, headers, status):
    fake.clock.freeze()
    response = client.request(method, path, headers=headers)
    assert response.status_code == status
    values = limits(response)
    assert values["x-rate-limit-time-window-ms"] == "30000"
    assert values["x-rate-limit-requests-quota"] == "100000"
    assert values["x-rate-limit-time-reset-ms"] == "30000"
    assert values["x-rate-limit-requests-left"] == "99999"


def test_requests_left_counts_down_and_reset_follows_the_clock(client, limited):
    first = client.get("/stores/abc123/v3/hooks", headers=TOKEN)
    limited.clock.advance(10)
    second = client.get("/stores/abc123/v3/hooks", headers=TOKEN)
    assert limits(first) == {
        "x-rate-limit-time-window-ms": "30000",
        "x-rate-limit-time-reset-ms": "30000",
        "x-rate-limit-requests-quota": "3",
        "x-rate-limit-requests-left": "2",
    }
    assert limits(second)["x-rate-limit-requests-left"] == "1"
    assert limits(second)["x-rate-limit-time-reset-ms"] == "20000"


def test_over_quota_is_429_with_retry_after(client, limited):
    for _ in range(3):
        assert client.get("/stores/abc123/v3/hooks", headers=TOKEN).status_code == 200
    limited.clock.advance(12.2)
    response = client.get("/stores/abc123/v3/hooks", headers=TOKEN)
    assert response.status_code == 429
    assert response.json() == {"status": 429, "title": "Too Many Requests", "type": TYPE, "errors": {}}
    assert response.headers["x-retry-after"] == "18"
    assert limits(response) == {
        "x-rate-limit-time-window-ms": "30000",
        "x-rate-limit-time-reset-ms": "17800",
        "x-rate-limit-requests-quota": "3",
        "x-rate-limit-requests-left": "0",
    }


def test_over_quota_on_v2_is_the_v2_shape(client, limited):
    for _ in range(3):
        client.get("/stores/abc123/v2/order_statuses", headers=TOKEN)
    response = client.get("/stores/abc123/v2/order_statuses", headers=TOKEN)
    assert response.status_code == 429
    assert response.json() == [{"status": 429, "message": "Too Many Requests"}]
    assert response.headers["x-retry-after"] == "30"


def test_window_reopens_when_the_clock_moves_on(client, limited):
    for _ in range(4):
        client.get("/stores/abc123/v3/hooks", headers=TOKEN)
    limited.clock.advance(30)
    response = client.get("/stores/abc123/v3/hooks", headers=TOKEN)
    assert response.status_code == 200
    assert limits(response)["x-rate-limit-requests-left"] == "2"


def test_quota_is_per_store_and_shared_by_its_accounts(client, limited):
    for token in ("storefake-bc-token", "storefake-bc-readonly-token", "storefake-bc-noscope-token"):
        client.get("/stores/abc123/v3/hooks", headers={"X-Auth-Token": token})
    assert client.get("/stores/abc123/v3/hooks", headers=TOKEN).status_code == 429
    other = client.get("/stores/def456/v3/hooks", headers={"X-Auth-Token": "storefake-bc2-token"})
    assert other.status_code == 200


def test_rejected_requests_do_not_reach_the_store(client, limited):
    for _ in range(3):
        client.get("/stores/abc123/v3/hooks", headers=TOKEN)
    body = {"scope": "store/order/*", "destination": "https://example.com/"}
    assert client.post("/stores/abc123/v3/hooks", headers=TOKEN, json=body).status_code == 429
    assert limited.bigcommerce.stores.get("abc123").hooks.list_hooks("storefake-bc-client", {}) == []


def test_unknown_store_gets_the_default_quota(client):
    response = client.get("/stores/zzz999/v3/hooks", headers=TOKEN)
    assert response.status_code == 401
    assert limits(response)["x-rate-limit-requests-quota"] == "100000"


def test_plan_from_fixtures(fake):
    fixtures = {
        "bigcommerce": {
            "stores": [
                {
                    "store_hash": "p1",
                    "store_id": 1,
                    "rate_limit": {"plan": "pro"},
                    "accounts": [{"access_token": "t", "client_id": "c", "scopes": []}],
                }
            ]
        }
    }
    app = storefake.create_app(fixtures=fixtures)
    import httpx

    from storefake.transport import SyncASGITransport

    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
        response = client.get("/stores/p1/v3/hooks", headers={"X-Auth-Token": "t"})
    assert response.headers["x-rate-limit-requests-quota"] == "450"


# control API
def test_control_put_and_get_rate_limit(client, fake):
    fake.clock.freeze()
    response = client.put("/__storefake/bigcommerce/stores/abc123/rate_limit", json={"plan": "standard"})
    assert response.status_code == 200
    assert response.json() == {
        "store_hash": "abc123",
        "rate_limit": {"plan": "standard"},
        "quota": 150,
        "window_ms": 30000,
    }
    assert client.get("/__storefake/bigcommerce/stores/abc123/rate_limit").json()["quota"] == 150
    hooks = client.get("/stores/abc123/v3/hooks", headers=TOKEN)
    assert limits(hooks)["x-rate-limit-requests-left"] == "149"


@pytest.mark.parametrize("body", [{"plan": "gold"}, {"quota": -1}, [1], "quota: [", {"extra": 1}])
def test_control_put_rate_limit_refuses_bad_settings(client, body):
    import json

    content = body if isinstance(body, str) else json.dumps(body)
    response = client.put("/__storefake/bigcommerce/stores/abc123/rate_limit", content=content)
    assert response.status_code == 400
    assert "error" in response.json()


def test_control_get_rate_limit_unknown_store(client):
    assert client.get("/__storefake/bigcommerce/stores/nope/rate_limit").status_code == 404
