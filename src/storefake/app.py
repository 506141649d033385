"""`create_app`: one Starlette app serving every vendor on non-colliding paths, plus the control API."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from storefake import adobe, bigcommerce, control
from storefake.config import Config
from storefake.dispatch import Dispatcher
from storefake.faults import FaultMiddleware
from storefake.journal import JournalMiddleware
from storefake.runtime import Fake


def _unmatched(request: Request, exc: Exception) -> Response:
    # Paths outside every vendor mount (`/`, `/x`): the Adobe base URL is the most generic one a client
    # can hit, so Magento's no-route answer is the likeliest.
    from storefake.adobe.render import render_error

    return render_error(request, exc)


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
        *adobe.mounts(fake),  # last: its `/{tenant_id}` mount would otherwise shadow the others
    ]
    app = Starlette(
        middleware=[Middleware(JournalMiddleware, journal=fake.journal), Middleware(FaultMiddleware, fake=fake)],
        exception_handlers={HTTPException: _unmatched},
    )
    app.router = Dispatcher(routes)  # in place of Starlette's Router: see dispatch.py for why
    app.state.fake = fake
    return app
