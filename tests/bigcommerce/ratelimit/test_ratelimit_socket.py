"""The quota under concurrency, over a real socket: never more than the quota through one window."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from storefake.server import ThreadedServer

TOKEN = {"X-Auth-Token": "storefake-bc-token"}


def test_64_threads_never_get_more_than_the_quota_through():
    with ThreadedServer() as server:
        try:
            server.fake.clock.freeze()  # one window for the whole burst
            quota = 25
            server.fake.bigcommerce.stores.get("abc123").settings.rate_limit = {"quota": quota}

            def burst(_: int) -> list[tuple[int, str]]:
                with httpx.Client(base_url=server.url) as client:
                    results = []
                    for _ in range(4):
                        response = client.get("/stores/abc123/v3/hooks", headers=TOKEN)
                        results.append((response.status_code, response.headers["x-rate-limit-requests-left"]))
                    return results

            with ThreadPoolExecutor(max_workers=64) as pool:
                outcomes = [item for batch in pool.map(burst, range(64)) for item in batch]
            statuses = [status for status, _ in outcomes]
            assert statuses.count(200) == quota
            assert statuses.count(429) == 64 * 4 - quota
            # Each allowed request saw a distinct number of requests left: no two shared a slot.
            assert sorted(int(left) for status, left in outcomes if status == 200) == list(range(quota))
            server.fake.clock.advance(30)
            with httpx.Client(base_url=server.url) as client:
                assert client.get("/stores/abc123/v3/hooks", headers=TOKEN).status_code == 200
        finally:
            server.fake.close()
