"""The operation lists (contracts/operations/) against the app's routes, and the committed COVERAGE.md.

When a route lands, these tell its author what to do: a served route missing from the lists means the
lists need regenerating (tools/operations.py) or an extra entry; a stale COVERAGE.md means
`storefake coverage --write COVERAGE.md`.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import yaml
from starlette.routing import Route

import storefake
from storefake import coverage
from storefake.bigcommerce.render import STATUS_TYPE
from storefake.cli import main
from storefake.resources import default_fixtures_path
from storefake.transport import SyncASGITransport

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "COVERAGE.md"


@pytest.fixture(scope="module")
def result():
    return coverage.coverage()


def test_coverage_every_served_route_is_listed(result):
    assert result.unlisted == [], "add these to contracts/operations/ (python tools/operations.py, or its *_EXTRA)"


def test_coverage_document_is_current(result):
    assert DOCUMENT.read_text(encoding="utf-8") == coverage.markdown(result), (
        "COVERAGE.md is stale: run `storefake coverage --write COVERAGE.md`"
    )


@pytest.mark.parametrize("vendor", coverage.VENDORS)
def test_operations_each_listed_once(vendor):
    keys = [op.key for op in coverage.operations(vendor)]
    assert len(keys) == len(set(keys))


def test_operations_unknown_vendor():
    with pytest.raises(KeyError, match="shopify"):
        coverage.operations("shopify")


def test_coverage_counts_a_route_as_faking_its_operation():
    route = Route("/stores/{store_hash}/v3/inventory/items", lambda request: None, methods=["GET"])
    done = {op.operation: faked for op, faked in coverage.coverage([route]).faked["bigcommerce"]}
    assert (done["get-inventory-items"], done["getProducts"]) == (True, False)


def test_coverage_names_a_served_route_no_list_has():
    route = Route("/stores/{store_hash}/v3/carts", lambda request: None, methods=["POST"])
    assert coverage.coverage([route]).unlisted == [("POST", "/stores/{}/v3/carts")]


def test_coverage_check_stale_document(tmp_path, capsys):
    stale = tmp_path / "COVERAGE.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert main(["coverage", "--check", str(stale)]) == 1
    assert capsys.readouterr().err == (f"storefake: {stale} is stale: run `storefake coverage --write {stale}`\n")


def test_coverage_write_then_check(tmp_path, capsys):
    target = tmp_path / "COVERAGE.md"
    assert main(["coverage", "--write", str(target)]) == 0
    assert main(["coverage", "--check", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bigcommerce: ")
    assert "adobe: " in out


def test_coverage_check_missing_file(tmp_path, capsys):
    assert main(["coverage", "--check", str(tmp_path / "nope.md")]) == 2
    assert capsys.readouterr().err == f"storefake: cannot read {tmp_path / 'nope.md'}: No such file or directory\n"


def test_unimplemented_literal_segment_beats_a_parameter():
    index = coverage.Unimplemented("bigcommerce", "/stores/{store_hash}", [])
    found = index.find("GET", "/v3/catalog/products/channel-assignments")
    assert found is not None
    assert found.operation == "getProductsChannelAssignments"


def test_unimplemented_route_with_a_parameter_there_defers_to_the_literal():
    index = coverage.Unimplemented("bigcommerce", "/stores/{store_hash}", [])
    path = "/v3/catalog/products/channel-assignments"
    assert index.find("GET", path, route_path="/v3/catalog/products/{product_id}") is not None
    assert index.find("GET", "/v3/catalog/products/12", route_path="/v3/catalog/products/{product_id}") is None


# --- the 501 for operations not faked yet ---------------------------------------------------------------

STORE, TENANT, BC_TOKEN, ALL_TOKEN = "abc123", "AbCYab34cdEfGHiJ27123", "storefake-bc-token", "every-scope-token"
IMS_FORM = {
    "grant_type": "client_credentials",
    "client_id": "storefake-accs-client",
    "client_secret": "storefake-accs-secret",
    "scope": "commerce.accs",
}


def every_scope() -> list[str]:
    """Every scope the fake checks: the walk is for callers the vendor lets in."""
    from storefake.bigcommerce import auth

    named = [s for _, scopes in auth.SCOPE_BY_PREFIX if scopes for s in scopes]
    return sorted({*named, *auth.TRANSACTIONS, *auth.PAYMENT_ACTIONS})


@pytest.fixture(scope="module")
def fake_client(tmp_path_factory):
    fixtures = yaml.safe_load(default_fixtures_path().read_text(encoding="utf-8"))
    store = next(s for s in fixtures["bigcommerce"]["stores"] if s["store_hash"] == STORE)
    store["accounts"].append(
        {"name": "all", "client_id": "c", "client_secret": "s", "access_token": ALL_TOKEN, "scopes": every_scope()}
    )
    path = tmp_path_factory.mktemp("fixtures") / "every-scope.yaml"
    path.write_text(yaml.safe_dump(fixtures), encoding="utf-8")
    app = storefake.create_app(fixtures=str(path))
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
        client.app = app
        yield client


@pytest.fixture(scope="module")
def ims_token(fake_client):
    return fake_client.post("/ims/token/v3", data=IMS_FORM).json()["access_token"]


def concrete(path: str) -> str:
    path = path.replace("{store_hash}", STORE).replace("{tenant_id}", TENANT)
    return re.sub(r"\{[^}]*\}", "1", path)


def expected_body(op: coverage.Operation) -> object:
    text = f"storefake does not fake this operation yet: {op.method} {op.path} ({op.operation})."
    if op.path.startswith("/stores/") and "/v2/" in op.path:
        return [{"status": 501, "message": text}]
    if op.path.startswith(("/stores/", "/oauth2/")):
        return {"status": 501, "title": text, "type": STATUS_TYPE, "errors": {}}
    if op.path.startswith("/ims/"):
        return {"error": "server_error", "error_description": text}
    template = "storefake does not fake this operation yet: %method %path (%operation)."
    return {"message": template, "parameters": {"method": op.method, "path": op.path, "operation": op.operation}}


@pytest.mark.parametrize("vendor", coverage.VENDORS)
def test_not_faked_operations_answer_501(vendor, fake_client, ims_token):
    """Every listed operation no route serves: 501, the vendor's envelope naming it, the header naming it."""
    headers = {"X-Auth-Token": ALL_TOKEN, "Authorization": f"Bearer {ims_token}", "Content-Type": "application/json"}
    wrong = []
    for op in coverage.coverage(fake_client.app.routes).not_faked(vendor):
        response = fake_client.request(op.method, concrete(op.path), headers=headers, content=b"{}")
        seen = (response.status_code, response.json(), response.headers.get("x-storefake-unimplemented"))
        if seen != (501, expected_body(op), f"{op.family} {op.operation}"):
            wrong.append((op.method, op.path, seen))
    assert wrong == []


