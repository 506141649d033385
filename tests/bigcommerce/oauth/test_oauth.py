"""POST /oauth2/token: an app install exchanges a control-API code for a token with exactly the granted scopes."""

from __future__ import annotations

import pytest

CLIENT_ID = "storefake-app-client"
SECRET = "storefake-app-secret"
REDIRECT = "https://app.example.com/auth/callback"
GRANT_DESCRIPTION = (
    "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI "
    "used in the authorization request, or was issued to another client."
)


def issue(client, **extra):
    body = {"client_id": CLIENT_ID, "store_hash": "abc123", **extra}
    response = client.post("/__storefake/bigcommerce/oauth/codes", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def form(code, **extra):
    return {
        "client_id": CLIENT_ID,
        "client_secret": SECRET,
        "code": code,
        "scope": "store_v2_products",
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
        "context": "stores/abc123",
        **extra,
    }


def test_issue_code_gives_the_callback_parameters(client):
    issued = issue(client, scope="store_v2_products store_v2_orders_read_only")
    assert issued["scope"] == "store_v2_products store_v2_orders_read_only"
    assert issued["context"] == "stores/abc123"
    assert issued["redirect_uri"] == REDIRECT
    assert issued["callback_url"].startswith(REDIRECT + "?code=" + issued["code"])
    assert len(issued["account_uuid"]) == 36


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"client_id": "nope", "store_hash": "abc123"},
        {"client_id": CLIENT_ID},
        {"client_id": CLIENT_ID, "store_hash": "abc123", "scope": 5},
    ],
)
def test_issue_code_refuses_bad_requests(client, body):
    response = client.post("/__storefake/bigcommerce/oauth/codes", json=body)
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("encoding", ["json", "data"])
def test_exchange_code_for_a_token(client, fake, encoding):
    issued = issue(client)
    response = client.post("/oauth2/token", **{encoding: form(issued["code"])})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "scope", "user", "owner", "context", "account_uuid"}
    assert body["scope"] == "store_v2_products store_v2_orders store_v2_customers"
    assert body["user"] == {"id": 1, "username": "owner@example.com", "email": "owner@example.com"}
    assert body["owner"] == body["user"]
    assert body["context"] == "stores/abc123"
    assert body["account_uuid"] == issued["account_uuid"]
    account = fake.bigcommerce.account_for(body["access_token"])
    assert account.client_id == CLIENT_ID
    assert account.store_hash == "abc123"


def test_token_works_with_exactly_the_granted_scopes(client):
    issued = issue(client, scope=["store_v2_products", "store_v2_orders_read_only"])
    token = client.post("/oauth2/token", json=form(issued["code"])).json()["access_token"]
    headers = {"X-Auth-Token": token}
    assert client.get("/stores/abc123/v3/catalog/products", headers=headers).status_code == 200
    assert client.get("/stores/abc123/v2/order_statuses", headers=headers).status_code == 200
    assert client.post("/stores/abc123/v2/orders", headers=headers, json={}).status_code == 403
    response = client.get("/stores/abc123/v3/customers", headers=headers)
    assert response.status_code == 403
    assert response.json()["title"] == "You don't have a required scope to access the endpoint"
    assert client.get("/stores/abc123/v3/hooks", headers=headers).status_code == 200
    assert client.get("/stores/def456/v3/hooks", headers=headers).status_code == 401


def test_account_uuid_is_stable_per_store(client):
    assert issue(client)["account_uuid"] == issue(client)["account_uuid"]


def test_wrong_client_id(client):
    issued = issue(client)
    response = client.post("/oauth2/token", json=form(issued["code"], client_id="someone-else"))
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid client id."}


def test_wrong_client_secret(client):
    issued = issue(client)
    response = client.post("/oauth2/token", json=form(issued["code"], client_secret="guess"))
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "Parameter client_secret does not match",
    }


def test_unknown_code(client):
    response = client.post("/oauth2/token", json=form("not-a-code"))
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid code."}


def test_reused_code(client):
    issued = issue(client)
    assert client.post("/oauth2/token", json=form(issued["code"])).status_code == 200
    response = client.post("/oauth2/token", json=form(issued["code"]))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": GRANT_DESCRIPTION}


@pytest.mark.parametrize("override", [{"redirect_uri": "https://evil.example.com/cb"}, {"context": "stores/def456"}])
def test_mismatched_redirect_uri_or_context(client, override):
    issued = issue(client)
    response = client.post("/oauth2/token", json=form(issued["code"], **override))
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": GRANT_DESCRIPTION}
    # The failed attempt did not burn the code.
    assert client.post("/oauth2/token", json=form(issued["code"])).status_code == 200


def test_install_by_a_user_who_is_not_the_owner(client):
    issued = issue(client, user={"id": 7, "username": "staff", "email": "staff@example.com"})
    response = client.post("/oauth2/token", json=form(issued["code"]))
    assert response.status_code == 403
    assert response.json() == {
        "error": "Only store owners may install or update apps. Please contact the store owner for assistance"
    }


@pytest.mark.parametrize("missing", ["code", "grant_type", "redirect_uri"])
def test_missing_parameter(client, missing):
    body = form(issue(client)["code"])
    del body[missing]
    response = client.post("/oauth2/token", json=body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_request",
        "error_description": f"Missing required parameter: {missing}.",
    }


def test_unsupported_grant_type(client):
    response = client.post("/oauth2/token", json=form(issue(client)["code"], grant_type="client_credentials"))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{", "application/json"),
        (b"[1]", "application/json"),
        (b"\xff\xfe", "application/x-www-form-urlencoded"),
        (b'{"client_id": "bad \\ud800"}', "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ],
    ids=["truncated", "not-an-object", "not-utf8", "lone-surrogate", "nested-100000"],
)
def test_malformed_body(client, content, content_type):
    response = client.post("/oauth2/token", content=content, headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request", "error_description": "The request body could not be parsed."}


def test_other_paths_and_methods(client):
    assert client.get("/oauth2/token").status_code == 405
    assert client.get("/oauth2/token").json() == {"error": "Method Not Allowed"}
    assert client.get("/oauth2/token").headers["allow"] == "POST"
    assert client.post("/oauth2/other").json() == {"error": "Not Found"}


def test_codes_are_forgotten_on_reset(client, fake):
    issued = issue(client)
    fake.reset()
    assert client.post("/oauth2/token", json=form(issued["code"])).json() == {"error": "Invalid code."}
