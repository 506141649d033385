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


def serve_fails(*args: str) -> str:
    """`storefake serve --port 0 ARGS` in a subprocess: it must exit 2 with exactly one line on stderr."""
    command = [sys.executable, "-m", "storefake", "serve", "--port", "0", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_serve_missing_fixtures_file(tmp_path):
    path = tmp_path / "nope.yaml"
    assert serve_fails("--fixtures", str(path)) == (
        f"storefake: fixtures file {path}: cannot be read: No such file or directory"
    )


def test_serve_empty_fixtures_file(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("")
    assert serve_fails("--fixtures", str(path)) == (
        f"storefake: fixtures file {path} is empty; it needs an `adobe` and/or a `bigcommerce` section"
    )


def test_serve_malformed_fixtures_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("bigcommerce:\n  stores: [\n")
    line = serve_fails("--fixtures", str(path))
    assert line.startswith(f"storefake: fixtures file {path}: not valid YAML: ")
    assert line.endswith("(line 3, column 1)")


def test_serve_misspelled_top_level_key(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("adobee:\n  tenants: []\n")
    assert serve_fails("--fixtures", str(path)) == (
        f"storefake: fixtures file {path}: adobee: unknown key; expected one of: adobe, bigcommerce"
    )


def test_serve_scopes_written_as_a_string(tmp_path):
    path = tmp_path / "scopes.yaml"
    path.write_text(
        "bigcommerce:\n  stores:\n    - store_hash: s1\n      accounts:\n"
        "        - {access_token: t1, scopes: store_v2_products}\n"
    )
    assert serve_fails("--fixtures", str(path)) == (
        f"storefake: fixtures file {path}: bigcommerce.stores[0].accounts[0].scopes: "
        "expected a list, got the string 'store_v2_products'"
    )


def test_serve_port_out_of_range():
    command = [sys.executable, "-m", "storefake", "serve", "--port", "99999"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        2,
        "storefake serve: error: argument --port: 99999 is not a port (0 to 65535; 0 picks a free one)\n",
    )


def test_serve_unknown_log_level():
    line = serve_fails("--log-level", "chatty")
    assert line.startswith("storefake serve: error: argument --log-level: invalid choice: 'chatty' (choose from ")


def test_serve_ctrl_c_exits_quietly():
    import signal

    process = subprocess.Popen(
        [sys.executable, "-m", "storefake", "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        url = process.stdout.readline().decode().split()[-1]
        assert httpx.get(f"{url}/__storefake/health", timeout=10).status_code == 200
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait(10)
    assert process.returncode in (0, 130)
    assert b"Traceback" not in err
    assert err == b""


def test_coverage_into_a_closed_pipe_is_quiet():
    # `storefake coverage | head`: the reader is gone (closed before the child starts writing); no traceback.
    process = subprocess.Popen(
        [sys.executable, "-m", "storefake", "coverage"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # type: ignore[union-attr]
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr.decode()
    assert process.returncode == 1
