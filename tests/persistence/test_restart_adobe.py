"""Adobe writes survive a restart of a persisted fake: customers, addresses, tenants made on first use, tokens."""

from __future__ import annotations

import httpx

from .support import TENANT, customer_body, ims_token, serve


def test_restart_keeps_customers_created_updated_and_deleted(persisted):
    client = persisted.open()
    auth = ims_token(client)
    kept = client.post(f"/{TENANT}/V1/customers", json=customer_body("kept@example.com"), headers=auth).json()
    gone = client.post(f"/{TENANT}/V1/customers", json=customer_body("gone@example.com"), headers=auth).json()
    changed = client.put(
        f"/{TENANT}/V1/customers/{kept['id']}",
        json={"customer": {**kept, "firstname": "Changed"}},
        headers=auth,
    ).json()
    assert client.delete(f"/{TENANT}/V1/customers/{gone['id']}", headers=auth).json() is True

    client = persisted.open()
    assert client.get(f"/{TENANT}/V1/customers/{kept['id']}", headers=auth).json() == changed
    missing = client.get(f"/{TENANT}/V1/customers/{gone['id']}", headers=auth)
    assert missing.status_code == 404
    assert missing.json()["message"] == "No such entity with %fieldName = %fieldValue"


def test_restart_keeps_the_unique_email_index(persisted):
    client = persisted.open()
    auth = ims_token(client)
    client.post(f"/{TENANT}/V1/customers", json=customer_body("once@example.com"), headers=auth)

    client = persisted.open()
    again = client.post(f"/{TENANT}/V1/customers", json=customer_body("ONCE@example.com"), headers=auth)
    assert again.status_code == 400
    assert again.json()["message"] == "A customer with the same email address already exists in an associated website."


def test_restart_keeps_a_tenant_a_get_created(persisted):
    client = persisted.open()
    auth = ims_token(client)
    assert client.get("/NewTenant1/V1/customers/1", headers=auth).status_code == 404
    assert "NewTenant1" in persisted.fake.adobe.tenants

    persisted.open()
    assert "NewTenant1" in persisted.fake.adobe.tenants
    assert persisted.fake.persistence.status()["divergence_count"] == 0


def test_serve_restart_keeps_ims_tokens_valid(tmp_path):
    # Without a data dir the signing key lives as long as the process: a restart would void every token.
    with serve(tmp_path / "data") as first, httpx.Client(base_url=first.url) as client:
        auth = ims_token(client)
        created = client.post(f"/{TENANT}/V1/customers", json=customer_body("token@example.com"), headers=auth)
    with serve(tmp_path / "data") as second, httpx.Client(base_url=second.url) as client:
        read = client.get(f"/{TENANT}/V1/customers/{created.json()['id']}", headers=auth)
    assert read.status_code == 200
    assert read.json() == created.json()


def test_restart_keeps_token_expiry_on_the_fake_clock(persisted):
    client = persisted.open()
    auth = ims_token(client)
    client.post("/__storefake/clock/advance", json={"seconds": 86_400})

    client = persisted.open()
    expired = client.get(f"/{TENANT}/V1/customers/1", headers=auth)
    assert expired.status_code == 401
    assert expired.json()["message"] == "The consumer isn't authorized to access %resources."
