"""Webhook delivery to a real receiver (uvicorn on a real socket): payload, headers, signatures, retries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading

import httpx
import pytest
import respx

import storefake

TOKEN = {"X-Auth-Token": "storefake-bc-token"}
SECRET = "storefake-bc-secret"  # the client secret of the token above signs its hooks
HOOKS = "/stores/abc123/v3/hooks"
ORDER = {"type": "order", "id": 250}
SCHEDULE = [60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400]


def verify_standard_webhook(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Independent Standard Webhooks v1 check: base64 HMAC-SHA256 over "id.timestamp.body"."""
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()
    candidates = [part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")]
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)


def add_hook(client, receiver, scope="store/order/*", **extra):
    body = {"scope": scope, "destination": receiver.url(), **extra}
    response = client.post(HOOKS, headers=TOKEN, json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]


@pytest.fixture
def deliveries(fake):
    return fake.bigcommerce.deliveries


def test_delivery_payload_headers_and_signatures(client, fake, store, receiver, deliveries):
    fake.clock.freeze()  # at the real time, so the standardwebhooks library's replay window accepts it
    add_hook(client, receiver, headers={"X-Custom-Auth": "let-me-in"})
    store.emit("store/order/created", ORDER)
    (call,) = receiver.wait_for(1)
    assert json.loads(call.body) == {
        "scope": "store/order/created",
        "store_id": "1025646",
        "data": ORDER,
        "hash": hashlib.sha1(b'{"type":"order","id":250}').hexdigest(),
        "created_at": int(fake.clock.now()),
        "producer": "stores/abc123",
    }
    assert call.headers["x-custom-auth"] == "let-me-in"
    assert call.headers["content-type"] == "application/json"
    assert call.headers["webhook-timestamp"] == str(int(fake.clock.now()))
    assert verify_standard_webhook(SECRET, call.headers, call.body)
    assert not verify_standard_webhook("wrong-secret", call.headers, call.body)
    guide = hmac.new(SECRET.encode(), call.body, hashlib.sha256).hexdigest()
    assert call.headers["x-bc-webhook-signature"] == guide
    # The guide's verifier re-serializes the parsed body with JSON.stringify: compact JSON round-trips.
    assert json.dumps(json.loads(call.body), separators=(",", ":")).encode() == call.body


def test_delivery_verified_by_the_standardwebhooks_library(client, fake, store, receiver):
    standardwebhooks = pytest.importorskip("standardwebhooks")
    fake.clock.freeze()
    add_hook(client, receiver)
    store.emit("store/order/created", ORDER)
    (call,) = receiver.wait_for(1)
    # BigCommerce's docs key the library with base64(client_secret).
    verifier = standardwebhooks.Webhook(base64.b64encode(SECRET.encode()).decode())
    assert verifier.verify(call.body, call.headers)["data"] == ORDER


def test_delivery_of_an_oauth_apps_hook_is_signed_with_the_apps_secret(client, fake, store, receiver):
    fake.clock.freeze()
    code = client.post(
        "/__storefake/bigcommerce/oauth/codes", json={"client_id": "storefake-app-client", "store_hash": "abc123"}
    ).json()["code"]
    token = client.post(
        "/oauth2/token",
        json={
            "client_id": "storefake-app-client",
            "client_secret": "storefake-app-secret",
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": "https://app.example.com/auth/callback",
            "context": "stores/abc123",
        },
    ).json()["access_token"]
    client.post(HOOKS, headers={"X-Auth-Token": token}, json={"scope": "store/order/*", "destination": receiver.url()})
    store.emit("store/order/created", ORDER)
    (call,) = receiver.wait_for(1)
    assert verify_standard_webhook("storefake-app-secret", call.headers, call.body)


