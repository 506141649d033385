"""GET /v2/store and GET /v2/time over HTTP, and the control API that changes a store's information."""

from __future__ import annotations

from storefake.bigcommerce.state import Account

STORE = "/stores/abc123/v2/store"
TIME = "/stores/abc123/v2/time"
MISSING_SCOPE = [{"status": 403, "message": "You don't have a required scope to access the endpoint"}]


def test_get_store_information_answers_the_fixture_profile(bc):
    response = bc.get(STORE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["id"] == "abc123"
    assert body["store_id"] == 1025646
    assert body["name"] == "storefake demo store"
    assert body["domain"] == "demo.storefake.test"
    assert body["timezone"]["name"] == "America/Chicago"
    assert body["features"]["storefront_limits"] == {"active": 1, "total_including_inactive": 1}
    assert len(body) == 41


def test_get_store_information_of_another_fixture_store(client):
    response = client.get("/stores/def456/v2/store", headers={"X-Auth-Token": "storefake-bc2-token"})
    assert (response.status_code, response.json()["name"], response.json()["store_id"]) == (
        200, "storefake second store", 1025647,
    )  # fmt: skip


def test_get_store_information_of_a_store_created_on_first_use(client, fake):
    fake.bigcommerce.add_account(Account("fresh1", "fresh-token", "c", "s", frozenset({"store_v2_information"})))
    body = client.get("/stores/fresh1/v2/store", headers={"X-Auth-Token": "fresh-token"}).json()
    assert (body["id"], body["name"], body["plan_name"], body["weight_units"]) == (
        "fresh1",
        "fresh1",
        "Standard",
        "Ounces",
    )


def test_get_store_information_read_only_scope_may_read(bc):
    assert bc.get(STORE, headers={"X-Auth-Token": "storefake-bc-readonly-token"}).status_code == 200


def test_get_store_information_without_the_scope_is_403(bc):
    response = bc.get(STORE, headers={"X-Auth-Token": "storefake-bc-noscope-token"})
    assert response.status_code == 403
    assert response.json() == MISSING_SCOPE


def test_get_store_information_without_a_token_is_401(client):
    response = client.get(STORE)
    assert response.status_code == 401
    assert response.json()[0]["status"] == 401


def test_get_system_timestamp_follows_the_fake_clock(bc, fake):
    fake.clock.freeze(1529512970.7)
    assert bc.get(TIME).json() == {"time": 1529512970}
    fake.clock.advance(60)
    assert bc.get(TIME).json() == {"time": 1529513030}


def test_get_system_timestamp_needs_the_information_scope(bc):
    response = bc.get(TIME, headers={"X-Auth-Token": "storefake-bc-noscope-token"})
    assert response.status_code == 403
    assert response.json() == MISSING_SCOPE


def test_get_store_information_post_is_405(bc):
    response = bc.post(STORE, json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_control_put_information_changes_v2_store(bc, client):
    response = client.put("/__storefake/bigcommerce/stores/abc123/information", json={"currency": "EUR"})
    assert (response.status_code, response.json()["currency"]) == (200, "EUR")
    assert bc.get(STORE).json()["currency"] == "EUR"


def test_control_put_information_fires_store_information_updated(client, events):
    client.put("/__storefake/bigcommerce/stores/abc123/information", json={"name": "Renamed"})
    assert events == [("store/information/updated", {"type": "store"})]


def test_control_put_information_bad_field_is_one_line(client):
    response = client.put("/__storefake/bigcommerce/stores/abc123/information", json={"plan": "gold"})
    assert response.status_code == 400
    assert response.json() == {"error": "information: unknown /v2/store field 'plan'"}


def test_control_get_information_of_an_unknown_store_is_404(client):
    response = client.get("/__storefake/bigcommerce/stores/nosuch/information")
    assert (response.status_code, response.json()) == (404, {"error": "unknown store"})


def test_control_get_information(client):
    response = client.get("/__storefake/bigcommerce/stores/abc123/information")
    assert (response.status_code, response.json()["id"]) == (200, "abc123")
