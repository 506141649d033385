"""Variants of V3 catalog products (a mixin of CatalogState, split out for size).

A variant's `option_values` may be given by id + option_id or by `option_display_name` + `label`; names and
labels the product doesn't have yet become new options and values (catalog_options.py), so the vendor's
two ways of building variants meet in the same options.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from storefake.bigcommerce.errors import InvalidJSON
from storefake.bigcommerce.state.catalog_fields import (
    VARIANT_DEFAULTS,
    VARIANT_FIELDS,
    VARIANT_READ_ONLY,
    clean_body,
    sku_key,
    whole,
)
from storefake.bigcommerce.state.catalog_records import (
    Event,
    Product,
    Variant,
    inventory_event,
    sku_data,
    sku_id,
)
from storefake.filtering import Condition, plan
from storefake.table import Selection, Table

VARIANT_INDEXES = {"sku": "sku", "product_id": "product_id"}
VARIANT_NORMALIZE = {"sku": sku_key}


class VariantsMixin:
    store: Any
    products: Table[Product]
    variants: Table[Variant]
    # provided by CatalogState and OptionsMixin
    _writing: Any
    product: Any
    variant: Any
    variant_price: Any
    variant_weight: Any
    _check_sku: Any
    check_variant_option_values: Any
    variant_option_values: Any
    option_value_views: Any

    # variants ---------------------------------------------------------------------------------------
    def list_variants(
        self, conditions: Iterable[Condition], *, offset: int = 0, limit: int | None = None
    ) -> Selection[Variant]:
        selection_plan = plan(
            self.variants,
            list(conditions),
            value_of=_variant_value,
            indexes=VARIANT_INDEXES,
            normalize=VARIANT_NORMALIZE,
        )
        return self.variants.select(**selection_plan.select_kwargs(), offset=offset, limit=limit)

    def create_variant(self, product_id: int, body: Any) -> Variant:
        with self._writing() as events:
            self.product(product_id)
            variant = self._insert_variant(product_id, body)
            events.extend(self._sku_events(product_id, "created", only=variant.id))
        return variant

    def update_variant(self, variant_id: int, body: Any, product_id: int | None = None) -> Variant:
        changes = clean_body(body, VARIANT_FIELDS, VARIANT_READ_ONLY | {"product_id"}, "variant")
        with self._writing() as events:
            variant = self.variant(variant_id, product_id)
            return self._apply_variant_update(variant, changes, events)

    def update_variants(self, bodies: list[Any]) -> list[Variant]:
        """PUT /catalog/variants: items with an `id` update; items with product_id + sku + option_values create."""
        parsed: list[tuple[int | None, dict[str, Any], Any]] = []
        for item in bodies:
            raw_id = item.get("id") if isinstance(item, dict) else None
            if raw_id is None:
                parsed.append((None, {}, item))
                continue
            variant_id = whole(raw_id)
            if variant_id is None:
                raise InvalidJSON(errors={"id": "error.expected.jsnumber"})
            parsed.append(
                (variant_id, clean_body(item, VARIANT_FIELDS, VARIANT_READ_ONLY | {"product_id"}, "variant"), item)
            )
        with self._writing() as events:
            for variant_id, changes, item in parsed:
                if variant_id is not None:
                    owner = self.variant(variant_id).product_id
                    if "option_values" in changes:
                        self.check_variant_option_values(owner, changes["option_values"])
                elif not isinstance(item, dict) or whole(item.get("product_id")) is None:
                    raise InvalidJSON(errors={"product_id": "error.path.missing."})
                else:
                    self.product(whole(item["product_id"]))
                    self.check_variant_option_values(whole(item["product_id"]), item.get("option_values"))
            done: list[Variant] = []
            for variant_id, changes, item in parsed:
                if variant_id is None:
                    created = self._insert_variant(whole(item["product_id"]), item)
                    events.extend(self._sku_events(created.product_id, "created", only=created.id))
                    done.append(created)
                else:
                    done.append(self._apply_variant_update(self.variant(variant_id), changes, events))
            return done

    def delete_variant(self, product_id: int, variant_id: int) -> None:
        with self._writing() as events:
            variant = self.variant(variant_id, product_id)
            product = self.product(product_id)
            self.variants.delete(variant_id)
            self.store.metafields.drop_owner("variant", variant_id)
            if product.base_variant_id == variant_id:
                self.products.replace(product_id, replace(product, base_variant_id=None))
            events.append(("store/sku/deleted", sku_data(variant)))
            self._recount_product_inventory(product_id)

    def variant_view(self, variant: Variant) -> dict[str, Any]:
        view = VARIANT_DEFAULTS.copy()
        view.update(variant.fields)
        view["id"] = variant.id
        view["product_id"] = variant.product_id
        view["sku_id"] = variant.sku_id
        view["calculated_price"] = self.variant_price(variant)
        view["calculated_weight"] = self.variant_weight(variant)
        view["option_values"] = self.option_value_views(variant.fields.get("option_values", ()))
        product = self.products.get(variant.product_id)
        if product is not None and "sku" not in variant.fields:
            view["sku"] = product.fields.get("sku", "")
        return view

    # variant internals
    def _insert_variant(self, product_id: int, body: Any, *, creating_product: bool = False) -> Variant:
        fields = clean_body(body, VARIANT_FIELDS, VARIANT_READ_ONLY | {"product_id"}, "variant")
        errors = {k: "error.path.missing." for k in ("sku", "option_values") if not fields.get(k)}
        if errors:
            raise InvalidJSON(errors=errors)
        product = self.product(product_id)
        self._check_sku(fields["sku"], product_id=None, variant_id=None)
        fields["option_values"] = self.variant_option_values(product_id, fields["option_values"])
        product = self.product(product_id)  # naming new options may have stored a new record
        if product.base_variant_id is not None:
            # The product now has option variants: its stand-in base variant goes.
            self.variants.delete(product.base_variant_id)
            self.store.metafields.drop_owner("variant", product.base_variant_id)
            product = replace(product, base_variant_id=None)
            self.products.replace(product_id, product)
        vid = self.variants.allocate_id()
        variant = Variant(vid, product_id, fields, sku_id=vid)
        self.variants.insert(vid, variant)
        if "inventory_level" in fields:
            self._recount_product_inventory(product_id)
        return variant

    def _apply_variant_update(self, variant: Variant, changes: dict[str, Any], events: list[Event]) -> Variant:
        if "sku" in changes:
            self._check_sku(changes["sku"], product_id=variant.product_id, variant_id=variant.id)
        if "option_values" in changes:
            changes["option_values"] = self.variant_option_values(variant.product_id, changes["option_values"])
        updated = replace(variant, fields={**variant.fields, **changes})
        self.variants.replace(variant.id, updated)
        product = self.product(variant.product_id)
        if product.base_variant_id == variant.id:
            mirrored = {k: changes[k] for k in ("sku", "inventory_level") if k in changes}
            if mirrored:
                self.products.replace(product.id, replace(product, fields={**product.fields, **mirrored}))
        events.append(("store/sku/updated", sku_data(updated)))
        old_level = variant.fields.get("inventory_level", 0)
        if "inventory_level" in changes and changes["inventory_level"] != old_level:
            events.append(
                inventory_event(
                    "sku",
                    sku_id(updated),
                    variant.product_id,
                    variant.id,
                    "absolute",
                    changes["inventory_level"],
                    "api",
                )
            )
            if product.base_variant_id != variant.id:
                self._recount_product_inventory(variant.product_id)
        return self.variants.get(variant.id) or updated

    def _set_variant_inventory(
        self, variant: Any, level: int, events: list[Event], *, method: str, value: int, cause: str
    ) -> None:
        updated = replace(variant, fields={**variant.fields, "inventory_level": level})
        self.variants.replace(variant.id, updated)
        events.append(inventory_event("sku", sku_id(updated), variant.product_id, variant.id, method, value, cause))
        self._recount_product_inventory(variant.product_id)

    def _recount_product_inventory(self, product_id: int) -> None:
        """With option variants, the product's stock is the sum of theirs (as the vendor reports it)."""
        product = self.products.get(product_id)
        if product is None or product.base_variant_id is not None:
            return
        if product.fields.get("inventory_tracking", "none") != "variant":
            return
        total = sum(
            int(self.variants.get(v).fields.get("inventory_level", 0))
            for v in self.variants.ids_for("product_id", product_id)
        )  # type: ignore[union-attr]
        if product.fields.get("inventory_level", 0) != total:
            self.products.replace(product_id, replace(product, fields={**product.fields, "inventory_level": total}))

    def _sku_events(self, product_id: int, verb: str, only: int | None = None) -> list[Event]:
        """`store/sku/<verb>` for the product's variants (or one); a base variant without a SKU is no SKU."""
        ids = [only] if only is not None else list(self.variants.ids_for("product_id", product_id))
        found = [self.variants.get(v) for v in ids]
        return [(f"store/sku/{verb}", sku_data(v)) for v in found if v is not None and sku_key(v.fields.get("sku"))]


def _variant_value(variant: Variant, name: str) -> Any:
    return variant.value(name)
