"""Contract cases as pytest items (the shape of pytest's doc/en/example/nonpython/conftest.py).

`ContractFile.collect` yields one `ContractItem` per case; `runtest` runs it through the Runner and
raises `ContractFailure`, whose text is the runner's short diff (step, request, expected vs actual,
response), so pytest prints that instead of a traceback into storefake. The target comes from the
plugin's `--storefake-target` options and is shared by every contract item of the session.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storefake.contracts.model import Case, ContractSchemaError, NotASuite, bundled_suite_paths, load_suite
from storefake.contracts.runner import CaseResult, Runner, skip_reason

USER_PATTERN = "contract_*.y*ml"
_SESSION = pytest.StashKey["ContractSession"]()


class ContractFailure(Exception):
    """A case whose responses did not meet its expectations."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.report())
        self.result = result


class ContractSession:
    """The target and runner every contract item of a session shares (opened on first use)."""

    def __init__(self, config: pytest.Config) -> None:
        from storefake import plugin

        self.config = config
        self.kind = plugin.target_kind(config)
        self.allow_writes = plugin.allow_writes(config)
        self._stack = contextlib.ExitStack()
        self._runner: Runner | None = None

    def runner(self) -> Runner:
        if self._runner is None:
            target = self._stack.enter_context(self._open_target())
            self._runner = self._stack.enter_context(Runner(target, allow_writes=self.allow_writes))
        return self._runner

    def _open_target(self) -> Any:
        from storefake import plugin, targets
        from storefake.contracts.commands import open_target

        if self.kind == "live":
            # The plugin's precedence for live settings: environment first, then ini options.
            return targets.live_target(targets.LiveSettings.from_env(fallbacks=plugin.live_fallbacks(self.config)))
        return open_target(self.kind)

    def close(self) -> None:
        self._stack.close()
        self._runner = None


def contract_session(config: pytest.Config) -> ContractSession:
    if _SESSION not in config.stash:
        session = ContractSession(config)
        config.stash[_SESSION] = session
        config.add_cleanup(session.close)
    return config.stash[_SESSION]


class ContractFile(pytest.File):
    """A YAML suite file: one item per case."""

    def collect(self) -> Iterator[ContractItem]:
        try:
            suite = load_suite(self.path)
        except NotASuite as exc:  # an OpenAPI document that happens to match contract_*.yaml, say
            self.warn(pytest.PytestCollectionWarning(f"{exc}: skipped"))
            return
        except ContractSchemaError as exc:
            raise self.CollectError(str(exc)) from None
        for case in suite.cases:
            yield ContractItem.from_parent(self, name=case.name, case=case)


class ContractItem(pytest.Item):
    """One contract case."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.add_marker("storefake_contract")

    def runtest(self) -> None:
        session = contract_session(self.config)
        reason = skip_reason(self.case, session.kind, session.allow_writes)
        if reason:
            pytest.skip(reason)
        from storefake.targets import TargetError

        try:
            result = session.runner().run(self.case)
        except TargetError as exc:  # e.g. a live setting missing: say which, no traceback into storefake
            pytest.fail(f"target {session.kind}: {exc}", pytrace=False)
        if result.outcome == "skipped":  # a vendor the live target has no settings for
            pytest.skip(result.reason)
        if result.outcome == "failed":
            raise ContractFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ContractFailure):
            return f"contract case failed on target {contract_session(self.config).kind}:\n{excinfo.value}"
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"contract: {self.case.id}"


def is_user_suite(file_path: Path) -> bool:
    return file_path.match(USER_PATTERN)


@functools.cache
def _bundled() -> frozenset[Path]:
    return frozenset(bundled_suite_paths())


def is_bundled_suite(file_path: Path) -> bool:
    return file_path in _bundled()


def collect_file(file_path: Path, parent: pytest.Collector) -> ContractFile | None:
    """pytest_collect_file's work: user `contract_*.yaml` files and bundled suites given on the command line."""
    if file_path.suffix in (".yaml", ".yml") and (is_user_suite(file_path) or is_bundled_suite(file_path)):
        return ContractFile.from_parent(parent, path=file_path)
    return None


def bundled_items(session: pytest.Session) -> list[pytest.Item]:
    """Items for every bundled suite (the `--storefake-contracts` option)."""
    items: list[pytest.Item] = []
    for path in bundled_suite_paths():
        # Bundled files live outside the user's rootdir: name them by their place in contracts/.
        nodeid = f"storefake-contracts/{path.parent.name}/{path.name}"
        items.extend(ContractFile.from_parent(session, path=path, nodeid=nodeid).collect())
    return items
