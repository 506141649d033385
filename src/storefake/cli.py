"""The `storefake` command: `serve` runs the standalone mock server; `check`, `record` and `diff` run the
contract suites without pytest (storefake/contracts/commands.py); `coverage` tells which vendor operations
the fake serves (storefake/coverage.py)."""

from __future__ import annotations

import argparse
import gc
import os
import socket
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from storefake.config import Config
from storefake.logs import FORMATS


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from storefake import logs
    from storefake.app import create_app
    from storefake.faults import RuleError
    from storefake.persistence import PersistenceError
    from storefake.seeding import SeedError
    from storefake.timeouts import head_timeout_protocol

    console = logs.Console(args.log_format)
    config = Config(
        fixtures=args.fixtures,
        mocks=tuple(args.mocks or ()),
        strict=args.strict,
        seed=args.seed,
        data_dir=args.data_dir,
    )
    try:
        app = create_app(config)
    except (RuleError, PersistenceError, SeedError) as exc:  # a bad mock/fixtures file or data dir: one line
        console.error(str(exc))
        return 2
    # Bind before starting uvicorn so `--port 0` can print the port the OS picked.
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
        sock.listen(2048)  # listening before the banner: a client that reads it can connect at once
    except OSError as exc:
        console.error(f"cannot listen on {args.host}:{args.port}: {exc}")
        return 2
    host, port = sock.getsockname()[:2]
    app.state.fake.listening.add(host, port)  # webhooks must not be sent to the fake itself
    base_url = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    banner = app.state.fake.describe(base_url)
    if app.state.fake.mocks:
        banner.append(f"  mock rules         {len(app.state.fake.mocks)} loaded, see {base_url}/__storefake/mocks")
    banner.append(f"  inspector          {base_url}/__storefake/")
    banner.append(f"  control API        {base_url}/__storefake/health")
    persistence = app.state.fake.persistence
    if persistence is not None:
        for line in [*persistence.notes, *persistence.divergences]:  # before the banner, whose last line ends it
            console.warning(line)
        restored = persistence.restored
        snapshot = "" if restored.get("snapshot_seq") is None else "a snapshot loaded and "
        banner.append(
            f"  data dir           {persistence.directory} "
            f"({snapshot}{restored.get('replayed', 0)} writes replayed in {restored.get('seconds', 0)} s)"
        )
    if console.json:
        console.info(f"storefake listening on {base_url}", url=base_url, banner=[line.strip() for line in banner])
    else:
        console.info("\n".join([f"storefake listening on {base_url}", *banner]))
    served = logs.AccessLog(app) if args.access_log else app
    # uvicorn's own access log is off: it would log query strings unredacted and no duration.
    # A client trickling its request head is cut off after HEADER_TIMEOUT s (its body: Config.body_timeout).
    uvicorn_config = uvicorn.Config(
        served,
        log_level=args.log_level,
        access_log=False,
        log_config=logs.log_config(args.log_format),
        http=head_timeout_protocol(),
    )
    server = _uvicorn_server(uvicorn_config, app.state.fake.close)
    prepare_collector()
    try:
        server.run(sockets=[sock])
    finally:
        app.state.fake.close()  # a persisted fake lets its data dir go (after a last snapshot)
    return 0


def _uvicorn_server(config: Any, on_stop: Callable[[], None]) -> Any:
    """A uvicorn server calling `on_stop` once it has shut down gracefully.

    Stopped by SIGTERM (docker stop) or SIGINT, uvicorn raises the signal again when it is done, and SIGTERM's
    default action ends the process before `run()` returns: code after `run()` would never run.
    """
    import uvicorn

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            await super().shutdown(sockets=sockets)
            on_stop()

    return Server(config)


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


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (`storefake serve: error: ...`, exit 2) like every CLI error;
    `--help` still shows the usage. Subcommand parsers are made of the same class."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")  # uvicorn's


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port (0 to 65535; 0 picks a free one)")
    return port


def build_parser() -> argparse.ArgumentParser:
    from storefake import __version__

    parser = Parser(prog="storefake", description="Fake Adobe Commerce and BigCommerce APIs.")
    parser.add_argument("--version", action="version", version=f"storefake {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the standalone mock server")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8080, help="port to bind; 0 picks a free one (default 8080)")
    serve.add_argument("--fixtures", default=None, help="YAML fixtures file (default: the bundled default.yaml)")
    serve.add_argument(
        "--mocks", action="append", help="YAML mock file, directory or bundled scenario name (repeatable)"
    )
    serve.add_argument("--seed", type=int, default=None, help="seed for reproducible tokens and ids")
    serve.add_argument("--strict", action="store_true", help="refuse unknown tenants and store hashes")
    serve.add_argument(
        "--data-dir", default=None, help="keep every write in this directory and restore it on start (default: off)"
    )
    serve.add_argument("--log-level", default="warning", choices=LOG_LEVELS, help="uvicorn log level (default warning)")
    serve.add_argument(
        "--access-log", action="store_true", help="log one line per request: method, path, status, duration"
    )
    serve.add_argument("--log-format", choices=FORMATS, default="text", help="text lines, or one JSON object per line")
    serve.set_defaults(handler=_serve)

    from storefake.contracts.commands import add_commands
    from storefake.coverage import add_command as add_coverage_command
    from storefake.persistence.commands import add_commands as add_persistence_commands

    add_commands(commands)
    add_persistence_commands(commands)
    add_coverage_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:  # Ctrl-C: stop quietly, with the shell's status for SIGINT (128 + 2)
        return 130
    except BrokenPipeError:  # the reader went away (`storefake coverage | head`): stop quietly, no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python flushes stdout at exit
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
