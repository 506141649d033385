"""Pytest hooks for contract suites, loaded by storefake.plugin (`pytest_plugins`).

Kept apart from plugin.py so the hook names (pytest_addoption, pytest_configure) never collide with the
plugin's own. Collects the user's `contract_*.yaml` files always, and the bundled suites with
`--storefake-contracts` (or the `storefake_contracts = true` ini option).
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("storefake")
    group.addoption(
        "--storefake-contracts",
        action="store_true",
        default=None,
        help="also run storefake's bundled contract suites (contracts/adobe, contracts/bigcommerce) as tests",
    )
    parser.addini("storefake_contracts", "run storefake's bundled contract suites (true/false)", type="bool")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "storefake_contract: a storefake contract case collected from YAML")


def _bundled_requested(config: pytest.Config) -> bool:
    option = config.getoption("storefake_contracts")
    # Precedence: command line, then ini.
    return bool(option) if option is not None else bool(config.getini("storefake_contracts"))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None  # most files: answer before importing the runner (httpx, jsonschema)
    from storefake.contracts.collect import collect_file

    return collect_file(file_path, parent)


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselection, so they apply to the bundled cases too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _bundled_requested(config):
        return
    from storefake.contracts.collect import bundled_items

    known = {item.nodeid for item in items}
    items.extend(item for item in bundled_items(session) if item.nodeid not in known)
