"""V3 catalog endpoints for a product's variant options and modifiers, and their values.

`/products/{product_id}/options[/{option_id}/values[/{value_id}]]` and the same under `/modifiers`: creates
and updates answer 200 `{"data": ..., "meta": {}}`, lists `meta.pagination`, deletes 204; `include_fields`
and `exclude_fields` trim the objects. Source: reference/catalog/product-variant-options_catalog.v3.yml and
product-modifiers_catalog.v3.yml.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.render import no_content, v3_data
from storefake.bigcommerce.routes import catalog_views as views
from storefake.bigcommerce.routes._common import int_param, read_json
from storefake.bigcommerce.routes.catalog import catalog_of, listing, page_of

KEY = {False: "option_id", True: "modifier_id"}  # the path parameter naming the option or the modifier


def _ids(request: Request, *names: str) -> list[int]:
    return [int_param(request, name) for name in names]


def _shape(request: Request) -> views.Shape:
    return views.Shape.of(request.query_params, ())


# shared bodies of the option and modifier endpoints (`modifier` picks the kind)
async def _list(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    page, limit = page_of(request)
    product_id = int_param(request, "product_id")
    selection = catalog.list_options(product_id, modifier=modifier, offset=(page - 1) * limit, limit=limit)
    shape = _shape(request)
    return listing(request, [views.option(catalog, o, shape) for o in selection.items], selection.total, page, limit)


async def _create(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    option = catalog.create_option(int_param(request, "product_id"), await read_json(request), modifier=modifier)
    return v3_data(views.option(catalog, option))


async def _get(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    option = catalog.get_option(*_ids(request, "product_id", KEY[modifier]), modifier=modifier)
    return v3_data(views.option(catalog, option, _shape(request)))


async def _update(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    product_id, option_id = _ids(request, "product_id", KEY[modifier])
    option = catalog.update_option(product_id, option_id, await read_json(request), modifier=modifier)
    return v3_data(views.option(catalog, option))


async def _delete(request: Request, modifier: bool) -> Response:
    catalog_of(request).delete_option(*_ids(request, "product_id", KEY[modifier]), modifier=modifier)
    return no_content()


async def _list_values(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    page, limit = page_of(request)
    product_id, option_id = _ids(request, "product_id", KEY[modifier])
    selection = catalog.list_option_values(
        product_id, option_id, modifier=modifier, offset=(page - 1) * limit, limit=limit
    )
    option = catalog.get_option(product_id, option_id, modifier=modifier)
    shape = _shape(request)
    items = [views.option_value(option, v, shape) for v in selection.items]
    return listing(request, items, selection.total, page, limit)


async def _create_value(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    product_id, option_id = _ids(request, "product_id", KEY[modifier])
    value = catalog.create_option_value(product_id, option_id, await read_json(request), modifier=modifier)
    return v3_data(views.option_value(catalog.get_option(product_id, option_id, modifier=modifier), value))


async def _get_value(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    product_id, option_id, value_id = _ids(request, "product_id", KEY[modifier], "value_id")
    value = catalog.get_option_value(product_id, option_id, value_id, modifier=modifier)
    option = catalog.get_option(product_id, option_id, modifier=modifier)
    return v3_data(views.option_value(option, value, _shape(request)))


async def _update_value(request: Request, modifier: bool) -> Response:
    catalog = catalog_of(request)
    product_id, option_id, value_id = _ids(request, "product_id", KEY[modifier], "value_id")
    body = await read_json(request)
    value = catalog.update_option_value(product_id, option_id, value_id, body, modifier=modifier)
    return v3_data(views.option_value(catalog.get_option(product_id, option_id, modifier=modifier), value))


async def _delete_value(request: Request, modifier: bool) -> Response:
    ids = _ids(request, "product_id", KEY[modifier], "value_id")
    catalog_of(request).delete_option_value(*ids, modifier=modifier)
    return no_content()


# variant options
async def list_options(request: Request) -> Response:
    return await _list(request, False)


async def create_option(request: Request) -> Response:
    return await _create(request, False)


async def get_option(request: Request) -> Response:
    return await _get(request, False)


async def update_option(request: Request) -> Response:
    return await _update(request, False)


async def delete_option(request: Request) -> Response:
    return await _delete(request, False)


async def list_option_values(request: Request) -> Response:
    return await _list_values(request, False)


async def create_option_value(request: Request) -> Response:
    return await _create_value(request, False)


async def get_option_value(request: Request) -> Response:
    return await _get_value(request, False)


async def update_option_value(request: Request) -> Response:
    return await _update_value(request, False)


async def delete_option_value(request: Request) -> Response:
    return await _delete_value(request, False)


# modifiers
async def list_modifiers(request: Request) -> Response:
    return await _list(request, True)


async def create_modifier(request: Request) -> Response:
    return await _create(request, True)


async def get_modifier(request: Request) -> Response:
    return await _get(request, True)


async def update_modifier(request: Request) -> Response:
    return await _update(request, True)


async def delete_modifier(request: Request) -> Response:
    return await _delete(request, True)


async def list_modifier_values(request: Request) -> Response:
    return await _list_values(request, True)


async def create_modifier_value(request: Request) -> Response:
    return await _create_value(request, True)


async def get_modifier_value(request: Request) -> Response:
    return await _get_value(request, True)


async def update_modifier_value(request: Request) -> Response:
    return await _update_value(request, True)


async def delete_modifier_value(request: Request) -> Response:
    return await _delete_value(request, True)


OPTIONS = "/v3/catalog/products/{product_id}/options"
OPTION = OPTIONS + "/{option_id}"
MODIFIERS = "/v3/catalog/products/{product_id}/modifiers"
MODIFIER = MODIFIERS + "/{modifier_id}"
routes: list[BaseRoute] = [
    Route(OPTIONS, list_options, methods=["GET"]),
    Route(OPTIONS, create_option, methods=["POST"]),
    Route(OPTION, get_option, methods=["GET"]),
    Route(OPTION, update_option, methods=["PUT"]),
    Route(OPTION, delete_option, methods=["DELETE"]),
    Route(OPTION + "/values", list_option_values, methods=["GET"]),
    Route(OPTION + "/values", create_option_value, methods=["POST"]),
    Route(OPTION + "/values/{value_id}", get_option_value, methods=["GET"]),
    Route(OPTION + "/values/{value_id}", update_option_value, methods=["PUT"]),
    Route(OPTION + "/values/{value_id}", delete_option_value, methods=["DELETE"]),
    Route(MODIFIERS, list_modifiers, methods=["GET"]),
    Route(MODIFIERS, create_modifier, methods=["POST"]),
    Route(MODIFIER, get_modifier, methods=["GET"]),
    Route(MODIFIER, update_modifier, methods=["PUT"]),
    Route(MODIFIER, delete_modifier, methods=["DELETE"]),
    Route(MODIFIER + "/values", list_modifier_values, methods=["GET"]),
    Route(MODIFIER + "/values", create_modifier_value, methods=["POST"]),
    Route(MODIFIER + "/values/{value_id}", get_modifier_value, methods=["GET"]),
    Route(MODIFIER + "/values/{value_id}", update_modifier_value, methods=["PUT"]),
    Route(MODIFIER + "/values/{value_id}", delete_modifier_value, methods=["DELETE"]),
]
