"""The tutorial's all-in-one script, over real HTTP against `storefake serve` (only the URLs changed)."""

from __future__ import annotations

import httpx

from .conftest import TENANT, TUTORIAL_SCOPE

TIMESTAMP = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"


def assert_like_sample(actual: dict, sample: dict) -> None:
    """Every sample field is present with the same type, and the same value except ids and timestamps."""
    for key, expected in sample.items():
        assert key in actual, key
        assert type(actual[key]) is type(expected), key
        if key not in ("id", "created_at", "updated_at"):
            assert actual[key] == expected, key


def test_tutorial_flow_against_storefake_serve(served, recorded):
    base_url, _ = served
    with httpx.Client(base_url=base_url, timeout=10) as http:
        http.post("/__storefake/reset")
        http.post("/__storefake/clock/freeze", json={"at": 1769200815})  # 2026-01-23 20:40:15, as in the sample
        try:
            # Step 1: the token, with the tutorial's exact scope string.
            token = http.post(
                "/ims/token/v3",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                content=(
                    "grant_type=client_credentials&client_id=storefake-accs-client"
                    f"&client_secret=storefake-accs-secret&scope={TUTORIAL_SCOPE}"
                ),
            )
            assert token.status_code == 200
            assert_like_sample(
                token.json(), {k: v for k, v in recorded["token_response"].items() if k != "access_token"}
            )
            assert token.json()["access_token"].startswith("eyJ")
            headers = {"Authorization": f"Bearer {token.json()['access_token']}", "Content-Type": "application/json"}
            rest_endpoint = f"{base_url}/{TENANT}"

            # Step 2: create John Doe.
            created = http.post(f"{rest_endpoint}/V1/customers", headers=headers, json=recorded["create_request"])
            assert created.status_code == 200
            assert created.headers["content-type"] == "application/json; charset=utf-8"
            assert_like_sample(created.json(), recorded["create_response"])
            assert created.json()["created_at"] == "2026-01-23 20:40:15"
            customer_id = created.json()["id"]

            # Step 3: update the last name, fifteen seconds later.
            http.post("/__storefake/clock/advance", json={"seconds": 15})
            update = recorded["update_request"]
            update["customer"]["id"] = customer_id
            updated = http.put(f"{rest_endpoint}/V1/customers/{customer_id}", headers=headers, json=update)
            assert updated.status_code == 200
            assert_like_sample(updated.json(), recorded["update_response"])
            assert list(updated.json()) == list(recorded["update_response"])
            assert updated.json()["id"] == customer_id
            assert updated.json()["created_at"] == created.json()["created_at"]
            assert updated.json()["updated_at"] == "2026-01-23 20:40:30"
        finally:
            http.post("/__storefake/clock/unfreeze")
            http.post("/__storefake/reset")


def test_tutorial_flow_with_a_running_clock(served, recorded):
    base_url, _ = served
    with httpx.Client(base_url=base_url, timeout=10) as http:
        http.post("/__storefake/reset")
        data = {"grant_type": "client_credentials", "client_id": "storefake-accs-client"}
        data |= {"client_secret": "storefake-accs-secret", "scope": TUTORIAL_SCOPE}
        token = http.post("/ims/token/v3", data=data).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        created = http.post(f"/{TENANT}/V1/customers", headers=headers, json=recorded["create_request"]).json()
        http.post("/__storefake/clock/advance", json={"seconds": 2})
        body = {"customer": {"id": created["id"], "email": "john.doe@example.com", "firstname": "john"}}
        body["customer"]["lastname"] = "Doe-Updated"
        updated = http.put(f"/{TENANT}/V1/customers/{created['id']}", headers=headers, json=body).json()
        assert updated["updated_at"] > created["updated_at"]
        assert updated["created_at"] == created["created_at"]
        assert (updated["firstname"], updated["lastname"]) == ("john", "Doe-Updated")
        http.post("/__storefake/reset")


def test_serve_banner_names_the_adobe_urls_and_credentials(served):
    base_url, banner = served
    text = "".join(banner)
    assert f"{base_url}/ims/token/v3" in text
    assert f"{base_url}/{TENANT}" in text
    assert "storefake-accs-client" in text
    assert "storefake-accs-secret" in text
    assert "commerce.accs" in text
