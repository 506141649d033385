"""Control API endpoints shared by every vendor.

Bodies are JSON (or YAML for seeding); errors are `{"error": <text>}` with 400 or 404, never a vendor
shape, so a client can tell the fake's own answers from the vendor's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from storefake import wire
from storefake.faults.matching import split_path
from storefake.journal import Entries, JournalEntry
from storefake.resources import parse_yaml, yaml_problem
from storefake.runtime import Fake, fake_of

JOURNAL_CHUNK = 256 * 1024  # bytes of JSON per chunk of a journal read
JOURNAL_VENDORS = ("adobe", "bigcommerce", "ims")
STATUS_FILTER = re.compile(r"[0-9]{1,3}|[1-5]xx")


def control_error(text: str, status: int = 400, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": text}, status_code=status, headers=headers)


def render_error(request: Request, exc: Exception) -> Response:
    """The control API's own errors (unknown path, wrong method, a refused value): `{"error": ...}`."""
    if isinstance(exc, HTTPException):
        return control_error(exc.detail, exc.status_code, exc.headers)
    return control_error(str(exc))


async def read_document(request: Request) -> Any:
    """The request body as JSON or YAML (YAML is a superset of JSON, so one safe parser reads both)."""
    return parse_document(await request.body(), request.headers.get("content-type", ""))


def parse_document(raw: bytes, content_type: str) -> Any:
    if not raw.strip():
        return {}
    try:
        if "json" in content_type:
            return wire.loads(raw)
        document = parse_yaml(raw, data=True)
        wire.refuse_lone_surrogates(document)  # YAML's "\ud800" escape makes one too
        return document
    except yaml.YAMLError as exc:  # on one line; libyaml has a nesting limit of its own
        problem = yaml_problem(exc)
        raise ValueError(
            f"body is not valid JSON or YAML: {'nested too deeply' if 'nesting depth' in problem else problem}"
        ) from None
    except ValueError as exc:
        raise ValueError(f"body is not valid JSON or YAML: {exc}") from exc
    except RecursionError:  # deeper than any seed, rule or pattern (PyYAML composes nested nodes recursively)
        raise ValueError("body is not valid JSON or YAML: nested too deeply") from None


async def health(request: Request) -> Response:
    fake = fake_of(request)
    return JSONResponse({"status": "ok", "clock": fake.clock.now(), "frozen": fake.clock.frozen})


async def reset(request: Request) -> Response:
    fake_of(request).reset()
    return JSONResponse({"reset": True})


async def seed(request: Request) -> Response:
    raw, content_type = await request.body(), request.headers.get("content-type", "")
    try:
        # Parsing, checking and writing a large seed takes a while: in a worker thread, so that every other
        # client is served meanwhile.
        counts = await run_in_threadpool(_seed, fake_of(request), raw, content_type)
    except ValueError as exc:
        return control_error(str(exc))
    return JSONResponse({"seeded": counts})


def _seed(fake: Fake, raw: bytes, content_type: str) -> dict[str, Any]:
    document = parse_document(raw, content_type)
    if not isinstance(document, dict):
        raise ValueError("seed body must be a mapping of vendor sections")
    return fake.seed(document)


async def get_journal(request: Request) -> Response:
    """Entries oldest first (`order=desc`: newest first), `limit` at a time, after the id `since`.

    Streamed in batches from a worker thread: a full journal never holds the event loop for long.
    """
    params = request.query_params
    try:
        limit = _count_param(params.get("limit"), "limit", minimum=1)
        since = _count_param(params.get("since"), "since", minimum=0) or 0
        before = _count_param(params.get("before"), "before", minimum=1)
        where = _vendor_and_status(params.get("vendor"), params.get("status"))
    except ValueError as exc:
        return control_error(str(exc))
    order = params.get("order", "asc")
    if order not in ("asc", "desc"):
        return control_error('order must be "asc" or "desc"')
    found = fake_of(request).journal.entries(
        method=params.get("method"),
        path=params.get("path"),
        since=since,
        before=before,
        newest_first=order == "desc",
        where=where,
    )
    return StreamingResponse(_journal_page(found, limit, order == "desc"), media_type="application/json")