def test_delivery_control_api_lists_attempts(client, store, receiver, deliveries):
    hook = add_hook(client, receiver)
    store.emit("store/order/created", ORDER)
    receiver.wait_for(1)
    assert deliveries.wait_idle()
    listed = client.get("/__storefake/bigcommerce/webhooks/deliveries?store_hash=abc123").json()
    assert listed["count"] == 1
    (delivery,) = listed["deliveries"]
    assert delivery["hook_id"] == hook["id"]
    assert delivery["scope"] == "store/order/created"
    assert delivery["state"] == "delivered"
    assert [(a["number"], a["status"], a["error"]) for a in delivery["attempts"]] == [(1, 200, None)]
    assert json.loads(delivery["body"])["data"] == ORDER
    assert client.get(f"/__storefake/bigcommerce/webhooks/deliveries?hook_id={hook['id'] + 1}").json()["count"] == 0
    assert client.get("/__storefake/bigcommerce/webhooks/deliveries?hook_id=x").status_code == 400


def test_only_active_matching_hooks_receive(client, store, receiver, deliveries):
    add_hook(client, receiver, scope="store/order/*")
    add_hook(client, receiver, scope="store/product/created", is_active=False)
    add_hook(client, receiver, scope="store/customer/created")
    store.emit("store/order/created", ORDER)
    store.emit("store/order/statusUpdated", {**ORDER, "status": {"previous_status_id": 1, "new_status_id": 11}})
    store.emit("store/product/created", {"type": "product", "id": 1})
    store.emit("store/cart/created", {"type": "cart", "id": "x"})
    assert deliveries.wait_idle()
    scopes = sorted(json.loads(c.body)["scope"] for c in receiver.wait_for(2))
    assert scopes == ["store/order/created", "store/order/statusUpdated"]
    assert len(receiver.calls) == 2


def test_state_change_over_http_is_delivered(client, receiver, deliveries):
    add_hook(client, receiver, scope="store/customer/*")
    response = client.post(
        "/stores/abc123/v3/customers",
        headers=TOKEN,
        json=[{"email": "hook@example.com", "first_name": "Hook", "last_name": "Test"}],
    )
    assert response.status_code == 200
    customer_id = response.json()["data"][0]["id"]
    (call,) = receiver.wait_for(1)
    payload = json.loads(call.body)
    assert payload["scope"] == "store/customer/created"
    assert payload["data"] == {"type": "customer", "id": customer_id}


def test_delivery_never_blocks_the_request_that_caused_it(client, store, receiver, deliveries):
    add_hook(client, receiver, scope="store/customer/*")
    receiver.hold = gate = threading.Event()
    # The receiver is stuck until `gate` opens, yet the API call that emits the event returns.
    response = client.post(
        "/stores/abc123/v3/customers",
        headers=TOKEN,
        json=[{"email": "slow@example.com", "first_name": "S", "last_name": "L"}],
        timeout=5,
    )
    assert response.status_code == 200
    assert receiver.calls == []
    gate.set()
    assert len(receiver.wait_for(1)) == 1


def test_receiver_failing_three_times_gets_the_fourth_attempt(client, fake, store, receiver, deliveries):
    fake.clock.freeze()
    receiver.fail_first = 3
    add_hook(client, receiver)
    store.emit("store/order/created", ORDER)
    receiver.wait_for(1)
    assert deliveries.wait_idle()
    fake.clock.advance(59)  # not yet due
    assert deliveries.wait_idle()
    assert len(receiver.calls) == 1
    for seconds, count in ((1, 2), (180, 3), (300, 4)):
        fake.clock.advance(seconds)
        receiver.wait_for(count)
        assert deliveries.wait_idle()
    fake.clock.advance(86400 * 3)  # delivered: nothing more is sent
    assert deliveries.wait_idle()
    calls = receiver.calls
    assert len(calls) == 4
    assert len({c.headers["webhook-id"] for c in calls}) == 1
    assert len({c.body for c in calls}) == 1
    assert all(verify_standard_webhook(SECRET, c.headers, c.body) for c in calls)
    (delivery,) = deliveries.deliveries()
    assert delivery.state == "delivered"
    assert [a.status for a in delivery.attempts] == [500, 500, 500, 200]
    assert [a.at - delivery.attempts[0].at for a in delivery.attempts] == [0, 60, 240, 540]


