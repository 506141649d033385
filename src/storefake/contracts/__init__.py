"""Contract suites: YAML cases that run the same way against the fake, a server and a live store.

`load_suite(path)` reads a suite (schema in model.py), `Runner(target).run(case)` runs one case and
returns a `CaseResult` whose `report()` is the short readable diff; collect.py turns cases into pytest
items and `storefake check` runs them without pytest.
"""

from __future__ import annotations

from storefake.contracts.model import (
    Case,
    ContractSchemaError,
    Step,
    Suite,
    bundled_suite_paths,
    load_suite,
    parse_suite,
)
from storefake.contracts.runner import CaseResult, Exchange, Runner, skip_reason

__all__ = [
    "Case",
    "CaseResult",
    "ContractSchemaError",
    "Exchange",
    "Runner",
    "Step",
    "Suite",
    "bundled_suite_paths",
    "load_suite",
    "parse_suite",
    "skip_reason",
]