def _vendor_and_status(vendor: str | None, status: str | None) -> Callable[[JournalEntry], bool] | None:
    """The journal's `vendor` (adobe, bigcommerce, ims: from the path, as mock rules tell) and `status`
    (a code, `404`, or a class, `4xx`) filters as one test; ValueError naming a bad value."""
    if vendor is not None and vendor not in JOURNAL_VENDORS:
        raise ValueError(f"vendor must be one of {', '.join(JOURNAL_VENDORS)}")
    if status is not None and not STATUS_FILTER.fullmatch(status):
        raise ValueError("status must be a status code (404) or a class (4xx)")
    if vendor is None and status is None:
        return None
    low, high = (0, 1000) if status is None else _status_span(status)

    def holds(entry: JournalEntry) -> bool:
        return low <= entry.status < high and (vendor is None or split_path(entry.path)[0] == vendor)

    return holds


def _status_span(status: str) -> tuple[int, int]:
    if status.endswith("xx"):
        return int(status[0]) * 100, int(status[0]) * 100 + 100
    return int(status), int(status) + 1


def _count_param(raw: str | None, name: str, *, minimum: int) -> int | None:
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}")
    return int(raw)


def _journal_page(found: Entries, limit: int | None, newest_first: bool) -> Iterator[bytes]:
    """`{"entries": [...], "count": n, "more": bool, "cursor": id}` in chunks of about JOURNAL_CHUNK bytes.

    `more`: entries beyond `limit` remain in the reading direction. `cursor`: pass it as `since` to read
    what this page did not reach, newer entries included: oldest first, a page cut by `limit` ends at its
    last entry; otherwise the read covered the journal up to the newest id when it began.
    """
    chunk = [b'{"entries":[']
    size = count = last = 0
    more = False
    for entry in found:
        if count == limit:
            more = True
            break
        encoded = wire.dumps(entry.to_dict())
        chunk.append(b"," + encoded if count else encoded)
        count, last = count + 1, entry.id
        size += len(encoded)
        if size >= JOURNAL_CHUNK:
            yield b"".join(chunk)
            chunk, size = [], 0
    cursor = last if more and not newest_first else found.newest
    chunk.append(b'],"count":%d,"more":%s,"cursor":%d}' % (count, b"true" if more else b"false", cursor))
    yield b"".join(chunk)


async def clear_journal(request: Request) -> Response:
    """Every entry, or with `method`/`path` only the entries `GET` would list with them."""
    method, path = request.query_params.get("method"), request.query_params.get("path")
    journal = fake_of(request).journal
    if method is None and path is None:
        journal.clear()
    else:
        journal.remove(method=method, path=path)
    return Response(status_code=204)


async def get_clock(request: Request) -> Response:
    clock = fake_of(request).clock
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


async def advance_clock(request: Request) -> Response:
    try:
        document = await read_document(request)
        seconds = float(document.get("seconds", 0)) if isinstance(document, dict) else float("nan")
        if not (seconds >= 0 and math.isfinite(seconds)):
            raise ValueError
    except (ValueError, TypeError):
        return control_error('body must be {"seconds": <non-negative number>}')
    clock = fake_of(request).clock
    try:
        clock.advance(seconds)
    except ValueError as exc:
        return control_error(str(exc))
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


async def freeze_clock(request: Request) -> Response:
    try:
        document = await read_document(request)
        at = document.get("at") if isinstance(document, dict) else None
        at = None if at is None else float(at)
    except (ValueError, TypeError):
        return control_error('body must be {} or {"at": <epoch seconds>}')
    clock = fake_of(request).clock
    try:
        clock.freeze(at)
    except ValueError as exc:
        return control_error(str(exc))
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


async def unfreeze_clock(request: Request) -> Response:
    clock = fake_of(request).clock
    clock.unfreeze()
    return JSONResponse({"now": clock.now(), "frozen": clock.frozen})


routes = [
    Route("/health", health, methods=["GET"]),
    Route("/reset", reset, methods=["POST"]),
    Route("/seed", seed, methods=["POST"]),
    Route("/journal", get_journal, methods=["GET"]),
    Route("/journal", clear_journal, methods=["DELETE"]),
    Route("/clock", get_clock, methods=["GET"]),
    Route("/clock/advance", advance_clock, methods=["POST"]),
    Route("/clock/freeze", freeze_clock, methods=["POST"]),
    Route("/clock/unfreeze", unfreeze_clock, methods=["POST"]),
]
