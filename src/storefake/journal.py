"""The request journal: what reached the fake and what it answered, with secrets redacted.

Recorded by a pure-ASGI middleware (no BaseHTTPMiddleware: it would buffer streaming bodies and run the
app in another task), read by tests through `Journal` and by other languages through the control API.
"""

from __future__ import annotations

import itertools
import json
import marshal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "x-auth-token", "cookie", "x-auth-client-secret"})
SECRET_FIELDS = frozenset(
    {"password", "new_password", "current_password", "client_secret", "access_token", "refresh_token"}
)
SECRET_HEADER_BYTES = frozenset(name.encode() for name in SECRET_HEADERS)
REDACTED_BYTES = REDACTED.encode()
SECRET_FIELD_BYTES = tuple(name.encode() for name in SECRET_FIELDS)  # encoded once: checked on every body
CONTROL_PREFIX = "/__storefake"
MAX_BODY_CHARS = 65_536
Headers = list[tuple[bytes, bytes]]  # ASGI header pairs
# An exchange as the middleware records it: (timestamp, seconds taken, method, path, rule, query, request
# headers, request body, status, response headers, response body); the journal keeps it behind its id.
Exchange = tuple[float, float, str, str, "str | None", bytes, Headers, bytes, int, Headers, bytes]
KeptExchange = tuple[int, *Exchange]
Explainer = Callable[["JournalEntry"], "dict[str, Any] | None"]


class JournalEntry:
    """One request and its response, as the journal keeps them.

    Entries recorded by the middleware keep the raw exchange and redact it on first read: recording
    stays cheap on the hot path, and no read (attribute, `to_dict`, control API) ever sees a secret.
    """

    __slots__ = (
        "_body",
        "_explainer",
        "_headers",
        "_query",
        "_raw",
        "_response_body",
        "_response_headers",
        "duration_ms",
        "id",
        "method",
        "path",
        "rule",
        "status",
        "timestamp",
    )

    def __init__(
        self,
        id: int,
        timestamp: float,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: str,
        status: int = 0,
        response_headers: dict[str, str] | None = None,
        response_body: str = "",
        duration_ms: float = 0.0,
        rule: str | None = None,
    ) -> None:
        self.id = id
        self.timestamp = timestamp
        self.method = method
        self.path = path
        self.status = status
        self.duration_ms = duration_ms
        self.rule = rule
        self._raw: tuple[bytes, Headers, bytes, Headers, bytes] | None = None
        self._query = query
        self._headers = headers
        self._body = body
        self._response_headers = response_headers or {}
        self._response_body = response_body
        self._explainer: Explainer | None = None

    @classmethod
    def from_exchange(cls, exchange: KeptExchange, explainer: Explainer | None = None) -> JournalEntry:
        """The entry of an exchange the middleware kept raw; its secrets are redacted on first read."""
        entry_id, timestamp, seconds, method, path, rule, query, headers, body, status, *response = exchange
        entry = cls.__new__(cls)
        entry.id, entry.timestamp, entry.duration_ms = entry_id, timestamp, round(seconds * 1000, 3)
        entry.method, entry.path, entry.status, entry.rule = method, path, status, rule
        entry._raw = (query, headers, body, *response)
        entry._explainer = explainer
        return entry

    def _redact(self) -> None:
        raw, self._raw = self._raw, None
        if raw is None:
            return
        query, headers, body, response_headers, response_body = raw
        self._query = redact_query(query.decode("latin-1"))
        self._headers = redact_headers(headers)
        self._body = redact_body(body, self._headers.get("content-type", ""))
        self._response_headers = redact_headers(response_headers)
        self._response_body = redact_body(response_body, self._response_headers.get("content-type", ""))

    @property
    def query(self) -> str:
        self._redact()
        return self._query

    @property
    def headers(self) -> dict[str, str]:
        self._redact()
        return self._headers

    @property
    def body(self) -> str:
        self._redact()
        return self._body

    @property
    def response_headers(self) -> dict[str, str]:
        self._redact()
        return self._response_headers

    @property
    def response_body(self) -> str:
        self._redact()
        return self._response_body

    def json(self) -> Any:
        """The request body parsed as JSON."""
        return json.loads(self.body)

    def response_json(self) -> Any:
        return json.loads(self.response_body)

    @property
    def near_misses(self) -> dict[str, Any] | None:
        """When no route or no mock rule took this request: the closest ones and why they did not match
        (`{"routes": [...], "rules": [...]}`, see storefake/nearmiss.py); None when nothing was missed."""
        return None if self._explainer is None else self._explainer(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "timestamp": self.timestamp,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "response_headers": self.response_headers,
            "response_body": self.response_body,
            "duration_ms": self.duration_ms,
            "rule": self.rule,
            "near_misses": self.near_misses,
        }

    def __repr__(self) -> str:
        return f"<JournalEntry {self.id} {self.method} {self.path} -> {self.status}>"


