"""The web inspector at /__storefake/: one HTML page, one stylesheet and one script, shipped in the package.

No build step and no dependencies: the page reads the control API (journal, records, webhook deliveries,
mock rules, clock, reset) with fetch. Everything is served with a Content-Security-Policy that allows only
the page's own script and style files, so even a mistake in the page could not run a script a recorded
request carried; the script itself puts recorded text into the page as text, never as HTML.
"""

from __future__ import annotations

from importlib import resources

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from storefake.control.routes import control_error

ASSETS = {
    "inspector.js": "text/javascript; charset=utf-8",
    "inspector.css": "text/css; charset=utf-8",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # a new storefake version serves its own page, never a cached one
}


def _static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


async def page(request: Request) -> Response:
    return Response(_static("index.html"), media_type="text/html; charset=utf-8", headers=SECURITY_HEADERS)


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        return control_error("Not Found", 404)
    return Response(_static(name), media_type=ASSETS[name], headers=SECURITY_HEADERS)


async def to_page(request: Request) -> Response:
    """`/__storefake` without its slash: the page's relative links need the slash.

    Any other method is the control API's own 405 (the route takes every method, so none is a server error).
    """
    if request.method not in ("GET", "HEAD"):
        return control_error("Method Not Allowed", 405, {"Allow": "GET, HEAD"})
    return RedirectResponse(f"{request.scope.get('root_path', '')}/__storefake/", status_code=307)


class ToPage:
    """`to_page` as an ASGI app: a Route given one serves every method (a function is GET only, and any
    other method would be an HTTPException raised outside every error renderer)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await to_page(Request(scope, receive))
        await response(scope, receive, send)


routes = [
    Route("/", page, methods=["GET"]),
    Route("/inspector/{name}", asset, methods=["GET"]),
]
