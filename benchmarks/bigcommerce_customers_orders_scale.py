"""V3 customer and V2 order listing on a large store versus a small one (is a page O(page)?).

Not run by CI. Loads customers and orders straight into the store's state (the same `create_customers` /
`create_order` the API uses, without HTTP), then times list pages through the whole ASGI app with the
catalog benchmark's in-process driver, on a small store and a large one. A ratio near 1 means the page
costs the same however big the store is; filters that scan are reported apart.

    /work/venv/bin/python benchmarks/bigcommerce_customers_orders_scale.py [--rows 200000] [--small 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import time
from typing import Any

from bigcommerce_catalog_scale import timed_get

import storefake

CUSTOMERS = "/stores/abc123/v3/customers"
ORDERS = "/stores/abc123/v2/orders"
# (path, query, scans?) — "scans" queries filter row by row, so their cost grows with the store.
QUERIES: list[tuple[str, str, bool]] = [
    (CUSTOMERS, "", False),
    (CUSTOMERS, "page=10", False),
    (CUSTOMERS, "id:in=5,50,500", False),
    (CUSTOMERS, "email:in=user500@example.com", False),
    (CUSTOMERS, "customer_group_id:in=3", False),
    (CUSTOMERS, "after=eyJpZCI6NTAwfQ", False),
    (CUSTOMERS, "include=addresses", False),
    (CUSTOMERS, "name:like=First99", True),
    (CUSTOMERS, "sort=last_name:asc", True),
    (ORDERS, "", False),
    (ORDERS, "page=10", False),
    (ORDERS, "min_id=600&max_id=700", False),
    (ORDERS, "status_id=11", False),
    (ORDERS, "customer_id=7", False),
    (ORDERS, "email=user7@example.com", False),
    (ORDERS, "sort=id:desc", False),
    (ORDERS, "min_total=150", True),
]


def load(store: Any, rows: int) -> float:
    started = time.perf_counter()
    for group in range(1, 10):  # customer_group_id must name a group
        store.customer_groups.create_group({"name": f"Group {group}"})
    batch = []
    for n in range(1, rows + 1):
        batch.append({"email": f"user{n}@example.com", "first_name": f"First{n}", "last_name": f"Last{n % 997}",
                      "customer_group_id": n % 10})  # fmt: skip
        if len(batch) == 10:
            store.customers.create_customers(batch)
            batch = []
    if batch:
        store.customers.create_customers(batch)
    for n in range(1, rows + 1):
        store.orders.create_order(
            {
                "billing_address": {"zip": "78751", "email": f"user{n % 10}@example.com"},
                "customer_id": n % 10,  # every filter matches a full page on the small store too
                "status_id": n % 15,
                "products": [{"name": "Thing", "quantity": 1 + n % 3, "price_inc_tax": n % 100}],
            }
        )
    return time.perf_counter() - started


def p50s(app: Any, repeat: int) -> list[float]:
    out = []
    for path, query, scans in QUERIES:
        samples = asyncio.run(timed_get(app, path, query, max(5, repeat // 20) if scans else repeat))
        out.append(statistics.median(samples) * 1000)
    return out


def measure(rows: int, repeat: int) -> list[float]:
    app = storefake.create_app(journal_limit=1000)
    store = app.state.fake.bigcommerce.stores.get("abc123")
    gc.disable()
    seconds = load(store, rows)
    gc.enable()
    gc.collect()
    print(f"loaded {rows:,} customers and {rows:,} orders in {seconds:.1f} s")
    return p50s(app, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    small = measure(args.small, args.repeat)
    large = measure(args.rows, args.repeat)
    print(f"{'query':60} {'small':>9} {'large':>9} {'ratio':>7}")
    for (path, query, scans), s, b in zip(QUERIES, small, large, strict=True):
        label = f"{'V3' if 'v3' in path else 'V2'} {path.rsplit('/', 1)[-1]}?{query}" + ("  (scans)" if scans else "")
        print(f"{label:60} {s:7.3f}ms {b:7.3f}ms {b / s:6.2f}x")
    indexed = [b / s for (_p, _q, scans), s, b in zip(QUERIES, small, large, strict=True) if not scans]
    print(f"indexed queries: median large/small p50 ratio {statistics.median(indexed):.2f}x, worst {max(indexed):.2f}x")


if __name__ == "__main__":
    main()
