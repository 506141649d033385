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


def load_yaml(path: str | Path) -> Any:
    """Read one YAML document, safely (never yaml.load)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def default_fixtures_path() -> Path:
    return data_dir("fixtures") / "default.yaml"
