"""The V3 catalog over HTTP (in-process app, real httpx client): shapes, filters, paging, events."""

from __future__ import annotations

import re

import pytest

from .conftest import HOODIE, make_product

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


# products
def test_create_product_answers_200_with_data_and_empty_meta(bc, events):
    response = bc.post("/products", json=HOODIE)
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {}
    product = body["data"]
    assert product["name"] == "Premium Hoodie"
    assert product["calculated_price"] == 79.99
    assert product["custom_url"] == {"url": "/premium-hoodie/", "is_customized": False}
    assert isinstance(product["base_variant_id"], int)
    assert ISO.match(product["date_created"])
    assert ISO.match(product["date_modified"])
    assert ("store/product/created", {"type": "product", "id": product["id"]}) in events
    base_sku_event = (
        "store/sku/created",
        {
            "type": "sku",
            "id": product["base_variant_id"],
            "sku": {"product_id": product["id"], "variant_id": product["base_variant_id"]},
        },
    )
    assert base_sku_event in events


def test_create_product_without_sku_announces_no_sku(bc, events):
    product = make_product(bc)
    assert events == [("store/product/created", {"type": "product", "id": product["id"]})]


def test_create_product_dates_follow_the_fake_clock(bc, fake):
    fake.clock.freeze(1534344526)
    product = make_product(bc)
    assert product["date_created"] == "2018-08-15T14:48:46+00:00"


def test_get_product_by_id(bc):
    created = make_product(bc, sku="W-1")
    response = bc.get(f"/products/{created['id']}")
    assert response.status_code == 200
    assert response.json() == {"data": created, "meta": {}}


def test_get_product_include_sub_resources(bc):
    created = make_product(bc, custom_fields=[{"name": "fabric", "value": "cotton"}])
    bc.post(f"/products/{created['id']}/images", json={"image_url": "https://example.com/img/hoodie.png"})
    data = bc.get(f"/products/{created['id']}?include=variants,images,custom_fields,primary_image").json()["data"]
    assert [v["id"] for v in data["variants"]] == [created["base_variant_id"]]
    assert data["images"][0]["url_standard"].endswith(".png")
    assert data["custom_fields"] == [{"id": data["custom_fields"][0]["id"], "name": "fabric", "value": "cotton"}]
    assert data["primary_image"] == data["images"][0]


def test_include_fields_and_exclude_fields_trim_but_keep_id(bc):
    created = make_product(bc)
    only = bc.get(f"/products/{created['id']}?include_fields=name,price").json()["data"]
    assert only == {"id": created["id"], "name": "Widget", "price": 10}
    without = bc.get(f"/products/{created['id']}?exclude_fields=description,id").json()["data"]
    assert "description" not in without
    assert without["id"] == created["id"]


def test_update_product_merges_and_emits_updated_and_inventory(bc, events):
    created = make_product(bc, inventory_tracking="product", inventory_level=100)
    events.clear()
    response = bc.put(f"/products/{created['id']}", json={"inventory_level": 75, "sale_price": 5})
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["inventory_level"], data["calculated_price"], data["name"]) == (75, 5, "Widget")
    assert events == [
        ("store/product/updated", {"type": "product", "id": created["id"]}),
        (
            "store/product/inventory/updated",
            {
                "type": "product",
                "id": created["id"],
                "inventory": {"product_id": created["id"], "method": "absolute", "value": 75},
            },
        ),
        (  # the Inventory API's view of the same change, at the default location
            "store/channel/*/inventory/product/stock_changed",
            {"variant_id": created["base_variant_id"], "product_id": created["id"], "location_id": 1},
        ),
    ]


def test_update_product_moves_date_modified(bc, fake):
    fake.clock.freeze(1_600_000_000)
    created = make_product(bc)
    fake.clock.advance(60)
    data = bc.put(f"/products/{created['id']}", json={"name": "Renamed"}).json()["data"]
    assert data["date_created"] == "2020-09-13T12:26:40+00:00"
    assert data["date_modified"] == "2020-09-13T12:27:40+00:00"


