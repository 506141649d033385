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


def test_version_prints_the_package_version():
    from importlib import metadata

    import storefake

    result = subprocess.run([sys.executable, "-m", "storefake.cli", "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, f"storefake {storefake.__version__}\n")
    assert storefake.__version__ == metadata.version("storefake")


def test_python_dash_m_storefake_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "storefake", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("storefake ")
    result = subprocess.run([sys.executable, "-m", "storefake", "serve", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "usage: storefake serve" in result.stdout