def _entry(item: JournalEntry | bytes | KeptExchange, explainer: Explainer | None = None) -> JournalEntry:
    if isinstance(item, JournalEntry):
        if item._explainer is None:
            item._explainer = explainer
        return item
    return JournalEntry.from_exchange(marshal.loads(item) if isinstance(item, bytes) else item, explainer)


def _item_id(item: JournalEntry | bytes | KeptExchange) -> int:
    if isinstance(item, JournalEntry):
        return item.id
    kept = marshal.loads(item) if isinstance(item, bytes) else item
    return int(kept[0])


class Journal:
    """Recorded calls, newest last; list-like, with respx's `called`/`call_count`/`last` shortcuts.

    Entries have increasing ids (never reused, not even after `clear()`), so a reader can follow the
    journal: `entries(since=cursor)` yields only what was recorded after the entry `cursor`.
    """

    def __init__(self, limit: int = 10_000) -> None:
        # Entries, or exchanges the middleware kept raw, which become entries when read: recording is the
        # one thing every request does, reading is rare.
        self._entries: deque[JournalEntry | bytes | KeptExchange] = deque(maxlen=limit)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.last_id = 0  # the newest id ever given: a reader following the journal starts after it
        # Works out an entry's near misses when it is read (create_app sets it: it needs the app's routes).
        self.explainer: Explainer | None = None

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            entry.id = self.last_id = next(self._ids)
            self._entries.append(entry)

    def record_exchange(self, exchange: Exchange) -> None:
        """Keep one exchange as the middleware saw it (see `Exchange`); it becomes an entry when read.

        It is kept marshalled, as one bytes object instead of the thirty-odd small objects it is made of
        (header lists and pairs, bodies, numbers): with thousands of exchanges kept, allocating and later
        freeing those cost each request more than marshal's C copy does (GET /V1/customers/{id} on
        `storefake serve`: 0.73x to 0.78x a bare route, benchmarks/adobe_throughput.py).
        The id is taken and the exchange kept under one lock, so ids increase along the journal whatever
        thread records (readers search it by id).
        """
        with self._lock:
            kept = (next(self._ids), *exchange)
            self.last_id = kept[0]
            try:
                self._entries.append(marshal.dumps(kept))
            except ValueError:  # a header or body of a type marshal can't write (an in-process caller's)
                self._entries.append(kept)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def remove(self, method: str | None = None, path: str | None = None) -> int:
        """Forget the entries `filter(method, path)` lists, keep the others; returns how many went."""
        wanted = method.upper() if method else None
        with self._lock:
            kept = [item for item in self._entries if not _matches(_entry(item), wanted, path)]
            removed = len(self._entries) - len(kept)
            self._entries.clear()
            self._entries.extend(kept)
        return removed

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter([_entry(item, self.explainer) for item in list(self._entries)])

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> JournalEntry:
        return _entry(list(self._entries)[index], self.explainer)

    @property
    def called(self) -> bool:
        return bool(self._entries)

    @property
    def call_count(self) -> int:
        return len(self._entries)

    @property
    def last(self) -> JournalEntry:
        try:
            return _entry(self._entries[-1], self.explainer)
        except IndexError:
            raise IndexError("the journal is empty") from None

    def filter(self, method: str | None = None, path: str | None = None) -> list[JournalEntry]:
        """Entries with this method (any case) and whose path contains `path`."""
        return list(self.entries(method=method, path=path))

    def entries(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        since: int = 0,
        before: int | None = None,
        newest_first: bool = False,
        where: Callable[[JournalEntry], bool] | None = None,
    ) -> Entries:
        """Entries with id > `since` (and < `before`), this method (any case), `path` in their path, and for
        which `where` holds (any other test: the control API's vendor and status filters).

        Lazy: each entry is decoded as it is reached, so a reader takes what it needs of a full journal.
        The entries are those kept when the call was made; the result's `newest` is the newest id then
        (capped below `before`), so `since=newest` next time reads exactly what came after.
        """
        with self._lock:
            items = list(self._entries)
            newest = self.last_id
        if before is not None:
            newest = min(newest, before - 1)
        return Entries(items, newest, method, path, since, before, newest_first, self.explainer, where)