def test_not_faked_bigcommerce_bad_token_is_401_first(fake_client):
    response = fake_client.get(f"/stores/{STORE}/v3/hooks/admin", headers={"X-Auth-Token": "x"})
    assert response.status_code == 401
    assert response.json()["title"].startswith("Unauthorized - the v3 Auth client ID or token")


def test_not_faked_adobe_without_token_is_401_naming_the_operations_acl(fake_client):
    response = fake_client.get(f"/{TENANT}/V1/customers/companies")
    assert response.status_code == 401
    assert response.json() == {
        "message": "The consumer isn't authorized to access %resources.",
        "parameters": {"resources": "Magento_Company::index"},
    }


def test_not_faked_literal_segment_is_never_an_id(fake_client, ims_token):
    bc = fake_client.get(f"/stores/{STORE}/v3/hooks/admin", headers={"X-Auth-Token": BC_TOKEN})
    adobe = fake_client.get(f"/{TENANT}/V1/customers/companies", headers={"Authorization": f"Bearer {ims_token}"})
    assert (bc.status_code, adobe.status_code) == (501, 501)


def test_not_faked_served_route_missing_record_stays_404(fake_client):
    response = fake_client.get(f"/stores/{STORE}/v3/catalog/products/987654", headers={"X-Auth-Token": BC_TOKEN})
    assert response.status_code == 404
    assert "x-storefake-unimplemented" not in response.headers


def test_not_faked_request_is_marked_in_the_journal(fake_client):
    fake_client.get(f"/stores/{STORE}/v3/hooks/admin", headers={"X-Auth-Token": BC_TOKEN})
    entry = fake_client.app.state.fake.journal.last
    assert entry.to_dict()["unimplemented"] == {"operation": "getHooksAdmin", "family": "webhooks"}


def test_not_faked_adobe_trailing_slash_is_trimmed_as_for_served_routes(fake_client, ims_token):
    # Magento trims the path before routing: `/V1/customers/companies/` is the same not-faked operation.
    response = fake_client.get(f"/{TENANT}/V1/customers/companies/", headers={"Authorization": f"Bearer {ims_token}"})
    assert response.status_code == 501
    assert response.headers["x-storefake-unimplemented"].startswith("companies ")
