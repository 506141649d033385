"""JSON into and out of the fake: the standard library's results, at orjson's speed.

Every request to the fake parses a body and every answer encodes one, so JSON sits on the hottest path;
orjson does both in C several times faster than the standard library (pyproject names it for that).
It is used wherever it gives the standard library's result, and the standard library does the rest:
bodies orjson refuses (NaN, UTF-16 text) or would read differently (it turns integers past 64 bits into
floats, so any run of 19 digits goes to `json`) are read by `json` with the caller's options, and ASCII-only
output (Magento's, like PHP's json_encode) falls back to `json` when
the text holds non-ASCII characters. One visible difference remains: floats below 1e-4 are written
`0.00001` rather than `1e-05` (neither vendor's PHP writes either).

Two things PHP's json_decode (Magento's reader) refuses are refused here too, as ValueError: a lone UTF-16
surrogate (`"\\ud800"`, JSON_ERROR_UTF16; kept, it could never be written out again as UTF-8) and arrays
and objects nested more than MAX_DEPTH (512, json_decode's default) deep (JSON_ERROR_DEPTH), which could
not be written back either (orjson writes 254 levels, `json` stops near the interpreter's recursion limit).
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

# Every ASCII digit to "0", every other byte to " ": a run of 19 digits becomes 19 zeros, which `in` finds
# at C speed (a regex search for \d{19} cost three times orjson's whole parse of a small body).
_DIGITS_TO_ZEROS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_RUN = b"0" * 19
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 512


def loads(raw: bytes | str, **options: Any) -> Any:
    """`json.loads(raw, **options)`; `options` (e.g. parse_constant) matter only where orjson refuses.

    ValueError (json.JSONDecodeError, or a plain ValueError for a lone surrogate or too deep a nesting)
    for anything that is not JSON both vendors would read.
    """
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    if _LONG_RUN not in data.translate(_DIGITS_TO_ZEROS):  # JSON's digits are ASCII
        try:
            value = orjson.loads(data)  # it refuses lone surrogates and nesting past 1,024 levels itself
        except orjson.JSONDecodeError:
            pass
        else:
            if data.count(b"[") + data.count(b"{") > MAX_DEPTH:  # a C count: only such bodies are walked
                _refuse_depth(value)
            return value
    try:
        value = json.loads(raw, **options)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    _refuse_depth(value)
    refuse_lone_surrogates(value)
    return value


def _refuse_depth(value: Any) -> None:
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_DEPTH:
                raise ValueError("nested too deeply")
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))


def refuse_lone_surrogates(value: Any) -> None:
    """ValueError if a string (key or value) anywhere in `value` holds a lone UTF-16 surrogate.

    For what other parsers read (the standard library's json, YAML): such text can't be encoded as UTF-8,
    so stored it would break every later answer that writes it. Walks without recursion, at any depth.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ValueError("lone UTF-16 surrogate in a string")
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)


def dumps(content: Any, *, ascii_only: bool = False) -> bytes:
    """Compact JSON (no spaces) as UTF-8 bytes; `ascii_only` escapes non-ASCII as `\\uXXXX`."""
    try:
        body = orjson.dumps(content)
    except TypeError:  # non-string keys, integers past 64 bits: the standard library's answer
        return json.dumps(content, ensure_ascii=ascii_only, separators=(",", ":")).encode("utf-8")
    if ascii_only and (not body.isascii() or b"\x7f" in body):  # json escapes DEL too
        return json.dumps(content, separators=(",", ":")).encode("ascii")
    return body
