"""Near misses: the journal names the closest routes and mock rules of a request nothing took."""

from __future__ import annotations

import httpx
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

import storefake
from storefake.transport import SyncASGITransport

BC = "/stores/abc123"
BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}
TENANT = "/AbCYab34cdEfGHiJ27123"


def closest(fake):
    misses = fake.journal.last.near_misses
    return misses["routes"][0]


def test_near_misses_name_the_segment_that_differs(client, fake):
    client.get("/store/abc123/v3/catalog/products", headers=BC_TOKEN)
    assert closest(fake) == {
        "route": "/stores/{store_hash}/v3/catalog/products",
        "methods": ["DELETE", "GET", "POST", "PUT"],
        "reasons": ["path differs at segment 1: wants 'stores', got 'store'"],
    }


def test_near_misses_name_the_methods_a_path_is_served_with(client, fake):
    client.patch(f"{TENANT}/V1/customers/1", json={})
    assert closest(fake)["route"] == "/{tenant_id}/V1/customers/{customerId}"
    assert closest(fake)["reasons"] == ["method differs: the route serves DELETE, GET, PUT, got PATCH"]


def test_near_misses_say_when_only_the_letter_case_differs(client, fake):
    client.get(f"{TENANT}/v1/customers/search")
    assert closest(fake)["reasons"] == ["path differs at segment 2: wants 'V1', got 'v1' (letter case differs)"]


def test_near_misses_name_a_trailing_slash(client, fake):
    client.get(f"{BC}/v3/catalog/brands/", headers=BC_TOKEN)
    reasons = [miss["reasons"] for miss in fake.journal.last.near_misses["routes"]]
    assert ["path ends with a slash the route does not have"] in reasons


def test_near_misses_name_a_path_that_is_too_short(client, fake):
    client.get("/ims/token")
    assert closest(fake) == {
        "route": "/ims/token/v3",
        "methods": ["POST"],
        "reasons": ["path is too short: the route goes on with /v3", "method differs: the route serves POST, got GET"],
    }


def test_near_misses_quote_a_long_path_shortened(client, fake):
    client.get(f"{TENANT}/V1/customers/1/" + "a/" * 5000)
    reasons = [reason for miss in fake.journal.last.near_misses["routes"] for reason in miss["reasons"]]
    assert "path goes on: /" + "a/" * 39 + "a…" in reasons
    assert max(map(len, reasons)) < 200


def test_near_misses_are_none_for_a_served_request(client, fake):
    client.get(f"{BC}/v3/catalog/products/999999", headers=BC_TOKEN)  # a missing record is not a miss
    assert fake.journal.last.status == 404
    assert fake.journal.last.near_misses is None


def test_near_misses_name_the_criteria_a_rule_failed(client, fake):
    fake.mocks.add({"id": "orders-down", "match": {"method": "POST", "path": "/v2/orders"}, "error": 503})
    fake.mocks.add({"id": "other", "match": {"vendor": "adobe", "headers": {"x-scenario": "x"}}, "error": 500})
    client.get(f"{BC}/v2/orders", headers=BC_TOKEN)
    assert fake.journal.last.near_misses == {
        "routes": [],
        "rules": [
            {"rule": "orders-down", "reasons": ["method differs: wants POST, got GET"]},
            {
                "rule": "other",
                "reasons": ["vendor differs: wants adobe, got bigcommerce", "header 'x-scenario' is missing"],
            },
        ],
    }


def test_near_misses_leave_out_rules_added_after_the_request(client, fake):
    client.get(f"{BC}/v2/orders", headers=BC_TOKEN)
    fake.mocks.add({"id": "orders-down", "match": {"method": "POST", "path": "/v2/orders"}, "error": 503})
    assert fake.journal.last.near_misses is None
    client.get(f"{BC}/v2/orders", headers=BC_TOKEN)
    assert fake.journal.last.near_misses["rules"] == [
        {"rule": "orders-down", "reasons": ["method differs: wants POST, got GET"]}
    ]


def test_near_misses_are_none_when_a_rule_answered(client, fake):
    fake.mocks.add({"match": {"path": "/V1/store/storeConfigs"}, "respond": {"json": []}})
    client.get(f"{TENANT}/V1/store/storeConfigs")
    assert fake.journal.last.near_misses is None


def test_near_misses_of_a_rule_whose_body_matcher_failed(client, fake):
    fake.mocks.add({"id": "vip", "match": {"body": {"customer": {"email": "vip@example.com"}}}, "error": 500})
    client.post(f"{TENANT}/V1/customers", json={"customer": {"email": "a@example.com"}})
    assert fake.journal.last.near_misses["rules"] == [
        {
            "rule": "vip",
            "reasons": ['body matcher failed: $.customer.email is "a@example.com", wants "vip@example.com"'],
        }
    ]


def test_journal_api_entries_carry_near_misses(client):
    client.get("/store/abc123/v3/catalog/products")
    client.get(f"{BC}/v3/catalog/products", headers=BC_TOKEN)
    entries = client.get("/__storefake/journal").json()["entries"]
    assert entries[0]["near_misses"]["routes"][0]["route"] == "/stores/{store_hash}/v3/catalog/products"
    assert entries[1]["near_misses"] is None


class ScopeKeeper:
    """The app, keeping the scope of the last request: routed requests get `endpoint` set in it."""

    def __init__(self, app):
        self.app = app
        self.scope = None

    async def __call__(self, scope, receive, send):
        self.scope = scope
        await self.app(scope, receive, send)


routing_app = storefake.create_app()
keeper = ScopeKeeper(routing_app)
routing_client = httpx.Client(transport=SyncASGITransport(keeper), base_url="http://testserver", headers=BC_TOKEN)


def filled(template):
    """A path a route template serves: parameters get values the fixtures know."""
    values = {"{store_hash}": "abc123", "{tenant_id}": "AbCYab34cdEfGHiJ27123"}
    return [values.get(part, "1") if part.startswith("{") else part for part in template.split("/")[1:]]


templates = sorted({s.path + r.path for s in routing_app.router.routes if hasattr(s, "table") for r in s.table.routes})
words = st.sampled_from(["stores", "v3", "catalog", "products", "V1", "v1", "customers", "ims", "x", "", "1"])


@st.composite
def paths(draw):
    """Paths routes serve, and the same with a segment changed, dropped or added: near a route or on it."""
    parts = filled(draw(st.sampled_from([t for t in templates if not t.startswith("/__storefake")])))
    change = draw(st.sampled_from(["none", "replace", "drop", "add"]))
    index = draw(st.integers(0, len(parts) - 1))
    if change == "replace":
        parts[index] = draw(words)
    elif change == "drop" and len(parts) > 1:
        del parts[index]
    elif change == "add":
        parts.insert(index, draw(words))
    return "/" + "/".join(parts)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]), paths())
def test_unrouted_agrees_with_the_router(method, path):
    response = routing_client.request(method, "http://testserver" + path, content=b"{}")
    assume(response.status_code != 401)  # BigCommerce authenticates before routing: nothing to compare
    served = "endpoint" in keeper.scope
    event(f"served={served}")
    assert (routing_app.router.unrouted(method, path) is None) == served
