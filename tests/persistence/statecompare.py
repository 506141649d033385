"""Deep comparison of two fakes' state, object by object, for the persistence tests.

Walks both object graphs in step (attributes, slots, mappings, sequences, sorted containers) and returns the
first paths where they differ. Shared services and machinery are not state and are skipped: locks, the
clock, random source, config, webhook deliverers, rate-limit windows, functions (compared by name only).
Because it walks whatever the vendor backends hold, state families added later are compared too.
"""

from __future__ import annotations

import functools
import threading
import types
from collections import deque
from collections.abc import Mapping
from typing import Any

from sortedcontainers import SortedDict, SortedList, SortedSet

from storefake.clock import Clock
from storefake.config import Config
from storefake.randomness import RandomSource
from storefake.ratelimit import WindowCounter
from storefake.runtime import Changes, Context
from storefake.webhooks import Deliverer

LOCKS = (type(threading.Lock()), type(threading.RLock()), threading.Condition, threading.Event)
SKIPPED = (*LOCKS, Clock, RandomSource, Config, Context, Changes, Deliverer, WindowCounter)
# Caches that reads fill (a token verified by a GET): not state a restart must restore.
CACHES = frozenset({"_verified"})


def differences(a: Any, b: Any, path: str = "state", limit: int = 10) -> list[str]:
    found: list[str] = []
    _walk(a, b, path, found, set(), limit)
    return found


def _walk(a: Any, b: Any, path: str, found: list[str], seen: set[tuple[int, int]], limit: int) -> None:
    if len(found) >= limit:
        return
    if type(a) is not type(b):
        found.append(f"{path}: {type(a).__name__} != {type(b).__name__}")
        return
    if isinstance(a, SKIPPED):
        return
    if isinstance(a, str | bytes | int | float | bool | complex | type(None) | range):
        if a != b:
            found.append(f"{path}: {a!r} != {b!r}")
        return
    key = (id(a), id(b))
    if key in seen:
        return
    seen.add(key)
    if isinstance(a, types.FunctionType | types.BuiltinFunctionType | functools.partial | types.MethodType):
        name_a, name_b = _name(a), _name(b)
        if name_a != name_b:
            found.append(f"{path}: function {name_a} != {name_b}")
        return
    if isinstance(a, SortedDict | Mapping):
        keys_a, keys_b = list(a.keys()), list(b.keys())
        if keys_a != keys_b:
            found.append(f"{path}: keys {_short(keys_a)} != {_short(keys_b)}")
            return
        for k in keys_a:
            _walk(a[k], b[k], f"{path}[{k!r}]", found, seen, limit)
        return
    if isinstance(a, set | frozenset):
        if a != b:
            found.append(f"{path}: {_short(sorted(map(repr, a)))} != {_short(sorted(map(repr, b)))}")
        return
    if isinstance(a, list | tuple | deque | SortedList | SortedSet):
        if len(a) != len(b):
            found.append(f"{path}: {len(a)} items != {len(b)} items")
            return
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _walk(x, y, f"{path}[{index}]", found, seen, limit)
        return
    fields_a, fields_b = _fields(a), _fields(b)
    if fields_a is None:
        if a != b:
            found.append(f"{path}: {a!r} != {b!r}")
        return
    assert fields_b is not None
    if list(fields_a) != list(fields_b):
        found.append(f"{path}: attributes {sorted(fields_a)} != {sorted(fields_b)}")
        return
    for name, value in fields_a.items():
        if name not in CACHES:
            _walk(value, fields_b[name], f"{path}.{name}", found, seen, limit)


def _fields(obj: Any) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    for cls in type(obj).__mro__:
        for slot in getattr(cls, "__slots__", ()):
            if slot not in ("__dict__", "__weakref__") and hasattr(obj, slot):
                values[slot] = getattr(obj, slot)
    if hasattr(obj, "__dict__"):
        values.update(vars(obj))
    if not values and not hasattr(obj, "__dict__") and not getattr(type(obj), "__slots__", None):
        return None
    return values


def _name(function: Any) -> str:
    if isinstance(function, functools.partial):
        return f"partial({_name(function.func)})"
    return getattr(function, "__qualname__", repr(function))


def _short(items: list[Any]) -> str:
    text = repr(items)
    return text if len(text) < 200 else text[:200] + "..."
