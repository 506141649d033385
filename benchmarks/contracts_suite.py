"""Benchmark (not CI): the full bundled contract suite against the fake, in-process and on a server.

Target (issue #4): the whole bundled suite against the fake in under 10 s. Run:
    python benchmarks/contracts_suite.py [--rounds 3]
Prints wall-clock seconds per round for target fake (in-process ASGI) and target server (threaded
uvicorn, real HTTP), the number of cases and requests, and the fake's time as a fraction of the budget.
"""

from __future__ import annotations

import argparse
import statistics
import time

from storefake import create_app
from storefake.config import Config
from storefake.contracts import Runner, bundled_suite_paths, load_suite
from storefake.server import ThreadedServer
from storefake.targets import fake_target, server_target

BUDGET_SECONDS = 10.0


def run_once(target) -> tuple[float, int, int, int]:
    cases = [case for path in bundled_suite_paths() for case in load_suite(path).cases]
    requests = 0

    def count(_exchange) -> None:
        nonlocal requests
        requests += 1

    started = time.perf_counter()
    with Runner(target, on_exchange=count) as runner:
        results = [runner.run(case) for case in cases]
    elapsed = time.perf_counter() - started
    failed = sum(result.outcome == "failed" for result in results)
    return elapsed, len(cases), requests, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    fake_times, server_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        with fake_target(create_app()) as target:  # app start-up counted: it is part of a real run
            _, cases, requests, failed = run_once(target)
        fake_times.append(time.perf_counter() - started)
    with ThreadedServer(Config()) as server:
        for _ in range(rounds):
            with server_target(server.url) as target:
                elapsed, _, _, server_failed = run_once(target)
            server_times.append(elapsed)
    fake_median, server_median = statistics.median(fake_times), statistics.median(server_times)
    print(f"cases {cases}, requests {requests}, failed (fake/server) {failed}/{server_failed}")
    print(
        f"target fake:   median {fake_median:.2f} s over {rounds} rounds "
        f"({fake_median / BUDGET_SECONDS:.2f} of the {BUDGET_SECONDS:.0f} s budget)"
    )
    print(f"target server: median {server_median:.2f} s ({server_median / fake_median:.1f}x the in-process time)")


if __name__ == "__main__":
    main()
