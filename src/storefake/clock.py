"""The one source of time for the fake.

Token expiry, webhook retry schedules and rate-limit windows all read this clock, so tests and the
control API can freeze it and move it forward instead of sleeping.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

# The last second every date the vendors write can hold (9999-12-31T23:59:59Z): past it, formatting fails.
LATEST = 253_402_300_799.0


def checked_instant(at: float) -> float:
    """`at` as epoch seconds, if a date can be made of it; ValueError for NaN, infinities and absurd values."""
    at = float(at)
    if not (math.isfinite(at) and 0 <= at <= LATEST):
        raise ValueError(f"the clock can only be set between 0 and {LATEST:.0f} (9999-12-31T23:59:59Z)")
    return at


class Clock:
    """Wall-clock time plus an offset, or a frozen instant; both can be advanced."""

    def __init__(self, frozen_at: float | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at = None if frozen_at is None else checked_instant(frozen_at)
        self._listeners: list[Callable[[], None]] = []
        # Set by persistence (storefake/persistence): the wall time of the write being recorded or replayed
        # (None outside one), so a replayed write reads the very instants it read when it was made.
        self.pin: Callable[[], float | None] | None = None

    def now(self) -> float:
        """Seconds since the epoch, as the fake sees them."""
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        if self.pin is None:
            return time.time() + self._offset
        return self._wall() + self._offset

    def _wall(self) -> float:
        at = None if self.pin is None else self.pin()
        return time.time() if at is None else at

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: float | None = None) -> None:
        """Stop time at `at` (default: now) until `unfreeze` or another `freeze`."""
        at = None if at is None else checked_instant(at)
        with self._lock:
            self._frozen_at = self.now() if at is None else at
        self._notify()

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._wall()
                self._frozen_at = None
        self._notify()

    def reset(self, frozen_at: float | None = None) -> None:
        """Back to the clock it was built as: real time (no offset), or frozen at `frozen_at`."""
        with self._lock:
            self._offset = 0.0
            self._frozen_at = frozen_at
        self._notify()

    def advance(self, seconds: float) -> None:
        """Move time forward; listeners (webhook retries, ...) get a chance to act on what fell due."""
        if not seconds >= 0:  # NaN too
            raise ValueError("the clock only moves forward")
        checked_instant(self.now() + seconds)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        self._notify()

    def state(self) -> tuple[float | None, float]:
        """(frozen instant or None, offset from the wall clock): all a clock is, for persistence."""
        with self._lock:
            return self._frozen_at, self._offset

    def set_state(self, frozen_at: float | None, offset: float) -> None:
        """Put the clock back in a `state()` (restoring a fake); listeners are not called."""
        with self._lock:
            self._frozen_at, self._offset = frozen_at, offset

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every freeze or advance."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        """Stop calling `listener` (a reset backend's webhook queue, say); unknown listeners are ignored."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()
