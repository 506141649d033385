"""Where the bundled data lives: fixtures/, mocks/ and contracts/.

In a wheel they are packed under `storefake/_data/` (hatchling force-include) and found with
importlib.resources; in a source checkout (editable install, tests) they are the repository's own
top-level folders. Either way callers get a real directory path.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

DATA_DIRS = ("fixtures", "mocks", "contracts")


def data_dir(name: str) -> Path:
    """The directory holding bundled `name` (one of fixtures, mocks, contracts)."""
    if name not in DATA_DIRS:
        raise ValueError(f"unknown data directory {name!r}")
    packaged = Path(str(resources.files("storefake"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"storefake's bundled {name}/ directory is missing")


# libyaml's safe loader when PyYAML was built with it: several times faster on large fixtures and seeds.
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader for seed data: an unquoted `2026-01-23 20:40:15` stays the text written, as in JSON,
    instead of becoming a datetime no vendor field holds."""


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: str | Path, *, data: bool = False) -> Any:
    """Read one YAML document, safely (never an unsafe loader); `data`: dates stay text (seed data)."""
    with open(path, "rb") as handle:
        return parse_yaml(handle.read(), data=data)


def parse_yaml(text: str | bytes, *, data: bool = False) -> Any:
    """One YAML document, with the safe loader (the C one when available); `data` as for load_yaml."""
    return yaml.load(text, Loader=DataLoader if data else SafeLoader)


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error on one line: what is wrong and where (PyYAML's own text spans several lines)."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else str(problem)


def default_fixtures_path() -> Path:
    return data_dir("fixtures") / "default.yaml"
