"""Mock rules over a real socket: uvicorn in a thread (storefake.server.ThreadedServer) and real clients."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
import requests

import storefake
from storefake.server import ThreadedServer

BC = "/stores/abc123"
BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}


@pytest.fixture
def server():
    """The fake on 127.0.0.1:<free port>, seeded."""
    with ThreadedServer(storefake.create_app(seed=99)) as running:
        yield running


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


def test_respond_over_the_socket(server, http):
    server.fake.mocks.add({"match": {"path": "/v2/store"}, "respond": {"json": {"id": 1}, "headers": {"X-A": "b"}}})
    response = http.get(f"{BC}/v2/store")
    assert (response.status_code, response.json(), response.headers["x-a"]) == (200, {"id": 1}, "b")


def test_vendor_error_over_the_socket(server, http):
    server.fake.mocks.add({"match": {"vendor": "bigcommerce"}, "error": {"status": 429, "retry_after": 3}})
    response = http.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    assert (response.status_code, response.headers["x-retry-after"], response.json()["status"]) == (429, "3", 429)


def test_drop_is_a_connection_error_for_httpx(server, http):
    server.fake.mocks.add({"id": "gone", "match": {"method": "POST", "path": "/v2/orders"}, "drop": True})
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
        http.post(f"{BC}/v2/orders", headers=BC_TOKEN, json={})
    server.check()  # a deliberate drop is not recorded as an app failure
    assert http.get("/__storefake/health").status_code == 200  # the server lives on
    entry = server.fake.journal.last
    assert (entry.rule, entry.status, entry.response_body) == ("gone", 0, "")


def test_drop_is_a_connection_error_for_requests(server):
    server.fake.mocks.add({"match": {"vendor": "adobe"}, "drop": True})
    with pytest.raises(requests.exceptions.ConnectionError, match="Remote end closed connection without response"):
        requests.get(f"{server.url}/AbCYab34cdEfGHiJ27123/V1/customers/1", timeout=30)


def test_delay_is_observed(server, http):
    server.fake.mocks.add({"match": {"path": "/v3/customers"}, "delay": 0.3})
    started = time.monotonic()
    response = http.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200


def test_random_delay_is_observed(server, http):
    server.fake.mocks.add({"match": {"path": "/v3/customers"}, "delay": {"min": 0.2, "max": 0.4}})
    started = time.monotonic()
    http.get(f"{BC}/v3/customers", headers=BC_TOKEN)
    assert time.monotonic() - started >= 0.2


def test_times_and_after(server, http):
    server.fake.mocks.add({"match": {"path": "/v3/customers"}, "after": 1, "times": 2, "error": 503})
    statuses = [http.get(f"{BC}/v3/customers", headers=BC_TOKEN).status_code for _ in range(5)]
    assert statuses == [200, 503, 503, 200, 200]


def test_probability_is_reproducible_with_the_same_seed():
    def statuses():
        with ThreadedServer(storefake.create_app(seed=5)) as server:
            server.fake.mocks.add({"match": {"path": "/v3/customers"}, "error": 500, "probability": 0.3})
            with httpx.Client(base_url=server.url, timeout=30) as http:
                return [http.get(f"{BC}/v3/customers", headers=BC_TOKEN).status_code for _ in range(30)]

    first = statuses()
    assert set(first) == {200, 500}
    assert first == statuses()


def test_control_api_adds_rules_over_the_socket(server, http):
    added = http.post("/__storefake/mocks", content="match: {vendor: adobe}\nerror: 503\n")
    assert added.status_code == 201
    assert http.get("/AbCYab34cdEfGHiJ27123/V1/customers/1").status_code == 503


def run_serve(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_loads_mocks_from_a_directory(tmp_path):
    (tmp_path / "down.yaml").write_text("- {id: down, match: {vendor: bigcommerce}, error: 503}\n")
    process = run_serve("--mocks", str(tmp_path), "--mocks", "unimplemented-endpoints")
    try:
        base_url = process.stdout.readline().split()[-1]
        assert httpx.get(f"{base_url}{BC}/v3/customers", timeout=10).status_code == 503
        listed = httpx.get(f"{base_url}/__storefake/mocks", timeout=10).json()
        assert [rule["id"] for rule in listed["rules"]][:2] == ["down", "adobe-store-configs"]
        assert listed["rules"][0]["hits"] == 1
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_serve_refuses_a_bad_mock_file(tmp_path):
    (tmp_path / "bad.yaml").write_text("- {id: x, error: {status: 200}}\n")
    process = run_serve("--mocks", str(tmp_path / "bad.yaml"))
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert (
        err.strip()
        == f"storefake: {tmp_path / 'bad.yaml'}: rule 1 ('x').error: an error 'status' must be 400 or more, got 200"
    )
    assert "Traceback" not in err
