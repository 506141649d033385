"""Slow senders over a real socket: a raw client trickling its head or body is timed out, others go on."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

import storefake

STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


@pytest.fixture(scope="module")
def server():
    with storefake.ThreadedServer(storefake.Config(body_timeout=1.0), header_timeout=1.0) as running:
        yield running


def raw_connection(server) -> socket.socket:
    connection = socket.create_connection((server.host, server.port), timeout=10)
    return connection


def read_all(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def split(response: bytes) -> tuple[str, bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0].decode(), body


def trickle_body(server, path: str, headers: str = "") -> tuple[str, bytes, float]:
    started = time.monotonic()
    with raw_connection(server) as connection:
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
            f"{headers}\r\n".encode()
            + b'{"name": '
        )
        response = read_all(connection)  # the rest of the body never comes
    status, body = split(response)
    return status, body, time.monotonic() - started


def test_body_trickled_to_bigcommerce_is_its_408(server):
    status, body, took = trickle_body(
        server, "/stores/abc123/v3/catalog/products", "X-Auth-Token: storefake-bc-token\r\n"
    )
    assert status == "HTTP/1.1 408 Request Timeout"
    assert json.loads(body) == {"status": 408, "title": "Request Timeout", "type": STATUS_TYPE, "errors": {}}
    assert took < 5


def test_body_trickled_to_adobe_ims_is_its_oauth_error(server):
    status, body, _took = trickle_body(server, "/ims/token/v3")
    assert status == "HTTP/1.1 408 Request Timeout"
    assert json.loads(body) == {"error": "invalid_request", "error_description": "Request Timeout"}


def test_body_trickled_to_adobe_commerce_is_a_magento_error(server):
    form = {
        "grant_type": "client_credentials",
        "client_id": "storefake-accs-client",
        "client_secret": "storefake-accs-secret",
        "scope": "openid,AdobeID,commerce.accs",
    }
    token = httpx.post(f"{server.url}/ims/token/v3", data=form).json()["access_token"]
    path = "/AbCYab34cdEfGHiJ27123/V1/customers"
    status, body, _took = trickle_body(server, path, f"Authorization: Bearer {token}\r\n")
    assert status == "HTTP/1.1 400 Bad Request"
    assert json.loads(body) == {"message": "Request Timeout"}


def test_body_trickled_to_the_control_api_is_its_error(server):
    status, body, _took = trickle_body(server, "/__storefake/seed")
    assert status == "HTTP/1.1 408 Request Timeout"
    assert json.loads(body) == {"error": "Request Timeout"}


def test_head_trickled_is_cut_off_with_408(server):
    started = time.monotonic()
    with raw_connection(server) as connection:
        connection.sendall(b"GET /__storefake/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        response = read_all(connection)
    assert response == b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    assert time.monotonic() - started < 5


def test_head_trickled_byte_by_byte_is_cut_off_too(server):
    started = time.monotonic()
    request = b"GET /__storefake/health HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 40
    with raw_connection(server) as connection:
        for byte in request:
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                break  # closed by the server
            time.sleep(0.1)
        response = read_all(connection)
    assert response.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert time.monotonic() - started < 4


def test_a_connection_that_sends_nothing_is_closed(server):
    with raw_connection(server) as connection:
        assert read_all(connection) == b""


def test_other_clients_are_served_while_one_trickles(server):
    with raw_connection(server) as slow:
        slow.sendall(b"GET /__storefake/health HTTP/1.1\r\nHost: x\r\n")
        assert httpx.get(f"{server.url}/__storefake/health", timeout=5).json()["status"] == "ok"
        assert read_all(slow).startswith(b"HTTP/1.1 408")


def test_a_prompt_keep_alive_client_is_not_affected(server):
    with httpx.Client(base_url=server.url, timeout=5) as client:
        for _ in range(3):
            response = client.post("/__storefake/seed", json={})
            assert response.json() == {"seeded": {}}
            time.sleep(0.5)
