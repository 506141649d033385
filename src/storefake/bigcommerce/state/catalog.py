"""BigCommerce V3 catalog state: products, their variants, images and custom fields; categories and
brands live in catalog_taxonomy.py. Pure Python: no Starlette, statuses or JSON.

Every write takes the store's lock, so a name or SKU is claimed atomically (64 concurrent creates with one
SKU: one wins, the rest get 409). Records are sparse (see catalog_fields.py) and indexed by name, SKU,
custom URL, brand, category, visibility, featured flag and type, so the common listings are O(page).
Webhook events are announced after the lock is released, with the vendor's `data` shapes.

Where this deviates from the vendor (README fidelity notes): SKUs and names are unique case-insensitively;
a product without option variants has one base variant that mirrors its SKU, price and inventory; option
values may be given by id or by `option_display_name` + `label` (options are created on first use).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sortedcontainers import SortedDict

from storefake.bigcommerce.errors import (
    DuplicateCustomUrl,
    DuplicateProductName,
    DuplicateSku,
    FilterRequired,
    ImageUrlRequired,
    InsufficientStock,
    InvalidJSON,
    InvalidReference,
    MissingRequiredFields,
    ResourceNotFound,
    TooManyImages,
)
from storefake.bigcommerce.state.catalog_assignments import AssignmentsMixin
from storefake.bigcommerce.state.catalog_extras import BulkRule, ExtrasMixin, Review, Video
from storefake.bigcommerce.state.catalog_fields import (
    IMAGE_FIELDS,
    IMAGE_READ_ONLY,
    PRODUCT_DEFAULTS,
    PRODUCT_FIELDS,
    PRODUCT_READ_ONLY,
    PRODUCT_REQUIRED,
    REQUIRED_TEXTS,
    VARIANT_FIELDS,
    VARIANT_READ_ONLY,
    clean_body,
    name_key,
    sku_key,
    slugify,
    whole,
)
from storefake.bigcommerce.state.catalog_images import MAX_PRODUCT_IMAGES, ImagesMixin
from storefake.bigcommerce.state.catalog_options import OptionsMixin
from storefake.bigcommerce.state.catalog_records import (
    Event,
    Image,
    Option,
    Product,
    Variant,
    calculated_price,
    custom_url_key,
    inventory_event,
)
from storefake.bigcommerce.state.catalog_summary import catalog_summary
from storefake.bigcommerce.state.catalog_taxonomy import TaxonomyState
from storefake.bigcommerce.state.catalog_variants import VariantsMixin
from storefake.filtering import Condition, plan
from storefake.seeding import seeding
from storefake.table import Selection, Table

# Product fields answered from an index (equality and `:in`); every other filter is a scan of the
# candidates the indexed ones leave (README: which filters scan).
PRODUCT_INDEXES = {
    "name": "name",
    "sku": "sku",
    "brand_id": "brand_id",
    "categories": "categories",
    "is_visible": "is_visible",
    "is_featured": "is_featured",
    "type": "type",
}
PRODUCT_NORMALIZE = {"name": name_key, "sku": sku_key}
# Fields kept in ordered indexes: numeric ranges on them are counted by bisection and a sort on them is a
# walk along the index. Each costs memory per product, so only the range filters and the likeliest sorts;
# the other sorts sort the matching products.
PRODUCT_ORDERED = {
    "price": "price",
    "inventory_level": "inventory_level",
    "date_modified": "date_modified",
    "name": "name",
}
# `like` filters the text index narrows (`keyword` is a substring match over name, SKU and descriptions).
PRODUCT_TEXT_FIELDS = frozenset({"name", "keyword"})
PRODUCT_SORTS = {
    "id", "name", "sku", "price", "calculated_price", "date_modified", "date_created", "inventory_level",
    "is_visible", "total_sold", "date_last_imported", "sort_order",
}  # fmt: skip
# Sub-objects a product body may carry that are not product fields.
NESTED = ("custom_fields", "images", "variants", "bulk_pricing_rules", "videos")


class CatalogState(VariantsMixin, OptionsMixin, ExtrasMixin, ImagesMixin, AssignmentsMixin):
    """One store's catalog."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.products: Table[Product] = Table(
            unique={
                "name": lambda p: name_key(p.fields.get("name")),
                "sku": lambda p: sku_key(p.fields.get("sku")),
                "custom_url": lambda p: custom_url_key(p.fields),
            },
            indexes={
                "brand_id": lambda p: (p.fields.get("brand_id", 0),),
                "categories": lambda p: p.fields.get("categories", ()),
                "is_visible": lambda p: (p.fields.get("is_visible", True),),
                "is_featured": lambda p: (p.fields.get("is_featured", False),),
                "type": lambda p: (p.fields.get("type", "physical"),),
            },
            ordered={field: functools.partial(_product_value, name=field) for field in PRODUCT_ORDERED},
            text=functools.partial(_product_value, name="keyword"),
            # A category page filtered by price, the likeliest pair: bisections per category, no scan.
            bucket_orders={"categories": ("price",)},
        )
        self.variants: Table[Variant] = Table(
            unique={"sku": lambda v: sku_key(v.fields.get("sku"))},
            indexes={"product_id": lambda v: (v.product_id,)},
        )
        self.images: Table[Image] = Table(indexes={"product_id": lambda i: (i.product_id,)})
        self.image_files: dict[int, tuple[bytes, str]] = {}  # uploaded images' bytes (catalog_images.py)
        # Variant options and modifiers (catalog_options.py), listed per product and kind.
        self.options: Table[Option] = Table(indexes={"owner": lambda o: ((o.product_id, o.modifier),)})
        # A product's bulk pricing rules, videos and reviews (catalog_extras.py).
        self.bulk_rules: Table[BulkRule] = Table(indexes={"product_id": lambda r: (r.product_id,)})
        self.videos: Table[Video] = Table(indexes={"product_id": lambda v: (v.product_id,)})
        self.reviews: Table[Review] = Table(indexes={"product_id": lambda r: (r.product_id,)})
        # Channels of the products not on exactly the storefront channel 1 (catalog_assignments.py).
        self.product_channels: SortedDict = SortedDict()
        self.taxonomy = TaxonomyState(store, self)
        self._next_value_id = 0
        self._next_custom_field_id = 0

    # plumbing
    @contextmanager
    def _writing(self) -> Iterator[list[Event]]:
        """The store lock for one write; the events it collected are announced once it is released."""
        events: list[Event] = []
        with self.store.lock:
            yield events
        for scope, data in events:
            self.store.emit(scope, data)

    def _now(self) -> float:
        return float(self.store.now())

    # reads for other families (orders) ------------------------------------------------------------
    def get_product(self, product_id: int) -> Product | None:
        """The product or None (for other families; attributes read like the wire fields: `p.price`)."""
        return self.products.get(product_id)

    def get_variant(self, variant_id: int) -> Variant | None:
        """The variant or None (`v.calculated_price` is None when it inherits its product's price)."""
        return self.variants.get(variant_id)

    def product(self, product_id: int) -> Product:
        """The product, or the vendor's 404."""
        product = self.products.get(product_id)
        if product is None:
            raise ResourceNotFound()
        return product

    def variant(self, variant_id: int, product_id: int | None = None) -> Variant:
        """The variant (of `product_id` when given), or the vendor's 404."""
        variant = self.variants.get(variant_id)
        if variant is None or (product_id is not None and variant.product_id != product_id):
            raise ResourceNotFound()
        return variant

    def variant_price(self, variant: Variant) -> Any:
        """What a variant sells for: its own sale price or price, else its product's calculated price."""
        sale = variant.fields.get("sale_price")
        if sale:
            return sale
        price = variant.fields.get("price")
        if price is not None:
            return price
        product = self.products.get(variant.product_id)
        return calculated_price(product.fields) if product else 0

    def variant_weight(self, variant: Variant) -> Any:
        weight = variant.fields.get("weight")
        if weight is not None:
            return weight
        product = self.products.get(variant.product_id)
        return product.fields.get("weight", 0) if product else 0

    def adjust_inventory(
        self, product_id: int, variant_id: int | None, delta: int, *, floor: int | None = None, cause: str = "order"
    ) -> int:
        """Change stock by `delta` atomically and return the new level (orders reserve/return stock).

        With `floor`, a change that would leave less than `floor` raises InsufficientStock and changes
        nothing. Products that don't track inventory are left alone (the level returned is unchanged).
        Emits `store/product/inventory/order/updated` (or `.../inventory/updated` for cause="api") and
        the `store/sku/...` twin for the variant.
        """
        with self._writing() as events:
            product = self.product(product_id)
            if variant_id is None:
                variant_id = product.base_variant_id
            variant = self.variant(variant_id, product_id) if variant_id is not None else None
            tracking = product.fields.get("inventory_tracking", "none")
            target: Any = variant if tracking == "variant" and variant is not None else product
            current = int(target.fields.get("inventory_level", 0))
            if tracking == "none" or delta == 0:
                return current
            level = current + delta
            if floor is not None and level < floor:
                raise InsufficientStock(parameters={"product_id": product_id, "available": current})
            if target is product:
                self._set_product_inventory(product, level, events, method="relative", value=delta, cause=cause)
            else:
                self._set_variant_inventory(variant, level, events, method="relative", value=delta, cause=cause)
            return level

    def get_catalog_summary(self) -> dict[str, Any]:
        """GET /catalog/summary (catalog_summary.py; dates as epoch seconds, None without variants)."""
        return catalog_summary(self)

    def set_stock(
        self, product_id: int, variant_id: int | None, level: int, *, method: str, value: int, cause: str = "api"
    ) -> None:
        """Write one inventory item's stock at the default location (the Inventory API's adjustments).

        `variant_id` None (or the base variant) is the product's own stock, else that variant's; unlike
        adjust_inventory it writes whatever the product's tracking. Emits the catalog's inventory events.
        """
        with self._writing() as events:
            product = self.product(product_id)
            if variant_id is None or variant_id == product.base_variant_id:
                self._set_product_inventory(product, level, events, method=method, value=value, cause=cause)
            else:
                variant = self.variant(variant_id, product_id)
                self._set_variant_inventory(variant, level, events, method=method, value=value, cause=cause)

    # products ---------------------------------------------------------------------------------------
    def list_products(
        self,
        conditions: Iterable[Condition],
        *,
        sort: str = "id",
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> Selection[Product]:
        conditions = [
            narrowed
            for c in conditions
            for narrowed in (self.channel_conditions(c.value) if c.field == "channel_id" else (c,))
        ]
        selection_plan = plan(
            self.products,
            conditions,
            value_of=_product_value,
            indexes=PRODUCT_INDEXES,
            normalize=PRODUCT_NORMALIZE,
            ordered=PRODUCT_ORDERED,
            text_fields=PRODUCT_TEXT_FIELDS,
        )
        order = PRODUCT_ORDERED.get(sort)
        order_by = None if sort == "id" or sort not in PRODUCT_SORTS or order else _sort_key(sort)
        return self.products.select(
            **selection_plan.select_kwargs(),
            order=order,
            order_by=order_by,
            descending=descending,
            offset=offset,
            limit=limit,
        )

    def create_product(self, body: Any, *, emit: bool = True, product_id: int | None = None) -> Product:
        fields, nested = self._product_body(body, creating=True)
        with self._writing() as events:
            product = self._insert_product(fields, nested, product_id)
            if emit:
                events.append(("store/product/created", {"type": "product", "id": product.id}))
                events.extend(self._sku_events(product.id, "created"))
            else:
                events.clear()
        return product

    def update_product(self, product_id: int, body: Any) -> Product:
        fields, nested = self._product_body(body, creating=False)
        with self._writing() as events:
            return self._apply_product_update(self.product(product_id), fields, nested, events)

    def update_products(self, bodies: list[Any]) -> list[Product]:
        """Batch update: every item is checked before any is applied, so a bad item changes nothing."""
        parsed: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        for item in bodies:
            product_id = whole(item.get("id")) if isinstance(item, dict) else None
            if product_id is None:
                raise InvalidJSON(errors={"id": "error.path.missing."})
            fields, nested = self._product_body(item, creating=False)
            parsed.append((product_id, fields, nested))
        with self._writing() as events:
            self._check_batch(parsed)
            return [self._apply_product_update(self.product(pid), f, n, events) for pid, f, n in parsed]

    def _check_batch(self, parsed: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
        """Refuse a batch that would fail half-way: unknown ids, bad references, names/SKUs clashing."""
        batch_ids = {product_id for product_id, _, _ in parsed}
        if len(batch_ids) != len(parsed):
            raise InvalidJSON(errors={"id": "error.duplicate"})
        names: set[str] = set()
        skus: set[str] = set()
        for product_id, changes, nested in parsed:
            merged = {**self.product(product_id).fields, **changes}
            self._check_references(changes)
            self.check_product_extras(product_id, nested)
            self.check_image_room(product_id, len(nested.get("images") or ()))
            name, sku = name_key(merged.get("name")), sku_key(merged.get("sku"))
            holder = self.products.get_unique("name", name) if name else None
            if name in names or (holder is not None and holder.id not in batch_ids):
                raise DuplicateProductName(errors={"name": DuplicateProductName.template})
            if sku in skus or (sku and self._sku_holder(sku) not in (None, *batch_ids)):
                raise DuplicateSku(errors={"sku": DuplicateSku.template})
            names.add(name or "")
            skus.add(sku or "")
            url_holder = self.products.get_unique("custom_url", custom_url_key(changes) or "")
            if url_holder is not None and url_holder.id not in batch_ids:
                raise DuplicateCustomUrl(errors={"custom_url": DuplicateCustomUrl.template})

    def _sku_holder(self, key: str) -> int | None:
        """The product whose own SKU or whose base variant's SKU is `key`; -1 for an option variant's."""
        product = self.products.get_unique("sku", key)
        if product is not None:
            return product.id
        variant = self.variants.get_unique("sku", key)
        if variant is None:
            return None
        owner = self.products.get(variant.product_id)
        return owner.id if owner is not None and owner.base_variant_id == variant.id else -1

    def delete_product(self, product_id: int) -> None:
        with self._writing() as events:
            self._remove_product(self.product(product_id), events)

    def delete_products(self, conditions: list[Condition]) -> int:
        """DELETE /catalog/products?<filter>: a filter is required; returns how many went."""
        if not conditions:
            raise FilterRequired(errors={})
        with self._writing() as events:
            doomed = self.list_products(conditions).items
            for product in doomed:
                self._remove_product(product, events)
            return len(doomed)

    def product_view(self, product: Product) -> dict[str, Any]:
        """The product's fields over the defaults (dates as epoch seconds; the route formats them)."""
        view = PRODUCT_DEFAULTS.copy()
        view.update(product.fields)
        view["id"] = product.id
        view["calculated_price"] = calculated_price(product.fields)
        view["date_created"] = product.created_at
        view["date_modified"] = product.modified_at
        view["base_variant_id"] = product.base_variant_id
        if view["custom_url"] is None:
            view["custom_url"] = {"url": f"/{slugify(view['name'])}/", "is_customized": False}
        return view

    # product internals
    def _product_body(self, body: Any, *, creating: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        if creating and isinstance(body, dict):
            missing = {f: REQUIRED_TEXTS[f] for f in PRODUCT_REQUIRED if body.get(f) is None}
            if missing:
                raise MissingRequiredFields(errors=missing)
        fields = clean_body(body, PRODUCT_FIELDS, PRODUCT_READ_ONLY, "product")
        nested = {key: fields.pop(key) for key in NESTED if key in fields}
        if "custom_url" in fields:
            fields["custom_url"] = _custom_url(fields["custom_url"])
        _check_nested(nested)
        return fields, nested

    def _check_references(self, fields: Mapping[str, Any]) -> None:
        brand_id = fields.get("brand_id", 0)
        if brand_id and self.taxonomy.brands.get(brand_id) is None:
            raise InvalidReference(parameters={"field": "brand_id", "value": brand_id}, errors={"brand_id": "invalid"})
        for category_id in fields.get("categories", ()):
            if self.taxonomy.categories.get(category_id) is None:
                raise InvalidReference(
                    parameters={"field": "category", "value": category_id}, errors={"categories": "invalid"}
                )

    def _check_product_unique(self, fields: Mapping[str, Any], product_id: int | None) -> None:
        holder = self.products.get_unique("name", name_key(fields.get("name")) or "")
        if holder is not None and holder.id != product_id:
            raise DuplicateProductName(errors={"name": DuplicateProductName.template})
        self._check_sku(fields.get("sku"), product_id=product_id)
        url_holder = self.products.get_unique("custom_url", custom_url_key(fields) or "")
        if url_holder is not None and url_holder.id != product_id:
            raise DuplicateCustomUrl(errors={"custom_url": DuplicateCustomUrl.template})

    def _check_sku(self, sku: Any, *, product_id: int | None = None, variant_id: int | None = None) -> None:
        """SKUs are one namespace over products and variants; a product shares its SKU only with its base variant."""
        key = sku_key(sku)
        if key is None:
            return
        product = self.products.get_unique("sku", key)
        variant = self.variants.get_unique("sku", key)
        if (
            product is not None
            and product.id != product_id
            and (variant_id is None or product.base_variant_id != variant_id)
        ):
            raise DuplicateSku(errors={"sku": DuplicateSku.template})
        if variant is not None and variant.id != variant_id:
            owner = self.products.get(variant.product_id)
            if product_id is None or owner is None or owner.id != product_id or owner.base_variant_id != variant.id:
                raise DuplicateSku(errors={"sku": DuplicateSku.template})

    def _unique_custom_url(self, fields: dict[str, Any], product_id: int | None) -> None:
        """Give a product without a custom URL the slug of its name, suffixed until it is free."""
        if "custom_url" in fields and fields["custom_url"].get("is_customized", True):
            return
        base = slugify(str(fields.get("name", "")))
        candidate, n = f"/{base}/", 1
        while (holder := self.products.get_unique("custom_url", candidate.casefold())) is not None and (
            holder.id != product_id
        ):
            candidate, n = f"/{base}-{n}/", n + 1
        fields["custom_url"] = {"url": candidate, "is_customized": False}

    def _insert_product(self, fields: dict[str, Any], nested: dict[str, Any], product_id: int | None) -> Product:
        """Everything is checked before the first write, so a refused create leaves nothing behind."""
        self._check_references(fields)
        self._unique_custom_url(fields, None)
        self._check_product_unique(fields, None)
        skus = [sku_key(fields.get("sku"))] + [sku_key(v.get("sku")) for v in nested.get("variants") or []]
        present = [k for k in skus if k is not None]
        if len(present) != len(set(present)):
            raise DuplicateSku(errors={"sku": DuplicateSku.template})
        for variant_body in nested.get("variants") or []:
            self._check_sku(variant_body.get("sku"))
            self.check_variant_option_values(None, variant_body.get("option_values"))  # a new product has none
        self.check_product_extras(None, nested)
        if product_id is not None and product_id in self.products:
            raise InvalidJSON(errors={"id": "error.duplicate"})
        now = self._now()
        new_id = product_id if product_id is not None else self.products.allocate_id()
        variants = nested.get("variants") or []
        base_variant_id = None if variants else self.variants.allocate_id()
        custom_fields = self.merged_custom_fields((), nested.get("custom_fields"))
        product = Product(new_id, fields, now, now, base_variant_id, custom_fields)
        self.products.insert(new_id, product)
        if base_variant_id is not None:
            self._insert_base_variant(product)
        for variant_body in variants:
            self._insert_variant(product.id, variant_body, creating_product=True)
        for image in nested.get("images") or []:
            self._insert_image(product.id, image)
        self.insert_product_extras(product.id, nested)
        return self.products.get(new_id) or product

    def _insert_base_variant(self, product: Product) -> None:
        """The stand-in variant of a product without options (its id is already on the product)."""
        vid = product.base_variant_id
        assert vid is not None
        vfields: dict[str, Any] = {}
        if sku_key(product.fields.get("sku")):
            vfields["sku"] = product.fields["sku"]
        if "inventory_level" in product.fields:
            vfields["inventory_level"] = product.fields["inventory_level"]
        self.variants.insert(vid, Variant(vid, product.id, vfields))

    def _apply_product_update(
        self, product: Product, changes: dict[str, Any], nested: dict[str, Any], events: list[Event]
    ) -> Product:
        merged = {**product.fields, **changes}
        self._check_references(changes)
        self.check_product_extras(product.id, nested)
        self.check_image_room(product.id, len(nested.get("images") or ()))
        if "name" in changes and "custom_url" not in changes and not _customized(product.fields):
            merged.pop("custom_url", None)
            self._unique_custom_url(merged, product.id)
        self._check_product_unique(merged, product.id)
        updated = replace(
            product,
            fields=merged,
            modified_at=self._now(),
            custom_fields=self.merged_custom_fields(product.custom_fields, nested.get("custom_fields")),
        )
        self.products.replace(product.id, updated)
        self._sync_base_variant(updated, changes)
        if "inventory_tracking" in changes:
            self._recount_product_inventory(product.id)
        for image in nested.get("images") or []:
            self._insert_image(product.id, image)
        self.insert_product_extras(product.id, nested)
        events.append(("store/product/updated", {"type": "product", "id": product.id}))
        old_level = product.fields.get("inventory_level", 0)
        if "inventory_level" in changes and changes["inventory_level"] != old_level:
            events.append(
                inventory_event("product", product.id, product.id, None, "absolute", merged["inventory_level"], "api")
            )
        return self.products.get(product.id) or updated

    def _sync_base_variant(self, product: Product, changes: Mapping[str, Any]) -> None:
        """A simple product's base variant carries the same SKU and stock as the product."""
        if product.base_variant_id is None:
            return
        variant = self.variants.get(product.base_variant_id)
        if variant is None:
            return
        vfields = dict(variant.fields)
        if "sku" in changes:
            vfields["sku"] = changes["sku"]
        if "inventory_level" in changes:
            vfields["inventory_level"] = changes["inventory_level"]
        if vfields != variant.fields:
            self.variants.replace(variant.id, replace(variant, fields=vfields))

    def _remove_product(self, product: Product, events: list[Event]) -> None:
        metafields = self.store.metafields
        for variant_id in list(self.variants.ids_for("product_id", product.id)):
            metafields.drop_owner("variant", variant_id)
            self.variants.delete(variant_id)
        metafields.drop_owner("product", product.id)
        for image_id in list(self.images.ids_for("product_id", product.id)):
            self.images.delete(image_id)
            self.image_files.pop(image_id, None)
        for kind in (False, True):
            for option_id in list(self.options.ids_for("owner", (product.id, kind))):
                self.options.delete(option_id)
        self.remove_product_extras(product.id)
        self.product_channels.pop(product.id, None)
        self.products.delete(product.id)
        events.append(("store/product/deleted", {"type": "product", "id": product.id}))

    def _set_product_inventory(
        self, product: Product, level: int, events: list[Event], *, method: str, value: int, cause: str
    ) -> None:
        updated = replace(product, fields={**product.fields, "inventory_level": level}, modified_at=self._now())
        self.products.replace(product.id, updated)
        self._sync_base_variant(updated, {"inventory_level": level})
        events.append(inventory_event("product", product.id, product.id, None, method, value, cause))

    # seeding ----------------------------------------------------------------------------------------
    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """`brands`, `categories` and `products` lists, in create-body shape (an `id` is kept); no events."""
        counts = self.taxonomy.seed(section)
        products = section.get("products") or []
        for index, body in enumerate(products):
            product_id = body.get("id") if isinstance(body, dict) else None
            with seeding("products", index):
                self.create_product(body, emit=False, product_id=product_id if isinstance(product_id, int) else None)
        if products:
            counts["products"] = len(products)
        return counts


# helpers --------------------------------------------------------------------------------------------
def _check_nested(nested: Mapping[str, Any]) -> None:
    """Check a product body's custom_fields, images and variants before anything is written."""
    errors: dict[str, str] = {}
    for index, item in enumerate(nested.get("custom_fields") or []):
        if not (isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("value"), str)):
            errors[f"custom_fields[{index}]"] = "error.expected.jsobject"
    if errors:
        raise InvalidJSON(errors=errors)
    if len(nested.get("images") or ()) > MAX_PRODUCT_IMAGES:
        raise TooManyImages(parameters={"max": MAX_PRODUCT_IMAGES}, errors={"images": "error.max"})
    for image in nested.get("images") or []:
        if not isinstance(image, dict) or not isinstance(image.get("image_url"), str) or not image["image_url"].strip():
            raise ImageUrlRequired()
        clean_body(image, IMAGE_FIELDS, IMAGE_READ_ONLY, "image")
    for variant in nested.get("variants") or []:
        fields = clean_body(variant, VARIANT_FIELDS, VARIANT_READ_ONLY | {"product_id"}, "variant")
        missing = {k: "error.path.missing." for k in ("sku", "option_values") if not fields.get(k)}
        if missing:
            raise InvalidJSON(errors=missing)
        for index, value in enumerate(fields["option_values"]):
            by_name = isinstance(value, dict) and all(
                isinstance(value.get(k), str) for k in ("option_display_name", "label")
            )
            by_id = isinstance(value, dict) and all(_is_int(value.get(k)) for k in ("id", "option_id"))
            if not (by_name or by_id):
                raise InvalidJSON(errors={f"option_values[{index}]": "error.path.missing."})


def _is_int(value: Any) -> bool:
    return whole(value) is not None


def _product_value(product: Product, name: str) -> Any:
    if name == "keyword":
        f = product.fields
        return "\n".join(str(f.get(k, "")) for k in ("name", "sku", "description", "search_keywords"))
    return product.value(name)


def _sort_key(sort: str) -> Any:
    def key(product: Product) -> Any:
        value = product.value(sort)
        if isinstance(value, str):
            return (0, value.casefold(), product.id)
        return (0 if value is not None else -1, value if value is not None else 0, product.id)

    return key


def _custom_url(value: Mapping[str, Any]) -> dict[str, Any]:
    url = value.get("url")
    if not isinstance(url, str) or not url.strip():
        raise InvalidJSON(errors={"custom_url.url": "error.path.missing."})
    return {"url": url, "is_customized": bool(value.get("is_customized", True))}


def _customized(fields: Mapping[str, Any]) -> bool:
    url = fields.get("custom_url")
    return isinstance(url, dict) and bool(url.get("is_customized"))
