"""The pure-ASGI middleware that lets mock rules answer, delay or drop requests before the fake sees them.

It sits right inside the journal middleware, so the journal records injected answers and names the rule
(`scope["storefake.rule"]`). Control-API paths are never touched. The request body is read only when
a rule needs it, and then replayed unchanged to the fake.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefake.dispatch import header_value
from storefake.faults import actions
from storefake.faults.matching import NO_BODY, Target, parse_body
from storefake.faults.rules import Respond, VendorError
from storefake.faults.ruleset import Rule
from storefake.journal import CONTROL_PREFIX

if TYPE_CHECKING:
    from storefake.runtime import Fake


class FaultMiddleware:
    """Applies `fake.mocks` to every vendor request."""

    def __init__(self, app: ASGIApp, fake: Fake) -> None:
        self.app = app
        self.fake = fake
        actions.quiet_server_logs()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rules = self.fake.mocks
        if scope["type"] != "http" or not rules or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = Target.of(scope["method"], scope["path"], query, scope["headers"])
        candidates = rules.candidates(target)
        body = NO_BODY
        if any(rule.spec.match.body is not None for rule in candidates):
            raw, receive = await _buffer_body(receive, self.fake.config.max_body_bytes)
            if raw is not None:
                body = parse_body(raw, header_value(scope, b"content-type") or "")
        rule = rules.pick(target, body, candidates) if candidates else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        scope["storefake.rule"] = rule.id
        await self._apply(rule, target, scope, receive, send)

    async def _apply(self, rule: Rule, target: Target, scope: Scope, receive: Receive, send: Send) -> None:
        spec = rule.spec
        if spec.delay is not None:
            await actions.pause(spec.delay, self.fake.random)
        if isinstance(spec.action, Respond):
            await actions.fixed_response(spec.action)(scope, receive, send)
        elif isinstance(spec.action, VendorError):
            response = await actions.vendor_error(Request(scope, receive), target.vendor, spec.action)
            await response(scope, receive, send)
        elif spec.action == "drop":
            await actions.drop(send, rule.id)
        else:
            await self.app(scope, receive, send)


async def _buffer_body(receive: Receive, limit: int) -> tuple[bytes | None, Receive]:
    """Read the body (None when it is over `limit` or the client left) and a `receive` that replays it."""
    messages: deque[Message] = deque()
    size, more = 0, True
    while more and size <= limit:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    complete = not more and size <= limit and messages[-1]["type"] == "http.request"
    raw = b"".join(m.get("body", b"") for m in messages) if complete else None

    async def replay() -> Message:
        return messages.popleft() if messages else await receive()

    return raw, replay
