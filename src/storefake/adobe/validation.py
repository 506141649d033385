"""Magento's input rules for customers: type conversion, field names, passwords, EAV and name checks.

Type conversion and unknown-field detection mirror Magento's ServiceInputProcessor: a JSON key maps to a
setter through snake_case → UpperCamelCase, and PHP method names ignore case, so `first_name`,
`firstName` and `firstname` all reach `setFirstname`. Scalars are converted the PHP way (numeric strings
become ints, ints become strings); anything else is a type error with Magento's rendered text.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
import string
import unicodedata
from collections.abc import Mapping
from typing import Any

from storefake.adobe import errors as E
from storefake.errors import DomainError

INT, STR, BOOL, OBJECT, STR_LIST, ADDRESSES, CUSTOM_ATTRIBUTES, REGION = (
    "int",
    "string",
    "bool",
    "object",
    "string[]",
    "addresses",
    "custom_attributes",
    "region",
)

CUSTOMER_FIELDS: dict[str, str] = {
    "id": INT,
    "group_id": INT,
    "default_billing": STR,
    "default_shipping": STR,
    "confirmation": STR,
    "created_at": STR,
    "updated_at": STR,
    "created_in": STR,
    "dob": STR,
    "email": STR,
    "firstname": STR,
    "lastname": STR,
    "middlename": STR,
    "prefix": STR,
    "suffix": STR,
    "gender": INT,
    "store_id": INT,
    "taxvat": STR,
    "website_id": INT,
    "addresses": ADDRESSES,
    "disable_auto_group_change": INT,
    "extension_attributes": OBJECT,
    "custom_attributes": CUSTOM_ATTRIBUTES,
}

ADDRESS_FIELDS: dict[str, str] = {
    "id": INT,
    "customer_id": INT,
    "region": REGION,
    "region_id": INT,
    "country_id": STR,
    "street": STR_LIST,
    "company": STR,
    "telephone": STR,
    "fax": STR,
    "postcode": STR,
    "city": STR,
    "firstname": STR,
    "lastname": STR,
    "middlename": STR,
    "prefix": STR,
    "suffix": STR,
    "vat_id": STR,
    "default_billing": BOOL,
    "default_shipping": BOOL,
    "extension_attributes": OBJECT,
    "custom_attributes": CUSTOM_ATTRIBUTES,
}

REGION_FIELDS: dict[str, str] = {"region_code": STR, "region": STR, "region_id": INT}

GROUP_FIELDS: dict[str, str] = {
    "id": INT,
    "code": STR,
    "tax_class_id": INT,
    "tax_class_name": STR,
    "extension_attributes": OBJECT,
}
GROUP_EXTENSION_FIELDS = ("exclude_website_ids", "uid")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
REQUIRED_CHARACTER_CLASSES = 3
MAX_NAME_LENGTH = 255
PHP_INT_LIMIT = 2**63  # PHP_INT_MAX + 1 on 64-bit PHP
NAME_PUNCTUATION = frozenset(" ,-_.'\u2019`&")  # \u2019: the typographic apostrophe
EAV_LABELS = {"firstname": "First Name", "lastname": "Last Name", "middlename": "Middle Name", "dob": "Date of Birth"}
DATE_PATTERN = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
SCRIPT_PATTERN = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")


def upper_camel(key: str) -> str:
    """Magento's SimpleDataObjectConverter::snakeCaseToUpperCamelCase (used in "not supported" texts)."""
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


@functools.lru_cache(maxsize=4096)
def setter_key(key: str) -> str:
    """The case-insensitive setter a key reaches: `first_name`, `firstName`, `firstname` → `firstname`."""
    return upper_camel(key).lower()


def _lookup(fields: Mapping[str, str]) -> dict[str, str]:
    return {setter_key(name): name for name in fields}


CUSTOMER_KEYS = _lookup(CUSTOMER_FIELDS)
GROUP_KEYS = _lookup(GROUP_FIELDS)
ADDRESS_KEYS = _lookup(ADDRESS_FIELDS)
REGION_KEYS = _lookup(REGION_FIELDS)


def php_text(value: Any) -> str:
    """How PHP prints a scalar inside a type-error text."""
    if value is True:
        return "1"
    if value is False:
        return ""
    if isinstance(value, list | dict):
        return "Array"
    if isinstance(value, float):
        if math.isnan(value):
            return "NAN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        if value.is_integer():
            return str(int(value))
    return str(value)


