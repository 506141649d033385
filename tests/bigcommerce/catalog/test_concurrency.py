"""Concurrent creates over a real socket (`storefake serve --port 0` subprocess): one SKU, one winner."""

from __future__ import annotations

import threading
from collections import Counter

import httpx
import pytest

THREADS = 64


@pytest.fixture(scope="module")
def server_url(serve_process):
    """A standalone server in a subprocess; yields its base URL."""
    with serve_process() as (base_url, _banner):
        yield base_url


def race(url: str, bodies: list[dict], token: str = "storefake-bc-token") -> list[httpx.Response]:
    """POST every body at once from its own thread (each with its own connection), released together."""
    gate = threading.Barrier(len(bodies))
    responses: list[httpx.Response | None] = [None] * len(bodies)
    failures: list[BaseException] = []

    def post(index: int) -> None:
        try:
            with httpx.Client(timeout=60, headers={"X-Auth-Token": token}) as client:
                gate.wait()
                responses[index] = client.post(url, json=bodies[index])
        except BaseException as exc:  # surfaced below: a thread's error must fail the test
            failures.append(exc)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return [r for r in responses if r is not None]


def test_64_threads_same_sku_exactly_one_wins(server_url):
    url = f"{server_url}/stores/abc123/v3/catalog/products"
    bodies = [
        {"name": f"Racer {n}", "type": "physical", "price": 1, "weight": 1, "sku": "RACE-SKU"} for n in range(THREADS)
    ]
    responses = race(url, bodies)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: THREADS - 1}
    assert {r.json()["title"] for r in responses if r.status_code == 409} == {"The product sku is a duplicate"}
    listed = httpx.get(f"{url}?sku=RACE-SKU", headers={"X-Auth-Token": "storefake-bc-token"}, timeout=30).json()
    assert listed["meta"]["pagination"]["total"] == 1


def test_64_threads_same_name_exactly_one_wins(server_url):
    url = f"{server_url}/stores/def456/v3/catalog/products"
    bodies = [
        {"name": "Same Name", "type": "physical", "price": 1, "weight": 1, "sku": f"S-{n}"} for n in range(THREADS)
    ]
    responses = race(url, bodies, token="storefake-bc2-token")
    assert Counter(r.status_code for r in responses) == {200: 1, 409: THREADS - 1}
    assert {r.json()["title"] for r in responses if r.status_code == 409} == {"The product name is a duplicate"}
