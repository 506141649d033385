"""(b) Search by email (eq) and a one-page listing on a tenant of 1,000,000 customers: p50 <= 1 ms, and a cost
that does not grow with the tenant's size.

Not run by CI. Tenants of 10k, 100k and 1M customers are filled straight through the table (validation
would only make the set-up slower), then each query runs many times two ways: the handler's own work
(parse searchCriteria, search, render JSON) and a whole request through the ASGI app in-process
(journal, routing, token check included; no sockets). p50 and p95 per size are printed.

    /work/venv/bin/python benchmarks/adobe_scale.py [--sizes 10000,100000,1000000] [--repeat 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import storefake
from storefake.adobe.render import customer_json
from storefake.adobe.search import parse_criteria, search_customers
from storefake.adobe.state import Customer

TENANT = "Bench"
NOW = "2026-01-23 20:40:15"


def fill(store: Any, count: int) -> None:
    table = store.customers
    for i in range(1, count + 1):
        email = f"user{i}@example.com"
        row = Customer(i, 1 + i % 3, NOW, NOW, "Default Store View", email, "Bench", f"Mark{i}", 1, 1)
        table.insert(i, row)


def queries(count: int) -> dict[str, list[tuple[str, str]]]:
    target = f"user{count // 2}@example.com"
    by_email = [
        ("searchCriteria[filterGroups][0][filters][0][field]", "email"),
        ("searchCriteria[filterGroups][0][filters][0][value]", target),
        ("searchCriteria[filterGroups][0][filters][0][conditionType]", "eq"),
    ]
    page = [("searchCriteria[pageSize]", "20"), ("searchCriteria[currentPage]", "5")]
    return {"email eq": by_email, "list page 5 of 20": page}


def timed(repeat: int, work: Callable[[], Any]) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def asgi_call(app: Any, path: str, query: str, token: str) -> Callable[[], Any]:
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "scheme": "http",
        "query_string": query.encode(),
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    loop = asyncio.new_event_loop()
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    def call() -> None:
        loop.run_until_complete(app(dict(scope), receive, send))
        if statuses.pop() != 200:
            raise SystemExit("the request failed")

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    print(f"{'customers':>10}  {'query':<18} {'handler p50':>12} {'p95':>8}   {'ASGI request p50':>16} {'p95':>8}")
    for size in (int(s) for s in args.sizes.split(",")):
        app = storefake.create_app(journal_limit=1000)
        fake = app.state.fake
        form = {"grant_type": "client_credentials", "client_id": "storefake-accs-client"}
        form |= {"client_secret": "storefake-accs-secret", "scope": "commerce.accs"}
        token = fake.adobe.ims.issue_token(form)["access_token"]
        store = fake.adobe.tenants.get(TENANT)
        fill(store, size)
        for name, query in queries(size).items():

            def handler(query: list[tuple[str, str]] = query, store: Any = store) -> bytes:
                result = search_customers(store, parse_criteria(query))
                return json.dumps([customer_json(c) for c in result.items]).encode()

            assert json.loads(handler()), "the query found nothing"
            direct = timed(args.repeat, handler)
            whole = timed(args.repeat, asgi_call(app, f"/{TENANT}/V1/customers/search", urlencode(query), token))
            print(
                f"{size:>10}  {name:<18} {statistics.median(direct):9.3f} ms {_p95(direct):6.3f} ms"
                f"   {statistics.median(whole):13.3f} ms {_p95(whole):6.3f} ms"
            )


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


if __name__ == "__main__":
    main()
