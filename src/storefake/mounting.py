"""The one way a vendor surface is mounted into the app.

Each vendor gets `ExceptionMiddleware` with its own renderer first, so route errors, 404/405 from its
router and errors raised by later middleware (rate limits, body limits) all come out in the vendor's
error format. Handlers match along the exception's MRO, so `DomainError` catches every domain error.
Body limits reuse Starlette's own RequestBodyLimitMiddleware for streamed chunks (its 413 is an
HTTPException, which the vendor renderer turns into vendor JSON). A body *declared* too large is refused
earlier by `DeclaredBodyLimit`: Starlette's middleware would otherwise swap whatever the app answered for
its own plain-text 413.
Slash redirects are off: the vendors answer 404 for a stray slash rather than redirect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from storefake.errors import DomainError

Renderer = Callable[..., Any]


class DeclaredBodyLimit:
    """Refuses a request whose Content-Length is over the limit before the endpoint runs."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                raise HTTPException(status_code=413)
        await self.app(scope, receive, send)


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
            Middleware(DeclaredBodyLimit, max_body_bytes=max_body_bytes),
            *middleware,
            Middleware(RequestBodyLimitMiddleware, max_body_size=max_body_bytes),
        ],
    )
