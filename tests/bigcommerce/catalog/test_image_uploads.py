"""Multipart `image_file` uploads on product images: validation, the image's URLs, and the fake serving them."""

from __future__ import annotations

import httpx
import pytest

import storefake
from storefake.bigcommerce.state.catalog_images import form_fields, image_media_type
from storefake.server import ThreadedServer
from storefake.transport import SyncASGITransport

from .conftest import STATUS_TYPE, make_product

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
GIF = b"GIF89a" + bytes(32)


def body(status, title, errors=None):
    return {"status": status, "title": title, "type": STATUS_TYPE, "errors": {} if errors is None else errors}


def upload(bc, product_id, data=PNG, name="front view.png", **fields):
    return bc.post(f"/products/{product_id}/images", files={"image_file": (name, data, "image/png")}, data=fields)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"\xff\xd8\xff\xe0" + bytes(16), "image/jpeg"),
        (PNG, "image/png"),
        (GIF, "image/gif"),
        (b"BM" + bytes(40), "image/bmp"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"#define logo_width 8\n#define logo_height 1\nstatic char logo_bits[] = {0x00};", "image/x-xbitmap"),
        (b"\x00\x00\x08\x02\xff\x00", "image/vnd.wap.wbmp"),
        (b"%PDF-1.4", None),
        (b"\x00\x00\x08\x02\xff", None),  # a WBMP header with too few pixel bytes
        (b"", None),
    ],
)
def test_image_media_type_by_first_bytes(data, media_type):
    assert image_media_type(data) == media_type


def test_form_fields_take_the_json_types():
    assert form_fields({"is_thumbnail": "true", "sort_order": "3", "description": "x"}) == {
        "is_thumbnail": True,
        "sort_order": 3,
        "description": "x",
    }


def test_create_image_upload_answers_the_image(bc):
    product = make_product(bc)
    response = upload(bc, product["id"], description="Front", sort_order="2")
    assert response.status_code == 200
    image = response.json()["data"]
    assert (image["product_id"], image["description"], image["sort_order"], image["is_thumbnail"]) == (
        product["id"],
        "Front",
        2,
        True,
    )
    assert image["image_file"].startswith("f/")
    assert image["image_file"].endswith(".png")
    prefix = f"http://testserver/__storefake/bigcommerce/stores/abc123/images/1280x1280/{product['id']}/{image['id']}/"
    assert image["url_zoom"].startswith(prefix)
    assert response.json()["meta"] == {}


def test_uploaded_image_is_served_at_its_urls(bc):
    product = make_product(bc)
    image = upload(bc, product["id"], data=GIF, name="anim.gif").json()["data"]
    for key in ("url_zoom", "url_standard", "url_thumbnail", "url_tiny"):
        served = bc.get(image[key])
        assert (served.status_code, served.headers["content-type"], served.content) == (200, "image/gif", GIF)


def test_uploaded_image_is_served_by_a_real_server(app):
    with ThreadedServer(app) as server:
        base = f"{server.url}/stores/abc123/v3/catalog"
        with httpx.Client(base_url=base, headers={"X-Auth-Token": "storefake-bc-token"}) as bc:
            product = make_product(bc)
            image = upload(bc, product["id"]).json()["data"]
            assert image["url_standard"].startswith(server.url + "/__storefake/")
            assert httpx.get(image["url_standard"]).content == PNG


def test_deleted_image_is_no_longer_served(bc):
    product = make_product(bc)
    image = upload(bc, product["id"]).json()["data"]
    assert bc.delete(f"/products/{product['id']}/images/{image['id']}").status_code == 204
    gone = bc.get(image["url_zoom"])
    assert (gone.status_code, gone.json()) == (404, {"error": "no such uploaded image"})


def test_create_image_upload_without_a_file_part(bc):
    product = make_product(bc)
    response = bc.post(
        f"/products/{product['id']}/images",
        files={"image_url": (None, "https://example.com/a.png")},
    )
    assert response.status_code == 422
    assert response.json() == body(422, "image_file must be present if uploading by file")


def test_create_image_upload_not_an_image(bc):
    product = make_product(bc)
    response = upload(bc, product["id"], data=b"%PDF-1.4 not an image", name="doc.pdf")
    assert response.status_code == 422
    assert response.json() == body(
        422, "The image_file is not an image of a supported type (BMP, GIF, JPEG, PNG, WBMP, XBM or WEBP)"
    )


def test_create_image_upload_bad_sort_order(bc):
    product = make_product(bc)
    response = upload(bc, product["id"], sort_order="first")
    assert response.status_code == 422
    assert response.json() == body(422, "JSON data is missing or invalid", {"sort_order": "error.expected.jsnumber"})


def test_create_image_upload_above_8_mb(bc, fake, monkeypatch):
    monkeypatch.setattr("storefake.bigcommerce.state.catalog_images.MAX_IMAGE_BYTES", 16)
    product = make_product(bc)
    response = upload(bc, product["id"], data=PNG)
    assert response.status_code == 413
    assert response.json() == body(413, "The image_file is larger than 8 MB")


