"""Product channel and category assignments (a mixin of CatalogState): `/v3/catalog/products/channel-assignments`
and `/v3/catalog/products/category-assignments`.

A product is sold on the channels it is assigned to. Every product starts assigned to the storefront channel
1 (UNVERIFIED: what a product the API creates is assigned to), and only products whose channels differ from
that keep a record (`product_channels`), so products that never meet these endpoints cost nothing more.
Category assignments are the product's `categories`, the same list product bodies set. Assignment lists run
in (product id, channel or category id) order (UNVERIFIED). Facts from reference/catalog/products_catalog.v3.yml
and the channel webhook guide: PUT answers 204, DELETE needs a filter (422 otherwise) and answers 204;
`store/channel/<id>/product/assigned|unassigned` carry `{"product_id"}`, and
`store/channel/<id>/category/product/assigned|unassigned` fire for the channels of the category's tree
(their `{"product_id", "category_id"}` data is UNVERIFIED). Batch errors are keyed `<index>.<field>`.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from sortedcontainers import SortedDict

from storefake.bigcommerce.errors import AssignmentFilterRequired, InvalidJSON, TooManyProductCategories
from storefake.bigcommerce.state.catalog_fields import whole
from storefake.bigcommerce.state.catalog_records import Event, Product
from storefake.filtering import Condition
from storefake.table import Selection, Table

DEFAULT_CHANNEL_ID = 1
DEFAULT_CHANNELS: tuple[int, ...] = (DEFAULT_CHANNEL_ID,)
MAX_PRODUCT_CATEGORIES = 1000  # the spec's "1,000 categories per product limit"
Pair = tuple[int, int]


class AssignmentsMixin:
    products: Table[Product]
    product_channels: SortedDict  # product id -> its channels, kept only when not DEFAULT_CHANNELS
    store: Any
    taxonomy: Any
    # provided by CatalogState
    _writing: Any
    _now: Any

    # channel assignments ----------------------------------------------------------------------------
    def channels_of(self, product_id: int) -> tuple[int, ...]:
        """The channels a product is assigned to, in id order."""
        channels: tuple[int, ...] = self.product_channels.get(product_id, DEFAULT_CHANNELS)
        return channels

    def list_channel_assignments(
        self,
        product_ids: Sequence[int] | None = None,
        channel_ids: Sequence[int] | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> Selection[Pair]:
        wanted = None if channel_ids is None else frozenset(channel_ids)
        if product_ids is not None:
            pairs = [
                (pid, c)
                for pid in sorted(set(product_ids))
                if pid in self.products
                for c in self.channels_of(pid)
                if wanted is None or c in wanted
            ]
            return _paged(pairs, offset, limit)
        if wanted is not None and DEFAULT_CHANNEL_ID not in wanted:
            # Only products with their own channels can be on another channel.
            pairs = [(pid, c) for pid, channels in self.product_channels.items() for c in channels if c in wanted]
            return _paged(pairs, offset, limit)
        return self._walk_channel_pairs(wanted, offset, limit)

    def channel_conditions(self, channel_ids: Sequence[int]) -> list[Condition]:
        """`channel_id:in` on products as id conditions, from the products with channels of their own."""
        wanted = frozenset(channel_ids)
        if DEFAULT_CHANNEL_ID in wanted:
            excluded = [pid for pid, channels in self.product_channels.items() if wanted.isdisjoint(channels)]
            return [Condition("id", "nin", excluded)] if excluded else []
        return [
            Condition(
                "id", "in", [p for p, channels in self.product_channels.items() if not wanted.isdisjoint(channels)]
            )
        ]

    def create_channel_assignments(self, items: Sequence[Any]) -> None:
        """PUT: each `{product_id, channel_id}` is checked before any is applied; known pairs stay as they are."""
        pairs = [self._assignment(index, item, "channel_id") for index, item in enumerate(items)]
        with self._writing() as events:
            for index, (product_id, channel_id) in enumerate(pairs):
                self._check_product(index, product_id)
                if not self.store.channels.exists(channel_id):
                    raise InvalidJSON(errors={f"{index}.channel_id": f"Channel {channel_id} does not exist"})
            for product_id, channel_id in pairs:
                channels = self.channels_of(product_id)
                if channel_id not in channels:
                    self._set_channels(product_id, tuple(sorted((*channels, channel_id))))
                    events.append(_channel_event(channel_id, "assigned", product_id))

    def delete_channel_assignments(self, product_ids: Sequence[int] | None, channel_ids: Sequence[int] | None) -> None:
        """DELETE ?product_id:in=&channel_id:in=: at least one filter; the pairs both filters match go."""
        if product_ids is None and channel_ids is None:
            raise AssignmentFilterRequired(parameters={"kind": "channel"}, errors={})
        with self._writing() as events:
            doomed = self.list_channel_assignments(product_ids, channel_ids).items
            for product_id, group in itertools.groupby(doomed, key=lambda pair: pair[0]):
                gone = {channel_id for _, channel_id in group}
                self._set_channels(product_id, tuple(c for c in self.channels_of(product_id) if c not in gone))
                events.extend(_channel_event(c, "unassigned", product_id) for c in sorted(gone))

    def _set_channels(self, product_id: int, channels: tuple[int, ...]) -> None:
        if channels == DEFAULT_CHANNELS:
            self.product_channels.pop(product_id, None)
        else:
            self.product_channels[product_id] = channels

    def _walk_channel_pairs(self, wanted: frozenset[int] | None, offset: int, limit: int | None) -> Selection[Pair]:
        """Every product is on channel 1 but those with their own channels: the page is found by walking the
        products with their own channels only (each counts `len(channels) - 1` more pairs than a product
        without), then the products from there, so a page costs about the page and those products."""

        def kept(channels: tuple[int, ...]) -> tuple[int, ...]:
            return channels if wanted is None else tuple(c for c in channels if c in wanted)

        extra = sum(len(kept(channels)) - 1 for channels in self.product_channels.values())
        total = len(self.products) + extra
        stop = total if limit is None else min(total, offset + limit)
        if offset >= stop:
            return Selection([], total)
        position, skip, extra = offset, 0, 0
        for product_id, channels in self.product_channels.items():
            at = self.products.position(product_id)
            if at + extra > offset:
                break  # the page starts at a product without channels of its own, before this one
            count = len(kept(channels))
            if at + extra + count > offset:
                position, skip = at, offset - at - extra
                break
            extra += count - 1
            position = offset - extra
        pairs = ((pid, c) for pid in self.products.ids_from(position) for c in kept(self.channels_of(pid)))
        return Selection(list(itertools.islice(pairs, skip, skip + stop - offset)), total)

    # category assignments ---------------------------------------------------------------------------
    def list_category_assignments(
        self,
        product_ids: Sequence[int] | None = None,
        category_ids: Sequence[int] | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> Selection[Pair]:
        if product_ids is not None:
            wanted = None if category_ids is None else frozenset(category_ids)
            pairs = [
                (pid, c)
                for pid in sorted(set(product_ids))
                if (product := self.products.get(pid)) is not None
                for c in sorted(product.fields.get("categories", ()))
                if wanted is None or c in wanted
            ]
            return _paged(pairs, offset, limit)
        keys = sorted(set(category_ids)) if category_ids is not None else list(self.taxonomy.categories.ids_from(0))
        buckets = [(c, self.products.ids_for("categories", c)) for c in keys]
        total = sum(len(ids) for _, ids in buckets)
        if offset >= total:  # a page past the end (as deep as `?page=` allows) is empty, not walked to
            return Selection([], total)
        merged: Iterator[Pair] = heapq.merge(*(zip(ids, itertools.repeat(c)) for c, ids in buckets if ids))
        stop = None if limit is None else offset + limit
        return Selection(list(itertools.islice(merged, offset, stop)), total)

    def create_category_assignments(self, items: Sequence[Any]) -> None:
        """PUT: each `{product_id, category_id}` checked first; a product keeps at most 1,000 categories."""
        pairs = [self._assignment(index, item, "category_id") for index, item in enumerate(items)]
        with self._writing() as events:
            added: dict[int, list[int]] = {}
            for index, (product_id, category_id) in enumerate(pairs):
                product = self._check_product(index, product_id)
                if self.taxonomy.categories.get(category_id) is None:
                    raise InvalidJSON(errors={f"{index}.category_id": f"Category {category_id} does not exist"})
                current = product.fields.get("categories", ())
                news = added.setdefault(product_id, [])
                if category_id not in current and category_id not in news:
                    news.append(category_id)
                    if len(current) + len(news) > MAX_PRODUCT_CATEGORIES:
                        raise TooManyProductCategories(
                            parameters={"max": MAX_PRODUCT_CATEGORIES}, errors={f"{index}.category_id": "error.max"}
                        )
            for product_id, news in added.items():
                if news:
                    product = self.products.get(product_id)
                    assert product is not None
                    self._set_categories(product, [*product.fields.get("categories", ()), *news])
                    for category_id in news:
                        events.extend(self._category_events("assigned", product_id, category_id))

    def delete_category_assignments(
        self, product_ids: Sequence[int] | None, category_ids: Sequence[int] | None
    ) -> None:
        if product_ids is None and category_ids is None:
            raise AssignmentFilterRequired(parameters={"kind": "category"}, errors={})
        with self._writing() as events:
            doomed = self.list_category_assignments(product_ids, category_ids).items
            for product_id, group in itertools.groupby(doomed, key=lambda pair: pair[0]):
                gone = [category_id for _, category_id in group]
                product = self.products.get(product_id)
                assert product is not None
                self._set_categories(product, [c for c in product.fields.get("categories", ()) if c not in gone])
                for category_id in gone:
                    events.extend(self._category_events("unassigned", product_id, category_id))

    def _set_categories(self, product: Product, categories: list[int]) -> None:
        fields = {**product.fields, "categories": categories}
        self.products.replace(product.id, replace(product, fields=fields, modified_at=self._now()))

    def _category_events(self, verb: str, product_id: int, category_id: int) -> list[Event]:
        category = self.taxonomy.categories.get(category_id)
        tree = self.taxonomy.trees.get(category.tree_id) if category is not None else None
        data = {"product_id": product_id, "category_id": category_id}
        return [(f"store/channel/{c}/category/product/{verb}", dict(data)) for c in (tree.channels if tree else ())]

    # shared -----------------------------------------------------------------------------------------
    def _assignment(self, index: int, item: Any, other: str) -> Pair:
        if not isinstance(item, dict):
            raise InvalidJSON(errors={str(index): "error.expected.jsobject"})
        errors: dict[str, str] = {}
        values = []
        for key in ("product_id", other):
            value = whole(item.get(key))
            if key not in item:
                errors[f"{index}.{key}"] = "error.path.missing"
            elif value is None or isinstance(item[key], bool) or value < 1:
                errors[f"{index}.{key}"] = "error.expected.jsnumber"
            values.append(value)
        if errors:
            raise InvalidJSON(errors=errors)
        return values[0], values[1]

    def _check_product(self, index: int, product_id: int) -> Product:
        product = self.products.get(product_id)
        if product is None:
            raise InvalidJSON(errors={f"{index}.product_id": f"Product {product_id} does not exist"})
        return product


def _channel_event(channel_id: int, verb: str, product_id: int) -> Event:
    return (f"store/channel/{channel_id}/product/{verb}", {"product_id": product_id})


def _paged(pairs: list[Pair], offset: int, limit: int | None) -> Selection[Pair]:
    stop = None if limit is None else offset + limit
    return Selection(pairs[offset:stop], len(pairs))
