"""Reading a full journal while other clients are served: does the read hold the server up?

Not run by CI. `storefake serve` is filled to its journal's byte bound (Config.journal_max_bytes, 64 MiB by
default) with 64 KiB request bodies; then one client reads the whole journal (`GET /__storefake/journal`,
streamed) while another times `GET /__storefake/health` in a loop. Printed: the read's size and time, and
the health check's median and worst latency during the read against the same without it.

    python benchmarks/journal_read.py [--bodies 1500] [--reads 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import httpx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import serve, storefake_command

T = TypeVar("T")
BC = {"X-Auth-Token": "storefake-bc-token", "Content-Type": "application/json"}


def health_latencies(url: str, stop: threading.Event) -> list[float]:
    latencies: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get("/__storefake/health").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.005)
    return latencies


def timed_health(url: str, during: Callable[[], T]) -> tuple[list[float], T]:
    stop = threading.Event()
    found: list[list[float]] = []
    thread = threading.Thread(target=lambda: found.append(health_latencies(url, stop)))
    thread.start()
    try:
        result = during()
    finally:
        stop.set()
        thread.join()
    return found[0], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=1500)
    parser.add_argument("--reads", type=int, default=3)
    args = parser.parse_args()
    pad = "x" * (64 * 1024 - 200)
    with serve(storefake_command()) as url, httpx.Client(base_url=url, timeout=120) as client:
        for n in range(args.bodies):
            body = f'{{"name": "Journal {n}", "type": "physical", "weight": 1, "price": 1, "description": "{pad}"}}'
            client.post("/stores/abc123/v3/customers", content=body, headers=BC)
        idle, _ = timed_health(url, lambda: time.sleep(2.0))
        for _ in range(args.reads):

            def read() -> tuple[int, float, int]:
                started = time.perf_counter()
                with client.stream("GET", "/__storefake/journal") as response:
                    size = sum(len(chunk) for chunk in response.iter_bytes())
                return size, time.perf_counter() - started, response.status_code

            busy, (size, seconds, status) = timed_health(url, read)
            print(
                f"journal read: {size / 1e6:.0f} MB in {seconds:.2f} s (status {status}); "
                f"health during it: median {statistics.median(busy):.1f} ms, worst {max(busy):.1f} ms "
                f"({len(busy)} checks); idle: median {statistics.median(idle):.1f} ms, worst {max(idle):.1f} ms"
            )


if __name__ == "__main__":
    main()
