"""BigCommerce webhooks of one store: the /v3/hooks resources and the events they are sent.

Vendor facts §7 (reference/webhooks.v3.yml, webhooks guides): a hook belongs to the client id that
made it and only that client sees it; at most 10 per store, client and scope, one per scope and
destination; `scope` may end in a wildcard (`store/order/*`). `store.emit(scope, data)` makes one
delivery per matching active hook with the lightweight payload `{scope, store_id (string), data,
hash (SHA-1 of the JSON data), created_at, producer: "stores/<hash>"}`, signed per Standard Webhooks
(webhook-id / webhook-timestamp / webhook-signature, HMAC-SHA256 keyed by the client secret) and with
the guide's X-BC-Webhook-Signature (hex HMAC-SHA256 of the body). Retries follow the vendor schedule;
after the last one the hook goes inactive.

Deviations: the vendor takes only https destinations on port 443; the fake also takes plain http to
loopback hosts (127.0.0.1, ::1, localhost) so tests can run a receiver, except on a port the fake itself
listens on (storefake/listening.py): a destination reaching the fake is refused at create and update, and
a delivery to one (a hook made before the fake knew its address) is a failed attempt, never sent. New
hooks fire at once (the vendor says "up to a minute"). webhook-timestamp is the fake clock's time at the
attempt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from storefake import wire
from storefake.bigcommerce.errors import (
    WebhookDestinationInvalid,
    WebhookDuplicate,
    WebhookInvalid,
    WebhookLimitReached,
    WebhookNotFound,
)
from storefake.seeding import seeding
from storefake.webhooks import Delivery

RETRY_SCHEDULE = (60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400)
MAX_HOOKS_PER_SCOPE = 10
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
WRITABLE = ("scope", "destination", "is_active", "headers")
SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature", "X-BC-Webhook-Signature")


@dataclass(slots=True)
class Hook:
    id: int
    client_id: str
    store_hash: str
    scope: str
    destination: str
    headers: dict[str, str] | None
    is_active: bool
    created_at: int
    updated_at: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "client_id": self.client_id,
            "store_hash": self.store_hash,
            "scope": self.scope,
            "destination": self.destination,
            "headers": dict(self.headers) if self.headers is not None else None,
            "is_active": self.is_active,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    def matches(self, scope: str) -> bool:
        if self.scope.endswith("/*"):
            return scope.startswith(self.scope[:-1])
        return self.scope in (scope, "*")


# validation
def validate_hook_body(body: Any, *, partial: bool) -> dict[str, Any]:
    """The writable fields of a create/update body; WebhookInvalid with Play-style codes per field."""
    if not isinstance(body, Mapping):
        raise WebhookInvalid(errors={"obj": "error.expected.jsobject"})
    errors: dict[str, str] = {}
    for name in ("scope", "destination"):
        if not partial and body.get(name) is None:
            errors[name] = "error.path.missing."  # sic: the spec example ends with a period
        elif name in body and not isinstance(body[name], str):
            errors[name] = "error.expected.jsstring"
    if body.get("is_active") is not None and not isinstance(body["is_active"], bool):
        errors["is_active"] = "error.expected.jsboolean"
    headers = body.get("headers")
    if headers is not None:
        if not isinstance(headers, Mapping):
            errors["headers"] = "error.expected.jsobject"
        else:
            for key, value in headers.items():
                if not isinstance(value, str):
                    errors[f"headers.{key}"] = "error.expected.jsstring"
                elif not HEADER_NAME.match(str(key)) or any(ch in value for ch in "\r\n\0"):
                    errors[f"headers.{key}"] = "error.invalid"
    if errors:
        raise WebhookInvalid(errors=errors)
    if isinstance(body.get("scope"), str) and not body["scope"].strip():
        raise WebhookInvalid(errors={"scope": "error.minLength"})
    if isinstance(body.get("destination"), str):
        check_destination(body["destination"])
    return {name: body[name] for name in WRITABLE if name in body}


def check_destination(url: str) -> None:
    """https on port 443, as the vendor requires; plain http only to loopback hosts (fake-only, for tests)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise WebhookDestinationInvalid(errors={"destination": "error.url"}) from None
    host = parts.hostname or ""
    secure = parts.scheme == "https" and port in (None, 443) and host != ""
    loopback = parts.scheme in ("http", "https") and host in LOOPBACK_HOSTS
    if not (secure or loopback) or any(ch.isspace() for ch in url) or len(url) > 2048:
        raise WebhookDestinationInvalid(errors={"destination": "error.url"})


# payload and signatures
def payload_of(scope: str, store_id: int, store_hash: str, data: Mapping[str, Any], created_at: float) -> bytes:
    return wire.dumps(
        {
            "scope": scope,
            "store_id": str(store_id),
            "data": dict(data),
            "hash": hashlib.sha1(wire.dumps(dict(data))).hexdigest(),  # the vendor's fingerprint, not security
            "created_at": int(created_at),
            "producer": f"stores/{store_hash}",
        }
    )


