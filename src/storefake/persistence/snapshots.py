"""Snapshots: the whole state in one pickle, so a restart loads it and replays only the log after it.

A snapshot is taken under the write lock (a consistent point: every record up to its `seq` is in it) and
pickles the vendor backends as they are, whatever families they hold, with a dispatch table for what is
not state or not picklable as such:

- the fake's shared services (clock, random source, config, context, persistence) are references, resolved
  to the restarted fake's own when loaded;
- locks and conditions become fresh ones; webhook deliverers and rate-limit windows (not persisted) fresh
  empty ones;
- functions that are not importable by name (lambdas and closures, such as a Table's key functions) are
  kept by value: their code (marshal), defaults and closure cells;
- dataclass fields declared `init=False, compare=False` are derived (a rendered wire object kept by the
  route layer) and are kept at their default, to be made again on use;
- sorted containers are rebuilt as they were, without sorting them again (their own pickling does, which
  made a restart twice as slow), named tuples without Python code per row.

Pickles and marshalled code only fit the code that wrote them, so a snapshot names the code it was taken
with (a hash of Python's version and storefake's sources) and is used only by that same code; any other
start replays the whole log, which is the version-independent truth. A snapshot is written to a temporary
file, synced and renamed before the data file names it; a snapshot that fails to load is reported and the
log is replayed instead. Snapshots are never part of an export (a pickle runs code when loaded: only a
data dir's own are ever loaded).
"""

from __future__ import annotations

import contextlib
import contextvars
import copyreg
import dataclasses
import functools
import gc
import hashlib
import inspect
import io
import itertools
import marshal
import operator
import os
import pickle
import signal
import sys
import threading
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sortedcontainers
from sortedcontainers import SortedDict, SortedKeyList, SortedList, SortedSet

import storefake
from storefake.clock import Clock
from storefake.config import Config
from storefake.indexes import Bucket
from storefake.persistence.errors import PersistenceError
from storefake.randomness import RandomSource
from storefake.ratelimit import WindowCounter
from storefake.runtime import Context
from storefake.webhooks import Deliverer

if TYPE_CHECKING:
    from storefake.persistence.engine import Persistence
    from storefake.runtime import Fake

MAGIC = b"storefake-snapshot 1\n"
_SHARED: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("storefake_snapshot_shared")
_EMPTY_CELL = object()


