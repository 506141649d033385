"""Channel and category assignments over HTTP: shapes, statuses, exact errors."""

from __future__ import annotations

import pytest

from .conftest import STATUS_TYPE, make_product


def body(status, title, errors=None):
    return {"status": status, "title": title, "type": STATUS_TYPE, "errors": {} if errors is None else errors}


INVALID = "JSON data is missing or invalid"


@pytest.fixture
def second_channel(store):
    return store.channels.add_channel({"id": 2, "name": "Marketplace", "type": "marketplace", "platform": "ebay"})


def test_list_channel_assignments_shows_the_storefront(bc):
    product = make_product(bc)
    response = bc.get("/products/channel-assignments")
    assert response.status_code == 200
    assert response.json()["data"] == [{"product_id": product["id"], "channel_id": 1}]
    assert response.json()["meta"]["pagination"]["total"] == 1


def test_create_channel_assignments_answers_204(bc, second_channel):
    product = make_product(bc)
    response = bc.put("/products/channel-assignments", json=[{"product_id": product["id"], "channel_id": 2}])
    assert (response.status_code, response.content) == (204, b"")
    listed = bc.get(f"/products/channel-assignments?product_id:in={product['id']}&channel_id:in=2").json()
    assert listed["data"] == [{"product_id": product["id"], "channel_id": 2}]


def test_create_channel_assignments_unknown_channel(bc):
    product = make_product(bc)
    response = bc.put("/products/channel-assignments", json=[{"product_id": product["id"], "channel_id": 2}])
    assert response.status_code == 422
    assert response.json() == body(422, INVALID, {"0.channel_id": "Channel 2 does not exist"})


def test_create_channel_assignments_needs_an_array(bc):
    response = bc.put("/products/channel-assignments", json={"product_id": 1, "channel_id": 1})
    assert response.status_code == 422
    assert response.json() == body(422, INVALID)


def test_delete_channel_assignments_needs_a_filter(bc):
    response = bc.delete("/products/channel-assignments")
    assert response.status_code == 422
    assert response.json() == body(422, "At least one filter must be provided in order to delete channel assignments")


def test_delete_channel_assignments_answers_204(bc):
    product = make_product(bc)
    response = bc.delete(f"/products/channel-assignments?product_id:in={product['id']}")
    assert (response.status_code, response.content) == (204, b"")
    assert bc.get(f"/products/{product['id']}?include=channels").json()["data"]["channels"] == []


def test_channel_assignments_bad_id_list_is_422(bc):
    response = bc.get("/products/channel-assignments?product_id:in=1,x")
    assert response.status_code == 422
    assert response.json() == body(422, "The filter(s): product_id:in are not valid filter parameter(s).")


def test_get_products_include_channels_and_filter(bc, second_channel):
    first, second = make_product(bc, name="First"), make_product(bc, name="Second")
    bc.put("/products/channel-assignments", json=[{"product_id": second["id"], "channel_id": 2}])
    listed = bc.get("/products?channel_id:in=2&include=channels").json()["data"]
    assert [(p["id"], p["channels"]) for p in listed] == [(second["id"], [1, 2])]
    assert "channels" not in bc.get(f"/products/{first['id']}").json()["data"]


def test_category_assignments_round_trip(bc):
    product = make_product(bc)
    category = bc.post("/categories", json={"name": "Bath", "parent_id": 0}).json()["data"]
    pair = {"product_id": product["id"], "category_id": category["id"]}
    assert bc.put("/products/category-assignments", json=[pair]).status_code == 204
    assert bc.get("/products/category-assignments").json()["data"] == [pair]
    assert bc.get(f"/products/{product['id']}").json()["data"]["categories"] == [category["id"]]
    response = bc.delete(f"/products/category-assignments?category_id:in={category['id']}")
    assert response.status_code == 204
    assert bc.get(f"/products/{product['id']}").json()["data"]["categories"] == []


def test_create_category_assignments_unknown_category(bc):
    product = make_product(bc)
    response = bc.put("/products/category-assignments", json=[{"product_id": product["id"], "category_id": 404}])
    assert response.status_code == 422
    assert response.json() == body(422, INVALID, {"0.category_id": "Category 404 does not exist"})


def test_delete_category_assignments_needs_a_filter(bc):
    response = bc.delete("/products/category-assignments")
    assert response.status_code == 422
    assert response.json() == body(422, "At least one filter must be provided in order to delete category assignments")


def test_assignment_paths_are_not_product_ids(bc):
    response = bc.post("/products/channel-assignments", json=[])
    assert response.status_code == 405  # the path's own methods, not a product id's 404


@pytest.mark.parametrize("family", ["channel", "category"])
def test_a_page_past_every_int_is_empty_not_an_error(bc, family):
    response = bc.get(f"/products/{family}-assignments", params={"page": "48576564918400974848"})
    assert response.status_code == 200
    assert response.json()["data"] == []
    assert response.json()["meta"]["pagination"]["current_page"] == 48576564918400974848
