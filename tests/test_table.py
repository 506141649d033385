from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sortedcontainers import SortedSet

from storefake.indexes import Bucket
from storefake.table import DuplicateKey, Table


@dataclass
class Row:
    id: int
    email: str | None
    group: int
    tags: tuple[str, ...] = ()


def make_table(n: int = 10) -> Table[Row]:
    table: Table[Row] = Table(
        unique={"email": lambda r: r.email},
        indexes={"group": lambda r: [r.group], "tag": lambda r: r.tags},
    )
    for _ in range(n):
        row_id = table.allocate_id()
        table.insert(row_id, Row(row_id, f"e{row_id}@x.test", row_id % 2, ("odd",) if row_id % 2 else ()))
    return table


def ids(selection) -> list[int]:
    return [row.id for row in selection.items]


def test_select_pages_in_id_order_with_total():
    selection = make_table().select(offset=2, limit=3)
    assert ids(selection) == [3, 4, 5]
    assert selection.total == 10


def test_select_descending_page():
    assert ids(make_table().select(offset=2, limit=3, descending=True)) == [8, 7, 6]


def test_select_by_index_and_id_range():
    table = make_table()
    selection = table.select(candidates=[table.ids_for("group", 0)], id_min=3, id_max=8)
    assert ids(selection) == [4, 6, 8]
    assert selection.total == 3


def test_select_intersects_several_candidate_sets():
    table = make_table()
    selection = table.select(candidates=[table.ids_for("group", 1), table.ids_for("tag", "odd"), {1, 2, 3}])
    assert ids(selection) == [1, 3]


def test_select_with_predicate_counts_every_match():
    selection = make_table().select(where=lambda r: r.id > 5, offset=1, limit=2)
    assert ids(selection) == [7, 8]
    assert selection.total == 5


def test_select_order_by_other_field():
    selection = make_table().select(order_by=lambda r: r.email, limit=3)
    assert ids(selection) == [10, 1, 2], "'e10@' sorts before 'e1@'"


def test_select_empty_candidate_set_short_circuits():
    table = make_table()
    assert table.select(candidates=[table.ids_for("tag", "missing")]).total == 0


def test_unique_key_clash_on_insert_and_replace():
    table = make_table(3)
    with pytest.raises(DuplicateKey) as caught:
        table.insert(table.allocate_id(), Row(4, "e1@x.test", 0))
    assert caught.value.existing_id == 1
    with pytest.raises(DuplicateKey):
        table.replace(2, replace(table.get(2), email="e3@x.test"))
    assert table.get_unique("email", "e2@x.test").id == 2


def test_replace_and_delete_keep_indexes_right():
    table = make_table(4)
    table.replace(2, replace(table.get(2), email="new@x.test", group=1))
    assert table.get_unique("email", "e2@x.test") is None
    assert table.get_unique("email", "new@x.test").id == 2
    assert list(table.ids_for("group", 1)) == [1, 2, 3]
    table.delete(1)
    assert list(table.ids_for("group", 1)) == [2, 3]
    assert 1 not in table
    assert table.allocate_id() == 5, "ids are never reused"


def test_position_counts_smaller_ids_present_or_not():
    table = make_table(5)
    table.delete(3)
    assert [table.position(i) for i in (1, 3, 4, 9)] == [0, 2, 2, 4]


def test_ids_from_walks_the_id_order_from_a_position():
    table = make_table(5)
    table.delete(2)
    assert list(table.ids_from(1)) == [3, 4, 5]
    assert list(table.ids_from(9)) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 5000)), st.lists(st.integers(0, 5000)), st.integers(0, 5000), st.integers(0, 5000))
def test_bucket_behaves_as_the_sorted_set_it_is_after_copies_and_pickling(start, changes, low, high):
    reference = SortedSet(start)
    for bucket in (Bucket(start), copy.copy(Bucket(start)), pickle.loads(pickle.dumps(Bucket(start)))):
        for value in changes:  # toggle: add what is absent, drop what is present
            (bucket.discard if value in bucket else bucket.add)(value)
        expected = SortedSet(reference)
        for value in changes:
            (expected.discard if value in expected else expected.add)(value)
        bucket._list._check()
        assert type(bucket) is Bucket
        assert list(bucket) == list(expected)
        assert len(bucket) == len(expected)
        assert list(bucket.irange(low, high)) == list(expected.irange(low, high))
        assert (bucket.bisect_left(low), bucket.bisect_right(low)) == (
            expected.bisect_left(low),
            expected.bisect_right(low),
        )
        assert list(bucket.islice(1, 4)) == list(expected.islice(1, 4))
        assert type(bucket & {low, high}) is Bucket
        assert set(bucket & {low, high}) == set(expected) & {low, high}
        assert bucket.isdisjoint({low}) == expected.isdisjoint({low})
        assert "bisect_left" not in vars(bucket)  # no per-instance shortcuts: that is what it saves