def test_batch_update_products(bc):
    a, b = make_product(bc, name="A"), make_product(bc, name="B")
    response = bc.put("/products", json=[{"id": a["id"], "price": 1}, {"id": b["id"], "is_visible": False}])
    assert response.status_code == 200
    data = response.json()["data"]
    assert [(p["id"], p["price"], p["is_visible"]) for p in data] == [(a["id"], 1, True), (b["id"], 10, False)]
    assert response.json()["meta"] == {}


def test_delete_product_by_id(bc, events):
    created = make_product(bc)
    events.clear()
    assert bc.delete(f"/products/{created['id']}").status_code == 204
    assert bc.get(f"/products/{created['id']}").status_code == 404
    assert events == [("store/product/deleted", {"type": "product", "id": created["id"]})]


def test_delete_products_by_filter(bc):
    ids = [make_product(bc, name=f"P{n}")["id"] for n in range(4)]
    response = bc.delete(f"/products?id:in={ids[0]},{ids[2]}")
    assert response.status_code == 204
    assert response.content == b""
    remaining = [p["id"] for p in bc.get("/products").json()["data"]]
    assert remaining == [ids[1], ids[3]]


# listing
@pytest.fixture
def shelf(bc):
    """Twelve products over two categories and a brand, with varied prices and flags."""
    bc.post("/categories", json={"name": "Mugs", "parent_id": 0})
    bc.post("/categories", json={"name": "Shirts", "parent_id": 0})
    bc.post("/brands", json={"name": "Acme"})
    made = []
    for n in range(1, 13):
        made.append(
            make_product(
                bc,
                name=f"{'Mug' if n % 2 else 'Shirt'} {n}",
                sku=f"SKU-{n:02d}",
                price=n * 5,
                categories=[1] if n % 2 else [2],
                brand_id=1 if n <= 4 else 0,
                is_featured=n % 3 == 0,
                is_visible=n != 7,
                inventory_level=n * 10,
                type="digital" if n == 12 else "physical",
                description="ceramic" if n == 5 else "",
            )
        )
    return made


def ids(response):
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["data"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("id=3", [3]),
        ("id:in=3,5,99", [3, 5]),
        ("id:not_in=1,2,3,4,5,6,7,8,9,10", [11, 12]),
        ("id:min=10", [10, 11, 12]),
        ("id:max=2", [1, 2]),
        ("id:greater=10", [11, 12]),
        ("id:less=3", [1, 2]),
        ("name=mug 3", [3]),
        ("name:like=hirt 1", [10, 12]),
        ("sku=sku-04", [4]),
        ("sku:in=SKU-01,SKU-09", [1, 9]),
        ("brand_id=1", [1, 2, 3, 4]),
        ("categories=2", [2, 4, 6, 8, 10, 12]),
        ("categories:in=1&id:max=5", [1, 3, 5]),
        ("price=15", [3]),
        ("is_visible=false", [7]),
        ("is_featured=true", [3, 6, 9, 12]),
        ("inventory_level=40", [4]),
        ("inventory_level:in=10,20", [1, 2]),
        ("inventory_level:not_in=10,20&id:max=4", [3, 4]),
        ("inventory_level:min=110", [11, 12]),
        ("inventory_level:max=20", [1, 2]),
        ("inventory_level:greater=110", [12]),
        ("inventory_level:less=20", [1]),
        ("type=digital", [12]),
        ("keyword=ceramic", [5]),
        ("keyword=SKU-1", [10, 11, 12]),
        ("is_featured=true&categories=1", [3, 9]),
        ("unknown_filter=1&id=2", [2]),
    ],
)
def test_list_products_filters(bc, shelf, query, expected):
    assert ids(bc.get(f"/products?{query}")) == expected


