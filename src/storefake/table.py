"""An in-memory table: rows by integer id, unique keys, secondary, ordered and text indexes.

Every vendor's state is made of these. Reads by id and by unique key are dict lookups. A listing is
planned from the indexes so that a page of a large table costs about the page, not the table:

- hash indexes (`indexes`) answer equality and `in`; their buckets are sorted id sets, so one bucket is
  paged by position, and several are merged in id order without being copied;
- ordered indexes (`ordered`) keep `(rank, value, id)` per row: a numeric range is counted by bisection
  and listed in value order, and a sort on the field is a walk along the index;
- the text index (`text`) keeps trigrams and the folded text of each row's searchable text, so a
  `LIKE '%…%'` pattern with a literal run of three or more characters only checks the rows that hold
  every literal;
- `bucket_orders` keep a hash index's buckets in the order of an ordered index as well, so a bucket
  filter with a range on that field (a category and a price range) is a bisection per bucket.

`select` then starts from the smallest source (or walks the requested order when one source alone
decides the total) and checks the others per row. What stays slow is a listing whose every source is
large, such as two filters that each match half of the store: the smaller one is scanned (README).
`sortedcontainers` gives the positional access on sorted ids that makes slicing cheap, which the
standard library's `bisect` over a plain list can't do without O(n) inserts and deletes.
"""

from __future__ import annotations

import heapq
import itertools
import math
import operator
from array import array
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sortedcontainers import SortedDict, SortedList, SortedSet

from storefake.indexes import NUMBER_RANK, Bucket, KeyRange, MergedIds, fold, grams, order_key

R = TypeVar("R")
UniqueKey = Callable[[Any], Hashable | None]
IndexKeys = Callable[[Any], Iterable[Hashable]]
OrderKey = Callable[[Any], Any]
TextOf = Callable[[Any], str]

