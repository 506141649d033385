from __future__ import annotations

import httpx

from storefake.contracts.matching import match_headers, match_json, match_schema, match_status


def test_exact_mode_reports_extra_missing_and_different_fields():
    problems = match_json({"a": 1, "b": "x"}, {"a": 2, "c": True}, subset=False)
    assert problems == ["$.a: expected 1, got 2", "$.b: missing (expected 'x')", "$: unexpected field(s) c"]


def test_subset_mode_allows_more_fields_but_not_other_lengths():
    assert match_json({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}, "d": 3}, subset=True) == []
    assert match_json([{"id": 1}], [{"id": 1}, {"id": 2}], subset=True) == [
        "$: expected 1 item(s), got 2: [{'id': 1}, {'id': 2}]"
    ]


def test_types_are_strict_but_int_and_float_compare():
    assert match_json(1, True, subset=False) == ["$: expected integer 1, got boolean True"]
    assert match_json("1", 1, subset=False) == ["$: expected string '1', got integer 1"]
    assert match_json(1.0, 1, subset=False) == []


def test_matchers():
    actual = {"id": 5, "date": "2026-01-23 20:40:15", "items": [{"e": "a"}, {"e": "b"}], "n": None}
    expected = {
        "id": {"$type": "integer"},
        "date": {"$regex": r"^\d{4}-"},
        "items": {"$contains": [{"e": "b"}]},
        "n": {"$any": True},
        "gone": {"$absent": True},
    }
    assert match_json(expected, actual, subset=False) == []
    assert match_json({"items": {"$len": 2}}, actual, subset=True) == []
    assert match_json({"id": {"$one_of": [1, 5]}, "date": {"$ne": ""}}, actual, subset=True) == []
    assert match_json({"items": {"$not_contains": [{"e": "c"}]}}, actual, subset=True) == []
    failures = match_json(
        {
            "id": {"$type": "string"},
            "date": {"$regex": "^x"},
            "items": {"$contains": [{"e": "z"}]},
            "n": {"$absent": True},
        },
        actual,
        subset=True,
    )
    assert failures == [
        "$.id: expected type string, got integer 5",
        "$.date: expected a string matching /^x/, got '2026-01-23 20:40:15'",
        "$.items: no item matches $contains[0] {'e': 'z'} among 2 item(s)",
        "$.n: expected no such field, got None",
    ]


def test_schema_status_and_headers():
    schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    assert match_schema(schema, {"id": 1}) == []
    assert match_schema(schema, {"id": "1"}) == ["$.id: schema: '1' is not of type 'integer'"]
    assert match_status((200, 201), 201) == []
    assert match_status((200,), 404) == ["status: expected 200, got 404"]
    headers = httpx.Headers({"content-type": "application/json", "x-a": "1"})
    assert match_headers({"Content-Type": "application/json"}, ("X-A",), ("X-B",), headers) == []
    assert match_headers({"Content-Type": "text/plain"}, ("X-C",), ("x-a",), headers) == [
        "header Content-Type: expected 'text/plain', got 'application/json'",
        "header X-C: missing",
        "header x-a: expected absent, got '1'",
    ]


def test_matching_never_raises_on_odd_expectations():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5))
    keys = st.sampled_from(
        ["a", "b", "$type", "$regex", "$any", "$absent", "$contains", "$not_contains", "$len", "$one_of", "$ne"]
    )
    documents = st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3), max_leaves=12
    )

    @settings(max_examples=400, deadline=None)
    @given(documents, documents, st.booleans())
    def check(expected, actual, subset):
        problems = match_json(expected, actual, subset=subset)
        assert all(isinstance(problem, str) for problem in problems)

    check()
