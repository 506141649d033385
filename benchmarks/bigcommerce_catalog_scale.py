"""Product listing with filters over a large BigCommerce catalog (default 1,000,000 products).

Not run by CI. Loads the products straight into the store's state (the same `create_product` the API
uses, without HTTP), then times GET /stores/abc123/v3/catalog/products?<filter> pages through the whole
ASGI app (journal, faults, rate limits, auth, routing, rendering, JSON) with a minimal in-process ASGI
driver, so the figure is the server's time per page without socket or client noise.

    /work/venv/bin/python benchmarks/bigcommerce_catalog_scale.py [--products 1000000] [--repeat 200]

Target: p50 <= 2 ms per page (50 products), for every query below. After loading, the records are moved
to the collector's permanent generation (gc.freeze): without it, p95 includes the full collections that
walk millions of records (p50 barely moves).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import statistics
import sys
import time
from typing import Any

import storefake

# Every filter the catalog list takes, alone, combined and paged: each is answered from the indexes
# (hash buckets, ordered values, trigrams of the searchable text), so a page costs about the page.
QUERIES = [
    "",
    "id:min=500000",
    "id:min=400000&id:max=400200",
    "id:in=10,20,30,999999",
    "id:greater=999000&direction=desc",
    "sku=SKU-0777777",
    "sku:in=SKU-0000001,SKU-0500000",
    "name=Product 123456",
    "brand_id=7",
    "categories=42",
    "categories:in=3,4,5",
    "is_visible=true",
    "is_featured=true",
    "type=digital",
    "brand_id=7&page=50",
    "categories:in=3&id:min=900000",
    "is_visible=false&direction=desc",
    "price:min=499",
    "price:min=400",
    "price:max=10.5&page=20",
    "inventory_level:min=990",
    "inventory_level:max=10",
    "date_modified:min=2020-01-01",
    "categories=42&price:min=400",
    "brand_id=7&inventory_level:max=10",
    "categories:in=3,4,5&price:max=100&page=2",
    "name:like=Product 99999",
    "name:like=%2599999%25",  # a literal % in the pattern, URL-encoded
    "keyword=SKU-099999",
    "keyword=Product 12345",
    "sort=price&direction=desc",
    "sort=name",
    "sort=date_modified&direction=desc&page=20",
    "sort=price&categories=42",
    "sort=inventory_level&is_featured=true&page=2",
]


def load(store: Any, count: int) -> float:
    catalog = store.catalog
    for n in range(1, 101):
        catalog.taxonomy.create_category({"name": f"Category {n}", "parent_id": 0}, emit=False)
    for n in range(1, 51):
        catalog.taxonomy.create_brand({"name": f"Brand {n}"})
    started = time.perf_counter()
    for n in range(1, count + 1):
        catalog.create_product(
            {
                "name": f"Product {n}",
                "type": "digital" if n % 20 == 0 else "physical",
                "sku": f"SKU-{n:07d}",
                "price": n % 500 + 0.99,
                "weight": 1,
                "brand_id": n % 50 + 1,
                "categories": [n % 100 + 1],
                "is_visible": n % 10 != 0,
                "is_featured": n % 50 == 0,
                "inventory_level": n % 1000,
                "inventory_tracking": "product",
            },
            emit=False,
        )
        if n % 100_000 == 0:
            print(f"  loaded {n:,} products ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return time.perf_counter() - started


async def timed_get(app: Any, path: str, query: str, repeat: int) -> list[float]:
    """Per-request seconds for `repeat` GETs of path?query through the ASGI app."""
    headers = [(b"x-auth-token", b"storefake-bc-token"), (b"host", b"api.bigcommerce.com")]
    samples: list[float] = []
    for _ in range(repeat):
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        }  # fmt: skip
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])  # noqa: B023 - read within this iteration

        start = time.perf_counter()
        await app(scope, receive, send)
        samples.append(time.perf_counter() - start)
        if status != [200]:
            raise SystemExit(f"{path}?{query} answered {status}")
    return samples


def report(label: str, queries: list[str], app: Any, repeat: int) -> list[float]:
    p50s = []
    for query in queries:
        samples = asyncio.run(timed_get(app, "/stores/abc123/v3/catalog/products", query, repeat))
        p50, p95 = statistics.median(samples) * 1000, statistics.quantiles(samples, n=20)[-1] * 1000
        p50s.append(p50)
        print(f"  {label:8} {query or '(no filter)':45} p50 {p50:7.3f} ms   p95 {p95:7.3f} ms")
    return p50s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    app = storefake.create_app(journal_limit=1000)
    store = app.state.fake.bigcommerce.stores.get("abc123")
    gc.disable()  # loading: no point collecting while only allocating
    seconds = load(store, args.products)
    gc.enable()
    gc.collect()
    # Move the loaded records out of the collector's sight, or every full collection (triggered by ordinary
    # per-request garbage) walks all of them: that shows in p95, not p50.
    gc.freeze()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"loaded {args.products:,} products in {seconds:.1f} s ({args.products / seconds:,.0f}/s), "
        f"peak RSS {rss_mb:,.0f} MB"
    )
    p50s = report("filter", QUERIES, app, args.repeat)
    print(f"all filters: p50 of per-query p50s {statistics.median(p50s):.3f} ms, worst {max(p50s):.3f} ms")


if __name__ == "__main__":
    main()
