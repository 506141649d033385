"""Adobe state: IMS credentials, the store structure, and per-tenant customers.

Plain Python, no HTTP: every method takes parsed values (see validation.py) and raises the catalogue's
domain errors. Each tenant has its own `TenantStore` with one lock around multi-step writes; rows are
immutable once stored (an update stores a new row), so a reader never sees half a write.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import jwt

from storefake.adobe import errors as E
from storefake.adobe import validation as V
from storefake.adobe.groups import DEFAULT_GROUP_PATH, CustomerGroups, TaxClass, tax_classes_from
from storefake.adobe.ims import Ims, ImsClient
from storefake.clock import Clock
from storefake.errors import DomainError
from storefake.randomness import RandomSource
from storefake.seeding import SeedError, scratch_copy, seeding
from storefake.table import DuplicateKey, Table
from storefake.tenancy import Tenants

RESERVED_TENANT_IDS = frozenset({"ims", "stores", "oauth2", "__storefake", "rest"})
CONFIRM_PATH = "customer/create_account/confirm"
DEFAULT_WEBSITE_ID = 1
# The store configuration the customer rules read (Magento's defaults, Customer etc/config.xml); fixtures and
# seed data may set any of these paths, a tenant's own values over the fixtures'.
DEFAULT_CONFIG: dict[str, Any] = {DEFAULT_GROUP_PATH: 1, CONFIRM_PATH: 0}
CUSTOMER_TOKEN_LIFETIME = 3600  # seconds: a customer token's default lifetime (OAuth > Access Token Expiration)
# Optional customer fields kept in `Customer.extra` (most customers have none of them: saves memory).
EXTRA_FIELDS = (
    "confirmation",
    "dob",
    "middlename",
    "prefix",
    "suffix",
    "gender",
    "taxvat",
    "extension_attributes",
    "custom_attributes",
)
CONFIRMATION_NOT_REQUIRED = "account_confirmation_not_required"
CONFIRMATION_REQUIRED = "account_confirmation_required"
CONFIRMED = "account_confirmed"


@dataclass(frozen=True, slots=True)
class Address:
    id: int
    customer_id: int
    data: dict[str, Any]  # canonical address fields other than id/customer_id/defaults


class Customer(NamedTuple):
    """A stored customer: immutable (an update stores a new row), and a tuple, which Python builds several
    times faster than a frozen dataclass sets sixteen fields (every create builds one)."""

    id: int
    group_id: int
    created_at: str
    updated_at: str
    created_in: str
    email: str
    firstname: str
    lastname: str
    store_id: int
    website_id: int
    disable_auto_group_change: int = 0
    default_billing: str | None = None
    default_shipping: str | None = None
    addresses: tuple[Address, ...] = ()
    extra: dict[str, Any] | None = None
    password_hash: bytes | None = None

    def field(self, name: str) -> Any:
        """A field by its Magento name, wherever it is kept."""
        if name in EXTRA_FIELDS:
            return None if self.extra is None else self.extra.get(name)
        if name not in self._fields:  # not the tuple's own methods (count, index)
            raise AttributeError(name)
        return getattr(self, name)

    def as_fields(self) -> dict[str, Any]:
        """Every set field by Magento name (the view the validators read)."""
        fields = {name: value for name, value in zip(self._fields, self, strict=True) if name != "extra"}
        fields.update(self.extra or {})
        return {k: v for k, v in fields.items() if v is not None}

    @property
    def default_billing_address(self) -> Address | None:
        return _address_by_id(self.addresses, self.default_billing)

    @property
    def default_shipping_address(self) -> Address | None:
        return _address_by_id(self.addresses, self.default_shipping)


def _address_by_id(addresses: Iterable[Address], address_id: str | None) -> Address | None:
    if address_id is None:
        return None
    return next((a for a in addresses if str(a.id) == address_id), None)


@dataclass(frozen=True, slots=True)
class Store:
    id: int
    code: str
    website_id: int
    store_group_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Structure:
    """Websites, store groups, store views, tax classes, and the customer groups and store configuration each
    tenant starts with (read-only, shared by tenants)."""

    websites: Mapping[int, Mapping[str, Any]]
    store_groups: Mapping[int, Mapping[str, Any]]
    stores: Mapping[int, Store]
    customer_groups: Mapping[int, Mapping[str, Any]]
    tax_classes: Mapping[int, TaxClass]
    config: Mapping[str, Any]

    @classmethod
    def from_fixtures(cls, data: Mapping[str, Any]) -> Structure:
        def by_id(items: Any) -> dict[int, Mapping[str, Any]]:
            return {int(item["id"]): item for item in items or ()}

        stores = {
            int(s["id"]): Store(int(s["id"]), str(s["code"]), int(s["website_id"]), int(s["store_group_id"]), s["name"])
            for s in data.get("stores") or ()
        }
        if not stores:
            stores = {1: Store(1, "default", 1, 1, "Default Store View")}
        websites = by_id(data.get("websites")) or {1: {"id": 1, "code": "base", "default_group_id": 1}}
        groups = by_id(data.get("store_groups")) or {1: {"id": 1, "website_id": 1, "default_store_id": 1}}
        customer_groups = by_id(data.get("customer_groups")) or {1: {"id": 1, "code": "General"}}
        config = {**DEFAULT_CONFIG, **config_values(data.get("config") or {})}
        return cls(websites, groups, stores, customer_groups, tax_classes_from(data.get("tax_classes")), config)

    def default_store_of(self, website_id: int) -> Store:
        website = self.websites.get(website_id)
        if website is None:
            raise E.WebsiteMissing(website_id)
        group = self.store_groups.get(int(website.get("default_group_id", -1)))
        store = None if group is None else self.stores.get(int(group.get("default_store_id", -1)))
        if store is None:
            raise E.StoreMissing()
        return store

    def resolve_store(self, store_id: int | None, website_id: int | None) -> tuple[Store, int]:
        """AccountManagement's store/website resolution and consistency check."""
        if store_id is None:
            store = self.default_store_of(1 if website_id is None else website_id)
        else:
            found = self.stores.get(store_id)
            if found is None:
                raise E.StoreMissing()
            store = found
        if website_id is None:
            website_id = store.website_id
        elif website_id not in self.websites:
            raise E.WebsiteMissing(website_id)
        if store.website_id != website_id:
            raise E.StoreNotInWebsite()
        return store, website_id


