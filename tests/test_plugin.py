"""The pytest plugin, tested the way users meet it: pytester runs of small user test files."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import httpx
import pytest
import yaml

from storefake.resources import default_fixtures_path
from storefake.targets import LiveSettings

pytest_plugins = ["pytester"]

BC_CUSTOMERS = "/v3/customers"


@pytest.fixture
def run(pytester):
    """Write `source` as the user's test file and run pytest in-process with strict markers and warnings."""

    def _run(source: str, *args: str, ini: str | None = None, subprocess: bool = False):
        pytester.makepyfile(test_user=source)
        if ini is not None:
            pytester.makeini(f"[pytest]\n{ini}\n")
        runner = pytester.runpytest_subprocess if subprocess else pytester.runpytest
        return runner("-p", "no:cacheprovider", "--strict-markers", "-W", "error", *args)

    return _run


def test_plugin_is_a_pytest11_entry_point():
    plugins = {ep.name: ep.value for ep in metadata.entry_points(group="pytest11")}
    assert plugins["storefake"] == "storefake.plugin"


def test_plugin_loads_from_its_entry_point(run):
    result = run("def test_nothing(storefake_app):\n    assert storefake_app.state.fake\n", subprocess=True)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["storefake: target=fake"])


def test_help_shows_the_options(pytester):
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "storefake: fake Adobe Commerce and BigCommerce APIs:",
            "*--storefake-target=*",
            "*--storefake-allow-writes*",
            "*storefake_target *",
            "*storefake_adobe_client_id*",
            "*storefake_bigcommerce_access_token*",
        ]
    )


def test_fixtures_have_docstrings(pytester):
    result = pytester.runpytest("--fixtures", "-p", "no:cacheprovider")
    for name in ("storefake_app", "storefake_mock", "storefake_server", "storefake_target", "bigcommerce_client"):
        assert re.search(rf"^{name}( \[session scope\])? -- .*\n    \S", result.stdout.str(), re.M), name


def test_ini_options_cover_every_live_setting():
    from storefake.plugin import LIVE_SETTINGS

    assert set(LIVE_SETTINGS) == set(LiveSettings.__dataclass_fields__)


def test_markers_are_registered_for_strict_markers(run):
    result = run(
        """
        import pytest

        @pytest.mark.storefake_fake_only
        def test_fake(): pass

        @pytest.mark.storefake(assert_all_mocked=True)
        def test_configured(): pass
        """
    )
    result.assert_outcomes(passed=2)


def test_markers_are_listed(pytester):
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.storefake_live_only:*", "@pytest.mark.storefake_fake_only:*"])


MARKED = """
import pytest

@pytest.mark.storefake_live_only
def test_live(): pass

@pytest.mark.storefake_fake_only
def test_fake(): pass

def test_any(): pass
"""


@pytest.mark.parametrize(("target", "passed", "skipped"), [("fake", 2, 1), ("server", 2, 1), ("live", 2, 1)])
def test_markers_skip_per_target(run, target, passed, skipped):
    result = run(MARKED, f"--storefake-target={target}", "-rs")
    result.assert_outcomes(passed=passed, skipped=skipped)
    expected = "*storefake_fake_only: target is live*" if target == "live" else f"*target is {target}, not live*"
    result.stdout.fnmatch_lines([expected])


TARGET_KIND = "def test_kind(storefake_target):\n    print('KIND', storefake_target.kind)\n"


