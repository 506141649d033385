"""One tenant's customer groups: GroupRepository, GroupManagement and CustomerGroupConfig, without HTTP.

Magento's rules (Customer ResourceModel/GroupRepository, Model/Group, Model/GroupManagement, Model/Plugin/
*CustomerGroupExcludedWebsite): a code is required and stored cut to 32 characters; codes are unique the way
MySQL compares them (case-insensitively, trailing spaces ignored); a new group without a tax class gets the
default one (3); a tax class must exist and be a CUSTOMER class; NOT LOGGED IN (0) and the default group are
read-only and can't be deleted. The default group is the store config `customer/create_account/default_group`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from storefake.adobe import errors as E
from storefake.table import DuplicateKey, Table

NOT_LOGGED_IN_ID = 0
DEFAULT_TAX_CLASS_ID = 3
GROUP_CODE_MAX_LENGTH = 32
CUSTOMER_TAX_CLASS = "CUSTOMER"
DEFAULT_GROUP_PATH = "customer/create_account/default_group"


@dataclass(frozen=True, slots=True)
class TaxClass:
    id: int
    name: str
    type: str  # CUSTOMER or PRODUCT


@dataclass(frozen=True, slots=True)
class Group:
    id: int
    code: str
    tax_class_id: int
    excluded_website_ids: tuple[int, ...] = ()


def code_key(code: str) -> str:
    """How MySQL's default collation compares codes: case-insensitive, trailing spaces ignored."""
    return code.rstrip(" ").casefold()


def tax_classes_from(data: Iterable[Mapping[str, Any]] | None) -> dict[int, TaxClass]:
    classes = {int(t["id"]): TaxClass(int(t["id"]), str(t["name"]), str(t["type"])) for t in data or ()}
    return classes or {
        2: TaxClass(2, "Taxable Goods", "PRODUCT"),
        DEFAULT_TAX_CLASS_ID: TaxClass(DEFAULT_TAX_CLASS_ID, "Retail Customer", CUSTOMER_TAX_CLASS),
    }


class CustomerGroups:
    """A tenant's groups by id, their unique codes, and the default group. Callers hold the store's lock."""

    def __init__(
        self,
        groups: Iterable[Mapping[str, Any]],
        tax_classes: Mapping[int, TaxClass],
        website_ids: Iterable[int],
        default_group_id: int,
    ) -> None:
        self.tax_classes = tax_classes
        self.website_ids = tuple(w for w in website_ids if w != 0)  # the admin website is never excluded
        self.default_group_id = default_group_id
        self.table: Table[Group] = Table(unique={"code": lambda g: code_key(g.code)})
        for data in groups:
            self.add(data)

    def add(self, data: Mapping[str, Any]) -> Group:
        """A group from fixtures or seed data (`id`, `code`, `tax_class_id`): an API create's rules, any id."""
        fields = {"code": data.get("code"), "tax_class_id": data.get("tax_class_id")}
        if data.get("id") is None:
            return self.save(fields)
        group_id = int(data["id"])
        if group_id in self.table:
            raise E.GroupExists()
        self._check_code(fields["code"])
        tax_class_id = fields["tax_class_id"] or DEFAULT_TAX_CLASS_ID
        self._check_tax_class(tax_class_id, fields["tax_class_id"])
        group = self._checked(group_id, {**fields, "tax_class_id": tax_class_id}, {})
        self._store(group, insert=True)
        return group

    # --- reads ---------------------------------------------------------------------------------------------
    def __contains__(self, group_id: object) -> bool:
        return group_id in self.table

    def get(self, group_id: int, field_name: str = "id") -> Group:
        group = self.table.get(group_id)
        if group is None:
            raise E.NoSuchEntity(field_name, group_id)
        return group

    def all(self) -> list[Group]:
        return list(self.table)

    def tax_class_name(self, group: Group) -> str | None:
        tax_class = self.tax_classes.get(group.tax_class_id)
        return None if tax_class is None else tax_class.name

    def is_readonly(self, group_id: int) -> bool:
        """GroupManagement::isReadonly: NOT LOGGED IN and the default group can't be deleted."""
        self.get(group_id, "groupId")
        return group_id == NOT_LOGGED_IN_ID or group_id == self.default_group_id

    def default_group(self) -> Group:
        return self.get(self.default_group_id)

    # --- writes --------------------------------------------------------------------------------------------
    def save(self, fields: Mapping[str, Any], extension: Mapping[str, Any] | None = None) -> Group:
        """GroupRepository::save: an `id` (0 included) updates that group, no `id` creates one."""
        extension = extension or {}
        self._check_code(fields.get("code"))
        group_id = fields.get("id")
        if group_id is not None:
            self._check_tax_class(fields.get("tax_class_id"))
            current = self.get(group_id)
            group = self._checked(group_id, fields, extension, current)
            self._store(group, insert=False)
            return group
        tax_class_id = fields.get("tax_class_id") or DEFAULT_TAX_CLASS_ID
        self._check_tax_class(tax_class_id, fields.get("tax_class_id"))
        group = self._checked(self.table.last_id + 1, {**fields, "tax_class_id": tax_class_id}, extension)
        self._store(group, insert=True)
        return group

    def delete(self, group_id: int) -> bool:
        """GroupRepository::deleteById (the caller moves the group's customers to the default group)."""
        self.get(group_id)
        if group_id <= 0 or group_id == self.default_group_id:
            raise E.CannotDeleteGroup()
        self.table.delete(group_id)
        return True

    def set_default(self, group_id: int) -> int:
        """CustomerGroupConfig::setDefaultCustomerGroup: the group must exist; returns its id."""
        self.get(group_id)
        self.default_group_id = group_id
        return group_id

    # --- internals -----------------------------------------------------------------------------------------
    @staticmethod
    def _check_code(code: Any) -> None:
        # GroupRepository::_validate: Zend NotEmpty, for which a string of spaces is empty too.
        if code is None or not str(code).strip():
            raise E.FieldRequired("code")

    def _check_tax_class(self, tax_class_id: int | None, shown: Any = ...) -> None:
        tax_class = None if tax_class_id is None else self.tax_classes.get(tax_class_id)
        if tax_class is None or tax_class.type != CUSTOMER_TAX_CLASS:
            raise E.InvalidFieldValue("taxClassId", tax_class_id if shown is ... else shown)

    def _checked(
        self, group_id: int, fields: Mapping[str, Any], extension: Mapping[str, Any], current: Group | None = None
    ) -> Group:
        code = str(fields.get("code"))[:GROUP_CODE_MAX_LENGTH]  # Group::_prepareData cuts the code
        excluded = current.excluded_website_ids if current is not None else ()
        if extension.get("exclude_website_ids") is not None and group_id != NOT_LOGGED_IN_ID:
            wanted = set(extension["exclude_website_ids"])
            excluded = tuple(w for w in self.website_ids if w in wanted)
        group = Group(group_id, code, int(fields.get("tax_class_id") or DEFAULT_TAX_CLASS_ID), excluded)
        try:
            self.table.check_unique(group, group_id)
        except DuplicateKey as exc:
            raise E.GroupExists() from exc
        return group

    def _store(self, group: Group, *, insert: bool) -> None:
        if insert:
            self.table.insert(group.id, group)
        else:
            self.table.replace(group.id, group)
