"""storefake's pytest plugin (pytest11 entry point): options, markers, contract items and fixtures.

This module loads in every pytest run of every project that installs storefake, so it imports nothing
heavy at module level: the app, httpx, respx and uvicorn are imported inside the fixtures that need them.

Precedence of settings: the command line beats the ini file, which beats the built-in default
(`--storefake-target` > ini `storefake_target` > "fake"). Live settings come from the environment first
(`STOREFAKE_ADOBE_CLIENT_ID`, ...), then from the ini options of the same name in lower case without the
`STOREFAKE_` prefix and with `storefake_` in front (`storefake_adobe_client_id`), then the defaults.
The closest `storefake(...)` marker configures the `storefake_mock` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

TARGETS = ("fake", "server", "live")
# LiveSettings fields (storefake.targets), kept literal here so loading the plugin imports no httpx.
LIVE_SETTINGS = {
    "adobe_rest_endpoint": "Adobe Commerce REST base incl. tenant id, e.g. https://na1-sandbox.api.commerce.adobe.com/<id>",
    "adobe_ims_url": "Adobe IMS token URL (default https://ims-na1.adobelogin.com/ims/token/v3)",
    "adobe_client_id": "Adobe IMS OAuth server-to-server client id",
    "adobe_client_secret": "Adobe IMS OAuth server-to-server client secret",
    "adobe_scope": "comma-separated IMS scopes (default: the ones ACCS requires)",
    "bigcommerce_store_hash": "BigCommerce store hash",
    "bigcommerce_access_token": "BigCommerce API account access token (X-Auth-Token)",
    "bigcommerce_client_id": "BigCommerce API account client id (optional)",
    "bigcommerce_api_url": "BigCommerce API URL (default https://api.bigcommerce.com)",
}
FAKE_TARGETS = ("fake", "server")


# --- options -----------------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("storefake", "storefake: fake Adobe Commerce and BigCommerce APIs")
    group.addoption(
        "--storefake-target",
        dest="storefake_target",
        choices=TARGETS,
        default=None,
        help="where storefake_target and the vendor client fixtures send requests: fake (in-process, default), "
        "server (a threaded real-socket storefake) or live (the vendor, configured by STOREFAKE_* env vars)",
    )
    group.addoption(
        "--storefake-allow-writes",
        dest="storefake_allow_writes",
        action="store_true",
        default=None,
        help="let contract cases that write data run against the live target (skipped otherwise)",
    )
    parser.addini("storefake_target", "default for --storefake-target (fake, server or live)", default="fake")
    parser.addini("storefake_allow_writes", "default for --storefake-allow-writes", type="bool", default=False)
    for name, text in LIVE_SETTINGS.items():
        parser.addini(f"storefake_{name}", f"{text}; env STOREFAKE_{name.upper()} wins", default=None)


def target_kind(config: pytest.Config) -> str:
    """The chosen target: --storefake-target, else ini storefake_target, else fake."""
    kind = config.getoption("storefake_target") or config.getini("storefake_target") or "fake"
    if kind not in TARGETS:
        raise pytest.UsageError(f"storefake_target must be one of {', '.join(TARGETS)}, not {kind!r}")
    return str(kind)


def allow_writes(config: pytest.Config) -> bool:
    """--storefake-allow-writes, else the ini option; only live runs look at it."""
    option = config.getoption("storefake_allow_writes")
    return bool(config.getini("storefake_allow_writes") if option is None else option)


def live_fallbacks(config: pytest.Config) -> dict[str, str | None]:
    return {name: config.getini(f"storefake_{name}") or None for name in LIVE_SETTINGS}


# --- configuration -----------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "storefake_live_only: run only with --storefake-target=live")
    config.addinivalue_line(
        "markers", "storefake_fake_only: never run against the live vendor (targets fake and server only)"
    )
    config.addinivalue_line(
        "markers",
        "storefake(hosts=[...], assert_all_mocked=False): configure the storefake_mock fixture "
        "(extra hosts routed into the fake; fail requests to any other host)",
    )
    target_kind(config)  # a bad ini value is a usage error before collection starts


def pytest_report_header(config: pytest.Config) -> str:
    kind = target_kind(config)
    if kind == "live":
        return f"storefake: target=live ({'writes allowed' if allow_writes(config) else 'read-only'})"
    return f"storefake: target={kind}"


# --- collection --------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kind = target_kind(config)
    for item in items:
        if kind != "live" and item.get_closest_marker("storefake_live_only"):
            item.add_marker(pytest.mark.skip(reason=f"storefake_live_only: target is {kind}, not live"))
        if kind == "live" and item.get_closest_marker("storefake_fake_only"):
            item.add_marker(pytest.mark.skip(reason="storefake_fake_only: target is live"))


# --- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def storefake_config() -> Any:
    """The storefake.Config for the session's fakes; override it to use your own fixtures file."""
    from storefake.config import Config

    return Config()


