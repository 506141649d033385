"""Restart time of `storefake serve --data-dir` holding 100,000 Adobe customers and 100,000 BigCommerce products.
Target: under 3 s.

Not run by CI. Fills a data dir through a running server (POST /__storefake/seed in batches), stops it
(SIGTERM: it takes a snapshot as it closes), then times a restart from the process start to its banner line
naming the data dir (state restored, socket listening), and the restore alone as the server reports it. Then
writes a tail after the snapshot, kills the server with SIGKILL and times the restart that loads the snapshot
and replays the tail. A `storefake serve` without a data dir is timed the same way for the start-up itself.

    python benchmarks/persistence_restart.py [--customers 100000] [--products 100000] [--tail 2000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

import httpx

TENANT = "AbCYab34cdEfGHiJ27123"
BC = {"X-Auth-Token": "storefake-bc-token"}
BATCH = 5_000


def start(*args: str) -> tuple[subprocess.Popen[str], str, float]:
    """A `storefake serve --port 0` process, its URL and the seconds until its banner was printed."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if "listening on" not in first:
        raise RuntimeError(first + process.communicate()[1])
    wanted = "data dir" if "--data-dir" in args else "control API"  # the banner's last line
    line = first
    while line and not line.lstrip().startswith(wanted):
        line = process.stdout.readline()
    return process, first.split()[-1], time.perf_counter() - started


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    process.send_signal(sig)
    process.communicate(timeout=600)


def fill(url: str, customers: int, products: int) -> None:
    with httpx.Client(base_url=url, timeout=600) as client:
        for first in range(0, customers, BATCH):
            batch = [
                {"email": f"c{i}@example.com", "firstname": "F", "lastname": f"L{i}", "website_id": 1}
                for i in range(first, min(first + BATCH, customers))
            ]
            response = client.post("/__storefake/seed", json={"adobe": {"tenants": {TENANT: {"customers": batch}}}})
            response.raise_for_status()
        for first in range(0, products, BATCH):
            batch = [
                {"name": f"P{i}", "type": "physical", "weight": 1, "price": i % 500, "sku": f"S{i}"}
                for i in range(first, min(first + BATCH, products))
            ]
            response = client.post(
                "/__storefake/seed", json={"bigcommerce": {"stores": {"abc123": {"products": batch}}}}
            )
            response.raise_for_status()


def restored(url: str) -> dict:
    return httpx.get(f"{url}/__storefake/persistence", timeout=60).json()["restored"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--tail", type=int, default=2_000, help="writes after the snapshot, for the kill -9 restart")
    args = parser.parse_args()

    process, _, bare = start()
    stop(process)
    print(f"start-up without a data dir:                {bare:6.2f} s")
    with tempfile.TemporaryDirectory() as data_dir:
        process, url, _ = start("--data-dir", data_dir)
        began = time.perf_counter()
        fill(url, args.customers, args.products)
        print(
            f"filled {args.customers:,} customers and {args.products:,} products in {time.perf_counter() - began:.1f} s"
        )
        stop(process)  # SIGTERM: a last snapshot as the server closes
        size = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(data_dir) for name in names)
        print(f"data dir after a clean stop: {size / 1e6:.0f} MB")

        process, url, seconds = start("--data-dir", data_dir)
        report = restored(url)
        print(
            f"restart after a clean stop:                 {seconds:6.2f} s  (restore {report['seconds']:.2f} s, "
            f"snapshot after record {report['snapshot_seq']}, {report['replayed']} replayed)"
        )
        with httpx.Client(base_url=url, timeout=60) as client:
            for i in range(args.tail):
                client.post(
                    "/stores/abc123/v3/catalog/products",
                    headers=BC,
                    json={"name": f"Tail {i}", "type": "physical", "weight": 1, "price": 1},
                )
        stop(process, signal.SIGKILL)

        process, url, seconds = start("--data-dir", data_dir)
        report = restored(url)
        print(
            f"restart after kill -9 ({args.tail} writes after the snapshot): {seconds:6.2f} s  "
            f"(restore {report['seconds']:.2f} s, {report['replayed']} replayed)"
        )
        stop(process)


if __name__ == "__main__":
    main()
