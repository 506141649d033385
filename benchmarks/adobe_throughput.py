"""(a) Throughput of GET /V1/customers/{id} and POST /V1/customers on `storefake serve`, as a ratio to a bare
Starlette JSON route served the same way in the same run. Targets: GET >= 0.7x, POST >= 0.6x.

Not run by CI. The fake runs its whole stack per request (journal, faults, routing, IMS token check,
body checks, validation, state, rendering); the baseline answers the same bytes (the POST baseline also
parses the JSON body). Rounds alternate between the two servers; the median of the paired ratios is
reported.

A third server, "endpoints only", calls the fake's own Adobe endpoints straight from ASGI, without routing,
the journal, the fault engine or the vendor error rendering: its ratio is what Magento's work alone
(token check, body checks, validation, state, rendering) leaves of the bare route's throughput, the most
the whole fake could reach.

    /work/venv/bin/python benchmarks/adobe_throughput.py [--seconds 2] [--rounds 5] [--clients 8]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Callable

import httpx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (
    Comparison,
    LoadResult,
    bare_command,
    compare,
    get,
    load,
    post_json,
    run_app,
    serve,
    storefake_command,
)

TENANT = "AbCYab34cdEfGHiJ27123"
FORM = {
    "grant_type": "client_credentials",
    "client_id": "storefake-accs-client",
    "client_secret": "storefake-accs-secret",
    "scope": "openid,AdobeID,commerce.accs",
}


def customer_body(i: int) -> dict:
    return {
        "customer": {"email": f"bench{i}@example.com", "firstname": "Bench", "lastname": "Mark", "website_id": 1},
        "password": "Bench-Pa55word",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    def run(url: str, make: Callable[[int], bytes]) -> Callable[[], LoadResult]:
        return lambda: load(url, make, seconds=args.seconds, clients=args.clients)

    endpoints_command = [sys.executable, os.path.abspath(__file__), "endpoints"]
    with serve(storefake_command()) as fake_url, serve(endpoints_command) as endpoints_url:
        token = httpx.post(f"{fake_url}/ims/token/v3", data=FORM).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        created = httpx.post(f"{fake_url}/{TENANT}/V1/customers", json=customer_body(-1), headers=auth).json()
        endpoints_token = httpx.post(f"{endpoints_url}/ims/token/v3", data=FORM).json()["access_token"]
        endpoints_auth = {"Authorization": f"Bearer {endpoints_token}"}
        with serve(bare_command({"/customer": created})) as bare_url:
            reads = compare(
                args.rounds,
                run(fake_url, lambda i: get(f"/{TENANT}/V1/customers/{created['id']}", auth)),
                run(bare_url, lambda i: get("/customer")),
            )
            # Every POST is a real create (a fresh email each time); the bare POST parses the same body.
            fresh = itertools.count()
            creates = compare(
                args.rounds,
                run(fake_url, lambda i: post_json(f"/{TENANT}/V1/customers", customer_body(next(fresh)), auth)),
                run(bare_url, lambda i: post_json("/customer", customer_body(i))),
            )
            endpoint_creates = compare(
                args.rounds,
                run(
                    endpoints_url,
                    lambda i: post_json(f"/{TENANT}/V1/customers", customer_body(next(fresh)), endpoints_auth),
                ),
                run(bare_url, lambda i: post_json("/customer", customer_body(i))),
            )
            customers = httpx.get(
                f"{fake_url}/{TENANT}/V1/customers/search", params={"searchCriteria[pageSize]": "1"}, headers=auth
            ).json()["total_count"]

    report("GET /V1/customers/{id}", reads, 0.7)
    report("POST /V1/customers", creates, 0.6)
    report("POST, endpoints only", endpoint_creates, 0.6)
    print(f"(the tenant held {customers} customers at the end)")


def report(name: str, comparison: Comparison, target: float) -> None:
    fake = max(comparison.subject, key=lambda r: r.rps)
    bare = max(comparison.baseline, key=lambda r: r.rps)
    ratio = comparison.median_ratio
    errors = sum(r.errors for r in comparison.subject)
    verdict = "meets" if ratio >= target else "misses"
    print(
        f"{name:<24} fake best {fake.rps:6.0f} req/s (p50 {fake.p50_ms:.2f} ms, errors {errors})  "
        f"bare best {bare.rps:6.0f} req/s (p50 {bare.p50_ms:.2f} ms)  "
        f"paired ratios {', '.join(f'{r:.2f}' for r in comparison.ratios)}  "
        f"median {ratio:.2f}x ({verdict} >= {target}x)"
    )


def serve_endpoints() -> None:
    """The fake's Adobe endpoints and state, called straight from ASGI: no routing, journal, faults or errors."""
    from starlette.requests import Request

    import storefake
    from storefake.adobe import routes

    fake_app = storefake.create_app()  # its state only: endpoints find the fake as `scope["app"].state.fake`

    async def app(scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return  # no lifespan: uvicorn goes on without one
        parts = scope["path"].split("/")  # /ims/token/v3, /{tenant}/V1/customers, /{tenant}/V1/customers/{id}
        scope["app"] = fake_app
        if parts[1] == "ims":
            endpoint = routes.issue_token
        elif len(parts) == 4:
            endpoint = routes.create_customer
        else:
            endpoint = routes.get_customer
        scope["path_params"] = {"tenant_id": parts[1], "customerId": parts[-1]}
        response = await endpoint(Request(scope, receive))
        await response(scope, receive, send)

    run_app(app, "endpoints")


if __name__ == "__main__":
    if sys.argv[1:] == ["endpoints"]:
        serve_endpoints()
    else:
        main()
