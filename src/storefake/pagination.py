"""Page arithmetic shared by every listing: offsets, page counts, clamping."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A 1-based page of `limit` items."""

    page: int = 1
    limit: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def total_pages(total: int, limit: int) -> int:
    """Number of pages needed for `total` items (0 when there are none)."""
    if limit <= 0:
        return 0
    return (total + limit - 1) // limit


def clamp_page(page: int, total: int, limit: int) -> int:
    """The page a vendor that clamps out-of-range pages (Magento collections do) would serve."""
    return max(1, min(page, total_pages(total, limit) or 1))
