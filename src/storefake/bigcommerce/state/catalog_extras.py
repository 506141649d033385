"""A product's custom fields, bulk pricing rules, videos and reviews (a mixin of CatalogState).

Custom fields stay on the product record (they render with the product); the other three are tables of their
own indexed by product, so a product that has none costs nothing more. Rules from
reference/catalog/products_catalog.v3.yml: a custom field's name-value pair is unique within its product, 200
per product, name and value 1-250 characters; a bulk pricing rule's quantities don't overlap another rule of
the product (409), `quantity_max` is above `quantity_min` unless 0 (no upper bound), a `fixed` rule starts at
2; a percentage `amount` may be sent as a string (".10") and is answered as a number. A video needs its
YouTube `video_id` (at most 25 characters). A review needs `title` and `date_reviewed`; `status` is
approved, disapproved or pending (the default), `rating` 0-5, `email` valid or empty. The product's
`reviews_count` and `reviews_rating_sum` count its approved reviews, and a change of the count announces
`store/product/updated` (the vendor lists "Review Count" among product update events). Changes to custom
fields announce nothing (the vendor fires only for channel-locale overrides).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from storefake.bigcommerce.errors import (
    BulkPricingOverlap,
    DuplicateCustomField,
    InvalidJSON,
    ResourceNotFound,
    TooManyCustomFields,
)
from storefake.bigcommerce.query import as_timestamp
from storefake.bigcommerce.state.catalog_fields import clean_body
from storefake.bigcommerce.state.catalog_records import Event, Product
from storefake.filtering import Condition
from storefake.table import Selection, Table

MAX_CUSTOM_FIELDS = 200
CUSTOM_FIELD_FIELDS: dict[str, Any] = {"name": "str", "value": "str"}
BULK_RULE_FIELDS: dict[str, Any] = {
    "quantity_min": "int32",
    "quantity_max": "int32",
    "type": ("price", "percent", "fixed"),
    "amount": "num",
}
BULK_RULE_REQUIRED = ("quantity_min", "quantity_max", "type", "amount")
VIDEO_FIELDS: dict[str, Any] = {
    "title": "str",
    "description": "str",
    "sort_order": "int32",
    "type": ("youtube",),
    "video_id": "str",
}
VIDEO_DEFAULTS: dict[str, Any] = {"type": "youtube", "title": "", "description": "", "sort_order": 0, "length": "00:00"}
REVIEW_FIELDS: dict[str, Any] = {
    "title": "str",
    "text": "str",
    "status": ("approved", "disapproved", "pending"),
    "rating": "int32",
    "email": "str",
    "name": "str",
    "date_reviewed": "str",
}
REVIEW_DEFAULTS: dict[str, Any] = {"text": "", "status": "pending", "rating": 0, "email": "", "name": ""}
READ_ONLY = frozenset({"id", "product_id", "date_created", "date_modified", "length"})
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class BulkRule:
    id: int
    product_id: int
    quantity_min: int
    quantity_max: int
    type: str
    amount: float | int


@dataclass(frozen=True, slots=True)
class Video:
    id: int
    product_id: int
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    product_id: int
    fields: dict[str, Any]
    created_at: float
    modified_at: float

    @property
    def approved(self) -> bool:
        return bool(self.fields.get("status") == "approved")


class ExtrasMixin:
    products: Table[Product]
    bulk_rules: Table[BulkRule]
    videos: Table[Video]
    reviews: Table[Review]
    _next_custom_field_id: int
    # provided by CatalogState
    _writing: Any
    _now: Any
    product: Any

    # custom fields ----------------------------------------------------------------------------------
    def list_custom_fields(
        self, product_id: int, *, offset: int = 0, limit: int | None = None
    ) -> Selection[dict[str, Any]]:
        fields = list(self.product(product_id).custom_fields)
        end = None if limit is None else offset + limit
        return Selection(fields[offset:end], len(fields))

    def get_custom_field(self, product_id: int, custom_field_id: int) -> dict[str, Any]:
        found = next((cf for cf in self.product(product_id).custom_fields if cf["id"] == custom_field_id), None)
        if found is None:
            raise ResourceNotFound()
        return found

    def create_custom_field(self, product_id: int, body: Any) -> dict[str, Any]:
        fields = clean_body(body, CUSTOM_FIELD_FIELDS, READ_ONLY, "custom_field")
        missing = {k: "error.path.missing." for k in ("name", "value") if k not in fields}
        if missing:
            raise InvalidJSON(errors=missing)
        with self._writing():
            product = self.product(product_id)
            self._next_custom_field_id += 1
            created = {"id": self._next_custom_field_id, "name": fields["name"], "value": fields["value"]}
            self._store_custom_fields(product, (*product.custom_fields, created))
            return created

    def update_custom_field(self, product_id: int, custom_field_id: int, body: Any) -> dict[str, Any]:
        fields = clean_body(body, CUSTOM_FIELD_FIELDS, READ_ONLY, "custom_field")
        with self._writing():
            current = self.get_custom_field(product_id, custom_field_id)
            updated = {**current, **fields}
            product = self.product(product_id)
            self._store_custom_fields(
                product, tuple(updated if cf["id"] == custom_field_id else cf for cf in product.custom_fields)
            )
            return updated

    def delete_custom_field(self, product_id: int, custom_field_id: int) -> None:
        with self._writing():
            self.get_custom_field(product_id, custom_field_id)
            product = self.product(product_id)
            kept = tuple(cf for cf in product.custom_fields if cf["id"] != custom_field_id)
            self.products.replace(product_id, replace(product, custom_fields=kept))

    def merged_custom_fields(
        self, current: tuple[dict[str, Any], ...], given: Iterable[Mapping[str, Any]] | None
    ) -> tuple[dict[str, Any], ...]:
        """A product body's `custom_fields`: items with a known `id` update that field, others add one."""
        if given is None:
            return current
        by_id = {cf["id"]: dict(cf) for cf in current}
        for item in given:
            cf_id = item.get("id")
            if isinstance(cf_id, int) and cf_id in by_id:
                by_id[cf_id].update(name=item["name"], value=item["value"])
            else:
                self._next_custom_field_id += 1
                new_id = self._next_custom_field_id
                by_id[new_id] = {"id": new_id, "name": item["name"], "value": item["value"]}
        merged = tuple(by_id.values())
        check_custom_fields(merged)
        return merged

    def _store_custom_fields(self, product: Product, fields: tuple[dict[str, Any], ...]) -> None:
        check_custom_fields(fields)
        self.products.replace(product.id, replace(product, custom_fields=fields))

    # bulk pricing rules -----------------------------------------------------------------------------
    def list_bulk_pricing_rules(
        self, product_id: int, *, offset: int = 0, limit: int | None = None
    ) -> Selection[BulkRule]:
        self.product(product_id)
        ids = self.bulk_rules.ids_for("product_id", product_id)
        return self.bulk_rules.select(candidates=[ids], offset=offset, limit=limit)

    def get_bulk_pricing_rule(self, product_id: int, rule_id: int) -> BulkRule:
        self.product(product_id)
        rule = self.bulk_rules.get(rule_id)
        if rule is None or rule.product_id != product_id:
            raise ResourceNotFound()
        return rule

    def create_bulk_pricing_rule(self, product_id: int, body: Any) -> BulkRule:
        fields = bulk_rule_body(body, creating=True)
        with self._writing():
            self.product(product_id)
            return self._insert_bulk_rule(product_id, fields)

    def update_bulk_pricing_rule(self, product_id: int, rule_id: int, body: Any) -> BulkRule:
        fields = bulk_rule_body(body, creating=False)
        with self._writing():
            rule = self.get_bulk_pricing_rule(product_id, rule_id)
            updated = replace(rule, **fields)
            _check_quantities(updated)
            self._check_overlap(updated)
            self.bulk_rules.replace(rule_id, updated)
            return updated

    def delete_bulk_pricing_rule(self, product_id: int, rule_id: int) -> None:
        with self._writing():
            self.get_bulk_pricing_rule(product_id, rule_id)
            self.bulk_rules.delete(rule_id)

    def bulk_pricing_rules_of(self, product_id: int) -> list[BulkRule]:
        return _rows(self.bulk_rules, product_id)

    def _insert_bulk_rule(self, product_id: int, fields: Mapping[str, Any]) -> BulkRule:
        rule = BulkRule(0, product_id, **fields)
        _check_quantities(rule)
        self._check_overlap(rule)
        rule = replace(rule, id=self.bulk_rules.allocate_id())
        self.bulk_rules.insert(rule.id, rule)
        return rule

    def _check_overlap(self, rule: BulkRule) -> None:
        for other in self.bulk_pricing_rules_of(rule.product_id):
            if other.id != rule.id and _overlaps(rule, other):
                raise BulkPricingOverlap(errors={"quantity_min": BulkPricingOverlap.template})

    # videos -----------------------------------------------------------------------------------------
    def list_videos(self, product_id: int, *, offset: int = 0, limit: int | None = None) -> Selection[Video]:
        self.product(product_id)
        return self.videos.select(
            candidates=[self.videos.ids_for("product_id", product_id)], offset=offset, limit=limit
        )

    def get_video(self, product_id: int, video_id: int) -> Video:
        self.product(product_id)
        video = self.videos.get(video_id)
        if video is None or video.product_id != product_id:
            raise ResourceNotFound()
        return video

    def create_video(self, product_id: int, body: Any) -> Video:
        fields = video_body(body, creating=True)
        with self._writing():
            self.product(product_id)
            return self._insert_video(product_id, fields)

    def update_video(self, product_id: int, video_id: int, body: Any) -> Video:
        fields = video_body(body, creating=False)
        fields.pop("video_id", None)  # the update body has no video_id: a video keeps its host's id
        with self._writing():
            video = self.get_video(product_id, video_id)
            updated = replace(video, fields={**video.fields, **fields})
            self.videos.replace(video_id, updated)
            return updated

    def delete_video(self, product_id: int, video_id: int) -> None:
        with self._writing():
            self.get_video(product_id, video_id)
            self.videos.delete(video_id)

    def videos_of(self, product_id: int) -> list[Video]:
        return _rows(self.videos, product_id)

    def _insert_video(self, product_id: int, fields: Mapping[str, Any]) -> Video:
        video = Video(self.videos.allocate_id(), product_id, dict(fields))
        self.videos.insert(video.id, video)
        return video

    # reviews ----------------------------------------------------------------------------------------
    def list_reviews(
        self, product_id: int, conditions: Iterable[Condition] = (), *, offset: int = 0, limit: int | None = None
    ) -> Selection[Review]:
        self.product(product_id)
        wanted = {c.value for c in conditions if c.field == "status"}
        where = None if not wanted else (lambda r: r.fields.get("status", "pending") in wanted)
        ids = self.reviews.ids_for("product_id", product_id)
        return self.reviews.select(candidates=[ids], where=where, offset=offset, limit=limit)

    def get_review(self, product_id: int, review_id: int) -> Review:
        self.product(product_id)
        review = self.reviews.get(review_id)
        if review is None or review.product_id != product_id:
            raise ResourceNotFound()
        return review

    def create_review(self, product_id: int, body: Any) -> Review:
        fields = review_body(body, creating=True)
        with self._writing() as events:
            self.product(product_id)
            now = self._now()
            review = Review(self.reviews.allocate_id(), product_id, fields, now, now)
            self.reviews.insert(review.id, review)
            self._count_reviews(product_id, events)
            return review

    def update_review(self, product_id: int, review_id: int, body: Any) -> Review:
        fields = review_body(body, creating=False)
        with self._writing() as events:
            review = self.get_review(product_id, review_id)
            updated = replace(review, fields={**review.fields, **fields}, modified_at=self._now())
            self.reviews.replace(review_id, updated)
            self._count_reviews(product_id, events)
            return updated

    def delete_review(self, product_id: int, review_id: int) -> None:
        with self._writing() as events:
            self.get_review(product_id, review_id)
            self.reviews.delete(review_id)
            self._count_reviews(product_id, events)

    def reviews_of(self, product_id: int) -> list[Review]:
        return _rows(self.reviews, product_id)

    def _count_reviews(self, product_id: int, events: list[Event]) -> None:
        """Keep the product's `reviews_count` / `reviews_rating_sum` (approved reviews) in its fields."""
        approved = [r for r in self.reviews_of(product_id) if r.approved]
        count, total = len(approved), sum(int(r.fields.get("rating", 0)) for r in approved)
        product = self.product(product_id)
        if (product.value("reviews_count"), product.value("reviews_rating_sum")) == (count, total):
            return
        fields = {k: v for k, v in product.fields.items() if k not in ("reviews_count", "reviews_rating_sum")}
        if count:  # records stay sparse: zero is the default
            fields.update(reviews_count=count, reviews_rating_sum=total)
        self.products.replace(product_id, replace(product, fields=fields))
        if count != product.value("reviews_count"):
            events.append(("store/product/updated", {"type": "product", "id": product_id}))

    # product bodies and cascades --------------------------------------------------------------------
    def insert_product_extras(self, product_id: int, nested: Mapping[str, Any]) -> None:
        """A product body's `bulk_pricing_rules` and `videos` (checked by `check_product_extras` first)."""
        for fields in nested.get("bulk_pricing_rules") or ():
            if "id" in fields:
                rule = self.get_bulk_pricing_rule(product_id, fields["id"])
                changes = {k: v for k, v in fields.items() if k != "id"}
                self.bulk_rules.replace(rule.id, replace(rule, **changes))
            else:
                self._insert_bulk_rule(product_id, fields)
        for fields in nested.get("videos") or ():
            self._insert_video(product_id, fields)

    def check_product_extras(self, product_id: int | None, nested: dict[str, Any]) -> None:
        """Parse and check a product body's bulk pricing rules and videos before anything is written."""
        rules: list[BulkRule] = []
        for index, item in enumerate(nested.get("bulk_pricing_rules") or ()):
            if not isinstance(item, dict):
                raise InvalidJSON(errors={f"bulk_pricing_rules[{index}]": "error.expected.jsobject"})
            rule_id = item.get("id")
            known = product_id is not None and isinstance(rule_id, int) and rule_id in self.bulk_rules
            fields = bulk_rule_body(item, creating=not known)
            if known:
                rules.append(replace(self.get_bulk_pricing_rule(product_id, rule_id), **fields))
                fields["id"] = rule_id
            else:
                rules.append(BulkRule(-index - 1, product_id or 0, **fields))  # a stand-in id for the checks
            nested["bulk_pricing_rules"][index] = fields
        existing = [] if product_id is None else self.bulk_pricing_rules_of(product_id)
        merged = {r.id: r for r in existing} | {r.id: r for r in rules}
        for rule in rules:
            _check_quantities(rule)
            if any(other.id != rule.id and _overlaps(rule, other) for other in merged.values()):
                raise BulkPricingOverlap(errors={"quantity_min": BulkPricingOverlap.template})
        for index, item in enumerate(nested.get("videos") or ()):
            if not isinstance(item, dict):
                raise InvalidJSON(errors={f"videos[{index}]": "error.expected.jsobject"})
            nested["videos"][index] = video_body(item, creating=True)

    def remove_product_extras(self, product_id: int) -> None:
        for table in (self.bulk_rules, self.videos, self.reviews):
            for row_id in list(table.ids_for("product_id", product_id)):
                table.delete(row_id)


