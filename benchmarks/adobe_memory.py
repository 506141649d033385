"""(c) Memory held by 100,000 customers in one tenant: target <= 120 MB.

Not run by CI. Customers are created through the domain's own `create_customer` (validation, password
hashing, unique email index), half of them with one address, so the rows look like real ones. The
figure is the growth of the process's resident set (RSS, from /proc). `--tracemalloc` also reports what
tracemalloc sees allocated (its own bookkeeping then inflates the RSS figure, so it is off by default).

    /work/venv/bin/python benchmarks/adobe_memory.py [--customers 100000] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import gc
import os
import tracemalloc

import storefake

ADDRESS = {
    "firstname": "Bench",
    "lastname": "Mark",
    "street": ("1 Main St",),
    "city": "Austin",
    "postcode": "78701",
    "country_id": "US",
    "telephone": "5551234",
    "default_billing": True,
}


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    store = storefake.create_app().state.fake.adobe.tenants.get("Bench")
    gc.collect()
    before = rss_bytes()
    if args.tracemalloc:
        tracemalloc.start()
    for i in range(args.customers):
        fields = {"email": f"user{i}@example.com", "firstname": "Bench", "lastname": f"Mark{i}", "website_id": 1}
        if i % 2:
            fields["addresses"] = [ADDRESS]
        store.create_customer(fields, "Bench-Pa55word")
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0] if args.tracemalloc else 0
    tracemalloc.stop()
    grown = rss_bytes() - before
    mb = 1024 * 1024
    print(
        f"{args.customers} customers: RSS +{grown / mb:.1f} MB ({grown / args.customers:.0f} B/customer), "
        f"tracemalloc {traced / mb:.1f} MB (0: off); target <= 120 MB: {'meets' if grown <= 120 * mb else 'misses'}"
    )


if __name__ == "__main__":
    main()
