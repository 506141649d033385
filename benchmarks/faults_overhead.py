"""What mock rules cost per request, over real sockets (`storefake serve` in a subprocess).

Not run by CI. Three paired comparisons (benchmarks/harness.py alternates subject and baseline rounds):

1. pass-through: GET /v3/customers on a fake holding 50 rules that do not match it (40 path/method
   rules plus 10 body rules, which only POSTs would read the body for) vs. the same fake without rules;
2. body rules: POST /v3/customers with the same 50 rules (the body is read, parsed and replayed) vs.
   no rules; the store's unique-email index is avoided by a new email per request;
3. short-circuit: a rule answering GET /v2/store with fixed JSON vs. a bare Starlette app answering the
   same JSON (the fake's whole stack: journal, fault middleware, no vendor work).

On a shared machine the socket ratios drift; the last line is steadier: the CPU time of the rule decision
itself (parse the target, scan 50 rules) per request, measured in-process.

    /work/venv/bin/python benchmarks/faults_overhead.py [--seconds 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import timeit
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from harness import bare_command, compare, get, load, post_json, serve, storefake_command

TOKEN = {"X-Auth-Token": "storefake-bc-token"}
STORE_INFO = {"id": 1001234, "name": "Storefake Demo Store", "currency": "USD"}


def rules_file(directory: Path, *, answer_store_info: bool) -> Path:
    rules = [
        {"id": f"adobe-{i}", "match": {"vendor": "adobe", "method": "GET", "path": f"/V1/thing{i}/*"}, "error": 503}
        for i in range(40)
    ]
    rules += [
        {"id": f"body-{i}", "match": {"method": "POST", "body": [{"email": f"never{i}@example.com"}]}, "error": 409}
        for i in range(10)
    ]
    if answer_store_info:
        rules.insert(0, {"id": "store", "match": {"path": "/v2/store"}, "respond": {"json": STORE_INFO}})
    path = directory / ("answering.yaml" if answer_store_info else "fifty.yaml")
    path.write_text(yaml.safe_dump(rules))
    return path


_emails = itertools.count()  # unique across rounds and servers: the store refuses a repeated email


def customer(i: int) -> bytes:
    body = [{"email": f"bench{next(_emails)}@example.com", "first_name": "B", "last_name": "M"}]
    return post_json("/stores/abc123/v3/customers", body, TOKEN)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp())
    fifty = rules_file(directory, answer_store_info=False)
    answering = rules_file(directory, answer_store_info=True)

    def run(url: str, make, ok: int = 200):
        return lambda: load(url, make, seconds=args.seconds, ok=ok)

    listing = lambda i: get("/stores/abc123/v3/customers?limit=5", TOKEN)  # noqa: E731
    with (
        serve(storefake_command("--mocks", str(fifty))) as ruled,
        serve(storefake_command()) as plain,
        serve(storefake_command("--mocks", str(answering))) as answers,
        serve(bare_command({"/v2/store": STORE_INFO})) as bare,
    ):
        # The default quota (100,000 per 30 s) would turn these runs into 429s.
        for url in (ruled, plain, answers):
            quota = {"quota": 1_000_000_000, "window_ms": 30_000}
            httpx.put(f"{url}/__storefake/bigcommerce/stores/abc123/rate_limit", json=quota).raise_for_status()
        report("pass-through, 50 rules vs none", compare(args.rounds, run(ruled, listing), run(plain, listing)))
        report("POST with 10 body rules vs none", compare(args.rounds, run(ruled, customer), run(plain, customer)))
        store = lambda i: get("/stores/abc123/v2/store")  # noqa: E731
        store_bare = lambda i: get("/v2/store")  # noqa: E731
        report("rule answer vs bare Starlette", compare(args.rounds, run(answers, store), run(bare, store_bare)))
    print(f"{'rule decision, 50 rules':34s} {decision_cost(yaml.safe_load(fifty.read_text())):.1f} us per request")


def decision_cost(rules: list[dict], calls: int = 20_000) -> float:
    """Microseconds per request spent deciding which rule applies (none does) among `rules`."""
    from storefake.faults import RuleSet
    from storefake.faults.matching import Target
    from storefake.randomness import RandomSource

    rule_set = RuleSet(RandomSource(1))
    rule_set.add(rules)

    def decide() -> object:
        target = Target.of("GET", "/stores/abc123/v3/customers", "limit=5")
        candidates = rule_set.candidates(target)
        return rule_set.pick(target, candidates=candidates) if candidates else None

    return timeit.timeit(decide, number=calls) / calls * 1e6


def report(name: str, comparison) -> None:
    subject = max(comparison.subject, key=lambda r: r.rps)
    baseline = max(comparison.baseline, key=lambda r: r.rps)
    errors = sum(r.errors for r in comparison.subject + comparison.baseline)
    print(
        f"{name:34s} ratio {comparison.median_ratio:.2f}x  "
        f"(best {subject.rps:,.0f} vs {baseline.rps:,.0f} req/s; p50 {subject.p50_ms:.2f} vs {baseline.p50_ms:.2f} ms;"
        f" errors {errors})"
    )


if __name__ == "__main__":
    main()
