"""An in-memory table: rows by integer id, unique keys and secondary indexes.

Every vendor's state is made of these. Reads by id and by unique key are dict lookups; listing in id
order with no filter, or with one indexed filter, slices a sorted index, so a page costs
O(log n + page) however large the tenant is. Only unindexed filters and non-id sorts scan.
`sortedcontainers` gives us the positional access on sorted ids that makes that slice cheap, which the
standard library's `bisect` over a plain list can't do without O(n) inserts and deletes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sortedcontainers import SortedDict, SortedList, SortedSet

R = TypeVar("R")
UniqueKey = Callable[[Any], Hashable | None]
IndexKeys = Callable[[Any], Iterable[Hashable]]


class DuplicateKey(Exception):
    """A write would give a unique key to a second row."""

    def __init__(self, index: str, key: Hashable, existing_id: int) -> None:
        super().__init__(f"{index} {key!r} is already used by row {existing_id}")
        self.index = index
        self.key = key
        self.existing_id = existing_id


@dataclass(frozen=True, slots=True)
class Selection(Generic[R]):
    """One page of rows and the number of rows that matched before paging."""

    items: list[R]
    total: int


class Table(Generic[R]):
    """Rows keyed by a positive integer id, kept in id order.

    `unique` maps an index name to a function giving a row's key (None: not indexed); `indexes` maps a
    name to a function giving the keys a row is listed under (several for a product's categories).
    Callers hold their store's lock around writes; the table itself does no locking.
    """

    def __init__(
        self,
        *,
        unique: Mapping[str, UniqueKey] | None = None,
        indexes: Mapping[str, IndexKeys] | None = None,
    ) -> None:
        self._rows: SortedDict = SortedDict()
        self._unique_keys = dict(unique or {})
        self._index_keys = dict(indexes or {})
        self._unique: dict[str, dict[Hashable, int]] = {name: {} for name in self._unique_keys}
        self._indexes: dict[str, dict[Hashable, SortedSet]] = {name: {} for name in self._index_keys}
        self._last_id = 0

    # ids
    def allocate_id(self) -> int:
        """The next id of a never-reused, increasing sequence (like an auto-increment column)."""
        self._last_id += 1
        return self._last_id

    @property
    def last_id(self) -> int:
        return self._last_id

    # reads
    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, row_id: object) -> bool:
        return row_id in self._rows

    def __iter__(self) -> Iterator[R]:
        return iter(self._rows.values())

    def get(self, row_id: int) -> R | None:
        return self._rows.get(row_id)

    def get_unique(self, index: str, key: Hashable) -> R | None:
        row_id = self._unique[index].get(key)
        return None if row_id is None else self._rows[row_id]

    def ids_for(self, index: str, key: Hashable) -> Collection[int]:
        """Ids of the rows listed under `key` in a secondary or unique index, in id order."""
        unique = self._unique.get(index)
        if unique is not None:
            row_id = unique.get(key)
            return () if row_id is None else (row_id,)
        return self._indexes[index].get(key, ())

    # writes
    def check_unique(self, row: R, row_id: int | None = None) -> None:
        """Raise DuplicateKey if `row` would take a unique key that another row holds."""
        for name, key_of in self._unique_keys.items():
            key = key_of(row)
            if key is None:
                continue
            holder = self._unique[name].get(key)
            if holder is not None and holder != row_id:
                raise DuplicateKey(name, key, holder)

    def insert(self, row_id: int, row: R) -> R:
        if row_id in self._rows:
            raise DuplicateKey("id", row_id, row_id)
        self.check_unique(row)
        self._last_id = max(self._last_id, row_id)
        self._rows[row_id] = row
        self._add_keys(row_id, row)
        return row

    def replace(self, row_id: int, row: R) -> R:
        """Swap the stored row for `row`; returns the old one."""
        old = self._rows[row_id]
        self.check_unique(row, row_id)
        self._drop_keys(row_id, old)
        self._rows[row_id] = row
        self._add_keys(row_id, row)
        return old

    def delete(self, row_id: int) -> R:
        row = self._rows.pop(row_id)
        self._drop_keys(row_id, row)
        return row

    def clear(self) -> None:
        self._rows.clear()
        for unique in self._unique.values():
            unique.clear()
        for index in self._indexes.values():
            index.clear()

    # listing
    def select(
        self,
        *,
        candidates: Iterable[Collection[int]] = (),
        id_min: int | None = None,
        id_max: int | None = None,
        where: Callable[[R], bool] | None = None,
        order_by: Callable[[R], Any] | None = None,
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> Selection[R]:
        """Rows matching every filter, sorted by id (or `order_by`), one page of them.

        `candidates` are id sets from indexes (a row must be in all); `id_min`/`id_max` bound the id
        inclusively; `where` is any further predicate.
        """
        id_sets = sorted(candidates, key=len)
        if any(len(ids) == 0 for ids in id_sets):
            return Selection([], 0)
        base, others = (id_sets[0], id_sets[1:]) if id_sets else (None, [])
        stop = None if limit is None else offset + limit

        if order_by is None and where is None and not others:
            return self._slice(base, id_min, id_max, descending, offset, stop)

        ids = self._ordered_ids(base, id_min, id_max, descending)
        if others:
            ids = (i for i in ids if all(i in s for s in others))
        rows: Iterable[R] = (self._rows[i] for i in ids)
        if where is not None:
            rows = filter(where, rows)
        if order_by is not None:
            matched = sorted(rows, key=order_by, reverse=descending)
            return Selection(matched[offset:stop], len(matched))
        page: list[R] = []
        total = 0
        for row in rows:
            if offset <= total and (stop is None or total < stop):
                page.append(row)
            total += 1
        return Selection(page, total)

    # internals
    def _slice(
        self,
        base: Collection[int] | None,
        id_min: int | None,
        id_max: int | None,
        descending: bool,
        offset: int,
        stop: int | None,
    ) -> Selection[R]:
        keys: Any = self._rows if base is None else base
        if not isinstance(keys, SortedSet | SortedDict | SortedList):
            keys = SortedSet(keys)
        lo = 0 if id_min is None else keys.bisect_left(id_min)
        hi = len(keys) if id_max is None else keys.bisect_right(id_max)
        total = max(0, hi - lo)
        count = total - offset if stop is None else min(stop, total) - offset
        if count <= 0:
            return Selection([], total)
        if descending:
            picked = keys.islice(hi - offset - count, hi - offset, reverse=True)
        else:
            picked = keys.islice(lo + offset, lo + offset + count)
        return Selection([self._rows[i] for i in picked], total)

    def _ordered_ids(
        self, base: Collection[int] | None, id_min: int | None, id_max: int | None, descending: bool
    ) -> Iterator[int]:
        if base is None:
            return iter(self._rows.irange(id_min, id_max, reverse=descending))
        if isinstance(base, SortedSet | SortedList):
            return iter(base.irange(id_min, id_max, reverse=descending))
        ordered = sorted(base, reverse=descending)
        lo = id_min if id_min is not None else -1
        hi = id_max if id_max is not None else float("inf")
        return itertools.filterfalse(lambda i: not lo <= i <= hi, ordered)

    def _add_keys(self, row_id: int, row: R) -> None:
        for name, key_of in self._unique_keys.items():
            key = key_of(row)
            if key is not None:
                self._unique[name][key] = row_id
        for name, keys_of in self._index_keys.items():
            index = self._indexes[name]
            for key in set(keys_of(row)):
                bucket = index.get(key)
                if bucket is None:
                    bucket = index[key] = SortedSet()
                bucket.add(row_id)

    def _drop_keys(self, row_id: int, row: R) -> None:
        for name, key_of in self._unique_keys.items():
            key = key_of(row)
            if key is not None and self._unique[name].get(key) == row_id:
                del self._unique[name][key]
        for name, keys_of in self._index_keys.items():
            index = self._indexes[name]
            for key in set(keys_of(row)):
                bucket = index.get(key)
                if bucket is not None:
                    bucket.discard(row_id)
                    if not bucket:
                        del index[key]
