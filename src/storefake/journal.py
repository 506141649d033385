"""The request journal: what reached the fake and what it answered, with secrets redacted.

Recorded by a pure-ASGI middleware (no BaseHTTPMiddleware: it would buffer streaming bodies and run the
app in another task), read by tests through `Journal` and by other languages through the control API.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "x-auth-token", "cookie", "x-auth-client-secret"})
SECRET_FIELDS = frozenset(
    {"password", "new_password", "current_password", "client_secret", "access_token", "refresh_token"}
)
SECRET_FIELD_BYTES = tuple(name.encode() for name in SECRET_FIELDS)  # encoded once: checked on every body
CONTROL_PREFIX = "/__storefake"
MAX_BODY_CHARS = 65_536


@dataclass(slots=True)
class JournalEntry:
    """One request and its response, as the journal keeps them."""

    id: int
    timestamp: float
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: str
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    duration_ms: float = 0.0
    rule: str | None = None

    def json(self) -> Any:
        """The request body parsed as JSON."""
        return json.loads(self.body)

    def response_json(self) -> Any:
        return json.loads(self.response_body)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Journal:
    """Recorded calls, newest last; list-like, with respx's `called`/`call_count`/`last` shortcuts."""

    def __init__(self, limit: int = 10_000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._next_id = 0

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            self._next_id += 1
            entry.id = self._next_id
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __iter__(self) -> Iterator[JournalEntry]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> JournalEntry:
        with self._lock:
            return list(self._entries)[index]

    @property
    def called(self) -> bool:
        return bool(self._entries)

    @property
    def call_count(self) -> int:
        return len(self._entries)

    @property
    def last(self) -> JournalEntry:
        with self._lock:
            if not self._entries:
                raise IndexError("the journal is empty")
            return self._entries[-1]

    def filter(self, method: str | None = None, path: str | None = None) -> list[JournalEntry]:
        """Entries with this method (any case) and whose path contains `path`."""
        wanted = method.upper() if method else None
        return [e for e in self if (wanted is None or e.method == wanted) and (path is None or path in e.path)]


def redact_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1").lower()
        headers[name] = REDACTED if name in SECRET_HEADERS else value.decode("latin-1")
    return headers


def redact_query(query: str) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(k in SECRET_FIELDS for k, _ in pairs):
        return query
    return urlencode([(k, REDACTED if k in SECRET_FIELDS else v) for k, v in pairs])


def redact_body(body: bytes, content_type: str) -> str:
    """Body text with secret fields blanked; JSON and form bodies are understood, others kept as text."""
    text = body[:MAX_BODY_CHARS].decode("utf-8", errors="replace")
    if not any(name in body for name in SECRET_FIELD_BYTES):
        return text
    if "application/x-www-form-urlencoded" in content_type:
        return redact_query(text)
    try:
        data = json.loads(body)
    except ValueError:
        return text
    return json.dumps(_redact_value(data))


def _redact_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if k in SECRET_FIELDS else _redact_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v) for v in value]
    return value


class JournalMiddleware:
    """Records every vendor request (not control-API calls) into the journal of `scope["app"]`'s fake."""

    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return

        request_body = bytearray()
        response_body = bytearray()
        response: dict[str, Any] = {"status": 0, "headers": []}
        started = time.perf_counter()

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(request_body) < MAX_BODY_CHARS:
                request_body.extend(message.get("body", b""))
            return message

        async def send_and_keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                response["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body" and len(response_body) < MAX_BODY_CHARS:
                response_body.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            self.journal.record(_entry(scope, bytes(request_body), response, bytes(response_body), started))


def _entry(scope: Scope, body: bytes, response: dict[str, Any], response_body: bytes, started: float) -> JournalEntry:
    headers = redact_headers(scope.get("headers", []))
    response_headers = redact_headers(response["headers"])
    return JournalEntry(
        id=0,
        timestamp=time.time(),
        method=scope["method"],
        path=scope["path"],
        query=redact_query(scope.get("query_string", b"").decode("latin-1")),
        headers=headers,
        body=redact_body(body, headers.get("content-type", "")),
        status=response["status"],
        response_headers=response_headers,
        response_body=redact_body(response_body, response_headers.get("content-type", "")),
        duration_ms=round((time.perf_counter() - started) * 1000, 3),
        rule=scope.get("storefake.rule"),
    )
