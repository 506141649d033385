"""POST /ims/token/v3: parameters in the form, the query or Basic auth; IMS's checks in order; the JWT."""

from __future__ import annotations

import base64

import jwt
import pytest

from .conftest import CLIENT_ID, CLIENT_SECRET, TENANT, TUTORIAL_SCOPE, token_form


def oauth_error(response, error: str, description: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"error": error, "error_description": description}


def test_token_success_shape(client):
    response = client.post("/ims/token/v3", data=token_form())
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["access_token", "token_type", "expires_in"]
    assert (body["token_type"], body["expires_in"]) == ("bearer", 86399)


def test_token_is_a_jwt_with_adobe_claims(client, fake):
    fake.clock.freeze(1769200815)
    token = client.post("/ims/token/v3", data=token_form()).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["type"] == "access_token"
    assert claims["client_id"] == CLIENT_ID
    assert claims["as"] == "ims-na1"
    assert claims["scope"] == TUTORIAL_SCOPE
    assert claims["created_at"] == "1769200815000"
    assert claims["expires_in"] == "86400000"
    assert jwt.get_unverified_header(token)["kid"] == "ims_na1-key-at-1"


def test_token_parameters_in_the_query(client):
    response = client.post("/ims/token/v3", params=token_form())
    assert response.status_code == 200


def test_token_with_basic_client_auth(client):
    credentials = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    form = {"grant_type": "client_credentials", "scope": "commerce.accs"}
    response = client.post("/ims/token/v3", data=form, headers={"Authorization": f"Basic {credentials}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    [b"Basic \xff\xfe", b"Basic " + base64.b64encode(b"\xff:\xfe"), b"Basic not base64!", b"Basic \xc3\xa9"],
    ids=["bytes-past-ascii", "not-utf8-inside", "not-base64", "utf8-bytes"],
)
def test_token_with_unreadable_basic_auth_is_missing_client_id(client, header):
    form = {"grant_type": "client_credentials", "scope": "commerce.accs"}
    response = client.post("/ims/token/v3", data=form, headers={"Authorization": header})
    oauth_error(response, "invalid_request", "missing client_id parameter")


def test_token_scopes_separated_by_spaces(client):
    assert client.post("/ims/token/v3", data=token_form(scope="openid AdobeID commerce.accs")).status_code == 200


def test_token_missing_grant_type(client):
    oauth_error(
        client.post("/ims/token/v3", data=token_form(grant_type=None)),
        "invalid_request",
        "missing grant_type parameter",
    )


def test_token_other_grant_type(client):
    response = client.post("/ims/token/v3", data=token_form(grant_type="password"))
    oauth_error(response, "unsupported_grant_type", "unsupported grant_type password")


def test_token_grant_type_checked_first(client):
    response = client.post("/ims/token/v3", data=token_form(grant_type="authorization_code", client_id="nobody"))
    assert response.json()["error"] == "unsupported_grant_type"


def test_token_missing_client_id(client):
    oauth_error(
        client.post("/ims/token/v3", data=token_form(client_id=None)), "invalid_request", "missing client_id parameter"
    )


def test_token_unknown_client_id(client):
    response = client.post("/ims/token/v3", data=token_form(client_id="nobody", client_secret="wrong"))
    oauth_error(response, "invalid_client", "invalid client_id parameter")


def test_token_wrong_secret(client):
    response = client.post("/ims/token/v3", data=token_form(client_secret="wrong"))
    oauth_error(response, "invalid_client", "invalid client_secret parameter")


def test_token_missing_secret(client):
    response = client.post("/ims/token/v3", data=token_form(client_secret=None))
    oauth_error(response, "invalid_request", "missing client_secret parameter")


def test_token_scope_outside_the_client(client):
    response = client.post("/ims/token/v3", data=token_form(scope="openid,commerce.accs,admin.everything"))
    oauth_error(response, "invalid_scope", "invalid scope (admin.everything)")


def test_token_missing_scope(client):
    oauth_error(client.post("/ims/token/v3", data=token_form(scope=None)), "invalid_scope", "missing scope parameter")


def multipart(form: dict[str, str]) -> dict[str, tuple[None, str]]:
    """httpx `files=` parts without file names: a multipart/form-data body of plain fields."""
    return {key: (None, value) for key, value in form.items()}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_token_multipart_form_data(client, version):
    response = client.post(f"/ims/token/{version}", files=multipart(token_form()))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json()["token_type"] == "bearer"


def test_token_multipart_wrong_secret(client):
    response = client.post("/ims/token/v3", files=multipart(token_form(client_secret="nope")))
    oauth_error(response, "invalid_client", "invalid client_secret parameter")


def test_token_multipart_malformed_body(client):
    headers = {"Content-Type": "multipart/form-data; boundary=XX"}
    response = client.post("/ims/token/v3", content=b"--XX\r\nnot a part", headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_token_multipart_secret_is_redacted_in_the_journal(client, fake):
    client.post("/ims/token/v3", files=multipart(token_form()))
    assert CLIENT_SECRET not in fake.journal.last.body


def test_token_v2_answers_as_v3(client):
    response = client.post("/ims/token/v2", data=token_form())
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["access_token", "token_type", "expires_in"]
    assert (body["token_type"], body["expires_in"]) == ("bearer", 86399)
    api_headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get(f"/{TENANT}/V1/customers/search?searchCriteria=", headers=api_headers).status_code == 200


def test_token_v2_errors_as_v3(client):
    oauth_error(
        client.post("/ims/token/v2", data=token_form(client_id="nobody")),
        "invalid_client",
        "invalid client_id parameter",
    )


def test_token_v2_with_a_trailing_slash_and_org_id(client):
    # Adobe's umapi-client posts to /ims/token/v2/; aio-lib-ims adds org_id.
    response = client.post("/ims/token/v2/", data={**token_form(), "org_id": "1234567890ABCDEF@AdobeOrg"})
    assert response.status_code == 200


def test_token_secret_is_redacted_in_the_journal(client, fake):
    client.post("/ims/token/v3", data=token_form())
    assert CLIENT_SECRET not in fake.journal.last.body


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_token_endpoint_other_methods(client, method):
    response = client.request(method, "/ims/token/v3")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_token_survives_a_reset(client, fake, token):
    fake.reset()
    response = client.get(f"/{TENANT}/V1/customers/1", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404  # no customer, but the token is still accepted


def test_tokens_expire_by_the_fake_clock(fake):
    params = token_form()
    token = fake.adobe.ims.issue_token(params)["access_token"]
    assert fake.adobe.ims.verify(token) is not None
    fake.clock.advance(86400)
    assert fake.adobe.ims.verify(token) is None


def test_seeded_fakes_verify_each_others_tokens():
    import storefake

    first = storefake.create_app(seed=7).state.fake.adobe.ims
    second = storefake.create_app(seed=7).state.fake.adobe.ims
    token = first.issue_token(token_form())["access_token"]
    assert second.verify(token) is not None
