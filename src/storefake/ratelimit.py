"""Request quotas per fixed time window, keyed by anything (a store hash, a client id), driven by the clock.

Shared by every vendor that meters requests. A window opens on the first request after the previous
one closed and lasts `window_seconds`; every request in it counts, allowed or not is decided under one
lock, so concurrent callers can never get more than `requests` through a window. Time comes from the
fake's injectable clock: freezing it holds a window open, advancing it closes the window.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from storefake.clock import Clock


@dataclass(frozen=True, slots=True)
class Quota:
    requests: int
    window_seconds: float


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one request against its key's window, with what the rate-limit headers report."""

    allowed: bool
    quota: int
    left: int
    window_ms: int
    reset_ms: int

    @property
    def retry_after_seconds(self) -> float:
        return self.reset_ms / 1000.0


class WindowCounter:
    """Fixed-window counters per key; thread-safe; O(1) per request."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, key: str, quota: Quota, *, keep: bool = True) -> Decision:
        """Count one request for `key`; `allowed` is False once the window's quota is used up.

        `keep=False` answers as the first request of a fresh window and keeps nothing: for keys a caller
        can make up at will (a store hash nobody has), which must not each cost a window held for ever.
        """
        now = self._clock.now()
        with self._lock:
            start, used = self._windows.get(key, (now, 0)) if keep else (now, 0)
            if now >= start + quota.window_seconds or now < start:
                start, used = now, 0
            allowed = used < quota.requests
            if allowed:
                used += 1
            if keep:
                self._windows[key] = (start, used)
        reset = max(0.0, start + quota.window_seconds - now)
        return Decision(
            allowed=allowed,
            quota=quota.requests,
            left=max(0, quota.requests - used),
            window_ms=int(quota.window_seconds * 1000),
            reset_ms=max(1, math.ceil(reset * 1000)),
        )

    def __len__(self) -> int:
        """How many windows are kept."""
        return len(self._windows)

    def forget(self, key: str | None = None) -> None:
        """Close `key`'s window (every window when None), e.g. after its quota changed."""
        with self._lock:
            if key is None:
                self._windows.clear()
            else:
                self._windows.pop(key, None)
