"""The planner and the table's indexes give exactly what filtering and sorting every row would.

Random tables (inserts, replacements and deletes, so the indexes have lived), random conditions over
hash, ordered and text-indexed fields, random order and page: same rows, same order, same total as a
brute-force filter + sort over all rows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from storefake.filtering import Condition, matches, plan
from storefake.indexes import MergedIds, order_key
from storefake.table import Table


@dataclass(frozen=True)
class Row:
    id: int
    price: Any
    cats: tuple[int, ...]
    group: int
    name: str


def value_of(row: Row, field: str) -> Any:
    return getattr(row, field)


ORDERED = {"price": "price", "name": "name"}


def new_table() -> Table[Row]:
    return Table(
        indexes={"cats": lambda r: r.cats, "group": lambda r: (r.group,)},
        ordered={field: (lambda r, f=field: getattr(r, f)) for field in ORDERED},
        text=lambda r: r.name,
        bucket_orders={"cats": ("price",)},
    )


prices = st.one_of(
    st.integers(-5, 20), st.floats(-5, 20, allow_nan=False), st.none(), st.sampled_from(["7", "x", float("nan")])
)
# Names may hold characters case-insensitive matching treats specially:
# dotted capital I ~ i, long s ~ s, Kelvin sign ~ k, and sharp s (which matches only itself).
names = st.text(alphabet="abikIKS 12%_\u0130\u017f\u212a\u00df", max_size=8)
rows = st.builds(
    lambda price, cats, group, name: (price, cats, group, name),
    prices,
    st.lists(st.integers(0, 4), max_size=3).map(tuple),
    st.integers(0, 2),
    names,
)
operations = st.lists(
    st.tuples(st.sampled_from(["insert", "insert", "replace", "delete"]), rows, st.integers(0, 40)),
    min_size=1,
    max_size=40,
)
conditions = st.one_of(
    st.builds(Condition, st.just("cats"), st.just("eq"), st.integers(0, 5)),
    st.builds(Condition, st.just("cats"), st.just("in"), st.lists(st.integers(0, 5), min_size=1)),
    st.builds(Condition, st.just("group"), st.just("eq"), st.integers(0, 3)),
    st.builds(
        Condition,
        st.just("price"),
        st.sampled_from(["eq", "gt", "gteq", "lt", "lteq"]),
        st.one_of(st.integers(-5, 20), st.floats(-5, 20, allow_nan=False)),
    ),
    st.builds(Condition, st.just("name"), st.just("like"), st.text(alphabet="abikIKS 12%_", max_size=6)),
    st.builds(Condition, st.just("id"), st.sampled_from(["gt", "gteq", "lt", "lteq"]), st.integers(0, 40)),
)


def build(ops: list[tuple[str, tuple[Any, ...], int]]) -> Table[Row]:
    table = new_table()
    for action, (price, cats, group, name), pick in ops:
        ids = list(table._rows.keys())
        if action == "insert" or not ids:
            row_id = table.allocate_id()
            table.insert(row_id, Row(row_id, price, cats, group, name))
        elif action == "replace":
            row_id = ids[pick % len(ids)]
            table.replace(row_id, dataclasses.replace(table.get(row_id), price=price, cats=cats, name=name))
        else:
            table.delete(ids[pick % len(ids)])
    return table


@settings(max_examples=300, deadline=None)
@given(
    operations,
    st.lists(conditions, max_size=3),
    st.sampled_from([None, "price", "name"]),
    st.booleans(),
    st.integers(0, 5),
    st.one_of(st.none(), st.integers(0, 6)),
)
def test_planned_selection_equals_brute_force(ops, conds, order, descending, offset, limit) -> None:
    table = build(ops)
    planned = plan(
        table,
        conds,
        value_of=value_of,
        indexes={"cats": "cats", "group": "group"},
        ordered=ORDERED,
        text_fields={"name"},
    )
    selection = table.select(**planned.select_kwargs(), order=order, descending=descending, offset=offset, limit=limit)

    everything = [row for row in table if all(matches(value_of(row, c.field), c) for c in conds)]
    if order is None:
        everything.sort(key=lambda r: r.id, reverse=descending)
    else:
        everything.sort(key=lambda r: order_key(getattr(r, order), r.id), reverse=descending)
    stop = None if limit is None else offset + limit
    assert [row.id for row in selection.items] == [row.id for row in everything[offset:stop]]
    assert selection.total == len(everything)


def test_merged_buckets_count_rows_listed_twice_once() -> None:
    table = new_table()
    for cats in [(1,), (1, 2), (2,), (3,), (2, 3)]:
        row_id = table.allocate_id()
        table.insert(row_id, Row(row_id, 1, cats, 0, "n"))
    merged = table.ids_for_any("cats", [1, 2, 3])
    assert isinstance(merged, MergedIds)
    assert len(merged) == 5
    assert list(merged) == [1, 2, 3, 4, 5]
    assert list(merged.irange(2, 4, reverse=True)) == [4, 3, 2]
    assert 4 in merged
    assert 9 not in merged


def test_text_candidates_hold_every_match_and_skip_short_literals() -> None:
    table = new_table()
    for name in ["Premium Hoodie", "Hoodie Lite", "Cap", "premium cap"]:
        row_id = table.allocate_id()
        table.insert(row_id, Row(row_id, 1, (), 0, name))
    assert table.text_candidates(["hood"]) == {1, 2}
    candidates = table.text_candidates(["PREMIUM", "cap"])  # a superset, checked per row later
    assert 4 in candidates
    assert 2 not in candidates  # holds none of the trigrams
    assert table.text_candidates(["ca", ""]) is None  # nothing of three characters: no narrowing
    table.replace(3, Row(3, 1, (), 0, "Hooded cap"))
    assert {1, 2, 3} <= table.text_candidates(["hood"])


def test_ranges_and_sorts_on_integers_past_doubles() -> None:
    table = new_table()
    for price in [2**60 + 1, 2**60, 2**60 + 2]:
        row_id = table.allocate_id()
        table.insert(row_id, Row(row_id, price, (), 0, "n"))
    planned = plan(table, [Condition("price", "gteq", 2**60 + 1)], value_of=value_of, ordered=ORDERED)
    assert [r.id for r in table.select(**planned.select_kwargs(), order="price").items] == [1, 3]
    assert [r.id for r in table.select(candidates=[{1, 2, 3}], order="price", limit=2).items] == [2, 1]
