"""One seedable random source, so a seeded fake hands out the same tokens and ids on every run."""

from __future__ import annotations

import random
import secrets
import string


class RandomSource:
    """Cryptographically random by default; reproducible when given a seed."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng: random.Random = random.Random(seed) if seed is not None else secrets.SystemRandom()

    def token(self, length: int = 32, alphabet: str = string.ascii_lowercase + string.digits) -> str:
        return "".join(self._rng.choice(alphabet) for _ in range(length))

    def hex(self, length: int = 32) -> str:
        return self.token(length, "0123456789abcdef")

    def uuid4(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"

    def random(self) -> float:
        return self._rng.random()

    def uniform(self, low: float, high: float) -> float:
        return self._rng.uniform(low, high)
