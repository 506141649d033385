"""`create_app`: one Starlette app serving every vendor on non-colliding paths, plus the control API."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from storefake import adobe, bigcommerce, control, inspector
from storefake.config import Config
from storefake.dispatch import Dispatcher
from storefake.faults import FaultMiddleware
from storefake.journal import JournalMiddleware
from storefake.nearmiss import NearMisses
from storefake.runtime import FAKE_SCOPE_KEY, Fake
from storefake.timeouts import BodyTimeoutMiddleware


def _unmatched(request: Request, exc: Exception) -> Response:
    # Paths outside every vendor mount (`/`, `/x`): the Adobe base URL is the most generic one a client
    # can hit, so Magento's no-route answer is the likeliest.
    from storefake.adobe.render import render_error

    return render_error(request, exc)


class FakeApp(Starlette):
    """The Starlette app of the fake, without Starlette's app-wide exception middleware.

    Every error is drawn where it happens, by its vendor's surface or by the dispatcher for paths outside
    them, so that middleware would only wrap every request in one more layer for nothing.
    """

    def __init__(self, fake: Fake, routes: list[BaseRoute], middleware: list[Middleware]) -> None:
        super().__init__(middleware=middleware)
        self.router = Dispatcher(routes, render=_unmatched)
        self.state.fake = fake
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        scope[FAKE_SCOPE_KEY] = self.fake
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        await self.middleware_stack(scope, receive, send)

    def build_middleware_stack(self) -> ASGIApp:
        app: ASGIApp = self.router.middleware_stack  # what Router.__call__ would call, one frame sooner
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        return ServerErrorMiddleware(app, debug=self.debug)


def create_app(config: Config | None = None, **options: Any) -> Starlette:
    """Build the fake: `create_app()` uses the bundled fixtures; keyword options are `Config` fields."""
    if config is None:
        config = Config(**options)
    elif options:
        raise TypeError("pass either a Config or keyword options, not both")
    fake = Fake(config)
    routes = [
        control.mount(fake),
        *bigcommerce.mounts(fake),
        *adobe.mounts(fake),  # its `/{tenant_id}` mount would otherwise shadow the others
        # After every mount, so no vendor request ever tries it: `/__storefake` alone is no mount's path.
        Route("/__storefake", inspector.ToPage()),  # every method: GET redirects, the others are 405
    ]
    middleware = [
        Middleware(BodyTimeoutMiddleware, seconds=fake.config.body_timeout),
        Middleware(JournalMiddleware, journal=fake.journal),
        Middleware(FaultMiddleware, fake=fake),
    ]
    if fake.persistence is not None:  # innermost: a mock rule's answer or delay never reaches the write lock
        from storefake.persistence.capture import PersistenceMiddleware

        middleware.append(Middleware(PersistenceMiddleware, persistence=fake.persistence))
    app = FakeApp(fake, routes, middleware)
    fake.journal.explainer = NearMisses(app.router, fake.mocks).explain
    if fake.persistence is not None:
        fake.persistence.start(app)  # the data dir's state, restored before anything is served
    return app
