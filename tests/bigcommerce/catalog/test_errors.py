"""Every V3 catalog error case: exact status and body (vendor-facts §2; UNVERIFIED titles noted in errors.py)."""

from __future__ import annotations

import pytest

from .conftest import HOODIE, STATUS_TYPE, make_product

OPTIONS = [{"option_display_name": "Size", "label": "S"}]


def body(status, title, errors=None):
    return {"status": status, "title": title, "type": STATUS_TYPE, "errors": {} if errors is None else errors}


NOT_FOUND = body(404, "The requested resource was not found.")
INVALID_JSON = body(422, "JSON data is missing or invalid")


def test_create_product_missing_required_fields(bc):
    response = bc.post("/products", json={"sku": "ONLY-SKU"})
    assert response.status_code == 422
    assert response.json() == body(
        422,
        "Missing Required Fields",
        {
            "name": "Please provide a name.",
            "type": "Please provide a type.",
            "weight": "Please provide a weight.",
            "price": "Please provide a price.",
        },
    )


def test_create_product_wrong_types(bc):
    response = bc.post("/products", json={**HOODIE, "price": "79.99", "type": "hoodie", "categories": "23"})
    assert response.status_code == 422
    assert response.json() == body(
        422,
        "JSON data is missing or invalid",
        {
            "price": "error.expected.jsnumber",
            "type": "error.expected.validenumvalue",
            "categories": "error.expected.jsarray",
        },
    )


@pytest.mark.parametrize("raw", [b"", b"{", b"not json", b"\xff\xfe"])
def test_create_product_malformed_json(bc, raw):
    response = bc.post("/products", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json() == INVALID_JSON


@pytest.mark.parametrize("payload", [[], "text", 12, None])
def test_create_product_body_not_an_object(bc, payload):
    response = bc.post("/products", json=payload)
    assert response.status_code == 422
    assert response.json() == INVALID_JSON


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name":"N","type":"physical","weight":1,"price":NaN}',
        b'{"name":"N","type":"physical","weight":1,"price":1e400}',
    ],
)
def test_create_product_non_finite_number(bc, raw):
    response = bc.post("/products", content=raw)
    assert response.status_code == 422
    assert response.json() == body(422, "JSON data is missing or invalid", {"price": "error.expected.jsnumber"})


def test_create_product_name_too_long_or_blank(bc):
    long = bc.post("/products", json={**HOODIE, "name": "x" * 251})
    assert long.json() == body(422, "JSON data is missing or invalid", {"name": "error.maxLength"})
    blank = bc.post("/products", json={**HOODIE, "name": "  "})
    assert blank.json() == body(422, "JSON data is missing or invalid", {"name": "error.minLength"})


def test_create_product_duplicate_name_is_409(bc):
    make_product(bc, name="Premium Hoodie")
    response = bc.post("/products", json={**HOODIE, "sku": "OTHER"})
    assert response.status_code == 409
    assert response.json() == body(409, "The product name is a duplicate", {"name": "The product name is a duplicate"})


def test_create_product_duplicate_sku_is_409(bc):
    make_product(bc, name="First", sku="HOODIE-PREM")
    response = bc.post("/products", json=HOODIE)
    assert response.status_code == 409
    assert response.json() == body(409, "The product sku is a duplicate", {"sku": "The product sku is a duplicate"})


def test_create_product_duplicate_custom_url_is_409(bc):
    make_product(bc, name="First", custom_url={"url": "/hoodie/", "is_customized": True})
    response = bc.post("/products", json={**HOODIE, "custom_url": {"url": "/hoodie/", "is_customized": True}})
    assert response.status_code == 409
    assert response.json() == body(
        409, "The custom url is a duplicate", {"custom_url": "The custom url is a duplicate"}
    )


def test_create_product_unknown_category_is_409(bc):
    response = bc.post("/products", json={**HOODIE, "categories": [23]})
    assert response.status_code == 409
    assert response.json() == body(409, "The category 23 does not exist", {"categories": "invalid"})


