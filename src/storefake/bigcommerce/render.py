"""BigCommerce's wire format: V3 envelopes, V2 bare JSON, field formats, and the one error renderer.

V3 answers `{"data": ..., "meta": {...}}` and errors `{"status", "title", "type", "errors"}`; V2 answers
bare objects/arrays (an empty list is 204 with no body) and errors `[{"status", "message"}]`.
Source: /work/shared/vendor-facts/bigcommerce.md §2-§3 (bigcommerce/docs reference/*.yml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from storefake import errors as domain
from storefake import wire
from storefake.pagination import total_pages

STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
JSON_TYPE = "application/json"

# Neutral error class -> status; looked up along the exception's MRO so vendor subclasses inherit it.
V3_STATUS: dict[type[domain.DomainError], int] = {
    domain.NotFound: 404,
    domain.AlreadyExists: 409,
    domain.Invalid: 422,
    domain.Unauthorized: 401,
    domain.Forbidden: 403,
    domain.TooLarge: 413,
    domain.TooMany: 429,
    domain.Unavailable: 503,
    domain.NotFakedYet: 501,
}
# V2 reports bad input as 400 where V3 says 422.
V2_STATUS = {**V3_STATUS, domain.Invalid: 400}
REFUNDS_PATH = "/payment_actions/refunds"
HTTP_TITLES = {404: "Not Found", 405: "Method Not Allowed", 413: "The request payload is too large."}


class JSONBody(Response):
    """Compact JSON like the vendor sends, `application/json`."""

    media_type = JSON_TYPE

    def render(self, content: Any) -> bytes:
        return wire.dumps(content)  # compact and UTF-8, as the vendor writes it


# formats
def iso8601(timestamp: float) -> str:
    """V3 dates: `2018-08-15T14:48:46+00:00`."""
    return datetime.fromtimestamp(int(timestamp), tz=UTC).isoformat()


def utc_z(timestamp: float) -> str:
    """V3 dates of customers and channels: `2018-11-13T21:42:06Z` (customers.v3.yml, channels.v3.yml examples)."""
    return datetime.fromtimestamp(int(timestamp), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc2822(timestamp: float) -> str:
    """V2 dates: `Tue, 05 Mar 2019 21:40:11 +0000`."""
    return format_datetime(datetime.fromtimestamp(int(timestamp), tz=UTC)).replace("-0000", "+0000")


FOUR_PLACES = Decimal("0.0001")


def money(value: Decimal | float | int | str) -> str:
    """V2 money: a string with four decimals (`"62.6793"`), however many digits come before them.

    The default context's 28 digits can't hold a large stored amount (an order total of 1e300) with its
    four decimals; the context is sized to the amount instead, so it is drawn rather than raising.
    """
    amount = value if isinstance(value, Decimal) else Decimal(str(value))  # a Decimal needs no round trip
    digits = amount.adjusted() + 6  # the whole part, the four decimals and a rounding carry
    if digits <= 28:  # every amount a store really holds: the default context, no Context made per call
        return str(amount.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP))
    return str(amount.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP, context=Context(prec=digits)))


# success bodies
def v3_data(data: Any, status: int = 200, meta: Mapping[str, Any] | None = None) -> Response:
    return JSONBody({"data": data, "meta": dict(meta or {})}, status_code=status)


def v3_pagination(total: int, page: int, limit: int, query: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`meta.pagination`; links are query strings and omit previous/next where there is no such page."""
    pages = total_pages(total, limit)
    count = max(0, min(limit, total - (page - 1) * limit))
    extra = {k: v for k, v in (query or {}).items() if k not in ("page", "limit")}

    def link(target: int) -> str:
        return "?" + urlencode({**extra, "page": target, "limit": limit})

    links: dict[str, str] = {}
    if page > 1:
        links["previous"] = link(min(page - 1, max(pages, 1)))
    links["current"] = link(page)
    if page < pages:
        links["next"] = link(page + 1)
    return {
        "total": total,
        "count": count,
        "per_page": limit,
        "current_page": page,
        "total_pages": pages,
        "links": links,
    }


def v3_list(
    items: Sequence[Any],
    total: int,
    page: int,
    limit: int,
    query: Mapping[str, str] | None = None,
    extra_meta: Mapping[str, Any] | None = None,
) -> Response:
    meta = {"pagination": v3_pagination(total, page, limit, query), **(extra_meta or {})}
    return JSONBody({"data": list(items), "meta": meta})


def v3_batch(data: Sequence[Any], failure: domain.DomainError | None, meta: Mapping[str, Any]) -> Response:
    """A batch write that succeeds item by item: 200 `{data, errors: [], meta}`, or, when `failure` lists
    failed items, its status (422) with the successes still in `data` (metafield specs' partial success)."""
    if failure is None:
        return JSONBody({"data": list(data), "errors": [], "meta": dict(meta)})
    status = _status_of(failure, V3_STATUS)
    body = {"data": list(data), "errors": [error_body_v3(status, failure)], "meta": dict(meta)}
    return JSONBody(body, status_code=status)


def v2_json(data: Any, status: int = 200) -> Response:
    return JSONBody(data, status_code=status)


def v2_list(items: Sequence[Any]) -> Response:
    """A V2 collection; an empty one is 204 with no body (vendor-facts §3, issues I1/I2)."""
    if not items:
        return Response(status_code=204)
    return JSONBody(list(items))


def no_content() -> Response:
    return Response(status_code=204)


# errors
def is_v2(request: Request) -> bool:
    return "/v2/" in request.url.path


def _status_of(exc: domain.DomainError, table: Mapping[type[domain.DomainError], int]) -> int:
    for cls in type(exc).__mro__:
        if cls in table:
            return table[cls]
    return 400


def error_body_v3(status: int, exc: domain.DomainError) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "title": exc.render_text(), "type": STATUS_TYPE}
    errors = exc.errors
    body["errors"] = dict(errors) if isinstance(errors, Mapping) else {}
    body.update(exc.detail)
    return body


def error_body_v2(status: int, exc: domain.DomainError) -> list[dict[str, Any]]:
    item: dict[str, Any] = {"status": status, "message": exc.render_text()}
    if exc.detail:
        item["details"] = dict(exc.detail)
    return [item]


def render_error(request: Request, exc: Exception) -> Response:
    """The one BigCommerce error renderer (V3 or V2 shape by path); given to its `Surface` (dispatch.py)."""
    headers: dict[str, str] = {}
    if isinstance(exc, HTTPException):
        headers.update(exc.headers or {})  # e.g. Allow on a 405 (RFC 9110)
        title = HTTP_TITLES.get(exc.status_code, str(exc.detail))
        error: domain.DomainError = domain.DomainError(title)
        status = exc.status_code
        if exc.status_code == 404 and is_v2(request):
            error = domain.NotFound()
    else:
        assert isinstance(exc, domain.DomainError)
        error = exc
        status = _status_of(error, V2_STATUS if is_v2(request) else V3_STATUS)
    if isinstance(error, domain.TooMany):
        headers["X-Retry-After"] = str(max(1, int(error.retry_after_seconds + 0.999)))
    if is_v2(request):
        return JSONBody(error_body_v2(status, error), status_code=status, headers=headers)
    if status == 422 and request.method == "POST" and request.url.path.endswith(REFUNDS_PATH):
        # orders.v3.yml documents a refund's 422 as {"data": [{status, title, type}]}.
        body = error_body_v3(status, error)
        return JSONBody(
            {"data": [{k: body[k] for k in ("status", "title", "type")}]}, status_code=status, headers=headers
        )
    return JSONBody(error_body_v3(status, error), status_code=status, headers=headers)