def test_target_option_picks_the_target(run):
    result = run(TARGET_KIND, "--storefake-target=server", "-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["storefake: target=server", "*KIND server*"])


def test_target_ini_is_the_fallback(run):
    result = run(TARGET_KIND, "-s", ini="storefake_target = server")
    result.stdout.fnmatch_lines(["*KIND server*"])


def test_target_option_beats_the_ini(run):
    result = run(TARGET_KIND, "-s", "--storefake-target=fake", ini="storefake_target = server")
    result.stdout.fnmatch_lines(["*KIND fake*"])


def test_target_bad_ini_value_is_a_usage_error(run):
    result = run(TARGET_KIND, ini="storefake_target = staging")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*storefake_target must be one of fake, server, live, not 'staging'*"])


def test_target_bad_option_value_is_refused(run):
    result = run(TARGET_KIND, "--storefake-target=staging")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_allow_writes_shows_in_the_live_header(run):
    result = run("def test_x(): pass", "--storefake-target=live", "--storefake-allow-writes")
    result.stdout.fnmatch_lines(["storefake: target=live (writes allowed)"])


def test_allow_writes_ini_fallback(run):
    result = run("def test_x(): pass", "--storefake-target=live", ini="storefake_allow_writes = true")
    result.stdout.fnmatch_lines(["storefake: target=live (writes allowed)"])


def test_live_without_writes_is_read_only(run):
    result = run("def test_x(): pass", "--storefake-target=live")
    result.stdout.fnmatch_lines(["storefake: target=live (read-only)"])


def test_live_settings_come_from_env_then_ini(run, monkeypatch):
    monkeypatch.setenv("STOREFAKE_BIGCOMMERCE_STORE_HASH", "fromenv")
    source = (
        "def test_settings(storefake_live_settings):\n"
        "    assert storefake_live_settings.bigcommerce_store_hash == 'fromenv'\n"
        "    assert storefake_live_settings.bigcommerce_access_token == 'fromini'\n"
    )
    ini = "storefake_bigcommerce_store_hash = fromini\nstorefake_bigcommerce_access_token = fromini"
    run(source, ini=ini).assert_outcomes(passed=1)


def test_live_without_settings_skips_client_tests(run, monkeypatch):
    monkeypatch.delenv("STOREFAKE_BIGCOMMERCE_STORE_HASH", raising=False)
    result = run("def test_x(bigcommerce_client): pass", "--storefake-target=live", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*set STOREFAKE_BIGCOMMERCE_STORE_HASH*"])


USER_TESTS = """
import asyncio

import httpx
import requests


def test_sync_client(bigcommerce_client):
    customer = {"email": "a@example.com", "first_name": "A", "last_name": "B"}
    created = bigcommerce_client.post("/v3/customers", json=[customer])
    assert created.status_code == 200, created.text
    assert len(bigcommerce_client.get("/v3/customers").json()["data"]) == 1


def test_state_is_clean_per_test(bigcommerce_client):
    assert bigcommerce_client.get("/v3/customers").json()["data"] == []


def test_async_client(bigcommerce_async_client):
    async def call():
        async with bigcommerce_async_client as client:
            return await client.get("/v3/customers")

    assert asyncio.run(call()).status_code == 200


def test_adobe_client(adobe_client):
    response = adobe_client.get("/V1/customers/search", params={"searchCriteria[pageSize]": 1})
    assert response.status_code == 200, response.text


def test_adobe_async_client(adobe_async_client):
    async def call():
        async with adobe_async_client as client:
            return await client.get("/V1/customers/search", params={"searchCriteria[pageSize]": 1})

    assert asyncio.run(call()).status_code == 200


def test_requests_session(storefake_server):
    with requests.Session() as session:
        response = session.get(f"{storefake_server.url}/stores/abc123/v3/customers",
                               headers={"X-Auth-Token": "storefake-bc-token", "Accept": "application/json"})
    assert response.status_code == 200
    assert storefake_server.fake.journal.last.path == "/stores/abc123/v3/customers"


def test_server_is_clean_per_test(storefake_server):
    assert not storefake_server.fake.journal.called


def test_storefake_mock(storefake_mock):
    response = httpx.get("https://api.bigcommerce.com/stores/abc123/v3/customers",
                         headers={"X-Auth-Token": "storefake-bc-token"})
    assert response.status_code == 200
    assert storefake_mock.router["storefake"].call_count == 1
"""


@pytest.mark.parametrize("target", ["fake", "server"])
def test_user_tests_pass_on_target(run, target):
    run(USER_TESTS, f"--storefake-target={target}").assert_outcomes(passed=8)


CLOCK_TESTS = """
import time


def test_a_freezes(storefake_target):
    storefake_target.fake.clock.freeze(1_000.0)


def test_b_advances(storefake_app):
    storefake_app.state.fake.clock.advance(86_400)


def test_c_sees_real_time(storefake_target):
    assert not storefake_target.fake.clock.frozen
    assert abs(storefake_target.fake.clock.now() - time.time()) < 5


def test_d_server_sees_real_time(storefake_server):
    assert not storefake_server.fake.clock.frozen
    storefake_server.fake.clock.advance(3_600)


def test_e_server_again(storefake_server):
    assert abs(storefake_server.fake.clock.now() - time.time()) < 5
"""


@pytest.mark.parametrize("target", ["fake", "server"])
def test_clean_state_per_test_restores_the_clock(run, target):
    run(CLOCK_TESTS, f"--storefake-target={target}").assert_outcomes(passed=5)


def test_storefake_marker_configures_the_mock(run):
    source = """
import httpx
import pytest
from respx.models import AllMockedAssertionError

@pytest.mark.storefake(hosts=["shop.example.test"], assert_all_mocked=True)
def test_blocked(storefake_mock):
    assert httpx.get("http://shop.example.test/__storefake/health").status_code == 200
    with pytest.raises(AllMockedAssertionError):
        httpx.get("http://elsewhere.example.test/")
"""
    run(source).assert_outcomes(passed=1)


def test_storefake_marker_refuses_unknown_options(run):
    source = """
import pytest

@pytest.mark.storefake(config=None)
def test_x(storefake_mock): pass
"""
    result = run(source)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*storefake marker: unknown option(s) config*"])


XDIST_TESTS = """
import os
import pytest

@pytest.mark.parametrize("n", range(6))
def test_server(storefake_server, n, tmp_path_factory):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    line = f"{worker} {storefake_server.port}\\n"
    with open(os.environ["STOREFAKE_PORTS_FILE"], "a") as handle:
        handle.write(line)
"""


def test_xdist_gives_each_worker_its_own_server(run, monkeypatch, tmp_path):
    ports_file = tmp_path / "ports.txt"
    monkeypatch.setenv("STOREFAKE_PORTS_FILE", str(ports_file))
    run(XDIST_TESTS, "-n", "2", subprocess=True).assert_outcomes(passed=6)
    pairs = {tuple(line.split()) for line in ports_file.read_text().splitlines()}
    workers = {worker for worker, _ in pairs}
    ports = {port for _, port in pairs}
    assert workers <= {"gw0", "gw1"}
    assert len(ports) == len(workers) == len(pairs)  # one server per worker, never a shared port


# --- live target against a `storefake serve` process -------------------------------------------------


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    """`storefake serve --port 0` with a tiny BigCommerce quota (3 requests per second)."""
    fixtures = yaml.safe_load(default_fixtures_path().read_text())
    fixtures["bigcommerce"]["stores"][0]["rate_limit"] = {"window_ms": 1000, "quota": 3}
    path = tmp_path_factory.mktemp("serve") / "tiny.yaml"
    path.write_text(yaml.safe_dump(fixtures))
    command = [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", "--fixtures", str(path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = re.search(r"http://\S+", line).group(0)
        yield url, path
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()


@pytest.fixture
def live_env(serve, monkeypatch):
    url, path = serve
    fixtures = yaml.safe_load(Path(path).read_text())
    ims = fixtures["adobe"]["ims_clients"][0]
    env = {
        "ADOBE_REST_ENDPOINT": f"{url}/{fixtures['adobe']['tenants'][0]['id']}",
        "ADOBE_IMS_URL": f"{url}/ims/token/v3",
        "ADOBE_CLIENT_ID": ims["client_id"],
        "ADOBE_CLIENT_SECRET": ims["client_secret"],
        "BIGCOMMERCE_STORE_HASH": "abc123",
        "BIGCOMMERCE_ACCESS_TOKEN": "storefake-bc-token",
        "BIGCOMMERCE_API_URL": url,
    }
    for name, value in env.items():
        monkeypatch.setenv(f"STOREFAKE_{name}", value)
    httpx.post(f"{url}/__storefake/reset")
    return url


LIVE_TESTS = """
import httpx

SEARCH = {"searchCriteria[pageSize]": 1}


def test_token_fetched_once_and_refreshed_on_401(adobe_client, storefake_target, storefake_live_settings):
    assert adobe_client.get("/V1/customers/search", params=SEARCH).status_code == 200
    assert adobe_client.get("/V1/customers/search", params=SEARCH).status_code == 200
    assert storefake_target.token_fetches == 1
    # The server's clock jumps past the token's 86399 s lifetime: the next call gets a 401 and retries.
    root = storefake_live_settings.bigcommerce_api_url
    httpx.post(f"{root}/__storefake/clock/advance", json={"seconds": 90000})
    assert adobe_client.get("/V1/customers/search", params=SEARCH).status_code == 200
    assert storefake_target.token_fetches == 2


def test_rate_limit_is_waited_out(bigcommerce_client):
    statuses = [bigcommerce_client.get("/v3/customers").status_code for _ in range(5)]
    assert statuses == [200] * 5
"""


def test_live_target_against_storefake_serve(run, live_env):
    result = run(LIVE_TESTS, "--storefake-target=live", subprocess=True)
    result.assert_outcomes(passed=2)
    journal = httpx.get(f"{live_env}/__storefake/journal", params={"path": "/v3/customers"}).json()["entries"]
    statuses = [entry["status"] for entry in journal]
    assert 429 in statuses  # the quota was hit, and the client waited instead of failing
    assert statuses.count(200) == 5
    ims_calls = httpx.get(f"{live_env}/__storefake/journal", params={"path": "/ims/token/v3"}).json()["count"]
    assert ims_calls == 2
