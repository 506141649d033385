"""Outbound webhook delivery: a queue of signed POSTs, sent by a background thread, retried by the clock.

Vendor-neutral: a vendor builds each `Delivery` (URL, body, static headers, a `sign` callback for the
per-attempt headers) and hands it to its `Deliverer` with the vendor's retry schedule. The request that
caused the event only enqueues; the worker thread sends. A failed attempt is retried once the fake's
clock reaches `last attempt + schedule[n]`, so tests advance the clock instead of waiting; after the
last retry `on_exhausted` runs (BigCommerce deactivates the hook).

Sending uses the standard library's http.client on purpose: in-process interception (respx, used by
`storefake.mock()`) patches httpx and httpcore, and a delivery must reach the real destination rather
than loop back into the fake. Each attempt is claimed (`in_flight`) under the lock before it is sent, so
an attempt is made once, by one thread, even when `flush()` races the worker.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import http.client
import itertools
import secrets
import ssl
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from storefake.clock import Clock

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
Sender = Callable[[str, bytes, Mapping[str, str], float], int]
_SUPPRESSED: contextvars.ContextVar[bool] = contextvars.ContextVar("storefake_webhooks_suppressed", default=False)


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Deliveries submitted inside are dropped: persistence replays writes whose events were sent already."""
    token = _SUPPRESSED.set(True)
    try:
        yield
    finally:
        _SUPPRESSED.reset(token)


@dataclass(slots=True)
class Attempt:
    number: int
    at: float
    status: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "at": self.at, "status": self.status, "error": self.error}


