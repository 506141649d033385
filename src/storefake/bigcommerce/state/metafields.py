"""Metafields of one store, for every owner type: products, variants, categories, brands, customers, orders.

One table, one set of rules (reference/catalog/*_catalog.v3.yml, customers.v3.yml, orders.v3.yml):

- a metafield belongs to one resource (`resource_type`, `resource_id`) and to the API client that made it
  (`owner_client_id`); (client, resource, namespace, key) is unique (409);
- `permission_set` decides what other clients may do: `app_only` hides it from them, `read` and
  `read_and_sf_access` let them read, `write` and `write_and_sf_access` let them change it too (403 else);
- `namespace` and `key` are 1-64 characters, `value` 1-65535, `description` at most 255;
- at most 250 per resource and client (the products and orders specs; categories and brands say 50 in
  one place and 250 in another: 250 is used);
- batch writes succeed item by item: failures are reported beside the successes (the specs' 422 with
  `data`, `errors` and `meta {total, success, failed}`);
- a resource's metafields go with it (`drop_owner`, called by each owner family when it deletes).

Deviations (README fidelity notes): owners are checked to exist (a metafield on an unknown product is a
404, or a failed batch item); uniqueness compares namespace and key exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from storefake.bigcommerce.errors import (
    MetafieldConflict,
    MetafieldForbidden,
    MetafieldInvalid,
    MetafieldLimitReached,
    MetafieldNotFound,
    ResourceNotFound,
)
from storefake.errors import DomainError
from storefake.filtering import Condition, matches
from storefake.seeding import seeding
from storefake.table import Table

PERMISSION_SETS = ("app_only", "read", "write", "read_and_sf_access", "write_and_sf_access")
SHARED_WRITE = frozenset({"write", "write_and_sf_access"})
MAX_PER_RESOURCE = 250
# (field, least, most characters): the specs' lengths for every owner type.
TEXT_FIELDS = (("namespace", 1, 64), ("key", 1, 64), ("value", 1, 65535), ("description", 0, 255))
REQUIRED = ("permission_set", "namespace", "key", "value")
# Owners whose metafield changes fire webhooks (docs/webhooks/callbacks/store_<type>_metafield_*.yml);
# there are no customer metafield events.
EVENT_SCOPES = {
    "product": "store/product/metafield",
    "variant": "store/variant/metafield",
    "category": "store/category/metafield",
    "brand": "store/brand/metafield",
    "order": "store/order/metafield",
    "location": "store/inventory/location/metafield",
}
# Per-item texts of a batch: two are the specs' examples, the others UNVERIFIED.
NOT_FOUND_TEXT = "Metafield does not exist"
CONFLICT_TEXT = "Metafield with the same namespace and key already exists for this resource"


@dataclass(frozen=True, slots=True)
class Metafield:
    id: int
    resource_type: str
    resource_id: int
    namespace: str
    key: str
    value: str
    permission_set: str
    description: str
    owner_client_id: str
    date_created: float
    date_modified: float

    @property
    def unique_key(self) -> tuple[str, str, int, str, str]:
        return (self.owner_client_id, self.resource_type, self.resource_id, self.namespace, self.key)


@dataclass(frozen=True, slots=True)
class Owner:
    """The resource a metafield hangs on; `product_id` pins a variant to its product (nested paths)."""

    resource_type: str
    resource_id: int
    product_id: int | None = None


@dataclass(frozen=True, slots=True)
class MetafieldListing:
    conditions: Sequence[Condition] = ()
    descending: bool = False
    offset: int = 0
    limit: int = 50
    before: int | None = None
    after: int | None = None


@dataclass(frozen=True, slots=True)
class MetafieldPage:
    items: list[Metafield]
    total: int
    has_before: bool
    has_after: bool


@dataclass(slots=True)
class BatchResult:
    """What a batch did: the items done (metafields, or ids for a delete) and the failures by item key."""

    done: list[Any] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    total: int = 0


def _exists(store: Any, owner: Owner) -> bool:
    kind, row_id = owner.resource_type, owner.resource_id
    if kind == "product":
        return store.catalog.get_product(row_id) is not None
    if kind == "variant":
        variant = store.catalog.get_variant(row_id)
        return variant is not None and owner.product_id in (None, variant.product_id)
    if kind == "category":
        return store.catalog.taxonomy.categories.get(row_id) is not None
    if kind == "brand":
        return store.catalog.taxonomy.brands.get(row_id) is not None
    if kind == "customer":
        return store.customers.get_customer(row_id) is not None
    if kind == "order":
        return store.orders.orders.get(row_id) is not None
    inventory = getattr(store, "inventory", None)
    return kind == "location" and inventory is not None and inventory.locations.get(row_id) is not None


def check_fields(body: Any, *, creating: bool) -> dict[str, str]:
    """The writable fields of a metafield body; MetafieldInvalid naming each bad field (Play-style codes)."""
    if not isinstance(body, Mapping):
        raise MetafieldInvalid(errors={"obj": "error.expected.jsobject"})
    errors: dict[str, str] = {}
    fields: dict[str, str] = {}
    for name in REQUIRED:
        if creating and name not in body:
            errors[name] = "error.path.missing"
    for name, least, most in TEXT_FIELDS:
        if name not in body or name in errors:
            continue
        value = body[name]
        if not isinstance(value, str):
            errors[name] = "error.expected.jsstring"
        elif len(value) < least:
            errors[name] = "error.minLength"
        elif len(value) > most:
            errors[name] = "error.maxLength"
        else:
            fields[name] = value
    if "permission_set" in body and "permission_set" not in errors:
        if body["permission_set"] not in PERMISSION_SETS:
            errors["permission_set"] = "error.expected.validenumvalue"
        else:
            fields["permission_set"] = body["permission_set"]
    if errors:
        raise MetafieldInvalid(errors=errors)
    return fields


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and 0 < value < 2**63 else None


class MetafieldState:
    """Every metafield of one store, indexed by resource and by resource type."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.metafields: Table[Metafield] = Table(
            unique={"key": lambda m: m.unique_key},
            indexes={
                "resource": lambda m: ((m.resource_type, m.resource_id),),
                "type": lambda m: (m.resource_type,),
            },
        )

    # single resource --------------------------------------------------------------------------------
    def list_metafields(
        self, resource_type: str, owner: Owner | None, client_id: str, listing: MetafieldListing
    ) -> MetafieldPage:
        """A page of the metafields `client_id` may see, of one resource or (batch listing) of a type."""
        if owner is not None:
            self._check_owner(owner)
            candidates = self.metafields.ids_for("resource", (owner.resource_type, owner.resource_id))
        else:
            candidates = self.metafields.ids_for("type", resource_type)
        conditions = list(listing.conditions)

        def wanted(m: Metafield) -> bool:
            return _visible(m, client_id) and all(matches(getattr(m, c.field), c) for c in conditions)

        # Cursors follow the listing's direction: `after` pages on, `before` pages back (read in reverse).
        low, high = (listing.after, listing.before) if not listing.descending else (listing.before, listing.after)
        back = listing.before is not None
        found = self.metafields.select(
            candidates=(candidates,),
            id_min=None if low is None else low + 1,
            id_max=None if high is None else high - 1,
            where=wanted,
            descending=listing.descending != back,
            offset=listing.offset,
            limit=listing.limit,
        )
        items = found.items[::-1] if back else found.items
        more = listing.offset + len(items) < found.total
        if back:
            return MetafieldPage(items, found.total, more, True)
        return MetafieldPage(items, found.total, listing.offset > 0 or listing.after is not None, more)

    def create_metafield(self, owner: Owner, body: Any, client_id: str) -> Metafield:
        fields = check_fields(body, creating=True)
        with self.store.lock:
            self._check_owner(owner)
            created = self._insert(owner, fields, client_id)
        self._announce(created, "created")
        return created

    def get_metafield(self, owner: Owner, metafield_id: int, client_id: str) -> Metafield:
        self._check_owner(owner)
        return self._visible_of(owner, metafield_id, client_id)

    def update_metafield(self, owner: Owner, metafield_id: int, body: Any, client_id: str) -> Metafield:
        fields = check_fields(body, creating=False)
        with self.store.lock:
            self._check_owner(owner)
            updated = self._update(self._visible_of(owner, metafield_id, client_id), fields, client_id)
        self._announce(updated, "updated")
        return updated

    def delete_metafield(self, owner: Owner, metafield_id: int, client_id: str) -> None:
        with self.store.lock:
            self._check_owner(owner)
            doomed = self._visible_of(owner, metafield_id, client_id)
            self._delete(doomed, client_id)
        self._announce(doomed, "deleted")

    # batches ----------------------------------------------------------------------------------------
    def create_metafields(self, resource_type: str, items: Sequence[Any], client_id: str) -> BatchResult:
        """POST /<owners>/metafields: each item names its `resource_id`; each succeeds or fails alone."""
        result = BatchResult(total=len(items))
        with self.store.lock:
            for index, item in enumerate(items):
                try:
                    fields = check_fields(item, creating=True)
                    resource_id = _whole(item.get("resource_id"))
                    if resource_id is None:
                        raise MetafieldInvalid(errors={"resource_id": "error.path.missing"})
                    owner = Owner(resource_type, resource_id)
                    self._check_owner(owner)
                    result.done.append(self._insert(owner, fields, client_id))
                except DomainError as exc:
                    result.failures[str(index)] = _item_text(exc)
        for created in result.done:
            self._announce(created, "created")
        return result

    def update_metafields(self, resource_type: str, items: Sequence[Any], client_id: str) -> BatchResult:
        """PUT /<owners>/metafields: each item names the metafield `id` it changes."""
        result = BatchResult(total=len(items))
        with self.store.lock:
            for index, item in enumerate(items):
                try:
                    fields = check_fields(item, creating=False)
                    metafield_id = _whole(item.get("id"))
                    if metafield_id is None:
                        raise MetafieldInvalid(errors={"id": "error.path.missing"})
                    current = self._of_type(resource_type, metafield_id, client_id)
                    result.done.append(self._update(current, fields, client_id))
                except DomainError as exc:
                    result.failures[str(index)] = _item_text(exc)
        for updated in result.done:
            self._announce(updated, "updated")
        return result

    def delete_metafields(self, resource_type: str, ids: Sequence[Any], client_id: str) -> BatchResult:
        """DELETE /<owners>/metafields with a list of ids; failures are keyed by the id asked for."""
        result = BatchResult(total=len(ids))
        gone: list[Metafield] = []
        with self.store.lock:
            for raw in ids:
                try:
                    metafield_id = _whole(raw)
                    if metafield_id is None:
                        raise MetafieldNotFound()
                    doomed = self._of_type(resource_type, metafield_id, client_id)
                    self._delete(doomed, client_id)
                    gone.append(doomed)
                    result.done.append(doomed.id)
                except DomainError as exc:
                    result.failures[str(raw)] = _item_text(exc)
        for doomed in gone:
            self._announce(doomed, "deleted")
        return result

    # owners -----------------------------------------------------------------------------------------
    def drop_owner(self, resource_type: str, resource_id: int) -> int:
        """Delete a resource's metafields (its family calls this, under the store lock, when it deletes it)."""
        doomed = list(self.metafields.ids_for("resource", (resource_type, resource_id)))
        for metafield_id in doomed:
            self.metafields.delete(metafield_id)
        return len(doomed)

    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """`metafields: [{resource_type, resource_id, namespace, key, value, permission_set, ...,
        owner_client_id?}]`: as if each account had created them (no events)."""
        entries = list(section.get("metafields") or [])
        for index, entry in enumerate(entries):
            with seeding("metafields", index):
                self._seed_one(entry)
        return {"metafields": len(entries)} if entries else {}

    def _seed_one(self, entry: Any) -> None:
        if not isinstance(entry, Mapping):
            raise MetafieldInvalid(errors={"obj": "error.expected.jsobject"})
        fields = check_fields(entry, creating=True)
        resource_id = _whole(entry.get("resource_id"))
        if entry.get("resource_type") not in EVENT_SCOPES and entry.get("resource_type") != "customer":
            raise MetafieldInvalid(errors={"resource_type": "error.expected.validenumvalue"})
        if resource_id is None:
            raise MetafieldInvalid(errors={"resource_id": "error.path.missing"})
        owner = Owner(str(entry["resource_type"]), resource_id)
        with self.store.lock:
            self._check_owner(owner)
            self._insert(owner, fields, str(entry.get("owner_client_id") or ""))

    # internals --------------------------------------------------------------------------------------
    def _check_owner(self, owner: Owner) -> None:
        if not _exists(self.store, owner):
            raise ResourceNotFound()

    def _visible_of(self, owner: Owner, metafield_id: int, client_id: str) -> Metafield:
        found = self.metafields.get(metafield_id)
        if (
            found is None
            or (found.resource_type, found.resource_id) != (owner.resource_type, owner.resource_id)
            or not _visible(found, client_id)
        ):
            raise MetafieldNotFound()
        return found

    def _of_type(self, resource_type: str, metafield_id: int, client_id: str) -> Metafield:
        found = self.metafields.get(metafield_id)
        if found is None or found.resource_type != resource_type or not _visible(found, client_id):
            raise MetafieldNotFound()
        return found

    def _insert(self, owner: Owner, fields: Mapping[str, str], client_id: str) -> Metafield:
        self._check_limit(owner, client_id)
        now = self.store.now()
        key = (client_id, owner.resource_type, owner.resource_id, fields["namespace"], fields["key"])
        if self.metafields.get_unique("key", key) is not None:
            raise MetafieldConflict(errors={})
        metafield = Metafield(
            id=self.metafields.allocate_id(),
            resource_type=owner.resource_type,
            resource_id=owner.resource_id,
            namespace=fields["namespace"],
            key=fields["key"],
            value=fields["value"],
            permission_set=fields["permission_set"],
            description=fields.get("description", ""),
            owner_client_id=client_id,
            date_created=now,
            date_modified=now,
        )
        self.metafields.insert(metafield.id, metafield)
        return metafield

    def _update(self, current: Metafield, fields: Mapping[str, str], client_id: str) -> Metafield:
        if current.owner_client_id != client_id and current.permission_set not in SHARED_WRITE:
            raise MetafieldForbidden(parameters={"action": "update"}, errors={})
        updated = replace(current, **fields, date_modified=self.store.now())
        holder = self.metafields.get_unique("key", updated.unique_key)
        if holder is not None and holder.id != current.id:
            raise MetafieldConflict(errors={})
        self.metafields.replace(current.id, updated)
        return updated

    def _delete(self, doomed: Metafield, client_id: str) -> None:
        if doomed.owner_client_id != client_id and doomed.permission_set not in SHARED_WRITE:
            raise MetafieldForbidden(parameters={"action": "delete"}, errors={})
        self.metafields.delete(doomed.id)

    def _check_limit(self, owner: Owner, client_id: str) -> None:
        ids = self.metafields.ids_for("resource", (owner.resource_type, owner.resource_id))
        if len(ids) < MAX_PER_RESOURCE:
            return
        mine = sum(1 for i in ids if self.metafields.get(i).owner_client_id == client_id)  # type: ignore[union-attr]
        if mine >= MAX_PER_RESOURCE:
            raise MetafieldLimitReached(parameters={"max": MAX_PER_RESOURCE}, errors={})

    def _announce(self, metafield: Metafield, verb: str) -> None:
        scope = EVENT_SCOPES.get(metafield.resource_type)
        if scope is not None:
            data = {
                "metafield_id": metafield.id,
                "resource_id": str(metafield.resource_id),
                "namespace": metafield.namespace,
            }
            self.store.emit(f"{scope}/{verb}", data)


def _visible(metafield: Metafield, client_id: str) -> bool:
    return metafield.owner_client_id == client_id or metafield.permission_set != "app_only"


def _item_text(exc: DomainError) -> str:
    """One failed batch item as the specs' examples word it (`Metafield does not exist`)."""
    if isinstance(exc, MetafieldNotFound):
        return NOT_FOUND_TEXT
    if isinstance(exc, MetafieldConflict):
        return CONFLICT_TEXT
    if isinstance(exc, ResourceNotFound):
        return "The resource with which the metafield is associated does not exist"
    if isinstance(exc, MetafieldInvalid) and isinstance(exc.errors, Mapping) and exc.errors:
        return "; ".join(f"{name}: {code}" for name, code in exc.errors.items())
    return exc.render_text()
