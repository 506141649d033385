"""Fixtures of the persistence tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .support import InProcess


@pytest.fixture
def persisted(tmp_path) -> Iterator[InProcess]:
    """`persisted.open(**config)` builds a fake on tmp_path/data (reopening restarts it)."""
    fakes = InProcess(tmp_path / "data")
    yield fakes
    fakes.close()