# bodies ---------------------------------------------------------------------------------------------
def check_custom_fields(fields: tuple[dict[str, Any], ...]) -> None:
    if len(fields) > MAX_CUSTOM_FIELDS:
        raise TooManyCustomFields(parameters={"max": MAX_CUSTOM_FIELDS}, errors={})
    pairs = [(cf["name"], cf["value"]) for cf in fields]
    if len(pairs) != len(set(pairs)):
        raise DuplicateCustomField(errors={"name": DuplicateCustomField.template})


def bulk_rule_body(body: Any, *, creating: bool) -> dict[str, Any]:
    if isinstance(body, dict) and "amount" in body:
        body = {**body, "amount": _amount(body["amount"])}
    fields = clean_body(body, BULK_RULE_FIELDS, READ_ONLY, "bulk_pricing_rule")
    for key in ("quantity_min", "quantity_max"):
        if fields.get(key, 0) < 0:
            raise InvalidJSON(errors={key: "error.min"})
    if creating:
        missing = {k: "error.path.missing." for k in BULK_RULE_REQUIRED if k not in fields}
        if missing:
            raise InvalidJSON(errors=missing)
    return fields


def _amount(value: Any) -> Any:
    """A rule's amount: a number, or the decimal text the spec allows for percentages (".10")."""
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            return value  # refused as not a number
        if parsed.is_finite():
            return int(parsed) if parsed == parsed.to_integral_value() else float(parsed)
    return value