def test_receiver_always_failing_leaves_the_hook_inactive(client, fake, store, receiver, deliveries):
    fake.clock.freeze()
    receiver.always_fail = True
    hook = add_hook(client, receiver)
    store.emit("store/order/created", ORDER)
    receiver.wait_for(1)
    for n, seconds in enumerate(SCHEDULE, start=2):
        assert deliveries.wait_idle()
        assert client.get(f"{HOOKS}/{hook['id']}", headers=TOKEN).json()["data"]["is_active"] is True
        fake.clock.advance(seconds)
        receiver.wait_for(n)
    assert deliveries.wait_idle()
    fake.clock.advance(86400 * 7)
    assert deliveries.wait_idle()
    assert len(receiver.calls) == 12  # the first attempt and 11 retries, none twice
    (delivery,) = deliveries.deliveries()
    assert delivery.state == "failed"
    assert client.get(f"{HOOKS}/{hook['id']}", headers=TOKEN).json()["data"]["is_active"] is False
    store.emit("store/order/created", ORDER)  # an inactive hook gets nothing
    assert deliveries.wait_idle()
    assert len(receiver.calls) == 12


def test_unreachable_destination_is_a_failed_attempt(client, fake, store, deliveries):
    fake.clock.freeze()
    client.post(HOOKS, headers=TOKEN, json={"scope": "store/order/*", "destination": "http://127.0.0.1:1/hooks"})
    store.emit("store/order/created", ORDER)
    assert deliveries.wait_idle()
    (delivery,) = deliveries.deliveries()
    (attempt,) = delivery.attempts
    assert attempt.status is None
    assert attempt.error.startswith("ConnectionRefusedError")
    assert delivery.state == "pending"
    assert delivery.next_at == attempt.at + 60


def test_flush_sends_pending_deliveries_now(client, fake, store, receiver, deliveries):
    fake.clock.freeze()
    receiver.fail_first = 1
    add_hook(client, receiver)
    store.emit("store/order/created", ORDER)
    receiver.wait_for(1)
    assert deliveries.wait_idle()
    response = client.post("/__storefake/bigcommerce/webhooks/flush")
    assert response.status_code == 200
    body = response.json()
    assert body["flushed"] == 1
    assert body["deliveries"][0]["state"] == "delivered"
    assert len(receiver.calls) == 2
    assert client.post("/__storefake/bigcommerce/webhooks/flush").json()["flushed"] == 0