def test_create_product_unknown_brand_is_409(bc):
    response = bc.post("/products", json={**HOODIE, "brand_id": 9})
    assert response.status_code == 409
    assert response.json() == body(409, "The brand_id 9 does not exist", {"brand_id": "invalid"})


def test_refused_create_leaves_nothing_behind(bc):
    make_product(bc, name="Taken", sku="TAKEN")
    response = bc.post("/products", json={**HOODIE, "variants": [{"sku": "TAKEN", "option_values": OPTIONS}]})
    assert response.status_code == 409
    bad_image = bc.post("/products", json={**HOODIE, "images": [{"description": "no url"}]})
    assert bad_image.status_code == 422
    assert bc.get("/products").json()["meta"]["pagination"]["total"] == 1
    assert bc.get("/variants").json()["meta"]["pagination"]["total"] == 1


NOT_IDS = ["/products/\u00b9", "/products/\u0663"]  # a superscript one, an Arabic-Indic three: digits, not ids


@pytest.mark.parametrize(
    "path", ["/products/999", "/products/abc", "/products/-1", "/products/99999999999999999999999", *NOT_IDS]
)
def test_get_unknown_product_is_404(bc, path):
    response = bc.get(path)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_update_and_delete_unknown_product_are_404(bc):
    assert bc.put("/products/999", json={"price": 1}).json() == NOT_FOUND
    response = bc.delete("/products/999")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_update_product_to_a_taken_name_is_409(bc):
    make_product(bc, name="A")
    b = make_product(bc, name="B")
    response = bc.put(f"/products/{b['id']}", json={"name": "a"})
    assert response.status_code == 409
    assert response.json()["title"] == "The product name is a duplicate"


def test_batch_update_more_than_10_is_413(bc):
    response = bc.put("/products", json=[{"id": n, "price": 1} for n in range(1, 12)])
    assert response.status_code == 413
    assert response.json() == body(
        413, "The request payload is too large. The maximum items allowed in the array is 10."
    )


def test_batch_update_not_an_array_is_422(bc):
    response = bc.put("/products", json={"id": 1})
    assert response.status_code == 422
    assert response.json() == INVALID_JSON


def test_batch_update_item_without_id_is_422(bc):
    response = bc.put("/products", json=[{"price": 1}])
    assert response.status_code == 422
    assert response.json() == body(422, "JSON data is missing or invalid", {"id": "error.path.missing."})


def test_batch_update_unknown_id_is_404_and_changes_nothing(bc):
    product = make_product(bc)
    response = bc.put("/products", json=[{"id": product["id"], "price": 99}, {"id": 4242, "price": 1}])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert bc.get(f"/products/{product['id']}").json()["data"]["price"] == 10


def test_batch_update_names_clashing_inside_the_batch_is_409(bc):
    a, b = make_product(bc, name="A"), make_product(bc, name="B")
    response = bc.put("/products", json=[{"id": a["id"], "name": "C"}, {"id": b["id"], "name": "c"}])
    assert response.status_code == 409
    assert bc.get(f"/products/{a['id']}").json()["data"]["name"] == "A"


def test_batch_update_swapping_names_is_allowed(bc):
    a, b = make_product(bc, name="A", sku="SA"), make_product(bc, name="B", sku="SB")
    response = bc.put("/products", json=[{"id": a["id"], "name": "Z"}, {"id": b["id"], "name": "A"}])
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["", "?unknown=1", "?page=2"])
def test_delete_products_without_a_filter_is_422(bc, query):
    make_product(bc)
    response = bc.delete(f"/products{query}")
    assert response.status_code == 422
    assert response.json() == body(422, "At least one filter is required.")
    assert bc.get("/products").json()["meta"]["pagination"]["total"] == 1