def test_create_image_upload_unknown_product(bc):
    response = upload(bc, 404)
    assert response.status_code == 404
    assert response.json() == body(404, "The requested resource was not found.")


def test_updating_an_upload_with_an_image_url_replaces_the_file(bc):
    product = make_product(bc)
    image = upload(bc, product["id"]).json()["data"]
    path = f"/products/{product['id']}/images/{image['id']}"
    updated = bc.put(path, json={"image_url": "https://example.com/other.jpg"}).json()["data"]
    assert updated["url_zoom"].startswith("https://cdn11.bigcommerce.com/s-abc123/")
    assert bc.get(image["url_zoom"]).status_code == 404


def test_deleting_the_product_forgets_its_uploads(bc, catalog):
    product = make_product(bc)
    upload(bc, product["id"])
    bc.delete(f"/products/{product['id']}")
    assert catalog.image_files == {}


def test_create_image_upload_file_name_is_made_url_safe(bc):
    product = make_product(bc)
    image = upload(bc, product["id"], name="caf\u00e9 front.png").json()["data"]
    assert image["url_tiny"].isascii()
    assert f"/{product['id']}/{image['id']}/caf__front__" in image["url_tiny"]
    assert bc.get(image["url_tiny"]).content == PNG


def test_create_image_upload_malformed_multipart_is_400(bc):
    product = make_product(bc)
    response = bc.post(
        f"/products/{product['id']}/images", content=b"garbage", headers={"Content-Type": "multipart/form-data"}
    )
    assert response.status_code == 400
    assert response.json() == body(400, "Missing boundary in multipart.")


def test_create_image_upload_with_two_files_is_400(bc):
    product = make_product(bc)
    files = [("image_file", ("a.png", PNG, "image/png")), ("image_file", ("b.png", PNG, "image/png"))]
    response = bc.post(f"/products/{product['id']}/images", files=files)
    assert response.status_code == 400
    assert response.json() == body(400, "Too many files. Maximum number of files is 1.")


def test_create_image_upload_above_the_body_limit_is_the_surfaces_413():
    app = storefake.create_app(storefake.Config(max_body_bytes=1024))
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
        response = client.post(
            "/stores/abc123/v3/catalog/products/1/images",
            files={"image_file": ("big.png", PNG + bytes(2048), "image/png")},
            headers={"X-Auth-Token": "storefake-bc-token"},
        )
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_create_image_past_1000_images_is_422(bc, catalog):
    product = make_product(bc)
    for n in range(1000):
        catalog.create_image(product["id"], {"image_url": f"https://example.com/{n}.jpg"})
    response = upload(bc, product["id"])
    assert response.status_code == 422
    assert response.json() == body(422, "A product can have up to 1000 images", {"images": "error.max"})
    by_url = bc.post(f"/products/{product['id']}/images", json={"image_url": "https://example.com/x.jpg"})
    assert (by_url.status_code, by_url.json()) == (response.status_code, response.json())


def test_create_product_with_more_than_1000_images_is_422(bc):
    images = [{"image_url": f"https://example.com/{n}.jpg"} for n in range(1001)]
    response = bc.post("/products", json={"name": "W", "type": "physical", "price": 1, "weight": 1, "images": images})
    assert response.status_code == 422
    assert response.json() == body(422, "A product can have up to 1000 images", {"images": "error.max"})
    assert bc.get("/products").json()["data"] == []


def test_update_product_past_1000_images_changes_nothing(bc, catalog):
    product = make_product(bc)
    for n in range(999):
        catalog.create_image(product["id"], {"image_url": f"https://example.com/{n}.jpg"})
    images = [{"image_url": "https://example.com/a.jpg"}, {"image_url": "https://example.com/b.jpg"}]
    response = bc.put(f"/products/{product['id']}", json={"name": "Renamed", "images": images})
    assert response.status_code == 422
    assert response.json() == body(422, "A product can have up to 1000 images", {"images": "error.max"})
    assert bc.get(f"/products/{product['id']}").json()["data"]["name"] == "Widget"
    assert len(catalog.images.ids_for("product_id", product["id"])) == 999


def test_update_products_batch_past_1000_images_changes_nothing(bc, catalog):
    first, second = make_product(bc, name="First"), make_product(bc, name="Second")
    for n in range(1000):
        catalog.create_image(second["id"], {"image_url": f"https://example.com/{n}.jpg"})
    batch = [
        {"id": first["id"], "name": "First renamed"},
        {"id": second["id"], "images": [{"image_url": "https://example.com/x.jpg"}]},
    ]
    response = bc.put("/products", json=batch)
    assert response.status_code == 422
    assert response.json() == body(422, "A product can have up to 1000 images", {"images": "error.max"})
    assert bc.get(f"/products/{first['id']}").json()["data"]["name"] == "First"