@pytest.fixture(scope="session")
def storefake_session_app(storefake_config: Any) -> Any:
    """The session's in-process fake app (state is reset before each test that uses it)."""
    from storefake.app import create_app

    return create_app(storefake_config)


@pytest.fixture
def storefake_app(storefake_session_app: Any) -> Any:
    """The fake Starlette app, in-process, with a clean state (`storefake_app.state.fake` is the runtime)."""
    storefake_session_app.state.fake.reset()
    return storefake_session_app


@pytest.fixture
def storefake_mock(request: pytest.FixtureRequest, storefake_app: Any) -> Iterator[Any]:
    """storefake.mock() on the clean fake: httpx calls to vendor hosts go in-process; `.router`, `.fake`."""
    from storefake.interception import mock

    marker = request.node.get_closest_marker("storefake")
    options = dict(marker.kwargs) if marker else {}
    unknown = sorted(set(options) - {"hosts", "assert_all_mocked"})
    if unknown:
        pytest.fail(f"storefake marker: unknown option(s) {', '.join(unknown)}", pytrace=False)
    with mock(app=storefake_app, **options) as interceptor:
        yield interceptor


@pytest.fixture(scope="session")
def storefake_server(storefake_config: Any) -> Iterator[Any]:
    """A ThreadedServer for the session (one per xdist worker, port 0): `.url`, `.fake`."""
    from storefake.server import ThreadedServer

    with ThreadedServer(storefake_config) as server:
        yield server


@pytest.fixture(scope="session")
def storefake_live_settings(pytestconfig: pytest.Config) -> Any:
    """LiveSettings for target live: STOREFAKE_* environment variables, then the ini options."""
    from storefake.targets import LiveSettings

    return LiveSettings.from_env(fallbacks=live_fallbacks(pytestconfig))


@pytest.fixture(scope="session")
def storefake_session_target(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The session's Target for --storefake-target (one IMS token for the whole session)."""
    from storefake import targets

    kind = target_kind(pytestconfig)
    if kind == "fake":
        target = targets.fake_target(request.getfixturevalue("storefake_session_app"))
    elif kind == "server":
        target = request.getfixturevalue("storefake_server").target()
    else:
        target = targets.live_target(request.getfixturevalue("storefake_live_settings"))
    with target:
        yield target


@pytest.fixture
def storefake_target(storefake_session_target: Any) -> Any:
    """The chosen Target (fake, server or live); the fake behind it, if any, starts each test clean."""
    if storefake_session_target.fake is not None:
        storefake_session_target.fake.reset()
    return storefake_session_target


def _client(target: Any, vendor: str, asynchronous: bool) -> Any:
    from storefake.targets import TargetError

    try:
        return target.async_client(vendor) if asynchronous else target.client(vendor)
    except TargetError as exc:  # a live run without this vendor's settings
        pytest.skip(str(exc))


@pytest.fixture
def adobe_client(storefake_target: Any) -> Iterator[Any]:
    """httpx.Client on the target's Adobe Commerce REST base (tenant included), with an IMS bearer token."""
    with _client(storefake_target, "adobe", asynchronous=False) as client:
        yield client


@pytest.fixture
def bigcommerce_client(storefake_target: Any) -> Iterator[Any]:
    """httpx.Client on the target's https://.../stores/<hash> base, carrying X-Auth-Token."""
    with _client(storefake_target, "bigcommerce", asynchronous=False) as client:
        yield client


@pytest.fixture
def adobe_async_client(storefake_target: Any) -> Any:
    """httpx.AsyncClient like adobe_client; open it with `async with` inside your event loop."""
    return _client(storefake_target, "adobe", asynchronous=True)


@pytest.fixture
def bigcommerce_async_client(storefake_target: Any) -> Any:
    """httpx.AsyncClient like bigcommerce_client; open it with `async with` inside your event loop."""
    return _client(storefake_target, "bigcommerce", asynchronous=True)


@pytest.fixture(autouse=True)
def _storefake_clean_server(request: pytest.FixtureRequest) -> None:
    # A test that uses the session server directly (requests, other languages) also starts clean;
    # tests that don't ask for it never start it.
    if "storefake_server" in request.fixturenames:
        request.getfixturevalue("storefake_server").fake.reset()


# --- contract suites (contracts engineer): the hooks live in storefake/contracts/pytest_plugin.py so
# their names never collide with this module's; `--storefake-contracts` adds the bundled suites.
pytest_plugins = ["storefake.contracts.pytest_plugin"]
