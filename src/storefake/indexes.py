"""The pieces a Table's indexes are made of: ordered keys, numeric key ranges, merged buckets, text folding.

`Table` (table.py) keeps the indexes and plans listings with them; these are the values and small
structures it works with, kept apart so each is easy to read and test on its own.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import operator
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sortedcontainers import SortedList, SortedSet


class Bucket(SortedSet):
    """A hash index's bucket: the ids of the rows under one key, sorted, with O(1) membership.

    A SortedSet whose `__init__` does not store its ten bound shortcuts (`bisect_left`, `irange`, ...) on
    every instance: they are methods here. A table holds one bucket per key (one per product in the
    variants' product index), so this saves about a kilobyte per key and makes a snapshot of a large
    catalog much cheaper to load. Only key-less sets, as a table's are.
    """

    def __init__(self, iterable: Any = None, key: None = None) -> None:
        if key is not None:
            raise TypeError("a Bucket has no key function")
        self._key = None
        if not hasattr(self, "_set"):  # SortedSet._fromset (set operations) sets it before calling __init__
            self._set = set()
        self._list = SortedList(self._set)
        if iterable is not None:
            self._update(iterable)

    @classmethod
    def _fromset(cls, values: set[Any], key: Any = None) -> Bucket:
        bucket = object.__new__(cls)
        bucket._set = values
        bucket.__init__()
        return bucket

    def isdisjoint(self, other: Any) -> bool:
        return self._set.isdisjoint(other)

    def issubset(self, other: Any) -> bool:
        return self._set.issubset(other)

    def issuperset(self, other: Any) -> bool:
        return self._set.issuperset(other)

    def bisect_left(self, value: Any) -> int:
        return self._list.bisect_left(value)

    def bisect_right(self, value: Any) -> int:
        return self._list.bisect_right(value)

    bisect = bisect_right

    def index(self, value: Any, start: int | None = None, stop: int | None = None) -> int:
        return self._list.index(value, start, stop)

    def irange(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return self._list.irange(*args, **kwargs)

    def islice(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        return self._list.islice(*args, **kwargs)

    def _reset(self, load: int) -> None:
        self._list._reset(load)


# Order of values of different kinds in an ordered index: missing first, then numbers, then text (compared
# case-insensitively), then anything else by its text. Values of one kind compare as Python compares them.
NONE_RANK, NUMBER_RANK, TEXT_RANK, OTHER_RANK = 0, 1, 2, 3


def order_key(value: Any, row_id: int) -> tuple[int, Any, int]:
    """A row's entry in an ordered index: any two compare without a TypeError; ties go by id."""
    if value is None:
        return (NONE_RANK, 0, row_id)
    if isinstance(value, int | float) and value == value:  # NaN would break the order: it sorts as text
        return (NUMBER_RANK, value, row_id)
    if isinstance(value, str):
        return (TEXT_RANK, value.casefold(), row_id)
    return (OTHER_RANK, str(value), row_id)


def grams(folded: str) -> set[str]:
    """The trigrams of already folded text (see `fold`)."""
    return {folded[i : i + 3] for i in range(len(folded) - 2)}


def fold(text: str) -> str:
    """Text folded so that a case-insensitive regular expression match implies a match of the folded
    strings: one character for one (casefold where it gives one, as for the long s and the Kelvin sign; else the
    first of the lowercase, so the dotted capital I becomes the `i` that `re.IGNORECASE` matches it with)."""
    return text.lower() if text.isascii() else "".join(map(_fold_character, text))


@functools.lru_cache(maxsize=4096)
def _fold_character(character: str) -> str:
    folded = character.casefold()
    return folded if len(folded) == 1 else character.lower()[0]


@dataclass(frozen=True, slots=True)
class KeyRange:
    """Rows whose number in ordered index `index` lies within the bounds (None: unbounded)."""

    index: str
    low: float | None = None
    low_inclusive: bool = True
    high: float | None = None
    high_inclusive: bool = True

    def low_test(self) -> Callable[[Any, Any], bool]:
        """`low_test(low, value)`: is the value above the low bound (unbounded: compare with -inf)?"""
        return operator.le if self.low_inclusive else operator.lt

    def high_test(self) -> Callable[[Any, Any], bool]:
        """`high_test(value, high)`: is the value below the high bound (unbounded: compare with +inf)?"""
        return operator.le if self.high_inclusive else operator.lt

    def bounds(self) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """Bisection keys around the matching `(rank, value, id)` entries."""
        if self.low is None:
            start: tuple[Any, ...] = (NUMBER_RANK, -math.inf)
        else:
            start = (NUMBER_RANK, self.low) if self.low_inclusive else (NUMBER_RANK, self.low, math.inf)
        if self.high is None:
            end: tuple[Any, ...] = (NUMBER_RANK, math.inf, math.inf)
        else:
            end = (NUMBER_RANK, self.high, math.inf) if self.high_inclusive else (NUMBER_RANK, self.high)
        return start, end


class MergedIds(Collection[int]):
    """The ids in any of several sorted buckets (`categories:in=3,4,5`), merged in id order on demand.

    Nothing is copied: iteration is a k-way merge, so the first page costs about the page. `overlapping`
    are the rows listed under more than one key of the index; with none, the count is the sum of sizes.
    """

    def __init__(self, buckets: list[SortedSet], overlapping: Collection[int]) -> None:
        self.buckets = buckets
        self._overlapping = overlapping
        self._len: int | None = None

    def __len__(self) -> int:
        if self._len is None:
            size = sum(len(bucket) for bucket in self.buckets)
            if self._overlapping:
                if len(self._overlapping) * len(self.buckets) < size:
                    for row_id in self._overlapping:
                        size -= max(0, sum(row_id in bucket for bucket in self.buckets) - 1)
                else:
                    size = len(set().union(*self.buckets))
            self._len = size
        return self._len

    def __iter__(self) -> Iterator[int]:
        return (row_id for row_id, _ in itertools.groupby(heapq.merge(*self.buckets)))

    def __contains__(self, row_id: object) -> bool:
        return any(row_id in bucket for bucket in self.buckets)

    def unordered(self) -> Iterator[int]:
        """Every id once, in no particular order: the buckets chained (or joined in a set) in C."""
        if self._overlapping:
            return iter(set().union(*self.buckets))
        return itertools.chain.from_iterable(self.buckets)

    def irange(self, low: int | None, high: int | None, reverse: bool = False) -> Iterator[int]:
        runs = [bucket.irange(low, high, reverse=reverse) for bucket in self.buckets]
        merged = heapq.merge(*runs, reverse=reverse)
        return (row_id for row_id, _ in itertools.groupby(merged))
