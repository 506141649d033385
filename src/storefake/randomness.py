"""One seedable random source, so a seeded fake hands out the same tokens and ids on every run."""

from __future__ import annotations

import random
import secrets
import string
from collections.abc import Callable


class RandomSource:
    """Cryptographically random by default; reproducible when given a seed."""

    def __init__(self, seed: int | None = None) -> None:
        self.seeded = seed is not None
        self._base: random.Random = random.Random(seed) if seed is not None else secrets.SystemRandom()
        # Set by persistence (storefake/persistence): given the base generator, the generator of the write
        # being recorded or replayed (seeded per write, so a replay draws the very same values).
        self.tape: Callable[[random.Random], random.Random] | None = None

    @property
    def _rng(self) -> random.Random:
        # Every draw goes through here, so any method drawing from `self._rng` is recorded and replayed.
        tape = self.tape
        return self._base if tape is None else tape(self._base)

    def reseed(self, value: str) -> None:
        """Start a seeded source on a new sequence (a restarted fake must not repeat its earlier draws)."""
        if self.seeded:
            self._base.seed(value)

    def token(self, length: int = 32, alphabet: str = string.ascii_lowercase + string.digits) -> str:
        rng = self._rng
        return "".join(rng.choice(alphabet) for _ in range(length))

    def hex(self, length: int = 32) -> str:
        return self.token(length, "0123456789abcdef")

    def uuid4(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"

    def random(self) -> float:
        return self._rng.random()

    def uniform(self, low: float, high: float) -> float:
        return self._rng.uniform(low, high)
