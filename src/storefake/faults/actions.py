"""What an applied rule does: a fixed response, a vendor-shaped error, a dropped connection, a delay.

Vendor errors are drawn by the vendor's own renderer (`storefake.<vendor>.render.render_error`) from a
wire-neutral DomainError, so an injected 503 or 429 looks exactly like one the fake itself would send.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
from typing import Any

import anyio
import httpx
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Send

from storefake import errors as domain
from storefake.faults.rules import Delay, Respond, VendorError, status_phrase
from storefake.randomness import RandomSource

# The DomainError that means each status; other statuses go through the renderer as an HTTPException.
ERROR_CLASSES: dict[int, type[domain.DomainError]] = {
    401: domain.Unauthorized,
    403: domain.Forbidden,
    404: domain.NotFound,
    409: domain.AlreadyExists,
    413: domain.TooLarge,
    422: domain.Invalid,
    429: domain.TooMany,
    503: domain.Unavailable,
}
# Each vendor's one error renderer (module, function); IMS has the OAuth error shape of its own.
RENDERERS = {
    "adobe": ("storefake.adobe.render", "render_error"),
    "ims": ("storefake.adobe.render", "render_ims_error"),
    "bigcommerce": ("storefake.bigcommerce.render", "render_error"),
}
NO_RESPONSE = 0


class DroppedConnection(httpx.RemoteProtocolError):
    """Raised by a `drop: true` rule. Over a socket the server closes the connection; in-process it is the
    httpx error the caller sees (it is an httpx.RemoteProtocolError, hence an httpx.TransportError)."""

    def __init__(self, rule_id: str) -> None:
        super().__init__(f"storefake: connection dropped by mock rule {rule_id!r}")


class _HideDroppedConnections(logging.Filter):
    """uvicorn logs an app exception with its traceback; a deliberate drop is not an error of the fake."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def quiet_server_logs() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDroppedConnections) for f in logger.filters):
        logger.addFilter(_HideDroppedConnections())


def fixed_response(spec: Respond) -> Response:
    if spec.has_json:
        return JSONResponse(spec.json, status_code=spec.status, headers=dict(spec.headers))
    if spec.text is not None:
        return PlainTextResponse(spec.text, status_code=spec.status, headers=dict(spec.headers))
    return Response(status_code=spec.status, headers=dict(spec.headers))


async def vendor_error(request: Request, vendor: str | None, spec: VendorError) -> Response:
    """The vendor's own error body for `spec.status`, plus the rule's extra headers."""
    render = _renderer(vendor)
    if render is None:
        # No vendor (or its renderer is not there): status and headers only, never an invented body.
        response = Response(status_code=spec.status)
    else:
        response = await _call(render, request, _domain_error(spec))
        if response.status_code != spec.status:
            # The vendor maps that error class to another status (BigCommerce V2 says 400 for Invalid).
            detail = spec.message or status_phrase(spec.status)
            response = await _call(render, request, HTTPException(spec.status, detail=detail))
        if response.status_code != spec.status:
            # Statuses a vendor never draws itself (Magento: 500, 502) keep its body shape, with the rule's status.
            response.status_code = spec.status
    for name, value in spec.headers.items():
        response.headers[name] = value
    return response


def _domain_error(spec: VendorError) -> domain.DomainError:
    cls = ERROR_CLASSES.get(spec.status, domain.DomainError)
    if cls is domain.TooMany:
        return domain.TooMany(spec.message, retry_after_seconds=spec.retry_after)
    return cls(
        spec.message if spec.message is not None or cls is not domain.DomainError else status_phrase(spec.status)
    )


def _renderer(vendor: str | None) -> Any:
    module_name, function = RENDERERS.get(vendor or "", ("", ""))
    if not module_name:
        return None
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function, None)


async def _call(render: Any, request: Request, exc: Exception) -> Response:
    response = render(request, exc)
    if inspect.isawaitable(response):
        response = await response
    assert isinstance(response, Response)
    return response


async def drop(send: Send, rule_id: str) -> None:
    """Close the connection without sending a single byte.

    ASGI has no "close" message, and an app that fails before starting its response gets a 500 from
    Starlette and from uvicorn. So the response is started with status 0, for which no status line
    exists: uvicorn (h11 and httptools alike) marks the response started, fails before writing anything,
    and on the exception below closes the socket. Clients see "server disconnected without a response".
    In-process, the exception itself is the client's error. The journal records status 0: no response.
    """
    with contextlib.suppress(Exception):  # the server refusing status 0 is the expected outcome
        await send({"type": "http.response.start", "status": NO_RESPONSE, "headers": []})
    raise DroppedConnection(rule_id)


async def pause(delay: Delay, random: RandomSource) -> None:
    seconds = delay.low if delay.low == delay.high else random.uniform(delay.low, delay.high)
    await anyio.sleep(seconds)