@functools.cache
def code_fingerprint() -> str:
    """What a snapshot may be loaded by: this Python and exactly these storefake sources."""
    # sortedcontainers too: a snapshot holds its containers' internals.
    digest = hashlib.sha256(f"{sys.version} sortedcontainers {sortedcontainers.__version__}".encode())
    root = Path(storefake.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


# --- taking one ------------------------------------------------------------------------------------------


def dump(persistence: Persistence, fake: Fake, seq: int) -> bytes:
    """The snapshot of `fake` after record `seq` (the write lock is held by the caller)."""
    state = {
        "seq": seq,
        "clock": fake.clock.state(),
        "mocks": [(rule.origin, rule.spec, rule.matched, rule.hits) for rule in fake.mocks],
        "backends": fake.backends,
    }
    buffer = io.BytesIO()
    buffer.write(MAGIC + code_fingerprint().encode() + b"\n")
    pickler = _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table(persistence, fake)  # type: ignore[misc]
    collecting = gc.isenabled()
    gc.disable()  # the pickler's reduce tuples would set off collections walking the whole heap, again and again
    try:
        pickler.dump(state)
    finally:
        if collecting:
            gc.enable()
    return buffer.getvalue()


class _Pickler(pickle.Pickler):
    # Functions never reach a dispatch table (the C pickler saves them by name first), so they are caught here.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._functions = _FunctionReducer()

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is types.FunctionType:
            return self._functions(obj)
        return NotImplemented


def unpicklable(persistence: Persistence, fake: Fake) -> str | None:
    """Where in `fake`'s state the first object a snapshot can't pickle is, as an attribute path
    (`fake.bigcommerce.stores._stores['abc123'].feed`), or None if all of it pickles.

    Called only when a snapshot failed, to name the culprit for whoever added it: each level is pickled
    again (child by child until one fails), so it costs about one pickle of the state per level.
    """
    table = _dispatch_table(persistence, fake)
    above: set[int] = set()  # the path so far: pickled as references, so a way back up (oauth.backend) is no culprit

    def fails(obj: Any) -> bool:
        pickler = _Probe(above, _Discard(), protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = table  # type: ignore[misc]
        try:
            pickler.dump(obj)
        except Exception:
            return True
        return False

    roots = [(f"fake.{vendor}", backend) for vendor, backend in fake.backends.items()]
    roots.append(("fake.mocks", [(rule.origin, rule.spec) for rule in fake.mocks]))
    found = next(((path, obj) for path, obj in roots if fails(obj)), None)
    if found is None:
        return None
    path, obj = found
    while True:
        above.add(id(obj))
        child = next(((name, value) for name, value in _children(obj) if fails(value)), None)
        if child is None:
            break
        name, obj = child
        path += name
    return f"{path} (a {type(obj).__module__}.{type(obj).__qualname__})"


def _children(obj: Any) -> Iterator[tuple[str, Any]]:
    """(path suffix, value) of what `obj` holds, as far as a snapshot is concerned."""
    if isinstance(obj, dict):  # SortedDict too
        for key, value in obj.items():
            yield f"[{key!r}]", value
    elif isinstance(obj, list | tuple | set | frozenset | SortedList | SortedSet):
        for index, value in enumerate(obj):
            yield f"[{index}]", value
    elif isinstance(obj, types.FunctionType):
        for name, cell in zip(obj.__code__.co_freevars, obj.__closure__ or (), strict=True):
            yield f".<closure {name}>", _cell_value(cell)
        for index, value in enumerate(obj.__defaults__ or ()):
            yield f".<default {index}>", value
    else:
        for cls in type(obj).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if slot not in ("__dict__", "__weakref__") and hasattr(obj, slot):
                    yield f".{slot}", getattr(obj, slot)
        yield from ((f".{name}", value) for name, value in getattr(obj, "__dict__", {}).items())


class _Probe(_Pickler):
    """A snapshot's pickler that writes the objects of `above` as mere references (`unpicklable`)."""

    def __init__(self, above: set[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._above = above

    def persistent_id(self, obj: Any) -> Any:
        return id(obj) if id(obj) in self._above else None


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        return len(data)


def write(directory: Path, seq: int, payload: bytes) -> str:
    """Write a snapshot file durably (temporary file, fsync, rename, fsync of the directory); its name."""
    folder = directory / "snapshots"
    folder.mkdir(exist_ok=True)
    name = f"snapshot-{seq}.pickle"
    temporary = folder / f".{name}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, folder / name)
    with contextlib.suppress(OSError):  # not every platform can sync a directory
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return name


class SnapshotFailed(Exception):
    """A forked child could not write the snapshot (what it said, or how it died)."""


def can_fork() -> bool:
    """Snapshots are pickled in a forked child on Linux; macOS and Windows don't fork a threaded process safely."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class Child:
    """A forked process writing one snapshot; `wait()` gives its file name and size."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid, self._pipe = pid, pipe

    def wait(self) -> tuple[str, int]:
        with open(self._pipe, "rb") as pipe:
            said = pipe.read().decode("utf-8", "replace")
        _, status = os.waitpid(self.pid, 0)
        if status == 0 and said.startswith("ok "):
            _, size, name = said.split(" ", 2)
            return name, int(size)
        raise SnapshotFailed(said or f"the snapshot process ended with status {status}")


def dump_in_child(persistence: Persistence, fake: Fake, seq: int, directory: Path) -> Child:
    """Fork: the child pickles `fake` as it is at this instant and writes the file; the caller goes on at once.

    The caller holds the write lock, so the child's copy is of a state with no write half applied. The
    child runs nothing but the pickler and the file write, then leaves with os._exit (no atexit handler, no
    buffered output of the parent's flushed twice). Its pages are shared with the parent until either
    writes them, so memory grows by what changes meanwhile (and what the pickler's reference counts touch).
    """
    code_fingerprint()  # read the sources here: the child should touch no file but its snapshot
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+ warns on fork with threads running
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child
        status, said = 1, "error: the snapshot process failed"
        try:
            _leave_signals_to_the_parent()
            os.close(read_end)
            gc.disable()  # a collection would touch (and so copy) every page of the parent's heap
            payload = dump(persistence, fake, seq)
            said = f"ok {len(payload)} {write(directory, seq, payload)}"
            status = 0
        except BaseException as exc:
            said = f"error {type(exc).__name__}: {exc}"
        finally:
            with contextlib.suppress(BaseException):
                os.write(write_end, said.encode("utf-8", "replace")[:8192])
            os._exit(status)
    os.close(write_end)
    return Child(pid, read_end)


def _leave_signals_to_the_parent() -> None:
    """In the child: a Ctrl-C reaches the whole process group, and the parent's handlers (uvicorn's) would
    write it into the parent's own wakeup socket, handling it twice there (a second Ctrl-C forces an exit).
    The child ignores SIGINT and finishes its file; SIGTERM ends it (the parent then pickles in-process)."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _dispatch_table(persistence: Persistence, fake: Fake) -> dict[Any, Any]:
    shared = {
        id(fake.clock): "clock",
        id(fake.random): "random",
        id(fake.config): "config",
        id(fake.context): "context",
        id(persistence): "persistence",
    }

    def reduce_shared(obj: Any) -> Any:
        name = shared.get(id(obj))
        if name is None:
            raise pickle.PicklingError(f"a {type(obj).__name__} that is not the fake's own")
        return (_shared, (name,))

    table = dict(copyreg.dispatch_table)
    for cls in (Clock, RandomSource, Config, Context, type(persistence)):
        table[cls] = reduce_shared
    table[type(threading.Lock())] = lambda lock: (threading.Lock, ())
    table[type(threading.RLock())] = lambda lock: (threading.RLock, ())
    table[threading.Condition] = lambda condition: (threading.Condition, ())
    table[threading.Event] = lambda event: (threading.Event, ())
    table[Deliverer] = _reduce_deliverer
    table[WindowCounter] = lambda counter: (_window_counter, ())
    table[itertools.count] = _reduce_count
    table[SortedList] = table[SortedKeyList] = _reduce_sorted_list
    table[SortedSet] = _reduce_sorted_set
    table[Bucket] = _reduce_bucket
    table[SortedDict] = _reduce_sorted_dict
    table.update(_class_reducers())
    return table


def _reduce_sorted_list(container: SortedList) -> Any:
    state = dict(vars(container))
    state["_index"], state["_offset"] = [], 0  # a positional index, made again on first use
    return (object.__new__, (type(container),), state)


def _reduce_sorted_set(container: SortedSet) -> Any:
    return (_sorted_set, (type(container), container._list, container._key))


def _reduce_bucket(bucket: Bucket) -> Any:
    """A table's bucket as its sorted list's chunks: made again without sorting, and without a set copy."""
    return (_bucket, (type(bucket), bucket._list._lists, bucket._list._load))


def _bucket(cls: type[Bucket], chunks: list[list[Any]], load: int) -> Bucket:
    values = object.__new__(SortedList)
    maxes = [chunk[-1] for chunk in chunks]
    values.__dict__.update(_len=sum(map(len, chunks)), _load=load, _lists=chunks, _maxes=maxes, _index=[], _offset=0)
    bucket = object.__new__(cls)
    bucket.__dict__.update(_key=None, _list=values, _set=set(itertools.chain.from_iterable(chunks)))
    return bucket


def _sorted_set(cls: type[SortedSet], values: SortedList, key: Any) -> SortedSet:
    """SortedSet.__init__ without sorting again: the set, and the methods it binds to its set and list."""
    container = object.__new__(cls)
    container._key, container._list, container._set = key, values, set(values)
    for name in ("isdisjoint", "issubset", "issuperset"):
        setattr(container, name, getattr(container._set, name))
    for name in ("bisect_left", "bisect", "bisect_right", "index", "irange", "islice", "_reset"):
        setattr(container, name, getattr(values, name))
    if key is not None:
        for name in ("bisect_key_left", "bisect_key_right", "bisect_key", "irange_key"):
            setattr(container, name, getattr(values, name))
    return container


def _reduce_sorted_dict(container: SortedDict) -> Any:
    return (_sorted_dict, (type(container), dict(container), dict(vars(container))))


def _sorted_dict(cls: type[SortedDict], items: dict[Any, Any], state: dict[str, Any]) -> SortedDict:
    container = dict.__new__(cls)
    dict.update(container, items)
    container.__dict__.update(state)
    return container


def _class_reducers() -> dict[type, Any]:
    """Reducers for storefake's named tuples and for its dataclasses holding derived fields."""
    reducers: dict[type, Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("storefake.") or module is None:
            continue
        for cls in vars(module).values():
            if not isinstance(cls, type) or cls.__module__ != name:
                continue
            if issubclass(cls, tuple) and hasattr(cls, "_fields"):
                reducers[cls] = _reduce_named_tuple
            elif dataclasses.is_dataclass(cls):
                by_constructor = _constructor_reducer(cls)
                if by_constructor is not None:
                    reducers[cls] = by_constructor
                    continue
                derived = {f.name: f for f in dataclasses.fields(cls) if not f.init and not f.compare}
                if derived and not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
                    reducers[cls] = functools.partial(_reduce_without, derived)
    return reducers


def _constructor_reducer(cls: type) -> Any:
    """A dataclass saved as a call of its own constructor with its init fields, if that makes it again.

    The pickle default (a dict or list of every field, set one by one by Python code when loaded) cost
    about twice as much per record as one call of the generated `__init__`, which also leaves each derived
    field (`init=False, compare=False`, a rendering kept by the route layer) at its default. Classes this
    can't make the same (a __post_init__, a hand-written or keyword-only __init__, a field that is neither
    init nor derived) keep the other reducers.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = [f.name for f in fields if f.init]
    if hasattr(cls, "__post_init__") or any(not f.init and f.compare for f in fields):
        return None
    try:
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]  # type: ignore[misc]
    except (TypeError, ValueError):
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if [p.name for p in parameters] != names or any(p.kind not in positional for p in parameters):
        return None
    if not names:
        return lambda obj: (cls, ())
    if len(names) == 1:
        name = names[0]
        return lambda obj: (cls, (getattr(obj, name),))
    values = operator.attrgetter(*names)
    return lambda obj: (cls, values(obj))


def _reduce_named_tuple(row: tuple[Any, ...]) -> Any:
    return (tuple.__new__, (type(row), tuple(row)))


def _reduce_without(derived: dict[str, dataclasses.Field[Any]], obj: Any) -> Any:
    """A dataclass instance with its derived fields at their defaults."""
    cleared = {name: _default(field) for name, field in derived.items()}
    if hasattr(obj, "__dict__"):
        return (object.__new__, (type(obj),), {**vars(obj), **cleared})
    values = {name: getattr(obj, name) for name in type(obj).__slots__ if hasattr(obj, name)}
    return (object.__new__, (type(obj),), (None, {**values, **cleared}))


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return None if field.default is dataclasses.MISSING else field.default


def _reduce_deliverer(deliverer: Deliverer) -> Any:
    return (_deliverer, (deliverer.schedule, deliverer.timeout))


def _reduce_count(counter: itertools.count[Any]) -> Any:
    # Pickling itertools objects is deprecated (Python 3.12) and gone in 3.14: keep the next value instead.
    text = repr(counter)  # "count(5)" or "count(5, 2)"
    return (itertools.count, tuple(int(part) for part in text[6:-1].split(", ")))


class _FunctionReducer:
    """Importable functions by name; others (lambdas, closures) by value, their code marshalled once."""

    def __init__(self) -> None:
        self._code: dict[int, bytes] = {}

    def __call__(self, function: types.FunctionType) -> Any:
        if "<" not in function.__qualname__ and _lookup(function) is function:
            return function.__qualname__  # pickle saves it as a global of its module
        code = self._code.get(id(function.__code__))
        if code is None:
            code = self._code[id(function.__code__)] = marshal.dumps(function.__code__)
        cells = function.__closure__ or ()
        contents = tuple(_cell_value(cell) for cell in cells)
        state = (function.__defaults__, function.__kwdefaults__, contents, function.__dict__ or None)
        return (
            _function,
            (code, function.__module__, function.__name__, function.__qualname__, len(cells)),
            state,
            None,
            None,
            _fill_function,
        )


def _lookup(function: types.FunctionType) -> Any:
    target: Any = sys.modules.get(function.__module__)
    for part in function.__qualname__.split("."):
        target = getattr(target, part, None)
    return target


def _cell_value(cell: types.CellType) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # a cell not filled yet
        return _EMPTY_CELL


# --- loading one (module-level functions: pickle refers to them by name) -----------------------------------


def _shared(name: str) -> Any:
    shared = _SHARED.get(None)
    if shared is None or name not in shared:
        raise pickle.UnpicklingError(f"no shared {name} to resolve")
    return shared[name]


def _deliverer(schedule: tuple[float, ...], timeout: float) -> Deliverer:
    return Deliverer(_shared("clock"), schedule, enabled=_shared("config").deliver_webhooks, timeout=timeout)


def _window_counter() -> WindowCounter:
    return WindowCounter(_shared("clock"))


def _function(code: bytes, module: str, name: str, qualname: str, cells: int) -> types.FunctionType:
    __import__(module)
    function = types.FunctionType(
        marshal.loads(code), sys.modules[module].__dict__, name, None, tuple(types.CellType() for _ in range(cells))
    )
    function.__qualname__ = qualname
    return function


def _fill_function(function: types.FunctionType, state: tuple[Any, ...]) -> None:
    defaults, kwdefaults, contents, attributes = state
    function.__defaults__ = defaults
    function.__kwdefaults__ = kwdefaults
    for cell, value in zip(function.__closure__ or (), contents, strict=True):
        if value is not _EMPTY_CELL:
            cell.cell_contents = value
    if attributes:
        function.__dict__.update(attributes)


def load(path: Path, persistence: Persistence, fake: Fake) -> dict[str, Any]:
    """The state a snapshot file holds, its shared references resolved to `fake`'s own."""
    with open(path, "rb") as handle:
        if handle.readline() != MAGIC:
            raise PersistenceError(f"{path} is not a storefake snapshot")
        if handle.readline().strip().decode() != code_fingerprint():
            raise PersistenceError(f"{path} was taken by other code")
        shared = {
            "clock": fake.clock,
            "random": fake.random,
            "config": fake.config,
            "context": fake.context,
            "persistence": persistence,
        }
        token = _SHARED.set(shared)
        collecting = gc.isenabled()
        gc.disable()  # millions of new objects: the collector would walk them again and again for nothing
        try:
            state: dict[str, Any] = pickle.load(handle)
        finally:
            _SHARED.reset(token)
            if collecting:
                gc.enable()
    return state


def install(state: dict[str, Any], persistence: Persistence, fake: Fake) -> None:
    """Make a loaded snapshot the fake's state: its backends, mock rules and clock."""
    fake._close_backends()
    for vendor, backend in state["backends"].items():
        setattr(fake, vendor, backend)
    fake.mocks.clear()
    for origin, spec, _, _ in state["mocks"]:
        fake.mocks.add_specs([spec], origin=origin)
    fake.mocks.set_counters((spec.id, matched, hits) for _, spec, matched, hits in state["mocks"])
    fake.clock.set_state(*state["clock"])
