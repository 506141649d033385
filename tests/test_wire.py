"""wire.loads/dumps give the standard library's results, including where orjson alone would not."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storefake import wire

# Floats are left to the explicit cases below: orjson writes 1e-05 as 0.00001 (the one documented difference).
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**60) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(values)
def test_dumps_matches_the_standard_library(value: Any) -> None:
    assert wire.dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    assert wire.dumps(value, ascii_only=True) == json.dumps(value, separators=(",", ":")).encode()


@given(values)
def test_loads_matches_the_standard_library(value: Any) -> None:
    text = json.dumps(value)
    assert wire.loads(text) == json.loads(text)
    assert wire.loads(text.encode()) == json.loads(text.encode())


def test_everyday_floats_are_written_alike() -> None:
    value = {"price": 19.99, "weight": 1.0, "big": 1e16, "negative": -0.5}
    assert wire.dumps(value) == json.dumps(value, separators=(",", ":")).encode()


def test_what_orjson_refuses_is_read_by_the_standard_library() -> None:
    assert wire.loads('{"n": 123456789012345678901234567890}') == {"n": 123456789012345678901234567890}
    assert wire.loads(b"[-18446744073709551616, 18446744073709551616]") == [-(2**64), 2**64]
    assert math.isnan(wire.loads('{"x": NaN}')["x"])
    assert wire.loads('{"a": "é"}'.encode("utf-16")) == {"a": "é"}


def test_options_apply_where_the_standard_library_reads() -> None:
    def refuse(name: str) -> Any:
        raise ValueError(name)

    with pytest.raises(ValueError, match="NaN"):
        wire.loads('{"x": NaN}', parse_constant=refuse)
    with pytest.raises(json.JSONDecodeError):
        wire.loads("{not json")


def test_non_ascii_and_unusual_keys() -> None:
    assert wire.dumps({"name": "Müller"}) == '{"name":"Müller"}'.encode()
    assert wire.dumps({"name": "Müller"}, ascii_only=True) == b'{"name":"M\\u00fcller"}'
    assert wire.dumps({1: "a"}) == b'{"1":"a"}'
    assert wire.dumps({"n": 2**70}) == b'{"n":1180591620717411303424}'


def test_text_orjson_cannot_take_is_read_as_the_standard_library_reads_it() -> None:
    assert wire.loads('{"id": "1234567890123456789012"}') == {"id": "1234567890123456789012"}
    assert wire.loads("[1234567890123456789, 123456789012345678]") == [1234567890123456789, 123456789012345678]
    with pytest.raises(json.JSONDecodeError):
        wire.loads("\ufeff{}")  # a BOM in decoded text is refused, as json.loads refuses it


def test_ascii_only_output_escapes_del_as_the_standard_library_does() -> None:
    assert wire.dumps({"x": "a\x7fb"}, ascii_only=True) == b'{"x":"a\\u007fb"}'
    assert wire.dumps({"x": "a\x7fb"}) == b'{"x":"a\x7fb"}'


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "bad \\ud800"}',  # escaped: orjson refuses it
        b'{"name": "bad \\udc00", "n": NaN}',  # escaped, in a body only the standard library reads
        b'{"id": 1234567890123456789012, "\\ud800": 1}',  # in a key, in a body with a long number
        '"\ud800"',  # in the decoded text itself
    ],
)
def test_loads_refuses_a_lone_surrogate(raw: bytes | str) -> None:
    with pytest.raises(ValueError, match="lone UTF-16 surrogate"):
        wire.loads(raw)


def test_loads_reads_a_surrogate_pair_as_its_character() -> None:
    assert wire.loads(b'"\\ud83d\\ude00"') == "\U0001f600"


@pytest.mark.parametrize("depth", [wire.MAX_DEPTH + 1, 2_000, 100_000])
def test_loads_refuses_nesting_deeper_than_php_reads(depth: int) -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        wire.loads(b"[" * depth + b"]" * depth)
    with pytest.raises(ValueError, match="nested too deeply"):
        wire.loads(b'{"a":' * depth + b"NaN" + b"}" * depth)


def test_loads_reads_nesting_as_deep_as_php_reads() -> None:
    depth = wire.MAX_DEPTH
    assert wire.loads(b"[" * depth + b"]" * depth) is not None
    shallow = b"[" + b",".join([b"[]"] * 2_000) + b"]"  # many brackets, two levels
    assert len(wire.loads(shallow)) == 2_000
