"""BigCommerce V3 customers and their addresses (pure Python: no HTTP, statuses or JSON).

Writes are all-or-nothing per request body, as the vendor's batch endpoints are: every item is
validated (including duplicates inside the batch) before anything is stored, under `store.lock`.
Inline `attributes` on create become attribute values (customer_attributes.py); PUT ignores them, as
the spec's customer_Put has none. `form_fields` of customers and addresses live in
customer_form_fields.py (upserted by name). Deviations: store credit is stored and echoed as sent; channel
ids are not checked against channels.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from storefake.bigcommerce.errors import (
    CreateAddressesFailed,
    CreateCustomersFailed,
    CredentialChecksExceeded,
    InvalidJSON,
    PayloadTooLarge,
    ResourceNotFound,
    UpdateAddressesFailed,
    UpdateCustomersFailed,
)
from storefake.bigcommerce.state.channels import DEFAULT_CHANNEL_ID
from storefake.bigcommerce.state.customer_attributes import check_inline_attributes
from storefake.bigcommerce.state.customer_form_fields import check_fields
from storefake.bigcommerce.state.customer_listing import Listing, Page, search

# Listing helpers other modules import from here (the cursors were born in this module).
from storefake.bigcommerce.state.customer_listing import decode_cursor as decode_cursor
from storefake.bigcommerce.state.customer_listing import encode_cursor as encode_cursor
from storefake.ratelimit import Quota, WindowCounter
from storefake.seeding import seeding
from storefake.table import Table

MAX_BATCH = 10
MAX_PASSWORD = 1000
CONSENT_CATEGORIES = ("essential", "functional", "analytics", "targeting")
CONSENT_DEFAULT: tuple[tuple[str, ...], tuple[str, ...]] = (("essential",), ())
# At most this many credential checks per email and window (the vendor's numbers are undocumented).
CREDENTIAL_CHECKS = Quota(requests=10, window_seconds=60)
COUNTRIES = {
    "AR": "Argentina", "AT": "Austria", "AU": "Australia", "BE": "Belgium", "BR": "Brazil", "CA": "Canada",
    "CH": "Switzerland", "CL": "Chile", "CN": "China", "CO": "Colombia", "CZ": "Czech Republic", "DE": "Germany",
    "DK": "Denmark", "ES": "Spain", "FI": "Finland", "FR": "France", "GB": "United Kingdom", "GR": "Greece",
    "HK": "Hong Kong", "IE": "Ireland", "IL": "Israel", "IN": "India", "IT": "Italy", "JP": "Japan",
    "KR": "Korea, Republic of", "MX": "Mexico", "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand",
    "PL": "Poland", "PT": "Portugal", "SE": "Sweden", "SG": "Singapore", "TR": "Turkey",
    "UA": "Ukraine", "US": "United States", "ZA": "South Africa",
}  # fmt: skip
# Fields an address is compared on to detect an identical re-post (vendor-facts §5).
ADDRESS_CORE = (
    "first_name", "last_name", "company", "address1", "address2", "city", "state_or_province",
    "postal_code", "country_code", "phone", "address_type",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    email: str
    first_name: str
    last_name: str
    date_created: float
    date_modified: float
    company: str = ""
    phone: str = ""
    notes: str = ""
    tax_exempt_category: str = ""
    customer_group_id: int = 0
    registration_ip_address: str = ""
    accepts_product_review_abandoned_cart_emails: bool = False
    origin_channel_id: int = 1
    channel_ids: tuple[int, ...] | None = None
    force_password_reset: bool = False
    store_credit_amounts: tuple[dict[str, Any], ...] = ()
    password_hash: str = ""  # salt$hex(HMAC-SHA256(salt, password)); never the password itself

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Address:
    id: int
    customer_id: int
    first_name: str
    last_name: str
    address1: str
    city: str
    state_or_province: str
    postal_code: str
    country_code: str
    company: str = ""
    address2: str = ""
    phone: str = ""
    address_type: str = "residential"

    @property
    def country(self) -> str:
        return COUNTRIES.get(self.country_code.upper(), self.country_code)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def core(self) -> tuple[Any, ...]:
        return (self.customer_id, *(str(getattr(self, f)).strip().lower() for f in ADDRESS_CORE))


# Field -> (type check, json error code, min length, max length); lengths only for strings.
StrRule = tuple[int, int]
CUSTOMER_STRINGS: dict[str, StrRule] = {
    "email": (3, 250),
    "first_name": (1, 100),
    "last_name": (1, 100),
    "company": (0, 255),
    "phone": (0, 50),
    "notes": (0, 65535),
    "tax_exempt_category": (0, 255),
}
CUSTOMER_REQUIRED = ("email", "first_name", "last_name")
ADDRESS_STRINGS: dict[str, StrRule] = {
    "first_name": (1, 255),
    "last_name": (1, 255),
    "address1": (1, 255),
    "city": (1, 100),
    "state_or_province": (0, 100),
    "postal_code": (0, 30),
    "country_code": (2, 2),
    "company": (0, 255),
    "address2": (0, 255),
    "phone": (0, 50),
}
ADDRESS_REQUIRED = ("customer_id", "first_name", "last_name", "address1", "city", "state_or_province", "postal_code",
                    "country_code")  # fmt: skip
CUSTOMER_READ_ONLY = ("registration_ip_address", "date_created", "date_modified")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Collects JSON-schema style failures keyed like the vendor's (`[0].email`: `error.path.missing`)."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def item(self, index: int, item: Any) -> bool:
        if not isinstance(item, Mapping):
            self.errors[f"[{index}]"] = "error.expected.jsobject"
            return False
        return True

    def strings(
        self, index: int, item: Mapping[str, Any], rules: Mapping[str, StrRule], required: Iterable[str]
    ) -> None:
        for name in required:
            if item.get(name) is None and name not in ("customer_id",):
                self.errors[f"[{index}].{name}"] = "error.path.missing"
        for name, (low, high) in rules.items():
            value = item.get(name)
            if value is None:
                continue
            key = f"[{index}].{name}"
            if not isinstance(value, str):
                self.errors[key] = "error.expected.jsstring"
            elif len(value.strip() if low else value) < low:
                self.errors[key] = "error.minLength"
            elif len(value) > high:
                self.errors[key] = "error.maxLength"

    def integer(self, index: int, item: Mapping[str, Any], name: str, required: bool = False) -> None:
        value = item.get(name)
        key = f"[{index}].{name}"
        if value is None:
            if required:
                self.errors[key] = "error.path.missing"
        elif not _is_int(value) or value < 0:
            self.errors[key] = "error.expected.jsnumber"

    def boolean(self, index: int, item: Mapping[str, Any], name: str) -> None:
        value = item.get(name)
        if value is not None and not isinstance(value, bool):
            self.errors[f"[{index}].{name}"] = "error.expected.jsboolean"

    def array(self, index: int, item: Mapping[str, Any], name: str, limit: int = MAX_BATCH) -> None:
        value = item.get(name)
        if value is None:
            return
        if not isinstance(value, list):
            self.errors[f"[{index}].{name}"] = "error.expected.jsarray"
        elif len(value) > limit:
            self.errors[f"[{index}].{name}"] = "error.maxLength"

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidJSON(errors=self.errors)


def batch(body: Any, limit: int = MAX_BATCH) -> list[Any]:
    """A request body that must be a JSON array of at most `limit` items."""
    if not isinstance(body, list) or not body:
        raise InvalidJSON(errors={})
    if len(body) > limit:
        raise PayloadTooLarge(parameters={"max": limit}, errors={})
    return body


def _value_of(row: Any, name: str) -> Any:
    return getattr(row, name, None)


class CustomerState:
    """Customers (email unique per store, case-insensitive) and addresses of one store."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.customers: Table[Customer] = Table(
            unique={"email": lambda c: c.email.lower()},
            indexes={"customer_group_id": lambda c: (c.customer_group_id,)},
        )
        self.addresses: Table[Address] = Table(indexes={"customer_id": lambda a: (a.customer_id,)})
        # Consent per customer: (allow, deny); a customer who never declared has CONSENT_DEFAULT.
        self.consents: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # Credential checks per email: the vendor rate-limits the endpoint "against abuse".
        self.credential_checks = WindowCounter(store.clock)

    # customers
    def create_customers(self, items: Sequence[Any]) -> list[Customer]:
        checker = _Checker()
        for index, item in enumerate(items):
            if checker.item(index, item):
                self._check_customer(checker, index, item, creating=True)
        checker.raise_if_any()
        with self.store.lock:
            self._check_emails(items, CreateCustomersFailed, ".customer_create", "Error creating customers")
            self._check_groups(items, CreateCustomersFailed, ".customer_create", "Error creating customers")
            attributes = self.store.customer_attributes
            attributes.check_inline(items, CreateCustomersFailed, ".customer_create", "Error creating customers")
            now = self.store.now()
            default_group = self.store.customer_groups.default_group_id()
            created = [self._insert_customer(item, now, default_group) for item in items]
            for customer, item in zip(created, items, strict=True):
                attributes.values_for_new_customer(customer.id, item.get("attributes") or ())
        for customer in created:
            self.store.emit("store/customer/created", {"type": "customer", "id": customer.id})
        return created

    def update_customers(self, items: Sequence[Any]) -> list[Customer]:
        checker = _Checker()
        for index, item in enumerate(items):
            if checker.item(index, item):
                checker.integer(index, item, "id", required=True)
                self._check_customer(checker, index, item, creating=False)
        checker.raise_if_any()
        with self.store.lock:
            missing = [item["id"] for item in items if item["id"] not in self.customers]
            if missing:
                raise UpdateCustomersFailed(
                    errors={".customer_update": f"Error updating customers: customer id(s) {missing} not found"}
                )
            self._check_emails(items, UpdateCustomersFailed, ".customer_update", "Error updating customers")
            self._check_groups(items, UpdateCustomersFailed, ".customer_update", "Error updating customers")
            now = self.store.now()
            updated = [self._update_customer(item, now) for item in items]
        for customer in updated:
            self.store.emit("store/customer/updated", {"type": "customer", "id": customer.id})
        return updated

    def delete_customers(self, ids: Iterable[int]) -> list[int]:
        with self.store.lock:
            deleted = [i for i in dict.fromkeys(ids) if i in self.customers]
            for customer_id in deleted:
                for address_id in list(self.addresses.ids_for("customer_id", customer_id)):
                    self.addresses.delete(address_id)
                    self.store.customer_form_fields.forget(address_id=address_id)
                self.customers.delete(customer_id)
                self.store.customer_form_fields.forget(customer_id=customer_id)
                self.consents.pop(customer_id, None)
                self.store.metafields.drop_owner("customer", customer_id)
                self.store.customer_attributes.forget_customer(customer_id)
        for customer_id in deleted:
            self.store.emit("store/customer/deleted", {"type": "customer", "id": customer_id})
        return deleted

    def get_customer(self, customer_id: int) -> Customer | None:
        return self.customers.get(customer_id)

    def get_customer_by_email(self, email: str) -> Customer | None:
        return self.customers.get_unique("email", email.lower())

    def search_customers(self, listing: Listing) -> Page:
        return search(self.customers, listing, {"email": "email", "customer_group_id": "customer_group_id"})

    def unassign_group(self, group_id: int) -> int:
        """Customers of a deleted group belong to no group (customer_group_id 0); no event (UNVERIFIED)."""
        with self.store.lock:
            ids = list(self.customers.ids_for("customer_group_id", group_id))
            for customer_id in ids:
                old = self.customers.get(customer_id)
                assert old is not None
                self.customers.replace(customer_id, replace(old, customer_group_id=0))
        return len(ids)

    def addresses_of(self, customer_id: int) -> list[Address]:
        return [a for i in self.addresses.ids_for("customer_id", customer_id) if (a := self.addresses.get(i))]

    def address_count(self, customer_id: int) -> int:
        return len(self.addresses.ids_for("customer_id", customer_id))

    # consent (reference/customers.v3.yml, /customers/{customerId}/consent)
    def get_consent(self, customer_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if customer_id not in self.customers:
            raise ResourceNotFound()
        return self.consents.get(customer_id, CONSENT_DEFAULT)

    def set_consent(self, customer_id: int, body: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Replace the customer's consent with `{allow, deny}` (a missing list is empty); essential stays allowed."""
        if not isinstance(body, Mapping):
            raise InvalidJSON(errors={})
        errors: dict[str, str] = {}
        lists = {name: _consent_list(errors, name, body.get(name)) for name in ("allow", "deny")}
        if not errors and set(lists["allow"]) & set(lists["deny"]):
            errors["deny"] = "error.consent.conflict"
        if not errors and "essential" in lists["deny"]:
            errors["deny"] = "error.consent.essential"
        if errors:
            raise InvalidJSON(errors=errors)
        allow = tuple(dict.fromkeys(("essential", *lists["allow"])))
        with self.store.lock:
            if customer_id not in self.customers:
                raise ResourceNotFound()
            self.consents[customer_id] = (allow, lists["deny"])
        return self.consents[customer_id]

    # credentials (POST /customers/validate-credentials)
    def validate_credentials(self, body: Any) -> int | None:
        """The id of the customer whose email and password these are on the channel, or None."""
        if not isinstance(body, Mapping):
            raise InvalidJSON(errors={})
        errors: dict[str, str] = {}
        for name in ("email", "password"):
            if body.get(name) is None:
                errors[name] = "error.path.missing"
            elif not isinstance(body[name], str):
                errors[name] = "error.expected.jsstring"
        channel_id = body.get("channel_id")
        if channel_id is not None and (not _is_int(channel_id) or channel_id < 1):
            errors["channel_id"] = "error.expected.jsnumber"
        if errors:
            raise InvalidJSON(errors=errors)
        email = body["email"].strip().lower()
        decision = self.credential_checks.hit(email, CREDENTIAL_CHECKS)
        if not decision.allowed:
            raise CredentialChecksExceeded(errors={}, retry_after_seconds=decision.retry_after_seconds)
        customer = self.get_customer_by_email(email)
        channel = DEFAULT_CHANNEL_ID if channel_id is None else channel_id
        if customer is None or not self.password_matches(customer, body["password"]):
            return None
        if not self.store.channels.exists(channel):
            return None
        if customer.channel_ids is not None and channel not in customer.channel_ids:
            return None
        return customer.id

    # addresses
    def create_addresses(self, items: Sequence[Any]) -> list[Address]:
        """New addresses; one identical to an address the customer has is skipped (left out of the result)."""
        checker = _Checker()
        for index, item in enumerate(items):
            if checker.item(index, item):
                self._check_address(checker, index, item, creating=True)
        checker.raise_if_any()
        created: list[Address] = []
        with self.store.lock:
            self._require_customers(items, CreateAddressesFailed, ".address_create", "Error creating addresses")
            for item in items:
                address = self._address_from(item, self.addresses.last_id + 1)
                if any(a.core() == address.core() for a in self.addresses_of(address.customer_id)):
                    continue
                self.addresses.insert(self.addresses.allocate_id(), address)
                self.store.customer_form_fields.set_fields(item.get("form_fields") or (), address_id=address.id)
                created.append(address)
        for address in created:
            self._emit_address("created", address)
        return created

    def update_addresses(self, items: Sequence[Any]) -> list[Address]:
        checker = _Checker()
        for index, item in enumerate(items):
            if checker.item(index, item):
                checker.integer(index, item, "id", required=True)
                self._check_address(checker, index, item, creating=False)
        checker.raise_if_any()
        with self.store.lock:
            missing = [item["id"] for item in items if item["id"] not in self.addresses]
            if missing:
                raise UpdateAddressesFailed(
                    errors={".address_update": f"Error updating addresses: address id(s) {missing} not found"}
                )
            self._require_customers(
                [i for i in items if "customer_id" in i], UpdateAddressesFailed, ".address_update",
                "Error updating addresses",
            )  # fmt: skip
            updated = []
            for item in items:
                old = self.addresses.get(item["id"])
                assert old is not None
                new = self._address_from({**_address_fields(old), **item}, old.id)
                self.addresses.replace(old.id, new)
                self.store.customer_form_fields.set_fields(item.get("form_fields") or (), address_id=old.id)
                updated.append(new)
        for address in updated:
            self._emit_address("updated", address)
        return updated

    def delete_addresses(self, ids: Iterable[int]) -> list[Address]:
        with self.store.lock:
            deleted = [self.addresses.delete(i) for i in dict.fromkeys(ids) if i in self.addresses]
            for address in deleted:
                self.store.customer_form_fields.forget(address_id=address.id)
        for address in deleted:
            self._emit_address("deleted", address)
        return deleted

    def search_addresses(self, listing: Listing) -> Page:
        return search(self.addresses, listing, {"customer_id": "customer_id"})

    # seeding
    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        customers = list(section.get("customers") or [])
        for index, customer in enumerate(customers):  # one by one, so an error names the customer
            with seeding("customers", index):
                self.create_customers([customer])
        return {"customers": len(customers)} if customers else {}

    # internals: validation
    def _check_customer(self, checker: _Checker, index: int, item: Mapping[str, Any], *, creating: bool) -> None:
        checker.strings(index, item, CUSTOMER_STRINGS, CUSTOMER_REQUIRED if creating else ())
        checker.integer(index, item, "customer_group_id")
        checker.integer(index, item, "origin_channel_id")
        checker.boolean(index, item, "accepts_product_review_abandoned_cart_emails")
        for name in ("addresses", "attributes", "store_credit_amounts", "form_fields", "channel_ids"):
            checker.array(index, item, name, limit=MAX_BATCH if name in ("addresses", "attributes") else 1000)
        email = item.get("email")
        if isinstance(email, str) and "@" not in email:
            checker.errors[f"[{index}].email"] = "error.email"
        channel_ids = item.get("channel_ids")
        if isinstance(channel_ids, list) and not all(_is_int(c) for c in channel_ids):
            checker.errors[f"[{index}].channel_ids"] = "error.expected.jsnumber"
        auth = item.get("authentication")
        if auth is not None and not isinstance(auth, Mapping):
            checker.errors[f"[{index}].authentication"] = "error.expected.jsobject"
        elif auth is not None and auth.get("new_password") is not None:
            password = auth["new_password"]
            if not isinstance(password, str):
                checker.errors[f"[{index}].authentication.new_password"] = "error.expected.jsstring"
            elif not password or len(password) > MAX_PASSWORD:
                checker.errors[f"[{index}].authentication.new_password"] = "error.minLength"
        check_fields(checker.errors, f"[{index}].form_fields", item.get("form_fields"))
        if creating:
            check_inline_attributes(checker.errors, index, item)
        inline = item.get("addresses") if creating and isinstance(item.get("addresses"), list) else []
        for number, address in enumerate(inline):
            if not isinstance(address, Mapping):
                checker.errors[f"[{index}].addresses[{number}]"] = "error.expected.jsobject"
                continue
            sub = _Checker()
            sub.strings(number, address, ADDRESS_STRINGS, [f for f in ADDRESS_REQUIRED if f != "customer_id"])
            _check_address_type(sub, number, address)
            sub.array(number, address, "form_fields", limit=1000)
            check_fields(sub.errors, f"[{number}].form_fields", address.get("form_fields"))
            for key, code in sub.errors.items():
                checker.errors[f"[{index}].addresses{key}"] = code
        for name in CUSTOMER_READ_ONLY:
            if name in item:
                checker.errors[f"[{index}].{name}"] = "error.path.result.readonly"

    def _check_address(self, checker: _Checker, index: int, item: Mapping[str, Any], *, creating: bool) -> None:
        checker.strings(index, item, ADDRESS_STRINGS, ADDRESS_REQUIRED if creating else ())
        checker.integer(index, item, "customer_id", required=creating)
        checker.array(index, item, "form_fields", limit=1000)
        check_fields(checker.errors, f"[{index}].form_fields", item.get("form_fields"))
        _check_address_type(checker, index, item)

    def _check_emails(self, items: Sequence[Any], error: type[Exception], key: str, prefix: str) -> None:
        """Email is unique per store, case-insensitively, across the store and within the batch."""
        seen: dict[str, int | None] = {}
        for item in items:
            email = item.get("email")
            if not isinstance(email, str):
                continue
            lowered = email.strip().lower()
            holder = self.customers.get_unique("email", lowered)
            own_id = item.get("id")
            repeated = lowered in seen and (own_id is None or seen[lowered] != own_id)
            taken = (holder is not None and holder.id != own_id) or repeated
            if taken:
                raise error(errors={key: f"{prefix}: email {email} already in use"})  # type: ignore[call-arg]
            seen[lowered] = own_id

    def _check_groups(self, items: Sequence[Any], error: type[Exception], key: str, prefix: str) -> None:
        """A customer_group_id other than 0 must name a customer group of the store."""
        groups = self.store.customer_groups
        wanted = (item.get("customer_group_id") for item in items)
        missing = sorted({g for g in wanted if isinstance(g, int) and g != 0 and not groups.exists(g)})
        if missing:
            raise error(errors={key: f"{prefix}: customer group id(s) {missing} not found"})  # type: ignore[call-arg]

    def _require_customers(self, items: Sequence[Any], error: type[Exception], key: str, prefix: str) -> None:
        missing = sorted({i["customer_id"] for i in items if i["customer_id"] not in self.customers})
        if missing:
            raise error(errors={key: f"{prefix}: customer id(s) {missing} not found"})  # type: ignore[call-arg]

    # internals: rows
    def _insert_customer(self, item: Mapping[str, Any], now: float, default_group: int = 0) -> Customer:
        customer_id = self.customers.allocate_id()
        options = _customer_options(item, creating=True)
        options.setdefault("customer_group_id", default_group)  # new customers join the default group
        customer = Customer(
            id=customer_id,
            email=item["email"].strip(),
            first_name=item["first_name"],
            last_name=item["last_name"],
            date_created=now,
            date_modified=now,
            **options,
            password_hash=self._password_hash(item),
        )
        self.customers.insert(customer_id, customer)
        fields = self.store.customer_form_fields
        fields.set_fields(item.get("form_fields") or (), customer_id=customer_id)
        for address in item.get("addresses") or []:
            row = self._address_from({**address, "customer_id": customer_id}, self.addresses.last_id + 1)
            if not any(a.core() == row.core() for a in self.addresses_of(customer_id)):
                self.addresses.insert(self.addresses.allocate_id(), row)
                fields.set_fields(address.get("form_fields") or (), address_id=row.id)
        return customer

    def _update_customer(self, item: Mapping[str, Any], now: float) -> Customer:
        old = self.customers.get(item["id"])
        assert old is not None
        changes: dict[str, Any] = {k: item[k] for k in ("first_name", "last_name") if item.get(k) is not None}
        if item.get("email") is not None:
            changes["email"] = item["email"].strip()
        password_hash = self._password_hash(item)
        if password_hash:
            changes["password_hash"] = password_hash
        new = replace(old, **changes, **_customer_options(item, creating=False), date_modified=now)
        self.customers.replace(old.id, new)
        self.store.customer_form_fields.set_fields(item.get("form_fields") or (), customer_id=old.id)
        return new

    def _password_hash(self, item: Mapping[str, Any]) -> str:
        """`authentication.new_password`, kept only as a salted hash (checked beforehand)."""
        auth = item.get("authentication")
        password = auth.get("new_password") if isinstance(auth, Mapping) else None
        if not isinstance(password, str):
            return ""
        salt = self.store.context.random.hex(16)
        return f"{salt}${_digest(salt, password)}"

    def password_matches(self, customer: Customer, password: str) -> bool:
        """Does `password` match the customer's? A customer given no password matches none."""
        salt, _, digest = customer.password_hash.partition("$")
        return bool(digest) and hmac.compare_digest(digest, _digest(salt, password))

    def _address_from(self, item: Mapping[str, Any], address_id: int) -> Address:
        return Address(
            id=address_id,
            customer_id=int(item["customer_id"]),
            first_name=item["first_name"],
            last_name=item["last_name"],
            address1=item["address1"],
            city=item["city"],
            state_or_province=item.get("state_or_province") or "",
            postal_code=item.get("postal_code") or "",
            country_code=str(item["country_code"]).upper(),
            company=item.get("company") or "",
            address2=item.get("address2") or "",
            phone=item.get("phone") or "",
            address_type=item.get("address_type") or "residential",
        )

    def _emit_address(self, action: str, address: Address) -> None:
        # Address events carry type "customer", the address id and address.customer_id (vendor-facts §7).
        data = {"type": "customer", "id": address.id, "address": {"customer_id": address.customer_id}}
        self.store.emit(f"store/customer/address/{action}", data)

    # internals: listing


def _customer_options(item: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Optional customer fields present in `item` (all of them, with defaults, when creating)."""
    options: dict[str, Any] = {}
    for name in ("company", "phone", "notes", "tax_exempt_category"):
        if name in item and item[name] is not None:
            options[name] = item[name]
    for name in ("customer_group_id", "accepts_product_review_abandoned_cart_emails"):
        if item.get(name) is not None:
            options[name] = item[name]
    if creating and item.get("origin_channel_id") is not None:
        options["origin_channel_id"] = item["origin_channel_id"]
    if "channel_ids" in item:
        options["channel_ids"] = None if item["channel_ids"] is None else tuple(item["channel_ids"])
    auth = item.get("authentication")
    if isinstance(auth, Mapping) and isinstance(auth.get("force_password_reset"), bool):
        options["force_password_reset"] = auth["force_password_reset"]
    for name in ("store_credit_amounts",):
        if item.get(name) is not None:
            options[name] = tuple(dict(x) if isinstance(x, Mapping) else {"value": x} for x in item[name])
    return options


def _consent_list(errors: dict[str, str], name: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        errors[name] = "error.expected.jsarray"
        return ()
    for number, item in enumerate(value):
        if item not in CONSENT_CATEGORIES:
            errors[f"{name}[{number}]"] = "error.expected.validenumvalue"
    if len(set(map(str, value))) != len(value):
        errors[name] = "error.unique"
    return tuple(str(v) for v in value)


def _digest(salt: str, password: str) -> str:
    return hmac.new(salt.encode(), password.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _check_address_type(checker: _Checker, index: int, item: Mapping[str, Any]) -> None:
    kind = item.get("address_type")
    if kind is not None and kind not in ("residential", "commercial"):
        checker.errors[f"[{index}].address_type"] = "error.expected.validenumvalue"


def _address_fields(address: Address) -> dict[str, Any]:
    return {f: getattr(address, f) for f in ("customer_id", *ADDRESS_CORE, "address1")}
