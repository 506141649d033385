"""How ACCS and IMS answers look on the wire: the JSON response class, dates, and the error renderers.

Only this module knows statuses and body shapes. Magento's REST renderer (Webapi Rest/Response.php
`_renderMessages`, ErrorProcessor::maskException) sends `message` (raw template), then `errors` (only
when several, each with `parameters` even if empty), then `parameters` (only if non-empty: an object
for named placeholders, an array for `%1`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from storefake import wire
from storefake.adobe import errors as E
from storefake.errors import (
    AlreadyExists,
    DomainError,
    Forbidden,
    Invalid,
    NotFakedYet,
    NotFound,
    TooLarge,
    TooMany,
    Unauthorized,
    Unavailable,
    UnknownTenant,
)

MAGENTO_METHODS = frozenset({"GET", "POST", "PUT", "DELETE"})
STATUS_BY_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (NotFound, 404),
    (Unauthorized, 401),
    (Forbidden, 403),
    (TooLarge, 413),
    (TooMany, 429),
    (Unavailable, 503),
    (NotFakedYet, 501),
    (AlreadyExists, 400),
    (Invalid, 400),
)


class MagentoJSON(Response):
    """JSON the way Magento sends it: compact, ASCII-escaped like PHP's json_encode, charset in the header.

    Headers are built directly (Starlette only appends a charset to text/* types, and this is the
    hottest object of the fake: every answer is one).
    """

    media_type = "application/json"

    def __init__(self, content: Any, status_code: int = 200, headers: Mapping[str, str] | None = None) -> None:
        self.status_code = status_code
        self.background = None
        self.body = wire.dumps(content, ascii_only=True)
        self.raw_headers = [
            (b"content-length", str(len(self.body)).encode()),
            (b"content-type", b"application/json; charset=utf-8"),
        ]
        for key, value in (headers or {}).items():
            self.raw_headers.append((key.lower().encode("latin-1"), value.encode("latin-1")))


@functools.lru_cache(maxsize=64)
def _format_second(second: int) -> str:
    return datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def format_datetime(epoch: float) -> str:
    """Magento's DB datetime: `YYYY-MM-DD HH:MM:SS`, UTC (cached: a busy second formats once)."""
    return _format_second(int(epoch))


def status_of(exc: DomainError) -> int:
    for kind, status in STATUS_BY_KIND:
        if isinstance(exc, kind):
            return status
    return 400


def _parameters(exc: DomainError) -> Any:
    params = exc.parameters
    if isinstance(params, Mapping):
        return dict(params)
    return list(params) if params else []


def error_body(exc: DomainError) -> dict[str, Any]:
    """Magento's error document for one domain error."""
    body: dict[str, Any] = {"message": exc.message_template}
    if exc.errors and not isinstance(exc.errors, Mapping):
        body["errors"] = [{"message": e.message_template, "parameters": _parameters(e)} for e in exc.errors]
    params = _parameters(exc)
    if params:
        body["parameters"] = params
    return body


def _http_error(request: Request, exc: HTTPException) -> DomainError:
    if exc.status_code == 405 and request.method not in MAGENTO_METHODS:
        return E.InvalidMethod()
    if exc.status_code in (404, 405):
        return E.NoRoute()
    if exc.status_code == 413:
        return TooLarge()
    return Invalid(str(exc.detail))


def render_error(request: Request, exc: Exception) -> Response:
    """THE ACCS error renderer: any domain error or Starlette HTTPException → Magento's JSON error."""
    if isinstance(exc, HTTPException):
        exc = _http_error(request, exc)
    elif isinstance(exc, UnknownTenant):
        exc = E.NoRoute()  # strict mode: an unknown tenant looks like an unknown URL
    elif not isinstance(exc, DomainError):
        exc = Invalid(str(exc))
    headers = None
    if isinstance(exc, TooMany) and exc.retry_after_seconds:
        headers = {"Retry-After": str(max(1, round(exc.retry_after_seconds)))}
    return MagentoJSON(error_body(exc), status_code=status_of(exc), headers=headers)


def render_ims_error(request: Request, exc: Exception) -> Response:
    """IMS errors in the OAuth 2 shape {"error", "error_description"}."""
    if isinstance(exc, E.ImsError):
        return MagentoJSON({"error": exc.error, "error_description": exc.description}, status_code=400)
    if isinstance(exc, HTTPException):
        status = 404 if exc.status_code == 405 else exc.status_code
        code = "not_found" if status == 404 else "invalid_request"
        return MagentoJSON({"error": code, "error_description": str(exc.detail)}, status_code=status)
    if isinstance(exc, DomainError):
        status = status_of(exc)
        code = "server_error" if status >= 500 else "too_many_requests" if status == 429 else "invalid_request"
        return MagentoJSON({"error": code, "error_description": exc.render_text()}, status_code=status)
    return MagentoJSON({"error": "invalid_request", "error_description": str(exc)}, status_code=400)


# --- partial responses (`?fields=`) --------------------------------------------------------------------

# Magento's FieldsFilter takes letters, digits, underscores, brackets and commas (PCRE `\w`, ASCII).
FIELDS_CHARACTERS = re.compile(r"[^\w\[\],]", re.ASCII)


def trim_fields(content: Any, fields: Any) -> Any:
    """Webapi's FieldsFilter on a success answer: `fields=items[id,email],total_count` keeps those keys.

    Applied when `fields` is truthy to PHP ("" and "0" are not) and the answer is an object or a list; a
    malformed filter (other characters, unbalanced brackets) or an array parameter (`fields[]=x`) turns the
    answer into `[]`, and an empty list under a nested filter into `null`, as Magento's filter does.
    """
    if not isinstance(content, dict | list) or fields in (None, "", "0") or fields == {}:
        return content
    spec = parse_fields(fields) if isinstance(fields, str) else None
    if spec is None:
        return []
    return _apply_fields(content, spec)


def parse_fields(text: str) -> dict[str, Any] | None:
    """FieldsFilter::parse: `a,b[c,d[e]]` → {"a": 1, "b": {"c": 1, "d": {"e": 1}}}; None when malformed."""
    if not text or FIELDS_CHARACTERS.search(text):
        return None
    current: dict[str, Any] = {}
    stack: list[dict[str, Any]] = []
    parents: list[str] = []
    start: int | None = None
    element = ""
    for position, char in enumerate(text):
        if char in "[],":
            if start is not None:
                element = text[start:position]
                current[element] = 1
            start = None
        if char == "[":
            parents.append(element)
            stack.append(current)
            current = {}
        elif char == "]":
            inner = current
            current = stack.pop() if stack else {}  # PHP pops null off an empty stack, then writes into it
            current[parents.pop() if parents else ""] = inner
        elif char != "," and start is None:
            start = position
    if stack:
        return None
    if start is not None:
        current[text[start:]] = 1
    return current


def _apply_fields(content: dict[str, Any] | list[Any], spec: dict[str, Any]) -> Any:
    # An empty PHP array is a list to the filter: nothing to intersect, so PHP's result stays null.
    if not content:
        return None
    if isinstance(content, list):
        return [_intersect(item, spec) if isinstance(item, dict) else item for item in content]
    return _intersect(content, spec)


def _intersect(item: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    kept = {key: value for key, value in item.items() if key in spec}
    for key, value in kept.items():
        inner = spec[key]
        if isinstance(value, dict | list) and isinstance(inner, dict):
            kept[key] = _apply_fields(value, inner)
    return kept


# --- customer groups ---------------------------------------------------------------------------------------


def group_json(group: Any, groups: Any, extension: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A GroupInterface: id, code, tax_class_id, tax_class_name, then extension_attributes when there are any.

    `extension` is what a save request sent (GroupRepository::save hands the request's extension attributes
    back); otherwise excluded websites are shown when the group has some.
    """
    out: dict[str, Any] = {"id": group.id, "code": group.code, "tax_class_id": group.tax_class_id}
    name = groups.tax_class_name(group)
    if name is not None:
        out["tax_class_name"] = name
    if extension:
        out["extension_attributes"] = dict(extension)
    elif group.excluded_website_ids:
        out["extension_attributes"] = {"exclude_website_ids": list(group.excluded_website_ids)}
    return out


# --- attribute metadata ------------------------------------------------------------------------------------


def attribute_json(attribute: Any, options: list[tuple[str, str]]) -> dict[str, Any]:
    """An AttributeMetadataInterface in its getters' order (attribute_code, from the parent interface, last)."""
    a = attribute
    used, visible, filterable, searchable = a.grid
    return {
        "frontend_input": a.input,
        "input_filter": a.input_filter,
        "store_label": a.label,
        "validation_rules": [{"name": name, "value": value} for name, value in a.validate_rules],
        "multiline_count": a.multiline_count,
        "visible": a.visible,
        "required": a.required,
        "data_model": a.data_model,
        "options": [{"label": label, "value": value} for label, value in options],
        "frontend_class": a.css_class,
        "user_defined": a.user_defined,
        "sort_order": a.sort_order,
        "frontend_label": a.label,
        "note": a.note,
        "system": a.system,
        "backend_type": a.backend_type,
        "is_used_in_grid": used,
        "is_visible_in_grid": visible,
        "is_filterable_in_grid": filterable,
        "is_searchable_in_grid": searchable,
        "attribute_code": a.code,
    }


# --- customers and addresses -----------------------------------------------------------------------------

ADDRESS_ORDER = (
    "company",
    "telephone",
    "fax",
    "postcode",
    "city",
    "firstname",
    "lastname",
    "middlename",
    "prefix",
    "suffix",
    "vat_id",
)


def customer_json(customer: Any, *, omit: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A CustomerInterface as Magento serialises it: fields in getter order, unset ones left out."""
    c = customer
    extra = c.extra or {}
    out: dict[str, Any] = {"id": c.id, "group_id": c.group_id}
    if c.default_billing is not None:
        out["default_billing"] = c.default_billing
    if c.default_shipping is not None:
        out["default_shipping"] = c.default_shipping
    if "confirmation" in extra and "confirmation" not in omit:
        out["confirmation"] = extra["confirmation"]
    out["created_at"] = c.created_at
    out["updated_at"] = c.updated_at
    out["created_in"] = c.created_in
    if "dob" in extra:
        out["dob"] = extra["dob"]
    out["email"] = c.email
    out["firstname"] = c.firstname
    out["lastname"] = c.lastname
    for name in ("middlename", "prefix", "suffix", "gender"):
        if name in extra:
            out[name] = extra[name]
    out["store_id"] = c.store_id
    if "taxvat" in extra:
        out["taxvat"] = extra["taxvat"]
    out["website_id"] = c.website_id
    out["addresses"] = [address_json(a, c) for a in c.addresses]
    if "disable_auto_group_change" not in omit:
        out["disable_auto_group_change"] = c.disable_auto_group_change
    for name in ("extension_attributes", "custom_attributes"):
        if name in extra:
            out[name] = extra[name]
    return out


def address_json(address: Any, customer: Any) -> dict[str, Any]:
    """An AddressInterface; a missing region reads {"region_code": null, "region": null, "region_id": 0}."""
    data = address.data
    region = data.get("region") or {}
    region_id = data.get("region_id", region.get("region_id")) or 0
    out: dict[str, Any] = {
        "id": address.id,
        "customer_id": customer.id,
        "region": {
            "region_code": region.get("region_code"),
            "region": region.get("region"),
            "region_id": region.get("region_id", region_id) or 0,
        },
        "region_id": region_id,
    }
    if "country_id" in data:
        out["country_id"] = data["country_id"]
    if "street" in data:
        out["street"] = list(data["street"])
    for name in ADDRESS_ORDER:
        if data.get(name) is not None:
            out[name] = data[name]
    if customer.default_shipping == str(address.id):
        out["default_shipping"] = True
    if customer.default_billing == str(address.id):
        out["default_billing"] = True
    for name in ("custom_attributes", "extension_attributes"):
        if data.get(name) is not None:
            out[name] = data[name]
    return out
