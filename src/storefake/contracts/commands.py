"""`storefake check`, `storefake record` and `storefake diff`: the contract suites without pytest.

cli.py registers these with `add_commands(subparsers)`; each handler returns the exit status
(0 all good, 1 failures or drift, 2 bad usage or input).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storefake.contracts.model import Case, ContractSchemaError, NotASuite, bundled_suite_paths, load_suite
from storefake.contracts.runner import CaseResult, Runner
from storefake.targets import TargetError


def add_commands(commands: Any) -> None:
    """Add check, record and diff to the `storefake` subparsers."""
    check = commands.add_parser("check", help="run the contract suites against a target; non-zero on failure")
    _target_options(check)
    check.add_argument("-v", "--verbose", action="store_true", help="print passed and skipped cases too")
    check.set_defaults(handler=check_command)

    record = commands.add_parser("record", help="run the suites and store scrubbed responses for `storefake diff`")
    _target_options(record)
    record.add_argument("--out", default=None, help="recording directory (default fixtures/recorded/<target>)")
    record.set_defaults(handler=record_command)

    diff = commands.add_parser("diff", help="compare two recordings; non-zero when they drift apart")
    diff.add_argument("a", help="first recording directory (e.g. fixtures/recorded/live)")
    diff.add_argument("b", help="second recording directory (e.g. fixtures/recorded/fake)")
    diff.set_defaults(handler=diff_command)


def _target_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--target", choices=("fake", "server", "live"), default="fake", help="default fake")
    parser.add_argument(
        "--base-url",
        type=base_url,
        default=None,
        help="server: a running storefake (default: start one in-process); "
        "live: a `storefake serve` URL to use with its fixture credentials (default: STOREFAKE_* variables)",
    )
    parser.add_argument("--fixtures", default=None, help="fixtures file of the fake / server (default bundled)")
    parser.add_argument(
        "--suite", action="append", default=None, help="suite file or directory (repeatable; default bundled suites)"
    )
    parser.add_argument("-k", dest="keyword", default=None, help="only cases whose suite::name contains this text")
    parser.add_argument("--allow-writes", action="store_true", help="let live runs create and delete data")


def base_url(text: str) -> str:
    """An http(s) URL with a host, for --base-url (argparse type)."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}; e.g. http://127.0.0.1:8080")
    return text


# --- targets -----------------------------------------------------------------------------------------
def check_storefake_at(url: str) -> None:
    """TargetError unless a storefake answers its health check at `url` (a --base-url given by the user)."""
    import httpx

    from storefake.targets import TargetError

    try:
        response = httpx.get(f"{url.rstrip('/')}/__storefake/health", timeout=10)
        healthy = response.status_code == 200 and response.json().get("status") == "ok"
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        raise TargetError(f"no storefake server answers at {url}: {type(exc).__name__}: {exc}") from None
    if not healthy:
        raise TargetError(f"no storefake server answers at {url}: GET /__storefake/health was {response.status_code}")


def storefake_live_settings(base_url: str, fixtures: Any = None) -> Any:
    """LiveSettings for a `storefake serve` process, with the credentials of its fixtures."""
    from storefake.runtime import load_fixtures
    from storefake.targets import LiveSettings, default_credentials

    base_url = base_url.rstrip("/")
    credentials = default_credentials(load_fixtures(fixtures))
    adobe, bigcommerce = credentials.get("adobe", {}), credentials.get("bigcommerce", {})
    return LiveSettings(
        adobe_rest_endpoint=f"{base_url}/{adobe['tenant_id']}" if adobe else None,
        adobe_ims_url=f"{base_url}/ims/token/v3",
        adobe_client_id=adobe.get("client_id"),
        adobe_client_secret=adobe.get("client_secret"),
        adobe_scope=adobe.get("scope"),
        bigcommerce_store_hash=bigcommerce.get("store_hash"),
        bigcommerce_access_token=bigcommerce.get("access_token"),
        bigcommerce_client_id=bigcommerce.get("client_id"),
        bigcommerce_api_url=base_url,
    )


@contextlib.contextmanager
def open_target(kind: str, base_url: str | None = None, fixtures: str | None = None) -> Iterator[Any]:
    """A Target of `kind`, closed (and its server stopped) on exit."""
    from storefake import targets

    with contextlib.ExitStack() as stack:
        if kind == "fake":
            from storefake.app import create_app

            target = targets.fake_target(create_app(fixtures=fixtures))
        elif kind == "server" and base_url:
            check_storefake_at(base_url)
            target = targets.server_target(base_url, fixtures)
        elif kind == "server":
            from storefake.config import Config
            from storefake.server import ThreadedServer

            server = stack.enter_context(ThreadedServer(Config(fixtures=fixtures)))
            target = targets.server_target(server.url, fixtures, fake=server.fake)
        elif base_url:
            check_storefake_at(base_url)
            target = targets.live_target(storefake_live_settings(base_url, fixtures))
        else:
            target = targets.live_target(targets.LiveSettings.from_env())
        stack.callback(target.close)
        yield target


# --- running -----------------------------------------------------------------------------------------


