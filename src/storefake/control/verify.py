"""Verifying from any language: count or list the journal's requests that match a request pattern.

- POST /journal/count  {pattern} -> {"count": N}
- POST /journal/find   {pattern} -> {"entries": [...]}, oldest first

A pattern is a mock rule's `match` (method, path glob or path_regex, query, headers, body subset, vendor,
tenant/store), read by the same parser and decided by the same matchers (storefake/faults/matching.py),
so a pattern that selects requests in a test selects the same requests in a rule. Recorded requests have
their secrets redacted: a pattern can ask that a secret header is present, not what it holds.
"""

from __future__ import annotations

from collections.abc import Iterator

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefake.control.routes import control_error, read_document
from storefake.faults.matching import matches_body, matches_head
from storefake.faults.rules import Match, RuleError, parse_match
from storefake.journal import Journal, JournalEntry
from storefake.nearmiss import entry_body, entry_target
from storefake.runtime import fake_of


async def read_pattern(request: Request) -> Match:
    """The request pattern in the body (JSON or YAML); ValueError with the bad key named."""
    document = await read_document(request)
    if not isinstance(document, dict):
        raise RuleError('pattern: must be a mapping such as {"method": "POST", "path": "/V1/customers"}')
    return parse_match(document, where="pattern")


def matching(journal: Journal, pattern: Match) -> Iterator[JournalEntry]:
    for entry in journal:
        if matches_head(pattern, entry_target(entry)) and (
            pattern.body is None or matches_body(pattern, entry_body(entry))
        ):
            yield entry


async def count_requests(request: Request) -> Response:
    try:
        pattern = await read_pattern(request)
    except ValueError as exc:
        return control_error(str(exc))
    journal = fake_of(request).journal
    count = await run_in_threadpool(lambda: sum(1 for _ in matching(journal, pattern)))
    return JSONResponse({"count": count})


async def find_requests(request: Request) -> Response:
    try:
        pattern = await read_pattern(request)
    except ValueError as exc:
        return control_error(str(exc))
    journal = fake_of(request).journal
    entries = await run_in_threadpool(lambda: [entry.to_dict() for entry in matching(journal, pattern)])
    return JSONResponse({"entries": entries})


routes = [
    Route("/journal/count", count_requests, methods=["POST"]),
    Route("/journal/find", find_requests, methods=["POST"]),
]
