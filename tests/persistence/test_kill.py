"""Acceptance: `storefake serve --data-dir` killed with SIGKILL among 64 concurrent writers, then restarted.

Every acknowledged write is there, read back as it was answered; a write that was in flight is there whole
or not at all (an order's inventory reservation never without its order); id sequences go on after the
highest id ever handed out.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import time

import httpx

from .support import BC, IMS_FORM, STORE, TENANT, customer_body, serve

WRITERS = 64
KILL_AFTER = 256  # answered writes before the kill (a count, not a time: the machine may be busy)
STOCK = 1_000_000


async def _write(base: str, auth: dict[str, str], tracked_id: int, process) -> list[dict]:
    """64 writers until the server is killed (once KILL_AFTER writes were answered); each attempt as
    {kind, key, status, body}."""
    attempts: list[dict] = []
    counter = itertools.count()
    limits = httpx.Limits(max_connections=WRITERS, max_keepalive_connections=WRITERS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        killed = asyncio.Event()

        async def writer(number: int) -> None:
            while not killed.is_set():
                i = next(counter)
                kind = ("adobe_customer", "bc_product", "bc_customer", "bc_order")[(number + i) % 4]
                key = f"w{number}-{i}"
                method, path, kwargs = _request(kind, key, auth, tracked_id)
                attempt = {"kind": kind, "key": key, "status": None, "body": None}
                attempts.append(attempt)
                try:
                    response = await client.request(method, path, **kwargs)
                except httpx.HTTPError:
                    return  # the server is gone: this write was not acknowledged
                attempt["status"], attempt["body"] = response.status_code, response.json()

        async def killer() -> None:
            deadline = time.monotonic() + 120
            while sum(a["status"] is not None for a in attempts) < KILL_AFTER and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            os.kill(process.pid, signal.SIGKILL)
            killed.set()

        await asyncio.gather(killer(), *(writer(n) for n in range(WRITERS)))
    return attempts


def _request(kind: str, key: str, auth: dict[str, str], tracked_id: int) -> tuple[str, str, dict]:
    if kind == "adobe_customer":
        return "POST", f"/{TENANT}/V1/customers", {"json": customer_body(f"{key}@example.com"), "headers": auth}
    if kind == "bc_product":
        body = {"name": f"Product {key}", "type": "physical", "weight": 1, "price": 5, "sku": f"SKU-{key}"}
        return "POST", f"/stores/{STORE}/v3/catalog/products", {"json": body, "headers": BC}
    if kind == "bc_customer":
        body = [{"email": f"{key}@example.com", "first_name": "Per", "last_name": key}]
        return "POST", f"/stores/{STORE}/v3/customers", {"json": body, "headers": BC}
    address = {
        "first_name": "Per",
        "last_name": key,
        "street_1": "1 Main St",
        "city": "Austin",
        "state": "Texas",
        "zip": "78701",
        "country": "United States",
        "country_iso2": "US",
        "email": f"{key}@example.com",
    }
    body = {"billing_address": address, "products": [{"product_id": tracked_id, "quantity": 1}]}
    return "POST", f"/stores/{STORE}/v2/orders", {"json": body, "headers": BC}


def _setup(base: str) -> tuple[dict[str, str], int]:
    with httpx.Client(base_url=base) as client:
        token = client.post("/ims/token/v3", data=IMS_FORM).json()["access_token"]
        tracked = client.post(
            f"/stores/{STORE}/v3/catalog/products",
            json={
                "name": "Tracked",
                "type": "physical",
                "weight": 1,
                "price": 3,
                "sku": "TRACKED",
                "inventory_level": STOCK,
                "inventory_tracking": "product",
            },
            headers=BC,
        )
        assert tracked.status_code == 200, tracked.text
    return {"Authorization": f"Bearer {token}"}, tracked.json()["data"]["id"]


def _all_orders(client: httpx.Client) -> list[dict]:
    orders: list[dict] = []
    for page in itertools.count(1):
        response = client.get(f"/stores/{STORE}/v2/orders", params={"limit": 250, "page": page}, headers=BC)
        if response.status_code == 204:
            return orders
        assert response.status_code == 200, response.text
        orders.extend(response.json())


def test_serve_kill_9_amid_64_writers_keeps_every_acknowledged_write(tmp_path):
    data_dir = tmp_path / "data"
    with serve(data_dir) as first:
        auth, tracked_id = _setup(first.url)
        attempts = asyncio.run(_write(first.url, auth, tracked_id, first.process))
        first.process.wait(timeout=10)
        assert first.process.returncode == -signal.SIGKILL
    acknowledged = [a for a in attempts if a["status"] is not None]
    in_flight = [a for a in attempts if a["status"] is None]
    assert len(acknowledged) >= KILL_AFTER
    assert in_flight
    assert {a["status"] for a in acknowledged} == {200}, [a for a in acknowledged if a["status"] != 200][:3]

    with serve(data_dir) as second, httpx.Client(base_url=second.url, timeout=30) as client:
        _check_acknowledged(client, acknowledged, auth, first.url)
        _check_in_flight(client, in_flight, auth)
        _check_inventory(client, tracked_id)
        _check_sequences_go_on(client, acknowledged, auth)
        status = client.get("/__storefake/persistence").json()
    assert status["divergence_count"] == 0, status["divergences"]
    assert status["restored"]["replayed"] >= len(acknowledged)


def _check_acknowledged(client: httpx.Client, acknowledged: list[dict], auth: dict[str, str], old_url: str) -> None:
    """Read back as answered (an order's resource URLs name the server's new port)."""
    for attempt in acknowledged:
        kind, body = attempt["kind"], attempt["body"]
        if kind == "adobe_customer":
            read = client.get(f"/{TENANT}/V1/customers/{body['id']}", headers=auth)
            assert read.json() == body
        elif kind == "bc_product":
            read = client.get(f"/stores/{STORE}/v3/catalog/products/{body['data']['id']}", headers=BC)
            assert read.json()["data"] == body["data"]
        elif kind == "bc_customer":
            read = client.get(f"/stores/{STORE}/v3/customers", params={"id:in": body["data"][0]["id"]}, headers=BC)
            [listed] = read.json()["data"]  # a listing leaves out what a create answers with (addresses, credit)
            assert listed == {name: body["data"][0][name] for name in listed}
        else:
            read = client.get(f"/stores/{STORE}/v2/orders/{body['id']}", headers=BC)
            assert read.json() == json.loads(json.dumps(body).replace(old_url, str(client.base_url).rstrip("/")))


def _check_in_flight(client: httpx.Client, in_flight: list[dict], auth: dict[str, str]) -> None:
    """A write that was never answered is there whole, or not at all."""
    for attempt in in_flight:
        key, found = attempt["key"], _find(client, attempt, auth)
        assert len(found) <= 1
        if attempt["kind"] == "adobe_customer":
            assert all((c["firstname"], c["lastname"]) == ("Per", "Sist") for c in found)
        elif attempt["kind"] == "bc_product":
            assert all((p["name"], p["price"]) == (f"Product {key}", 5) for p in found)
        elif attempt["kind"] == "bc_customer":
            assert all((c["first_name"], c["last_name"]) == ("Per", key) for c in found)


def _find(client: httpx.Client, attempt: dict, auth: dict[str, str]) -> list[dict]:
    email = f"{attempt['key']}@example.com"
    if attempt["kind"] == "adobe_customer":
        params = {
            "searchCriteria[filterGroups][0][filters][0][field]": "email",
            "searchCriteria[filterGroups][0][filters][0][value]": email,
        }
        return client.get(f"/{TENANT}/V1/customers/search", params=params, headers=auth).json()["items"]
    if attempt["kind"] == "bc_product":
        params = {"sku": f"SKU-{attempt['key']}"}
        return client.get(f"/stores/{STORE}/v3/catalog/products", params=params, headers=BC).json()["data"]
    if attempt["kind"] == "bc_customer":
        return client.get(f"/stores/{STORE}/v3/customers", params={"email:in": email}, headers=BC).json()["data"]
    return []  # an order in flight: _check_inventory holds it to its reservation


def _check_inventory(client: httpx.Client, tracked_id: int) -> None:
    """Every unit the tracked product lost belongs to an order that is there (no reservation without its order)."""
    ordered = 0
    for order in _all_orders(client):
        products = client.get(f"/stores/{STORE}/v2/orders/{order['id']}/products", headers=BC).json()
        ordered += sum(line["quantity"] for line in products if line["product_id"] == tracked_id)
    product = client.get(f"/stores/{STORE}/v3/catalog/products/{tracked_id}", headers=BC).json()["data"]
    assert product["inventory_level"] == STOCK - ordered
    assert ordered > 0


def _check_sequences_go_on(client: httpx.Client, acknowledged: list[dict], auth: dict[str, str]) -> None:
    def highest(kind: str, id_of) -> int:
        return max(id_of(a["body"]) for a in acknowledged if a["kind"] == kind)

    customer = client.post(f"/{TENANT}/V1/customers", json=customer_body("after@example.com"), headers=auth)
    assert customer.json()["id"] > highest("adobe_customer", lambda b: b["id"])
    product = client.post(
        f"/stores/{STORE}/v3/catalog/products",
        json={"name": "After", "type": "physical", "weight": 1, "price": 1},
        headers=BC,
    )
    assert product.json()["data"]["id"] > highest("bc_product", lambda b: b["data"]["id"])
