"""JSON into and out of the fake: the standard library's results, at orjson's speed.

Every request to the fake parses a body and every answer encodes one, so JSON sits on the hottest path;
orjson does both in C several times faster than the standard library (pyproject names it for that).
It is used wherever it gives the standard library's result, and the standard library does the rest:
bodies orjson refuses (NaN, UTF-16 text, lone surrogates) or would read differently (it turns integers
past 64 bits into floats, so any run of 19 digits goes to `json`) are read by `json` with the caller's
options, and ASCII-only output (Magento's, like PHP's json_encode) falls back to `json` when
the text holds non-ASCII characters. One visible difference remains: floats below 1e-4 are written
`0.00001` rather than `1e-05` (neither vendor's PHP writes either).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# Every ASCII digit to "0", every other byte to " ": a run of 19 digits becomes 19 zeros, which `in` finds
# at C speed (a regex search for \d{19} cost three times orjson's whole parse of a small body).
_DIGITS_TO_ZEROS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_RUN = b"0" * 19


def loads(raw: bytes | str, **options: Any) -> Any:
    """`json.loads(raw, **options)`; `options` (e.g. parse_constant) matter only where orjson refuses."""
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    if _LONG_RUN not in data.translate(_DIGITS_TO_ZEROS):  # JSON's digits are ASCII
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(raw, **options)


def dumps(content: Any, *, ascii_only: bool = False) -> bytes:
    """Compact JSON (no spaces) as UTF-8 bytes; `ascii_only` escapes non-ASCII as `\\uXXXX`."""
    try:
        body = orjson.dumps(content)
    except TypeError:  # non-string keys, integers past 64 bits: the standard library's answer
        return json.dumps(content, ensure_ascii=ascii_only, separators=(",", ":")).encode("utf-8")
    if ascii_only and (not body.isascii() or b"\x7f" in body):  # json escapes DEL too
        return json.dumps(content, separators=(",", ":")).encode("ascii")
    return body
