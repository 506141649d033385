"""GETs that take BigCommerce's `include_fields` / `exclude_fields` answer only the fields asked for (and the id).

The document says so (`<Schema>Fields` requires only the key), so a trimmed answer conforms; a full create
answer is still held to every field the schema requires.
"""

from __future__ import annotations

import httpx
import openapi_support
import pytest
from schemathesis import checks as C

from storefake.transport import SyncASGITransport

BC = openapi_support.bigcommerce()
STORE = f"/stores/{openapi_support.STORE}/v3/catalog"
PRODUCT = {"name": "Trimmed", "type": "physical", "weight": 1, "price": 5}
CHILDREN = {
    "listCustomFields": ("custom-fields", {"name": "colour", "value": "red"}, "value"),
    "listVideos": ("videos", {"video_id": "dQw4w9WgXcQ", "type": "youtube"}, "title"),
    "listOptions": (
        "options",
        {"display_name": "Size", "type": "dropdown", "option_values": [{"label": "S", "sort_order": 0}]},
        "display_name",
    ),
    "listModifiers": ("modifiers", {"display_name": "Note", "type": "text", "required": False}, "display_name"),
}


@pytest.fixture
def client():
    BC.app.state.fake.reset()
    with httpx.Client(transport=SyncASGITransport(BC.app), base_url="http://testserver", headers=BC.auth) as http:
        yield http


@pytest.mark.parametrize("operation_id", sorted(CHILDREN))
def test_list_include_fields_conforms(client, operation_id):
    path, body, field = CHILDREN[operation_id]
    product = client.post(f"{STORE}/products", json=PRODUCT).json()["data"]["id"]
    assert client.post(f"{STORE}/products/{product}/{path}", json=body).status_code == 200
    operation = BC.schema.find_operation_by_id(operation_id)
    case = operation.Case(
        path_parameters={"store_hash": openapi_support.STORE, "product_id": product},
        query={"include_fields": field},
    )
    response = case.call(headers=BC.auth)
    assert response.status_code == 200
    assert set(response.json()["data"][0]) == {"id", field}
    case.validate_response(response, checks=[C.response_schema_conformance])
