"""Tenant id → that tenant's store, made lazily under a lock.

Adobe keys state by tenant id, BigCommerce by store hash; both use this registry, so isolation between
tenants is enforced in one place: a store object only ever sees its own data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from storefake.errors import UnknownTenant

S = TypeVar("S")


class Tenants(Generic[S]):
    """A thread-safe map from tenant key to store.

    Unknown keys get a fresh store from `factory` on first use, unless `strict` is on, in which case
    only keys that were `add`ed (from fixtures or seeding) exist.
    """

    def __init__(self, factory: Callable[[str], S], *, strict: bool = False) -> None:
        self._factory = factory
        self._strict = strict
        self._stores: dict[str, S] = {}
        self._lock = threading.Lock()
        # Set by persistence (storefake/persistence): makes a store created on first use (by a read, say)
        # a recorded write, so a restarted fake has it too, in the same order as every other write.
        self.on_create: Callable[[Tenants[S], str], S] | None = None

    def get(self, key: str) -> S:
        store = self._stores.get(key)
        if store is not None:
            return store
        if self._strict:
            raise UnknownTenant(parameters={"tenant": key})
        if self.on_create is not None:
            return self.on_create(self, key)
        return self.add(key)

    def add(self, key: str, store: S | None = None) -> S:
        """Register `key` (idempotent); returns the store now registered under it."""
        with self._lock:
            existing = self._stores.get(key)
            if existing is not None:
                return existing
            created = store if store is not None else self._factory(key)
            self._stores[key] = created
            return created

    def find(self, key: str) -> S | None:
        """The store for `key`, or None; never creates one."""
        return self._stores.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._stores

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._stores))

    def items(self) -> list[tuple[str, S]]:
        return list(self._stores.items())

    def __len__(self) -> int:
        return len(self._stores)