def select_cases(suites: Sequence[str] | None, keyword: str | None) -> list[Case]:
    """Cases of the given suite files/directories (default: the bundled suites), filtered by keyword."""
    paths: list[Path] = []
    found: set[Path] = set()  # files found in a directory: one that is no suite is skipped with a warning
    for item in suites or ():
        path = Path(item)
        if path.is_dir():
            # contracts/openapi/ holds the OpenAPI documents, not suites.
            listed = sorted(p for p in path.rglob("*.yaml") if "openapi" not in p.relative_to(path).parts)
            paths.extend(listed)
            found.update(listed)
        elif path.is_file():
            paths.append(path)
        else:
            raise ContractSchemaError(f"{path}: no such suite file or directory")
    if not suites:
        paths = bundled_suite_paths()
    cases: list[Case] = []
    for path in paths:
        try:
            cases.extend(load_suite(path).cases)
        except NotASuite as exc:
            if path not in found:
                raise
            print(f"storefake: warning: {exc}: skipped", file=sys.stderr)
    return [case for case in cases if not keyword or keyword in case.id]


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run: the results of the cases that ran."""

    def __init__(self, results: list[CaseResult], total: int) -> None:
        super().__init__()
        self.results = results
        self.total = total


def run_cases(
    args: argparse.Namespace, watch: Callable[[Any], Callable[[Any], None]] | None = None
) -> list[CaseResult] | int:
    """Run the selected cases; `watch(target)` may return an on_exchange callback (recording)."""
    try:
        cases = select_cases(args.suite, args.keyword)
    except (ContractSchemaError, OSError) as exc:
        print(f"storefake: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print(f"storefake: no contract case matches -k {args.keyword!r}", file=sys.stderr)
        return 2
    try:
        with open_target(args.target, args.base_url, args.fixtures) as target:
            # A live run missing one vendor's settings skips that vendor's cases (the runner names what to
            # set); missing every vendor the cases need is bad usage.
            vendors = {step.vendor for case in cases for step in (*case.steps, *case.cleanup)}
            reasons = [target.unavailable(vendor) for vendor in sorted(vendors)]
            if all(reasons):
                raise TargetError(reasons[0])
            on_exchange = watch(target) if watch else None
            with Runner(target, allow_writes=args.allow_writes, on_exchange=on_exchange) as runner:
                results: list[CaseResult] = []
                try:
                    for case in cases:
                        results.append(runner.run(case))
                except KeyboardInterrupt:
                    raise Interrupted(results, len(cases)) from None
                return results
    except Exception as exc:  # a target that cannot start (missing live settings, port trouble)
        print(f"storefake: cannot use target {args.target}: {exc}", file=sys.stderr)
        return 2


def summarize(results: Sequence[CaseResult], seconds: float, *, verbose: bool) -> str:
    lines = []
    skipped: dict[str, int] = {}
    for result in results:
        if result.outcome == "failed":
            lines.append("FAIL " + result.report())
        elif verbose:
            lines.append(("PASS " if result.passed else "SKIP ") + result.report())
        elif result.outcome == "skipped":
            skipped[result.reason] = skipped.get(result.reason, 0) + 1
    lines += [f"SKIP {count} case(s): {reason}" for reason, count in skipped.items()]
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("passed", "failed", "skipped")}
    lines.append(", ".join(f"{count} {outcome}" for outcome, count in counts.items()) + f" in {seconds:.2f}s")
    return "\n".join(lines)


def check_command(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        outcome = run_cases(args)
    except Interrupted as stop:  # Ctrl-C: what ran so far, then the shell's status for SIGINT
        print(f"storefake check: target {args.target}, interrupted after {len(stop.results)} of {stop.total} case(s)")
        print(summarize(stop.results, time.perf_counter() - started, verbose=args.verbose))
        return 130
    if isinstance(outcome, int):
        return outcome
    results = outcome
    print(f"storefake check: target {args.target}, {len(results)} case(s)")
    print(summarize(results, time.perf_counter() - started, verbose=args.verbose))
    return 1 if any(result.outcome == "failed" for result in results) else 0


def record_command(args: argparse.Namespace) -> int:
    from storefake.drift import Recorder, target_secrets

    started = time.perf_counter()
    recorders: list[Recorder] = []

    def watch(target: Any) -> Callable[[Any], None]:
        recorders.append(Recorder(args.target, target_secrets(target)))
        return recorders[0].add

    outcome = run_cases(args, watch)
    if isinstance(outcome, int):
        return outcome
    results = outcome
    for result in results:
        if result.outcome == "skipped" and recorders:
            recorders[0].skip(result.case.suite, result.case.name, result.reason)
    out = Path(args.out or Path("fixtures") / "recorded" / args.target)
    written = recorders[0].write(out) if recorders else []
    print(f"storefake record: target {args.target}, {len(written)} case file(s) in {out}")
    print(summarize(results, time.perf_counter() - started, verbose=False))
    return 1 if any(result.outcome == "failed" for result in results) else 0


def diff_command(args: argparse.Namespace) -> int:
    from storefake.drift import diff_recordings, skipped_cases

    try:
        report = diff_recordings(args.a, args.b)
        skipped = skipped_cases(args.a, args.b)
    except (OSError, ValueError) as exc:
        print(f"storefake: {exc}", file=sys.stderr)
        return 2
    except (KeyError, TypeError, AttributeError) as exc:  # a hand-edited file that lost its structure
        print(f"storefake: not a storefake recording: {exc!r}", file=sys.stderr)
        return 2
    if skipped:
        print(f"{len(skipped)} case(s) skipped on one side, not compared: {', '.join(skipped)}")
    if not report:
        print(f"no drift between {args.a} and {args.b}")
        return 0
    print(f"drift between A={args.a} and B={args.b}:")
    print("\n".join(report))
    cases = len({line.split(" ", 1)[0] for line in report})
    print(f"{len(report)} drifting step(s) or case(s) in {cases} case file(s)")
    return 1
