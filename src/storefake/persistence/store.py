"""The data file: one SQLite database (the standard library's sqlite3) holding a whole fake.

- `meta`: the fake's base, what its state starts from: the fixtures (YAML text), the mock rules loaded at
  start (their documents), the options that shape state (seed, strict, frozen_at), its signing key and
  how many times it was opened;
- `records`: the write-ahead log, one row per write, in the order the writes were applied (`Record`);
- `snapshots`: the snapshot files of the data dir (snapshots.py) and the last record each one holds.

A data dir's file runs in WAL mode with `synchronous=NORMAL`: a commit is a write into the WAL, which
survives the process being killed (kill -9) at any point; an operating system crash or a power cut can
lose the last commits (SQLite's documented trade-off for that mode). An exported file is the same schema
in one file, without snapshots. The file says it is ours with `PRAGMA application_id` and gives its
format with `PRAGMA user_version`: anything else is refused with one clear line, never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from storefake.persistence.errors import PersistenceError
from storefake.persistence.records import Record

APPLICATION_ID = 0x53466B31  # "SFk1"
FORMAT = 1
DB_NAME = "storefake.db"
LOCK_NAME = "storefake.lock"
SNAPSHOT_DIR = "snapshots"
_COLUMNS = "seq, kind, wall, frozen, offset, method, path, raw_path, query, headers, body, scope, seed, status, digest"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (
    seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, wall REAL NOT NULL, frozen REAL, offset REAL NOT NULL,
    method TEXT, path TEXT, raw_path BLOB, query BLOB, headers TEXT, body BLOB, scope TEXT, seed TEXT,
    status INTEGER, digest INTEGER
);
CREATE TABLE snapshots (
    seq INTEGER NOT NULL, file TEXT NOT NULL, code TEXT NOT NULL, created REAL NOT NULL, size INTEGER NOT NULL
);
"""