def _check_quantities(rule: BulkRule) -> None:
    if rule.quantity_max and rule.quantity_max <= rule.quantity_min:
        raise InvalidJSON(errors={"quantity_max": "error.min"})
    if rule.type == "fixed" and rule.quantity_min < 2:
        raise InvalidJSON(errors={"quantity_min": "error.min"})


def _overlaps(a: BulkRule, b: BulkRule) -> bool:
    a_end = a.quantity_max or float("inf")
    b_end = b.quantity_max or float("inf")
    return a.quantity_min <= b_end and b.quantity_min <= a_end


def video_body(body: Any, *, creating: bool) -> dict[str, Any]:
    fields = clean_body(body, VIDEO_FIELDS, READ_ONLY, "video")
    if creating and "video_id" not in fields:
        raise InvalidJSON(errors={"video_id": "error.path.missing."})
    return fields


def review_body(body: Any, *, creating: bool) -> dict[str, Any]:
    fields = clean_body(body, REVIEW_FIELDS, READ_ONLY, "review")
    if creating:
        missing = {k: "error.path.missing." for k in ("title", "date_reviewed") if k not in fields}
        if missing:
            raise InvalidJSON(errors=missing)
    errors: dict[str, str] = {}
    if "rating" in fields and not 0 <= fields["rating"] <= 5:
        errors["rating"] = "error.max" if fields["rating"] > 5 else "error.min"
    if fields.get("email") and not EMAIL.match(fields["email"]):
        errors["email"] = "error.email"
    if "date_reviewed" in fields:
        try:
            fields["date_reviewed"] = as_timestamp(fields["date_reviewed"])
            datetime.fromtimestamp(fields["date_reviewed"], UTC)  # a date the wire can show (years 1-9999)
        except (ValueError, OverflowError, OSError):
            errors["date_reviewed"] = "error.expected.date.isoformat"
    if errors:
        raise InvalidJSON(errors=errors)
    return fields


def _rows(table: Table[Any], product_id: int) -> list[Any]:
    found = (table.get(i) for i in table.ids_for("product_id", product_id))
    return [row for row in found if row is not None]
