from __future__ import annotations

import httpx
import pytest

from storefake.contracts.capture import CaptureError, capture, resolve

DOCUMENT = {"data": [{"id": 7, "odd key": "x"}, {"id": 8}], "meta": {"pagination": {"total": 2}}}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("$", DOCUMENT),
        ("$.data[0].id", 7),
        ("$.data[-1].id", 8),
        ("$.data[0]['odd key']", "x"),
        ("$.meta.pagination.total", 2),
        ("$.data.length", 2),
    ],
)
def test_resolve(path, value):
    assert resolve(DOCUMENT, path) == value


@pytest.mark.parametrize("path", ["data", "$.nothing", "$.data[5]", "$.data[0].id.more", "$..id"])
def test_resolve_errors(path):
    with pytest.raises(CaptureError):
        resolve(DOCUMENT, path)


def test_capture_status_and_headers():
    headers = httpx.Headers({"X-Rate-Limit-Requests-Left": "35"})
    assert capture("status", status=201, headers=headers, body=None) == 201
    assert capture("header:x-rate-limit-requests-left", status=200, headers=headers, body=None) == "35"
    with pytest.raises(CaptureError):
        capture("header:X-Missing", status=200, headers=headers, body=None)
