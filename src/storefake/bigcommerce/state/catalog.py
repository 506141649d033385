"""BigCommerce catalog state (placeholder: being built)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class CatalogState:
    def __init__(self, store: Any) -> None:
        self.store = store

    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        return {}