def config_values(values: Mapping[str, Any]) -> dict[str, int]:
    """Configuration paths the fake knows, as the integers they hold (ValueError for anything else)."""
    unknown = sorted(set(values) - set(DEFAULT_CONFIG))
    if unknown:
        raise ValueError(f"unknown configuration path(s): {', '.join(unknown)}; known: {', '.join(DEFAULT_CONFIG)}")
    result = {}
    for path, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().lstrip("-").isdigit():
            raise ValueError(f"{path} must be an integer, not {value!r}")
        result[path] = int(value)
    return result


def hash_password(password: str) -> bytes:
    return hashlib.sha256(b"storefake:" + password.encode()).digest()


def email_key(customer: Customer) -> tuple[int, str]:
    return (customer.website_id, customer.email.lower())


class TenantStore:
    """One ACCS tenant's customers and addresses."""

    def __init__(self, tenant_id: str, structure: Structure, clock: Clock, random: RandomSource) -> None:
        from storefake.adobe.render import format_datetime

        self.tenant_id = tenant_id
        self.structure = structure
        self.clock = clock
        self.random = random
        self._now = lambda: format_datetime(clock.now())
        self.config: dict[str, Any] = dict(structure.config)
        self.customers: Table[Customer] = Table(unique={"email": email_key})
        self.address_owner: dict[int, int] = {}  # address id → customer id
        self._address_ids = Table[Address]()  # only its id sequence is used
        self.groups = CustomerGroups(
            structure.customer_groups.values(),
            structure.tax_classes,
            structure.websites,
            int(self.config[DEFAULT_GROUP_PATH]),
        )
        self._token_key = random.hex(32).encode()  # signs this tenant's customer access tokens
        self.lock = threading.RLock()

    def configure(self, values: Mapping[str, Any]) -> None:
        """Set store configuration paths (seed data); the default group must name an existing group."""
        values = config_values(values)
        with self.lock:
            if DEFAULT_GROUP_PATH in values:
                self.groups.set_default(values[DEFAULT_GROUP_PATH])
            self.config.update(values)

    @property
    def confirmation_required(self) -> bool:
        """`customer/create_account/confirm`: new accounts with a password get a confirmation key."""
        return bool(self.config[CONFIRM_PATH])

    # --- reads -----------------------------------------------------------------------------------------
    def get_customer(self, customer_id: int) -> Customer:
        customer = self.customers.get(customer_id)
        if customer is None:
            raise E.NoSuchEntity("customerId", customer_id)
        return customer

    def find_customer_by_email(self, email: str, website_id: int) -> Customer | None:
        return self.customers.get_unique("email", (website_id, email.lower()))

    def get_address(self, address_id: int) -> tuple[Customer, Address]:
        owner = self.address_owner.get(address_id)
        customer = None if owner is None else self.customers.get(owner)
        address = None if customer is None else _address_by_id(customer.addresses, str(address_id))
        if customer is None or address is None:
            raise E.NoSuchEntity("addressId", address_id)
        return customer, address

    def get_default_address(self, customer_id: int, kind: str) -> Address | None:
        customer = self.get_customer(customer_id)
        return customer.default_billing_address if kind == "billing" else customer.default_shipping_address

    def is_readonly(self, customer_id: int) -> bool:
        self.get_customer(customer_id)
        return False

    def confirmation_status(self, customer_id: int) -> str:
        """AccountManagement::getConfirmationStatus: with confirmation off, never required."""
        customer = self.get_customer(customer_id)
        if not self.confirmation_required:
            return CONFIRMATION_NOT_REQUIRED
        return CONFIRMATION_REQUIRED if customer.field("confirmation") else CONFIRMED

    def find_customer(self, email: str, website_id: int, shown: Any = None) -> Customer:
        """CustomerRepository::get: by email within a website (404 naming both, the website as `shown`)."""
        customer = self.find_customer_by_email(email, website_id)
        if customer is None:
            raise E.NoSuchEntityPair("email", email, "websiteId", website_id if shown is None else shown)
        return customer

    # --- writes ----------------------------------------------------------------------------------------
    def create_customer(self, fields: Mapping[str, Any], password: str | None = None) -> Customer:
        """AccountManagement::createAccount with the checks in Magento's order."""
        if fields.get("email") is None:
            raise E.EmailRequiredForAccount()
        if password is not None:
            V.check_password(password, fields["email"])
        store, website_id = self.structure.resolve_store(fields.get("store_id"), fields.get("website_id"))
        now = self._now()
        with self.lock:
            self._check_before_save(fields, website_id)
            customer_id = fields.get("id") or self.customers.allocate_id()
            if customer_id in self.customers:
                raise E.EmailExists()  # an explicit id already taken (seeding only)
            customer = Customer(
                id=customer_id,
                group_id=fields.get("group_id", self.groups.default_group_id),
                created_at=fields.get("created_at") or now,
                updated_at=fields.get("updated_at") or now,
                created_in=store.name,
                email=fields["email"],
                firstname=fields["firstname"],
                lastname=fields["lastname"],
                store_id=store.id,
                website_id=website_id,
                disable_auto_group_change=fields.get("disable_auto_group_change", 0),
                default_billing=fields.get("default_billing"),
                default_shipping=fields.get("default_shipping"),
                extra=self._with_confirmation(_extra(fields)),
                password_hash=None if password is None else hash_password(password),
            )
            customer = self._with_addresses(customer, fields.get("addresses") or (), ())
            self._store(customer, insert=True)
            return customer

    def update_customer(self, customer_id: int, fields: Mapping[str, Any]) -> Customer:
        """CustomerRepository::save through the UpdateCustomer plugin: the body merged over the stored row."""
        with self.lock:
            current = self.get_customer(customer_id)
            merged = {**current.as_fields(), **fields}
            store, website_id = self.structure.resolve_store(merged.get("store_id"), merged.get("website_id"))
            self._check_before_save(merged, website_id, customer_id)
            extra = {**(current.extra or {}), **(_extra(fields) or {})}
            customer = current._replace(
                group_id=merged.get("group_id", self.groups.default_group_id),
                updated_at=self._now(),
                email=merged["email"],
                firstname=merged["firstname"],
                lastname=merged["lastname"],
                store_id=store.id,
                website_id=website_id,
                disable_auto_group_change=merged.get("disable_auto_group_change", 0),
                default_billing=merged.get("default_billing"),
                default_shipping=merged.get("default_shipping"),
                extra=extra or None,
            )
            if "addresses" in fields:
                customer = self._with_addresses(customer, fields["addresses"], current.addresses)
            self._store(customer, insert=False)
            return customer

    def delete_customer(self, customer_id: int) -> bool:
        with self.lock:
            customer = self.get_customer(customer_id)
            self.customers.delete(customer_id)
            for address in customer.addresses:
                self.address_owner.pop(address.id, None)
            return True

    def delete_address(self, address_id: int) -> bool:
        with self.lock:
            customer, _ = self.get_address(address_id)
            kept = tuple(a for a in customer.addresses if a.id != address_id)
            updated = customer._replace(
                addresses=kept,
                default_billing=None if customer.default_billing == str(address_id) else customer.default_billing,
                default_shipping=None if customer.default_shipping == str(address_id) else customer.default_shipping,
            )
            self.customers.replace(customer.id, updated)
            self.address_owner.pop(address_id, None)
            return True

    def activate_customer(self, email: str, confirmation_key: str) -> Customer:
        """AccountManagement::activate: the stored key must match; activation clears it."""
        with self.lock:
            # The current store's website (no Store header: the default store view's), as the store model holds
            # it: a string (UNVERIFIED).
            website = self.structure.default_store_of(DEFAULT_WEBSITE_ID).website_id
            customer = self.find_customer(email, website, shown=str(website))
            key = customer.field("confirmation")
            if not key:
                raise E.AlreadyActive()
            if key != confirmation_key:
                raise E.ConfirmationKeyInvalid()
            extra = {k: v for k, v in (customer.extra or {}).items() if k != "confirmation"}
            customer = customer._replace(extra=extra or None, updated_at=self._now())
            self.customers.replace(customer.id, customer)
            return customer

    def resend_confirmation(self, email: str, website_id: int) -> bool:
        """AccountManagement::resendConfirmation (the email itself is not sent: there is no mailer)."""
        customer = self.find_customer(email, website_id)
        if not customer.field("confirmation"):
            raise E.ConfirmationNotNeeded()
        return True

    def create_customer_token(self, customer_id: int) -> str:
        """A customer access token for an integration (POST /V1/customers/{id}/token, 2.4.9 and ACCS).

        Magento 2.4.4+ issues customer tokens as JWTs (JwtUserToken: `uid`, `utypid` 3 for a customer, `iat`,
        `exp`; HS256 with a `kid`), valid for an hour by default. Nothing in ACCS accepts them back (the
        `/V1/customers/me` routes are not served), so the fake keeps no record of them.
        """
        self.get_customer(customer_id)
        now = int(self.clock.now())
        claims = {"uid": customer_id, "utypid": 3, "iat": now, "exp": now + CUSTOMER_TOKEN_LIFETIME}
        return jwt.encode(claims, self._token_key, algorithm="HS256", headers={"kid": "1"})

    def move_customers_to_default_group(self, group_id: int) -> int:
        """After a group is deleted its customers join the default group (ResourceModel\\Group::_afterDelete);
        a scan of the tenant's customers, as deleting a group is rare."""
        moved = 0
        now = self._now()
        for customer in [c for c in self.customers if c.group_id == group_id]:
            self.customers.replace(
                customer.id, customer._replace(group_id=self.groups.default_group_id, updated_at=now)
            )
            moved += 1
        return moved

    def delete_customer_group(self, group_id: int) -> bool:
        with self.lock:
            self.groups.delete(group_id)
            self.move_customers_to_default_group(group_id)
            return True

    def validate_customer(self, fields: Mapping[str, Any]) -> list[str]:
        """AccountManagement::validate: the EAV and name validators' messages (empty: valid)."""
        return V.eav_messages(fields) + V.name_messages(fields)

    # --- internals -------------------------------------------------------------------------------------
    def _with_confirmation(self, extra: dict[str, Any] | None) -> dict[str, Any] | None:
        """Customer ResourceModel::_beforeSave: with confirmation on, every new account gets a fresh random key
        (over any given in the body); with it off, a key given in the body is kept."""
        if not self.confirmation_required:
            return extra
        return {**(extra or {}), "confirmation": self.random.hex(32)}

    def _check_before_save(self, fields: Mapping[str, Any], website_id: int, customer_id: int | None = None) -> None:
        """CustomerRepository::save and Customer::_beforeSave, in their order."""
        group_id = fields.get("group_id", self.groups.default_group_id)
        if group_id not in self.groups:
            raise E.GroupMissing()
        if not fields.get("email"):
            raise E.EmailMissing()
        holder = self.find_customer_by_email(fields["email"], website_id)
        if holder is not None and holder.id != customer_id:
            raise E.EmailExists()
        for messages in (V.eav_messages(fields), V.name_messages(fields)):
            if messages:
                raise E.ValidatorFailed(messages)

    def _with_addresses(
        self, customer: Customer, given: Sequence[Mapping[str, Any]], old: Sequence[Address]
    ) -> Customer:
        """Replace the address list: ids kept for addresses the customer already had, defaults resolved."""
        if not given and not old and customer.default_billing is None and customer.default_shipping is None:
            return customer
        problems: list[DomainError] = []
        for data in given:
            problems.extend(V.address_errors(data))
        if problems:
            raise E.one_or_many(problems)
        old_ids = {a.id for a in old}
        addresses: list[Address] = []
        billing, shipping = customer.default_billing, customer.default_shipping
        for data in given:
            address_id = data.get("id")
            if address_id is not None and address_id not in old_ids:
                raise E.NoSuchEntity("addressId", address_id)
            if address_id is None:
                address_id = self._address_ids.allocate_id()
            body = {
                k: v for k, v in data.items() if k not in ("id", "customer_id", "default_billing", "default_shipping")
            }
            addresses.append(Address(address_id, customer.id, body))
            billing = str(address_id) if data.get("default_billing") else billing
            shipping = str(address_id) if data.get("default_shipping") else shipping
        ids = {str(a.id) for a in addresses}
        return customer._replace(
            addresses=tuple(addresses),
            default_billing=billing if billing in ids else None,
            default_shipping=shipping if shipping in ids else None,
        )

    def _store(self, customer: Customer, *, insert: bool) -> None:
        try:
            if insert:
                self.customers.insert(customer.id, customer)
                old_addresses: tuple[Address, ...] = ()
            else:
                old_addresses = self.customers.replace(customer.id, customer).addresses
        except DuplicateKey as exc:
            raise E.EmailExists() from exc
        for address in old_addresses:
            self.address_owner.pop(address.id, None)
        for address in customer.addresses:
            self.address_owner[address.id] = customer.id


