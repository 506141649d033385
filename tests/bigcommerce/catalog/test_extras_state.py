"""Custom fields, bulk pricing rules, videos and reviews in CatalogState (no HTTP)."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import (
    BulkPricingOverlap,
    DuplicateCustomField,
    InvalidJSON,
    ResourceNotFound,
    TooManyCustomFields,
)
from storefake.filtering import Condition


def widget(name="Widget", **extra):
    return {"name": name, "type": "physical", "price": 10, "weight": 1, **extra}


def rule(low, high, kind="price", amount=1):
    return {"quantity_min": low, "quantity_max": high, "type": kind, "amount": amount}


REVIEW = {"title": "Great", "date_reviewed": "2024-05-01T10:00:00+00:00"}


# custom fields
def test_custom_field_lives_on_the_product(catalog):
    product = catalog.create_product(widget())
    created = catalog.create_custom_field(product.id, {"name": "ISBN", "value": "123"})
    assert catalog.get_product(product.id).custom_fields == (created,)


def test_custom_field_pair_is_unique_per_product(catalog):
    product = catalog.create_product(widget(custom_fields=[{"name": "ISBN", "value": "123"}]))
    with pytest.raises(DuplicateCustomField):
        catalog.create_custom_field(product.id, {"name": "ISBN", "value": "123"})
    catalog.create_custom_field(product.id, {"name": "ISBN", "value": "124"})  # another value is another pair


def test_custom_field_limit_is_200(catalog):
    fields = [{"name": "n", "value": str(n)} for n in range(200)]
    product = catalog.create_product(widget(custom_fields=fields))
    with pytest.raises(TooManyCustomFields):
        catalog.create_custom_field(product.id, {"name": "n", "value": "one more"})


def test_custom_field_needs_name_and_value(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_custom_field(product.id, {"name": " "})
    assert caught.value.errors == {"name": "error.minLength"}
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_custom_field(product.id, {})
    assert caught.value.errors == {"name": "error.path.missing.", "value": "error.path.missing."}


def test_custom_field_update_and_delete(catalog):
    product = catalog.create_product(widget())
    created = catalog.create_custom_field(product.id, {"name": "ISBN", "value": "123"})
    assert catalog.update_custom_field(product.id, created["id"], {"value": "999"})["value"] == "999"
    catalog.delete_custom_field(product.id, created["id"])
    with pytest.raises(ResourceNotFound):
        catalog.get_custom_field(product.id, created["id"])


# bulk pricing rules
def test_bulk_rule_percentage_amount_as_text_is_a_number(catalog):
    product = catalog.create_product(widget())
    created = catalog.create_bulk_pricing_rule(product.id, rule(2, 5, "percent", ".10"))
    assert created.amount == 0.1


def test_bulk_rules_may_not_overlap(catalog):
    product = catalog.create_product(widget())
    catalog.create_bulk_pricing_rule(product.id, rule(2, 5))
    with pytest.raises(BulkPricingOverlap):
        catalog.create_bulk_pricing_rule(product.id, rule(5, 9))
    catalog.create_bulk_pricing_rule(product.id, rule(6, 0))  # 0: no upper bound
    with pytest.raises(BulkPricingOverlap):
        catalog.create_bulk_pricing_rule(product.id, rule(100, 200))


def test_bulk_rule_max_above_min_and_fixed_from_two(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_bulk_pricing_rule(product.id, rule(5, 5))
    assert caught.value.errors == {"quantity_max": "error.min"}
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_bulk_pricing_rule(product.id, rule(1, 5, "fixed"))
    assert caught.value.errors == {"quantity_min": "error.min"}


def test_bulk_rule_requires_every_field(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_bulk_pricing_rule(product.id, {"type": "price"})
    assert caught.value.errors == {
        "quantity_min": "error.path.missing.",
        "quantity_max": "error.path.missing.",
        "amount": "error.path.missing.",
    }


def test_bulk_rule_update_checks_overlap_against_the_others(catalog):
    product = catalog.create_product(widget())
    first = catalog.create_bulk_pricing_rule(product.id, rule(2, 5))
    catalog.create_bulk_pricing_rule(product.id, rule(10, 20))
    assert catalog.update_bulk_pricing_rule(product.id, first.id, {"quantity_max": 9}).quantity_max == 9
    with pytest.raises(BulkPricingOverlap):
        catalog.update_bulk_pricing_rule(product.id, first.id, {"quantity_max": 10})


def test_product_body_bulk_rules_are_checked_before_the_product_is_written(catalog):
    with pytest.raises(BulkPricingOverlap):
        catalog.create_product(widget(bulk_pricing_rules=[rule(2, 5), rule(3, 4)]))
    assert len(catalog.products) == 0


def test_product_update_adds_and_updates_bulk_rules(catalog):
    product = catalog.create_product(widget(bulk_pricing_rules=[rule(2, 5)]))
    [first] = catalog.bulk_pricing_rules_of(product.id)
    catalog.update_product(product.id, {"bulk_pricing_rules": [{"id": first.id, "amount": 3}, rule(6, 0)]})
    rules = catalog.bulk_pricing_rules_of(product.id)
    assert [(r.quantity_min, r.quantity_max, r.amount) for r in rules] == [(2, 5, 3), (6, 0, 1)]


# videos
def test_video_needs_a_video_id(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_video(product.id, {"title": "T"})
    assert caught.value.errors == {"video_id": "error.path.missing."}
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_video(product.id, {"video_id": "x" * 26})
    assert caught.value.errors == {"video_id": "error.maxLength"}


def test_video_update_keeps_its_video_id(catalog):
    product = catalog.create_product(widget(videos=[{"video_id": "abc"}]))
    [video] = catalog.videos_of(product.id)
    updated = catalog.update_video(product.id, video.id, {"title": "New", "video_id": "other"})
    assert updated.fields == {"video_id": "abc", "title": "New"}


# reviews
def test_review_needs_title_and_date(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_review(product.id, {"text": "meh"})
    assert caught.value.errors == {"title": "error.path.missing.", "date_reviewed": "error.path.missing."}


def test_review_rating_email_and_date_are_checked(catalog):
    product = catalog.create_product(widget())
    with pytest.raises(InvalidJSON) as caught:
        catalog.create_review(product.id, {**REVIEW, "rating": 6, "email": "bob", "date_reviewed": "yesterday"})
    assert caught.value.errors == {
        "rating": "error.max",
        "email": "error.email",
        "date_reviewed": "error.expected.date.isoformat",
    }


def test_approved_reviews_count_on_the_product(catalog, events):
    product = catalog.create_product(widget())
    events.clear()
    pending = catalog.create_review(product.id, {**REVIEW, "rating": 5})
    assert catalog.get_product(product.id).reviews_count == 0
    assert events == []
    catalog.update_review(product.id, pending.id, {"status": "approved"})
    catalog.create_review(product.id, {**REVIEW, "rating": 3, "status": "approved"})
    product = catalog.get_product(product.id)
    assert (product.reviews_count, product.reviews_rating_sum) == (2, 8)
    assert events == [("store/product/updated", {"type": "product", "id": product.id})] * 2
    catalog.delete_review(product.id, pending.id)
    assert catalog.get_product(product.id).reviews_count == 1


def test_reviews_filter_by_status(catalog):
    product = catalog.create_product(widget())
    catalog.create_review(product.id, REVIEW)
    approved = catalog.create_review(product.id, {**REVIEW, "status": "approved"})
    listed = catalog.list_reviews(product.id, [Condition("status", "eq", "approved")])
    assert [r.id for r in listed.items] == [approved.id]


def test_delete_product_deletes_its_rules_videos_and_reviews(catalog):
    product = catalog.create_product(widget(bulk_pricing_rules=[rule(2, 5)], videos=[{"video_id": "abc"}]))
    catalog.create_review(product.id, REVIEW)
    catalog.delete_product(product.id)
    assert (len(catalog.bulk_rules), len(catalog.videos), len(catalog.reviews)) == (0, 0, 0)


def test_sub_resources_of_another_product_are_not_found(catalog):
    first, second = catalog.create_product(widget("A")), catalog.create_product(widget("B"))
    video = catalog.create_video(first.id, {"video_id": "abc"})
    review = catalog.create_review(first.id, REVIEW)
    with pytest.raises(ResourceNotFound):
        catalog.get_video(second.id, video.id)
    with pytest.raises(ResourceNotFound):
        catalog.get_review(second.id, review.id)
