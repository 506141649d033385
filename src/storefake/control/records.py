"""Reading a vendor's stored records through the control API, a page at a time (the inspector's view).

A vendor lists its collections per tenant or store as (rows, view): rows are a `Table` (paged in id
order, newest first with `order=desc`) or a list; the view renders one row as the vendor's API answers it,
so the records look as a client would read them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from storefake import wire
from storefake.control.routes import control_error
from storefake.table import Table

DEFAULT_LIMIT = 50
MAX_LIMIT = 250
View = Callable[[Any], Mapping[str, Any]]
Collections = Mapping[str, tuple["Table[Any] | Sequence[Any]", View]]


def paging(request: Request) -> tuple[int, int, bool]:
    """(page, limit, newest first) from `page`, `limit` and `order`; ValueError naming the bad one."""
    params = request.query_params
    page = _number(params.get("page", "1"), "page", 1, 10**9)
    limit = _number(params.get("limit", str(DEFAULT_LIMIT)), "limit", 1, MAX_LIMIT)
    order = params.get("order", "asc")
    if order not in ("asc", "desc"):
        raise ValueError('order must be "asc" or "desc"')
    return page, limit, order == "desc"


def _number(raw: str, name: str, low: int, high: int) -> int:
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}")
    return int(raw)


def counts(collections: Collections) -> dict[str, int]:
    return {name: len(rows) for name, (rows, _view) in collections.items()}


def records_page(collections: Collections, name: str, page: int, limit: int, newest_first: bool) -> dict[str, Any]:
    """One page of collection `name`; KeyError when the vendor has no such collection."""
    rows, view = collections[name]
    offset = (page - 1) * limit
    if isinstance(rows, Table):
        selection = rows.select(offset=offset, limit=limit, descending=newest_first)
        items, total = selection.items, selection.total
    else:
        ordered = list(reversed(rows)) if newest_first else list(rows)
        items, total = ordered[offset : offset + limit], len(ordered)
    return {"collection": name, "records": [view(row) for row in items], "total": total, "page": page, "limit": limit}


def unknown_collection(name: str, collections: Collections) -> str:
    return f"no collection {name!r}; one of: {', '.join(collections)}"


def json_response(content: Any) -> Response:
    """Records encoded as the vendor routes encode them (wire.dumps)."""
    return Response(wire.dumps(content), media_type="application/json")


def collection_page(
    request: Request,
    owner: Mapping[str, Any],
    lock: AbstractContextManager[Any],
    collections: Callable[[], Collections],
) -> Response:
    """One page of the collection the path names, under the owner's lock, headed by `owner` (a store's hash or a
    tenant's id); the control API's 400 for bad paging, its 404 for a collection the owner doesn't have."""
    try:
        page, limit, newest_first = paging(request)
    except ValueError as exc:
        return control_error(str(exc))
    name = request.path_params["collection"]
    with lock:
        found = collections()
        if name not in found:
            return control_error(unknown_collection(name, found), 404)
        body = records_page(found, name, page, limit, newest_first)
    return json_response({**owner, **body})