def _extra(fields: Mapping[str, Any]) -> dict[str, Any] | None:
    extra = {name: fields[name] for name in EXTRA_FIELDS if fields.get(name) is not None}
    if "dob" in extra:
        # Validated before it is stored; an empty date is no date, as for Magento's optional attributes.
        dob = V.normalize_date(str(extra.pop("dob")))
        if dob is not None:
            extra["dob"] = dob
    return extra or None


class AdobeBackend:
    """All Adobe state of one fake: IMS clients and tokens, and every tenant's store."""

    def __init__(self, fixtures: Mapping[str, Any], context: Any) -> None:
        self.fixtures = fixtures
        self.context = context
        self.clock: Clock = context.clock
        self.structure = Structure.from_fixtures(fixtures)
        clients = [ImsClient.from_fixture(c) for c in fixtures.get("ims_clients") or ()]
        self.ims = Ims(clients, context.clock, context.random, context.config.seed, context.secret)
        self.tenants: Tenants[TenantStore] = Tenants(self._new_tenant, strict=context.config.strict)
        self._write(_tenant_sections(fixtures.get("tenants") or {}))

    def _new_tenant(self, tenant_id: str) -> TenantStore:
        return TenantStore(tenant_id, self.structure, self.clock, self.context.random)

    def seed(self, data: Mapping[str, Any]) -> dict[str, int]:
        """Add tenants, their customer groups, store config and customers:
        {"tenants": {"<id>": {"customer_groups": [...], "config": {...}, "customers": [...]}}} (or a list with `id`s).
        """
        with contextlib.ExitStack() as locked:
            return self.prepare_seed(data, locked)()

    def prepare_seed(self, data: Mapping[str, Any], locked: contextlib.ExitStack) -> Callable[[], dict[str, int]]:
        """Try `data` on scratch copies of the tenants it names (a new store for an unknown tenant), locking
        the real ones into `locked`; SeedError if anything is refused. Returns what writes it for real.

        A scratch tenant draws from a random source of its own, so a trial leaves the fake's sequence as it was.
        """
        sections = _tenant_sections(data.get("tenants") or {})
        for path, tenant_id, section in sections:
            store = self.tenants.find(tenant_id)
            trial_random = RandomSource(0)
            with seeding(*path):
                if store is not None:
                    locked.enter_context(store.lock)
                    scratch = scratch_copy(store, (self.structure, self.clock), {store.random: trial_random})
                else:
                    scratch = TenantStore(tenant_id, self.structure, self.clock, trial_random)
                _seed_tenant(scratch, section)
        return functools.partial(self._write, sections)

    def _write(self, sections: list[TenantSection]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for path, tenant_id, section in sections:
            with seeding(*path):
                counts[tenant_id] = _seed_tenant(self.tenants.add(tenant_id), section)
        return counts

    def describe(self, base_url: str) -> list[str]:
        tenant = next(iter(self.tenants), "<tenant-id>")
        lines = [f"  Adobe IMS token    {base_url}/ims/token/v3", f"  Adobe REST base    {base_url}/{tenant}"]
        for client in self.ims.clients.values():
            if "commerce.accs" in client.scopes:
                lines += [
                    f"  Adobe client_id    {client.client_id}",
                    f"  Adobe secret       {client.client_secret}",
                    f"  Adobe scope        {client.scope_text}",
                ]
                break
        return lines


TenantSection = tuple[tuple[str | int, ...], str, Mapping[str, Any]]  # where in the seed, tenant id, section


def _tenant_sections(tenants: Any) -> list[TenantSection]:
    if isinstance(tenants, Mapping):
        sections = [(("tenants", str(k)), str(k), v or {}) for k, v in tenants.items()]
    elif isinstance(tenants, list):
        sections = [(("tenants", i), str(t["id"]), t) for i, t in enumerate(tenants) if isinstance(t, Mapping)]
    else:
        raise SeedError(["tenants"], "expected a mapping of tenant id to {customers: [...]} or a list")
    for path, tenant_id, _section in sections:
        if tenant_id in RESERVED_TENANT_IDS:
            raise SeedError(list(path), "a reserved path segment, not a tenant id")
    return sections


def _seed_tenant(store: TenantStore, section: Mapping[str, Any]) -> int:
    """A tenant's customer groups, then its store config (its default group may be a seeded one), then its
    customers (their group_id may name a seeded group); returns the count of customers."""
    for index, raw in enumerate(section.get("customer_groups") or []):
        with seeding("customer_groups", index), store.lock:
            store.groups.add(raw)
    for path, value in (section.get("config") or {}).items():
        with seeding("config", path):
            store.configure({path: value})
    customers = section.get("customers") or []
    for index, raw in enumerate(customers):
        with seeding("customers", index):
            _seed_customer(store, raw)
    return len(customers)


def _seed_customer(store: TenantStore, raw: Any) -> None:
    """Seeded customers go through the same rules as POST /V1/customers."""
    if not isinstance(raw, Mapping):
        raise ValueError("must be a mapping")
    data = dict(raw)
    password = data.pop("password", None)
    fields = V.parse_customer(data)
    store.create_customer(fields, None if password is None else str(password))
