"""Category trees (a mixin of TaxonomyState): `/v3/catalog/trees` and `/v3/catalog/trees/categories`.

Every category belongs to one tree; a tree serves at most one channel and a channel has at most one tree.
Tree 1, for the storefront channel 1, exists from the start and holds the categories the classic
`/v3/catalog/categories` endpoints make, so both APIs show the same categories (a category's tree is its
parent's). Facts from reference/catalog/category-trees_catalog.v3.yml: tree upserts are arrays of at most 50
(413 "The request payload is too large. The maximum trees allowed in the array is 50."); creating a tree needs
`name` and one channel in `channels`, an update may not change `channels`; category batches answer
`meta: {total, success, failed}`; `GET /trees/{id}/categories` nests the categories with their `depth`,
`path` and `children`. Batch errors are keyed `<index>.<field>` (the vendor's "0.channel_ids", "1.url").
Changes announce `store/channel/<id>/categoryTree/updated` with `{"tree_id"}` (docs, channel webhooks).

Deviations (README fidelity notes): batches are all or nothing (no 207); a category's `category_uuid` is
derived from the store and the category id, so it is stable but not random.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from storefake import errors as domain
from storefake.bigcommerce.errors import (
    CategoryInUse,
    FilterRequired,
    InvalidJSON,
    ResourceNotFound,
    TreeBatchTooLarge,
)
from storefake.bigcommerce.state.catalog_fields import CATEGORY_DEFAULTS, CATEGORY_FIELDS, clean_body, whole
from storefake.filtering import Condition, plan
from storefake.table import Selection, Table

Event = tuple[str, dict[str, Any]]
DEFAULT_TREE_ID = 1
DEFAULT_TREE_NAME = "Default"  # UNVERIFIED: the name a store's first tree is given
DEFAULT_CHANNEL_ID = 1
MAX_TREE_BATCH = 50
TREE_CATEGORY_FIELDS: dict[str, Any] = {
    **{k: v for k, v in CATEGORY_FIELDS.items() if k != "custom_url"},
    "sort_order": "int32",
    "url": "obj",
    "tree_id": "int",
}
TREE_CATEGORY_READ_ONLY = frozenset({"category_uuid"})
TREE_CATEGORY_LIMITS = {"meta_description": 65535, "layout_file": 50, "search_keywords": 255}


@dataclass(frozen=True, slots=True)
class Tree:
    id: int
    name: str
    channels: tuple[int, ...]


class TreesMixin:
    trees: dict[int, Tree]
    _last_tree_id: int
    categories: Table[Any]
    store: Any
    catalog: Any
    # provided by TaxonomyState
    _writing: Any
    _new_category: Any
    _insert_category: Any
    _apply_category_update: Any
    _remove_category_tree: Any
    _check_parent: Any
    category_events: Any

    # trees ------------------------------------------------------------------------------------------
    def tree(self, tree_id: int) -> Tree:
        found = self.trees.get(tree_id)
        if found is None:
            raise ResourceNotFound()
        return found

    def list_trees(
        self, ids: Sequence[int] = (), channel_ids: Sequence[int] = (), *, offset: int = 0, limit: int | None = None
    ) -> Selection[Tree]:
        found = [
            t
            for _, t in sorted(self.trees.items())
            if (not ids or t.id in ids) and (not channel_ids or set(t.channels) & set(channel_ids))
        ]
        end = None if limit is None else offset + limit
        return Selection(found[offset:end], len(found))

    def upsert_trees(self, items: Sequence[Any]) -> list[Tree]:
        """PUT /catalog/trees: items with an `id` rename that tree, items without one create a tree."""
        if len(items) > MAX_TREE_BATCH:
            raise TreeBatchTooLarge(parameters={"max": MAX_TREE_BATCH}, errors={})
        _not_empty(items)
        with self._writing() as events:
            planned = self._plan_trees(items)
            done: list[Tree] = []
            for tree in planned:
                if tree.id == 0:
                    self._last_tree_id += 1
                    tree = replace(tree, id=self._last_tree_id)
                self.trees[tree.id] = tree
                events.extend(_tree_events(tree))
                done.append(tree)
            return done

    def delete_trees(self, ids: Sequence[int] | None) -> None:
        """DELETE /catalog/trees?id:in=...: the trees and their categories go (refused while one holds products)."""
        if ids is None:
            raise FilterRequired(errors={})
        with self._writing() as events:
            doomed = [self.trees[i] for i in dict.fromkeys(ids) if i in self.trees]
            for tree in doomed:
                for category_id in self.categories.ids_for("tree_id", tree.id):
                    if self.catalog.products.ids_for("categories", category_id):
                        raise CategoryInUse(parameters={"id": category_id}, errors={})
            for tree in doomed:
                for category in self._roots(tree.id):
                    self._remove_category_tree(category, events)
                del self.trees[tree.id]
                events.extend(_tree_events(tree))

    def tree_nodes(self, tree_id: int, depth: int | None = None) -> list[dict[str, Any]]:
        """GET /catalog/trees/{id}/categories: the tree's categories nested, down to `depth` levels."""
        self.tree(tree_id)
        children: dict[int, list[Any]] = {}
        for category_id in self.categories.ids_for("tree_id", tree_id):
            category = self.categories.get(category_id)
            children.setdefault(category.parent_id, []).append(category)

        def nodes(parent_id: int, path: list[int]) -> list[dict[str, Any]]:
            level = len(path) + 1
            if depth is not None and level > depth:
                return []
            found = sorted(children.get(parent_id, ()), key=lambda c: (c.value("sort_order"), c.id))
            return [
                {
                    "id": c.id,
                    "parent_id": c.parent_id,
                    "depth": level,
                    "path": [*path, c.id],
                    "name": c.value("name"),
                    "is_visible": c.value("is_visible"),
                    "children": nodes(c.id, [*path, c.id]),
                    "url": self.category_url(c)["url"],
                }
                for c in found
            ]

        return nodes(0, [])

    def _plan_trees(self, items: Sequence[Any]) -> list[Tree]:
        """Every item checked before any is applied; new trees get id 0 until they are stored."""
        planned: list[Tree] = []
        claimed: dict[int, int] = {}  # channel -> tree id (0 for a new one) after the batch
        for tree in self.trees.values():
            claimed.update(dict.fromkeys(tree.channels, tree.id))
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise InvalidJSON(errors={str(index): "error.expected.jsobject"})
            fields = _indexed(
                index, clean_body, item, {"id": "int", "name": "str", "channels": "ints"}, frozenset(), "tree"
            )
            tree_id = fields.get("id")
            if tree_id is not None:
                current = self.trees.get(tree_id)
                if current is None:
                    raise InvalidJSON(errors={f"{index}.id": "error.notFound"})
                if "channels" in fields and tuple(fields["channels"]) != current.channels:
                    raise InvalidJSON(errors={f"{index}.channel_ids": "Channel cannot be updated"})
                planned.append(replace(current, name=fields.get("name", current.name)))
                continue
            missing = {f"{index}.{k}": "error.path.missing" for k in ("name", "channels") if k not in fields}
            if missing:
                raise InvalidJSON(errors=missing)
            channels = fields["channels"]
            if len(channels) != 1:
                raise InvalidJSON(errors={f"{index}.channel_ids": "A category tree is assigned to exactly one channel"})
            channel_id = channels[0]
            if not self.store.channels.exists(channel_id):
                raise InvalidJSON(errors={f"{index}.channel_ids": f"Channel {channel_id} does not exist"})
            if channel_id in claimed:
                raise InvalidJSON(errors={f"{index}.channel_ids": f"Channel {channel_id} already has a category tree"})
            claimed[channel_id] = 0
            planned.append(Tree(0, fields["name"], (channel_id,)))
        return planned

    def _roots(self, tree_id: int) -> list[Any]:
        members = (self.categories.get(i) for i in self.categories.ids_for("tree_id", tree_id))
        return [c for c in members if c is not None and c.parent_id == 0]

    # tree categories --------------------------------------------------------------------------------
    def list_tree_categories(
        self, conditions: Iterable[Condition], *, offset: int = 0, limit: int | None = None
    ) -> Selection[Any]:
        selection_plan = plan(
            self.categories,
            list(conditions),
            value_of=_tree_category_value,
            indexes={"parent_id": "parent_id", "tree_id": "tree_id"},
        )
        return self.categories.select(**selection_plan.select_kwargs(), offset=offset, limit=limit)

    def create_tree_categories(self, items: Sequence[Any]) -> list[Any]:
        """POST /catalog/trees/categories: every item checked (names against the store and the batch) first."""
        parsed = [_tree_category_body(index, item, creating=True) for index, item in enumerate(_not_empty(items))]
        with self._writing() as events:
            planned = []
            keys: set[Any] = set()
            for index, fields in enumerate(parsed):
                tree_id = fields.pop("tree_id", None)
                fields.setdefault("parent_id", 0)
                category = _indexed(index, self._new_category, fields, None, tree_id)
                key = (category.tree_id, category.parent_id, str(category.value("name")).strip().casefold())
                if key in keys:
                    raise InvalidJSON(errors={f"{index}.name": "error.duplicate"})
                keys.add(key)
                planned.append(category)
            for category in planned:
                self._insert_category(category, events)
            return planned

    def update_tree_categories(self, items: Sequence[Any]) -> int:
        """PUT /catalog/trees/categories: items name their `category_id`; all are checked before any is applied."""
        parsed = [_tree_category_body(index, item, creating=False) for index, item in enumerate(_not_empty(items))]
        with self._writing() as events:
            planned: list[tuple[Any, dict[str, Any]]] = []
            for index, fields in enumerate(parsed):
                category = self.categories.get(fields.pop("category_id"))
                if category is None:
                    raise InvalidJSON(errors={f"{index}.category_id": "error.notFound"})
                tree_id = fields.pop("tree_id", None)
                if tree_id is not None and tree_id != category.tree_id:
                    raise InvalidJSON(errors={f"{index}.tree_id": "error.immutable"})
                if "parent_id" in fields:
                    parent = _indexed(index, self._check_parent, fields["parent_id"], category.id)
                    if parent is not None and parent.tree_id != category.tree_id:
                        raise InvalidJSON(errors={f"{index}.parent_id": "error.parentInAnotherTree"})
                planned.append((category, fields))
            self._check_batch_names(planned)
            for category, fields in planned:  # free the renamed ones' names first, so a batch may swap two
                if "name" in fields:
                    unnamed = {k: v for k, v in category.fields.items() if k != "name"}
                    self.categories.replace(category.id, replace(category, fields=unnamed))
            for category, fields in planned:
                self._apply_category_update(self.categories.get(category.id), fields, events)
            return len(planned)

    def delete_tree_categories(self, conditions: list[Condition]) -> int:
        """DELETE /catalog/trees/categories?<filter>: a filter is required; subcategories go with their parent."""
        if not conditions:
            raise FilterRequired(errors={})
        with self._writing() as events:
            doomed = self.list_tree_categories(conditions).items
            for category in doomed:
                if category.id in self.categories:
                    self._remove_category_tree(category, events)
            return len(doomed)

    def _check_batch_names(self, planned: list[tuple[Any, dict[str, Any]]]) -> None:
        """Names after the whole batch: unique among the batch and against every category it leaves alone."""
        touched = {category.id for category, _ in planned}
        seen: set[Any] = set()
        for index, (category, fields) in enumerate(planned):
            merged = replace(category, fields={**category.fields, **fields})
            key = (merged.tree_id, merged.parent_id, str(merged.value("name")).strip().casefold())
            holder = self.categories.get_unique("name", key)
            if key in seen or (holder is not None and holder.id not in touched):
                raise InvalidJSON(errors={f"{index}.name": "error.duplicate"})
            seen.add(key)

    # views ------------------------------------------------------------------------------------------
    def tree_category_view(self, category: Any) -> dict[str, Any]:
        """A category as the trees API shows it (`category_id`, `category_uuid`, `tree_id`, `url`)."""
        value = category.value
        view: dict[str, Any] = {
            "category_id": category.id,
            "category_uuid": self.category_uuid(category.id),
            "parent_id": category.parent_id,
            "tree_id": category.tree_id,
        }
        for key in ("name", "description", "views", "sort_order", "page_title", "search_keywords", "meta_keywords"):
            view[key] = value(key)
        for key in ("meta_description", "layout_file", "image_url", "is_visible", "default_product_sort"):
            view[key] = value(key)
        url = self.category_url(category)
        view["url"] = {"path": url["url"], "is_customized": url["is_customized"]}
        return view

    def category_url(self, category: Any) -> dict[str, Any]:
        custom = category.fields.get("custom_url")
        if custom is not None:
            return dict(custom)
        return {"url": self._category_url(category), "is_customized": False}  # type: ignore[attr-defined]

    def category_uuid(self, category_id: int) -> str:
        """A UUID (version 4 layout) made of a per-store prefix and the category id, so it maps back."""
        low = (0b10 << 62) | category_id
        return str(uuid.UUID(int=(self._uuid_prefix() << 64) | low))

    def category_id_of_uuid(self, text: str) -> int | None:
        try:
            value = uuid.UUID(text).int
        except ValueError:
            return None
        if value >> 64 != self._uuid_prefix() or (value >> 62) & 0b11 != 0b10:
            return None
        return value & ((1 << 62) - 1)

    def _uuid_prefix(self) -> int:
        digest = int.from_bytes(hashlib.sha256(self.store.store_hash.encode()).digest()[:8], "big")
        return (digest & ~(0xF << 12)) | (0x4 << 12)


