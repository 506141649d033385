"""Metafield endpoints over HTTP for every owner type: single and batch, exact vendor bodies for errors."""

from __future__ import annotations

import httpx
import pytest

from storefake.bigcommerce.state.metafields import Owner
from storefake.transport import SyncASGITransport

V3 = "/stores/abc123/v3"
TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
FIELD = {"namespace": "Warehouse Locations", "key": "Location", "value": "4HG", "permission_set": "app_only"}
BILLING = {"first_name": "Jane", "last_name": "Doe", "zip": "78751", "email": "jane@example.com"}


@pytest.fixture
def reader(app):
    """A client with the read-only token (another API account, so another client id)."""
    headers = {"X-Auth-Token": "storefake-bc-readonly-token"}
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver", headers=headers) as client:
        yield client


def make_owners(bc):
    """{resource_type: (path of one resource's metafields, batch path, resource id)} for all six types."""
    product = bc.post(f"{V3}/catalog/products", json={"name": "Mug", "type": "physical", "weight": 1, "price": 5})
    product = product.json()["data"]
    category = bc.post(f"{V3}/catalog/categories", json={"name": "Cups", "parent_id": 0}).json()["data"]
    brand = bc.post(f"{V3}/catalog/brands", json={"name": "Acme"}).json()["data"]
    customer = bc.post(f"{V3}/customers", json=[{"email": "a@example.com", "first_name": "A", "last_name": "B"}])
    customer = customer.json()["data"][0]
    order = bc.post(
        "/stores/abc123/v2/orders",
        json={"billing_address": BILLING, "products": [{"name": "X", "quantity": 1, "price_inc_tax": 1}]},
    ).json()
    pid, vid = product["id"], product["base_variant_id"]
    return {
        "product": (f"{V3}/catalog/products/{pid}/metafields", f"{V3}/catalog/products/metafields", pid),
        "variant": (
            f"{V3}/catalog/products/{pid}/variants/{vid}/metafields",
            f"{V3}/catalog/variants/metafields",
            vid,
        ),
        "category": (
            f"{V3}/catalog/categories/{category['id']}/metafields",
            f"{V3}/catalog/categories/metafields",
            category["id"],
        ),
        "brand": (f"{V3}/catalog/brands/{brand['id']}/metafields", f"{V3}/catalog/brands/metafields", brand["id"]),
        "customer": (f"{V3}/customers/{customer['id']}/metafields", f"{V3}/customers/metafields", customer["id"]),
        "order": (f"{V3}/orders/{order['id']}/metafields", f"{V3}/orders/metafields", order["id"]),
    }


@pytest.fixture
def owners(bc):
    return make_owners(bc)


@pytest.fixture
def product_path(owners):
    return owners["product"][0]


def error(status, title, errors=None, **extra):
    return {"status": status, "title": title, "type": TYPE, "errors": errors or {}, **extra}


TYPES = ("product", "variant", "category", "brand", "customer", "order")


@pytest.mark.parametrize("kind", TYPES)
def test_create_metafield_answers_the_metafield(bc, owners, kind, fake):
    fake.clock.freeze(1536856957)
    path, _, resource_id = owners[kind]
    response = bc.post(path, json={**FIELD, "description": "Location in the warehouse"})
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "id": 1,
            "key": "Location",
            "value": "4HG",
            "namespace": "Warehouse Locations",
            "permission_set": "app_only",
            "resource_type": kind,
            "resource_id": resource_id,
            "description": "Location in the warehouse",
            "date_created": "2018-09-13T16:42:37+00:00",
            "date_modified": "2018-09-13T16:42:37+00:00",
            "owner_client_id": "storefake-bc-client",
        },
        "meta": {},
    }


@pytest.mark.parametrize("kind", TYPES)
def test_get_update_delete_metafield(bc, owners, kind):
    path = owners[kind][0]
    created = bc.post(path, json=FIELD).json()["data"]
    assert bc.get(f"{path}/{created['id']}").json()["data"] == created
    updated = bc.put(f"{path}/{created['id']}", json={"value": "5HG"})
    assert updated.status_code == 200
    assert updated.json()["data"]["value"] == "5HG"
    assert bc.delete(f"{path}/{created['id']}").status_code == 204
    assert bc.get(f"{path}/{created['id']}").status_code == 404


