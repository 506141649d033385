"""POST /oauth2/token on login.bigcommerce.com: an app install exchanges its authorization code for a token.

The state lives in state/oauth.py; here are the route and this host's own error format, which is not
the API's: `{"error": ...}` plus `error_description` where the vendor sends one (vendor-facts §1, I6).
The body may be JSON (the vendor's docs) or a form (the guide's URLSearchParams example).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefake import errors as domain
from storefake import wire
from storefake.bigcommerce.errors import OAuthInvalidRequest
from storefake.bigcommerce.render import JSONBody
from storefake.runtime import fake_of

REASONS = {404: "Not Found", 405: "Method Not Allowed", 413: "Request Entity Too Large"}


def render_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        body = {"error": REASONS.get(exc.status_code, str(exc.detail))}
        return JSONBody(body, status_code=exc.status_code, headers=exc.headers)  # Allow on a 405
    assert isinstance(exc, domain.DomainError)
    status = 403 if isinstance(exc, domain.Forbidden) else 503 if isinstance(exc, domain.Unavailable) else 400
    return JSONBody({"error": exc.render_text(), **exc.detail}, status_code=status)


async def read_form(request: Request) -> dict[str, Any]:
    """JSON object or urlencoded form; anything else is OAuth's `invalid_request`."""
    raw = await request.body()
    try:
        if "json" in request.headers.get("content-type", ""):
            data = wire.loads(raw)
        else:
            data = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise OAuthInvalidRequest(detail={"error_description": "The request body could not be parsed."})
    return data


async def create_token(request: Request) -> Response:
    form = await read_form(request)
    return JSONBody(fake_of(request).bigcommerce.oauth.exchange(form))


routes = [Route("/token", create_token, methods=["POST"])]
