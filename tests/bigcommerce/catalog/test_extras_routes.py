"""Custom fields, bulk pricing rules, videos and reviews over HTTP: shapes, paging, includes, exact errors."""

from __future__ import annotations

import pytest

from .conftest import STATUS_TYPE, make_product


def body(status, title, errors=None):
    return {"status": status, "title": title, "type": STATUS_TYPE, "errors": {} if errors is None else errors}


NOT_FOUND = body(404, "The requested resource was not found.")
INVALID = "JSON data is missing or invalid"
REVIEW = {"title": "Great", "date_reviewed": "2011-12-31T13:40:42.971Z", "rating": 4, "status": "approved"}


@pytest.fixture
def product(bc):
    return make_product(bc)


# custom fields
def test_custom_fields_crud(bc, product):
    base = f"/products/{product['id']}/custom-fields"
    created = bc.post(base, json={"name": "ISBN", "value": "1234567890123"})
    assert created.status_code == 200
    field = created.json()["data"]
    assert field == {"id": field["id"], "name": "ISBN", "value": "1234567890123"}
    assert bc.get(f"{base}/{field['id']}").json() == {"data": field, "meta": {}}
    updated = bc.put(f"{base}/{field['id']}", json={"value": "42"}).json()["data"]
    assert updated == {**field, "value": "42"}
    assert bc.get(base).json()["data"] == [updated]
    assert bc.delete(f"{base}/{field['id']}").status_code == 204
    assert bc.get(f"{base}/{field['id']}").json() == NOT_FOUND


def test_custom_fields_show_in_the_product_include(bc, product):
    field = bc.post(f"/products/{product['id']}/custom-fields", json={"name": "a", "value": "b"}).json()["data"]
    assert bc.get(f"/products/{product['id']}?include=custom_fields").json()["data"]["custom_fields"] == [field]


def test_custom_fields_exclude_fields(bc, product):
    field = bc.post(f"/products/{product['id']}/custom-fields", json={"name": "a", "value": "b"}).json()["data"]
    listed = bc.get(f"/products/{product['id']}/custom-fields?exclude_fields=value").json()["data"]
    assert listed == [{"id": field["id"], "name": "a"}]


def test_custom_field_duplicate_pair(bc, product):
    bc.post(f"/products/{product['id']}/custom-fields", json={"name": "a", "value": "b"})
    response = bc.post(f"/products/{product['id']}/custom-fields", json={"name": "a", "value": "b"})
    assert response.status_code == 422
    title = "The custom field name and value pair is a duplicate"
    assert response.json() == body(422, title, {"name": title})


def test_custom_field_too_long(bc, product):
    response = bc.post(f"/products/{product['id']}/custom-fields", json={"name": "a", "value": "v" * 251})
    assert response.json() == body(422, INVALID, {"value": "error.maxLength"})


# bulk pricing rules
def test_bulk_pricing_rules_crud(bc, product):
    base = f"/products/{product['id']}/bulk-pricing-rules"
    created = bc.post(base, json={"quantity_min": 1, "quantity_max": 3, "type": "price", "amount": 1})
    assert created.status_code == 200
    rule = created.json()["data"]
    assert rule == {"id": rule["id"], "quantity_min": 1, "quantity_max": 3, "type": "price", "amount": 1}
    assert created.json()["meta"] == {}
    updated = bc.put(f"{base}/{rule['id']}", json={"type": "percent", "amount": ".25"}).json()["data"]
    assert (updated["type"], updated["amount"]) == ("percent", 0.25)
    assert bc.get(base).json()["meta"]["pagination"]["total"] == 1
    assert bc.delete(f"{base}/{rule['id']}").status_code == 204
    assert bc.get(f"{base}/{rule['id']}").json() == NOT_FOUND


def test_bulk_pricing_rule_overlap_is_409(bc, product):
    base = f"/products/{product['id']}/bulk-pricing-rules"
    bc.post(base, json={"quantity_min": 1, "quantity_max": 3, "type": "price", "amount": 1})
    response = bc.post(base, json={"quantity_min": 3, "quantity_max": 6, "type": "price", "amount": 2})
    assert response.status_code == 409
    title = "The bulk pricing rule overlaps another rule of the product"
    assert response.json() == body(409, title, {"quantity_min": title})


def test_bulk_pricing_rule_bad_amount(bc, product):
    body_ = {"quantity_min": 1, "quantity_max": 3, "type": "percent", "amount": "ten"}
    response = bc.post(f"/products/{product['id']}/bulk-pricing-rules", json=body_)
    assert response.status_code == 422
    assert response.json() == body(422, INVALID, {"amount": "error.expected.jsnumber"})


