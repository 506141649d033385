"""Fixtures for the Adobe tests: tokens, authorised clients, and a `storefake serve` subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

TENANT = "AbCYab34cdEfGHiJ27123"
CLIENT_ID = "storefake-accs-client"
CLIENT_SECRET = "storefake-accs-secret"
TUTORIAL_SCOPE = (
    "openid,AdobeID,email,additional_info.projectedProductContext,profile,commerce.aco.ingestion,"
    "commerce.accs,org.read,additional_info.roles"
)
RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded" / "adobe"


def token_form(**overrides: str) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scope": TUTORIAL_SCOPE,
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def get_token(client: httpx.Client, **overrides: str) -> str:
    response = client.post("/ims/token/v3", data=token_form(**overrides))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def john(**fields: object) -> dict[str, object]:
    customer: dict[str, object] = {
        "email": "john.doe@example.com",
        "firstname": "John",
        "lastname": "Doe",
        "store_id": 1,
        "website_id": 1,
    }
    customer.update(fields)
    return customer


@pytest.fixture
def recorded() -> dict:
    """The tutorial's requests and sample responses (fixtures/recorded/adobe/tutorial.json)."""
    return json.loads((RECORDED / "tutorial.json").read_text())


@pytest.fixture
def token(client) -> str:
    return get_token(client)


@pytest.fixture
def api(client, token):
    """The in-process client with the tutorial's bearer token and JSON content type."""
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.fixture
def base() -> str:
    return f"/{TENANT}/V1"


@pytest.fixture
def create(api, base):
    """POST /V1/customers and return the created customer (asserting a 200)."""

    def _create(password: str | None = "TempPa55word!", **fields: object) -> dict:
        body: dict[str, object] = {"customer": john(**fields)}
        if password is not None:
            body["password"] = password
        response = api.post(f"{base}/customers", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    return _create


@pytest.fixture(scope="session")
def served(serve_process):
    """Base URL and banner of a `storefake serve --port 0` subprocess (one per session, reset by the tests)."""
    with serve_process() as (base_url, banner):
        yield base_url, banner
