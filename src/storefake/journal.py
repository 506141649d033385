"""The request journal: what reached the fake and what it answered, with secrets redacted.

Recorded by a pure-ASGI middleware (no BaseHTTPMiddleware: it would buffer streaming bodies and run the
app in another task), read by tests through `Journal` and by other languages through the control API.
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import marshal
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus, unquote_plus

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-auth-token", "cookie", "set-cookie", "x-auth-client-secret"}
)
# Named for reference: every field whose name `is_secret_name` accepts is blanked (these and more).
SECRET_FIELDS = frozenset(
    {"password", "new_password", "current_password", "client_secret", "access_token", "refresh_token"}
)
SECRET_HEADER_BYTES = frozenset(name.encode() for name in SECRET_HEADERS)
REDACTED_BYTES = REDACTED.encode()
CONTROL_PREFIX = "/__storefake"
MAX_BODY_CHARS = 65_536
DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # Config.journal_max_bytes: about 1,000 entries with both bodies at the cap
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
        redactor = Redactor()
        texts = [
            redactor.text(query.decode("latin-1")),
            redactor.text(_body_text(body)),
            redactor.text(_body_text(response_body)),
        ]
        self._headers = redactor.headers(headers)
        self._response_headers = redactor.headers(response_headers)
        self._query, self._body, self._response_body = (redactor.echoes(text) for text in texts)
        for kept in (self._headers, self._response_headers):
            for name, value in kept.items():
                kept[name] = redactor.echoes(value)

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
    def unimplemented(self) -> dict[str, str] | None:
        """For a 501 naming an operation storefake does not fake yet: `{"operation", "family"}`; else None."""
        if self.status != 501:
            return None
        from storefake.coverage import marker

        return marker(self.response_headers)

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
            "unimplemented": self.unimplemented,
        }

    def __repr__(self) -> str:
        return f"<JournalEntry {self.id} {self.method} {self.path} -> {self.status}>"


def _entry(item: JournalEntry | bytes | KeptExchange, explainer: Explainer | None = None) -> JournalEntry:
    if isinstance(item, JournalEntry):
        if item._explainer is None:
            item._explainer = explainer
        return item
    return JournalEntry.from_exchange(marshal.loads(item) if isinstance(item, bytes) else item, explainer)


def _size(item: JournalEntry | bytes | KeptExchange) -> int:
    """What one kept item weighs: a marshalled exchange its length; others an estimate of their texts."""
    if isinstance(item, bytes):
        return len(item)
    if isinstance(item, JournalEntry):
        parts: list[Any] = [item.path, item._query, item._body, item._response_body]
        parts += [*item._headers.items(), *item._response_headers.items()]
    else:
        parts = [*item[3:], *item[7], *item[10]]  # path on, and each header pair
    return 256 + sum(len(part) if isinstance(part, (bytes, str)) else 64 for part in parts)


def _item_id(item: JournalEntry | bytes | KeptExchange) -> int:
    if isinstance(item, JournalEntry):
        return item.id
    kept = marshal.loads(item) if isinstance(item, bytes) else item
    return int(kept[0])


class Journal:
    """Recorded calls, newest last; list-like, with respx's `called`/`call_count`/`last` shortcuts.

    Entries have increasing ids (never reused, not even after `clear()`), so a reader can follow the
    journal: `entries(since=cursor)` yields only what was recorded after the entry `cursor`.
    It keeps the newest `limit` entries and no more than `max_bytes` of them (the newest is always kept);
    the oldest go first.
    """

    def __init__(self, limit: int = 10_000, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        # Entries, or exchanges the middleware kept raw, which become entries when read: recording is the
        # one thing every request does, reading is rare.
        self._entries: deque[JournalEntry | bytes | KeptExchange] = deque()
        self.limit = limit
        self.max_bytes = max_bytes
        self.bytes = 0  # the size of what is kept: an exchange's marshalled length, an estimate for others
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.last_id = 0  # the newest id ever given: a reader following the journal starts after it
        # Works out an entry's near misses when it is read (create_app sets it: it needs the app's routes).
        self.explainer: Explainer | None = None

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            entry.id = self.last_id = next(self._ids)
            self._entries.append(entry)
            self.bytes += _size(entry)
            self._evict()

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
                item: bytes | KeptExchange = marshal.dumps(kept)
                size = len(item)
            except ValueError:  # a header or body of a type marshal can't write (an in-process caller's)
                item, size = kept, _size(kept)
            entries = self._entries
            entries.append(item)
            size += self.bytes
            if len(entries) > self.limit:  # the usual case once the journal is full: one in, one out
                oldest = entries.popleft()
                size -= len(oldest) if oldest.__class__ is bytes else _size(oldest)
            self.bytes = size
            if size > self.max_bytes or len(entries) > self.limit:
                self._evict()

    def _evict(self) -> None:
        """Drop the oldest entries past `limit` or `max_bytes` (under the lock)."""
        entries = self._entries
        while entries and (len(entries) > self.limit or (self.bytes > self.max_bytes and len(entries) > 1)):
            self.bytes -= _size(entries.popleft())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def remove(self, method: str | None = None, path: str | None = None) -> int:
        """Forget the entries `filter(method, path)` lists, keep the others; returns how many went."""
        wanted = method.upper() if method else None
        with self._lock:
            kept = [item for item in self._entries if not _matches(_entry(item), wanted, path)]
            removed = len(self._entries) - len(kept)
            self._entries.clear()
            self._entries.extend(kept)
            self.bytes = sum(_size(item) for item in kept)
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
    return Redactor().headers(raw)


def redact_query(query: str) -> str:
    return Redactor().text(query)


def redact_body(body: bytes, content_type: str = "") -> str:
    """Body text with secret values blanked, whatever the body's form (see `Redactor`); kept as written."""
    redactor = Redactor()
    return redactor.echoes(redactor.text(_body_text(body)))


