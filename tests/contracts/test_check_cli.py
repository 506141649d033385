"""`storefake check`: the bundled suites on every target, without pytest code."""

from __future__ import annotations

import subprocess
import sys

from storefake.cli import main


def test_bundled_suites_pass_on_the_fake(capsys):
    status = main(["check", "--target", "fake"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert " 0 failed" in out


def test_bundled_suites_pass_on_a_threaded_server(capsys):
    status = main(["check", "--target", "server"])
    out = capsys.readouterr().out
    assert status == 0, out


def test_bundled_suites_pass_on_live_pointed_at_storefake_serve(serve):
    result = subprocess.run(
        [sys.executable, "-m", "storefake.cli", "check", "--target", "live", "--base-url", serve, "--allow-writes"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout
    # the fake-only cases (fixture credentials) are skipped on live, never failed
    assert " 0 skipped" not in result.stdout


def test_live_without_allow_writes_runs_only_read_only_cases(serve, capsys):
    status = main(["check", "--target", "live", "--base-url", serve, "-k", "bigcommerce-orders", "-v"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "SKIP bigcommerce-orders::order journey with a shipment: skipped (case writes;" in out
    assert "PASS bigcommerce-orders::unknown order is a V2 404: passed" in out


def test_a_failing_suite_exits_non_zero_with_the_diff(tmp_path, capsys):
    suite = tmp_path / "contract_wrong.yaml"
    suite.write_text(
        "vendor: bigcommerce\ncases:\n  - name: wrong\n    steps:\n"
        "      - request: {method: GET, path: /v2/orders/2147480001}\n        expect: {status: 200}\n"
    )
    assert main(["check", "--suite", str(suite)]) == 1
    out = capsys.readouterr().out
    assert "FAIL contract_wrong::wrong: failed" in out
    assert "status: expected 200, got 404" in out
    assert "0 passed, 1 failed, 0 skipped" in out


def test_bad_input_exits_2_without_a_traceback(tmp_path, capsys):
    assert main(["check", "--suite", str(tmp_path / "missing.yaml")]) == 2
    assert "no such suite file" in capsys.readouterr().err
    broken = tmp_path / "contract_broken.yaml"
    broken.write_text("cases: {")
    assert main(["check", "--suite", str(broken)]) == 2
    assert "not valid YAML" in capsys.readouterr().err
    assert main(["check", "-k", "no such case anywhere"]) == 2
    assert "no contract case matches" in capsys.readouterr().err


def test_live_without_settings_names_the_missing_variables(tmp_path, capsys, monkeypatch):
    for name in ("STOREFAKE_BIGCOMMERCE_STORE_HASH", "STOREFAKE_BIGCOMMERCE_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["check", "--target", "live", "-k", "bigcommerce-orders::unknown order"]) == 2
    assert "cannot use target live: live target: set STOREFAKE_BIGCOMMERCE_STORE_HASH" in capsys.readouterr().err


def test_live_missing_one_vendor_skips_its_cases_naming_the_variables(serve, tmp_path, capsys, monkeypatch):
    from storefake.contracts.commands import storefake_live_settings
    from storefake.targets import env_var

    settings = storefake_live_settings(serve)
    for name in ("bigcommerce_store_hash", "bigcommerce_access_token", "bigcommerce_api_url"):
        monkeypatch.setenv(env_var(name), getattr(settings, name))
    for name in ("adobe_rest_endpoint", "adobe_client_id", "adobe_client_secret"):
        monkeypatch.delenv(env_var(name), raising=False)
    suite = tmp_path / "contract_two.yaml"
    suite.write_text(
        "cases:\n  - name: unknown order\n    vendor: bigcommerce\n"
        "    steps: [{request: {path: /v2/orders/2147480001}, expect: {status: 404}}]\n"
        "  - name: unknown customer\n    vendor: adobe\n"
        "    steps: [{request: {path: /V1/customers/2147480001}, expect: {status: 404}}]\n"
    )
    assert main(["check", "--target", "live", "--suite", str(suite)]) == 0
    out = capsys.readouterr().out
    assert "SKIP 1 case(s): live target: set STOREFAKE_ADOBE_REST_ENDPOINT, STOREFAKE_ADOBE_CLIENT_ID, " in out
    assert "1 passed, 0 failed, 1 skipped" in out


def test_server_target_at_a_given_url(serve, capsys):
    assert main(["check", "--target", "server", "--base-url", serve, "-k", "adobe-tutorial"]) == 0
    assert "1 passed, 0 failed, 0 skipped" in capsys.readouterr().out


def test_check_a_contracts_folder_skips_its_openapi_documents(capsys):
    from storefake.resources import data_dir

    assert main(["check", "--target", "fake", "--suite", str(data_dir("contracts"))]) == 0
    assert "0 failed" in capsys.readouterr().out


def test_check_a_folder_skips_a_yaml_file_that_is_no_suite_with_a_warning(tmp_path, capsys):
    (tmp_path / "api.yaml").write_text("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n")
    (tmp_path / "contract_orders.yaml").write_text(
        "vendor: bigcommerce\ncases:\n  - name: unknown order\n    steps:\n"
        "      - request: {method: GET, path: /v2/orders/2147480001}\n        expect: {status: 404}\n"
    )
    assert main(["check", "--suite", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "api.yaml: not a contract suite (top-level keys info, openapi, paths; a suite has `cases`): skipped" in (
        captured.err
    )
    assert "1 passed, 0 failed, 0 skipped" in captured.out


def test_check_a_named_file_that_is_no_suite_is_bad_input(tmp_path, capsys):
    api = tmp_path / "api.yaml"
    api.write_text("openapi: 3.0.3\n")
    assert main(["check", "--suite", str(api)]) == 2
    assert "api.yaml: not a contract suite" in capsys.readouterr().err


def test_check_bad_base_url_is_one_line_exit_2():
    command = [sys.executable, "-m", "storefake", "check", "--target", "server", "--base-url", "localhost:8080"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        2,
        "storefake check: error: argument --base-url: not an http(s) URL: 'localhost:8080'; "
        "e.g. http://127.0.0.1:8080\n",
    )


def test_check_base_url_where_no_storefake_answers_is_one_line_exit_2(capsys):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once the socket closes
    assert main(["check", "--target", "server", "--base-url", f"http://127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"storefake: cannot use target server: no storefake server answers at http://127.0.0.1:{port}: "
        "ConnectError: [Errno 111] Connection refused"
    ]


SLOW_SECOND_CASE = """
vendor: bigcommerce
cases:
  - name: fast
    steps: [{request: {path: /v2/orders/2147480001}, expect: {status: 404}}]
  - name: slow
    steps: [{request: {path: /v2/orders/2147480002}, expect: {status: 404}}]
"""


def test_check_ctrl_c_prints_the_partial_summary(serve_process, tmp_path):
    import signal
    import time

    import httpx

    mocks = tmp_path / "slow.yaml"
    # Long enough to interrupt the slow case, short enough for the server to finish it when it stops.
    mocks.write_text("rules:\n  - match: {path: /v2/orders/2147480002}\n    delay: 4\n")
    suite = tmp_path / "contract_slow.yaml"
    suite.write_text(SLOW_SECOND_CASE)
    with serve_process("--mocks", str(mocks)) as (url, _banner):
        command = ["check", "--target", "live", "--base-url", url, "--suite", str(suite)]
        process = subprocess.Popen(
            [sys.executable, "-m", "storefake", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # the fast case is done: its request is in the journal
                journal = httpx.get(f"{url}/__storefake/journal", params={"path": "/v2/orders/2147480001"}).json()
                if journal["entries"]:
                    break
                time.sleep(0.1)
            time.sleep(1)  # the slow case's request is on its way
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
        finally:
            process.kill()
            process.wait(10)
    assert process.returncode == 130, err
    assert b"Traceback" not in err
    head, summary = out.decode().splitlines()
    assert head == "storefake check: target live, interrupted after 1 of 2 case(s)"
    assert summary.startswith("1 passed, 0 failed, 0 skipped in ")
