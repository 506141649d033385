"""What V2 orders carry beside their lines: coupons, taxes and messages (reference/orders.v2.oas2.yml).

- Taxes: an order made through the V2 API is taxed by the amounts it is given (the spec: class "API Tax Override"
  for such orders), so each line or cost whose `inc_tax` exceeds its `ex_tax` gives one tax row; nothing is
  computed from tax rates.
- Coupons and messages: the V2 API takes neither when it creates an order (they come from checkout and the
  control panel), so the fake reads them from seed data only (`coupons`, `messages` in an order seed body).
  A coupon's `discount` comes off the order's totals, as `coupon_discount`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from storefake.bigcommerce.errors import FieldInvalid, RequiredFieldMissing

ZERO = Decimal("0")
HUNDRED = Decimal("100")
COUPON_TYPES = range(6)  # 0 per_item_discount ... 5 promotion
MESSAGE_TYPES = ("customer", "admin")
MESSAGE_STATUSES = ("read", "unread")
TAX_CLASS = "API Tax Override"
# Costs whose tax becomes a tax row, and the `line_item_type` the rows carry.
COST_ITEM_TYPES = {"shipping_cost": "shipping", "handling_cost": "handling", "wrapping_cost": "gift-wrapping"}


@dataclass(frozen=True, slots=True)
class OrderCoupon:
    id: int
    order_id: int
    coupon_id: int
    code: str
    amount: Decimal
    type: int
    discount: Decimal


@dataclass(frozen=True, slots=True)
class OrderTax:
    id: int
    order_id: int
    order_address_id: int
    order_product_id: int | None
    line_item_type: str
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class OrderMessage:
    id: int
    order_id: int
    customer_id: int
    staff_id: int
    type: str
    subject: str
    message: str
    status: str
    is_flagged: bool
    date_created: float


@dataclass(frozen=True, slots=True)
class TaxedLine:
    """A line or cost that may be taxed: its address, order product (None for costs) and amounts."""

    order_address_id: int
    order_product_id: int | None
    line_item_type: str
    ex_tax: Decimal
    inc_tax: Decimal


def tax_rows(lines: Sequence[TaxedLine]) -> list[tuple[int, int | None, str, Decimal, Decimal]]:
    """(address id, order product id, line item type, rate %, amount) for each line whose inc exceeds its ex."""
    rows = []
    for line in lines:
        amount = line.inc_tax - line.ex_tax
        if amount > 0:
            rate = (amount * HUNDRED / line.ex_tax) if line.ex_tax > 0 else ZERO
            rows.append((line.order_address_id, line.order_product_id, line.line_item_type, rate, amount))
    return rows


def _text(value: Any, name: str, default: str = "") -> str:
    if value is None:
        return default
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FieldInvalid(parameters={"field": name})
    return str(value)


def coupons_of(raw: Any, money_of: Any, int_of: Any) -> list[dict[str, Any]]:
    """Seeded coupons: `[{code, discount, amount?, type?, coupon_id?}]`, checked like the order's own fields."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise FieldInvalid(parameters={"field": "coupons"})
    coupons = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise FieldInvalid(parameters={"field": "coupons"})
        if item.get("code") is None:
            raise RequiredFieldMissing(parameters={"field": "coupons.code"})
        discount = money_of(item.get("discount", 0), "coupons.discount")
        coupon_type = int_of(item.get("type", 2), "coupons.type", 0, 5)
        coupons.append({
            "code": _text(item["code"], "coupons.code"),
            "discount": discount,
            "amount": money_of(item.get("amount", discount), "coupons.amount"),
            "type": coupon_type,
            "coupon_id": int_of(item.get("coupon_id", 0), "coupons.coupon_id"),
        })  # fmt: skip
    return coupons


def messages_of(raw: Any, customer_id: int, date_of: Any, int_of: Any, now: float) -> list[dict[str, Any]]:
    """Seeded messages: `[{message, subject?, type?, status?, is_flagged?, staff_id?, date_created?}]`."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise FieldInvalid(parameters={"field": "messages"})
    messages = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise FieldInvalid(parameters={"field": "messages"})
        if item.get("message") is None:
            raise RequiredFieldMissing(parameters={"field": "messages.message"})
        kind = item.get("type", "customer")
        status = item.get("status", "unread")
        flagged = item.get("is_flagged", False)
        if kind not in MESSAGE_TYPES:
            raise FieldInvalid(parameters={"field": "messages.type"})
        if status not in MESSAGE_STATUSES:
            raise FieldInvalid(parameters={"field": "messages.status"})
        if not isinstance(flagged, bool):
            raise FieldInvalid(parameters={"field": "messages.is_flagged"})
        messages.append({
            "message": _text(item["message"], "messages.message"),
            "subject": _text(item.get("subject"), "messages.subject"),
            "type": kind,
            "status": status,
            "is_flagged": flagged,
            "staff_id": int_of(item.get("staff_id", 0), "messages.staff_id"),
            "customer_id": int_of(item.get("customer_id", customer_id), "messages.customer_id"),
            "date_created": date_of(item["date_created"], "messages.date_created") if "date_created" in item else now,
        })  # fmt: skip
    return messages