def test_list_products_date_modified_filters(bc, fake):
    fake.clock.freeze(1_700_000_000)  # 2023-11-14T22:13:20Z
    old = make_product(bc, name="Old")
    fake.clock.advance(3 * 86400)
    new = make_product(bc, name="New")
    assert ids(bc.get("/products?date_modified:min=2023-11-16")) == [new["id"]]
    assert ids(bc.get("/products?date_modified:max=2023-11-16T00:00:00")) == [old["id"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=price&direction=desc&limit=3", [12, 11, 10]),
        ("sort=name&limit=3", [1, 11, 3]),
        ("sort=sku&direction=desc&limit=2", [12, 11]),
        ("sort=inventory_level&limit=2", [1, 2]),
        ("direction=desc&limit=2", [12, 11]),
        ("sort=id&direction=desc&page=2&limit=5", [7, 6, 5, 4, 3]),
    ],
)
def test_list_products_sort_and_direction(bc, shelf, query, expected):
    assert ids(bc.get(f"/products?{query}")) == expected


def test_list_products_pagination_meta(bc, shelf):
    body = bc.get("/products?limit=5&page=2&is_visible=true").json()
    assert [p["id"] for p in body["data"]] == [6, 8, 9, 10, 11]
    assert body["meta"]["pagination"] == {
        "total": 11,
        "count": 5,
        "per_page": 5,
        "current_page": 2,
        "total_pages": 3,
        "links": {
            "previous": "?is_visible=true&page=1&limit=5",
            "current": "?is_visible=true&page=2&limit=5",
            "next": "?is_visible=true&page=3&limit=5",
        },
    }


def test_list_products_limit_defaults_to_50_and_caps_at_250(bc, catalog):
    for n in range(260):
        catalog.create_product({"name": f"N{n}", "type": "physical", "price": 1, "weight": 1})
    default = bc.get("/products").json()
    assert len(default["data"]) == 50
    assert default["meta"]["pagination"]["total_pages"] == 6
    capped = bc.get("/products?limit=1000").json()
    assert len(capped["data"]) == 250
    assert capped["meta"]["pagination"]["per_page"] == 250


def test_list_products_page_past_the_end_is_empty(bc, shelf):
    body = bc.get("/products?page=9").json()
    assert body["data"] == []
    assert body["meta"]["pagination"]["count"] == 0


def test_list_products_include_variants(bc, shelf):
    data = bc.get("/products?id=1&include=variants").json()["data"]
    assert data[0]["variants"][0]["sku"] == "SKU-01"


# variants
OPTIONS = [{"option_display_name": "Color", "label": "Black"}, {"option_display_name": "Size", "label": "Medium"}]


def test_create_variant_for_a_product(bc, events):
    product = make_product(bc, name="Premium Hoodie", sku="HOODIE-PREM", inventory_tracking="variant")
    events.clear()
    body = {"sku": "HOODIE-PREM-BLK-M", "price": 79.99, "inventory_level": 50, "option_values": OPTIONS}
    response = bc.post(f"/products/{product['id']}/variants", json=body)
    assert response.status_code == 200
    variant = response.json()["data"]
    assert variant["product_id"] == product["id"]
    assert [(o["option_display_name"], o["label"]) for o in variant["option_values"]] == [
        ("Color", "Black"),
        ("Size", "Medium"),
    ]
    assert events == [
        (
            "store/sku/created",
            {"type": "sku", "id": variant["sku_id"], "sku": {"product_id": product["id"], "variant_id": variant["id"]}},
        )
    ]
    refreshed = bc.get(f"/products/{product['id']}").json()["data"]
    assert refreshed["base_variant_id"] is None
    assert refreshed["inventory_level"] == 50


def test_update_variant_inventory_emits_sku_events(bc, events):
    product = make_product(bc, inventory_tracking="product", inventory_level=100)
    variant_id = product["base_variant_id"]
    events.clear()
    response = bc.put(f"/products/{product['id']}/variants/{variant_id}", json={"inventory_level": 25})
    assert response.status_code == 200
    assert response.json()["data"]["inventory_level"] == 25
    assert bc.get(f"/products/{product['id']}").json()["data"]["inventory_level"] == 25
    assert [scope for scope, _ in events] == [
        "store/sku/updated",
        "store/sku/inventory/updated",
        "store/channel/*/inventory/product/stock_changed",
    ]
    assert events[1][1] == {
        "type": "sku",
        "id": variant_id,
        "inventory": {"product_id": product["id"], "method": "absolute", "value": 25, "variant_id": variant_id},
    }


