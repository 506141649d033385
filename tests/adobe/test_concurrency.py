"""Concurrent creates over the real socket of a `storefake serve` subprocess."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from .conftest import TENANT, token_form

THREADS = 50


@pytest.fixture
def served_api(served):
    base_url, _ = served
    with httpx.Client(base_url=base_url, timeout=30) as http:
        http.post("/__storefake/reset")
        token = http.post("/ims/token/v3", data=token_form()).json()["access_token"]
        yield base_url, {"Authorization": f"Bearer {token}"}
        http.post("/__storefake/reset")


def create(base_url: str, headers: dict, email: str) -> httpx.Response:
    # One client per thread: separate connections, so the requests really overlap on the server.
    with httpx.Client(base_url=base_url, timeout=30) as http:
        body = {"customer": {"email": email, "firstname": "Race", "lastname": "Condition"}, "password": "Race-Pa55word"}
        return http.post(f"/{TENANT}/V1/customers", headers=headers, json=body)


def test_fifty_threads_same_email_exactly_one_wins(served_api):
    base_url, headers = served_api
    with ThreadPoolExecutor(THREADS) as pool:
        responses = list(pool.map(lambda _: create(base_url, headers, "same@example.com"), range(THREADS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [400] * (THREADS - 1)
    duplicate = "A customer with the same email address already exists in an associated website."
    assert all(r.json() == {"message": duplicate} for r in responses if r.status_code == 400)


def test_fifty_threads_distinct_emails_get_distinct_readable_ids(served_api):
    base_url, headers = served_api
    emails = [f"user{i}@example.com" for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        responses = list(pool.map(lambda email: create(base_url, headers, email), emails))
    assert [r.status_code for r in responses] == [200] * THREADS
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == THREADS
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for response in responses:
            customer = response.json()
            read = http.get(f"/{TENANT}/V1/customers/{customer['id']}", headers=headers)
            assert read.status_code == 200
            assert read.json()["email"] == customer["email"]