@pytest.mark.parametrize(
    ("query", "name"),
    [("id=abc", "id"), ("id:in=1,x", "id:in"), ("price:min=cheap", "price:min"), ("is_visible=maybe", "is_visible"),
     ("date_modified:min=yesterday", "date_modified:min"), ("price=nan", "price")],
)  # fmt: skip
def test_list_products_badly_typed_filter_is_422(bc, query, name):
    response = bc.get(f"/products?{query}")
    assert response.status_code == 422
    assert response.json() == body(422, f"The filter(s): {name} are not valid filter parameter(s).")


@pytest.mark.parametrize(("query", "name"), [("page=x", "page"), ("limit=ten", "limit")])
def test_list_products_bad_paging_is_422(bc, query, name):
    response = bc.get(f"/products?{query}")
    assert response.status_code == 422
    assert response.json()["title"] == f"The filter(s): {name} are not valid filter parameter(s)."


def test_method_not_allowed_is_a_v3_405(bc):
    response = bc.patch("/products")
    assert response.status_code == 405
    assert response.json() == body(405, "Method Not Allowed")


def test_method_not_allowed_allow_lists_every_method_of_the_path(bc):
    # Each method of these paths is its own route; the Allow header names them all (RFC 9110).
    product = make_product(bc)
    assert bc.patch("/products").headers["allow"] == "DELETE, GET, HEAD, POST, PUT"
    assert bc.post(f"/products/{product['id']}").headers["allow"] == "DELETE, GET, HEAD, PUT"


def test_missing_scope_and_token_on_catalog(bc):
    noscope = bc.get("/products", headers={"X-Auth-Token": "storefake-bc-noscope-token"})
    assert noscope.status_code == 403
    assert noscope.json() == body(403, "You don't have a required scope to access the endpoint")
    assert bc.get("/products", headers={"X-Auth-Token": "nope"}).status_code == 401


# variants
def test_create_variant_missing_sku_and_options(bc):
    product = make_product(bc)
    response = bc.post(f"/products/{product['id']}/variants", json={"price": 1})
    assert response.status_code == 422
    assert response.json() == body(
        422, "JSON data is missing or invalid", {"sku": "error.path.missing.", "option_values": "error.path.missing."}
    )


def test_create_variant_bad_option_value(bc):
    product = make_product(bc)
    response = bc.post(f"/products/{product['id']}/variants", json={"sku": "V", "option_values": [{"label": "S"}]})
    assert response.status_code == 422
    assert response.json() == body(422, "JSON data is missing or invalid", {"option_values[0]": "error.path.missing."})


def test_create_variant_duplicate_sku_is_409(bc):
    product = make_product(bc, sku="BASE")
    response = bc.post(f"/products/{product['id']}/variants", json={"sku": "base", "option_values": OPTIONS})
    assert response.status_code == 409
    assert response.json() == body(409, "The product sku is a duplicate", {"sku": "The product sku is a duplicate"})


def test_variant_of_unknown_product_is_404(bc):
    assert bc.post("/products/77/variants", json={"sku": "V", "option_values": OPTIONS}).json() == NOT_FOUND
    assert bc.get("/products/77/variants").json() == NOT_FOUND
    assert bc.get("/products/77/variants/1").json() == NOT_FOUND


def test_update_unknown_variant_is_404(bc):
    product = make_product(bc)
    response = bc.put(f"/products/{product['id']}/variants/999", json={"price": 1})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_batch_variants_more_than_50_is_413(bc):
    response = bc.put("/variants", json=[{"id": n} for n in range(51)])
    assert response.status_code == 413
    assert response.json() == body(
        413, "The request payload is too large. The maximum items allowed in the array is 50."
    )


def test_batch_variants_create_without_product_is_422(bc):
    response = bc.put("/variants", json=[{"sku": "X", "option_values": OPTIONS}])
    assert response.status_code == 422
    assert response.json() == body(422, "JSON data is missing or invalid", {"product_id": "error.path.missing."})


# images
@pytest.mark.parametrize("payload", [{}, {"image_url": ""}, {"image_url": 5}, {"description": "x"}])
def test_create_image_without_url_is_422(bc, payload):
    product = make_product(bc)
    response = bc.post(f"/products/{product['id']}/images", json=payload)
    assert response.status_code == 422
    assert response.json() == body(422, "image_url must be present if uploading by url")


