"""BigCommerce V2 orders, order products, shipping addresses and shipments (pure Python, no HTTP).

Money is kept as `Decimal` and dates as Unix seconds; the V2 wire format (4-decimal strings, RFC-2822)
is the route layer's job. Every multi-step write (an order reserving catalog inventory, a shipment
moving quantities and the order status) runs under `store.lock`.

Coupons, taxes and messages: order_extras.py; transactions and refunds (Orders V3): order_payments.py.

Deviations from the vendor: no taxes are computed (price_ex_tax = price_inc_tax unless both are sent; the
difference is the order's tax rows); fees and consignments (pickup) are not modelled; PUT does not edit
products; an order created without `shipping_addresses` gets one copied from its billing address (UNVERIFIED).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

from storefake.bigcommerce.errors import (
    FieldInvalid,
    FieldReadOnly,
    OrderProductOutOfStock,
    OrderProductUnknown,
    RequiredFieldMissing,
    ResourceNotFound,
    ShipmentQuantityTooLarge,
)
from storefake.bigcommerce.query import as_timestamp
from storefake.bigcommerce.state.order_extras import (
    COST_ITEM_TYPES,
    OrderCoupon,
    OrderMessage,
    OrderTax,
    TaxedLine,
    coupons_of,
    messages_of,
    tax_rows,
)
from storefake.bigcommerce.state.order_payments import PaymentState
from storefake.filtering import Condition, matches, plan
from storefake.seeding import seeding
from storefake.table import Selection, Table

ZERO = Decimal("0")
FIRST_ORDER_ID = 100  # stores number their first order 100 (S1 examples use ids in the hundreds)


@dataclass(frozen=True, slots=True)
class OrderStatus:
    id: int
    name: str
    system_description: str
    order: int  # sort position in the control panel


# S1 orders.v2.oas2.yml `/order_statuses` example (id, name, description, order).
STATUSES: tuple[OrderStatus, ...] = (
    OrderStatus(0, "Incomplete", "An incomplete order happens when a shopper reached the payment page, but did not "
                "complete the transaction.", 0),
    OrderStatus(1, "Pending", "Customer started the checkout process, but did not complete it.", 1),
    OrderStatus(2, "Shipped", "Order has been shipped, but receipt has not been confirmed; seller has used the Ship "
                "Items action.", 8),
    OrderStatus(3, "Partially Shipped", "Only some items in the order have been shipped, due to some products being "
                "pre-order only or other reasons.", 6),
    OrderStatus(4, "Refunded", "Seller has used the Refund action.", 11),
    OrderStatus(5, "Cancelled", "Seller has cancelled an order, due to a stock inconsistency or other reasons.", 9),
    OrderStatus(6, "Declined", "Seller has marked the order as declined for lack of manual payment, or other "
                "reasons.", 10),
    OrderStatus(7, "Awaiting Payment", "Customer has completed checkout process, but payment has yet to be "
                "confirmed.", 2),
    OrderStatus(8, "Awaiting Pickup", "Order has been pulled, and is awaiting customer pickup from a "
                "seller-specified location.", 5),
    OrderStatus(9, "Awaiting Shipment", "Order has been pulled and packaged, and is awaiting collection from a "
                "shipping provider.", 4),
    OrderStatus(10, "Completed", "Client has paid for their digital product and their file(s) are available for "
                "download.", 7),
    OrderStatus(11, "Awaiting Fulfillment", "Customer has completed the checkout process and payment has been "
                "confirmed.", 3),
    OrderStatus(12, "Manual Verification Required", "Order is on hold while some aspect needs to be manually "
                "confirmed.", 13),
    OrderStatus(13, "Disputed", "Customer has initiated a dispute resolution process for the PayPal transaction "
                "that paid for the order.", 12),
    OrderStatus(14, "Partially Refunded", "Seller has partially refunded the order.", 14),
)  # fmt: skip
STATUS_BY_ID = {status.id: status for status in STATUSES}
SHIPPED, PARTIALLY_SHIPPED = 2, 3

ADDRESS_FIELDS = ("first_name", "last_name", "company", "street_1", "street_2", "city", "state", "zip", "country",
                  "country_iso2", "phone", "email")  # fmt: skip
COSTS = ("shipping_cost", "handling_cost", "wrapping_cost")
TOTAL_OVERRIDES = ("subtotal_ex_tax", "subtotal_inc_tax", "total_ex_tax", "total_inc_tax")
TEXT_FIELDS = ("payment_method", "customer_message", "staff_notes", "external_source", "external_id",
               "external_order_id", "currency_code", "ip_address", "payment_provider_id")  # fmt: skip
READ_ONLY = ("id", "items_total", "items_shipped", "item_total", "date_modified", "date_shipped", "subtotal_tax",
             "total_tax", "status")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Order:
    id: int
    customer_id: int
    status_id: int
    date_created: float
    date_modified: float
    billing_address: dict[str, Any]
    costs: dict[str, tuple[Decimal, Decimal]]  # shipping/handling/wrapping -> (ex tax, inc tax)
    discount_amount: Decimal
    items_total: int
    subtotal_ex_tax: Decimal = ZERO
    subtotal_inc_tax: Decimal = ZERO
    total_ex_tax: Decimal = ZERO
    total_inc_tax: Decimal = ZERO
    items_shipped: int = 0
    date_shipped: float | None = None
    is_deleted: bool = False
    texts: dict[str, str] = field(default_factory=dict)
    channel_id: int = 1
    is_email_opt_in: bool = False
    shipping_address_count: int = 1
    coupon_discount: Decimal = ZERO
    refunded_amount: Decimal = ZERO
    payment_status: str = ""

    @property
    def email(self) -> str:
        return str(self.billing_address.get("email") or "").lower()

    @property
    def status(self) -> str:
        return STATUS_BY_ID[self.status_id].name


@dataclass(frozen=True, slots=True)
class OrderProduct:
    id: int
    order_id: int
    product_id: int
    variant_id: int
    order_address_id: int
    name: str
    sku: str
    price_ex_tax: Decimal
    price_inc_tax: Decimal
    quantity: int
    quantity_shipped: int = 0
    weight: Decimal = ZERO
    type: str = "physical"
    upc: str = ""
    product_options: tuple[dict[str, Any], ...] = ()
    quantity_refunded: int = 0
    refund_amount: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class OrderAddress:
    id: int
    order_id: int
    fields: dict[str, Any]
    shipping_method: str = ""


@dataclass(frozen=True, slots=True)
class Shipment:
    id: int
    order_id: int
    customer_id: int
    order_address_id: int
    date_created: float
    items: tuple[dict[str, int], ...]
    texts: dict[str, str] = field(default_factory=dict)


SHIPMENT_TEXTS = ("tracking_number", "shipping_method", "shipping_provider", "tracking_carrier", "tracking_link",
                  "comments")  # fmt: skip


@dataclass(frozen=True, slots=True)
class OrderListing:
    conditions: Sequence[Condition] = ()
    sort: str | None = None
    descending: bool = False
    offset: int = 0
    limit: int = 50
    deleted: bool = False  # list archived orders instead of live ones


# parsing helpers: every bad value is the vendor's 400 naming the field
def money_of(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise FieldInvalid(parameters={"field": name})
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise FieldInvalid(parameters={"field": name}) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise FieldInvalid(parameters={"field": name})
    return amount


def int_of(value: Any, name: str, low: int = 0, high: int = 2**31 - 1) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():  # 396.0 is the integer 396 in JSON (findings: openapi)
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FieldInvalid(parameters={"field": name})
    return value


def date_of(value: Any, name: str) -> float:
    """V2 accepts RFC-2822 or ISO-8601 dates (and Unix seconds) in bodies and filters."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FieldInvalid(parameters={"field": name})
    text = str(value).strip()
    try:
        parsed = parsedate_to_datetime(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.timestamp()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return as_timestamp(text)
    except (ValueError, OverflowError):
        raise FieldInvalid(parameters={"field": name}) from None


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if value is None:
        raise RequiredFieldMissing(parameters={"field": name})
    if not isinstance(value, Mapping):
        raise FieldInvalid(parameters={"field": name})
    return value


def _require_zip(source: Mapping[str, Any]) -> None:
    """The spec's one required billing field: `zip`, at least 2 characters (orders.v2.oas2.yml)."""
    if source.get("zip") in (None, ""):
        raise RequiredFieldMissing(parameters={"field": "billing_address.zip"})
    if len(str(source["zip"]).strip()) < 2:
        raise FieldInvalid(parameters={"field": "billing_address.zip"})


def _address_of(value: Any, name: str) -> dict[str, Any]:
    source = _mapping(value, name)
    address: dict[str, Any] = {}
    for key in ADDRESS_FIELDS:
        item = source.get(key, "")
        if item is None:
            item = ""
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise FieldInvalid(parameters={"field": f"{name}.{key}"})
        address[key] = str(item)
    if "form_fields" in source:
        address["form_fields"] = source["form_fields"] if isinstance(source["form_fields"], list) else []
    return address


@dataclass(frozen=True, slots=True)
class _Line:
    """One validated order line before it is stored."""

    product_id: int
    variant_id: int
    name: str
    sku: str
    price_ex_tax: Decimal
    price_inc_tax: Decimal
    quantity: int
    weight: Decimal
    tracking: str  # "none" | "product" | "variant": where inventory is taken from
    upc: str = ""
    product_options: tuple[dict[str, Any], ...] = ()


class OrderState:
    """Orders of one store and their sub-resources."""

    def __init__(self, store: Any) -> None:
        self.store = store
        # Every index key starts with is_deleted, so live and archived orders never share a bucket and a
        # filtered page of live orders is read from one bucket: O(log n + page), not O(matches).
        self.orders: Table[Order] = Table(
            indexes={
                "state": lambda o: (o.is_deleted,),
                "status_id": lambda o: ((o.is_deleted, o.status_id),),
                "customer_id": lambda o: ((o.is_deleted, o.customer_id),),
                "email": lambda o: ((o.is_deleted, o.email),),
            }
        )
        self.products: Table[OrderProduct] = Table(indexes={"order_id": lambda p: (p.order_id,)})
        self.addresses: Table[OrderAddress] = Table(indexes={"order_id": lambda a: (a.order_id,)})
        self.shipments: Table[Shipment] = Table(indexes={"order_id": lambda s: (s.order_id,)})
        self.coupons: Table[OrderCoupon] = Table(indexes={"order_id": lambda c: (c.order_id,)})
        self.taxes: Table[OrderTax] = Table(indexes={"order_id": lambda t: (t.order_id,)})
        self.messages: Table[OrderMessage] = Table(indexes={"order_id": lambda m: (m.order_id,)})
        self.payments = PaymentState(store, self)

    # orders
    def create_order(self, body: Any, *, seeding: bool = False) -> Order:
        """A new order; catalog lines take their stock atomically with the order's creation.

        Seeding also reads `coupons`, `messages` and `transactions`, which the V2 API can't write.
        """
        if not isinstance(body, Mapping):
            raise FieldInvalid(parameters={"field": "body"})
        for name in READ_ONLY:
            if name in body:
                raise FieldReadOnly(parameters={"field": name})
        billing = _address_of(body.get("billing_address"), "billing_address")
        _require_zip(body["billing_address"])
        raw_products = body.get("products")
        if raw_products is None:
            raise RequiredFieldMissing(parameters={"field": "products"})
        if not isinstance(raw_products, list) or not raw_products:
            raise FieldInvalid(parameters={"field": "products"})
        shipping = self._shipping_addresses_of(body, billing)
        header = _order_header(body)
        coupons = coupons_of(body.get("coupons"), money_of, int_of) if seeding else []
        if coupons:
            header["coupon_discount"] = sum((c["discount"] for c in coupons), ZERO)
        with self.store.lock:
            lines = [self._line_of(item, n) for n, item in enumerate(raw_products)]
            self._check_stock(lines)
            now = self.store.now()
            order = Order(
                id=max(self.orders.last_id, FIRST_ORDER_ID - 1) + 1,
                date_created=header.pop("date_created", now),
                date_modified=now,
                billing_address=billing,
                items_total=sum(line.quantity for line in lines),
                shipping_address_count=len(shipping),
                **header,
            )
            order = _with_totals(order, lines, body)
            # Seeded extras are checked before anything is stored: a bad seed leaves no half-made order.
            messages = messages_of(body.get("messages"), order.customer_id, date_of, int_of, now) if seeding else []
            transactions = self.payments.seeded_transactions(order, body.get("transactions")) if seeding else []
            self.orders.insert(order.id, order)
            address_ids = [self._insert_address(order.id, fields, method) for fields, method in shipping]
            rows = [self._insert_product(order.id, address_ids[0], line) for line in lines]
            self._insert_taxes(order, rows)
            for coupon in coupons:
                coupon_id = self.coupons.allocate_id()
                self.coupons.insert(coupon_id, OrderCoupon(coupon_id, order.id, **coupon))
            for message in messages:
                message_id = self.messages.allocate_id()
                self.messages.insert(message_id, OrderMessage(message_id, order.id, **message))
            self.payments.record_seeded(order, transactions)
            self._take_stock(lines)
        self.store.emit("store/order/created", {"type": "order", "id": order.id})
        return order

    def get_order(self, order_id: int) -> Order:
        order = self.orders.get(order_id)
        if order is None:
            raise ResourceNotFound()
        return order

    def update_order(self, order_id: int, body: Any) -> Order:
        if not isinstance(body, Mapping):
            raise FieldInvalid(parameters={"field": "body"})
        for name in READ_ONLY:
            if name in body:
                raise FieldReadOnly(parameters={"field": name})
        with self.store.lock:
            old = self.get_order(order_id)
            changes: dict[str, Any] = {}
            if "status_id" in body:
                changes["status_id"] = int_of(body["status_id"], "status_id", 0, 14)
            if "customer_id" in body:
                changes["customer_id"] = int_of(body["customer_id"], "customer_id")
            if "billing_address" in body:
                merged = {**old.billing_address, **_mapping(body["billing_address"], "billing_address")}
                changes["billing_address"] = _address_of(merged, "billing_address")
            if "channel_id" in body:
                changes["channel_id"] = int_of(body["channel_id"], "channel_id")
            if "is_email_opt_in" in body:
                changes["is_email_opt_in"] = bool(body["is_email_opt_in"])
            texts = _texts_of(body, TEXT_FIELDS)
            if texts:
                changes["texts"] = {**old.texts, **texts}
            if any(f"{c}_{s}" in body for c in COSTS for s in ("ex_tax", "inc_tax")) or "discount_amount" in body:
                changes["costs"] = {**old.costs, **_costs_of(body, only_given=True)}
                changes["discount_amount"] = money_of(body.get("discount_amount", old.discount_amount), "discount")
            new = replace(old, **changes, date_modified=self.store.now())
            if "costs" in changes or any(k in body for k in TOTAL_OVERRIDES):
                new = _with_totals(new, self._lines_of(order_id), body)
            self.orders.replace(order_id, new)
            if "costs" in changes:
                self._insert_taxes(new, self._lines_of(order_id))
        self._announce_update(old, new)
        return new

    def archive_order(self, order_id: int) -> Order:
        with self.store.lock:
            old = self.get_order(order_id)
            new = replace(old, is_deleted=True, date_modified=self.store.now())
            self.orders.replace(order_id, new)
        self.store.emit("store/order/archived", {"type": "order", "id": order_id})
        return new

    def archive_orders(self) -> int:
        with self.store.lock:
            ids = list(self.orders.ids_for("state", False))
        for order_id in ids:
            self.archive_order(order_id)
        return len(ids)

    def search_orders(self, listing: OrderListing) -> Selection[Order]:
        """Live orders (or, with `deleted`, archived ones) matching the listing, one page of them."""
        deleted = listing.deleted
        keyed = {field: (lambda value, d=deleted: (d, value)) for field in ("status_id", "customer_id", "email")}
        indexes = {field: field for field in keyed}
        planned = plan(self.orders, listing.conditions, value_of=_order_value, indexes=indexes, normalize=keyed)
        kwargs = planned.select_kwargs()
        if not kwargs["candidates"]:
            kwargs["candidates"] = (self.orders.ids_for("state", deleted),)
        sort = None if listing.sort in (None, "id") else listing.sort
        order_by = None if sort is None else (lambda row: (getattr(row, sort), row.id))
        return self.orders.select(
            **kwargs, order_by=order_by, descending=listing.descending, offset=listing.offset, limit=listing.limit
        )

    def count_by_status(self) -> tuple[list[tuple[OrderStatus, int]], int]:
        """Live orders per status, and in all."""
        counts = [(status, len(self.orders.ids_for("status_id", (False, status.id)))) for status in STATUSES]
        return counts, len(self.orders.ids_for("state", False))

    # sub-resources
    def products_of(self, order_id: int, offset: int = 0, limit: int | None = None) -> Selection[OrderProduct]:
        self.get_order(order_id)
        return self.products.select(candidates=(self.products.ids_for("order_id", order_id),), offset=offset,
                                    limit=limit)  # fmt: skip

    def get_order_product(self, order_id: int, product_id: int) -> OrderProduct:
        self.get_order(order_id)
        row = self.products.get(product_id)
        if row is None or row.order_id != order_id:
            raise ResourceNotFound()
        return row

    def shipping_addresses_of(self, order_id: int) -> list[OrderAddress]:
        self.get_order(order_id)
        return [a for i in self.addresses.ids_for("order_id", order_id) if (a := self.addresses.get(i))]

    def shipments_of(self, order_id: int, offset: int = 0, limit: int | None = None) -> Selection[Shipment]:
        self.get_order(order_id)
        return self.shipments.select(candidates=(self.shipments.ids_for("order_id", order_id),), offset=offset,
                                     limit=limit)  # fmt: skip

    def get_shipment(self, order_id: int, shipment_id: int) -> Shipment:
        self.get_order(order_id)
        row = self.shipments.get(shipment_id)
        if row is None or row.order_id != order_id:
            raise ResourceNotFound()
        return row

    def create_shipment(self, order_id: int, body: Any) -> Shipment:
        """Ship items: quantities are checked against what is left; the order moves to (Partially) Shipped."""
        if not isinstance(body, Mapping):
            raise FieldInvalid(parameters={"field": "body"})
        if body.get("order_address_id") is None:
            raise RequiredFieldMissing(parameters={"field": "order_address_id"})
        if body.get("items") is None:
            raise RequiredFieldMissing(parameters={"field": "items"})
        address_id = int_of(body["order_address_id"], "order_address_id")
        items = body["items"]
        if not isinstance(items, list) or not items:
            raise FieldInvalid(parameters={"field": "items"})
        with self.store.lock:
            old = self.get_order(order_id)
            address = self.addresses.get(address_id)
            if address is None or address.order_id != order_id:
                raise FieldInvalid(parameters={"field": "order_address_id"})
            shipped = self._ship_quantities(order_id, items)
            shipment = Shipment(
                id=self.shipments.allocate_id(),
                order_id=order_id,
                customer_id=old.customer_id,
                order_address_id=address_id,
                date_created=self.store.now(),
                items=tuple({"order_product_id": p.id, "product_id": p.product_id, "quantity": q} for p, q in shipped),
                texts=_texts_of(body, SHIPMENT_TEXTS),
            )
            self.shipments.insert(shipment.id, shipment)
            for product, quantity in shipped:
                self.products.replace(
                    product.id, replace(product, quantity_shipped=product.quantity_shipped + quantity)
                )
            new = self._after_shipping(old, sum(q for _p, q in shipped))
            self.orders.replace(order_id, new)
        self.store.emit("store/shipment/created", {"type": "shipment", "id": shipment.id, "orderId": order_id})
        self._announce_update(old, new)
        return shipment

    def update_shipment(self, order_id: int, shipment_id: int, body: Any) -> Shipment:
        if not isinstance(body, Mapping):
            raise FieldInvalid(parameters={"field": "body"})
        with self.store.lock:
            old = self.get_shipment(order_id, shipment_id)
            new = replace(old, texts={**old.texts, **_texts_of(body, SHIPMENT_TEXTS)})
            self.shipments.replace(shipment_id, new)
        self.store.emit("store/shipment/updated", {"type": "shipment", "id": shipment_id, "orderId": order_id})
        return new

    def delete_shipment(self, order_id: int, shipment_id: int) -> None:
        """Un-ship the shipment's items; the order status is left as it is (UNVERIFIED)."""
        with self.store.lock:
            shipment = self.get_shipment(order_id, shipment_id)
            for item in shipment.items:
                product = self.products.get(item["order_product_id"])
                if product is not None:
                    left = max(0, product.quantity_shipped - item["quantity"])
                    self.products.replace(product.id, replace(product, quantity_shipped=left))
            order = self.get_order(order_id)
            unshipped = sum(item["quantity"] for item in shipment.items)
            self.orders.replace(order_id, replace(order, items_shipped=max(0, order.items_shipped - unshipped)))
            self.shipments.delete(shipment_id)
        self.store.emit("store/shipment/deleted", {"type": "shipment", "id": shipment_id, "orderId": order_id})

    def coupons_of(self, order_id: int, offset: int = 0, limit: int | None = None) -> Selection[OrderCoupon]:
        self.get_order(order_id)
        return self.coupons.select(candidates=(self.coupons.ids_for("order_id", order_id),), offset=offset,
                                   limit=limit)  # fmt: skip

    def taxes_of(self, order_id: int, offset: int = 0, limit: int | None = None) -> Selection[OrderTax]:
        self.get_order(order_id)
        return self.taxes.select(candidates=(self.taxes.ids_for("order_id", order_id),), offset=offset,
                                 limit=limit)  # fmt: skip

    def messages_of(
        self, order_id: int, conditions: Sequence[Condition] = (), offset: int = 0, limit: int | None = None
    ) -> Selection[OrderMessage]:
        """An order's messages; conditions on id, customer_id, date_created, is_flagged and status."""
        self.get_order(order_id)

        def wanted(message: OrderMessage) -> bool:
            return all(matches(getattr(message, c.field), c) for c in conditions)

        candidates = (self.messages.ids_for("order_id", order_id),)
        return self.messages.select(candidates=candidates, where=wanted if conditions else None, offset=offset,
                                    limit=limit)  # fmt: skip

    # seeding
    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        orders = list(section.get("orders") or [])
        for index, body in enumerate(orders):
            with seeding("orders", index):
                self.create_order(body, seeding=True)
        return {"orders": len(orders)} if orders else {}

    # internals
    def _announce_update(self, old: Order, new: Order) -> None:
        self.store.emit("store/order/updated", {"type": "order", "id": new.id})
        if old.status_id != new.status_id:
            status = {"previous_status_id": old.status_id, "new_status_id": new.status_id}
            self.store.emit("store/order/statusUpdated", {"type": "order", "id": new.id, "status": status})

    def _after_shipping(self, order: Order, quantity: int) -> Order:
        items_shipped = order.items_shipped + quantity
        done = items_shipped >= order.items_total
        now = self.store.now()
        return replace(
            order,
            items_shipped=items_shipped,
            status_id=SHIPPED if done else PARTIALLY_SHIPPED,
            date_shipped=now if done else order.date_shipped,
            date_modified=now,
        )

    def _ship_quantities(self, order_id: int, items: list[Any]) -> list[tuple[OrderProduct, int]]:
        wanted: dict[int, int] = {}
        for item in items:
            if not isinstance(item, Mapping) or item.get("order_product_id") is None:
                raise RequiredFieldMissing(parameters={"field": "items.order_product_id"})
            product_id = int_of(item["order_product_id"], "items.order_product_id")
            quantity = int_of(item.get("quantity", 1), "items.quantity", 1)
            wanted[product_id] = wanted.get(product_id, 0) + quantity
        shipped = []
        for product_id, quantity in wanted.items():
            product = self.products.get(product_id)
            if product is None or product.order_id != order_id:
                raise FieldInvalid(parameters={"field": "items.order_product_id"})
            left = product.quantity - product.quantity_shipped
            if quantity > left:
                raise ShipmentQuantityTooLarge(parameters={"id": product_id, "left": left})
            shipped.append((product, quantity))
        return shipped

    def _shipping_addresses_of(self, source: Mapping[str, Any], billing: dict[str, Any]) -> list[tuple[dict, str]]:
        raw = source.get("shipping_addresses")
        if raw is None or raw == []:
            return [(dict(billing), "")]
        if not isinstance(raw, list):
            raise FieldInvalid(parameters={"field": "shipping_addresses"})
        addresses = []
        for item in raw:
            fields = _address_of(item, "shipping_addresses")
            method = item.get("shipping_method", "") if isinstance(item, Mapping) else ""
            addresses.append((fields, str(method or "")))
        return addresses

    def _line_of(self, item: Any, index: int) -> _Line:
        if not isinstance(item, Mapping):
            raise FieldInvalid(parameters={"field": "products"})
        quantity = int_of(item.get("quantity"), "quantity", 1) if item.get("quantity") is not None else None
        if quantity is None:
            raise RequiredFieldMissing(parameters={"field": "quantity"})
        product_id = int_of(item.get("product_id", 0) or 0, "product_id")
        raw_options = item.get("product_options") or []
        if not isinstance(raw_options, list):
            raise FieldInvalid(parameters={"field": "product_options"})
        options = tuple(o for o in raw_options if isinstance(o, Mapping))
        if product_id:
            return self._catalog_line(product_id, int_of(item.get("variant_id", 0) or 0, "variant_id"), quantity,
                                      options)  # fmt: skip
        name = item.get("name")
        if name is None:
            raise RequiredFieldMissing(parameters={"field": "name"})
        if not isinstance(name, str) or not name.strip():
            raise FieldInvalid(parameters={"field": "name"})
        inc, ex = item.get("price_inc_tax"), item.get("price_ex_tax")
        if inc is None and ex is None:
            raise RequiredFieldMissing(parameters={"field": "price_inc_tax"})
        price_inc = money_of(inc if inc is not None else ex, "price_inc_tax")
        price_ex = money_of(ex if ex is not None else inc, "price_ex_tax")
        sku = item.get("sku", "")
        return _Line(0, 0, name, str(sku or ""), price_ex, price_inc, quantity, ZERO, "none",
                     product_options=options)  # fmt: skip

    def _catalog_line(self, product_id: int, variant_id: int, quantity: int, options: tuple) -> _Line:
        """A line for a catalog product: name, SKU, price and weight come from the product or its variant."""
        catalog = self.store.catalog
        product = catalog.get_product(product_id)
        if product is None:
            raise OrderProductUnknown(parameters={"id": product_id})
        variant = self._variant_of(product, variant_id)
        if variant is not None:
            price, weight = catalog.variant_price(variant), catalog.variant_weight(variant)
            sku = variant.value("sku") or product.value("sku")
        else:
            price, weight, sku = product.value("calculated_price"), product.value("weight"), product.value("sku")
        return _Line(
            product_id=product_id,
            variant_id=0 if variant is None else variant.id,
            name=str(product.value("name") or ""),
            sku=str(sku or ""),
            price_ex_tax=Decimal(str(price or 0)),
            price_inc_tax=Decimal(str(price or 0)),
            quantity=quantity,
            weight=Decimal(str(weight or 0)),
            tracking=str(product.value("inventory_tracking") or "none"),
            upc=str(product.value("upc") or ""),
            product_options=options,
        )

    def _variant_of(self, product: Any, variant_id: int) -> Any:
        """The ordered variant: the one named, else the product's base variant (None if it has none)."""
        wanted = variant_id or product.base_variant_id
        if not wanted:
            return None
        variant = self.store.catalog.get_variant(wanted)
        if variant is None or variant.product_id != product.id:
            raise FieldInvalid(parameters={"field": "variant_id"})
        return variant

    def _stock_key(self, line: _Line) -> tuple[str, int]:
        """Whose `inventory_level` a tracked line draws on (the catalog's rule in adjust_inventory)."""
        if line.tracking == "variant" and line.variant_id:
            return "variant", line.variant_id
        return "product", line.product_id

    def _check_stock(self, lines: Iterable[_Line]) -> None:
        """Refuse the order if any tracked product or variant has less stock than all its lines want."""
        catalog = self.store.catalog
        wanted: dict[tuple[str, int], int] = {}
        names: dict[tuple[str, int], str] = {}
        for line in lines:
            if line.product_id and line.tracking in ("product", "variant"):
                key = self._stock_key(line)
                wanted[key] = wanted.get(key, 0) + line.quantity
                names[key] = line.name
        for (kind, row_id), quantity in wanted.items():
            row = catalog.get_variant(row_id) if kind == "variant" else catalog.get_product(row_id)
            left = int(row.value("inventory_level") or 0) if row is not None else 0
            if quantity > left:
                raise OrderProductOutOfStock(parameters={"name": names[(kind, row_id)], "left": left})

    def _take_stock(self, lines: Iterable[_Line]) -> None:
        for line in lines:
            if line.product_id and line.tracking in ("product", "variant"):
                variant_id = line.variant_id if line.tracking == "variant" and line.variant_id else None
                self.store.catalog.adjust_inventory(line.product_id, variant_id, -line.quantity, floor=0)

    def _insert_address(self, order_id: int, fields: dict[str, Any], method: str) -> int:
        address_id = self.addresses.allocate_id()
        self.addresses.insert(address_id, OrderAddress(address_id, order_id, fields, method))
        return address_id

    def _insert_taxes(self, order: Order, rows: Sequence[OrderProduct]) -> None:
        """The order's tax rows, (re)made from its lines and costs (the amounts it was given, API Tax Override)."""
        for tax_id in list(self.taxes.ids_for("order_id", order.id)):
            self.taxes.delete(tax_id)
        address_id = rows[0].order_address_id if rows else 0
        lines = [TaxedLine(r.order_address_id, r.id, "item", r.price_ex_tax * r.quantity, r.price_inc_tax * r.quantity)
                 for r in rows]  # fmt: skip
        for cost, item_type in COST_ITEM_TYPES.items():
            ex, inc = order.costs.get(cost, (ZERO, ZERO))
            lines.append(TaxedLine(address_id, None, item_type, ex, inc))
        for address, product_id, item_type, rate, amount in tax_rows(lines):
            tax_id = self.taxes.allocate_id()
            self.taxes.insert(tax_id, OrderTax(tax_id, order.id, address, product_id, item_type, rate, amount))

    def _insert_product(self, order_id: int, address_id: int, line: _Line) -> OrderProduct:
        row_id = self.products.allocate_id()
        row = OrderProduct(
            id=row_id,
            order_id=order_id,
            product_id=line.product_id,
            variant_id=line.variant_id,
            order_address_id=address_id,
            name=line.name,
            sku=line.sku,
            price_ex_tax=line.price_ex_tax,
            price_inc_tax=line.price_inc_tax,
            quantity=line.quantity,
            weight=line.weight,
            upc=line.upc,
            product_options=line.product_options,
        )
        self.products.insert(row_id, row)
        return row

    def _lines_of(self, order_id: int) -> list[OrderProduct]:
        return self.products.select(candidates=(self.products.ids_for("order_id", order_id),)).items


def _order_header(source: Mapping[str, Any]) -> dict[str, Any]:
    """The order fields a create body sets directly (validated; totals are computed apart)."""
    header: dict[str, Any] = {
        "status_id": int_of(source.get("status_id", 1), "status_id", 0, 14),
        "customer_id": int_of(source.get("customer_id", 0), "customer_id"),
        "costs": _costs_of(source),
        "discount_amount": money_of(source.get("discount_amount", 0), "discount_amount"),
        "texts": _texts_of(source, TEXT_FIELDS),
        "channel_id": int_of(source.get("channel_id", 1), "channel_id"),
        "is_email_opt_in": bool(source.get("is_email_opt_in", False)),
    }
    if "date_created" in source:
        header["date_created"] = date_of(source["date_created"], "date_created")
    return header


def _order_value(order: Order, name: str) -> Any:
    if name in TEXT_FIELDS:
        return order.texts.get(name, "")
    return getattr(order, name, None)


def _costs_of(source: Mapping[str, Any], only_given: bool = False) -> dict[str, tuple[Decimal, Decimal]]:
    """Shipping/handling/wrapping costs; one of ex/inc tax given stands for both (no tax is computed)."""
    costs: dict[str, tuple[Decimal, Decimal]] = {}
    for cost in COSTS:
        ex, inc = source.get(f"{cost}_ex_tax"), source.get(f"{cost}_inc_tax")
        if only_given and ex is None and inc is None:
            continue
        ex_value = None if ex is None else money_of(ex, f"{cost}_ex_tax")
        inc_value = None if inc is None else money_of(inc, f"{cost}_inc_tax")
        ex_value = ex_value if ex_value is not None else (inc_value if inc_value is not None else ZERO)
        costs[cost] = (ex_value, inc_value if inc_value is not None else ex_value)
    return costs


def _texts_of(source: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for name in names:
        if name in source and source[name] is not None:
            value = source[name]
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise FieldInvalid(parameters={"field": name})
            texts[name] = str(value)
    return texts


def _with_totals(order: Order, lines: Sequence[Any], source: Mapping[str, Any]) -> Order:
    """Subtotals from the lines, totals adding costs less the discount; explicit totals in the body win."""
    sub_ex = sum((line.price_ex_tax * line.quantity for line in lines), ZERO)
    sub_inc = sum((line.price_inc_tax * line.quantity for line in lines), ZERO)
    costs_ex = sum((ex for ex, _inc in order.costs.values()), ZERO)
    costs_inc = sum((inc for _ex, inc in order.costs.values()), ZERO)
    totals = {
        "subtotal_ex_tax": sub_ex,
        "subtotal_inc_tax": sub_inc,
        "total_ex_tax": max(ZERO, sub_ex + costs_ex - order.discount_amount - order.coupon_discount),
        "total_inc_tax": max(ZERO, sub_inc + costs_inc - order.discount_amount - order.coupon_discount),
    }
    for name in TOTAL_OVERRIDES:
        if source.get(name) is not None:
            totals[name] = money_of(source[name], name)
    return replace(order, **totals)
