"""Long schemathesis fuzz of both vendors' documented surface, in-process: counts requests and failures.

Not run by CI (the test suite runs a bounded, seeded share: tests/openapi/). Every documented operation
gets positive and negative cases from contracts/openapi/*.yaml, sent to a fresh-state app with the
vendor's auth, and checked with the same checks as the tests. Server errors (5xx) are counted apart.

    python benchmarks/fuzz.py                      # 120 cases per operation and mode (>= 20,000 requests)
    python benchmarks/fuzz.py --per-operation 20 --seed 7
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "openapi"))
import openapi_support

import storefake


class Counting:
    """ASGI wrapper counting every request the fuzz sends (checks such as ignored_auth send their own) and 5xx."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state = app.state
        self.requests = 0
        self.server_errors = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self.requests += 1

        async def counting_send(message: Any) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 500:
                self.server_errors += 1
            await send(message)

        await self.app(scope, receive, counting_send)


def fuzz_vendor(name: str, per_operation: int, seed: int) -> tuple[Counting, collections.Counter[str], dict[str, str]]:
    wrapped = Counting(storefake.create_app())
    vendor = (openapi_support.adobe if name == "adobe" else openapi_support.bigcommerce)(app=wrapped)
    failures: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}

    def send(case: Any, label: str) -> None:
        wrapped.state.fake.reset()
        try:
            case.call_and_validate(headers=vendor.headers_for(case), checks=vendor.checks)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a check failure (an exception group): count it and go on
            failures[label] += 1
            examples.setdefault(label, _summary(exc))

    for result in vendor.schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            label = f"{operation.label} [{mode.value}]"
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=dict(vendor.pinned))
            run = settings(
                max_examples=per_operation,
                phases=[Phase.generate],
                deadline=None,
                database=None,
                derandomize=False,
                suppress_health_check=list(HealthCheck),
            )(given(case=strategy)(_bound(send, label)))
            run._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
            with contextlib.suppress(Unsatisfiable):  # nothing to negate (e.g. no parameters besides the store)
                run()
    return wrapped, failures, examples


def _bound(send: Any, label: str) -> Any:
    """A one-argument test function for @given (which takes neither defaults nor partials)."""

    def run(case: Any) -> None:
        send(case, label)

    return run


def _summary(exc: BaseException) -> str:
    """The failure's title, invalid component, response and curl lines: enough to file a finding."""
    keep = ("- ST", "Invalid component", "`", "curl")
    lines = [line.strip() for line in str(exc).splitlines() if line.strip().startswith(keep)]
    return "\n        ".join(line[:400] for line in lines[:6]) or repr(exc)[:400]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-operation", type=int, default=120, help="cases per operation and generation mode")
    parser.add_argument("--seed", type=int, default=openapi_support.SEED)
    args = parser.parse_args()
    total_requests = total_server_errors = total_failures = 0
    started = time.perf_counter()
    for name in ("adobe", "bigcommerce"):
        counting, failures, examples = fuzz_vendor(name, args.per_operation, args.seed)
        count = sum(failures.values())
        print(f"{name}: {counting.requests} requests, {count} failed cases, {counting.server_errors} server errors")
        for label, n in failures.most_common(20):
            print(f"    {n:5d}  {label}\n        {examples[label]}")
        total_requests += counting.requests
        total_server_errors += counting.server_errors
        total_failures += count
    elapsed = time.perf_counter() - started
    print(f"total: {total_requests} requests, {total_failures} failed cases, {total_server_errors} server errors")
    print(f"({elapsed:.0f} s, {total_requests / elapsed:.0f} requests/s, in-process)")


if __name__ == "__main__":
    main()
