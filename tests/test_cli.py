from __future__ import annotations

import subprocess
import sys

import httpx


def test_serve_prints_base_urls_and_answers_health(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "storefake.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert first.startswith("storefake listening on http://127.0.0.1:")
        base_url = first.split()[-1]
        response = httpx.get(f"{base_url}/__storefake/health", timeout=10)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.communicate(timeout=10)


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
