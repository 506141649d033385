"""Write throughput with persistence on (`storefake serve --data-dir`) as a ratio to off, in one run. Target >= 0.7x.

Not run by CI. Two `storefake serve` processes, one with a fresh data dir; rounds alternate between them (paired
ratios, median reported) for Adobe POST /V1/customers and BigCommerce POST /v3/catalog/products, each request
with a new email or name; and, as a check that reads pay nothing, GET /V1/customers/{id}. A write on the
persisted server is committed to SQLite (WAL) before it is answered.

Two ratios per workload: requests per second (on / off), and the server's CPU time per request (off / on, from
/proc): on a busy shared machine the second moves far less, since the others' load slows the wall clock, not
the work a request takes. Every answer is checked (a refused write would be cheap and flatter the figure).

    python benchmarks/persistence_throughput.py [--seconds 2] [--rounds 5] [--clients 8]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
from collections.abc import Callable

import httpx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import LoadResult, cpu_seconds, get, load, post_json, serve_process, storefake_command

TENANT = "AbCYab34cdEfGHiJ27123"
BC = {"X-Auth-Token": "storefake-bc-token"}
FORM = {
    "grant_type": "client_credentials",
    "client_id": "storefake-accs-client",
    "client_secret": "storefake-accs-secret",
    "scope": "openid,AdobeID,commerce.accs",
}
UNIQUE = itertools.count()  # across rounds and servers: every write creates a new record


def customer(i: int) -> dict:
    return {
        "customer": {"email": f"bench{i}@example.com", "firstname": "Bench", "lastname": "Mark", "website_id": 1},
        "password": "Bench-Pa55word",
    }


def product(i: int) -> dict:
    return {"name": f"Bench {i}", "type": "physical", "weight": 1, "price": 9.99, "sku": f"BENCH-{i}"}


class Server:
    def __init__(self, url: str, pid: int) -> None:
        self.url, self.pid = url, pid
        token = httpx.post(f"{url}/ims/token/v3", data=FORM).json()["access_token"]
        self.auth = {"Authorization": f"Bearer {token}"}
        created = httpx.post(f"{url}/{TENANT}/V1/customers", json=customer(next(UNIQUE)), headers=self.auth)
        self.customer_id = created.json()["id"]

    def round(self, make: Callable[[int], bytes], seconds: float, clients: int) -> tuple[LoadResult, float]:
        """One load round: its result and the server's CPU seconds per request."""
        before = cpu_seconds(self.pid)
        result = load(self.url, make, seconds=seconds, clients=clients)
        if result.errors:
            raise SystemExit(f"{result.errors} of {result.requests} requests to {self.url} were not answered 200")
        return result, (cpu_seconds(self.pid) - before) / result.requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as data_dir,
        serve_process(storefake_command("--data-dir", data_dir)) as persisted,
        serve_process(storefake_command()) as plain,
    ):
        on, off = Server(*persisted), Server(*plain)
        workloads: list[tuple[str, Callable[[Server], Callable[[int], bytes]]]] = [
            (
                "Adobe POST /V1/customers",
                lambda s: lambda i: post_json(f"/{TENANT}/V1/customers", customer(next(UNIQUE)), s.auth),
            ),
            (
                "BigCommerce POST /v3/catalog/products",
                lambda s: lambda i: post_json("/stores/abc123/v3/catalog/products", product(next(UNIQUE)), BC),
            ),
            (
                "Adobe GET /V1/customers/{id} (a read)",
                lambda s: lambda i: get(f"/{TENANT}/V1/customers/{s.customer_id}", s.auth),
            ),
        ]
        print(
            f"{'':<40} {'on rps':>8} {'off rps':>8} {'rps ratio':>10} "
            f"{'on CPU/req':>11} {'off CPU/req':>12} {'CPU ratio':>10}"
        )
        for label, make in workloads:
            rps, cpu, rows = [], [], []
            for _ in range(args.rounds):  # back to back: both see the same load
                on_result, on_cpu = on.round(make(on), args.seconds, args.clients)
                off_result, off_cpu = off.round(make(off), args.seconds, args.clients)
                rps.append(on_result.rps / off_result.rps)
                cpu.append(off_cpu / on_cpu)
                rows.append((on_result.rps, off_result.rps, on_cpu, off_cpu))
            best = max(rows, key=lambda row: row[0] + row[1])
            print(
                f"{label:<40} {best[0]:8.0f} {best[1]:8.0f} {statistics.median(rps):9.2f}x "
                f"{best[2] * 1e6:9.0f}us {best[3] * 1e6:10.0f}us {statistics.median(cpu):9.2f}x"
            )
            print(
                f"{'':<40} rounds: rps {', '.join(f'{r:.2f}' for r in rps)}; CPU {', '.join(f'{c:.2f}' for c in cpu)}"
            )


if __name__ == "__main__":
    main()
