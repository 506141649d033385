"""GET product by id and GET product list (50 per page) on the real server, as a ratio to a bare Starlette
JSON route serving the same bytes, measured in the same run.

Not run by CI. Starts two servers as subprocesses with the same uvicorn settings: `storefake serve
--port 0` (the whole app: journal, faults, rate limits, auth, routing, state, rendering) and a one-route
Starlette app returning a precomputed JSONResponse of the very body the fake answered. Then keep-alive
clients (threads with http.client, cheap per request) hammer each in alternating rounds, and the ratio
of requests per second is reported (target >= 0.7x).

    /work/venv/bin/python benchmarks/bigcommerce_catalog_http.py [--seconds 3] [--rounds 3] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

TOKEN = "storefake-bc-token"
BARE_APP = """
import json, socket, sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

bodies = json.load(open(sys.argv[1]))

def endpoint(body):
    async def answer(request):
        return JSONResponse(body)
    return answer

app = Starlette(routes=[Route(path, endpoint(body)) for path, body in bodies.items()])
sock = socket.socket(); sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0)); sock.listen(2048)
print(f"bare listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])
"""


def start(command: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    first = process.stdout.readline()
    if "listening on" not in first:
        raise SystemExit(f"server did not start: {first}")
    return process, first.split()[-1]


def seed(base: str, count: int) -> None:
    with httpx.Client(base_url=f"{base}/stores/abc123/v3/catalog", headers={"X-Auth-Token": TOKEN}) as client:
        for n in range(1, count + 1):
            body = {
                "name": f"Bench Product {n}",
                "type": "physical",
                "sku": f"BENCH-{n:05d}",
                "price": 10 + n % 90,
                "weight": 1.5,
                "inventory_level": n,
                "inventory_tracking": "product",
                "description": "x" * 80,
            }
            response = client.post("/products", json=body)
            response.raise_for_status()


def load(base: str, path: str, seconds: float, clients: int, headers: dict[str, str]) -> float:
    """Requests per second over `clients` keep-alive connections for `seconds`."""
    url = urlsplit(base)
    counts = [0] * clients
    stop = threading.Event()
    ready = threading.Barrier(clients + 1)

    def run(index: int) -> None:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        ready.wait()
        while not stop.is_set():
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--products", type=int, default=200)
    args = parser.parse_args()

    fake, fake_url = start([sys.executable, "-m", "storefake.cli", "serve", "--port", "0"])
    bare = None
    try:
        seed(fake_url, args.products)
        # The default quota (100,000 per 30 s) would turn a throughput run into 429s.
        quota = {"quota": 1_000_000_000, "window_ms": 30_000}
        httpx.put(f"{fake_url}/__storefake/bigcommerce/stores/abc123/rate_limit", json=quota).raise_for_status()
        paths = {
            "by id": "/stores/abc123/v3/catalog/products/7",
            "list of 50": "/stores/abc123/v3/catalog/products?limit=50&page=2",
        }
        bodies: dict[str, Any] = {}
        for path in paths.values():
            response = httpx.get(fake_url + path, headers={"X-Auth-Token": TOKEN})
            response.raise_for_status()
            bodies[urlsplit(path).path + ("/list" if "?" in path else "")] = response.json()
        with open("/tmp/storefake-bare-bodies.json", "w") as handle:
            json.dump(bodies, handle)
        bare, bare_url = start([sys.executable, "-c", BARE_APP, "/tmp/storefake-bare-bodies.json"])
        bare_paths = {
            "by id": "/stores/abc123/v3/catalog/products/7",
            "list of 50": "/stores/abc123/v3/catalog/products/list",
        }
        for label, path in paths.items():
            fake_rps: list[float] = []
            bare_rps: list[float] = []
            for _ in range(args.rounds):
                fake_rps.append(load(fake_url, path, args.seconds, args.clients, {"X-Auth-Token": TOKEN}))
                bare_rps.append(load(bare_url, bare_paths[label], args.seconds, args.clients, {}))
            f, b = statistics.median(fake_rps), statistics.median(bare_rps)
            # Rounds alternate fake/bare, so each pair saw similar machine load: the median of the pairs'
            # ratios is steadier on a shared machine than the ratio of the medians.
            ratios = sorted(x / y for x, y in zip(fake_rps, bare_rps, strict=True))
            size = len(
                json.dumps(bodies[urlsplit(path).path + ("/list" if "?" in path else "")], separators=(",", ":"))
            )
            print(
                f"GET product {label:10} ({size:,} B): storefake {f:8.0f} req/s, bare Starlette {b:8.0f} req/s, "
                f"ratio {statistics.median(ratios):.2f}x (rounds {', '.join(f'{r:.2f}' for r in ratios)})"
            )
    finally:
        for process in (fake, bare):
            if process is not None:
                process.terminate()
                process.communicate(timeout=10)


if __name__ == "__main__":
    main()