def test_get_list_and_delete_product_variants(bc):
    product = make_product(bc)
    created = bc.post(f"/products/{product['id']}/variants", json={"sku": "V-1", "option_values": OPTIONS}).json()[
        "data"
    ]
    got = bc.get(f"/products/{product['id']}/variants/{created['id']}")
    assert got.json()["data"] == created
    listed = bc.get(f"/products/{product['id']}/variants").json()
    assert [v["id"] for v in listed["data"]] == [created["id"]]
    assert listed["meta"]["pagination"]["total"] == 1
    assert bc.delete(f"/products/{product['id']}/variants/{created['id']}").status_code == 204
    assert bc.get(f"/products/{product['id']}/variants/{created['id']}").status_code == 404


def test_variant_of_another_product_is_404(bc):
    a, b = make_product(bc, name="A"), make_product(bc, name="B")
    assert bc.get(f"/products/{b['id']}/variants/{a['base_variant_id']}").status_code == 404


def test_all_variants_list_and_filters(bc, shelf):
    assert [v["sku"] for v in bc.get("/variants?sku=sku-03").json()["data"]] == ["SKU-03"]
    assert [v["product_id"] for v in bc.get("/variants?product_id:in=2,4").json()["data"]] == [2, 4]
    assert bc.get("/variants?limit=5").json()["meta"]["pagination"]["total"] == 12


def test_batch_update_variants(bc, shelf):
    body = [
        {"id": shelf[0]["base_variant_id"], "inventory_level": 1},
        {"id": shelf[1]["base_variant_id"], "price": 2.5},
    ]
    response = bc.put("/variants", json=body)
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data[0]["inventory_level"], data[1]["calculated_price"]) == (1, 2.5)


def test_batch_variants_can_create_with_product_sku_and_options(bc):
    product = make_product(bc)
    response = bc.put("/variants", json=[{"product_id": product["id"], "sku": "NEW-1", "option_values": OPTIONS}])
    assert response.status_code == 200
    assert response.json()["data"][0]["sku"] == "NEW-1"


# images
def test_product_images_crud(bc):
    product = make_product(bc)
    base = f"/products/{product['id']}/images"
    created = bc.post(base, json={"image_url": "https://example.com/photos/hoodie-front.jpg", "description": "front"})
    assert created.status_code == 200
    image = created.json()["data"]
    assert image["is_thumbnail"] is True
    assert image["url_zoom"].startswith("https://cdn11.bigcommerce.com/s-abc123/images/stencil/1280x1280/products/")
    assert "hoodie-front__" in image["url_tiny"]
    assert ISO.match(image["date_modified"])
    second = bc.post(base, json={"image_url": "https://example.com/b.jpg", "is_thumbnail": True}).json()["data"]
    assert bc.get(f"{base}/{image['id']}").json()["data"]["is_thumbnail"] is False
    listed = bc.get(base).json()
    assert [i["id"] for i in listed["data"]] == [image["id"], second["id"]]
    updated = bc.put(f"{base}/{image['id']}", json={"sort_order": 3}).json()["data"]
    assert updated["sort_order"] == 3
    assert bc.delete(f"{base}/{image['id']}").status_code == 204
    assert bc.get(f"{base}/{image['id']}").status_code == 404


# categories and brands
def test_categories_crud_and_filters(bc, events):
    top = bc.post("/categories", json={"name": "Clothing", "parent_id": 0})
    assert top.status_code == 200
    top_id = top.json()["data"]["id"]
    child = bc.post("/categories", json={"name": "Hoodies", "parent_id": top_id, "is_visible": False}).json()["data"]
    assert child["custom_url"] == {"url": "/clothing/hoodies/", "is_customized": False}
    assert ("store/category/created", {"type": "category", "id": child["id"]}) in events
    assert [c["id"] for c in bc.get(f"/categories?parent_id={top_id}").json()["data"]] == [child["id"]]
    assert [c["id"] for c in bc.get("/categories?name:like=hood").json()["data"]] == [child["id"]]
    assert [c["id"] for c in bc.get("/categories?is_visible=true").json()["data"]] == [top_id]
    renamed = bc.put(f"/categories/{child['id']}", json={"name": "Sweaters"}).json()["data"]
    assert renamed["name"] == "Sweaters"
    assert bc.get(f"/categories/{child['id']}").json()["data"] == renamed
    assert bc.delete(f"/categories/{child['id']}").status_code == 204
    assert bc.delete(f"/categories?id:in={top_id}").status_code == 204
    assert bc.get("/categories").json()["data"] == []


