"""BigCommerce state: stores by hash, their API accounts, OAuth apps, and each store's resources.

Pure Python (no Starlette, statuses or JSON). One `StoreState` per store hash holds one lock that every
multi-step write takes, so id sequences, unique names/SKUs/emails and cross-resource writes (an order
reserving inventory) are atomic. Sub-states per resource family live in this package's modules.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import hmac
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from storefake.bigcommerce.state import information
from storefake.bigcommerce.state.catalog import CatalogState
from storefake.bigcommerce.state.channels import ChannelState
from storefake.bigcommerce.state.customer_attributes import CustomerAttributeState
from storefake.bigcommerce.state.customer_form_fields import FormFieldState
from storefake.bigcommerce.state.customer_groups import CustomerGroupState
from storefake.bigcommerce.state.customers import CustomerState
from storefake.bigcommerce.state.hooks import RETRY_SCHEDULE, HookState
from storefake.bigcommerce.state.inventory import InventoryState
from storefake.bigcommerce.state.limits import store_quota
from storefake.bigcommerce.state.metafields import MetafieldState
from storefake.bigcommerce.state.oauth import OAuthState
from storefake.bigcommerce.state.orders import OrderState
from storefake.randomness import RandomSource
from storefake.ratelimit import WindowCounter
from storefake.seeding import SeedError, scratch_copy, seeding
from storefake.tenancy import Tenants
from storefake.webhooks import Deliverer


@dataclass(frozen=True, slots=True)
class Account:
    """An API account (or an installed app's token) of one store."""

    store_hash: str
    access_token: str
    client_id: str
    client_secret: str
    scopes: frozenset[str]
    name: str = ""


@dataclass(slots=True)
class StoreSettings:
    store_hash: str
    store_id: int
    name: str = ""
    rate_limit: dict[str, Any] = field(default_factory=dict)
    information: Mapping[str, Any] = field(default_factory=dict)  # the fixture's overrides of /v2/store fields


class StoreState:
    """Everything one BigCommerce store holds."""

    def __init__(self, settings: StoreSettings, backend: BigCommerceBackend) -> None:
        self.settings = settings
        self.backend = backend
        self.context = backend.context
        self.clock = backend.context.clock
        self.lock = threading.RLock()
        self._information = self._build_information(settings.information)
        self.channels = ChannelState(self)  # first: the other families refer to channels
        self.catalog = CatalogState(self)
        self.inventory = InventoryState(self)  # locations; stock at location 1 is the catalog's
        self.customer_groups = CustomerGroupState(self)
        self.customers = CustomerState(self)
        self.customer_attributes = CustomerAttributeState(self)
        self.customer_form_fields = FormFieldState(self)
        self.orders = OrderState(self)
        self.metafields = MetafieldState(self)  # after the families whose records own metafields
        self.hooks = HookState(self)

    @property
    def store_hash(self) -> str:
        return self.settings.store_hash

    @property
    def store_id(self) -> int:
        return self.settings.store_id

    def now(self) -> float:
        return self.clock.now()

    # store information (/v2/store)
    def store_information(self) -> dict[str, Any]:
        """Every field of `GET /v2/store`, a fresh copy."""
        return copy.deepcopy(self._information)

    def update_information(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Apply `changes` (as a fixture's `information:` would) and announce store/information/updated.

        ValueError names a bad field; nothing changes then. No event when nothing changed.
        """
        with self.lock:
            before = self._information
            self._information = information.build(before, changes, self._year())
            changed = self._information != before
        if changed:
            self.emit("store/information/updated", {"type": "store"})
        return self.store_information()

    def _build_information(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        owner_email = str(self.backend.owner.get("email") or "")
        base = information.defaults(self.settings.store_hash, self.settings.store_id, self.settings.name, owner_email)
        return information.build(base, overrides, self._year())

    def _year(self) -> int:
        return datetime.fromtimestamp(self.clock.now(), tz=UTC).year

    def emit(self, scope: str, data: Mapping[str, Any]) -> None:
        """Announce a change (`store/product/created`, ...) to the store's webhooks.

        A catalog stock event also announces the channel inventory events it implies (state/inventory.py).
        """
        self.hooks.publish(scope, dict(data))
        for implied, implied_data in self.inventory.follow_up(scope, data):
            self.emit(implied, implied_data)

    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """A store's seed data (or a fixtures file's store entry, without the `information` it was built with):
        `information` as PUT .../information changes it, then each family's records in their order."""
        if section.get("information"):
            with seeding("information"), information_errors():
                self.update_information(section["information"])
        counts: dict[str, int] = {}
        families = (self.channels, self.catalog, self.inventory, self.customer_groups, self.customer_attributes)
        for family in (*families, self.customers, self.orders, self.metafields, self.hooks):
            counts.update(family.seed(section))
        return counts


class BigCommerceBackend:
    """All stores, their accounts (looked up by token in O(1)) and the OAuth apps."""

    def __init__(self, fixtures: Mapping[str, Any], context: Any) -> None:
        self.fixtures = fixtures
        self.context = context
        self._accounts: dict[str, Account] = {}
        self._accounts_lock = threading.Lock()
        self.apps: list[dict[str, Any]] = [dict(app) for app in fixtures.get("apps") or []]
        self.owner: dict[str, Any] = dict(fixtures.get("owner") or {"id": 1, "username": "owner", "email": ""})
        self._next_store_id = 1_000_000
        # Webhook deliveries, rate-limit windows and OAuth codes live and die with this backend (reset).
        self.deliveries = Deliverer(
            context.clock, RETRY_SCHEDULE, enabled=context.config.deliver_webhooks, refuse=context.listening.reaches
        )
        self.rate_limits = WindowCounter(context.clock)
        self.oauth = OAuthState(self)
        self.stores: Tenants[StoreState] = Tenants(self._new_store, strict=context.config.strict)
        for index, entry in enumerate(fixtures.get("stores") or []):
            with seeding("stores", index):
                self._add_store_from_fixture(entry)

    # stores
    def _new_store(self, store_hash: str) -> StoreState:
        self._next_store_id += 1
        return StoreState(StoreSettings(store_hash, self._next_store_id), self)

    def _add_store_from_fixture(self, entry: Mapping[str, Any]) -> StoreState:
        settings = StoreSettings(
            store_hash=str(entry["store_hash"]),
            store_id=int(entry.get("store_id") or 0),
            name=str(entry.get("name", "")),
            rate_limit=dict(entry.get("rate_limit") or {}),
            information=entry.get("information") or {},
        )
        store_quota(settings.rate_limit)  # a malformed rate_limit fails at load, not on every request
        with seeding("information"), information_errors():
            state = StoreState(settings, self)
        store = self.stores.add(settings.store_hash, state)
        for account in entry.get("accounts") or []:
            self.add_account(
                Account(
                    store_hash=settings.store_hash,
                    access_token=str(account["access_token"]),
                    client_id=str(account.get("client_id", "")),
                    client_secret=str(account.get("client_secret", "")),
                    scopes=frozenset(account.get("scopes") or ()),
                    name=str(account.get("name", "")),
                )
            )
        store.seed({key: value for key, value in entry.items() if key != "information"})  # built with it
        return store

    # accounts
    def add_account(self, account: Account) -> None:
        with self._accounts_lock:
            self._accounts[account.access_token] = account

    def account_for(self, token: str) -> Account | None:
        """The account owning `token`; the final comparison is constant-time."""
        account = self._accounts.get(token)
        if account is None or not hmac.compare_digest(account.access_token, token):
            return None
        return account

    def accounts(self, store_hash: str | None = None) -> Iterable[Account]:
        return [a for a in list(self._accounts.values()) if store_hash is None or a.store_hash == store_hash]

    def client_secret_of(self, client_id: str) -> str | None:
        """The secret that signs webhooks for `client_id` (an API account's or an app's)."""
        for app in self.apps:
            if app.get("client_id") == client_id:
                return str(app.get("client_secret", ""))
        for account in self.accounts():
            if account.client_id == client_id:
                return account.client_secret
        return None

    # changes made outside any request
    def change(self, name: str, data: Mapping[str, Any]) -> None:
        """Make a change no request made (a hook's last delivery failed); a persisted fake records it first."""
        self.context.changes.apply(self, name, data)

    def apply_change(self, name: str, data: Mapping[str, Any]) -> None:
        """What `change(name, data)` does; persistence calls it again when it restores the fake."""
        if name != "hook_exhausted":
            raise ValueError(f"unknown BigCommerce change {name!r}")
        store = self.stores.find(str(data["store_hash"]))
        if store is not None:
            store.hooks.deactivate(int(data["hook_id"]))

    def close(self) -> None:
        """Stop webhook deliveries (pending ones are dropped); called when the fake resets."""
        self.deliveries.close()

    # control
    def seed(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """{"stores": {"<hash>": {"products": [...], ...}}} or a list of entries with a `store_hash`."""
        with contextlib.ExitStack() as locked:
            return self.prepare_seed(data, locked)()

    def prepare_seed(self, data: Mapping[str, Any], locked: contextlib.ExitStack) -> Callable[[], dict[str, Any]]:
        """Try `data` on scratch copies of the stores it names (a new store for an unknown hash), locking the
        real ones into `locked`; SeedError if anything is refused. Returns what writes it for real."""
        sections = _store_sections(data.get("stores"))
        for path, store_hash, section in sections:
            store = self.stores.find(store_hash)
            if store is not None:
                locked.enter_context(store.lock)
            with seeding(*path):
                self._scratch(store, store_hash).seed(section)
        return functools.partial(self._write, sections)

    def _write(self, sections: list[StoreSection]) -> dict[str, Any]:
        counts: dict[str, Any] = {}
        for path, store_hash, section in sections:
            with seeding(*path):
                counts[store_hash] = self.stores.add(store_hash).seed(section)
        return counts

    def _scratch(self, store: StoreState | None, store_hash: str) -> StoreState:
        """A store to try a seed on: a copy of `store` (or a new store) that announces no events and draws
        from a random source of its own (a trial leaves the fake's sequence as it was)."""
        if store is None:
            scratch = StoreState(StoreSettings(store_hash, 0), self)
        else:
            # Shared, not copied: what the store is built with, and counters no seed touches (they hold locks).
            shared = (self, self.context, self.context.clock, store.settings, store.customers.credential_checks)
            scratch = scratch_copy(store, shared)
        scratch.context = dataclasses.replace(self.context, random=RandomSource(0))
        scratch.emit = _announce_nothing  # type: ignore[method-assign]
        return scratch

    def describe(self, base_url: str) -> list[str]:
        lines: list[str] = []
        for store_hash, _store in self.stores.items():
            lines.append(f"  BigCommerce API    {base_url}/stores/{store_hash}/v3/  (and /v2/)")
            for account in self.accounts(store_hash):
                scopes = " ".join(sorted(account.scopes)) or "(no scopes)"
                lines.append(f"    X-Auth-Token: {account.access_token}  [{scopes}]")
        if self.apps:
            lines.append(f"  BigCommerce OAuth  {base_url}/oauth2/token  (client_id {self.apps[0]['client_id']})")
            lines.append(f"    install codes: POST {base_url}/__storefake/bigcommerce/oauth/codes")
        lines.append(f"  BigCommerce hooks  deliveries: GET {base_url}/__storefake/bigcommerce/webhooks/deliveries")
        return lines


StoreSection = tuple[tuple[str | int, ...], str, Mapping[str, Any]]  # where in the seed, store hash, section


def _store_sections(stores: Any) -> list[StoreSection]:
    """(where in the seed, store hash, section) per store of a seed's `stores` (a mapping or a list)."""
    if isinstance(stores, Mapping):
        return [(("stores", str(key)), str(key), section or {}) for key, section in stores.items()]
    sections: list[StoreSection] = []
    seen: set[str] = set()
    for index, entry in enumerate(stores or ()):
        store_hash = str(entry["store_hash"])
        if store_hash in seen:
            raise SeedError(["stores", index, "store_hash"], f"{store_hash} appears twice; give each store once")
        seen.add(store_hash)
        sections.append((("stores", index), store_hash, entry))
    return sections


@contextlib.contextmanager
def information_errors() -> Iterator[None]:
    """information.build's ValueErrors say `information: ...`; under `seeding("information")` the place is
    named already."""
    try:
        yield
    except ValueError as exc:
        raise ValueError(str(exc).removeprefix("information: ")) from None


def _announce_nothing(scope: str, data: Mapping[str, Any]) -> None:
    """A scratch store's `emit`: a seed tried on it must not reach the real store's webhooks."""
