"""`storefake export` and `storefake import`: a whole persisted fake as one file, to share a dataset.

An export is the data dir's SQLite file copied consistently (SQLite's online backup: a running server may go on
writing), without snapshots: its base (fixtures, mock rules, options, signing key) and its log. Importing one
makes a data dir that `storefake serve --data-dir` restores by replaying that log; nothing in the file is ever
executed (no pickle crosses machines). Exit status: 0 done, 2 a file or data dir that can't be used (one line).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from storefake.persistence.errors import PersistenceError
from storefake.persistence.store import DB_NAME, SNAPSHOT_DIR, DataFile, DirLock


def add_commands(commands: Any) -> None:
    """Add export and import to the `storefake` subparsers."""
    export = commands.add_parser("export", help="write a persisted fake (a --data-dir) to one file, to share it")
    export.add_argument("--data-dir", required=True, help="the data dir of the fake to export")
    export.add_argument("file", help="the file to write")
    export.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    export.set_defaults(handler=export_command)

    load = commands.add_parser("import", help="make a data dir from an exported file (then serve --data-dir it)")
    load.add_argument("file", help="a file written by storefake export")
    load.add_argument("--data-dir", required=True, help="the data dir to make")
    load.add_argument("--force", action="store_true", help="replace the fake the data dir holds")
    load.set_defaults(handler=import_command)


def export_command(args: argparse.Namespace) -> int:
    try:
        count = export_data_dir(Path(args.data_dir), Path(args.file), force=args.force)
    except PersistenceError as exc:
        print(f"storefake: {exc}", file=sys.stderr)
        return 2
    print(f"storefake: exported {args.data_dir} ({count} writes) to {args.file}")
    return 0


def import_command(args: argparse.Namespace) -> int:
    try:
        count = import_file(Path(args.file), Path(args.data_dir), force=args.force)
    except PersistenceError as exc:
        print(f"storefake: {exc}", file=sys.stderr)
        return 2
    print(
        f"storefake: imported {args.file} ({count} writes) into {args.data_dir}; "
        f"start it with: storefake serve --data-dir {args.data_dir}"
    )
    return 0


def export_data_dir(directory: Path, target: Path, *, force: bool = False) -> int:
    """Copy the fake of `directory` into `target` (one file); the number of writes it holds."""
    source_path = directory / DB_NAME
    if not source_path.is_file():
        raise PersistenceError(f"{directory} holds no storefake data (no {DB_NAME})")
    if target.exists() and not force:
        raise PersistenceError(f"{target} exists (use --force to overwrite it)")
    source = DataFile(source_path, wal=False)  # a reader: a server using the data dir goes on meanwhile
    try:
        if "fixtures" not in source.meta():
            raise PersistenceError(f"{directory} holds no storefake data (it was never started)")
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.unlink(missing_ok=True)
        try:
            source.copy_to(temporary)
        except OSError as exc:
            raise PersistenceError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        source.close()
    count = _finish_copy(temporary, exported=True)
    os.replace(temporary, target)
    return count


def import_file(source_path: Path, directory: Path, *, force: bool = False) -> int:
    """Make `directory` hold the fake exported to `source_path`; the number of writes it holds."""
    if not source_path.is_file():
        raise PersistenceError(f"{source_path}: no such file")
    source = DataFile(source_path, wal=False)
    try:
        if "fixtures" not in source.meta():
            raise PersistenceError(f"{source_path} is not a storefake export (it holds no fake)")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PersistenceError(f"cannot create data dir {directory}: {exc.strerror or exc}") from None
        lock = DirLock(directory)
        try:
            existing = directory / DB_NAME
            if existing.is_file() and existing.stat().st_size > 0 and not force:
                raise PersistenceError(f"{directory} already holds a fake (use --force to replace it)")
            temporary = directory / f".{DB_NAME}.import"
            temporary.unlink(missing_ok=True)
            source.copy_to(temporary)
            count = _finish_copy(temporary, exported=False)
            for stale in (existing, directory / f"{DB_NAME}-wal", directory / f"{DB_NAME}-shm"):
                stale.unlink(missing_ok=True)
            snapshots = directory / SNAPSHOT_DIR
            if snapshots.is_dir():
                for path in snapshots.iterdir():
                    path.unlink(missing_ok=True)
            os.replace(temporary, existing)
        finally:
            lock.release()
    finally:
        source.close()
    return count


def _finish_copy(path: Path, *, exported: bool) -> int:
    """Drop the copy's snapshot rows (a pickle never travels) and make it one self-contained file."""
    copy = DataFile(path, wal=False)
    try:
        copy.drop_snapshots()
        count = copy.count()
        copy.compact()
    finally:
        copy.close()
    return count
