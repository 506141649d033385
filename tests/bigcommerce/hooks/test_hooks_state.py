"""HookState and the delivery queue without HTTP: matching, validation, payload, signatures, retry bookkeeping."""

from __future__ import annotations

import hashlib
import json

import pytest

from storefake.bigcommerce.errors import WebhookDestinationInvalid, WebhookInvalid
from storefake.bigcommerce.state.hooks import Hook, check_destination, payload_of, signature_headers
from storefake.clock import Clock
from storefake.webhooks import Deliverer, Delivery


def hook(scope: str) -> Hook:
    return Hook(1, "c", "abc123", scope, "https://e.com/", None, True, 0, 0)


@pytest.mark.parametrize(
    ("scope", "event", "expected"),
    [
        ("store/order/created", "store/order/created", True),
        ("store/order/created", "store/order/updated", False),
        ("store/order/*", "store/order/statusUpdated", True),
        ("store/order/*", "store/orders/x", False),
        ("store/product/*", "store/product/inventory/updated", True),
        ("store/*", "store/customer/created", True),
    ],
)
def test_hook_matches(scope, event, expected):
    assert hook(scope).matches(event) is expected


def test_payload_of_is_the_vendor_shape():
    body = payload_of("store/order/created", 1025646, "abc123", {"type": "order", "id": 250}, 1561479335.7)
    assert body == (
        b'{"scope":"store/order/created","store_id":"1025646","data":{"type":"order","id":250},'
        b'"hash":"' + hashlib.sha1(b'{"type":"order","id":250}').hexdigest().encode() + b'",'
        b'"created_at":1561479335,"producer":"stores/abc123"}'
    )


def test_signature_headers_known_values():
    headers = signature_headers("secret", "msg_1", 1700000000, b"{}")
    assert headers["webhook-id"] == "msg_1"
    assert headers["webhook-timestamp"] == "1700000000"
    # Computed independently: HMAC-SHA256(b"secret", b"msg_1.1700000000.{}"), base64.
    import base64
    import hmac

    digest = hmac.new(b"secret", b"msg_1.1700000000.{}", hashlib.sha256).digest()
    assert headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()
    assert headers["X-BC-Webhook-Signature"] == hmac.new(b"secret", b"{}", hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    "url", ["https://a.example/x", "https://a.example:443/", "http://127.0.0.1:5/", "http://[::1]:5/"]
)
def test_check_destination_accepts(url):
    check_destination(url)


@pytest.mark.parametrize("url", ["http://a.example/", "https://a.example:444/", "https://a b/", "https://[::1/", ""])
def test_check_destination_refuses(url):
    with pytest.raises(WebhookDestinationInvalid):
        check_destination(url)


def test_create_hook_state_errors(fake):
    hooks = fake.bigcommerce.stores.get("abc123").hooks
    with pytest.raises(WebhookInvalid) as caught:
        hooks.create_hook("c", {"scope": " ", "destination": "https://e.com/"})
    assert caught.value.errors == {"scope": "error.minLength"}
    with pytest.raises(WebhookInvalid):
        hooks.create_hook("c", ["not", "an", "object"])


def test_deliverer_retries_by_the_schedule_and_gives_up():
    clock = Clock(frozen_at=1000.0)
    sent: list[float] = []
    exhausted: list[Delivery] = []

    def sender(url, body, headers, timeout):
        sent.append(clock.now())
        return 503

    deliverer = Deliverer(clock, (10, 20), sender=sender)
    try:
        delivery = Delivery("d1", "http://127.0.0.1:1/", b"{}", {}, clock.now(), on_exhausted=exhausted.append)
        deliverer.submit(delivery)
        assert deliverer.wait_idle()
        clock.advance(9.5)
        assert deliverer.wait_idle()
        assert sent == [1000.0]
        clock.advance(0.5)
        assert deliverer.wait_idle()
        clock.advance(20)
        assert deliverer.wait_idle()
        assert sent == [1000.0, 1010.0, 1030.0]
        assert delivery.state == "failed"
        assert exhausted == [delivery]
        assert json.loads(json.dumps(delivery.to_dict()))["next_attempt_at"] is None
    finally:
        deliverer.close()


def test_deliverer_sender_errors_are_recorded():
    clock = Clock(frozen_at=0.0)

    def sender(url, body, headers, timeout):
        raise ValueError("bad header")

    deliverer = Deliverer(clock, (10,), sender=sender)
    try:
        deliverer.submit(Delivery("d1", "http://x/", b"", {}, 0.0))
        assert deliverer.wait_idle()
        (delivery,) = deliverer.deliveries()
        assert delivery.attempts[0].error == "ValueError: bad header"
    finally:
        deliverer.close()


def test_deliverer_closed_refuses_new_work():
    deliverer = Deliverer(Clock(frozen_at=0.0), (10,), sender=lambda *a: 200)
    deliverer.close()
    deliverer.submit(Delivery("d1", "http://x/", b"", {}, 0.0))
    assert deliverer.deliveries() == []


def test_deliverer_keeps_a_bounded_history_of_finished_deliveries():
    deliverer = Deliverer(Clock(frozen_at=0.0), (10,), sender=lambda *a: 204, keep_finished=3)
    try:
        for n in range(5):
            deliverer.submit(Delivery(f"d{n}", "http://x/", b"", {}, 0.0))
        assert deliverer.wait_idle()
        assert [d.id for d in deliverer.deliveries()] == ["d2", "d3", "d4"]
        assert deliverer.get("d0") is None
    finally:
        deliverer.close()


def test_deliverer_survives_a_failing_sign_callback():
    clock = Clock(frozen_at=0.0)
    deliverer = Deliverer(clock, (10,), sender=lambda *a: 200)

    def broken(delivery, at):
        raise RuntimeError("no key")

    try:
        deliverer.submit(Delivery("d1", "http://x/", b"", {}, 0.0, sign=broken))
        deliverer.submit(Delivery("d2", "http://x/", b"", {}, 0.0))
        assert deliverer.wait_idle()
        first, second = deliverer.deliveries()
        assert first.attempts[0].error == "RuntimeError: no key"
        assert second.state == "delivered"
        assert deliverer.next_id() != deliverer.next_id()
    finally:
        deliverer.close()