def test_concurrent_events_are_each_delivered_once(client, store, receiver, deliveries):
    add_hook(client, receiver)
    threads = [
        threading.Thread(target=store.emit, args=("store/order/created", {"type": "order", "id": n})) for n in range(40)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    calls = receiver.wait_for(40)
    assert deliveries.wait_idle()
    assert sorted(json.loads(c.body)["data"]["id"] for c in calls) == list(range(40))
    assert len({c.headers["webhook-id"] for c in calls}) == 40


def test_delivery_bypasses_in_process_interception(client, store, receiver, deliveries):
    add_hook(client, receiver)
    with respx.mock(assert_all_called=False) as router:
        intercepted = router.route().respond(418)
        with storefake.mock():
            store.emit("store/order/created", ORDER)
            receiver.wait_for(1)
            assert deliveries.wait_idle()
        assert httpx.get("http://example.invalid/").status_code == 418  # respx was active all along
    assert intercepted.call_count == 1
    assert deliveries.deliveries()[0].attempts[0].status == 200


def test_reset_stops_pending_deliveries(client, fake, store, receiver):
    fake.clock.freeze()
    receiver.always_fail = True
    add_hook(client, receiver)
    store.emit("store/order/created", ORDER)
    receiver.wait_for(1)
    old = fake.bigcommerce.deliveries
    assert old.wait_idle()
    worker = old._worker  # waiting for the retry in 60 s
    assert worker is not None
    assert worker.is_alive()
    fake.reset()
    assert old._worker is None
    assert not worker.is_alive()
    assert old._on_clock not in fake.clock._listeners
    fake.clock.advance(3600)
    assert fake.bigcommerce.deliveries.wait_idle()
    assert len(receiver.calls) == 1


def test_worker_thread_ends_when_nothing_is_pending(client, store, receiver, deliveries):
    add_hook(client, receiver)
    store.emit("store/order/created", ORDER)
    receiver.wait_for(1)
    assert deliveries.wait_idle()
    with deliveries._cond:
        assert deliveries._cond.wait_for(lambda: deliveries._worker is None, 10)


def test_disabled_delivery_records_until_flushed(receiver):
    app = storefake.create_app(deliver_webhooks=False)
    try:
        from storefake.transport import SyncASGITransport

        with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
            add_hook(client, receiver)
            store = app.state.fake.bigcommerce.stores.get("abc123")
            store.emit("store/order/created", ORDER)
            (delivery,) = client.get("/__storefake/bigcommerce/webhooks/deliveries").json()["deliveries"]
            assert delivery["state"] == "pending"
            assert delivery["attempts"] == []
            assert receiver.calls == []
            assert client.post("/__storefake/bigcommerce/webhooks/flush").json()["flushed"] == 1
            assert len(receiver.calls) == 1
    finally:
        app.state.fake.close()


def test_custom_headers_cannot_clash_with_the_fakes_own(client, fake, store, receiver):
    fake.clock.freeze()
    clashing = {"content-type": "text/plain", "Webhook-Signature": "v1,forged", "X-Tenant": "t1"}
    add_hook(client, receiver, headers=clashing)
    store.emit("store/order/created", ORDER)
    (call,) = receiver.wait_for(1)
    assert call.headers["content-type"] == "application/json"
    assert call.headers["x-tenant"] == "t1"
    assert verify_standard_webhook(SECRET, call.headers, call.body)


def test_reset_while_a_delivery_is_in_flight_does_not_block_clients(receiver):
    import time

    receiver.hold = threading.Event()  # the receiver takes the delivery and answers only when released
    try:
        with storefake.ThreadedServer() as server, httpx.Client(base_url=server.url, timeout=30) as client:
            add_hook(client, receiver)
            server.fake.bigcommerce.stores.get("abc123").emit("store/order/created", ORDER)
            deliveries = server.fake.bigcommerce.deliveries
            deadline = time.monotonic() + 10
            while not any(d.in_flight for d in deliveries.deliveries()) and time.monotonic() < deadline:
                time.sleep(0.01)
            assert any(d.in_flight for d in deliveries.deliveries())
            started = time.monotonic()
            assert client.post("/__storefake/reset").json() == {"reset": True}
            assert client.get("/__storefake/health").status_code == 200
            assert time.monotonic() - started < 2  # was: the attempt's timeout plus 5 s (15 s)
    finally:
        receiver.hold.set()


def test_delivery_to_the_fakes_own_address_is_never_sent(client, fake, store, deliveries):
    # A hook made before the fake knew where it listens (fixtures, a restored data dir): its deliveries are
    # refused when the fake's address becomes known, never sent to the control API.
    fake.clock.freeze()
    client.post(HOOKS, headers=TOKEN, json={"scope": "store/order/*", "destination": "http://127.0.0.1:1/x"})
    fake.listening.add("127.0.0.1", 1)
    store.emit("store/order/created", ORDER)
    assert deliveries.wait_idle()
    (delivery,) = deliveries.deliveries()
    (attempt,) = delivery.attempts
    assert attempt.error == "ConnectionRefusedError: not sent: the destination is this storefake server itself"