def test_create_image_url_too_long_is_422(bc):
    product = make_product(bc)
    response = bc.post(f"/products/{product['id']}/images", json={"image_url": "https://e.com/" + "a" * 250})
    assert response.json() == body(422, "JSON data is missing or invalid", {"image_url": "error.maxLength"})


def test_images_of_unknown_product_or_image_are_404(bc):
    assert bc.get("/products/5/images").json() == NOT_FOUND
    product = make_product(bc)
    assert bc.get(f"/products/{product['id']}/images/5").json() == NOT_FOUND
    assert bc.delete(f"/products/{product['id']}/images/5").status_code == 404


# categories
def test_create_category_missing_fields(bc):
    response = bc.post("/categories", json={"description": "x"})
    assert response.status_code == 422
    assert response.json() == body(
        422, "JSON data is missing or invalid", {"name": "error.path.missing.", "parent_id": "error.path.missing."}
    )


def test_create_category_duplicate_name_under_parent_is_409(bc):
    bc.post("/categories", json={"name": "Bath", "parent_id": 0})
    response = bc.post("/categories", json={"name": "BATH", "parent_id": 0})
    assert response.status_code == 409
    assert response.json() == body(
        409, "The category name is a duplicate", {"name": "The category name is a duplicate"}
    )


def test_create_category_unknown_parent_is_422(bc):
    response = bc.post("/categories", json={"name": "Child", "parent_id": 404})
    assert response.status_code == 422
    assert response.json() == body(422, "The parent category 404 does not exist", {"parent_id": "invalid"})


def test_create_category_name_over_50_is_422(bc):
    response = bc.post("/categories", json={"name": "c" * 51, "parent_id": 0})
    assert response.json() == body(422, "JSON data is missing or invalid", {"name": "error.maxLength"})


def test_delete_category_holding_products_is_422(bc):
    category = bc.post("/categories", json={"name": "Bath", "parent_id": 0}).json()["data"]
    make_product(bc, categories=[category["id"]])
    response = bc.delete(f"/categories/{category['id']}")
    assert response.status_code == 422
    assert response.json() == body(422, f"The category {category['id']} has products assigned and cannot be deleted")
    assert bc.delete(f"/categories?id={category['id']}").status_code == 422


def test_delete_categories_without_filter_is_422(bc):
    response = bc.delete("/categories")
    assert response.status_code == 422
    assert response.json() == body(422, "At least one filter is required.")


def test_unknown_category_is_404(bc):
    assert bc.get("/categories/9").json() == NOT_FOUND
    assert bc.put("/categories/9", json={"name": "x"}).json() == NOT_FOUND
    assert bc.delete("/categories/9").status_code == 404


# brands
def test_create_brand_missing_name_is_422(bc):
    response = bc.post("/brands", json={"page_title": "x"})
    assert response.status_code == 422
    assert response.json() == body(422, "JSON data is missing or invalid", {"name": "error.path.missing."})


def test_create_brand_duplicate_name_is_409(bc):
    bc.post("/brands", json={"name": "Acme"})
    response = bc.post("/brands", json={"name": "acme"})
    assert response.status_code == 409
    assert response.json() == body(409, "The brand name is a duplicate", {"name": "The brand name is a duplicate"})


def test_delete_brands_needs_the_name_filter(bc):
    brand = bc.post("/brands", json={"name": "Acme"}).json()["data"]
    response = bc.delete(f"/brands?id={brand['id']}")
    assert response.status_code == 422
    assert response.json() == body(422, "At least one filter is required.")


def test_unknown_brand_is_404(bc):
    assert bc.get("/brands/9").json() == NOT_FOUND
    assert bc.put("/brands/9", json={"name": "x"}).json() == NOT_FOUND
    assert bc.delete("/brands/9").status_code == 404
