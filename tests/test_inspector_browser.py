"""The inspector in headless Chromium (Playwright driving the system's chromium) against a real socket.

Skipped with the reason when chromium or Playwright is missing, unless STOREFAKE_REQUIRE_BROWSER=1 (set by
.ci/run), which makes a missing browser a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket

import httpx
import pytest

import storefake

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BC = "/stores/abc123"
BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}
WAIT_MS = 15_000  # the page polls every second; a loaded machine may take a few


def chromium_path() -> str | None:
    return os.environ.get("STOREFAKE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def unavailable(reason: str) -> None:
    if os.environ.get("STOREFAKE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"STOREFAKE_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def playwright_api():
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    return sync_api


def launch(playwright):
    """The system's chromium, started by Playwright; a skip (or under STOREFAKE_REQUIRE_BROWSER=1 a failure)
    with the reason when there is none or it does not start."""
    executable = chromium_path()
    if executable is None:
        unavailable("no chromium on PATH (Debian: apt-get install chromium; or set STOREFAKE_CHROMIUM)")
    try:
        return playwright.chromium.launch(executable_path=executable, args=ARGS)
    except playwright_api().Error as exc:
        unavailable(f"chromium at {executable} did not start: {exc}")


@pytest.fixture(scope="module")
def playwright():
    with playwright_api().sync_playwright() as started:  # one per thread at a time: the module's tests share it
        yield started


@pytest.fixture(scope="module")
def browser(playwright):
    launched = launch(playwright)
    yield launched
    launched.close()


@pytest.fixture
def missing_chromium(playwright, monkeypatch):
    monkeypatch.setenv("STOREFAKE_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("STOREFAKE_REQUIRE_BROWSER", raising=False)
    return playwright


def test_browser_tests_skip_with_the_reason_when_chromium_is_missing(missing_chromium):
    with pytest.raises(pytest.skip.Exception, match=r"^chromium at /nonexistent/chromium did not start"):
        launch(missing_chromium)


def test_browser_tests_fail_when_a_browser_is_required_and_missing(missing_chromium, monkeypatch):
    monkeypatch.setenv("STOREFAKE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match=r"^STOREFAKE_REQUIRE_BROWSER=1 but chromium at /nonexistent/ch"):
        launch(missing_chromium)


@pytest.fixture
def server():
    with storefake.ThreadedServer() as running:
        yield running


@pytest.fixture
def api(server):
    with httpx.Client(base_url=server.url, headers=BC_TOKEN, timeout=10) as client:
        yield client


@pytest.fixture
def page(browser, server):
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.goto(f"{server.url}/__storefake/")
    yield opened
    context.close()
    assert errors == []


def row(page, text):
    return page.locator("#journal-rows tr", has_text=text)


def test_inspector_loads_with_an_empty_journal(page):
    from playwright.sync_api import expect

    expect(page).to_have_title("storefake inspector")
    expect(page.locator("#journal-empty")).to_contain_text("No requests recorded yet.")
    expect(page.locator("#clock-state")).to_have_text("running")


def test_inspector_shows_a_request_a_client_made(page, api):
    from playwright.sync_api import expect

    expect(page.locator("#journal-empty")).to_be_visible()
    api.get(f"{BC}/v3/catalog/products", params={"limit": 5})
    entry = row(page, "/v3/catalog/products")
    expect(entry).to_contain_text("?limit=5")
    expect(entry).to_contain_text("200")
    entry.click()
    detail = page.locator("#journal-detail")
    expect(detail.locator(".request")).to_contain_text("x-auth-token")
    expect(detail.locator(".request")).to_contain_text("[redacted]")
    expect(detail.locator(".request")).not_to_contain_text("storefake-bc-token")
    expect(detail.locator(".response")).to_contain_text('"data": []')


def test_inspector_filters_by_method_status_vendor_and_path(page, api):
    from playwright.sync_api import expect

    api.get(f"{BC}/v3/catalog/products")
    api.post(f"{BC}/v3/catalog/brands", json={"name": "Acme"})
    api.get(f"{BC}/v3/catalog/nothing-here")
    api.post("/ims/token/v3", data={"grant_type": "client_credentials"})
    rows = page.locator("#journal-rows tr")
    expect(rows).to_have_count(4)
    filters = page.locator("#journal-filters")
    filters.locator("select[name=method]").select_option("POST")
    expect(rows).to_have_count(2)
    filters.locator("select[name=vendor]").select_option("bigcommerce")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("/v3/catalog/brands")
    filters.locator("select[name=method]").select_option("")
    filters.locator("select[name=status]").select_option("4xx")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("/v3/catalog/nothing-here")
    expect(rows).to_contain_text("no route")
    filters.locator("select[name=status]").select_option("")
    filters.locator("input[name=path]").fill("products")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("/v3/catalog/products")
    filters.locator("input[name=path]").fill("zzz")
    expect(page.locator("#journal-empty")).to_contain_text("No request matches these filters.")


def test_inspector_follows_new_requests_under_a_filter(page, api):
    from playwright.sync_api import expect

    page.locator("select[name=method]").select_option("DELETE")
    expect(page.locator("#journal-empty")).to_contain_text("No request matches these filters.")
    api.get(f"{BC}/v3/catalog/products")
    api.delete(f"{BC}/v3/catalog/brands", params={"id:in": "1"})
    expect(page.locator("#journal-rows tr")).to_have_count(1)
    expect(page.locator("#journal-rows tr")).to_contain_text("DELETE")


def test_inspector_shows_a_script_in_a_request_body_as_text(page, api):
    from playwright.sync_api import expect

    payload = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    api.post(f"{BC}/v3/catalog/brands", json={"name": payload})
    entry = row(page, "/v3/catalog/brands")
    entry.click()
    request = page.locator("#journal-detail .request pre")
    expect(request).to_contain_text(payload.replace('"', '\\"'))  # the JSON string, escapes and all
    expect(page.locator("#journal-detail .response pre")).to_contain_text("<script>window.__pwned = 1</script>")
    assert page.locator("#journal-detail script, #journal-detail img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_inspector_reset_forgets_requests_and_records(page, api, server):
    from playwright.sync_api import expect

    api.post(f"{BC}/v3/catalog/brands", json={"name": "Acme"})
    expect(row(page, "/v3/catalog/brands")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#reset").click()
    expect(page.locator("#journal-empty")).to_contain_text("No requests recorded yet.")
    expect(page.locator("#toast")).to_have_text("The fake was reset")
    assert len(server.fake.journal) == 0
    assert len(server.fake.bigcommerce.stores.get("abc123").catalog.taxonomy.brands) == 0


def test_inspector_reset_asks_first(page, api, server):
    from playwright.sync_api import expect

    api.post(f"{BC}/v3/catalog/brands", json={"name": "Acme"})
    expect(row(page, "/v3/catalog/brands")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator("#reset").click()
    page.wait_for_timeout(300)
    assert len(server.fake.bigcommerce.stores.get("abc123").catalog.taxonomy.brands) == 1


def test_inspector_names_the_closest_route_of_a_request_no_route_served(page, api):
    from playwright.sync_api import expect

    api.post(f"{BC}/v3/catalog/product", json={"name": "x"})
    row(page, "/v3/catalog/product").click()
    misses = page.locator("#journal-detail .misses")
    expect(misses).to_contain_text("No route serves this request. Closest routes:")
    expect(misses).to_contain_text("DELETE, GET, POST, PUT /stores/{store_hash}/v3/catalog/products")
    expect(misses).to_contain_text("path differs at segment 5: wants 'products', got 'product'")


def test_inspector_shows_a_stores_records(page, api):
    from playwright.sync_api import expect

    api.post(f"{BC}/v3/catalog/products", json={"name": "Canvas bag", "type": "physical", "weight": 1, "price": 9})
    page.locator(".tabs button[data-tab=records]").click()
    expect(page.locator("#records-title")).to_have_text("abc123 · products")
    record = page.locator("#records-list .record")
    expect(record).to_contain_text("Canvas bag")
    record.locator("summary").click()
    expect(record.locator("pre")).to_contain_text('"sku": ""')
    page.locator('#record-sources button[data-key="AbCYab34cdEfGHiJ27123"][data-collection="customers"]').click()
    expect(page.locator("#records-list")).to_contain_text("No customers in AbCYab34cdEfGHiJ27123 yet.")


def test_inspector_shows_webhook_deliveries_and_their_attempts(page, api):
    from playwright.sync_api import expect

    with socket.socket() as closed:  # a port nothing listens on: every attempt fails
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    hook = {"scope": "store/product/created", "destination": f"http://127.0.0.1:{port}/hook"}
    assert api.post(f"{BC}/v3/hooks", json=hook).status_code == 200
    api.post(f"{BC}/v3/catalog/products", json={"name": "Hooked", "type": "physical", "weight": 1, "price": 1})
    page.locator(".tabs button[data-tab=webhooks]").click()
    delivery = page.locator("#webhooks-list .delivery")
    expect(delivery).to_contain_text("store/product/created")
    page.locator("#webhooks-refresh").click()
    expect(delivery).to_contain_text(re.compile(r"1 attempt · last failed: ConnectionRefusedError"))
    page.locator("#webhooks-flush").click()
    expect(delivery).to_contain_text("2 attempts")
    delivery.locator("summary").click()
    expect(delivery.locator(".attempts tbody tr")).to_have_count(2)
    expect(delivery.locator("pre")).to_contain_text('"scope": "store/product/created"')


def test_inspector_lists_adds_and_removes_mock_rules(page, server):
    from playwright.sync_api import expect

    server.fake.mocks.add({"id": "orders-down", "match": {"method": "POST", "path": "/v2/orders"}, "error": 503})
    page.locator(".tabs button[data-tab=mocks]").click()
    rules = page.locator("#mocks-list .rule")
    expect(rules).to_have_count(1)
    expect(rules).to_contain_text("orders-down")
    page.locator("#mock-text").fill("id: slow\ndelay: 0.1\nmatch: {vendor: adobe}\n")
    page.locator("#mock-add button").click()
    expect(rules).to_have_count(2)
    assert [rule.id for rule in server.fake.mocks] == ["orders-down", "slow"]
    rules.filter(has_text="orders-down").get_by_role("button", name="Remove").click()
    expect(rules).to_have_count(1)
    page.locator("#mock-text").fill("{bad")
    page.locator("#mock-add button").click()
    expect(page.locator("#toast")).to_contain_text("body is not valid JSON or YAML")


def test_inspector_freezes_and_advances_the_clock(page, server):
    from playwright.sync_api import expect

    page.locator("#clock-freeze").click()
    expect(page.locator("#clock-state")).to_have_text("frozen")
    frozen_at = server.fake.clock.now()
    page.get_by_role("button", name="+1 h").click()
    expect(page.locator("#toast")).to_have_text("Fake clock advanced by 3600 s")
    assert server.fake.clock.now() == frozen_at + 3600
    page.locator("#clock-freeze").click()
    expect(page.locator("#clock-state")).to_have_text("running")