def to_int(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise E.BodyTypeInvalid(field, php_text(value), INT)
    if isinstance(value, int):
        number: float = value
    elif isinstance(value, float):
        number = value
    elif re.fullmatch(r"[+-]?\d+", text := value.strip()):
        number = int(text)
    elif re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", text):
        number = float(text)
    else:
        raise E.BodyTypeInvalid(field, php_text(value), INT)
    # Infinite, NaN (1e999 in JSON reads as INF) or past PHP's 64-bit int: not an int Magento could keep.
    if not (math.isfinite(number) and -PHP_INT_LIMIT <= number < PHP_INT_LIMIT):
        raise E.BodyTypeInvalid(field, php_text(value), INT)
    return int(number)


def to_str(field: str, value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int | float):
        return php_text(value)
    if not isinstance(value, str):
        raise E.BodyTypeInvalid(field, php_text(value), STR)
    if SCRIPT_PATTERN.search(value):
        raise E.Invalid('"%field_name" does not contains valid value.', {"field_name": field})
    return value


def to_bool(field: str, value: Any) -> bool:
    """PHP's settype(..., "bool"): any scalar converts; only 0, "" and "0" are false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value not in ("", "0")
    raise E.BodyTypeInvalid(field, php_text(value), "bool")


def parse_object(data: Any, name: str, fields: Mapping[str, str], keys: Mapping[str, str]) -> dict[str, Any]:
    """Convert one JSON object to canonical field names and PHP types; unknown keys are reported together."""
    if not isinstance(data, Mapping):
        raise E.BodyTypeInvalid(name, php_text(data), "object")
    parsed: dict[str, Any] = {}
    unsupported: list[DomainError] = []
    for key, value in data.items():
        canonical = keys.get(setter_key(str(key)))
        if canonical is None:
            unsupported.append(E.FieldNotSupported(upper_camel(str(key))))
        elif value is not None:
            parsed[canonical] = convert(canonical, fields[canonical], value)
    if unsupported:
        raise E.one_or_many(unsupported)
    return parsed


def convert(field: str, kind: str, value: Any) -> Any:
    if kind == INT:
        return to_int(field, value)
    if kind == STR:
        return to_str(field, value)
    if kind == BOOL:
        return to_bool(field, value)
    if kind == STR_LIST:
        items = value if isinstance(value, list) else [value]
        return tuple(to_str(field, item) for item in items)
    if kind == REGION:
        return parse_object(value, field, REGION_FIELDS, REGION_KEYS)
    if kind == ADDRESSES:
        if not isinstance(value, list):
            raise E.BodyTypeInvalid(field, php_text(value), "\\Magento\\Customer\\Api\\Data\\AddressInterface[]")
        return [parse_object(item, field, ADDRESS_FIELDS, ADDRESS_KEYS) for item in value]
    if kind == CUSTOM_ATTRIBUTES:
        return _custom_attributes(field, value)
    if not isinstance(value, Mapping):
        raise E.BodyTypeInvalid(field, php_text(value), "object")
    return dict(value)


def _custom_attributes(field: str, value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    result = []
    for item in items:
        if not isinstance(item, Mapping) or "attribute_code" not in item:
            raise E.BodyTypeInvalid(field, php_text(item), "\\Magento\\Framework\\Api\\AttributeInterface[]")
        result.append({"attribute_code": to_str("attribute_code", item["attribute_code"]), "value": item.get("value")})
    return result


def parse_customer(data: Any) -> dict[str, Any]:
    """The `customer` object of a request body (missing or null → the "is required" error)."""
    if data is None:
        raise E.FieldRequired("customer")
    return parse_object(data, "customer", CUSTOMER_FIELDS, CUSTOMER_KEYS)


def parse_group(data: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The `group` object of a request body and its extension attributes (exclude_website_ids: int[])."""
    if data is None:
        raise E.FieldRequired("group")
    fields = parse_object(data, "group", GROUP_FIELDS, GROUP_KEYS)
    raw = fields.pop("extension_attributes", None) or {}
    extension: dict[str, Any] = {}
    unsupported: list[DomainError] = []
    for key, value in raw.items():
        name = next((n for n in GROUP_EXTENSION_FIELDS if setter_key(n) == setter_key(str(key))), None)
        if name is None:
            unsupported.append(E.FieldNotSupported(upper_camel(str(key))))
        elif name == "exclude_website_ids" and value is not None:
            items = value if isinstance(value, list) else [value]
            extension[name] = [to_int(name, item) for item in items]
        elif value is not None:
            extension[name] = to_str(name, value)
    if unsupported:
        raise E.one_or_many(unsupported)
    return fields, extension


def body_value(body: Any, name: str) -> Any:
    """A top-level body parameter by its setter name (`passwordHash` or `password_hash`); others are ignored."""
    if not isinstance(body, Mapping):
        return None
    wanted = setter_key(name)
    for key, value in body.items():
        if setter_key(str(key)) == wanted:
            return value
    return None


# --- business rules --------------------------------------------------------------------------------


def check_password(password: str, email: str | None) -> None:
    """AccountManagement::checkPasswordStrength, then the password-differs-from-email check."""
    if len(password) > MAX_PASSWORD_LENGTH:
        raise E.PasswordTooLong(MAX_PASSWORD_LENGTH)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise E.PasswordTooShort(MIN_PASSWORD_LENGTH)
    if password.strip() != password:
        raise E.PasswordSpaces()
    if character_classes(password) < REQUIRED_CHARACTER_CLASSES:
        raise E.PasswordClasses(REQUIRED_CHARACTER_CLASSES)
    if email is not None and password.lower() == email.lower():
        raise E.PasswordIsEmail()


# Magento's classes ([0-9], [A-Z], [a-z], anything else) as sets: four C-level set tests per password.
DIGITS, UPPER, LOWER = frozenset(string.digits), frozenset(string.ascii_uppercase), frozenset(string.ascii_lowercase)
ALPHANUMERIC = DIGITS | UPPER | LOWER
SIMPLE_NAME = re.compile(r"[A-Za-z0-9 ,\-_.'`&]*")  # ASCII fast path of is_valid_name


def character_classes(password: str) -> int:
    chars = set(password)
    return (
        (not chars.isdisjoint(DIGITS))
        + (not chars.isdisjoint(UPPER))
        + (not chars.isdisjoint(LOWER))
        + (not chars <= ALPHANUMERIC)
    )


def eav_messages(customer: Mapping[str, Any]) -> list[str]:
    """The EAV validator's messages for a customer about to be saved (required names, email format)."""
    messages = []
    for field in ("firstname", "lastname"):
        if not str(customer.get(field) or "").strip():
            messages.append(f'"{EAV_LABELS[field]}" is a required value.')
    if not is_valid_email(str(customer.get("email") or "")):
        messages.append('"Email" is not a valid email address.')
    if str(customer.get("dob") or "").strip() and normalize_date(str(customer["dob"])) is None:
        messages.append(f'"{EAV_LABELS["dob"]}" does not fit the entered date format.')
    return messages


def normalize_date(value: str) -> str | None:
    """A date attribute's stored form, `YYYY-MM-DD` (a time part is dropped); None when it is no date."""
    match = DATE_PATTERN.match(value.strip())
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def name_messages(customer: Mapping[str, Any]) -> list[str]:
    """Customer\\Model\\Validator\\Name: letters, marks, digits, spaces and a little punctuation, ≤ 255."""
    return [
        f"{EAV_LABELS[field]} is not valid!"
        for field in ("firstname", "middlename", "lastname")
        if customer.get(field) and not is_valid_name(str(customer[field]))
    ]


def is_valid_name(name: str) -> bool:
    if len(name) > MAX_NAME_LENGTH:
        return False
    if SIMPLE_NAME.fullmatch(name):
        return True
    return all(unicodedata.category(ch)[0] in "LMN" or ch.isspace() or ch in NAME_PUNCTUATION for ch in name)


def is_valid_email(email: str) -> bool:
    return len(email) <= 254 and EMAIL_PATTERN.match(email) is not None


def address_errors(address: Mapping[str, Any]) -> list[DomainError]:
    """Address\\Validator\\General: required fields (EAV defaults) and the country."""
    errors: list[DomainError] = []
    for field in ("firstname", "lastname", "street", "city", "telephone"):
        value = address.get(field)
        if not (any(str(v).strip() for v in value) if isinstance(value, tuple) else str(value or "").strip()):
            errors.append(E.FieldRequired(field))
    country = address.get("country_id")
    if not country:
        errors.append(E.FieldRequired("countryId"))
    elif not COUNTRY_PATTERN.match(country):
        errors.append(
            E.Invalid(
                'Invalid value of "%value" provided for the %fieldName field.',
                {"fieldName": "countryId", "value": country},
            )
        )
    return errors
