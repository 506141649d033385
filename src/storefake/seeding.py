"""Seed data: the one schema of fixtures files and seed bodies, and the errors that name where they went wrong.

A fixtures file (`storefake serve --fixtures`, `Config(fixtures=...)`) and a body of `POST /__storefake/seed`
are checked against the declarative JSON Schemas below before anything is written: shapes, ids, dates,
known keys. What only a vendor's own rules can tell (a product without a price, an e-mail already taken) is
found by seeding a scratch copy of each store first (`scratch_copy`), so a seed is applied whole or not at
all. Either way the error names the place, e.g. `bigcommerce.stores.abc123.products[3].id: ...`.

A record (customer, product, order...) is checked here only for the fields seeding itself reads (`id`,
dates); its other fields are the vendor's create body and meet the vendor's validation. The configuration
around them (IMS clients, API accounts, apps) is checked key by key, so a misspelled key is refused.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import jsonschema
import jsonschema.exceptions

from storefake.errors import DomainError
from storefake.table import DuplicateKey

PathPart = str | int
MAX_ID = 2_147_483_647  # the vendors' ids are 32-bit integers
RESERVED_TENANT_IDS = ("ims", "stores", "oauth2", "__storefake", "rest")  # first path segments of other surfaces


# --- the schema ----------------------------------------------------------------------------------------
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
STRUCTURE_ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}  # Magento's admin website/store is 0
TEXT = {"type": "string"}
TEXTS = {"type": "array", "items": TEXT}
NAME = {"type": ["string", "integer"], "minLength": 1, "pattern": "^[^/\\s]+$"}  # a path segment


def strict(required: Sequence[str] = (), **properties: Any) -> dict[str, Any]:
    """A mapping with exactly these keys (a misspelled one is refused); null stands for an empty one."""
    return {
        "type": ["object", "null"],
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def record(**properties: Any) -> dict[str, Any]:
    """A vendor record: these fields are checked here, the rest by the vendor's own create rules."""
    return {"type": "object", "properties": properties}