@pytest.mark.parametrize("kind", TYPES)
def test_list_all_metafields_of_a_type(bc, owners, kind):
    path, batch, resource_id = owners[kind]
    bc.post(path, json=FIELD)
    for other in TYPES:
        if other != kind:
            bc.post(owners[other][0], json=FIELD)
    response = bc.get(batch)
    assert response.status_code == 200
    assert [(m["resource_type"], m["resource_id"]) for m in response.json()["data"]] == [(kind, resource_id)]


def test_list_metafields_pagination_meta(bc, product_path):
    for n in range(3):
        bc.post(product_path, json={**FIELD, "key": f"k{n}"})
    body = bc.get(product_path, params={"limit": 2}).json()
    assert [m["key"] for m in body["data"]] == ["k0", "k1"]
    assert body["meta"]["pagination"] == {
        "total": 3,
        "count": 2,
        "per_page": 2,
        "current_page": 1,
        "total_pages": 2,
        "links": {"current": "?page=1&limit=2", "next": "?page=2&limit=2"},
    }
    after = body["meta"]["cursor_pagination"]["end_cursor"]
    rest = bc.get(product_path, params={"limit": 2, "after": after}).json()
    assert [m["key"] for m in rest["data"]] == ["k2"]


def test_list_metafields_filters(bc, product_path):
    bc.post(product_path, json={**FIELD, "key": "a", "namespace": "one"})
    bc.post(product_path, json={**FIELD, "key": "b", "namespace": "two"})
    bc.post(product_path, json={**FIELD, "key": "c", "namespace": "one"})
    keys = lambda params: [m["key"] for m in bc.get(product_path, params=params).json()["data"]]  # noqa: E731
    assert keys({"namespace": "one"}) == ["a", "c"]
    assert keys({"key:in": "b,c"}) == ["b", "c"]
    assert keys({"namespace:in": "two", "direction": "desc"}) == ["b"]
    assert keys({"direction": "desc"}) == ["c", "b", "a"]


def test_list_metafields_include_fields(bc, product_path):
    bc.post(product_path, json=FIELD)
    assert bc.get(product_path, params={"include_fields": "key,value"}).json()["data"] == [
        {"id": 1, "key": "Location", "value": "4HG"}
    ]


def test_list_metafields_bad_date_filter_names_it(bc, product_path):
    response = bc.get(product_path, params={"date_created:min": "yesterday"})
    assert response.status_code == 422
    assert response.json() == error(422, "The filter(s): date_created:min are not valid filter parameter(s).")