def signature_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Standard Webhooks v1 (key = the client secret's bytes) and the guide's hex X-BC-Webhook-Signature."""
    key = secret.encode("utf-8")
    signed = f"{message_id}.{timestamp}.".encode() + body
    v1 = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{v1}",
        "X-BC-Webhook-Signature": hmac.new(key, body, hashlib.sha256).hexdigest(),
    }


class HookState:
    """The store's hooks (per client id) and the fan-out of its events to them."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._hooks: dict[int, Hook] = {}
        self._next_id = 1

    # CRUD
    def create_hook(self, client_id: str, body: Any) -> Hook:
        fields = validate_hook_body(body, partial=False)
        self._check_not_the_fake(fields)
        with self.store.lock:
            self._check_limits(client_id, fields["scope"], fields["destination"], None)
            now = int(self.store.now())
            hook = Hook(
                id=self._next_id,
                client_id=client_id,
                store_hash=self.store.store_hash,
                scope=fields["scope"],
                destination=fields["destination"],
                headers=dict(fields["headers"]) if fields.get("headers") is not None else None,
                is_active=fields.get("is_active", True) is not False,
                created_at=now,
                updated_at=now,
            )
            self._next_id += 1
            self._hooks[hook.id] = hook
            return hook

    def get_hook(self, client_id: str, hook_id: int) -> Hook:
        hook = self._hooks.get(hook_id)
        if hook is None or hook.client_id != client_id:
            raise WebhookNotFound(parameters={"id": hook_id}, errors={})
        return hook

    def update_hook(self, client_id: str, hook_id: int, body: Any) -> Hook:
        fields = validate_hook_body(body, partial=True)
        self._check_not_the_fake(fields)
        with self.store.lock:
            hook = self.get_hook(client_id, hook_id)
            scope = fields.get("scope", hook.scope)
            destination = fields.get("destination", hook.destination)
            if (scope, destination) != (hook.scope, hook.destination):
                self._check_limits(client_id, scope, destination, hook.id)
            hook.scope, hook.destination = scope, destination
            if "is_active" in fields and fields["is_active"] is not None:
                hook.is_active = bool(fields["is_active"])
            if "headers" in fields:
                hook.headers = dict(fields["headers"]) if fields["headers"] is not None else None
            hook.updated_at = int(self.store.now())
            return hook

    def delete_hook(self, client_id: str, hook_id: int) -> Hook:
        with self.store.lock:
            hook = self.get_hook(client_id, hook_id)
            del self._hooks[hook_id]
            return hook

    def all_hooks(self) -> list[Hook]:
        """Every client's hooks, in id order (the control API's view; the vendor shows a client its own)."""
        return sorted(self._hooks.copy().values(), key=lambda hook: hook.id)

    def list_hooks(self, client_id: str, filters: Mapping[str, Any]) -> list[Hook]:
        """The client's hooks (id order) filtered by exact `is_active`, `scope`, `destination`."""
        hooks = [h for h in list(self._hooks.values()) if h.client_id == client_id]
        for name, wanted in filters.items():
            hooks = [h for h in hooks if getattr(h, name) == wanted]
        return hooks

    def deactivate(self, hook_id: int) -> None:
        """After the last retry failed (vendor-facts §7): the hook stays, inactive."""
        with self.store.lock:
            hook = self._hooks.get(hook_id)
            if hook is not None and hook.is_active:
                hook.is_active = False
                hook.updated_at = int(self.store.now())

    def _check_not_the_fake(self, fields: Mapping[str, Any]) -> None:
        """A destination reaching this fake itself (its control API, say) is refused like any bad URL: one
        event could otherwise reset every tenant, and the server would stall on its own deliveries."""
        destination = fields.get("destination")
        if isinstance(destination, str) and self.store.context.listening.reaches(destination):
            raise WebhookDestinationInvalid(errors={"destination": "error.url"})

    def _check_limits(self, client_id: str, scope: str, destination: str, exclude: int | None) -> None:
        same_scope = [h for h in self._hooks.values() if h.client_id == client_id and h.scope == scope]
        same_scope = [h for h in same_scope if h.id != exclude]
        if any(h.destination == destination for h in same_scope):
            raise WebhookDuplicate(parameters={"scope": scope}, errors={})
        if len(same_scope) >= MAX_HOOKS_PER_SCOPE:
            raise WebhookLimitReached(parameters={"max": MAX_HOOKS_PER_SCOPE, "scope": scope}, errors={})

    # events
    def publish(self, scope: str, data: dict[str, Any]) -> None:
        """Queue one delivery of the event per matching active hook; never waits on the network."""
        hooks = [h for h in list(self._hooks.values()) if h.is_active and h.matches(scope)]
        for hook in hooks:
            self.store.backend.deliveries.submit(self._delivery(hook, scope, data))

    def _delivery(self, hook: Hook, scope: str, data: Mapping[str, Any]) -> Delivery:
        store = self.store
        now = store.now()
        secret = store.backend.client_secret_of(hook.client_id) or ""
        # The hook's custom headers go out verbatim, except where they would clash with the fake's own.
        own = {"content-type", "user-agent", "content-length", "host", *(h.lower() for h in SIGNATURE_HEADERS)}
        headers = {k: v for k, v in (hook.headers or {}).items() if k.lower() not in own}
        headers.update({"Content-Type": "application/json", "User-Agent": "storefake-webhooks"})

        def sign(delivery: Delivery, at: float) -> dict[str, str]:
            return signature_headers(secret, delivery.id, int(at), delivery.body)

        return Delivery(
            id=store.backend.deliveries.next_id(),
            url=hook.destination,
            body=payload_of(scope, store.store_id, store.store_hash, data, now),
            headers=headers,
            created_at=now,
            sign=sign,
            meta={"store_hash": store.store_hash, "hook_id": hook.id, "client_id": hook.client_id, "scope": scope},
            on_exhausted=lambda delivery: store.backend.change(
                "hook_exhausted", {"store_hash": store.store_hash, "hook_id": hook.id}
            ),
        )

    # seeding
    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """`hooks: [{client_id, scope, destination, headers?, is_active?}]` in a store's seed section."""
        entries = section.get("hooks") or []
        for index, entry in enumerate(entries):
            with seeding("hooks", index):
                self.create_hook(str(entry.get("client_id", "")), {k: entry[k] for k in WRITABLE if k in entry})
        return {"hooks": len(entries)} if entries else {}