def records(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": ["array", "null"], "items": item}


def by_key_or_list(key: Mapping[str, Any], value: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    """`{<key>: value}` or a list of entries that carry their key (both forms are accepted)."""
    return {
        "type": ["object", "array", "null"],
        "if": {"type": "object"},
        "then": {"propertyNames": key, "additionalProperties": value},
        "else": {"items": entry},
    }


def refused(message: str) -> dict[str, Any]:
    """A key that is known but not accepted here; `x-message` says why (the error text)."""
    return {"not": {}, "x-message": message, "x-refused": True}


MAGENTO_DATE = {"type": "string", "format": "magento-datetime"}
BIGCOMMERCE_DATE = {"type": ["string", "integer"], "format": "bigcommerce-date"}

ADOBE_CUSTOMER = record(
    id=ID,
    created_at=MAGENTO_DATE,
    updated_at=MAGENTO_DATE,
    password=TEXT,
    addresses={"type": "array", "items": record(id=ID)},
)
# A tenant's own groups (fixtures and seeds): an API create's fields; `id` is optional in a tenant's data.
TENANT_CUSTOMER_GROUP = strict(["code"], id=STRUCTURE_ID, code=TEXT, tax_class_id=STRUCTURE_ID)
# A store configuration value: Magento keeps them as text; the paths the fake reads hold whole numbers.
CONFIG_VALUE = {
    "type": ["integer", "string"],
    "pattern": "^\\s*-?[0-9]+\\s*$",
    "x-message": "expected a whole number (or its digits as text)",
}
TENANT_ID = {
    **NAME,
    "allOf": [{"not": {"enum": list(RESERVED_TENANT_IDS)}, "x-message": "a reserved path segment, not a tenant id"}],
}
IMS_CLIENT = strict(["client_id", "client_secret"], client_id=TEXT, client_secret=TEXT, org_id=TEXT, scopes=TEXTS)
WEBSITE = strict(["id"], id=STRUCTURE_ID, code=TEXT, name=TEXT, default_group_id=STRUCTURE_ID)
STORE_GROUP = strict(
    ["id"],
    id=STRUCTURE_ID,
    website_id=STRUCTURE_ID,
    name=TEXT,
    code=TEXT,
    root_category_id=STRUCTURE_ID,
    default_store_id=STRUCTURE_ID,
)
STORE_VIEW = strict(
    ["id", "code", "website_id", "store_group_id", "name"],
    id=STRUCTURE_ID,
    code=TEXT,
    website_id=STRUCTURE_ID,
    store_group_id=STRUCTURE_ID,
    name=TEXT,
    is_active={"type": ["integer", "boolean"]},
)
CUSTOMER_GROUP = strict(["id", "code"], id=STRUCTURE_ID, code=TEXT, tax_class_id=STRUCTURE_ID)
TAX_CLASS = strict(["id", "name", "type"], id=ID, name=TEXT, type={"enum": ["CUSTOMER", "PRODUCT"]})

STORE_DATA = {
    "channels": records(record(id=ID)),
    "brands": records(record(id=ID)),
    "categories": records(record(id=ID, parent_id=STRUCTURE_ID)),
    "products": records(record(id=ID)),
    "locations": records(record()),  # Inventory API locations, beside the default location 1
    "customer_groups": records(record(id=ID)),
    "customer_attributes": records(record(id=ID)),
    "customers": records(record()),
    "orders": records(record(id=ID, customer_id=STRUCTURE_ID, date_created=BIGCOMMERCE_DATE)),
    "metafields": records(record(resource_id=ID)),
    "hooks": records(
        strict(
            ["client_id", "scope", "destination"],
            client_id=TEXT,
            scope=TEXT,
            destination=TEXT,
            headers={"type": ["object", "null"], "additionalProperties": TEXT},
            is_active={"type": "boolean"},
        )
    ),
}
STORE_HASH = {"type": "string", "minLength": 1, "pattern": "^[^/\\s]+$"}
RATE_LIMIT = strict(
    plan=TEXT,  # which plans exist, and their quotas, is bigcommerce/state/limits.py's to say
    quota=ID,
    window_ms={"type": "number", "exclusiveMinimum": 0, "maximum": 1e12},
)
ACCOUNT = strict(
    ["access_token"], name=TEXT, client_id=TEXT, client_secret=TEXT, access_token={**TEXT, "minLength": 1}, scopes=TEXTS
)
APP = strict(
    ["client_id", "client_secret"], client_id=TEXT, client_secret=TEXT, redirect_uri=TEXT, scopes=TEXTS, name=TEXT
)
OWNER = strict(id=ID, username=TEXT, email=TEXT)
# Store settings come from the fixtures file at start; a seed only adds data.
SEED_REFUSES = {
    "accounts": refused("API accounts are read from the fixtures file at start, not seeded"),
    "rate_limit": refused("set a store's rate limit with PUT /__storefake/bigcommerce/stores/{hash}/rate_limit"),
    "store_id": refused("a store's id is read from the fixtures file at start, not seeded"),
    "name": refused("a store's name is read from the fixtures file at start, not seeded"),
}


@functools.cache
def schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """The fixtures schema and the seed schema. Built on first use, as two parts come from the vendors' own
    modules (which import this one): the Adobe configuration paths the fake reads, and the fields of
    BigCommerce's `GET /v2/store` (a store's `information`)."""
    adobe_tenant = {
        "customer_groups": records(TENANT_CUSTOMER_GROUP),
        "config": adobe_config(),
        "customers": records(ADOBE_CUSTOMER),
    }
    tenants = by_key_or_list(TENANT_ID, strict(**adobe_tenant), strict(["id"], id=TENANT_ID, **adobe_tenant))
    store_data = {**STORE_DATA, "information": {**store_information(), "type": ["object", "null"]}}
    seed_stores = by_key_or_list(
        STORE_HASH,
        strict(**store_data, **SEED_REFUSES),
        strict(["store_hash"], store_hash=STORE_HASH, **store_data, **SEED_REFUSES),
    )
    fixture_store = strict(
        ["store_hash"],
        store_hash=STORE_HASH,
        store_id=ID,
        name=TEXT,
        rate_limit=RATE_LIMIT,
        accounts=records(ACCOUNT),
        **store_data,
    )
    fixtures = strict(
        adobe=strict(
            ims_clients=records(IMS_CLIENT),
            tenants=tenants,
            websites=records(WEBSITE),
            store_groups=records(STORE_GROUP),
            stores=records(STORE_VIEW),
            customer_groups=records(CUSTOMER_GROUP),
            tax_classes=records(TAX_CLASS),
            config=adobe_config(),
        ),
        bigcommerce=strict(stores=records(fixture_store), apps=records(APP), owner=OWNER),
    )
    seed = strict(adobe=strict(tenants=tenants), bigcommerce=strict(stores=seed_stores))
    return fixtures, seed


def adobe_config() -> dict[str, Any]:
    """Store configuration (`config:` of the Adobe fixtures and of a tenant): the paths the fake reads."""
    from storefake.adobe.state import DEFAULT_CONFIG

    return strict(**dict.fromkeys(DEFAULT_CONFIG, CONFIG_VALUE))


def store_information() -> dict[str, Any]:
    """A store's `information:`: any field of `GET /v2/store`, of the type the vendor answers it with
    (sub-objects merge field by field, so each of theirs is known too; `logo` is {url} or [])."""
    from storefake.bigcommerce.state.information import defaults

    return _shaped_like(defaults("store", 1, "", ""))


def _shaped_like(example: Mapping[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key, value in example.items():
        if key == "logo":
            properties[key] = {
                "anyOf": [{"type": "array", "maxItems": 0}, strict(["url"], url=TEXT) | {"type": "object"}],
                "x-message": "expected {url: ...} or []",
            }
        elif isinstance(value, Mapping):
            properties[key] = _shaped_like(value)
        else:
            properties[key] = {"type": _JSON_TYPES[type(value)]}
    return {"type": "object", "properties": properties, "additionalProperties": False}


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array"}


# --- checking ------------------------------------------------------------------------------------------
def _is_magento_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True


def _is_bigcommerce_date(value: object) -> bool:
    from storefake.bigcommerce.state.orders import date_of

    try:
        date_of(value, "date_created")
    except DomainError:
        return False
    return True


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("magento-datetime")(_is_magento_datetime)
FORMATS.checks("bigcommerce-date")(_is_bigcommerce_date)
FORMAT_NAMES = {
    "magento-datetime": "date and time (YYYY-MM-DD HH:MM:SS)",
    "bigcommerce-date": "RFC 2822 or ISO 8601 date",
}
# JSON Schema's "integer" takes 1.0; an id of 1.0 is as wrong in a seed as 1.5, and true is no number either.
_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many(
    {
        "integer": lambda _, value: isinstance(value, int) and not isinstance(value, bool),
        "number": lambda _, value: isinstance(value, int | float) and not isinstance(value, bool),
    }
)
_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=_TYPES)


@functools.cache
def _validators() -> tuple[Any, Any]:
    fixtures, seed = schemas()
    return _Validator(fixtures, format_checker=FORMATS), _Validator(seed, format_checker=FORMATS)


class SeedError(ValueError):
    """Seed data or a fixtures file that can't be loaded; the text names the place (`a.b[3].c: problem`)."""

    def __init__(self, path: Sequence[PathPart], problem: str) -> None:
        self.path = list(path)
        self.problem = problem
        super().__init__(f"{format_path(self.path)}: {problem}" if self.path else problem)

    def under(self, *prefix: PathPart) -> SeedError:
        return SeedError([*prefix, *self.path], self.problem)


def format_path(path: Iterable[PathPart]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def check_fixtures(data: Any) -> None:
    """SeedError naming the first problem of a fixtures document (already read from YAML)."""
    _check(_validators()[0], data)


def check_seed(data: Any) -> None:
    """SeedError naming the first problem of a seed body (`{"adobe": ..., "bigcommerce": ...}`)."""
    _check(_validators()[1], data)


def _check(validator: Any, data: Any) -> None:
    if not isinstance(data, Mapping):
        raise SeedError([], f"expected a mapping of vendor sections (adobe, bigcommerce), got {_kind(data)}")
    errors = list(validator.iter_errors(data))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    path, problem = _describe(error)
    more = len(errors) - 1
    raise SeedError(path, problem + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))


def _describe(error: jsonschema.ValidationError) -> tuple[list[PathPart], str]:
    path: list[PathPart] = list(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    keyword, value = error.validator, error.instance
    if "propertyNames" in error.absolute_schema_path:
        path.append(str(value))  # the offending key itself
    if "x-message" in schema:
        return path, str(schema["x-message"])
    if keyword == "additionalProperties":
        known = sorted(name for name, rule in schema.get("properties", {}).items() if not rule.get("x-refused"))
        unknown = sorted(str(key) for key in value if key not in schema.get("properties", {}))
        path.append(unknown[0])
        return path, f"unknown key; expected one of: {', '.join(known)}"
    if keyword == "required":
        missing = [name for name in error.validator_value if name not in value]
        return [*path, missing[0]], "required"
    if keyword == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = [name for name in wanted if name != "null"]
        return path, f"expected {' or '.join(_TYPE_WORDS.get(name, name) for name in wanted)}, got {_kind(value)}"
    if keyword in ("minimum", "exclusiveMinimum"):
        return (
            path,
            f"must be {'at least' if keyword == 'minimum' else 'more than'} {error.validator_value}, got {value!r}",
        )
    if keyword == "maximum":
        return path, f"must be at most {error.validator_value}, got {value!r}"
    if keyword == "format":
        return path, f"{value!r} is not a valid {FORMAT_NAMES.get(error.validator_value, error.validator_value)}"
    if keyword == "enum":
        return path, f"must be one of {', '.join(map(str, error.validator_value))}, got {value!r}"
    return path, error.message


_TYPE_WORDS = {"integer": "a whole number", "number": "a number", "string": "a string", "boolean": "true or false"}
_TYPE_WORDS |= {"array": "a list", "object": "a mapping"}


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "true" if value is True else "false" if value is False else "null"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, Mapping) else type(value).__name__


# --- writing -------------------------------------------------------------------------------------------
@contextlib.contextmanager
def seeding(*path: PathPart) -> Iterator[None]:
    """What goes wrong inside (a vendor's validation refusing a record) names this place in the seed data."""
    try:
        yield
    except SeedError as exc:
        raise exc.under(*path) from exc
    except DomainError as exc:
        raise SeedError(list(path), describe(exc)) from exc
    except DuplicateKey as exc:  # an id given twice, or one the store already holds
        raise SeedError([*path, exc.index], f"{exc.key!r} is already taken") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise SeedError(list(path), str(exc) or type(exc).__name__) from exc


def describe(error: DomainError) -> str:
    """A vendor error as one line: its text and, when it carries them, its per-field errors."""
    text = error.render_text()
    details = error.errors
    if isinstance(details, Mapping) and details:
        text += " (" + "; ".join(f"{key}: {value}" for key, value in details.items()) + ")"
    elif isinstance(details, Sequence) and details:
        text += " (" + "; ".join(item.render_text() for item in details if isinstance(item, DomainError)) + ")"
    return text


def scratch_copy(state: Any, shared: Iterable[Any], replaced: Mapping[Any, Any] | None = None) -> Any:
    """A deep copy of one store's state to try a seed on: `shared` objects (the backend, the clock) are not
    copied, each key of `replaced` (a random source) is the copy's value instead, and the copy gets a lock of
    its own."""
    memo: dict[int, Any] = {id(item): item for item in shared}
    memo.update((id(item), substitute) for item, substitute in (replaced or {}).items())
    memo[id(state.lock)] = threading.RLock()
    try:
        return copy.deepcopy(state, memo)
    except RecursionError:  # a record holding a value nested hundreds deep (the vendors store what they are given)
        raise SeedError([], "holds data nested too deeply to try a seed on; reset it, or seed another") from None