def test_create_metafield_not_json_is_400_syntax_error(bc, product_path):
    response = bc.post(product_path, content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == error(400, "Input is invalid", detail="Syntax error")


def test_create_metafield_missing_fields_is_422(bc, product_path):
    response = bc.post(product_path, json={"key": "k"})
    assert response.status_code == 422
    assert response.json() == error(
        422,
        "JSON data is missing or invalid",
        {"permission_set": "error.path.missing", "namespace": "error.path.missing", "value": "error.path.missing"},
    )


def test_create_metafield_too_long_key_is_422(bc, product_path):
    response = bc.post(product_path, json={**FIELD, "key": "k" * 65})
    assert response.status_code == 422
    assert response.json() == error(422, "JSON data is missing or invalid", {"key": "error.maxLength"})


def test_create_metafield_bad_permission_set_is_422(bc, product_path):
    response = bc.post(product_path, json={**FIELD, "permission_set": "everyone"})
    assert response.status_code == 422
    assert response.json() == error(
        422, "JSON data is missing or invalid", {"permission_set": "error.expected.validenumvalue"}
    )


def test_create_metafield_twice_is_409(bc, product_path):
    bc.post(product_path, json=FIELD)
    response = bc.post(product_path, json={**FIELD, "value": "other"})
    assert response.status_code == 409
    assert response.json() == error(409, "The Metafield was in conflict with another Metafield.")


def test_create_metafield_unknown_product_is_404(bc):
    response = bc.post(f"{V3}/catalog/products/999/metafields", json=FIELD)
    assert response.status_code == 404
    assert response.json() == error(404, "The requested resource was not found.")


def test_get_metafield_unknown_id_is_404(bc, product_path):
    response = bc.get(f"{product_path}/77")
    assert response.status_code == 404
    assert response.json() == error(404, "The resource at that URL is not found.")


def test_get_metafield_other_clients_app_only_is_404(bc, reader, product_path):
    created = bc.post(product_path, json=FIELD).json()["data"]
    assert reader.get(f"{product_path}/{created['id']}").status_code == 404
    assert reader.get(product_path).json()["data"] == []


def test_read_only_token_reads_shared_metafields_but_cannot_write(bc, reader, product_path):
    bc.post(product_path, json={**FIELD, "permission_set": "read"})
    assert [m["owner_client_id"] for m in reader.get(product_path).json()["data"]] == ["storefake-bc-client"]
    response = reader.post(product_path, json=FIELD)
    assert response.status_code == 403
    assert response.json() == error(403, "You don't have a required scope to access the endpoint")


def test_update_metafield_of_another_client_is_403(bc, store, owners):
    path, _, pid = owners["product"]
    store.metafields.create_metafield(Owner("product", pid), {**FIELD, "permission_set": "read"}, "another-app")
    response = bc.put(f"{path}/1", json={"value": "mine now"})
    assert response.status_code == 403
    assert response.json() == error(403, "Unauthorized to update")


def test_batch_path_is_not_a_product_id(bc, owners):
    response = bc.get(f"{V3}/catalog/products/metafields")
    assert response.status_code == 200
    assert response.json()["data"] == []


def test_batch_create_all_succeed_is_200(bc, owners):
    _, batch, pid = owners["product"]
    response = bc.post(batch, json=[{**FIELD, "resource_id": pid}, {**FIELD, "key": "Other", "resource_id": pid}])
    assert response.status_code == 200
    body = response.json()
    assert [m["key"] for m in body["data"]] == ["Location", "Other"]
    assert (body["errors"], body["meta"]) == ([], {"total": 2, "success": 2, "failed": 0})


def test_batch_create_partial_success_is_422_with_both(bc, owners):
    _, batch, pid = owners["product"]
    response = bc.post(batch, json=[{**FIELD, "resource_id": pid}, {**FIELD, "resource_id": pid}])
    assert response.status_code == 422
    body = response.json()
    assert [m["key"] for m in body["data"]] == ["Location"]
    assert body["errors"] == [
        error(
            422,
            "Bulk operation has failed",
            {"1": "Metafield with the same namespace and key already exists for this resource"},
        )
    ]
    assert body["meta"] == {"total": 2, "success": 1, "failed": 1}


def test_batch_update(bc, owners):
    path, batch, _ = owners["customer"]
    created = bc.post(path, json=FIELD).json()["data"]
    response = bc.put(batch, json=[{"id": created["id"], "value": "changed"}])
    assert response.status_code == 200
    assert response.json()["data"][0]["value"] == "changed"


def test_batch_delete_answers_the_ids(bc, owners):
    path, batch, _ = owners["order"]
    created = bc.post(path, json=FIELD).json()["data"]
    response = bc.request("DELETE", batch, json=[created["id"]])
    assert response.status_code == 200
    assert response.json() == {"data": [created["id"]], "errors": [], "meta": {"total": 1, "success": 1, "failed": 0}}


def test_batch_delete_unknown_id_is_422(bc, owners):
    response = bc.request("DELETE", owners["order"][1], json=[5])
    assert response.status_code == 422
    assert response.json() == {
        "data": [],
        "errors": [error(422, "Bulk operation has failed", {"5": "Metafield does not exist"})],
        "meta": {"total": 1, "success": 0, "failed": 1},
    }


def test_batch_create_not_an_array_is_422(bc, owners):
    response = bc.post(owners["brand"][1], json={"key": "k"})
    assert response.status_code == 422
    assert response.json() == error(422, "JSON data is missing or invalid", {"obj": "error.expected.jsarray"})


def test_deleting_the_product_deletes_its_metafields(bc, owners):
    path, batch, pid = owners["product"]
    bc.post(path, json=FIELD)
    assert bc.delete(f"{V3}/catalog/products/{pid}").status_code == 204
    assert bc.get(batch).json()["data"] == []


def test_order_metafields_need_the_orders_scope(app, owners):
    headers = {"X-Auth-Token": "storefake-bc-noscope-token"}
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver", headers=headers) as client:
        response = client.get(owners["order"][0])
    assert response.status_code == 403
