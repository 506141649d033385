from __future__ import annotations

from dataclasses import dataclass

import pytest

from storefake.filtering import Condition, like_regex, matches, plan
from storefake.table import Table


@dataclass
class Item:
    id: int
    email: str
    price: float
    tags: list[str]


def make_table() -> Table[Item]:
    table: Table[Item] = Table(unique={"email": lambda r: r.email.lower()}, indexes={"tag": lambda r: r.tags})
    for n in range(1, 9):
        table.insert(table.allocate_id(), Item(n, f"User{n}@Example.test", n * 10.0, ["even" if n % 2 == 0 else "odd"]))
    return table


def select(table: Table[Item], *conditions: Condition, **kwargs) -> list[int]:
    p = plan(table, conditions, value_of=getattr, indexes={"tags": "tag"}, **kwargs)
    return [row.id for row in table.select(**p.select_kwargs()).items]


@pytest.mark.parametrize(
    ("condition", "value", "expected"),
    [
        (Condition("x", "eq", 1), 1, True),
        (Condition("x", "neq", 1), 1, False),
        (Condition("x", "in", [1, 2]), 2, True),
        (Condition("x", "nin", [1, 2]), 3, True),
        (Condition("x", "gt", 1), 2, True),
        (Condition("x", "gteq", 2), 2, True),
        (Condition("x", "lt", 2), 2, False),
        (Condition("x", "lteq", 2), 2, True),
        (Condition("x", "like", "jo%"), "John", True),
        (Condition("x", "like", "j_hn"), "John", True),
        (Condition("x", "nlike", "%hn"), "John", False),
        (Condition("x", "null"), None, True),
        (Condition("x", "notnull"), "", False),
        (Condition("x", "finset", ["b"]), "a,b,c", True),
        (Condition("x", "nfinset", ["d"]), "a,b,c", True),
        (Condition("x", "gt", 1), None, False),
        (Condition("x", "gt", 1), "abc", False),
    ],
)
def test_matches_each_operator(condition, value, expected):
    assert matches(value, condition) is expected


def test_list_values_match_when_any_element_does():
    assert matches([23, 45], Condition("categories", "eq", 45))
    assert matches([23, 45], Condition("categories", "in", [1, 23]))


def test_like_escapes_regex_characters():
    assert like_regex("a.b%").fullmatch("a.bcd")
    assert not like_regex("a.b%").fullmatch("axbcd")


def test_plan_uses_indexes_id_ranges_and_predicates():
    table = make_table()
    assert select(table, Condition("tags", "eq", "even")) == [2, 4, 6, 8]
    assert select(table, Condition("tags", "in", ["even", "odd"]), Condition("id", "gt", 6)) == [7, 8]
    assert select(table, Condition("id", "lt", 3)) == [1, 2]
    assert select(table, Condition("id", "in", [3, 5, 99])) == [3, 5]
    assert select(table, Condition("price", "gteq", 70.0)) == [7, 8]
    assert select(table, Condition("tags", "eq", "odd"), Condition("price", "lt", 40.0)) == [1, 3]


def test_plan_looks_up_unique_indexes_with_normalized_keys():
    table = make_table()
    p = plan(
        table,
        [Condition("email", "eq", "USER3@example.test")],
        value_of=getattr,
        indexes={"email": "email"},
        normalize={"email": str.lower},
    )
    assert [row.id for row in table.select(**p.select_kwargs()).items] == [3]
    assert p.where is None, "answered from the index alone"
