"""render_error and render_ims_error on every domain error kind (the fault injector calls them directly)."""

from __future__ import annotations

import json

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request

from storefake.adobe import errors as E
from storefake.adobe.render import format_datetime, render_error, render_ims_error
from storefake.errors import (
    AlreadyExists,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    TooLarge,
    TooMany,
    Unauthorized,
    Unavailable,
    UnknownTenant,
)


def request(method: str = "GET") -> Request:
    return Request({"type": "http", "method": method, "path": "/T/V1/customers", "headers": []})


def rendered(exc: Exception, method: str = "GET") -> tuple[int, dict, dict]:
    response = render_error(request(method), exc)
    return response.status_code, json.loads(response.body), dict(response.headers)


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (NotFound(), 404),
        (AlreadyExists(), 400),
        (Invalid(), 400),
        (Unauthorized(), 401),
        (Forbidden(), 403),
        (TooLarge(), 413),
        (TooMany(), 429),
        (Unavailable(), 503),
        (DomainError(), 400),
    ],
)
def test_every_domain_error_kind(exc, status):
    code, body, headers = rendered(exc)
    assert (code, body) == (status, {"message": exc.message_template})
    assert headers["content-type"] == "application/json; charset=utf-8"


def test_too_many_sets_retry_after():
    code, _body, headers = rendered(TooMany("Too many requests.", retry_after_seconds=2.4))
    assert (code, headers["retry-after"]) == (429, "2")


def test_unknown_tenant_reads_as_no_route():
    assert rendered(UnknownTenant(parameters={"tenant": "x"}))[:2] == (
        404,
        {"message": "Request does not match any route."},
    )


@pytest.mark.parametrize(
    ("status", "method", "expected"),
    [
        (404, "GET", (404, {"message": "Request does not match any route."})),
        (405, "GET", (404, {"message": "Request does not match any route."})),
        (405, "PATCH", (400, {"message": "Request method is invalid."})),
        (413, "POST", (413, {"message": "The request is too large."})),
    ],
)
def test_http_exceptions(status, method, expected):
    assert rendered(HTTPException(status), method)[:2] == expected


def test_positional_and_named_parameters():
    assert rendered(E.PasswordTooLong(256))[1] == {
        "message": "Please enter a password with at most %1 characters.",
        "parameters": [256],
    }
    assert rendered(E.NoSuchEntity("customerId", 5))[1]["parameters"] == {"fieldName": "customerId", "fieldValue": 5}


def test_ims_renderer():
    response = render_ims_error(request("POST"), E.ImsInvalidClient("invalid client_id parameter"))
    assert (response.status_code, json.loads(response.body)) == (
        400,
        {"error": "invalid_client", "error_description": "invalid client_id parameter"},
    )
    busy = render_ims_error(request("POST"), Unavailable())
    assert (busy.status_code, json.loads(busy.body)["error"]) == (503, "server_error")


def test_format_datetime():
    assert format_datetime(1769200815.9) == "2026-01-23 20:40:15"
