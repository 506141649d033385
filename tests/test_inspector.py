"""The inspector's files as the app serves them (the page itself is tested in test_inspector_browser.py)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def static(name: str) -> str:
    return resources.files("storefake.inspector").joinpath("static", name).read_text(encoding="utf-8")


def test_page_is_served_with_a_strict_content_security_policy(client):
    response = client.get("/__storefake/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<title>storefake inspector</title>" in response.text


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("inspector.js", "text/javascript; charset=utf-8"), ("inspector.css", "text/css; charset=utf-8")],
)
def test_assets_are_served_with_their_type(client, name, media_type):
    response = client.get(f"/__storefake/inspector/{name}")
    assert (response.status_code, response.headers["content-type"]) == (200, media_type)
    assert response.text == static(name)


@pytest.mark.parametrize("name", ["index.html", "nope.js", "..%2f__init__.py", "%2e%2e"])
def test_asset_refuses_any_other_name(client, name):
    response = client.get(f"/__storefake/inspector/{name}")
    assert (response.status_code, response.json()) == (404, {"error": "Not Found"})


def test_control_prefix_alone_redirects_to_the_page(client):
    response = client.get("/__storefake", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (307, "/__storefake/")


def test_page_and_assets_are_not_journaled(client, fake):
    client.get("/__storefake")
    client.get("/__storefake/")
    client.get("/__storefake/inspector/inspector.js")
    assert len(fake.journal) == 0


def test_page_loads_only_its_own_files():
    html = static("index.html")
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "data:,",
        "inspector/inspector.css",
        "inspector/inspector.js",
    ]
    assert "<script>" not in html  # no inline script: the CSP would refuse it anyway
    assert not re.search(r"<[^>]*\son\w+=", html)  # no inline event handlers


def test_script_never_parses_html_from_data():
    script = static("inspector.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