_ROW_ID = operator.itemgetter(2)  # the id in an ordered-index entry


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
    name to a function giving the keys a row is listed under (several for a product's categories);
    `ordered` maps a name to a function giving the value a row is ordered by; `text` gives the text a
    row is searched by; `bucket_orders` maps a hash index to ordered indexes kept per bucket. Callers
    hold their store's lock around writes; the table itself does no locking.
    """

    def __init__(
        self,
        *,
        unique: Mapping[str, UniqueKey] | None = None,
        indexes: Mapping[str, IndexKeys] | None = None,
        ordered: Mapping[str, OrderKey] | None = None,
        text: TextOf | None = None,
        bucket_orders: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        self._rows: SortedDict = SortedDict()
        self._unique_keys = dict(unique or {})
        self._index_keys = dict(indexes or {})
        self._order_values = dict(ordered or {})
        self._text_of = text
        self._unique: dict[str, dict[Hashable, int]] = {name: {} for name in self._unique_keys}
        self._indexes: dict[str, dict[Hashable, Bucket]] = {name: {} for name in self._index_keys}
        # Rows listed under two or more keys of an index: buckets of the others are disjoint.
        self._overlapping: dict[str, set[int]] = {name: set() for name in self._index_keys}
        self._ordered: dict[str, SortedList] = {name: SortedList() for name in self._order_values}
        # The numeric values of each ordered index by row id: range checks are a dict lookup.
        self._numbers: dict[str, dict[int, float]] = {name: {} for name in self._order_values}
        # Trigram -> ids of rows whose text held it. Append-only (compact for millions of rows): a row
        # whose text lost a trigram stays listed, and candidates are checked against its current text.
        self._trigrams: dict[str, array[int]] = {}
        self._texts: dict[int, str] = {}  # each row's folded text, for the substring test
        # Per bucket of a hash index, its rows in the order of an ordered index (`bucket_orders` names the
        # pairs): a range within some buckets is then a few bisections, not a check of every row in them.
        self._bucket_orders = {index: tuple(fields) for index, fields in (bucket_orders or {}).items()}
        self._bucket_ordered: dict[tuple[str, str], dict[Hashable, SortedList]] = {
            (index, field): {} for index, fields in self._bucket_orders.items() for field in fields
        }
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

    def known_ids(self, ids: Iterable[Any]) -> set[int]:
        """The ids of `ids` this table holds: a client's `id:in` list as `select` candidates, which must be rows."""
        return {i for i in ids if type(i) is int and i in self._rows}  # not True, which equals 1

    def position(self, row_id: int) -> int:
        """How many rows have a smaller id (a bisection): where `row_id` is, or would be, in id order."""
        return int(self._rows.bisect_left(row_id))

    def ids_from(self, position: int) -> Iterator[int]:
        """Row ids in id order from the `position`-th on, without copying (positional access)."""
        return iter(self._rows.islice(position))

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

    def ids_for_any(self, index: str, keys: Iterable[Hashable]) -> Collection[int]:
        """Ids of the rows listed under any of `keys`, in id order, without copying the buckets."""
        if index in self._unique:
            found = {self._unique[index].get(key) for key in keys}
            return SortedSet(row_id for row_id in found if row_id is not None)
        buckets = [bucket for key in dict.fromkeys(keys) if (bucket := self._indexes[index].get(key))]
        if not buckets:
            return ()
        if len(buckets) == 1:
            return buckets[0]
        return MergedIds(buckets, self._overlapping[index])

    def orders_buckets(self, index: str, ordered: str) -> bool:
        """Are the buckets of hash index `index` kept in the order of ordered index `ordered` too?"""
        return (index, ordered) in self._bucket_ordered

    def ids_in_range(self, index: str, keys: Iterable[Hashable], key_range: KeyRange) -> Collection[int]:
        """Ids listed under any of `keys` in `index` whose number lies in `key_range`, in id order: a
        bisection per bucket (see `bucket_orders`), then only the matching ids."""
        per_bucket = self._bucket_ordered[(index, key_range.index)]
        start, end = key_range.bounds()
        keys = list(dict.fromkeys(keys))
        ids: list[int] = []
        for key in keys:
            ordered = per_bucket.get(key)
            if ordered:
                ids.extend(map(_ROW_ID, ordered.islice(ordered.bisect_left(start), ordered.bisect_left(end))))
        if len(keys) > 1 and self._overlapping[index]:
            ids = list(set(ids))
        return SortedList(ids)

    def has_text(self) -> bool:
        return self._text_of is not None

    def text_candidates(self, literals: Iterable[str]) -> set[int] | None:
        """Ids of rows whose folded text contains every literal, a superset of the rows a case-insensitive
        pattern of those literals matches; None when no literal is three characters long."""
        folded = [fold(literal) for literal in literals if literal]
        wanted = set().union(*map(grams, folded))
        if not wanted:
            return None
        postings = sorted((self._trigrams.get(gram, array("I")) for gram in wanted), key=len)
        candidates = set(postings[0])
        for posting in postings[1:]:
            if len(candidates) <= 16 or len(posting) > 64 * len(candidates):
                break  # the substring test below is cheaper than walking a long posting
            candidates.intersection_update(posting)
        # Then the rows whose current folded text holds every literal (a C-level substring test).
        texts = self._texts
        if len(folded) == 1:
            only = folded[0]
            return {row_id for row_id in candidates if only in texts.get(row_id, "")}
        return {row_id for row_id in candidates if all(part in texts.get(row_id, "") for part in folded)}

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
        if self._text_of is not None:
            folded = self._texts[row_id] = fold(self._text_of(row))
            self._add_text(row_id, grams(folded))
        return row

    def replace(self, row_id: int, row: R) -> R:
        """Swap the stored row for `row`; returns the old one."""
        old = self._rows[row_id]
        self.check_unique(row, row_id)
        self._drop_keys(row_id, old)
        self._rows[row_id] = row
        self._add_keys(row_id, row)
        if self._text_of is not None:
            old_text = self._texts.get(row_id, "")
            folded = self._texts[row_id] = fold(self._text_of(row))
            if folded != old_text:
                self._add_text(row_id, grams(folded) - grams(old_text))
        return old

    def delete(self, row_id: int) -> R:
        row = self._rows.pop(row_id)
        self._drop_keys(row_id, row)
        self._texts.pop(row_id, None)
        return row

    def clear(self) -> None:
        self._rows.clear()
        for unique in self._unique.values():
            unique.clear()
        for index in self._indexes.values():
            index.clear()
        for overlapping in self._overlapping.values():
            overlapping.clear()
        for ordered in self._ordered.values():
            ordered.clear()
        for numbers in self._numbers.values():
            numbers.clear()
        self._trigrams.clear()
        self._texts.clear()
        for per_bucket in self._bucket_ordered.values():
            per_bucket.clear()

    # listing
    def select(
        self,
        *,
        candidates: Iterable[Collection[int]] = (),
        ranges: Iterable[KeyRange] = (),
        id_min: int | None = None,
        id_max: int | None = None,
        where: Callable[[R], bool] | None = None,
        order_by: Callable[[R], Any] | None = None,
        order: str | None = None,
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> Selection[R]:
        """Rows matching every filter, sorted by id (or by ordered index `order`, or `order_by`), one page.

        `candidates` are id sets from indexes (a row must be in all); `ranges` bound ordered-index values;
        `id_min`/`id_max` bound the id inclusively; `where` is any further predicate.
        """
        id_sets = sorted(candidates, key=len)
        if any(len(ids) == 0 for ids in id_sets):
            return Selection([], 0)
        stop = None if limit is None else offset + limit
        ranges = list(ranges)
        if ranges or order is not None:
            return self._select_planned(id_sets, ranges, id_min, id_max, where, order, descending, offset, stop)
        base, others = (id_sets[0], id_sets[1:]) if id_sets else (None, [])

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
        return _page(rows, offset, stop)

    # planned listing (ordered indexes) ---------------------------------------------------------------
    def _select_planned(
        self,
        id_sets: list[Collection[int]],
        ranges: list[KeyRange],
        id_min: int | None,
        id_max: int | None,
        where: Callable[[R], bool] | None,
        order: str | None,
        descending: bool,
        offset: int,
        stop: int | None,
    ) -> Selection[R]:
        spans = [(self._span(key_range), key_range) for key_range in ranges]
        if any(hi <= lo for (lo, hi), _ in spans):
            return Selection([], 0)
        id_span = self._id_span(id_min, id_max)
        if id_span is not None and id_span[1] <= id_span[0]:
            return Selection([], 0)
        # Every source with its exact size; the smallest drives, the others are checks.
        sources: list[tuple[int, str, Any]] = [(len(ids), "set", ids) for ids in id_sets]
        sources += [(hi - lo, "range", (lo, hi, key_range)) for (lo, hi), key_range in spans]
        if id_span is not None:
            sources.append((id_span[1] - id_span[0], "ids", (id_min, id_max)))
        sources.sort(key=lambda source: source[0])
        total_rows = len(self._rows)
        page_end = total_rows if stop is None else stop

        walk_failed = False
        if len(sources) <= 1 and where is None:
            # One source decides the total; the page is a walk along the order, stopped when full.
            size, kind, source = sources[0] if sources else (total_rows, "all", None)
            if order is not None and kind == "range" and source[2].index == order:
                lo, hi, _ = source
                entries = self._ordered[order].islice(lo, hi, reverse=descending)
                return Selection(self._rows_of(itertools.islice(entries, offset, stop)), size)
            # A walk should meet the page's rows within page_end * total_rows / size steps if the matches are
            # spread evenly; given twice that, it is tried when that still beats checking all `size` rows.
            expected_walk = page_end * total_rows / max(size, 1)
            if kind == "all" or 2 * expected_walk < size:
                check = self._check(sources, 0)
                page = self._walked_page(order, descending, check, offset, stop, budget=int(2 * expected_walk))
                if page is not None:
                    return Selection(page, size)
                walk_failed = True

        size, kind, source = sources[0] if sources else (total_rows, "all", None)
        ids = self._ids_of(kind, source) if sources else iter(self._rows.keys())
        matched_ids = self._matching(ids, sources[1:])
        if where is not None:
            matched_ids = [row_id for row_id in matched_ids if where(self._rows[row_id])]
        total = len(matched_ids)
        if order is None:
            if kind == "range" or not isinstance(source, SortedSet | SortedList):
                matched_ids.sort()
            if descending:
                matched_ids.reverse()
            return Selection([self._rows[i] for i in matched_ids[offset:stop]], total)
        expected_walk = page_end * total_rows / max(total, 1)
        if total and not walk_failed and 2 * expected_walk < total:
            # Many matched: walk the order keeping those, rather than sort them all (unless the walk runs
            # long, as when the matches all sit at the far end of the order).
            kept = set(matched_ids).__contains__
            page = self._walked_page(order, descending, kept, offset, stop, budget=int(2 * expected_walk))
            if page is not None:
                return Selection(page, total)
        ordered = self._first_by(order, matched_ids, stop, descending)
        return Selection([self._rows[i] for i in ordered[offset:stop]], total)

    def _walked_page(
        self,
        order: str | None,
        descending: bool,
        check: Callable[[int], bool],
        offset: int,
        stop: int | None,
        budget: int,
    ) -> list[R] | None:
        """The page found walking the order, or None if `budget` rows (plus the page) didn't fill it."""
        if stop is not None and stop <= offset:
            return []
        limit = None if stop is None else budget + stop
        page: list[R] = []
        seen = walked = 0
        for row_id in itertools.islice(self._walk(order, descending), limit):
            walked += 1
            if check(row_id):
                if seen >= offset:
                    page.append(self._rows[row_id])
                    if stop is not None and len(page) >= stop - offset:
                        return page
                seen += 1
        return page if limit is None or walked < limit else None

    def _matching(self, ids: Iterable[int], sources: list[tuple[int, str, Any]]) -> list[int]:
        """The ids that every one of `sources` holds (one range alone: an inline comparison, the hot case)."""
        if len(sources) == 1 and sources[0][1] == "range":
            # Every step in C: look the numbers up, compare them with the bounds, keep the ids that pass.
            key_range: KeyRange = sources[0][2][2]
            ids = list(ids)
            values = list(map(self._numbers[key_range.index].get, ids, itertools.repeat(math.nan)))
            passed: Iterable[Any] = itertools.repeat(True)
            if key_range.low is not None:
                passed = map(key_range.low_test(), itertools.repeat(key_range.low), values)
            if key_range.high is not None:
                below = map(key_range.high_test(), values, itertools.repeat(key_range.high))
                passed = map(operator.and_, passed, below)
            return list(itertools.compress(ids, passed))
        check = self._check(sources, 0)
        return list(filter(check, ids)) if sources else list(ids)

    def _first_by(self, order: str, row_ids: list[int], count: int | None, descending: bool) -> list[int]:
        """The first `count` (None: all) of `row_ids` in the order of index `order`, ties by id.

        Numbers are ranked by a C-level key, and only as far as the page needs (heapq's nsmallest is
        sorted()[:n], stable, so equal numbers keep the id order they came in).
        """
        numbers = self._numbers[order]
        numeric = sorted(filter(numbers.__contains__, row_ids), reverse=descending)
        missing: list[int] = []
        after: list[int] = []
        if len(numeric) < len(row_ids):
            value_of = self._order_values[order]
            keys = sorted(order_key(value_of(self._rows[i]), i) for i in row_ids if i not in numbers)
            missing = [key[2] for key in keys if key[0] < NUMBER_RANK]
            after = [key[2] for key in keys if key[0] > NUMBER_RANK]
        head, tail = (after[::-1], missing[::-1]) if descending else (missing, after)
        need = None if count is None else count - len(head)
        if need is not None and need < len(numeric):
            pick = heapq.nlargest if descending else heapq.nsmallest
            return head + pick(max(need, 0), numeric, key=numbers.__getitem__)
        return head + sorted(numeric, key=numbers.__getitem__, reverse=descending) + tail

    def _span(self, key_range: KeyRange) -> tuple[int, int]:
        index = self._ordered[key_range.index]
        start, end = key_range.bounds()
        return index.bisect_left(start), index.bisect_left(end)

    def _id_span(self, id_min: int | None, id_max: int | None) -> tuple[int, int] | None:
        if id_min is None and id_max is None:
            return None
        lo = 0 if id_min is None else self._rows.bisect_left(id_min)
        hi = len(self._rows) if id_max is None else self._rows.bisect_right(id_max)
        return lo, hi

    def _ids_of(self, kind: str, source: Any) -> Iterator[int]:
        if kind == "set":
            return source.unordered() if isinstance(source, MergedIds) else iter(source)
        if kind == "ids":
            return iter(self._rows.irange(source[0], source[1]))
        lo, hi, key_range = source
        return map(_ROW_ID, self._ordered[key_range.index].islice(lo, hi))

    def _check(self, sources: list[tuple[int, str, Any]], skip: int) -> Callable[[int], bool]:
        """A test of an id against every source but the first `skip` (those it was drawn from)."""
        tests: list[Callable[[int], bool]] = []
        for _, kind, source in sources[skip:]:
            if kind == "set":
                tests.append(source.__contains__)
            elif kind == "ids":
                low = -math.inf if source[0] is None else source[0]
                high = math.inf if source[1] is None else source[1]
                tests.append(lambda row_id, low=low, high=high: low <= row_id <= high)
            else:
                tests.append(_range_test(source[2], self._numbers[source[2].index]))
        if not tests:
            return lambda row_id: True
        if len(tests) == 1:
            return tests[0]
        return lambda row_id: all(test(row_id) for test in tests)

    def _walk(self, order: str | None, descending: bool) -> Iterator[int]:
        if order is None:
            return iter(self._rows.irange(reverse=descending))
        return map(_ROW_ID, self._ordered[order].islice(reverse=descending))

    def _rows_of(self, entries: Iterable[tuple[Any, Any, int]]) -> list[R]:
        return [self._rows[entry[2]] for entry in entries]

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
        if isinstance(base, MergedIds):
            known = len(base) if id_min is None and id_max is None else None
            rows = (self._rows[i] for i in base.irange(id_min, id_max, reverse=descending))
            return _page(rows, offset, stop, known)
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
        if isinstance(base, SortedSet | SortedList | MergedIds):
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
        if not (self._order_values or self._index_keys):
            return
        entries = {name: order_key(value_of(row), row_id) for name, value_of in self._order_values.items()}
        for name, keys_of in self._index_keys.items():
            index = self._indexes[name]
            keys = set(keys_of(row))
            for key in keys:
                bucket = index.get(key)
                if bucket is None:
                    bucket = index[key] = Bucket()
                bucket.add(row_id)
                for field in self._bucket_orders.get(name, ()):
                    self._bucket_ordered[(name, field)].setdefault(key, SortedList()).add(entries[field])
            if len(keys) > 1:
                self._overlapping[name].add(row_id)
        for name, entry in entries.items():
            self._ordered[name].add(entry)
            if entry[0] == NUMBER_RANK:
                self._numbers[name][row_id] = entry[1]

    def _drop_keys(self, row_id: int, row: R) -> None:
        for name, key_of in self._unique_keys.items():
            key = key_of(row)
            if key is not None and self._unique[name].get(key) == row_id:
                del self._unique[name][key]
        entries = {name: order_key(value_of(row), row_id) for name, value_of in self._order_values.items()}
        for name, keys_of in self._index_keys.items():
            index = self._indexes[name]
            for key in set(keys_of(row)):
                bucket = index.get(key)
                if bucket is not None:
                    bucket.discard(row_id)
                    if not bucket:
                        del index[key]
                for field in self._bucket_orders.get(name, ()):
                    ordered = self._bucket_ordered[(name, field)].get(key)
                    if ordered is not None:
                        ordered.discard(entries[field])
                        if not ordered:
                            del self._bucket_ordered[(name, field)][key]
            self._overlapping[name].discard(row_id)
        for name, entry in entries.items():
            self._ordered[name].discard(entry)
            self._numbers[name].pop(row_id, None)

    def _add_text(self, row_id: int, grams: set[str]) -> None:
        postings = self._trigrams
        for gram in grams:
            posting = postings.get(gram)
            if posting is None:
                posting = postings[gram] = array("I")
            posting.append(row_id)


def _range_test(key_range: KeyRange, numbers: dict[int, float]) -> Callable[[int], bool]:
    """Is a row's number within the range? A dict lookup and two comparisons (NaN: no number, never)."""
    low = -math.inf if key_range.low is None else key_range.low
    high = math.inf if key_range.high is None else key_range.high
    get, above, below = numbers.get, key_range.low_test(), key_range.high_test()
    return lambda row_id: above(low, value := get(row_id, math.nan)) and below(value, high)


def _page(rows: Iterable[R], offset: int, stop: int | None, total: int | None = None) -> Selection[R]:
    """One page of `rows` and how many there were (counted by walking them all unless `total` is known)."""
    if total is not None:
        return Selection(list(itertools.islice(rows, offset, stop)), total)
    page: list[R] = []
    count = 0
    for row in rows:
        if offset <= count and (stop is None or count < stop):
            page.append(row)
        count += 1
    return Selection(page, count)
