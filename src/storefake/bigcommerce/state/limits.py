"""A store's request quota from its `rate_limit` settings (fixtures or the control API).

Vendor facts §1 (api-rate-limits.mdx): 30 s windows; Standard and Plus plans get 150 requests per
window, Pro 450 (Enterprise is negotiated, so give it an explicit `quota`). Without settings the quota
is high enough never to disturb an ordinary test suite.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from storefake.ratelimit import Quota

PLAN_QUOTAS = {"standard": 150, "plus": 150, "pro": 450}
DEFAULT_WINDOW_MS = 30_000
DEFAULT_QUOTA = 100_000


def store_quota(settings: Mapping[str, Any] | None) -> Quota:
    """`{plan?, quota?, window_ms?}` → Quota; an explicit `quota` beats the plan's. ValueError if malformed."""
    settings = settings or {}
    unknown = set(settings) - {"plan", "quota", "window_ms"}
    if unknown:
        raise ValueError(f"unknown rate_limit setting(s): {', '.join(sorted(unknown))}")
    plan = settings.get("plan")
    if plan is not None and str(plan).lower() not in PLAN_QUOTAS:
        raise ValueError(f"unknown rate_limit plan {plan!r}; use one of: {', '.join(PLAN_QUOTAS)}")
    requests = settings.get("quota")
    if requests is None:
        requests = PLAN_QUOTAS[str(plan).lower()] if plan is not None else DEFAULT_QUOTA
    window_ms = settings.get("window_ms", DEFAULT_WINDOW_MS)
    if isinstance(requests, bool) or not isinstance(requests, int) or requests < 1:
        raise ValueError("rate_limit quota must be a positive integer")
    if isinstance(window_ms, bool) or not isinstance(window_ms, int | float) or not 0 < window_ms < 1e12:
        raise ValueError("rate_limit window_ms must be a positive number")
    return Quota(requests=requests, window_seconds=window_ms / 1000.0)


def quota_for_request(settings: Mapping[str, Any] | None) -> Quota:
    """`store_quota` for the per-request path: settings are replaced whole, never changed in place, so
    the quota of a given set of settings is worked out once."""
    if not settings:
        return _DEFAULT
    try:
        key = frozenset(settings.items())
    except TypeError:  # an unhashable setting: no caching, same answer
        return store_quota(settings)
    return _cached_quota(key)


@functools.lru_cache(maxsize=256)
def _cached_quota(items: frozenset[tuple[str, Any]]) -> Quota:
    return store_quota(dict(items))


_DEFAULT = store_quota(None)
