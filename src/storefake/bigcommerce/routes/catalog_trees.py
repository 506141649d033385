"""V3 category trees: `/v3/catalog/trees`, `/v3/catalog/trees/{tree_id}/categories`, `/v3/catalog/trees/categories`.

Tree upserts answer 200 `{"data": [...], "meta": {"total", "success", "failed"}}`; category creates 201 with the
same meta, updates 200 and deletes 202 with the meta alone (the spec's statuses); lists carry
`meta.pagination`. Source: reference/catalog/category-trees_catalog.v3.yml.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import InvalidJSON, InvalidQueryParameter
from storefake.bigcommerce.query import FilterSpec, as_bool, as_int, as_str, csv_param, parse_filters
from storefake.bigcommerce.render import JSONBody, no_content, v3_data
from storefake.bigcommerce.routes import catalog_views as views
from storefake.bigcommerce.routes._common import ids_param, int_param, read_json
from storefake.bigcommerce.routes.catalog import catalog_of, listing, page_of
from storefake.bigcommerce.state.catalog_taxonomy import TaxonomyState
from storefake.filtering import Condition

LIST_OPS = frozenset({"in", "not_in"})
TREE_CATEGORY_FILTERS = {
    "category_id": FilterSpec(as_int, LIST_OPS, field="id"),
    "tree_id": FilterSpec(as_int, LIST_OPS),
    "parent_id": FilterSpec(as_int, LIST_OPS),
    "page_title": FilterSpec(as_str, frozenset({"", "like"})),
    "name": FilterSpec(as_str, frozenset({"", "like"})),
    "keyword": FilterSpec(as_str, frozenset({""})),
    "is_visible": FilterSpec(as_bool, frozenset({""})),
}
DELETE_FILTERS = {
    "category_id": FilterSpec(as_int, frozenset({"in"}), field="id"),
    "tree_id": FilterSpec(as_int, frozenset({"in"})),
    "parent_id": FilterSpec(as_int, frozenset({"in"})),
}


def taxonomy_of(request: Request) -> TaxonomyState:
    return catalog_of(request).taxonomy


def _batch_meta(count: int) -> dict[str, int]:
    return {"total": count, "success": count, "failed": 0}


async def _array(request: Request) -> list[Any]:
    body = await read_json(request)
    if not isinstance(body, list):
        raise InvalidJSON(errors={})
    return body


def _category_conditions(request: Request, specs: dict[str, FilterSpec]) -> list[Condition]:
    """The query's filters; `category_uuid:in` / `:not_in` become id conditions (an unknown UUID matches nothing)."""
    taxonomy = taxonomy_of(request)
    conditions = parse_filters(request.query_params.multi_items(), specs)
    conditions = [Condition(c.field, "like", f"%{c.value}%") if c.field == "keyword" else c for c in conditions]
    for operator, op in (("in", "in"), ("not_in", "nin")):
        texts = csv_param(request.query_params, f"category_uuid:{operator}")
        if texts and (op == "in" or specs is TREE_CATEGORY_FILTERS):
            ids = [taxonomy.category_id_of_uuid(text) for text in texts]
            conditions.append(Condition("id", op, [i if i is not None else 0 for i in ids]))
    return conditions


# trees
async def list_trees(request: Request) -> Response:
    page, limit = page_of(request)
    selection = taxonomy_of(request).list_trees(
        ids_param(request, "id:in") or (),
        ids_param(request, "channel_id:in") or (),
        offset=(page - 1) * limit,
        limit=limit,
    )
    return listing(request, [views.tree(t) for t in selection.items], selection.total, page, limit)


async def upsert_trees(request: Request) -> Response:
    trees = taxonomy_of(request).upsert_trees(await _array(request))
    return v3_data([views.tree(t) for t in trees], meta=_batch_meta(len(trees)))


async def delete_trees(request: Request) -> Response:
    # `id:in=` names no tree: nothing goes, but the filter was given
    taxonomy_of(request).delete_trees(ids_param(request, "id:in"))
    return no_content()


async def get_tree_categories(request: Request) -> Response:
    depth_text = request.query_params.get("depth")
    if depth_text is not None and not depth_text.isdigit():
        raise InvalidQueryParameter(parameters={"name": "depth"})
    depth = int(depth_text) if depth_text is not None else None
    return v3_data(taxonomy_of(request).tree_nodes(int_param(request, "tree_id"), depth))


# tree categories
async def list_tree_categories(request: Request) -> Response:
    taxonomy = taxonomy_of(request)
    page, limit = page_of(request)
    conditions = _category_conditions(request, TREE_CATEGORY_FILTERS)
    selection = taxonomy.list_tree_categories(conditions, offset=(page - 1) * limit, limit=limit)
    shape = views.Shape.of(request.query_params, ())
    items = [views.tree_category(taxonomy, c, shape) for c in selection.items]
    return listing(request, items, selection.total, page, limit)


async def create_tree_categories(request: Request) -> Response:
    taxonomy = taxonomy_of(request)
    created = taxonomy.create_tree_categories(await _array(request))
    return v3_data([views.tree_category(taxonomy, c) for c in created], status=201, meta=_batch_meta(len(created)))


async def update_tree_categories(request: Request) -> Response:
    count = taxonomy_of(request).update_tree_categories(await _array(request))
    return JSONBody({"meta": _batch_meta(count)})


async def delete_tree_categories(request: Request) -> Response:
    count = taxonomy_of(request).delete_tree_categories(_category_conditions(request, DELETE_FILTERS))
    return JSONBody({"meta": _batch_meta(count)}, status_code=202)


routes: list[BaseRoute] = [
    Route("/v3/catalog/trees/categories", list_tree_categories, methods=["GET"]),
    Route("/v3/catalog/trees/categories", create_tree_categories, methods=["POST"]),
    Route("/v3/catalog/trees/categories", update_tree_categories, methods=["PUT"]),
    Route("/v3/catalog/trees/categories", delete_tree_categories, methods=["DELETE"]),
    Route("/v3/catalog/trees", list_trees, methods=["GET"]),
    Route("/v3/catalog/trees", upsert_trees, methods=["PUT"]),
    Route("/v3/catalog/trees", delete_trees, methods=["DELETE"]),
    Route("/v3/catalog/trees/{tree_id}/categories", get_tree_categories, methods=["GET"]),
]
