"""render_error and render_ims_error on every domain error kind (the fault injector calls them directly)."""

from __future__ import annotations

import json

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request

from storefake.adobe import errors as E
from storefake.adobe.render import format_datetime, parse_fields, render_error, render_ims_error, trim_fields
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


# --- partial responses (FieldsFilter) ----------------------------------------------------------------


CUSTOMER = {
    "id": 7,
    "email": "ann@example.com",
    "addresses": [{"id": 1, "city": "Austin", "region": {"region_code": "TX", "region": "Texas", "region_id": 57}}],
    "extension_attributes": {"is_subscribed": False},
}


def test_parse_fields_nested():
    assert parse_fields("a,b[c,d[e]],f") == {"a": 1, "b": {"c": 1, "d": {"e": 1}}, "f": 1}


@pytest.mark.parametrize("text", ["a b", "a[b", "é", "a;b", ""])
def test_parse_fields_malformed_is_none(text):
    assert parse_fields(text) is None


def test_trim_fields_top_level_and_nested_lists():
    spec = "id,addresses[city,region[region_code]]"
    assert trim_fields(CUSTOMER, spec) == {"id": 7, "addresses": [{"city": "Austin", "region": {"region_code": "TX"}}]}


def test_trim_fields_whole_object_without_brackets():
    assert trim_fields(CUSTOMER, "extension_attributes") == {"extension_attributes": {"is_subscribed": False}}


def test_trim_fields_a_list_answer_trims_each_item():
    assert trim_fields([{"a": 1, "b": 2}, {"a": 3}], "a") == [{"a": 1}, {"a": 3}]


def test_trim_fields_unknown_names_leave_an_empty_object():
    assert trim_fields(CUSTOMER, "nothing") == {}


def test_trim_fields_malformed_filter_answers_an_empty_list():
    assert trim_fields(CUSTOMER, "id email") == []
    assert trim_fields(CUSTOMER, {"0": "id"}) == []  # fields[]=id reaches PHP as an array


@pytest.mark.parametrize("fields", [None, "", "0"])
def test_trim_fields_falsy_parameter_is_ignored(fields):
    assert trim_fields(CUSTOMER, fields) == CUSTOMER


def test_trim_fields_scalar_answer_is_untouched():
    assert trim_fields(True, "id") is True


def test_trim_fields_empty_nested_list_becomes_null():
    assert trim_fields({"items": [], "total_count": 0}, "items[id],total_count") == {"items": None, "total_count": 0}
