"""Slow senders are timed out: a client trickling its request head or body never holds a connection forever.

uvicorn times out idle keep-alive connections but not a request in progress: a client that sends its head
or its body a byte at a time keeps its connection, and whatever the endpoint holds, for as long as it likes.
Two limits close that gap:

- `HEADER_TIMEOUT`: the head (request line and headers) must arrive within this many seconds of the
  connection opening or of its first byte; otherwise the server answers a bare `408 Request Timeout` and
  closes the connection (as nginx's client_header_timeout does). A protocol class for uvicorn's `http=`
  setting, made by `head_timeout_protocol`.
- `Config.body_timeout`: the body must arrive within this many seconds of the head. A late body is the
  vendor's own 408 (BigCommerce's error body; ACCS draws it as Magento's 400 `{"message": ...}`, the
  control API as `{"error": ...}`), raised from `receive` into the surface that was reading it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER_TIMEOUT = 30.0
_HEAD_TIMED_OUT = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"


class BodyTimeoutMiddleware:
    """Pure ASGI: the body of a request that declares one must be received within `seconds` of its head."""

    def __init__(self, app: ASGIApp, seconds: float | None) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.seconds is None or scope["type"] != "http" or not _declares_body(scope):
            await self.app(scope, receive, send)  # most requests (GET): nothing to wait for
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        complete = timed_out = False

        async def timed() -> Message:
            nonlocal complete, timed_out
            if complete:  # the body is in: what follows is the disconnect, which may come whenever
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                timed_out = True
                raise HTTPException(status_code=408) from None
            complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        async def closing(message: Message) -> None:
            if timed_out and message["type"] == "http.response.start":
                # The rest of that body may still come: the connection ends with this answer.
                message = {**message, "headers": [*message.get("headers", ()), (b"connection", b"close")]}
            await send(message)

        await self.app(scope, timed, closing)


def _declares_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if (name == b"content-length" and value.strip() not in (b"0", b"")) or name == b"transfer-encoding":
            return True
    return False


def head_timeout_protocol(seconds: float = HEADER_TIMEOUT) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol (httptools, else h11) with a deadline on every request head."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    class HeadTimeoutProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
        header_timeout = seconds

        def connection_made(self, transport: Any) -> None:
            self._head_timer: asyncio.TimerHandle | None = None
            self._head_started = False
            super().connection_made(transport)
            self._arm()  # a connection that sends nothing at all is dropped too

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._reading_head():
                self._head_started = True
                self._arm()
            else:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _reading_head(self) -> bool:
            # uvicorn makes the request's cycle once the head is complete, and keeps it until the next one.
            cycle = self.cycle
            return cycle is None or cycle.response_complete

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None
            self._head_started = False

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if not self._reading_head() or self.transport.is_closing():
                return
            if self._head_started:
                self.transport.write(_HEAD_TIMED_OUT)
            self.transport.close()

    return HeadTimeoutProtocol