class Entries:
    """An iterator over a snapshot of the journal (see `Journal.entries`)."""

    def __init__(
        self,
        items: list[JournalEntry | bytes | KeptExchange],
        newest: int,
        method: str | None,
        path: str | None,
        since: int,
        before: int | None,
        newest_first: bool,
        explainer: Explainer | None = None,
        where: Callable[[JournalEntry], bool] | None = None,
    ) -> None:
        self.newest = max(newest, since)
        self._explainer = explainer
        self._where = where
        start = _first_after(items, since) if since > 0 else 0
        end = len(items) if before is None else _first_after(items, before - 1, start)
        self._iterator = self._walk(items, range(end - 1, start - 1, -1) if newest_first else range(start, end))
        self._method = method.upper() if method else None
        self._path = path

    def _walk(self, items: list[JournalEntry | bytes | KeptExchange], span: range) -> Iterator[JournalEntry]:
        for index in span:
            entry = _entry(items[index], self._explainer)
            if (
                (self._method is None or entry.method == self._method)
                and (self._path is None or self._path in entry.path)
                and (self._where is None or self._where(entry))
            ):
                yield entry

    def __iter__(self) -> Entries:
        return self

    def __next__(self) -> JournalEntry:
        return next(self._iterator)


def _matches(entry: JournalEntry, method: str | None, path: str | None) -> bool:
    """`method` is upper case."""
    return (method is None or entry.method == method) and (path is None or path in entry.path)


def _first_after(items: list[JournalEntry | bytes | KeptExchange], entry_id: int, low: int = 0) -> int:
    """The index of the first item whose id is above `entry_id` (ids increase along the journal)."""
    high = len(items)
    while low < high:
        middle = (low + high) // 2
        if _item_id(items[middle]) <= entry_id:
            low = middle + 1
        else:
            high = middle
    return low


def redact_headers(raw: Headers) -> dict[str, str]:
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

        # Bodies are kept up to MAX_BODY_CHARS each. Secret request headers are blanked before the exchange
        # is kept: the journal never holds their values (bodies are redacted when read).
        request_body = response_body = b""
        status = 0
        response_headers: Headers = []
        started = time.perf_counter()

        async def receive_and_keep() -> Message:
            nonlocal request_body
            message = await receive()
            request_body = _capped(request_body, message.get("body"))
            return message

        async def send_and_keep(message: Message) -> None:
            nonlocal status, response_headers, response_body
            kind = message["type"]
            if kind == "http.response.body":
                response_body = _capped(response_body, message.get("body"))
            elif kind == "http.response.start":
                status, response_headers = message["status"], message.get("headers", [])
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            self.journal.record_exchange(
                (
                    time.time(),
                    time.perf_counter() - started,
                    scope["method"],
                    scope["path"],
                    scope.get("storefake.rule"),
                    scope.get("query_string", b""),
                    [(k, REDACTED_BYTES if k in SECRET_HEADER_BYTES else v) for k, v in scope.get("headers", ())],
                    request_body,
                    status,
                    response_headers,
                    response_body,
                )
            )


def _capped(kept: bytes, body: bytes | None) -> bytes:
    """`kept` with `body` added, up to MAX_BODY_CHARS (a body in one message is kept as it is, not copied)."""
    if not body or len(kept) >= MAX_BODY_CHARS:
        return kept
    return (kept + body if kept else body)[:MAX_BODY_CHARS]