def _body_text(body: bytes) -> str:
    return body[:MAX_BODY_CHARS].decode("utf-8", errors="replace")


_FORM_REDACTED = quote(REDACTED)  # as a form or query value: "%5Bredacted%5D", which reads back as REDACTED
# Parts of a name (lower-cased, "_" and "-" dropped) that make its value a secret; a name ending in "token"
# or equal to one of _SECRET_NAMES does too.
_SECRET_PARTS = ("password", "passwd", "passphrase", "secret", "authorization", "apikey", "credential", "privatekey")
_SECRET_NAMES = frozenset({"auth", "pass", "pwd"})
# What a text must hold (lower-cased, "_" and "-" dropped) before it is searched for secret names: part of a
# secret's name, or an escape that could hide one (JSON's \u, a URL's %).
_MARKERS = re.compile(r"pass|pwd|secret|token|auth|apikey|credential|privatekey|\\u|%")
_MIN_ECHOED = 4  # shorter secret values are blanked where their name stands, not searched for elsewhere
# A JSON key and its value: a string (possibly cut short where a body was capped) or a number. Regular
# expressions, not a parser: they read malformed, truncated and deeply nested bodies alike, with no recursion.
_JSON_PAIR = re.compile(
    r'"((?:[^"\\]|\\.)*)"\s*:\s*(?P<value>"(?P<text>(?:[^"\\]|\\.)*)(?:"|\\?$)|(?P<number>-?[0-9][\w.+-]*))', re.S
)
# name=value in a form, a query string or a URL anywhere in a text (a `links.current` echoing a token).
_FORM_PAIR = re.compile(r"(?:^|(?<=[&;?\s\"'<>]))([^=&;?\s\"'<>#]+)=([^&;#\s\"'<>]*)")
_MULTIPART_FIELD = re.compile(r'(name="([^"]*)"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n)(.*?)(?=\r\n--|$)', re.S)
# Credentials known by their shape, whatever name (if any) stands before them: a JWT (an IMS token), the
# credentials of an HTTP scheme making up a whole value ("Bearer x", "Basic <base64 of user:pass>") and the
# password of a URL's user:password@.
_JWT = re.compile(r"eyJ[\w-]{4,}\.eyJ[\w-]{4,}\.[\w-]*")
_SCHEME_CREDENTIALS = re.compile(
    r"""(?<![^\s"'=:,;])(?i:(bearer|basic))(?:\s+|%20|\+)([\w.~+/-]+=*)(?=$|["'&;,\r\n])"""
)
_URL_PASSWORD = re.compile(r"(?<=://)([^/\s:@\"'<>]+):([^/\s@\"'<>]+)(?=@)")


@functools.lru_cache(maxsize=4096)  # a journal's names are few (email, firstname, ...) and each is read often
def is_secret_name(name: str) -> bool:
    """Does a field, parameter or header of this name hold a secret, whatever its case and separators?"""
    key = name.lower().replace("_", "").replace("-", "")
    return key.endswith("token") or key in _SECRET_NAMES or any(part in key for part in _SECRET_PARTS)