# helpers --------------------------------------------------------------------------------------------
def _not_empty(items: Sequence[Any]) -> Sequence[Any]:
    if not items:
        raise InvalidJSON(errors={})  # a batch of nothing (UNVERIFIED: the vendor's answer to `[]`)
    return items


def _tree_events(tree: Tree) -> list[Event]:
    return [(f"store/channel/{c}/categoryTree/updated", {"tree_id": tree.id}) for c in tree.channels]


def _indexed(index: int | str, call: Any, *args: Any) -> Any:
    """Run one batch item's check; its errors are keyed `<index>.<field>`, as the vendor's batches key them."""
    try:
        return call(*args)
    except domain.DomainError as exc:
        errors = exc.errors if isinstance(exc.errors, Mapping) else {}
        keyed = {f"{index}.{key}": text for key, text in errors.items()}
        raise type(exc)(exc.message_template, exc.parameters, errors=keyed, detail=exc.detail) from None


def _tree_category_body(index: int, item: Any, *, creating: bool) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise InvalidJSON(errors={str(index): "error.expected.jsobject"})
    fields = _indexed(index, clean_body, item, TREE_CATEGORY_FIELDS, TREE_CATEGORY_READ_ONLY, "category")
    errors: dict[str, str] = {}
    for key, limit in TREE_CATEGORY_LIMITS.items():
        if isinstance(fields.get(key), str) and len(fields[key]) > limit:
            errors[f"{index}.{key}"] = "error.maxLength"
    if creating:
        if "name" not in fields:
            errors[f"{index}.name"] = "error.path.missing"
        if "tree_id" not in fields and "parent_id" not in fields:
            errors[f"{index}.tree_id"] = "error.path.missing"
    else:
        category_id = whole(item.get("category_id"))
        if category_id is None:
            errors[f"{index}.category_id"] = "error.path.missing"
        fields["category_id"] = category_id
    if "url" in fields:
        url_fields = {"path": "str", "is_customized": "bool"}
        url = _indexed(f"{index}.url", clean_body, fields.pop("url"), url_fields, frozenset(), "url")
        path = url.get("path")
        if not isinstance(path, str) or not path.strip():
            errors[f"{index}.url"] = "Url is required and can't be empty"  # the vendor's text (docs issue #904)
        elif len(path) > 255:
            errors[f"{index}.url.path"] = "error.maxLength"
        else:
            fields["custom_url"] = {"url": path, "is_customized": bool(url.get("is_customized", True))}
    if errors:
        raise InvalidJSON(errors=errors)
    return fields


def _tree_category_value(category: Any, name: str) -> Any:
    if name == "keyword":
        return f"{category.value('name')}\n{category.value('description')}"
    if name == "tree_id":
        return category.tree_id
    return category.value(name) if name in CATEGORY_DEFAULTS or name == "id" else category.fields.get(name)
