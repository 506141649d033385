"""What the catalog's newer families (options, modifiers, custom fields, bulk pricing, videos, reviews, trees,
channel and category assignments, summary, uploads) cost the routes and products that don't use them.

Not run by CI. Two measurements, each a ratio within one run:

1. Per request: GET /products/{id}, GET /products (50) and GET /categories/{id} through the whole app
   in-process (ASGI calls, no sockets: the difference is routing and nothing else), on the app as it is
   vs the same app built without those families' routes, in alternating rounds. Target: 1.00x (within
   noise).
2. Per product: the catalog's memory (tracemalloc) for N plain products, at two N, and what the families'
   stores hold for them (their entries; target 0). Then the same families used on 1% of the products,
   and the bytes that adds per product that uses them.

    python benchmarks/bigcommerce_catalog_breadth.py [--products 20000] [--requests 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import time
import tracemalloc
from typing import Any

import storefake
from storefake.bigcommerce import routes as bc_routes

TOKEN = b"storefake-bc-token"
STORE = "abc123"
NEW_FAMILIES = ("catalog_options", "catalog_extras", "catalog_trees", "catalog_assignments")


def build_app(with_families: bool) -> Any:
    """The app; without the families, their routes are left out of the BigCommerce surface it is built from."""
    kept = list(bc_routes.routes)
    if not with_families:
        bc_routes.routes[:] = [r for r in kept if not getattr(r, "endpoint", None).__module__.endswith(NEW_FAMILIES)]
    try:
        return storefake.create_app()
    finally:
        bc_routes.routes[:] = kept


def seed(app: Any, count: int) -> None:
    catalog = app.state.fake.bigcommerce.stores.get(STORE).catalog
    category = catalog.taxonomy.create_category({"name": "Bench", "parent_id": 0}, emit=False)
    for n in range(count):
        body = {"name": f"P{n}", "type": "physical", "price": n % 100 + 1, "weight": 1, "categories": [category.id]}
        catalog.create_product(body, emit=False)


async def call(app: Any, path: str, query: bytes = b"") -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"x-auth-token", TOKEN), (b"accept", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def timed(app: Any, path: str, query: bytes, requests: int) -> float:
    """Seconds per request over `requests` calls (after a warm-up)."""

    async def run() -> float:
        for _ in range(50):
            assert await call(app, path, query) == 200
        start = time.process_time()  # CPU time: the machine may be shared
        for _ in range(requests):
            await call(app, path, query)
        return (time.process_time() - start) / requests

    return asyncio.run(run())


def per_request(products: int, requests: int, rounds: int) -> None:
    apps = {"with": build_app(True), "without": build_app(False)}
    for app in apps.values():
        seed(app, products)
    base = f"/stores/{STORE}/v3/catalog"
    cases = [("GET /products/{id}", base + "/products/7", b""), ("GET /products (50)", base + "/products", b"page=3")]
    cases.append(("GET /categories/{id}", base + "/categories/1", b""))
    print(f"1. per request, in-process ASGI, {requests} requests x {rounds} alternating rounds")
    for label, path, query in cases:
        ratios = []
        for _ in range(rounds):
            without = timed(apps["without"], path, query, requests)
            with_ = timed(apps["with"], path, query, requests)
            ratios.append(without / with_)
        print(
            f"   {label:22} with the families vs without: {statistics.median(ratios):.2f}x throughput "
            f"(rounds {min(ratios):.2f}-{max(ratios):.2f}; {with_ * 1e6:.0f} us a request)"
        )


def catalog_bytes(count: int) -> tuple[int, Any]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    app = storefake.create_app()
    seed(app, count)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used, app


def family_entries(catalog: Any) -> dict[str, int]:
    return {
        "options/modifiers": len(catalog.options),
        "bulk rules": len(catalog.bulk_rules),
        "videos": len(catalog.videos),
        "reviews": len(catalog.reviews),
        "product channels": len(catalog.product_channels),
        "uploaded images": len(catalog.image_files),
        "products with custom fields": sum(1 for p in catalog.products if p.custom_fields),
        "categories outside tree 1": sum(1 for c in catalog.taxonomy.categories if "tree_id" in c.fields),
    }


def per_product(products: int) -> None:
    print("2. per product, tracemalloc of the whole app after seeding N plain products")
    small, _ = catalog_bytes(products // 2)
    large, app = catalog_bytes(products)
    print(f"   {(large - small) / (products - products // 2):.0f} bytes a product (N {products // 2} -> {products})")
    catalog = app.state.fake.bigcommerce.stores.get(STORE).catalog
    entries = family_entries(catalog)
    print(f"   entries the families hold for them: {sum(entries.values())} ({entries})")
    used = max(1, products // 100)
    ids = list(catalog.products.ids_from(0))[:used]
    channel = app.state.fake.bigcommerce.stores.get(STORE).channels
    channel.add_channel({"id": 2, "name": "Bench market", "type": "marketplace", "platform": "ebay"})
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    use_families(catalog, ids)
    gc.collect()
    added = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(
        f"   using them on {used} products (a channel, a custom field, a bulk rule, a review, an option):"
        f" {added / used:.0f} bytes for each of those"
    )


def use_families(catalog: Any, ids: list[int]) -> None:
    catalog.create_channel_assignments([{"product_id": i, "channel_id": 2} for i in ids])
    review = {"title": "Fine", "date_reviewed": "2024-05-01T10:00:00+00:00"}
    for product_id in ids:
        catalog.create_custom_field(product_id, {"name": "size", "value": "L"})
        catalog.create_bulk_pricing_rule(
            product_id, {"quantity_min": 2, "quantity_max": 0, "type": "price", "amount": 1}
        )
        catalog.create_review(product_id, review)
        option = {"display_name": "Colour", "type": "swatch", "option_values": [{"label": "Red", "sort_order": 0}]}
        catalog.create_option(product_id, option, modifier=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    per_request(2000, args.requests, args.rounds)
    per_product(args.products)


if __name__ == "__main__":
    main()
