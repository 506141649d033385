"""Category trees over HTTP: /trees, /trees/{id}/categories, /trees/categories; shapes, statuses, exact errors."""

from __future__ import annotations

import pytest

from .conftest import STATUS_TYPE


def body(status, title, errors=None):
    return {"status": status, "title": title, "type": STATUS_TYPE, "errors": {} if errors is None else errors}


INVALID = "JSON data is missing or invalid"
BATCH_META = {"total": 1, "success": 1, "failed": 0}


def create(bc, *items):
    response = bc.post("/trees/categories", json=list(items))
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_list_trees_shows_the_default_tree(bc):
    response = bc.get("/trees")
    assert response.status_code == 200
    assert response.json()["data"] == [{"id": 1, "name": "Default", "channels": [1]}]
    assert response.json()["meta"]["pagination"]["total"] == 1


def test_list_trees_filters_by_channel(bc):
    assert bc.get("/trees?channel_id:in=2").json()["data"] == []
    assert bc.get("/trees?id:in=1").json()["data"][0]["id"] == 1


def test_upsert_trees_renames_and_answers_batch_meta(bc):
    response = bc.put("/trees", json=[{"id": 1, "name": "Main"}])
    assert response.status_code == 200
    assert response.json() == {"data": [{"id": 1, "name": "Main", "channels": [1]}], "meta": BATCH_META}


def test_upsert_trees_channel_taken(bc):
    response = bc.put("/trees", json=[{"name": "Second", "channels": [1]}])
    assert response.status_code == 422
    assert response.json() == body(422, INVALID, {"0.channel_ids": "Channel 1 already has a category tree"})


def test_upsert_trees_above_50_is_413(bc):
    response = bc.put("/trees", json=[{"id": 1}] * 51)
    assert response.status_code == 413
    assert response.json() == body(
        413, "The request payload is too large. The maximum trees allowed in the array is 50."
    )


def test_delete_trees_needs_ids(bc):
    response = bc.delete("/trees")
    assert response.status_code == 422
    assert response.json() == body(422, "At least one filter is required.")


def test_create_tree_categories_answers_201_with_batch_meta(bc):
    response = bc.post("/trees/categories", json=[{"name": "Bath", "tree_id": 1, "url": {"path": "/bath/"}}])
    assert response.status_code == 201
    [category] = response.json()["data"]
    assert response.json()["meta"] == BATCH_META
    assert category == {
        "category_id": category["category_id"],
        "category_uuid": category["category_uuid"],
        "parent_id": 0,
        "tree_id": 1,
        "name": "Bath",
        "description": "",
        "views": 0,
        "sort_order": 0,
        "page_title": "",
        "search_keywords": "",
        "meta_keywords": [],
        "meta_description": "",
        "layout_file": "category.html",
        "image_url": "",
        "is_visible": True,
        "default_product_sort": "use_store_settings",
        "url": {"path": "/bath/", "is_customized": True},
    }


def test_tree_categories_are_the_classic_categories(bc):
    [category] = create(bc, {"name": "Bath", "tree_id": 1})
    classic = bc.get(f"/categories/{category['category_id']}").json()["data"]
    assert (classic["name"], classic["custom_url"]) == ("Bath", {"url": "/bath/", "is_customized": False})
    made = bc.post("/categories", json={"name": "Kitchen", "parent_id": 0}).json()["data"]
    listed = bc.get(f"/trees/categories?category_id:in={made['id']}").json()["data"]
    assert [(c["name"], c["tree_id"]) for c in listed] == [("Kitchen", 1)]


def test_list_tree_categories_filters(bc):
    [bath] = create(bc, {"name": "Bath", "tree_id": 1})
    create(bc, {"name": "Towels", "parent_id": bath["category_id"]}, {"name": "Soap", "parent_id": bath["category_id"]})
    by_parent = bc.get(f"/trees/categories?parent_id:in={bath['category_id']}&name:like=tow").json()["data"]
    assert [c["name"] for c in by_parent] == ["Towels"]
    by_uuid = bc.get(f"/trees/categories?category_uuid:in={bath['category_uuid']}&include_fields=name").json()
    assert by_uuid["data"] == [{"category_id": bath["category_id"], "name": "Bath"}]
    excluded = bc.get(f"/trees/categories?category_id:not_in={bath['category_id']}").json()["meta"]["pagination"]
    assert excluded["total"] == 2


def test_update_tree_categories_answers_meta_only(bc):
    [bath] = create(bc, {"name": "Bath", "tree_id": 1})
    response = bc.put("/trees/categories", json=[{"category_id": bath["category_id"], "name": "Bathroom"}])
    assert response.status_code == 200
    assert response.json() == {"meta": BATCH_META}
    assert bc.get(f"/categories/{bath['category_id']}").json()["data"]["name"] == "Bathroom"


def test_delete_tree_categories_answers_202(bc):
    [bath] = create(bc, {"name": "Bath", "tree_id": 1})
    response = bc.delete(f"/trees/categories?category_id:in={bath['category_id']}")
    assert response.status_code == 202
    assert response.json() == {"meta": BATCH_META}
    assert bc.get(f"/categories/{bath['category_id']}").status_code == 404


def test_tree_nodes(bc):
    [bath] = create(bc, {"name": "Bath", "tree_id": 1})
    create(bc, {"name": "Towels", "parent_id": bath["category_id"]})
    response = bc.get("/trees/1/categories?depth=1")
    assert response.status_code == 200
    assert response.json() == {
        "data": [
            {
                "id": bath["category_id"],
                "parent_id": 0,
                "depth": 1,
                "path": [bath["category_id"]],
                "name": "Bath",
                "is_visible": True,
                "children": [],
                "url": "/bath/",
            }
        ],
        "meta": {},
    }


def test_unknown_tree_is_404(bc):
    response = bc.get("/trees/99/categories")
    assert response.status_code == 404
    assert response.json() == body(404, "The requested resource was not found.")


@pytest.mark.parametrize(
    ("items", "errors"),
    [
        ([{"tree_id": 1}], {"0.name": "error.path.missing"}),
        ([{"name": "X"}], {"0.tree_id": "error.path.missing"}),
        (
            [{"name": "X", "tree_id": 1, "url": {"is_customized": True}}],
            {"0.url": "Url is required and can't be empty"},
        ),
        ([{"name": "X", "tree_id": 1, "layout_file": "x" * 51}], {"0.layout_file": "error.maxLength"}),
    ],
)
def test_create_tree_categories_errors(bc, items, errors):
    response = bc.post("/trees/categories", json=items)
    assert response.status_code == 422
    assert response.json() == body(422, INVALID, errors)


def test_create_tree_categories_duplicate_name(bc):
    create(bc, {"name": "Bath", "tree_id": 1})
    response = bc.post("/trees/categories", json=[{"name": "Bath", "tree_id": 1}])
    assert response.status_code == 409
    assert response.json() == body(
        409, "The category name is a duplicate", {"0.name": "The category name is a duplicate"}
    )


def test_tree_categories_body_must_be_an_array(bc):
    response = bc.post("/trees/categories", json={"name": "Bath", "tree_id": 1})
    assert response.status_code == 422
    assert response.json() == body(422, INVALID)