@dataclass(slots=True, eq=False)
class Delivery:
    """One event for one destination, with every attempt made to deliver it."""

    id: str
    url: str
    body: bytes
    headers: dict[str, str]
    created_at: float
    sign: Callable[[Delivery, float], Mapping[str, str]] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    on_exhausted: Callable[[Delivery], None] | None = None
    state: str = PENDING
    next_at: float | None = None
    attempts: list[Attempt] = field(default_factory=list)
    in_flight: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.meta,
            "url": self.url,
            "state": self.state,
            "created_at": self.created_at,
            "next_attempt_at": self.next_at if self.state == PENDING else None,
            "attempts": [attempt.to_dict() for attempt in self.attempts],
            "body": self.body.decode("utf-8", "replace"),
        }


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> int:
    """POST with http.client (immune to httpx/httpcore patching); returns the status code."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("POST", target, body=body, headers=dict(headers))
        response = connection.getresponse()
        response.read(1 << 16)
        return response.status
    finally:
        connection.close()


class Deliverer:
    """The delivery queue of one vendor backend; a worker thread runs only while something is pending.

    `enabled=False` records deliveries without sending them until `flush()` is called; a URL `refuse` says
    yes to is never sent to (each attempt fails).
    """

    def __init__(
        self,
        clock: Clock,
        schedule: Sequence[float],
        *,
        enabled: bool = True,
        timeout: float = 10.0,
        sender: Sender = post,
        keep_finished: int = 10_000,
        refuse: Callable[[str], bool] | None = None,
    ) -> None:
        self.clock = clock
        self.schedule = tuple(schedule)
        self.enabled = enabled
        self.timeout = timeout
        self._send = sender
        self._refuse = refuse  # destinations never sent to (the fake's own address)
        self._cond = threading.Condition()
        self._deliveries: dict[str, Delivery] = {}
        # Finished deliveries stay listed for the control API, up to `keep_finished` (oldest dropped first),
        # so a long-running server doesn't grow without bound.
        self._finished: deque[str] = deque()
        self._keep_finished = keep_finished
        self._due: list[tuple[float, int, Delivery]] = []  # heap; stale entries are skipped
        self._seq = itertools.count()
        self._ids = itertools.count(1)
        self._id_prefix = secrets.token_hex(8)  # ids stay unique across resets and processes
        self._worker: threading.Thread | None = None
        self._subscribed = False
        self._closed = False

    # queue
    def next_id(self) -> str:
        """A unique message id (Standard Webhooks `webhook-id`): a random run prefix and a sequence number."""
        return f"msg_{self._id_prefix}_{next(self._ids)}"

    def submit(self, delivery: Delivery) -> None:
        """Queue `delivery` for an attempt now; never blocks on the network."""
        if _SUPPRESSED.get():
            return
        with self._cond:
            if self._closed:
                return
            delivery.next_at = delivery.created_at
            self._deliveries[delivery.id] = delivery
            self._push(delivery)
            self._subscribe()
            self._wake()

    def deliveries(self, **meta: Any) -> list[Delivery]:
        """Every delivery whose meta (or state) matches all of `meta`, oldest first."""
        with self._cond:
            items = list(self._deliveries.values())
        return [d for d in items if all(_field_of(d, key) == value for key, value in meta.items())]

    def get(self, delivery_id: str) -> Delivery | None:
        return self._deliveries.get(delivery_id)

    def flush(self) -> list[Delivery]:
        """Attempt every pending delivery now, in this thread (however far off its retry is)."""
        with self._cond:
            claimed = [d for d in self._deliveries.values() if d.state == PENDING and not d.in_flight]
            for delivery in claimed:
                delivery.in_flight = True
        for delivery in claimed:
            self._attempt(delivery)
        return claimed

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is due now and nothing is being sent; True if that happened in time."""
        with self._cond:
            return self._cond.wait_for(self._idle, timeout)

    def close(self) -> None:
        """Stop sending: drop what is pending, stop the worker, stop listening to the clock.

        Never waits on the network: an attempt already being sent finishes in its worker (within `timeout`)
        and is recorded here, but nothing more is sent. A reset, which closes the old queue, so never holds
        up the server for a slow destination; an idle worker is joined, as it ends at once.
        """
        with self._cond:
            self._closed = True
            self._due.clear()
            worker, self._worker = self._worker, None
            sending = any(d.in_flight for d in self._deliveries.values())
            self._cond.notify_all()
        if self._subscribed:
            self.clock.unsubscribe(self._on_clock)
            self._subscribed = False
        if worker is not None and worker is not threading.current_thread() and not sending:
            worker.join(1.0)

    # internals (the lock is held where a name says `_locked` or the caller says so)
    def _push(self, delivery: Delivery) -> None:
        assert delivery.next_at is not None
        heapq.heappush(self._due, (delivery.next_at, next(self._seq), delivery))

    def _subscribe(self) -> None:
        if not self._subscribed:
            self._subscribed = True
            self.clock.subscribe(self._on_clock)

    def _on_clock(self) -> None:
        with self._cond:
            self._wake()

    def _wake(self) -> None:
        self._cond.notify_all()
        if self.enabled and not self._closed and self._worker is None and self._due:
            self._worker = threading.Thread(target=self._run, name="storefake-webhooks", daemon=True)
            self._worker.start()

    def _idle(self) -> bool:
        if self._closed:
            return True
        if any(d.in_flight for d in self._deliveries.values()):
            return False
        return not self.enabled or self._next_due(self.clock.now()) is None

    def _next_due(self, now: float) -> Delivery | None:
        """The earliest delivery due at `now` (dropping stale heap entries), without claiming it."""
        while self._due:
            at, _, delivery = self._due[0]
            if delivery.state != PENDING or delivery.next_at != at:
                heapq.heappop(self._due)
                continue
            if delivery.in_flight:
                heapq.heappop(self._due)  # flush() has it; it is pushed again if it fails
                continue
            return delivery if at <= now else None
        return None

    def _run(self) -> None:
        me = threading.current_thread()
        while True:
            with self._cond:
                if self._worker is not me or self._closed:
                    return
                delivery = self._next_due(self.clock.now())
                if delivery is None:
                    if not self._due:
                        self._worker = None  # nothing left to retry: the thread ends
                        self._cond.notify_all()
                        return
                    # A frozen clock moves only by advance(), which wakes us; a running one needs polling.
                    self._cond.wait(None if self.clock.frozen else self._poll_interval())
                    continue
                heapq.heappop(self._due)
                delivery.in_flight = True
            self._attempt(delivery)

    def _forget_old(self, finished: Delivery) -> None:
        self._finished.append(finished.id)
        while len(self._finished) > self._keep_finished:
            self._deliveries.pop(self._finished.popleft(), None)

    def _poll_interval(self) -> float:
        if not self._due:
            return 0.5
        return max(0.01, min(0.5, self._due[0][0] - self.clock.now()))

    def _attempt(self, delivery: Delivery) -> None:
        """Send one attempt of a claimed delivery and record it; schedule a retry or give up."""
        at = self.clock.now()
        headers = dict(delivery.headers)
        status: int | None = None
        error: str | None = None
        try:
            if self._refuse is not None and self._refuse(delivery.url):
                raise ConnectionRefusedError("not sent: the destination is this storefake server itself")
            if delivery.sign is not None:
                headers.update(delivery.sign(delivery, at))
            status = self._send(delivery.url, delivery.body, headers, self.timeout)
        except Exception as exc:  # any failure is a failed attempt; the worker must outlive it
            error = f"{type(exc).__name__}: {exc}"
        exhausted = False
        with self._cond:
            attempt = Attempt(len(delivery.attempts) + 1, at, status, error)
            delivery.attempts.append(attempt)
            delivery.in_flight = False
            if attempt.ok:
                delivery.state, delivery.next_at = DELIVERED, None
            elif len(delivery.attempts) > len(self.schedule):
                delivery.state, delivery.next_at = FAILED, None
                exhausted = True
            elif not self._closed:
                delivery.next_at = at + self.schedule[len(delivery.attempts) - 1]
                self._push(delivery)
            if delivery.state != PENDING:
                self._forget_old(delivery)
            self._wake()
        if exhausted and delivery.on_exhausted is not None:
            delivery.on_exhausted(delivery)


def _field_of(delivery: Delivery, key: str) -> Any:
    if key == "state":
        return delivery.state
    return delivery.meta.get(key)
