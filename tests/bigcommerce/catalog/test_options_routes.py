"""Variant options, modifiers and their values over HTTP: shapes, paging, includes and exact error bodies."""

from __future__ import annotations

import pytest

from .conftest import STATUS_TYPE, make_product


def body(status, title, errors=None):
    return {"status": status, "title": title, "type": STATUS_TYPE, "errors": {} if errors is None else errors}


NOT_FOUND = body(404, "The requested resource was not found.")
SIZE = {
    "display_name": "Size",
    "type": "rectangles",
    "option_values": [{"label": "S", "sort_order": 0}, {"label": "M", "sort_order": 1, "is_default": True}],
}
CHECKBOX = {"display_name": "Insurance", "type": "checkbox", "required": True, "config": {"checkbox_label": "$5"}}


@pytest.fixture
def product(bc):
    return make_product(bc, sku="W")


def make_option(bc, product, **overrides):
    response = bc.post(f"/products/{product['id']}/options", json={**SIZE, **overrides})
    assert response.status_code == 200, response.text
    return response.json()["data"]


# options
def test_create_option_answers_the_vendor_shape(bc, product, fake):
    fake.clock.freeze(1533313432)
    response = bc.post(f"/products/{product['id']}/options", json=SIZE)
    assert response.status_code == 200
    option = response.json()["data"]
    assert response.json()["meta"] == {}
    assert option == {
        "id": option["id"],
        "product_id": product["id"],
        "name": f"Size1533313432-{product['id']}",
        "display_name": "Size",
        "type": "rectangles",
        "sort_order": 0,
        "config": [],
        "option_values": [
            {
                "id": option["option_values"][0]["id"],
                "label": "S",
                "sort_order": 0,
                "value_data": None,
                "is_default": False,
            },
            {
                "id": option["option_values"][1]["id"],
                "label": "M",
                "sort_order": 1,
                "value_data": None,
                "is_default": True,
            },
        ],
    }


def test_list_options_is_paged(bc, product):
    make_option(bc, product)
    make_option(bc, product, display_name="Color", option_values=[{"label": "Red", "sort_order": 0}])
    response = bc.get(f"/products/{product['id']}/options?limit=1&page=2")
    assert response.status_code == 200
    assert [o["display_name"] for o in response.json()["data"]] == ["Color"]
    assert response.json()["meta"]["pagination"]["total"] == 2


def test_get_option_include_fields(bc, product):
    option = make_option(bc, product)
    response = bc.get(f"/products/{product['id']}/options/{option['id']}?include_fields=display_name")
    assert response.json() == {"data": {"id": option["id"], "display_name": "Size"}, "meta": {}}


