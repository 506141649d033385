"""Adobe Commerce REST routes (placeholder until the Adobe slice lands)."""

from __future__ import annotations

routes: list = []
