"""A declared-too-large body is refused before the endpoint runs, so the 413 comes out in Magento's shape.

Starlette's RequestBodyLimitMiddleware replaces any response with its own plain-text 413 when the
Content-Length header is over the limit; raising here, inside the mount's ExceptionMiddleware, lets
the vendor renderer draw it instead. Streamed bodies without Content-Length still reach Starlette's
limit, whose HTTPException the renderer also handles. (Generic: could move into storefake.mounting.)
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send


class ContentLengthLimit:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT"):
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                raise HTTPException(status_code=413)
        await self.app(scope, receive, send)
