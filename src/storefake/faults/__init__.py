"""Declarative mocks and fault injection: rules that answer, delay, fail or drop matching requests.

Rules come from mocks/*.yaml (`storefake serve --mocks DIR`, `Config(mocks=[...])`), from Python
(`fake.mocks.add({...})`) and from the control API (`/__storefake/mocks`). See rules.py for the format.
"""

from __future__ import annotations

from storefake.faults.actions import DroppedConnection
from storefake.faults.middleware import FaultMiddleware
from storefake.faults.rules import RuleError, RuleSpec, load_rule_files, parse_match, parse_rule, parse_rules
from storefake.faults.ruleset import Rule, RuleSet

__all__ = [
    "DroppedConnection",
    "FaultMiddleware",
    "Rule",
    "RuleError",
    "RuleSet",
    "RuleSpec",
    "load_rule_files",
    "parse_match",
    "parse_rule",
    "parse_rules",
]
