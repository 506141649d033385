"""BigCommerce's per-store request quota and the four X-Rate-Limit-* headers on every response.

Vendor facts §1 (api-rate-limits.mdx): a 30 s window, 150 requests on Standard/Plus plans, 450 on Pro,
shared by every app and account of the store; every response carries X-Rate-Limit-Time-Window-Ms,
X-Rate-Limit-Time-Reset-Ms, X-Rate-Limit-Requests-Quota and X-Rate-Limit-Requests-Left (clients crash
on partial sets), and a 429 adds X-Retry-After. Store settings `rate_limit: {plan, quota, window_ms}`
are read by state/limits.py.

This middleware sits outside the mount's exception handling so that it also decorates the error
responses drawn there (401, 403, 404 ...); its own 429 is drawn by the vendor renderer it is given.
Every request to the store counts, authenticated or not (the vendor's treatment of 401s is UNVERIFIED).
A store hash no store has (such a request can only end in a 401) gets the headers of a fresh window but
no window is kept for it: made-up hashes must not each cost memory held for ever.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefake.bigcommerce.errors import RateLimited
from storefake.bigcommerce.state.limits import quota_for_request
from storefake.ratelimit import Decision
from storefake.runtime import REPLAY_SCOPE_KEY, fake_in


def header_list(decision: Decision) -> list[tuple[bytes, bytes]]:
    return [
        (b"x-rate-limit-time-window-ms", b"%d" % decision.window_ms),
        (b"x-rate-limit-time-reset-ms", b"%d" % decision.reset_ms),
        (b"x-rate-limit-requests-quota", b"%d" % decision.quota),
        (b"x-rate-limit-requests-left", b"%d" % decision.left),
    ]


class RateLimitMiddleware:
    """Counts each request against its store's window; adds the headers; answers 429 over quota."""

    def __init__(self, app: ASGIApp, render: Callable[[Request, Exception], Any]) -> None:
        self.app = app
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or REPLAY_SCOPE_KEY in scope:  # a replayed write was let through already
            await self.app(scope, receive, send)
            return
        backend = fake_in(scope).bigcommerce
        store_hash: str = scope["path_params"]["store_hash"]
        store = backend.stores.find(store_hash)
        quota = quota_for_request(store.settings.rate_limit if store is not None else None)
        decision = backend.rate_limits.hit(store_hash, quota, keep=store is not None)
        extra = header_list(decision)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if not decision.allowed:
            error = RateLimited(errors={}, retry_after_seconds=decision.retry_after_seconds)
            response = self.render(Request(scope, receive), error)
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
