"""The `storefake` command: `serve` runs the standalone mock server; `check`, `record` and `diff` run the
contract suites without pytest (storefake/contracts/commands.py)."""

from __future__ import annotations

import argparse
import gc
import socket
import sys
from collections.abc import Sequence
from typing import Any

from storefake.config import Config


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from storefake.app import create_app
    from storefake.faults import RuleError
    from storefake.persistence import PersistenceError

    config = Config(
        fixtures=args.fixtures,
        mocks=tuple(args.mocks or ()),
        strict=args.strict,
        seed=args.seed,
        data_dir=args.data_dir,
    )
    try:
        app = create_app(config)
    except (RuleError, PersistenceError) as exc:  # a bad mock file or data dir is the user's: one line
        print(f"storefake: {exc}", file=sys.stderr)
        return 2
    # Bind before starting uvicorn so `--port 0` can print the port the OS picked.
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
        sock.listen(2048)  # listening before the banner: a client that reads it can connect at once
    except OSError as exc:
        print(f"storefake: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    host, port = sock.getsockname()[:2]
    base_url = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    print(f"storefake listening on {base_url}")
    for line in app.state.fake.describe(base_url):
        print(line)
    if app.state.fake.mocks:
        print(f"  mock rules         {len(app.state.fake.mocks)} loaded, see {base_url}/__storefake/mocks")
    print(f"  control API        {base_url}/__storefake/health", flush=True)
    persistence = app.state.fake.persistence
    if persistence is not None:
        _describe_persistence(persistence)
    server = uvicorn.Server(uvicorn.Config(app, log_level=args.log_level, access_log=False))
    prepare_collector()
    try:
        server.run(sockets=[sock])
    finally:
        app.state.fake.close()  # a persisted fake lets its data dir go
    return 0


def _describe_persistence(persistence: Any) -> None:
    for line in [*persistence.notes, *persistence.divergences]:  # before the banner's last line, which ends it
        print(f"storefake: warning: {line}", file=sys.stderr, flush=True)
    restored = persistence.restored
    snapshot = "" if restored.get("snapshot_seq") is None else "a snapshot loaded and "
    print(
        f"  data dir           {persistence.directory} "
        f"({snapshot}{restored.get('replayed', 0)} writes replayed in {restored.get('seconds', 0)} s)",
        flush=True,
    )


def prepare_collector() -> None:
    """Set the garbage collector up for a long-running server, once start-up is done."""
    # What start-up built (modules, fixtures, the app) lives as long as the server: out of the collector's
    # sight, full collections walk only what requests add (the state, the journal), not all of it again.
    gc.collect()
    gc.freeze()
    # Requests leave little cyclic garbage, but each adds a stored row or two that the default thresholds
    # (700, 10, 10) have the collector walk again and again as the store grows; with young-generation passes
    # seventy times rarer, POST /V1/customers gained a few percent (benchmarks/adobe_throughput.py).
    gc.set_threshold(50_000, 10, 10)


def build_parser() -> argparse.ArgumentParser:
    from storefake import __version__

    parser = argparse.ArgumentParser(prog="storefake", description="Fake Adobe Commerce and BigCommerce APIs.")
    parser.add_argument("--version", action="version", version=f"storefake {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the standalone mock server")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to bind; 0 picks a free one (default 8080)")
    serve.add_argument("--fixtures", default=None, help="YAML fixtures file (default: the bundled default.yaml)")
    serve.add_argument(
        "--mocks", action="append", help="YAML mock file, directory or bundled scenario name (repeatable)"
    )
    serve.add_argument("--seed", type=int, default=None, help="seed for reproducible tokens and ids")
    serve.add_argument("--strict", action="store_true", help="refuse unknown tenants and store hashes")
    serve.add_argument(
        "--data-dir", default=None, help="keep every write in this directory and restore it on start (default: off)"
    )
    serve.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    serve.set_defaults(handler=_serve)

    from storefake.contracts.commands import add_commands
    from storefake.persistence.commands import add_commands as add_persistence_commands

    add_commands(commands)
    add_persistence_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    raise SystemExit(main())
