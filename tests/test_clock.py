from __future__ import annotations

import time

import pytest

from storefake.clock import Clock


def test_frozen_clock_stands_still_until_advanced():
    clock = Clock(frozen_at=1_000.0)
    assert clock.now() == 1_000.0
    clock.advance(60)
    assert clock.now() == 1_060.0
    assert clock.utcnow().year == 1970


def test_advance_moves_a_running_clock_forward():
    clock = Clock()
    before = clock.now()
    clock.advance(3600)
    assert clock.now() - before >= 3600


def test_unfreeze_continues_from_the_frozen_instant():
    clock = Clock(frozen_at=5_000.0)
    clock.unfreeze()
    assert 5_000.0 <= clock.now() < 5_010.0
    assert not clock.frozen


def test_advance_backwards_is_refused():
    with pytest.raises(ValueError, match="forward"):
        Clock().advance(-1)


def test_listeners_hear_every_advance_and_freeze():
    clock = Clock()
    heard: list[float] = []
    clock.subscribe(lambda: heard.append(clock.now()))
    clock.freeze(10.0)
    clock.advance(5)
    assert heard == [10.0, 15.0]


def test_reset_returns_an_advanced_clock_to_real_time():
    clock = Clock()
    clock.advance(86_400)
    clock.reset()
    assert abs(clock.now() - time.time()) < 5
    assert not clock.frozen


def test_reset_returns_a_frozen_clock_to_real_time():
    clock = Clock()
    clock.freeze(1_000.0)
    clock.reset()
    assert not clock.frozen
    assert abs(clock.now() - time.time()) < 5


def test_reset_refreezes_at_the_configured_instant():
    clock = Clock(frozen_at=5_000.0)
    clock.unfreeze()
    clock.advance(60)
    clock.reset(5_000.0)
    assert clock.frozen
    assert clock.now() == 5_000.0


@pytest.mark.parametrize("at", [float("nan"), float("inf"), -1.0, 1e300])
def test_freeze_at_an_instant_no_date_can_hold_is_refused(at):
    clock = Clock(frozen_at=1_000.0)
    with pytest.raises(ValueError, match="between 0 and 253402300799"):
        clock.freeze(at)
    assert clock.now() == 1_000.0


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), 1e300])
def test_advance_past_any_date_is_refused(seconds):
    clock = Clock(frozen_at=1_000.0)
    with pytest.raises(ValueError, match=r"only moves forward|between 0 and 253402300799"):
        clock.advance(seconds)
    assert clock.now() == 1_000.0


def test_frozen_at_must_be_a_date():
    with pytest.raises(ValueError, match="between 0 and 253402300799"):
        Clock(frozen_at=float("nan"))