def test_update_option_renames_and_adds_a_value(bc, product):
    option = make_option(bc, product)
    small = option["option_values"][0]["id"]
    response = bc.put(
        f"/products/{product['id']}/options/{option['id']}",
        json={
            "display_name": "Shirt size",
            "option_values": [{"id": small, "label": "XS"}, {"label": "L", "sort_order": 2}],
        },
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["display_name"] == "Shirt size"
    assert [v["label"] for v in data["option_values"]] == ["XS", "M", "L"]


def test_delete_option(bc, product):
    option = make_option(bc, product)
    assert bc.delete(f"/products/{product['id']}/options/{option['id']}").status_code == 204
    assert bc.get(f"/products/{product['id']}/options/{option['id']}").json() == NOT_FOUND


def test_option_variants_by_id_and_by_name_meet(bc, product):
    option = make_option(bc, product)
    by_id = {"id": option["option_values"][0]["id"], "option_id": option["id"]}
    first = bc.post(f"/products/{product['id']}/variants", json={"sku": "W-S", "option_values": [by_id]}).json()["data"]
    by_name = {"option_display_name": "size", "label": "m"}
    second = bc.post(f"/products/{product['id']}/variants", json={"sku": "W-M", "option_values": [by_name]}).json()
    assert first["option_values"] == [{**by_id, "label": "S", "option_display_name": "Size"}]
    assert second["data"]["option_values"][0]["option_id"] == option["id"]
    assert len(bc.get(f"/products/{product['id']}/options").json()["data"]) == 1


def test_get_product_include_options_and_modifiers(bc, product):
    option = make_option(bc, product)
    modifier = bc.post(f"/products/{product['id']}/modifiers", json=CHECKBOX).json()["data"]
    data = bc.get(f"/products/{product['id']}?include=options,modifiers").json()["data"]
    assert data["options"] == [option]
    assert data["modifiers"] == [modifier]


def test_list_products_with_options_holds_10_per_page(bc):
    for n in range(12):
        make_product(bc, name=f"P{n}")
    response = bc.get("/products?include=options&limit=50")
    assert len(response.json()["data"]) == 10
    assert response.json()["meta"]["pagination"]["per_page"] == 10


# option values
def test_option_values_crud(bc, product):
    option = make_option(bc, product)
    base = f"/products/{product['id']}/options/{option['id']}/values"
    created = bc.post(base, json={"label": "L", "sort_order": 2, "value_data": {"colors": ["#000000"]}})
    assert created.status_code == 200
    value = created.json()["data"]
    assert value == {
        "id": value["id"],
        "label": "L",
        "sort_order": 2,
        "value_data": {"colors": ["#000000"]},
        "is_default": False,
    }
    assert bc.get(f"{base}/{value['id']}").json() == {"data": value, "meta": {}}
    updated = bc.put(f"{base}/{value['id']}", json={"label": "Large"}).json()["data"]
    assert updated["label"] == "Large"
    listed = bc.get(base).json()
    assert [v["label"] for v in listed["data"]] == ["S", "M", "Large"]
    assert listed["meta"]["pagination"]["total"] == 3
    assert bc.delete(f"{base}/{value['id']}").status_code == 204
    assert bc.get(f"{base}/{value['id']}").json() == NOT_FOUND


# modifiers
def test_create_checkbox_modifier_answers_yes_and_no(bc, product):
    response = bc.post(f"/products/{product['id']}/modifiers", json=CHECKBOX)
    assert response.status_code == 200
    modifier = response.json()["data"]
    assert (modifier["type"], modifier["required"], modifier["config"]) == ("checkbox", True, {"checkbox_label": "$5"})
    yes, no = modifier["option_values"]
    assert yes == {
        "id": yes["id"],
        "option_id": modifier["id"],
        "label": "Yes",
        "sort_order": 0,
        "value_data": {"checked_value": True},
        "is_default": False,
        "adjusters": {
            "price": {},
            "weight": {},
            "image_url": "",
            "purchasing_disabled": {"status": False, "message": ""},
        },
    }
    assert (no["label"], no["is_default"]) == ("No", True)


def test_modifier_value_adjuster_update(bc, product):
    modifier = bc.post(f"/products/{product['id']}/modifiers", json=CHECKBOX).json()["data"]
    yes = modifier["option_values"][0]["id"]
    path = f"/products/{product['id']}/modifiers/{modifier['id']}/values/{yes}"
    adjusters = {"price": {"adjuster": "relative", "adjuster_value": 5}}
    data = bc.put(path, json={"adjusters": adjusters}).json()["data"]
    assert data["adjusters"]["price"] == {"adjuster": "relative", "adjuster_value": 5}


def test_delete_modifier(bc, product, events):
    modifier = bc.post(f"/products/{product['id']}/modifiers", json=CHECKBOX).json()["data"]
    events.clear()
    assert bc.delete(f"/products/{product['id']}/modifiers/{modifier['id']}").status_code == 204
    assert events == [("store/product/updated", {"type": "product", "id": product["id"]})]
    assert bc.get(f"/products/{product['id']}/modifiers").json()["data"] == []


def test_modifier_is_not_an_option(bc, product):
    modifier = bc.post(f"/products/{product['id']}/modifiers", json=CHECKBOX).json()["data"]
    assert bc.get(f"/products/{product['id']}/options/{modifier['id']}").json() == NOT_FOUND


# errors
def test_create_option_missing_fields(bc, product):
    response = bc.post(f"/products/{product['id']}/options", json={"type": "dropdown"})
    assert response.status_code == 422
    assert response.json() == body(
        422,
        "JSON data is missing or invalid",
        {"display_name": "error.path.missing.", "option_values": "error.path.missing."},
    )


def test_create_option_bad_type(bc, product):
    response = bc.post(f"/products/{product['id']}/options", json={**SIZE, "type": "checkbox"})
    assert response.status_code == 422
    assert response.json() == body(422, "JSON data is missing or invalid", {"type": "error.expected.validenumvalue"})


def test_create_option_duplicate_display_name(bc, product):
    make_option(bc, product)
    response = bc.post(f"/products/{product['id']}/options", json=SIZE)
    assert response.status_code == 409
    assert response.json() == body(
        409, "The option display name is a duplicate", {"display_name": "The option display name is a duplicate"}
    )


def test_create_option_duplicate_label(bc, product):
    option = make_option(bc, product)
    response = bc.post(f"/products/{product['id']}/options/{option['id']}/values", json={"label": "s", "sort_order": 5})
    assert response.status_code == 422
    assert response.json() == body(
        422, "The option value label is a duplicate", {"label": "The option value label is a duplicate"}
    )


def test_create_option_value_missing_fields(bc, product):
    option = make_option(bc, product)
    response = bc.post(f"/products/{product['id']}/options/{option['id']}/values", json={"is_default": True})
    assert response.json() == body(
        422, "JSON data is missing or invalid", {"label": "error.path.missing.", "sort_order": "error.path.missing."}
    )


def test_create_variant_with_unknown_option_value(bc, product):
    option = make_option(bc, product)
    values = [{"id": 987654, "option_id": option["id"]}]
    response = bc.post(f"/products/{product['id']}/variants", json={"sku": "W-X", "option_values": values})
    assert response.status_code == 422
    assert response.json() == body(
        422,
        f"The option value 987654 of option {option['id']} does not exist on this product",
        {"option_values[0]": "error.notFound"},
    )


def test_checkbox_modifier_values_are_fixed(bc, product):
    modifier = bc.post(f"/products/{product['id']}/modifiers", json=CHECKBOX).json()["data"]
    path = f"/products/{product['id']}/modifiers/{modifier['id']}/values"
    response = bc.post(path, json={"label": "Maybe", "sort_order": 3})
    assert response.status_code == 422
    assert response.json() == body(
        422, "A checkbox modifier has exactly the values Yes and No; they can only be updated"
    )


def test_modifier_config_errors_name_the_field(bc, product):
    modifier = {"display_name": "Note", "type": "text", "required": False, "config": {"text_max_length": "long"}}
    response = bc.post(f"/products/{product['id']}/modifiers", json=modifier)
    assert response.json() == body(
        422, "JSON data is missing or invalid", {"config.text_max_length": "error.expected.jsnumber"}
    )


@pytest.mark.parametrize(
    "path",
    [
        "/products/999/options",
        "/products/999/modifiers",
        "/products/{product}/options/999",
        "/products/{product}/modifiers/999/values",
        "/products/{product}/options/{option}/values/999",
    ],
)
def test_unknown_parent_or_record_is_404(bc, product, path):
    option = make_option(bc, product)
    response = bc.get(path.format(product=product["id"], option=option["id"]))
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_options_need_the_products_scope(app):
    import httpx

    from storefake.transport import SyncASGITransport

    base = "http://testserver/stores/abc123/v3/catalog"
    headers = {"X-Auth-Token": "storefake-bc-readonly-token"}
    with httpx.Client(transport=SyncASGITransport(app), base_url=base, headers=headers) as client:
        assert client.get("/products/1/options").status_code == 404  # read is allowed; the product is unknown
        response = client.post("/products/1/options", json=SIZE)
    assert response.status_code == 403
    assert response.json() == body(403, "You don't have a required scope to access the endpoint")
