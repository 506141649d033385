"""Categories and brands of one store's V3 catalog (the product side is in catalog.py).

Category names are unique under one parent (409 otherwise); a category that still holds products can't
be deleted (422); deleting a category deletes its subcategories, as the control panel does. Brand names are
unique store-wide; deleting a brand leaves its products without a brand (`brand_id` 0).
Category events are `store/category/created|updated|deleted` with `{"type": "category", "id": n}`, and
`store/channel/<id>/category/...` with `{"category_id", "tree_id"}` for the channels of its tree; the vendor
has no brand webhooks, so brands announce nothing. Every category belongs to a category tree
(catalog_trees.py): the classic endpoints work in the tree of the parent, tree 1 for top-level categories.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from storefake.bigcommerce.errors import (
    CategoryInUse,
    DuplicateBrandName,
    DuplicateCategoryName,
    FilterRequired,
    InvalidJSON,
    ParentCategoryNotFound,
    ResourceNotFound,
)
from storefake.bigcommerce.state.catalog_fields import (
    BRAND_DEFAULTS,
    BRAND_FIELDS,
    BRAND_READ_ONLY,
    CATEGORY_DEFAULTS,
    CATEGORY_FIELDS,
    CATEGORY_READ_ONLY,
    clean_body,
    name_key,
    slugify,
)
from storefake.bigcommerce.state.catalog_trees import (
    DEFAULT_CHANNEL_ID,
    DEFAULT_TREE_ID,
    DEFAULT_TREE_NAME,
    Tree,
    TreesMixin,
)
from storefake.filtering import Condition, plan
from storefake.seeding import seeding
from storefake.table import Selection, Table

Event = tuple[str, dict[str, Any]]
MAX_CATEGORY_DEPTH = 8  # vendor-facts §4


@dataclass(slots=True)
class Category:
    id: int
    fields: dict[str, Any]

    @property
    def parent_id(self) -> int:
        return int(self.fields.get("parent_id", 0))

    @property
    def tree_id(self) -> int:
        """The category tree it belongs to; kept in `fields` only when not the default tree 1."""
        return int(self.fields.get("tree_id", DEFAULT_TREE_ID))

    def value(self, name: str) -> Any:
        return self.id if name == "id" else self.fields.get(name, CATEGORY_DEFAULTS.get(name))


@dataclass(slots=True)
class Brand:
    id: int
    fields: dict[str, Any]

    def value(self, name: str) -> Any:
        return self.id if name == "id" else self.fields.get(name, BRAND_DEFAULTS.get(name))


def _category_key(category: Category) -> tuple[int, int, str] | None:
    """Names are unique under one parent; top-level ones within their tree."""
    key = name_key(category.fields.get("name"))
    return None if key is None else (category.tree_id, category.parent_id, key)


class TaxonomyState(TreesMixin):
    def __init__(self, store: Any, catalog: Any) -> None:
        self.store = store
        self.catalog = catalog
        self.categories: Table[Category] = Table(
            unique={"name": _category_key},
            indexes={"parent_id": lambda c: (c.parent_id,), "tree_id": lambda c: (c.tree_id,)},
        )
        self.brands: Table[Brand] = Table(unique={"name": lambda b: name_key(b.fields.get("name"))})
        # Category trees (catalog_trees.py): tree 1 belongs to the storefront channel 1 from the start.
        self.trees: dict[int, Tree] = {DEFAULT_TREE_ID: Tree(DEFAULT_TREE_ID, DEFAULT_TREE_NAME, (DEFAULT_CHANNEL_ID,))}
        self._last_tree_id = DEFAULT_TREE_ID

    @contextmanager
    def _writing(self) -> Iterator[list[Event]]:
        events: list[Event] = []
        with self.store.lock:
            yield events
        for scope, data in events:
            self.store.emit(scope, data)

    # categories -------------------------------------------------------------------------------------
    def list_categories(
        self, conditions: Iterable[Condition], *, offset: int = 0, limit: int | None = None
    ) -> Selection[Category]:
        selection_plan = plan(
            self.categories, list(conditions), value_of=lambda c, f: c.value(f), indexes={"parent_id": "parent_id"}
        )
        return self.categories.select(**selection_plan.select_kwargs(), offset=offset, limit=limit)

    def get_category(self, category_id: int) -> Category:
        category = self.categories.get(category_id)
        if category is None:
            raise ResourceNotFound()
        return category

    def create_category(self, body: Any, *, emit: bool = True, category_id: int | None = None) -> Category:
        fields = clean_body(body, CATEGORY_FIELDS, CATEGORY_READ_ONLY, "category")
        missing = {k: "error.path.missing." for k in ("name", "parent_id") if k not in fields}
        if missing:
            raise InvalidJSON(errors=missing)
        with self._writing() as events:
            category = self._new_category(fields, category_id, None)
            self._insert_category(category, events if emit else [])
            return category

    def _new_category(self, fields: dict[str, Any], category_id: int | None, tree_id: int | None) -> Category:
        """A category checked against its parent, its tree and its siblings' names (not yet stored)."""
        parent = self._check_parent(fields["parent_id"], None)
        tree = parent.tree_id if parent is not None else (tree_id or DEFAULT_TREE_ID)
        if tree_id is not None and tree != tree_id:
            raise InvalidJSON(errors={"tree_id": "error.parentInAnotherTree"})
        if tree not in self.trees:
            raise InvalidJSON(errors={"tree_id": "error.notFound"})
        if tree != DEFAULT_TREE_ID:
            fields["tree_id"] = tree
        new_id = category_id if category_id is not None else self.categories.allocate_id()
        category = Category(new_id, fields)
        self._check_category_name(category)
        if new_id in self.categories:
            raise InvalidJSON(errors={"id": "error.duplicate"})
        return category

    def _insert_category(self, category: Category, events: list[Event]) -> None:
        self.categories.insert(category.id, category)
        events.extend(self.category_events("created", category))

    def category_events(self, verb: str, category: Category) -> list[Event]:
        """`store/category/<verb>`, and `store/channel/<id>/category/<verb>` for each channel of its tree."""
        found: list[Event] = [(f"store/category/{verb}", {"type": "category", "id": category.id})]
        tree = self.trees.get(category.tree_id)
        for channel_id in tree.channels if tree is not None else ():
            data = {"category_id": category.id, "tree_id": category.tree_id}
            found.append((f"store/channel/{channel_id}/category/{verb}", data))
        return found

    def update_category(self, category_id: int, body: Any) -> Category:
        changes = clean_body(body, CATEGORY_FIELDS, CATEGORY_READ_ONLY, "category")
        with self._writing() as events:
            return self._apply_category_update(self.get_category(category_id), changes, events)

    def _apply_category_update(self, category: Category, changes: dict[str, Any], events: list[Event]) -> Category:
        if "parent_id" in changes:
            parent = self._check_parent(changes["parent_id"], category.id)
            if parent is not None and parent.tree_id != category.tree_id:
                raise InvalidJSON(errors={"parent_id": "error.parentInAnotherTree"})
        updated = replace(category, fields={**category.fields, **changes})
        self._check_category_name(updated)
        self.categories.replace(category.id, updated)
        events.extend(self.category_events("updated", updated))
        return updated

    def delete_category(self, category_id: int) -> None:
        with self._writing() as events:
            self._remove_category_tree(self.get_category(category_id), events)

    def delete_categories(self, conditions: list[Condition]) -> int:
        if not conditions:
            raise FilterRequired(errors={})
        with self._writing() as events:
            doomed = self.list_categories(conditions).items
            for category in doomed:
                if category.id in self.categories:
                    self._remove_category_tree(category, events)
            return len(doomed)

    def category_view(self, category: Category) -> dict[str, Any]:
        view = CATEGORY_DEFAULTS.copy()
        view.update(category.fields)
        view.pop("tree_id", None)  # the classic object has no tree; the trees API shows it
        view["id"] = category.id
        if view["custom_url"] is None:
            view["custom_url"] = {"url": self._category_url(category), "is_customized": False}
        return view

    def _category_url(self, category: Category) -> str:
        """`/parent-slug/child-slug/`, as the vendor builds a category's URL from its path."""
        parts: list[str] = []
        current: Category | None = category
        while current is not None and len(parts) <= MAX_CATEGORY_DEPTH:
            parts.append(slugify(str(current.fields.get("name", ""))))
            current = self.categories.get(current.parent_id) if current.parent_id else None
        return "/" + "/".join(reversed(parts)) + "/"

    def _check_parent(self, parent_id: int, category_id: int | None) -> Category | None:
        """The parent (None for a top-level category), checked to exist and to keep the tree acyclic and shallow."""
        if parent_id == 0:
            return None
        depth, current = 1, self.categories.get(parent_id)
        if current is None:
            raise ParentCategoryNotFound(parameters={"id": parent_id}, errors={"parent_id": "invalid"})
        parent = current
        while current is not None:
            if current.id == category_id:  # moving a category under itself
                raise InvalidJSON(errors={"parent_id": "error.cycle"})
            depth += 1
            current = self.categories.get(current.parent_id) if current.parent_id else None
        if depth > MAX_CATEGORY_DEPTH:
            raise InvalidJSON(errors={"parent_id": "error.maxDepth"})
        return parent

    def _check_category_name(self, category: Category) -> None:
        key = _category_key(category)
        holder = self.categories.get_unique("name", key) if key is not None else None
        if holder is not None and holder.id != category.id:
            raise DuplicateCategoryName(errors={"name": DuplicateCategoryName.template})

    def _remove_category_tree(self, category: Category, events: list[Event]) -> None:
        tree = self._subtree(category)
        for member in tree:
            if self.catalog.products.ids_for("categories", member.id):
                raise CategoryInUse(parameters={"id": member.id}, errors={})
        for member in reversed(tree):
            self.categories.delete(member.id)
            self.store.metafields.drop_owner("category", member.id)
            events.extend(self.category_events("deleted", member))

    def _subtree(self, category: Category) -> list[Category]:
        found, queue = [category], [category]
        while queue:
            parent = queue.pop()
            for child_id in list(self.categories.ids_for("parent_id", parent.id)):
                child = self.categories.get(child_id)
                if child is not None:
                    found.append(child)
                    queue.append(child)
        return found

    # brands -----------------------------------------------------------------------------------------
    def list_brands(
        self, conditions: Iterable[Condition], *, offset: int = 0, limit: int | None = None
    ) -> Selection[Brand]:
        selection_plan = plan(
            self.brands, list(conditions), value_of=lambda b, f: b.value(f), indexes={"name": "name"},
            normalize={"name": name_key},
        )  # fmt: skip
        return self.brands.select(**selection_plan.select_kwargs(), offset=offset, limit=limit)

    def get_brand(self, brand_id: int) -> Brand:
        brand = self.brands.get(brand_id)
        if brand is None:
            raise ResourceNotFound()
        return brand

    def create_brand(self, body: Any, *, brand_id: int | None = None) -> Brand:
        fields = clean_body(body, BRAND_FIELDS, BRAND_READ_ONLY, "brand")
        if "name" not in fields:
            raise InvalidJSON(errors={"name": "error.path.missing."})
        with self.store.lock:
            new_id = brand_id if brand_id is not None else self.brands.allocate_id()
            brand = Brand(new_id, fields)
            self._check_brand_name(brand)
            if new_id in self.brands:
                raise InvalidJSON(errors={"id": "error.duplicate"})
            self.brands.insert(new_id, brand)
            return brand

    def update_brand(self, brand_id: int, body: Any) -> Brand:
        changes = clean_body(body, BRAND_FIELDS, BRAND_READ_ONLY, "brand")
        with self.store.lock:
            brand = self.get_brand(brand_id)
            updated = replace(brand, fields={**brand.fields, **changes})
            self._check_brand_name(updated)
            self.brands.replace(brand_id, updated)
            return updated

    def delete_brand(self, brand_id: int) -> None:
        with self.store.lock:
            self._remove_brand(self.get_brand(brand_id))

    def delete_brands(self, conditions: list[Condition]) -> int:
        """DELETE /catalog/brands?name=...: the vendor requires the name filter."""
        if not any(c.field == "name" for c in conditions):
            raise FilterRequired(errors={})
        with self.store.lock:
            doomed = self.list_brands(conditions).items
            for brand in doomed:
                self._remove_brand(brand)
            return len(doomed)

    def brand_view(self, brand: Brand) -> dict[str, Any]:
        view = BRAND_DEFAULTS.copy()
        view.update(brand.fields)
        view["id"] = brand.id
        if view["custom_url"] is None:
            view["custom_url"] = {"url": f"/brands/{slugify(str(view['name']))}.html", "is_customized": False}
        return view

    def _check_brand_name(self, brand: Brand) -> None:
        holder = self.brands.get_unique("name", name_key(brand.fields.get("name")) or "")
        if holder is not None and holder.id != brand.id:
            raise DuplicateBrandName(errors={"name": DuplicateBrandName.template})

    def _remove_brand(self, brand: Brand) -> None:
        products = self.catalog.products
        for product_id in list(products.ids_for("brand_id", brand.id)):
            product = products.get(product_id)
            products.replace(product_id, replace(product, fields={**product.fields, "brand_id": 0}))
        self.brands.delete(brand.id)
        self.store.metafields.drop_owner("brand", brand.id)

    # seeding ----------------------------------------------------------------------------------------
    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for index, body in enumerate(section.get("brands") or []):
            with seeding("brands", index):
                self.create_brand(body, brand_id=_given_id(body))
        for index, body in _parents_first(section.get("categories") or []):
            with seeding("categories", index):
                self.create_category({"parent_id": 0, **body}, emit=False, category_id=_given_id(body))
        for key in ("brands", "categories"):
            if section.get(key):
                counts[key] = len(section[key])
        return counts


def _given_id(body: Any) -> int | None:
    value = body.get("id") if isinstance(body, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _parents_first(bodies: list[Any]) -> list[tuple[int, Any]]:
    """Seed categories so that a parent given with an id exists before its children (with their places)."""
    return sorted(
        enumerate(bodies), key=lambda item: (item[1].get("parent_id", 0) or 0) if isinstance(item[1], dict) else 0
    )
