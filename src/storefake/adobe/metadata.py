"""Customer and customer-address attribute metadata (CustomerMetadata, AddressMetadata), without HTTP.

The attributes are data (fixtures/adobe/attributes.yaml, read once per process); the options of `website_id`,
`store_id` and `group_id` come from the tenant's own structure and groups, as Magento's source models read
them from the database. A custom attribute is one that is neither a field of the entity's data interface nor
a system attribute (CustomerMetadata::getCustomAttributesMetadata).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from storefake.adobe import errors as E
from storefake.adobe.validation import ADDRESS_FIELDS, CUSTOMER_FIELDS
from storefake.resources import data_dir, load_yaml

CUSTOMER = "customer"
ADDRESS = "customer_address"
INTERFACE_FIELDS = {CUSTOMER: frozenset(CUSTOMER_FIELDS), ADDRESS: frozenset(ADDRESS_FIELDS)}
# AbstractFrontend::_getInputValidateClass: the CSS class of an `input_validation` rule.
INPUT_VALIDATION_CLASSES = {
    "alphanumeric": "validate-alphanum",
    "numeric": "validate-digits",
    "alpha": "validate-alpha",
    "email": "validate-email",
    "url": "validate-url",
}


@dataclass(frozen=True, slots=True)
class Attribute:
    code: str
    label: str | None
    input: str
    backend_type: str
    required: bool
    visible: bool
    system: bool
    user_defined: bool
    sort_order: int
    validate_rules: tuple[tuple[str, str], ...]
    input_filter: str = ""
    multiline_count: int = 0
    data_model: str = ""
    frontend_class: str = ""
    note: str = ""
    grid: tuple[bool, bool, bool, bool] = (False, False, False, False)
    forms: frozenset[str] = field(default_factory=frozenset)
    source: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Attribute:
        grid = tuple(bool(flag) for flag in data.get("grid") or (False,) * 4)
        return cls(
            code=str(data["code"]),
            label=None if data.get("label") is None else str(data["label"]),
            input=str(data.get("input") or "text"),
            backend_type=str(data.get("backend_type") or "static"),
            required=bool(data.get("required", False)),
            visible=bool(data.get("visible", True)),
            system=bool(data.get("system", True)),
            user_defined=bool(data.get("user_defined", False)),
            sort_order=int(data.get("sort_order") or 0),
            validate_rules=tuple((str(k), str(v)) for k, v in (data.get("validate_rules") or {}).items()),
            input_filter=str(data.get("input_filter") or ""),
            multiline_count=int(data.get("multiline_count") or 0),
            data_model=str(data.get("data_model") or ""),
            frontend_class=str(data.get("frontend_class") or ""),
            note=str(data.get("note") or ""),
            grid=(grid + (False,) * 4)[:4],  # type: ignore[arg-type]
            forms=frozenset(str(form) for form in data.get("forms") or ()),
            source=None if data.get("source") is None else str(data["source"]),
        )

    @property
    def css_class(self) -> str:
        """AbstractFrontend::getClass: own class, `required-entry`, the input-validation class and, with one,
        the text-length classes."""
        classes = [self.frontend_class] if self.frontend_class else []
        if self.required:
            classes.append("required-entry")
        rules = dict(self.validate_rules)
        validation = INPUT_VALIDATION_CLASSES.get(rules.get("input_validation", ""))
        if validation:
            classes.append(validation)
            lengths = [f"minimum-length-{rules['min_text_length']}"] if rules.get("min_text_length") else []
            lengths += [f"maximum-length-{rules['max_text_length']}"] if rules.get("max_text_length") else []
            classes += [*lengths, "validate-length"] if lengths else []
        return " ".join(classes)


@dataclass(frozen=True)
class Catalogue:
    """Both entities' attributes (in definition order) and the option lists that are data."""

    attributes: Mapping[str, tuple[Attribute, ...]]
    options: Mapping[str, tuple[tuple[str, str], ...]]

    def all(self, entity: str) -> tuple[Attribute, ...]:
        return self.attributes[entity]

    def custom(self, entity: str) -> list[Attribute]:
        fields = INTERFACE_FIELDS[entity]
        return [a for a in self.attributes[entity] if a.code not in fields and not a.system]

    def get(self, entity: str, code: str) -> Attribute:
        found = next((a for a in self.attributes[entity] if a.code == code), None)
        if found is None:
            raise E.NoSuchEntityPair("entityType", entity, "attributeCode", code)
        return found

    def form(self, entity: str, form_code: str) -> list[Attribute]:
        """The attributes of a form, by sort order (404 naming `formCode` when the form has none)."""
        found = sorted((a for a in self.attributes[entity] if form_code in a.forms), key=lambda a: a.sort_order)
        if not found:
            raise E.NoSuchEntity("formCode", form_code)
        return found


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The bundled attribute definitions, read once per process."""
    data = load_yaml(data_dir("fixtures") / "adobe" / "attributes.yaml")
    attributes = {entity: tuple(Attribute.from_data(a) for a in data[entity]) for entity in (CUSTOMER, ADDRESS)}
    options = {
        name: tuple((str(o["label"]), str(o["value"])) for o in items) for name, items in data["options"].items()
    }
    return Catalogue(attributes, options)


def options_of(attribute: Attribute, store: Any) -> list[tuple[str, str]]:
    """The (label, value) options of an attribute's source: data, or the tenant's websites, stores and groups."""
    source = attribute.source
    if source is None:
        return []
    structure = store.structure
    if source == "websites":  # Source\Website: every website but the admin one
        return [(str(w.get("name", w.get("code", ""))), str(i)) for i, w in structure.websites.items() if i != 0]
    if source == "stores":  # Source\Store: every store view, the admin one included
        return [(s.name, str(s.id)) for s in structure.stores.values()]
    if source == "groups":  # Source\Group: the logged-in groups
        return [(g.code, str(g.id)) for g in store.groups.all() if g.id != 0]
    return list(catalogue().options.get(source, ()))
