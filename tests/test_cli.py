from __future__ import annotations

import subprocess
import sys

import httpx


def test_serve_prints_base_urls_and_answers_health(serve_process):
    with serve_process() as (base_url, banner):
        assert any("Adobe REST base" in line for line in banner)
        assert any("X-Auth-Token: storefake-bc-token" in line for line in banner)
        response = httpx.get(f"{base_url}/__storefake/health", timeout=10)
        assert response.status_code == 200


def test_serve_refuses_a_port_in_use():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "storefake.cli", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert "cannot listen" in result.stderr
