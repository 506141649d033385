"""Orders V3 payments of one store: transactions, refund quotes and refunds (reference/orders.v3.yml,
docs/store-operations/orders/refunds.mdx). Pure Python; a part of OrderState (`store.orders.payments`).

A refund names what it gives back: `PRODUCT` and `GIFT_WRAPPING` by order product and quantity,
`SHIPPING` and `HANDLING` by order address and amount, `ORDER` (a tax-exempt amount) by the order id, `TAX`
by amount; or, instead of items, a `tax_adjustment_amount`. A quote prices the items (tax included, taken
from the order's own ex/inc amounts) and lists the refund methods: the order's online gateway when it was
paid through one (seeded purchase transactions), store credit for a registered customer, and "custom" (an
offline provider) always. A refund's payments must add up to its total; more than the order has left to
refund is refused. Each refund raises the order's `refunded_amount`, moves it to Refunded (4) or Partially
Refunded (14) and records one `refund` transaction per payment. Refunded items go back to no stock (the
guide: "you cannot return items to inventory that you refunded via API").

Deviations (README fidelity notes): orders created through the V2 API have no transactions (the fake
records none; seed an order's `transactions` to give it a gateway payment); fees are not modelled, so a
`FEE` item is refused; payments succeed at once (never declined, no pending state).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from storefake.bigcommerce.errors import (
    RefundAmountMismatch,
    RefundInvalid,
    RefundItemInvalid,
    RefundProviderUnavailable,
    RefundStoreCreditGuest,
    RefundTooLarge,
    ResourceNotFound,
)
from storefake.table import Selection, Table

ZERO = Decimal("0")
CENT = Decimal("0.01")
REFUNDED, PARTIALLY_REFUNDED = 4, 14
QUANTITY_ITEMS = ("PRODUCT", "GIFT_WRAPPING")
AMOUNT_ITEMS = ("SHIPPING", "HANDLING", "ORDER", "TAX", "FEE")
# Providers the fake knows by name; any other gateway of a seeded purchase is listed under its own id.
PROVIDERS = {
    "storecredit": ("Store Credit", "store_credit", False),
    "custom": ("Custom", "custom", True),
}
OFFLINE_REASON = "This is an offline payment provider."
OFFLINE_GATEWAYS = frozenset({"custom", "bankdeposit", "cheque", "cod", "moneyorder", "instore"})


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Transaction:
    id: int
    order_id: int
    event: str
    method: str
    amount: Decimal
    currency: str
    gateway: str
    gateway_transaction_id: str
    date_created: float
    status: str = "ok"
    test: bool = False
    reference_transaction_id: int | None = None
    offline: dict[str, str] | None = None
    custom: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Refund:
    id: int
    order_id: int
    created: float
    reason: str
    total_amount: Decimal
    total_tax: Decimal
    uses_merchant_override_values: bool
    items: tuple[dict[str, Any], ...]
    payments: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class RefundMethod:
    provider_id: str
    description: str
    amount: Decimal
    offline: bool


@dataclass(frozen=True, slots=True)
class Quote:
    order_id: int
    total_refund_amount: Decimal
    total_refund_tax_amount: Decimal
    order_level_refund_amount: Decimal
    rounding: Decimal
    adjustment: Decimal
    refund_methods: list[list[RefundMethod]]


@dataclass(slots=True)
class _Priced:
    """Refund items checked and priced against what the order has left."""

    items: list[dict[str, Any]] = field(default_factory=list)
    total: Decimal = ZERO
    tax: Decimal = ZERO
    order_level: Decimal = ZERO
    quantities: dict[int, int] = field(default_factory=dict)  # order product id -> quantity refunded now
    amounts: dict[int, Decimal] = field(default_factory=dict)  # order product id -> amount refunded now


@dataclass(frozen=True, slots=True)
class RefundListing:
    order_ids: Sequence[int] | None = None
    ids: Sequence[int] | None = None
    created_min: float | None = None
    created_max: float | None = None
    transaction_id: str | None = None
    offset: int = 0
    limit: int = 50


def _money(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RefundInvalid(errors={name: "error.expected.jsnumber"})
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise RefundInvalid(errors={name: "error.expected.jsnumber"}) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise RefundInvalid(errors={name: "error.min"})
    return amount


def _whole(value: Any, name: str, low: int = 0) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value < 2**63:
        raise RefundInvalid(errors={name: "error.expected.jsnumber"})
    return value


class PaymentState:
    """Transactions and refunds of one store's orders; refunds move the orders they name."""

    def __init__(self, store: Any, orders: Any) -> None:
        self.store = store
        self.orders = orders
        self.transactions: Table[Transaction] = Table(indexes={"order_id": lambda t: (t.order_id,)})
        self.refunds: Table[Refund] = Table(indexes={"order_id": lambda r: (r.order_id,)})

    # transactions -----------------------------------------------------------------------------------
    def transactions_of(self, order_id: int, offset: int = 0, limit: int | None = None) -> Selection[Transaction]:
        self.orders.get_order(order_id)
        candidates = (self.transactions.ids_for("order_id", order_id),)
        return self.transactions.select(candidates=candidates, offset=offset, limit=limit)

    def seeded_transactions(self, order: Any, raw: Any) -> list[dict[str, Any]]:
        """An order seed's `transactions: [{event, method, amount, gateway, ...}]` (checkout payments), checked
        before the order is stored so a bad seed leaves nothing behind; `record_seeded` stores them."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise RefundInvalid(errors={"transactions": "error.expected.jsarray"})
        seeded = []
        for n, item in enumerate(raw):
            if not isinstance(item, Mapping):
                raise RefundInvalid(errors={f"transactions[{n}]": "error.expected.jsobject"})
            gateway = str(item.get("gateway") or "custom")
            seeded.append({
                "event": str(item.get("event") or "purchase"),
                "method": str(item.get("method") or ("custom" if gateway in OFFLINE_GATEWAYS else "credit_card")),
                "amount": _money(item.get("amount", order.total_inc_tax), f"transactions[{n}].amount"),
                "gateway": gateway,
                "gateway_transaction_id": str(item.get("gateway_transaction_id") or ""),
                "test": bool(item.get("test", False)),
            })  # fmt: skip
        return seeded

    def record_seeded(self, order: Any, seeded: Sequence[Mapping[str, Any]]) -> None:
        for fields in seeded:
            self._record(order, **fields)

    # quotes and refunds -----------------------------------------------------------------------------
    def quote(self, order_id: int, body: Any) -> Quote:
        """POST refund_quotes: what the items would refund, capped at what the order has left (adjustment)."""
        order = self.orders.get_order(order_id)
        priced = self._price(order, body)
        left = self._left(order)
        total = min(priced.total, left)
        rounded = cents(total)
        return Quote(
            order_id=order.id,
            total_refund_amount=rounded,
            total_refund_tax_amount=cents(priced.tax),
            order_level_refund_amount=cents(priced.order_level),
            rounding=rounded - total,
            adjustment=total - priced.total,
            refund_methods=[[method] for method in self._methods(order, rounded)],
        )

    def create_refund(self, order_id: int, body: Any) -> Refund:
        if not isinstance(body, Mapping):
            raise RefundInvalid(errors={})
        with self.store.lock:
            old = self.orders.get_order(order_id)
            priced = self._price(old, body)
            override = body.get("merchant_calculated_override")
            total, tax = cents(priced.total), cents(priced.tax)
            if override is not None:
                if not isinstance(override, Mapping):
                    raise RefundInvalid(errors={"merchant_calculated_override": "error.expected.jsobject"})
                total = cents(_money(override.get("total_amount"), "merchant_calculated_override.total_amount"))
                raw_tax = override.get("total_tax", override.get("tax_amount", 0))
                tax = cents(_money(raw_tax, "merchant_calculated_override.total_tax"))
            if total <= 0:
                raise RefundInvalid(errors={"items": "error.minLength"})
            if total > cents(self._left(old)):
                raise RefundTooLarge()
            payments = self._payments(old, body, total)
            refund = self._store_refund(old, body, priced, total, tax, override is not None, payments)
            new = self._refunded(old, total)
        self.store.emit(
            "store/order/refund/created", {"type": "order", "id": old.id, "refund": {"refund_id": refund.id}}
        )
        self.orders._announce_update(old, new)  # updated, and statusUpdated when the status moved
        return refund

    def refunds_of(self, order_id: int, transaction_id: str | None = None) -> list[Refund]:
        self.orders.get_order(order_id)
        found = [self.refunds.get(i) for i in self.refunds.ids_for("order_id", order_id)]
        return [r for r in found if r is not None and _has_transaction(r, transaction_id)]

    def list_refunds(self, listing: RefundListing) -> Selection[Refund]:
        candidates = []
        if listing.order_ids is not None:
            candidates.append(self.refunds.ids_for_any("order_id", listing.order_ids))
        if listing.ids is not None:
            candidates.append(sorted(self.refunds.known_ids(listing.ids)))

        def wanted(refund: Refund) -> bool:
            return (
                (listing.created_min is None or refund.created >= listing.created_min)
                and (listing.created_max is None or refund.created <= listing.created_max)
                and _has_transaction(refund, listing.transaction_id)
            )

        return self.refunds.select(candidates=candidates, where=wanted, offset=listing.offset, limit=listing.limit)

    def get_refund(self, refund_id: int) -> Refund:
        refund = self.refunds.get(refund_id)
        if refund is None:
            raise ResourceNotFound()
        return refund

    # internals --------------------------------------------------------------------------------------
    def _left(self, order: Any) -> Decimal:
        return max(ZERO, order.total_inc_tax - order.refunded_amount)

    def _price(self, order: Any, body: Any) -> _Priced:
        if not isinstance(body, Mapping):
            raise RefundInvalid(errors={})
        priced = _Priced()
        if body.get("items") is None:
            if body.get("tax_adjustment_amount") is None:
                raise RefundInvalid(errors={"items": "error.path.missing"})
            amount = _money(body["tax_adjustment_amount"], "tax_adjustment_amount")
            priced.total = priced.tax = amount
            return priced
        items = body["items"]
        if not isinstance(items, list) or not items:
            raise RefundInvalid(errors={"items": "error.expected.jsarray"})
        refunded = self._refunded_so_far(order.id)
        for n, item in enumerate(items):
            self._price_item(order, item, n, priced, refunded)
        return priced

    def _price_item(self, order: Any, item: Any, n: int, priced: _Priced, refunded: dict[str, Any]) -> None:
        where = f"items[{n}]"
        if not isinstance(item, Mapping):
            raise RefundInvalid(errors={where: "error.expected.jsobject"})
        kind = item.get("item_type")
        if kind not in QUANTITY_ITEMS + AMOUNT_ITEMS:
            raise RefundInvalid(errors={f"{where}.item_type": "error.expected.validenumvalue"})
        item_id = _whole(item.get("item_id"), f"{where}.item_id")
        reason = item.get("reason", "")
        if not isinstance(reason, str) or len(reason) > 1000:
            raise RefundInvalid(errors={f"{where}.reason": "error.maxLength"})
        entry: dict[str, Any] = {"item_type": kind, "item_id": item_id, "reason": reason}
        if kind in QUANTITY_ITEMS:
            quantity = _whole(item.get("quantity"), f"{where}.quantity", 1)
            row = self.orders.products.get(item_id)
            if row is None or row.order_id != order.id:
                raise RefundItemInvalid(parameters={"type": kind, "id": item_id})
            done = refunded[kind].get(item_id, 0) + priced.quantities.get(item_id, 0) * (kind == "PRODUCT")
            if quantity > row.quantity - done:
                raise RefundItemInvalid(parameters={"type": kind, "id": item_id})
            if kind == "PRODUCT":
                amount = row.price_ex_tax * quantity
                tax = (row.price_inc_tax - row.price_ex_tax) * quantity
                amount += sum((_adjustment(a, where) for a in item.get("adjustments") or []), ZERO)
                priced.quantities[item_id] = priced.quantities.get(item_id, 0) + quantity
                priced.amounts[item_id] = priced.amounts.get(item_id, ZERO) + max(ZERO, amount) + tax
            else:
                ex, inc = order.costs.get("wrapping_cost", (ZERO, ZERO))
                share = Decimal(quantity) / Decimal(max(order.items_total, 1))
                amount, tax = ex * share, (inc - ex) * share
            entry.update(quantity=quantity, requested_amount=None)
            priced.total += max(ZERO, amount) + tax
            priced.tax += tax
        else:
            amount = _money(item.get("amount"), f"{where}.amount")
            if amount <= 0:
                raise RefundInvalid(errors={f"{where}.amount": "error.min"})
            priced.total += amount
            priced.tax += self._amount_tax(order, kind, item_id, amount, refunded)
            if kind == "ORDER":
                priced.order_level += amount
            entry["requested_amount"] = float(cents(amount))
        priced.items.append(entry)

    def _amount_tax(self, order: Any, kind: str, item_id: int, amount: Decimal, refunded: dict[str, Any]) -> Decimal:
        """Check an amount item against what is left of what it names; answer the tax share of it."""
        if kind in ("SHIPPING", "HANDLING"):
            address = self.orders.addresses.get(item_id)
            if address is None or address.order_id != order.id:
                raise RefundItemInvalid(parameters={"type": kind, "id": item_id})
            ex, inc = order.costs.get("shipping_cost" if kind == "SHIPPING" else "handling_cost", (ZERO, ZERO))
            if amount > inc - refunded[kind]:
                raise RefundItemInvalid(parameters={"type": kind, "id": item_id})
            return amount * (inc - ex) / inc if inc > 0 else ZERO
        if kind in ("ORDER", "TAX"):
            if item_id != order.id:
                raise RefundItemInvalid(parameters={"type": kind, "id": item_id})
            return amount if kind == "TAX" else ZERO
        raise RefundItemInvalid(parameters={"type": kind, "id": item_id})  # fees are not modelled

    def _refunded_so_far(self, order_id: int) -> dict[str, Any]:
        done: dict[str, Any] = {"PRODUCT": {}, "GIFT_WRAPPING": {}, "SHIPPING": ZERO, "HANDLING": ZERO}
        for refund_id in self.refunds.ids_for("order_id", order_id):
            refund = self.refunds.get(refund_id)
            for item in refund.items if refund is not None else ():
                kind = item["item_type"]
                if kind in QUANTITY_ITEMS:
                    done[kind][item["item_id"]] = done[kind].get(item["item_id"], 0) + item["quantity"]
                elif kind in ("SHIPPING", "HANDLING"):
                    done[kind] += Decimal(str(item["requested_amount"]))
        return done

    def _methods(self, order: Any, amount: Decimal) -> list[RefundMethod]:
        methods = []
        for gateway in self._gateways(order):
            methods.append(RefundMethod(gateway, gateway.title(), amount, False))
        if order.customer_id:
            methods.append(RefundMethod("storecredit", "Store Credit", amount, False))
        methods.append(RefundMethod("custom", "Custom", amount, True))
        return methods

    def _gateways(self, order: Any) -> list[str]:
        """Online gateways the order was paid through (its seeded purchase/capture transactions)."""
        gateways: list[str] = []
        for transaction_id in self.transactions.ids_for("order_id", order.id):
            tx = self.transactions.get(transaction_id)
            if (
                tx is not None
                and tx.event in ("purchase", "capture", "settled")
                and tx.gateway not in OFFLINE_GATEWAYS | {"storecredit"}
                and tx.gateway not in gateways
            ):
                gateways.append(tx.gateway)
        return gateways

    def _payments(self, order: Any, body: Mapping[str, Any], total: Decimal) -> list[dict[str, Any]]:
        raw = body.get("payments")
        if raw is None and body.get("items") is None:
            raw = [{"provider_id": "custom", "amount": float(total), "offline": True}]
        if not isinstance(raw, list) or not raw:
            raise RefundInvalid(errors={"payments": "error.path.missing"})
        allowed = {m.provider_id: m for m in self._methods(order, total)}
        payments, paid = [], ZERO
        for n, item in enumerate(raw):
            if not isinstance(item, Mapping) or not isinstance(item.get("provider_id"), str):
                raise RefundInvalid(errors={f"payments[{n}].provider_id": "error.path.missing"})
            provider = item["provider_id"]
            if provider == "storecredit" and not order.customer_id:
                raise RefundStoreCreditGuest()
            if provider not in allowed:
                raise RefundProviderUnavailable(parameters={"provider": provider})
            amount = cents(_money(item.get("amount"), f"payments[{n}].amount"))
            offline = item.get("offline", allowed[provider].offline)
            if not isinstance(offline, bool):
                raise RefundInvalid(errors={f"payments[{n}].offline": "error.expected.jsboolean"})
            payments.append(
                {"provider_id": provider, "amount": amount, "offline": offline or allowed[provider].offline}
            )
            paid += amount
        if paid != total:
            raise RefundAmountMismatch(parameters={"paid": paid, "total": total})
        return payments

    def _store_refund(
        self,
        order: Any,
        body: Mapping[str, Any],
        priced: _Priced,
        total: Decimal,
        tax: Decimal,
        overridden: bool,
        payments: list[dict[str, Any]],
    ) -> Refund:
        now = self.store.now()
        recorded = []
        for payment in payments:
            provider = payment["provider_id"]
            method = PROVIDERS.get(provider, (provider, "credit_card", False))[1]
            tx = self._record(order, event="refund", method=method, amount=payment["amount"], gateway=provider,
                              gateway_transaction_id="")  # fmt: skip
            recorded.append({**payment, "id": tx.id, "transaction_id": str(tx.id)})
        reason = body.get("reason", "")
        refund = Refund(
            id=self.refunds.allocate_id(),
            order_id=order.id,
            created=now,
            reason=reason if isinstance(reason, str) else "",
            total_amount=total,
            total_tax=tax,
            uses_merchant_override_values=overridden,
            items=tuple(priced.items),
            payments=tuple(recorded),
        )
        self.refunds.insert(refund.id, refund)
        for product_id, quantity in priced.quantities.items():
            row = self.orders.products.get(product_id)
            self.orders.products.replace(
                product_id,
                replace(
                    row,
                    quantity_refunded=row.quantity_refunded + quantity,
                    refund_amount=row.refund_amount + priced.amounts.get(product_id, ZERO),
                ),
            )
        return refund

    def _refunded(self, order: Any, total: Decimal) -> Any:
        refunded = order.refunded_amount + total
        full = refunded >= order.total_inc_tax
        new = replace(
            order,
            refunded_amount=refunded,
            status_id=REFUNDED if full else PARTIALLY_REFUNDED,
            payment_status="refunded" if full else "partially refunded",
            date_modified=self.store.now(),
        )
        self.orders.orders.replace(order.id, new)
        return new

    def _record(self, order: Any, **fields: Any) -> Transaction:
        gateway = fields["gateway"]
        offline = (
            {"display_name": PROVIDERS.get(gateway, (gateway.title(),))[0]} if gateway in OFFLINE_GATEWAYS else None
        )
        tx = Transaction(
            id=self.transactions.allocate_id(),
            order_id=order.id,
            currency=order.texts.get("currency_code", "USD"),
            date_created=self.store.now(),
            offline=offline,
            custom={"payment_method": order.texts.get("payment_method", "")} if gateway == "custom" else None,
            **fields,
        )
        self.transactions.insert(tx.id, tx)
        return tx


def _adjustment(raw: Any, where: str) -> Decimal:
    """A product refund deduction: `{amount: <negative>, description}` (RefundItemAdjustment)."""
    amount = raw.get("amount") if isinstance(raw, Mapping) else None
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not amount < 0:
        raise RefundInvalid(errors={f"{where}.adjustments": "error.max"})
    return Decimal(str(amount))


def _has_transaction(refund: Refund, transaction_id: str | None) -> bool:
    return transaction_id is None or any(p.get("transaction_id") == transaction_id for p in refund.payments)
