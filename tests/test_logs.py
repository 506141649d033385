"""`storefake serve --access-log` and `--log-format json`, on a real server process."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

BC_TOKEN = {"X-Auth-Token": "storefake-bc-token"}


class Server:
    """`storefake serve --port 0 ARGS` in a subprocess, its stdout and stderr read line by line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(stream, lines), daemon=True)
            for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr))
        ]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.append(line.rstrip("\n"))

    def wait_for(self, lines: list[str], test, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(lines):
                if test(line):
                    return line
            time.sleep(0.02)
        raise AssertionError(f"no such line in {lines!r}; stderr: {self.stderr!r}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        for reader in self.readers:
            reader.join(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()


@contextlib.contextmanager
def serving(*args: str):
    server = Server(*args)
    try:
        yield server
    finally:
        server.stop()


def base_url_of(server: Server) -> str:
    first = server.wait_for(server.stdout, lambda line: "listening on" in line)
    return first.split()[-1] if first.startswith("storefake") else json.loads(first)["url"]


def test_serve_access_log_writes_one_line_per_request():
    with serving("--access-log") as server:
        url = base_url_of(server)
        httpx.get(f"{url}/stores/abc123/v3/catalog/products", params={"limit": 1}, headers=BC_TOKEN, timeout=10)
        line = server.wait_for(server.stdout, lambda line: '"GET /stores' in line)
    client, request, status, duration = re.fullmatch(r'(\S+) "([^"]*)" (\d+) ([\d.]+) ms', line).groups()
    assert (request, status) == ("GET /stores/abc123/v3/catalog/products?limit=1", "200")
    assert client.startswith("127.0.0.1:")
    assert float(duration) >= 0


def test_serve_access_log_redacts_secret_query_values_and_never_logs_headers():
    with serving("--access-log") as server:
        url = base_url_of(server)
        httpx.get(f"{url}/ims/token/v3", params={"client_secret": "hunter2", "a": "1"}, headers=BC_TOKEN, timeout=10)
        line = server.wait_for(server.stdout, lambda line: '"GET /ims' in line)
    assert "hunter2" not in line
    assert "storefake-bc-token" not in line
    assert '"GET /ims/token/v3?client_secret=%5Bredacted%5D&a=1" 404 ' in line


def test_serve_access_log_percent_encodes_a_path_that_would_break_the_line():
    with serving("--access-log") as server:
        url = base_url_of(server)
        httpx.get(f"{url}/x%0Ay%20z%22", timeout=10)
        line = server.wait_for(server.stdout, lambda line: '"GET /x' in line)
    assert '"GET /x%0Ay%20z%22" 404 ' in line


def test_serve_without_access_log_logs_no_requests():
    with serving() as server:
        url = base_url_of(server)
        httpx.get(f"{url}/stores/abc123/v3/catalog/products", headers=BC_TOKEN, timeout=10)
        time.sleep(0.3)
    assert not any("/v3/catalog/products" in line for line in server.stdout + server.stderr)


def test_serve_log_format_json_writes_the_banner_as_one_object():
    with serving("--log-format", "json") as server:
        url = base_url_of(server)
        first = json.loads(server.stdout[0])
    assert first["level"] == "info"
    assert first["logger"] == "storefake"
    assert first["message"] == f"storefake listening on {url}"
    assert f"inspector          {url}/__storefake/" in first["banner"]
    assert first["time"].endswith("Z")


def test_serve_log_format_json_writes_access_lines_with_their_fields():
    with serving("--access-log", "--log-format", "json") as server:
        url = base_url_of(server)
        httpx.get(f"{url}/stores/abc123/v3/catalog/products", params={"limit": 1}, headers=BC_TOKEN, timeout=10)
        line = server.wait_for(server.stdout, lambda line: '"logger": "storefake.access"' in line)
    record = json.loads(line)
    assert {k: record[k] for k in ("level", "method", "path", "query", "status")} == {
        "level": "info",
        "method": "GET",
        "path": "/stores/abc123/v3/catalog/products",
        "query": "limit=1",
        "status": 200,
    }
    assert record["duration_ms"] >= 0
    assert record["client"].startswith("127.0.0.1:")


def test_serve_log_format_json_writes_uvicorn_messages_as_json():
    with serving("--log-format", "json", "--log-level", "info") as server:
        base_url_of(server)
        line = server.wait_for(server.stderr, lambda line: "uvicorn" in line)
    assert json.loads(line)["logger"].startswith("uvicorn")


def test_serve_log_format_json_writes_an_error_as_one_object():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "storefake.cli", "serve", "--port", str(port), "--log-format", "json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    record = json.loads(result.stderr)
    assert (record["level"], record["logger"]) == ("error", "storefake")
    assert record["message"].startswith(f"cannot listen on 127.0.0.1:{port}: ")


@pytest.mark.parametrize("value", ["xml", ""])
def test_serve_refuses_an_unknown_log_format(value):
    result = subprocess.run(
        [sys.executable, "-m", "storefake.cli", "serve", "--log-format", value],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"argument --log-format: invalid choice: '{value}' (choose from 'text', 'json')" in result.stderr
