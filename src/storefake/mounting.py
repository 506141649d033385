"""The one way a vendor surface is mounted into the app.

Each vendor gets `ExceptionMiddleware` with its own renderer first, so route errors, 404/405 from its
router and errors raised by later middleware (rate limits, body limits) all come out in the vendor's
error format. Handlers match along the exception's MRO, so `DomainError` catches every domain error.
The body limit is our own small middleware rather than Starlette's RequestBodyLimitMiddleware: that one
swaps whatever the app answered for its own plain-text 413 when Content-Length is too large, and it
wraps every request, bodiless GETs included, which costs on the hot path.
Slash redirects are off: the vendors answer 404 for a stray slash rather than redirect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefake.errors import DomainError

Renderer = Callable[..., Any]


class BodyLimit:
    """Refuses request bodies over `max_body_bytes` with an HTTPException(413) the vendor renderer draws.

    A declared Content-Length is checked before the endpoint runs, and the server already holds the
    body to that length; only bodies without one (chunked) are counted as they stream in.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((value for key, value in scope["headers"] if key == b"content-length"), None)
        if declared is not None and declared.isdigit():
            if int(declared) > self.max_body_bytes:
                raise HTTPException(status_code=413)
            await self.app(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise HTTPException(status_code=413)
            return message

        await self.app(scope, counted, send)


def vendor_mount(
    path: str,
    routes: Sequence[BaseRoute],
    *,
    render: Renderer,
    max_body_bytes: int,
    middleware: Sequence[Middleware] = (),
    outer_middleware: Sequence[Middleware] = (),
    name: str | None = None,
) -> Mount:
    """A Mount at `path` whose every error is drawn by `render(request, exc)`.

    `outer_middleware` wraps the error rendering too, for middleware that must see every response,
    error bodies included (BigCommerce's rate-limit headers).
    """
    return Mount(
        path,
        app=Router(routes=list(routes), redirect_slashes=False),
        name=name,
        middleware=[
            *outer_middleware,
            Middleware(ExceptionMiddleware, handlers={DomainError: render, HTTPException: render}),
            Middleware(BodyLimit, max_body_bytes=max_body_bytes),
            *middleware,
        ],
    )
