"""BigCommerce state (placeholder until the BigCommerce slice lands)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class BigCommerceBackend:
    def __init__(self, fixtures: Mapping[str, Any], context: Any) -> None:
        self.fixtures = fixtures
        self.context = context

    def seed(self, data: Mapping[str, Any]) -> dict[str, int]:
        return {}

    def describe(self, base_url: str) -> list[str]:
        return []