def test_brands_crud_and_filters(bc):
    created = bc.post("/brands", json={"name": "Acme Apparel", "page_title": "Acme"})
    assert created.status_code == 200
    brand = created.json()["data"]
    assert brand["custom_url"] == {"url": "/brands/acme-apparel.html", "is_customized": False}
    bc.post("/brands", json={"name": "Globex"})
    assert [b["name"] for b in bc.get("/brands?name=acme apparel").json()["data"]] == ["Acme Apparel"]
    assert [b["name"] for b in bc.get("/brands?name:like=glo").json()["data"]] == ["Globex"]
    updated = bc.put(f"/brands/{brand['id']}", json={"meta_keywords": ["a", "b"]}).json()["data"]
    assert updated["meta_keywords"] == ["a", "b"]
    assert bc.get(f"/brands/{brand['id']}").json()["data"] == updated
    assert bc.delete("/brands?name=Globex").status_code == 204
    assert bc.delete(f"/brands/{brand['id']}").status_code == 204
    assert bc.get("/brands").json()["meta"]["pagination"]["total"] == 0


def test_read_only_token_can_list_but_not_create(bc):
    headers = {"X-Auth-Token": "storefake-bc-readonly-token"}
    assert bc.get("/products", headers=headers).status_code == 200
    assert bc.post("/products", headers=headers, json=HOODIE).status_code == 403


def test_stores_do_not_see_each_others_catalog(bc, app):
    make_product(bc)
    other = bc.get(
        "http://testserver/stores/def456/v3/catalog/products", headers={"X-Auth-Token": "storefake-bc2-token"}
    )
    assert other.json()["data"] == []


def test_seed_through_the_control_api(bc, client):
    seed = {
        "bigcommerce": {
            "stores": {
                "abc123": {
                    "categories": [{"id": 23, "name": "Shop All"}],
                    "products": [dict(HOODIE, id=500, categories=[23])],
                }
            }
        }
    }
    assert client.post("/__storefake/seed", json=seed).status_code == 200
    assert bc.get("/products/500").json()["data"]["categories"] == [23]


def test_plain_reads_are_byte_identical_to_rendered_json(bc):
    from storefake.bigcommerce.render import JSONBody

    created = make_product(bc, name="Ünïcode Hoodie", description="naïve ☃")
    one = bc.get(f"/products/{created['id']}")
    assert one.headers["content-type"] == "application/json"
    assert one.content == JSONBody(one.json()).body
    listed = bc.get("/products?limit=5")
    assert listed.headers["content-type"] == "application/json"
    assert listed.content == JSONBody(listed.json()).body
    updated = bc.put(f"/products/{created['id']}", json={"price": 12.5}).json()["data"]
    assert bc.get(f"/products/{created['id']}").json()["data"] == updated  # the kept encoding went with the old record


def test_whole_floats_are_integers(bc):
    """JSON's 396.0 is the integer 396 (Play's Int reader takes it): stored and answered as an int."""
    category = bc.post("/categories", json={"name": "Floats", "parent_id": 0.0}).json()["data"]
    product = make_product(bc, inventory_level=396.0, categories=[float(category["id"])])
    assert (product["inventory_level"], product["categories"]) == (396, [category["id"]])
    image = bc.post(f"/products/{product['id']}/images", json={"image_url": "https://e.com/a.jpg"}).json()["data"]
    updated = bc.put(f"/products/{product['id']}/images/{image['id']}", json={"sort_order": -6835.0})
    assert updated.json()["data"]["sort_order"] == -6835
    assert bc.put("/products", json=[{"id": float(product["id"]), "price": 1}]).status_code == 200
    assert bc.post("/products", json={**HOODIE, "inventory_level": 1.5}).json()["errors"] == {
        "inventory_level": "error.expected.jsnumber"
    }