class DataFile:
    """One storefake SQLite file: its base (`meta`), its log (`records`) and its snapshot index.

    Thread-safe: one connection, used under one lock (SQLite's own locking guards other processes).
    """

    def __init__(self, path: Path, *, create: bool = False, wal: bool = True) -> None:
        self.path = path
        self._lock = threading.Lock()
        # Status reads go through a connection of their own: in WAL mode a reader never waits for the log
        # writer, which may be holding `_lock` while it waits for the disk.
        self._reader: sqlite3.Connection | None = None
        self._read_lock = threading.Lock()
        self._seq: int | None = None  # the log's last sequence number, once a group was committed
        self._checkpointer: sqlite3.Connection | None = None
        self._owner = wal  # a data dir's own connection (WAL, checkpointed at close), not a reader or a copy
        exists = path.is_file() and path.stat().st_size > 0
        if not exists and not create:
            raise PersistenceError(f"{path}: no such storefake data file")
        try:
            # A generous busy timeout: a reader (an export's online backup) may hold the file a moment.
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30.0)
        except sqlite3.Error as exc:
            raise PersistenceError(f"{path}: cannot open: {exc}") from None
        try:
            self._check(exists)
            if wal:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                # No checkpoint at commit time: its fsyncs would stall the event loop that commits; the
                # snapshot thread checkpoints instead (`checkpoint`), and close truncates the WAL.
                self._db.execute("PRAGMA wal_autocheckpoint=0")
        except PersistenceError:
            self._db.close()
            raise
        except sqlite3.Error as exc:
            self._db.close()
            raise PersistenceError(f"{path} is not a usable storefake data file ({exc})") from None

    def _check(self, exists: bool) -> None:
        try:
            application_id = self._db.execute("PRAGMA application_id").fetchone()[0]
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise PersistenceError(f"{self.path} is not a storefake data file ({exc})") from None
        if not exists or (application_id == 0 and not tables):
            marks = f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {FORMAT};"
            self._db.executescript(_SCHEMA + marks)
            return
        if application_id != APPLICATION_ID:
            raise PersistenceError(f"{self.path} is not a storefake data file (a database of another application)")
        if version > FORMAT:
            raise PersistenceError(
                f"{self.path} was written by a newer storefake (data format {version}; this one reads {FORMAT})"
            )
        if not {"meta", "records", "snapshots"} <= tables:
            raise PersistenceError(f"{self.path} is not a storefake data file (tables are missing)")

    # meta
    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self._query("SELECT key, value FROM meta"))

    def set_meta(self, values: dict[str, str]) -> None:
        with self._lock, self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", list(values.items()))

    # records
    def append_group(self, group: Sequence[tuple[Sequence[Record], bool]]) -> None:
        """Commit a group of writes (each its records, and whether it empties the log first) in one transaction.

        Sequence numbers are given here rather than by SQLite, so a group's rows go in with one statement;
        they keep growing across a reset, which only ever compares them.
        """
        with self._lock, self._transaction():
            seq = self._seq if self._seq is not None else self._query("SELECT coalesce(max(seq), 0) FROM records")[0][0]
            rows: list[tuple[Any, ...]] = []
            for records, truncate in group:
                if truncate:
                    self._insert_rows(rows)
                    rows = []
                    self._db.execute("DELETE FROM records")
                    self._db.execute("DELETE FROM snapshots")
                for record in records:
                    seq += 1
                    record.seq = seq
                    rows.append((seq, *record.row()))
            self._insert_rows(rows)
        self._seq = seq  # committed: the next group goes on from here (this connection is the only writer)

    def _insert_rows(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self._db.executemany(f"INSERT INTO records ({_COLUMNS}) VALUES (?{', ?' * 14})", rows)

    def records(self, after: int = 0, batch: int = 2000) -> Iterator[Record]:
        """The log in order, from the record after seq `after`, read in batches (a long log is never all in memory)."""
        last = after
        while True:
            with self._lock:
                rows = self._query(f"SELECT {_COLUMNS} FROM records WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch))
            if not rows:
                return
            for row in rows:
                yield Record.from_row(row, self.path)
            last = rows[-1][0]

    def count(self, after: int = 0) -> int:
        return int(self._read("SELECT count(*) FROM records WHERE seq > ?", (after,))[0][0])

    def last_seq(self) -> int:
        with self._lock:
            if self._seq is not None:  # kept by append_group: this connection is the only writer
                return self._seq
            return int(self._query("SELECT coalesce(max(seq), 0) FROM records")[0][0])

    # snapshots
    def snapshots(self) -> list[dict[str, Any]]:
        """Snapshot rows, newest first."""
        rows = self._read("SELECT seq, file, code, created, size FROM snapshots ORDER BY seq DESC")
        return [dict(zip(("seq", "file", "code", "created", "size"), row, strict=True)) for row in rows]

    def add_snapshot(self, seq: int, file: str, code: str, created: float, size: int) -> list[str]:
        """Register a snapshot and forget the older ones; returns the files no longer referenced."""
        with self._lock, self._transaction():
            old = [row[0] for row in self._query("SELECT file FROM snapshots")]
            self._db.execute("DELETE FROM snapshots")
            self._db.execute(
                "INSERT INTO snapshots (seq, file, code, created, size) VALUES (?, ?, ?, ?, ?)",
                (seq, file, code, created, size),
            )
        return [name for name in old if name != file]

    def drop_snapshots(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM snapshots")

    # whole file
    def copy_to(self, target: Path) -> None:
        """A consistent copy of the whole file (SQLite's online backup), even while a server writes to it."""
        destination = sqlite3.connect(target)
        try:
            with self._lock:
                self._db.backup(destination)
        finally:
            destination.close()

    def compact(self) -> None:
        """One self-contained file (no WAL beside it), its free pages dropped: what an export is."""
        with self._lock:
            try:
                self._db.execute("PRAGMA journal_mode=DELETE")
                self._db.execute("VACUUM")
            except sqlite3.Error as exc:
                raise PersistenceError(f"{self.path} cannot be compacted ({exc})") from None

    def close(self) -> None:
        with self._read_lock:
            for connection in (self._reader, self._checkpointer):
                if connection is not None:
                    connection.close()
        with self._lock:
            if self._owner:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()

    def checkpoint(self) -> None:
        """Copy what the WAL holds into the database file, on a connection of its own (the snapshot thread's).

        PASSIVE: it never waits for the writer, so commits go on meanwhile; what it can't copy yet is copied
        next time.
        """
        with self._read_lock:
            try:
                if self._checkpointer is None:
                    self._checkpointer = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0)
                self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.DatabaseError as exc:
                raise PersistenceError(f"{self.path} cannot be checkpointed ({exc})") from None

    def _read(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """A query on the reader connection (the data dir's own file), else under the lock."""
        if not self._owner:
            with self._lock:
                return self._query(sql, parameters)
        with self._read_lock:
            try:
                if self._reader is None:
                    self._reader = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0)
                return self._reader.execute(sql, parameters).fetchall()
            except sqlite3.DatabaseError as exc:
                raise PersistenceError(f"{self.path} cannot be read ({exc})") from None

    # internals (the lock is held by the caller)
    def _query(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as exc:
            raise PersistenceError(f"{self.path} cannot be read ({exc})") from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


class DirLock:
    """An exclusive lock on a data dir (flock on its lock file), so two fakes never write one log."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._handle: Any = None
        try:
            import fcntl
        except ImportError:  # no flock on this platform: run unlocked (one fake per data dir is the user's job)
            return
        handle = open(self.path, "a+")  # noqa: SIM115 (held open as long as the lock)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            owner = f" (pid {holder})" if holder.isdigit() else ""
            raise PersistenceError(f"{directory} is in use by another storefake{owner}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the descriptor releases the flock
            self._handle = None


def open_dir(directory: str | Path) -> tuple[Path, DirLock, DataFile]:
    """Create (if needed), lock and open a data dir; PersistenceError says why not."""
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise PersistenceError(f"{path} is not a directory") from None
    except OSError as exc:
        raise PersistenceError(f"cannot create data dir {path}: {exc.strerror or exc}") from None
    lock = DirLock(path)
    try:
        data = DataFile(path / DB_NAME, create=True)
    except BaseException:
        lock.release()
        raise
    return path, lock, data


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
