"""A small JSONPath-like syntax for captures: `$`, `$.a.b`, `$.items[0].id`, `$.data[-1]`, `$['odd key']`,
`$.data.length` (size of a list or mapping); `header:<name>` reads a response header, `status` the status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TOKEN = re.compile(r"\.([A-Za-z_][\w\-]*)|\[(-?\d+)\]|\['([^']*)'\]|\[\"([^\"]*)\"\]")


class CaptureError(LookupError):
    """The path names something the response does not have."""


def parse_path(path: str) -> list[str | int]:
    if not path.startswith("$"):
        raise CaptureError(f"a JSON path starts with '$': {path!r}")
    parts: list[str | int] = []
    position = 1
    while position < len(path):
        match = _TOKEN.match(path, position)
        if not match:
            raise CaptureError(f"cannot read JSON path {path!r} at {path[position:]!r}")
        name, index, quoted, double = match.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(name if name is not None else (quoted if quoted is not None else double))
        position = match.end()
    return parts


def resolve(document: Any, path: str) -> Any:
    """The value at `path` in `document`; CaptureError when it is not there."""
    current = document
    for part in parse_path(path):
        if isinstance(part, int):
            if not isinstance(current, list) or not -len(current) <= part < len(current):
                raise CaptureError(f"{path}: no item [{part}]")
            current = current[part]
        elif isinstance(current, Mapping) and part in current:
            current = current[part]
        elif part == "length" and isinstance(current, list | Mapping):
            current = len(current)
        else:
            raise CaptureError(f"{path}: no field {part!r}")
    return current


def capture(expression: str, *, status: int, headers: Mapping[str, str], body: Any) -> Any:
    """Evaluate one capture expression against a response."""
    if expression == "status":
        return status
    if expression.startswith("header:"):
        name = expression[len("header:") :].strip()
        if name not in headers:
            raise CaptureError(f"no response header {name!r}")
        return headers[name]
    return resolve(body, expression)