class Redactor:
    """Blanks the secrets of one exchange, whatever their form.

    First by name, wherever a name stands before a value: JSON keys (escaped or not, in any case, in bodies
    malformed or cut at the cap), form and query parameters (with or without a Content-Type), parameters of
    URLs inside any text, multipart fields, secret headers. Then each value found that way, wherever else
    it appears, as written, JSON-escaped or URL-encoded (a token echoed in a response's `links.current`).
    """

    def __init__(self) -> None:
        self.found: set[str] = set()
        self._echoes: tuple[int, re.Pattern[str] | None] = (0, None)  # for how many found values, their pattern

    def headers(self, raw: Headers) -> dict[str, str]:
        headers: dict[str, str] = {}
        for key, value in raw:
            name = key.decode("latin-1").lower()
            secret = name in SECRET_HEADERS or is_secret_name(name)
            headers[name] = REDACTED if secret else self.text(value.decode("latin-1"))
        return headers

    def text(self, text: str) -> str:
        """`text` with the values of secret names and credentials known by their shape blanked (kept in `found`)."""
        probe = text.lower().replace("_", "").replace("-", "")
        if _MARKERS.search(probe):
            if '"' in text:
                text = _JSON_PAIR.sub(self._json_pair, text)
            if "=" in text:
                text = _FORM_PAIR.sub(self._form_pair, text)
            if 'name="' in text:
                text = _MULTIPART_FIELD.sub(self._multipart_field, text)
        if "eyJ" in text:
            text = _JWT.sub(self._credential, text)
        if "bearer" in probe or "basic" in probe:
            text = _SCHEME_CREDENTIALS.sub(self._scheme_credentials, text)
        if "@" in text and "://" in text:
            text = _URL_PASSWORD.sub(self._url_password, text)
        return text

    def echoes(self, text: str) -> str:
        """`text` with every secret value found so far blanked wherever it appears."""
        if not self.found or not text:
            return text
        pattern = self._echo_pattern()
        return text if pattern is None else pattern.sub(REDACTED, text)

    def _echo_pattern(self) -> re.Pattern[str] | None:
        """One pattern for every form of every value found (built once per exchange, when first needed)."""
        counted, pattern = self._echoes
        if counted != len(self.found):
            forms: set[str] = set()
            for value in self.found:
                if len(value) >= _MIN_ECHOED:
                    forms.update((value, json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value)))
            longest_first = sorted(forms, key=len, reverse=True)
            pattern = re.compile("|".join(map(re.escape, longest_first))) if forms else None
            self._echoes = (len(self.found), pattern)
        return pattern

    def _json_pair(self, match: re.Match[str]) -> str:
        if match.group("value") is None or not is_secret_name(_json_text(match.group(1))):
            return match.group(0)
        text = match.group("text")
        self.found.add(match.group("number") if text is None else _json_text(text))
        return match.group(0)[: match.start("value") - match.start()] + f'"{REDACTED}"'

    def _form_pair(self, match: re.Match[str]) -> str:
        if not is_secret_name(unquote_plus(match.group(1))):
            return match.group(0)
        self.found.add(unquote_plus(match.group(2)))
        return f"{match.group(1)}={_FORM_REDACTED}"

    def _multipart_field(self, match: re.Match[str]) -> str:
        if not is_secret_name(match.group(2)):
            return match.group(0)
        self.found.add(match.group(3))
        return match.group(1) + REDACTED

    def _credential(self, match: re.Match[str]) -> str:
        self.found.add(match.group(0))
        return REDACTED

    def _scheme_credentials(self, match: re.Match[str]) -> str:
        scheme, credentials = match.groups()
        if not _looks_like_credentials(scheme.lower(), credentials):
            return match.group(0)
        self.found.add(credentials)
        return match.group(0)[: match.start(2) - match.start()] + REDACTED

    def _url_password(self, match: re.Match[str]) -> str:
        self.found.add(unquote_plus(match.group(2)))
        return f"{match.group(1)}:{REDACTED}"


def _looks_like_credentials(scheme: str, value: str) -> bool:
    """Credentials of this HTTP scheme, not words after one ("Basic Essentials", "Ring Bearer Cushions")?"""
    if scheme == "basic":  # base64 of user:password
        try:
            return b":" in base64.b64decode(value, validate=True)
        except ValueError:
            return False
    return len(value) >= 20 or (len(value) >= 8 and any(c.isdigit() or c in "._~+/=" for c in value))


def _json_text(raw: str) -> str:
    """A JSON string's inside with its escapes read; as written when it can't be read (cut short)."""
    if "\\" not in raw:
        return raw
    try:
        text = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return text if isinstance(text, str) else raw


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
        # is kept: the journal never holds their values (bodies are redacted when read). The exchange is kept
        # just before the response's last message goes out, so a client that has its answer finds it in the
        # journal; an exchange that never answers is kept when the app is done.
        request_body = response_body = b""
        status = 0
        response_headers: Headers = []
        started = time.perf_counter()
        kept = False

        async def receive_and_keep() -> Message:
            nonlocal request_body
            message = await receive()
            body = message.get("body")
            if body:
                request_body = _capped(request_body, body) if request_body else body[:MAX_BODY_CHARS]
            return message

        async def send_and_keep(message: Message) -> None:
            nonlocal status, response_headers, response_body, kept
            kind = message["type"]
            if kind == "http.response.body":
                body = message.get("body")
                if body:
                    response_body = _capped(response_body, body) if response_body else body[:MAX_BODY_CHARS]
                if not (kept or message.get("more_body")):
                    kept = True
                    self._keep(scope, started, request_body, status, response_headers, response_body)
            elif kind == "http.response.start":
                status, response_headers = message["status"], message.get("headers", [])
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_keep)
        finally:
            if not kept:
                self._keep(scope, started, request_body, status, response_headers, response_body)

    def _keep(
        self, scope: Scope, started: float, body: bytes, status: int, response_headers: Headers, response_body: bytes
    ) -> None:
        self.journal.record_exchange(
            (
                time.time(),
                time.perf_counter() - started,
                scope["method"],
                scope["path"],
                scope.get("storefake.rule"),
                scope.get("query_string", b""),
                [(k, REDACTED_BYTES if k in SECRET_HEADER_BYTES else v) for k, v in scope.get("headers", ())],
                body,
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