def test_product_create_with_bulk_pricing_rules_and_include(bc):
    rules = [{"quantity_min": 2, "quantity_max": 0, "type": "fixed", "amount": 7.5}]
    product = make_product(bc, bulk_pricing_rules=rules)
    data = bc.get(f"/products/{product['id']}?include=bulk_pricing_rules").json()["data"]
    assert [
        {k: r[k] for k in ("quantity_min", "quantity_max", "type", "amount")} for r in data["bulk_pricing_rules"]
    ] == [{"quantity_min": 2, "quantity_max": 0, "type": "fixed", "amount": 7.5}]


# videos
def test_videos_crud(bc, product):
    base = f"/products/{product['id']}/videos"
    created = bc.post(base, json={"video_id": "z3fRu9pkuXE", "title": "Writing", "sort_order": 1})
    assert created.status_code == 200
    video = created.json()["data"]
    assert video == {
        "id": video["id"],
        "type": "youtube",
        "video_id": "z3fRu9pkuXE",
        "product_id": product["id"],
        "sort_order": 1,
        "title": "Writing",
        "description": "",
        "length": "00:00",
    }
    updated = bc.put(f"{base}/{video['id']}", json={"description": "About docs"}).json()["data"]
    assert updated == {**video, "description": "About docs"}
    assert bc.get(f"/products/{product['id']}?include=videos").json()["data"]["videos"] == [updated]
    assert bc.delete(f"{base}/{video['id']}").status_code == 204
    assert bc.get(f"{base}/{video['id']}").json() == NOT_FOUND


def test_video_without_video_id(bc, product):
    response = bc.post(f"/products/{product['id']}/videos", json={"title": "T", "type": "vimeo"})
    assert response.json() == body(422, INVALID, {"type": "error.expected.validenumvalue"})
    response = bc.post(f"/products/{product['id']}/videos", json={"title": "T"})
    assert response.json() == body(422, INVALID, {"video_id": "error.path.missing."})


# reviews
def test_reviews_crud(bc, product, fake):
    fake.clock.freeze(1534344526)
    base = f"/products/{product['id']}/reviews"
    created = bc.post(base, json={**REVIEW, "email": "bob@email.com", "name": "Bob S."})
    assert created.status_code == 200
    review = created.json()["data"]
    assert review == {
        "title": "Great",
        "text": "",
        "status": "approved",
        "rating": 4,
        "email": "bob@email.com",
        "name": "Bob S.",
        "date_reviewed": "2011-12-31T13:40:42+00:00",
        "id": review["id"],
        "product_id": product["id"],
        "date_created": "2018-08-15T14:48:46+00:00",
        "date_modified": "2018-08-15T14:48:46+00:00",
    }
    fake.clock.advance(60)
    updated = bc.put(f"{base}/{review['id']}", json={"text": "Really"}).json()["data"]
    assert (updated["text"], updated["date_modified"]) == ("Really", "2018-08-15T14:49:46+00:00")
    assert bc.delete(f"{base}/{review['id']}").status_code == 204
    assert bc.get(f"{base}/{review['id']}").json() == NOT_FOUND


def test_review_counts_show_on_the_product(bc, product):
    bc.post(f"/products/{product['id']}/reviews", json=REVIEW)
    bc.post(f"/products/{product['id']}/reviews", json={**REVIEW, "status": "pending", "rating": 1})
    data = bc.get(f"/products/{product['id']}?include=reviews").json()["data"]
    assert (data["reviews_count"], data["reviews_rating_sum"], len(data["reviews"])) == (1, 4, 2)


def test_reviews_status_filter(bc, product):
    bc.post(f"/products/{product['id']}/reviews", json=REVIEW)
    pending = bc.post(f"/products/{product['id']}/reviews", json={**REVIEW, "status": "pending"}).json()["data"]
    listed = bc.get(f"/products/{product['id']}/reviews?status=0").json()
    assert [r["id"] for r in listed["data"]] == [pending["id"]]
    response = bc.get(f"/products/{product['id']}/reviews?status=maybe")
    assert response.status_code == 422
    assert response.json() == body(422, "The filter(s): status are not valid filter parameter(s).")


def test_review_bad_fields(bc, product):
    response = bc.post(f"/products/{product['id']}/reviews", json={"title": "T", "status": "great", "rating": -1})
    assert response.json() == body(422, INVALID, {"status": "error.expected.validenumvalue"})
    response = bc.post(f"/products/{product['id']}/reviews", json={**REVIEW, "rating": -1})
    assert response.json() == body(422, INVALID, {"rating": "error.min"})


@pytest.mark.parametrize("family", ["custom-fields", "bulk-pricing-rules", "videos", "reviews"])
def test_unknown_product_is_404(bc, family):
    assert bc.get(f"/products/987654/{family}").json() == NOT_FOUND
    assert bc.post(f"/products/987654/{family}", json={}).status_code in (404, 422)


@pytest.mark.parametrize("family", ["custom-fields", "bulk-pricing-rules", "videos", "reviews"])
def test_unknown_record_is_404(bc, product, family):
    response = bc.get(f"/products/{product['id']}/{family}/987654")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
