"""V2 orders: `/v2/orders`, their products, shipping addresses, shipments, coupons, taxes and messages, and
`/v2/order_statuses`.

V2 bodies are bare JSON; money is a 4-decimal string, dates are RFC-2822, an empty list is 204 with no
body, `limit` above 250 is a 413 with `details.max_limit` (orders.v2.oas2.yml; vendor-facts §3, §6).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import FieldInvalid, LimitTooLarge, ResourceNotFound
from storefake.bigcommerce.query import as_bool
from storefake.bigcommerce.render import money, no_content, rfc2822, v2_json, v2_list
from storefake.bigcommerce.routes._common import int_param, read_json, store_of
from storefake.bigcommerce.state.order_extras import TAX_CLASS, OrderCoupon, OrderMessage, OrderTax
from storefake.bigcommerce.state.orders import (
    STATUS_BY_ID,
    STATUSES,
    Order,
    OrderAddress,
    OrderListing,
    OrderProduct,
    OrderState,
    OrderStatus,
    Shipment,
    date_of,
    int_of,
    money_of,
)
from storefake.filtering import Condition

MAX_LIMIT = 250
ZERO_MONEY = "0.0000"
SORTS = frozenset({"id", "customer_id", "date_created", "date_modified", "status_id", "channel_id", "total_inc_tax"})
# query parameter -> (field, operator, parser)
FILTERS: dict[str, tuple[str, str, Callable[[Any, str], Any]]] = {
    "min_id": ("id", "gteq", int_of),
    "max_id": ("id", "lteq", int_of),
    "customer_id": ("customer_id", "eq", int_of),
    "email": ("email", "eq", lambda value, _name: str(value).lower()),
    "status_id": ("status_id", "eq", int_of),
    "min_total": ("total_inc_tax", "gteq", money_of),
    "max_total": ("total_inc_tax", "lteq", money_of),
    "min_date_created": ("date_created", "gteq", date_of),
    "max_date_created": ("date_created", "lteq", date_of),
    "min_date_modified": ("date_modified", "gteq", date_of),
    "max_date_modified": ("date_modified", "lteq", date_of),
    "payment_method": ("payment_method", "eq", lambda value, _name: str(value)),
    "channel_id": ("channel_id", "eq", int_of),
    "external_order_id": ("external_order_id", "eq", lambda value, _name: str(value)),
}


# rendering
def api_base(request: Request) -> str:
    """Where sub-resource links point: the host the client called, so the links work on the fake too."""
    return f"{request.url.scheme}://{request.url.netloc}/stores/{request.path_params['store_hash']}/v2"


def _link(base: str, order_id: int, resource: str) -> dict[str, str]:
    path = f"/orders/{order_id}/{resource}"
    return {"url": base + path, "resource": path}


def _cost_fields(order: Order, cost: str, base: str) -> dict[str, Any]:
    ex, inc = order.costs.get(cost, (Decimal(0), Decimal(0)))
    return {
        f"base_{base}": money(inc),
        f"{cost}_ex_tax": money(ex),
        f"{cost}_inc_tax": money(inc),
        f"{cost}_tax": money(inc - ex),
        f"{cost}_tax_class_id": 0,
    }


def order_json(base: str, order: Order) -> dict[str, Any]:
    texts = order.texts
    body: dict[str, Any] = {
        "id": order.id,
        "customer_id": order.customer_id,
        "date_created": rfc2822(order.date_created),
        "date_modified": rfc2822(order.date_modified),
        "date_shipped": "" if order.date_shipped is None else rfc2822(order.date_shipped),
        "status_id": order.status_id,
        "status": order.status,
        "subtotal_ex_tax": money(order.subtotal_ex_tax),
        "subtotal_inc_tax": money(order.subtotal_inc_tax),
        "subtotal_tax": money(order.subtotal_inc_tax - order.subtotal_ex_tax),
        **_cost_fields(order, "shipping_cost", "shipping_cost"),
        **_cost_fields(order, "handling_cost", "handling_cost"),
        **_cost_fields(order, "wrapping_cost", "wrapping_cost"),
        "total_ex_tax": money(order.total_ex_tax),
        "total_inc_tax": money(order.total_inc_tax),
        "total_tax": money(order.total_inc_tax - order.total_ex_tax),
        "is_tax_inclusive_pricing": False,
        "items_total": order.items_total,
        "items_shipped": order.items_shipped,
        "payment_method": texts.get("payment_method", ""),
        "payment_provider_id": texts.get("payment_provider_id", ""),
        "payment_status": order.payment_status,
        "refunded_amount": money(order.refunded_amount),
        "order_is_digital": False,
        "store_credit_amount": ZERO_MONEY,
        "gift_certificate_amount": ZERO_MONEY,
        "ip_address": texts.get("ip_address", ""),
        "ip_address_v6": "",
        "geoip_country": "",
        "geoip_country_iso2": "",
        "currency_id": 1,
        "currency_code": texts.get("currency_code", "USD"),
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": "USD",
        "staff_notes": texts.get("staff_notes", ""),
        "customer_message": texts.get("customer_message", ""),
        "discount_amount": money(order.discount_amount),
        "coupon_discount": money(order.coupon_discount),
        "shipping_address_count": order.shipping_address_count,
        "is_deleted": order.is_deleted,
        "ebay_order_id": "0",
        "cart_id": "",
        "billing_address": dict(order.billing_address),
        "is_email_opt_in": order.is_email_opt_in,
        "credit_card_type": None,
        "order_source": "external",
        "channel_id": order.channel_id,
        "external_source": texts.get("external_source"),
        "products": _link(base, order.id, "products"),
        "shipping_addresses": _link(base, order.id, "shippingaddresses"),
        "coupons": _link(base, order.id, "coupons"),
        "external_id": texts.get("external_id"),
        "external_merchant_id": None,
        "tax_provider_id": "BasicTaxProvider",
        "store_default_currency_code": "",
        "store_default_to_transactional_exchange_rate": "1.0000000000",
        "custom_status": order.status,
        "customer_locale": "en",
        "external_order_id": texts.get("external_order_id", ""),
    }
    return body


def product_json(row: OrderProduct) -> dict[str, Any]:
    total_ex, total_inc = row.price_ex_tax * row.quantity, row.price_inc_tax * row.quantity
    return {
        "id": row.id,
        "order_id": row.order_id,
        "product_id": row.product_id,
        "variant_id": row.variant_id,
        "order_pickup_method_id": 0,
        "order_address_id": row.order_address_id,
        "name": row.name,
        "name_customer": row.name,
        "name_merchant": row.name,
        "sku": row.sku,
        "upc": row.upc,
        "type": row.type,
        "base_price": money(row.price_ex_tax),
        "price_ex_tax": money(row.price_ex_tax),
        "price_inc_tax": money(row.price_inc_tax),
        "price_tax": money(row.price_inc_tax - row.price_ex_tax),
        "base_total": money(total_ex),
        "total_ex_tax": money(total_ex),
        "total_inc_tax": money(total_inc),
        "total_tax": money(total_inc - total_ex),
        "weight": money(row.weight),
        "quantity": row.quantity,
        "is_refunded": row.quantity_refunded >= row.quantity,
        "quantity_refunded": row.quantity_refunded,
        "refund_amount": money(row.refund_amount),
        "return_id": 0,
        "quantity_shipped": row.quantity_shipped,
        "parent_order_product_id": None,
        "is_bundled_product": False,
        "applied_discounts": [],
        "product_options": [dict(o) for o in row.product_options],
    }


def address_json(address: OrderAddress) -> dict[str, Any]:
    return {
        "id": address.id,
        "order_id": address.order_id,
        **{k: v for k, v in address.fields.items() if k != "form_fields"},
        "shipping_method": address.shipping_method,
        "form_fields": list(address.fields.get("form_fields") or []),
    }


def shipment_json(state: OrderState, shipment: Shipment) -> dict[str, Any]:
    order = state.get_order(shipment.order_id)
    address = state.addresses.get(shipment.order_address_id)
    texts = shipment.texts
    return {
        "id": shipment.id,
        "order_id": shipment.order_id,
        "customer_id": shipment.customer_id,
        "order_address_id": shipment.order_address_id,
        "date_created": rfc2822(shipment.date_created),
        "tracking_number": texts.get("tracking_number", ""),
        "merchant_shipping_cost": ZERO_MONEY,
        "shipping_method": texts.get("shipping_method", ""),
        "comments": texts.get("comments", ""),
        "shipping_provider": texts.get("shipping_provider", ""),
        "tracking_carrier": texts.get("tracking_carrier", ""),
        "tracking_link": texts.get("tracking_link", ""),
        "billing_address": {k: v for k, v in order.billing_address.items() if k != "form_fields"},
        "shipping_address": {} if address is None else {k: v for k, v in address.fields.items() if k != "form_fields"},
        "items": [dict(item) for item in shipment.items],
        "shipping_provider_display_name": texts.get("shipping_provider", ""),
        "generated_tracking_link": "",
    }


def number(amount: Decimal) -> int | float:
    """Coupon amounts are JSON numbers in the spec's examples (`amount: 5`, `discount: 2.7`)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def coupon_json(coupon: OrderCoupon) -> dict[str, Any]:
    return {
        "id": coupon.id,
        "coupon_id": coupon.coupon_id,
        "order_id": coupon.order_id,
        "code": coupon.code,
        "amount": number(coupon.amount),
        "type": coupon.type,
        "discount": number(coupon.discount),
    }


def tax_json(tax: OrderTax, details: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": tax.id,
        "order_id": tax.order_id,
        "order_address_id": tax.order_address_id,
        "tax_rate_id": 0,
        "sales_tax_id": "",
        "tax_class_id": 0,
        "name": "Tax",
        "class": TAX_CLASS,
        "rate": money(tax.rate),
        "priority": 0,
        "priority_amount": money(tax.amount),
        "line_amount": money(tax.amount),
        "order_pickup_method_id": 0,
    }
    if details:
        # `?details=true`: the spec's extra fields (order_product_id is a string, null for costs).
        body["order_product_id"] = None if tax.order_product_id is None else str(tax.order_product_id)
        body["line_item_type"] = tax.line_item_type
    return body


def message_json(message: OrderMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "order_id": message.order_id,
        "staff_id": message.staff_id,
        "customer_id": message.customer_id,
        "type": message.type,
        "subject": message.subject,
        "message": message.message,
        "status": message.status,
        "is_flagged": message.is_flagged,
        "date_created": rfc2822(message.date_created),
        "customer": {},
    }


def status_json(status: OrderStatus) -> dict[str, Any]:
    return {
        "id": status.id,
        "name": status.name,
        "system_label": status.name,
        "custom_label": status.name,
        "system_description": status.system_description,
        "order": status.order,
    }


# parsing
def paging_of(request: Request) -> tuple[int, int]:
    """V2 `page`/`limit` as (offset, limit); a limit above 250 is the vendor's 413 (issue I4)."""
    params = request.query_params
    page = int_of(params.get("page", "1"), "page") or 1
    limit = int_of(params.get("limit", "50"), "limit") or 50
    if limit > MAX_LIMIT:
        raise LimitTooLarge(detail={"max_limit": MAX_LIMIT})
    return (page - 1) * limit, limit


def listing_of(request: Request) -> OrderListing:
    params = request.query_params
    conditions = []
    for name, (field, op, parse) in FILTERS.items():
        if name in params:
            conditions.append(Condition(field, op, parse(params[name], name)))
    deleted = False
    if "is_deleted" in params:
        try:
            deleted = as_bool(params["is_deleted"])
        except ValueError:
            raise FieldInvalid(parameters={"field": "is_deleted"}) from None
    sort, descending = None, False
    if params.get("sort"):
        sort, _, direction = params["sort"].partition(":")
        if sort not in SORTS or direction.lower() not in ("", "asc", "desc"):
            raise FieldInvalid(parameters={"field": "sort"})
        descending = direction.lower() == "desc"
    offset, limit = paging_of(request)
    return OrderListing(conditions, sort, descending, offset, limit, deleted)


# orders
async def list_orders(request: Request) -> Response:
    found = store_of(request).orders.search_orders(listing_of(request))
    base = api_base(request)
    return v2_list([order_json(base, o) for o in found.items])


async def create_order(request: Request) -> Response:
    order = store_of(request).orders.create_order(await read_json(request))
    return v2_json(order_json(api_base(request), order))


async def archive_orders(request: Request) -> Response:
    store_of(request).orders.archive_orders()
    return no_content()


async def count_orders(request: Request) -> Response:
    counts, total = store_of(request).orders.count_by_status()
    statuses = [
        {**{k: v for k, v in status_json(s).items() if k != "order"}, "count": n, "sort_order": s.order}
        for s, n in counts
    ]
    return v2_json({"statuses": statuses, "count": total})


async def get_order(request: Request) -> Response:
    order = store_of(request).orders.get_order(int_param(request, "order_id"))
    return v2_json(order_json(api_base(request), order))


async def update_order(request: Request) -> Response:
    order_id = int_param(request, "order_id")
    orders = store_of(request).orders
    orders.get_order(order_id)
    order = orders.update_order(order_id, await read_json(request))
    return v2_json(order_json(api_base(request), order))


async def archive_order(request: Request) -> Response:
    store_of(request).orders.archive_order(int_param(request, "order_id"))
    return no_content()


# order products and addresses
async def list_order_products(request: Request) -> Response:
    offset, limit = paging_of(request)
    found = store_of(request).orders.products_of(int_param(request, "order_id"), offset, limit)
    return v2_list([product_json(p) for p in found.items])


async def get_order_product(request: Request) -> Response:
    row = store_of(request).orders.get_order_product(int_param(request, "order_id"), int_param(request, "product_id"))
    return v2_json(product_json(row))


async def list_shipping_addresses(request: Request) -> Response:
    offset, limit = paging_of(request)
    addresses = store_of(request).orders.shipping_addresses_of(int_param(request, "order_id"))
    return v2_list([address_json(a) for a in addresses[offset : offset + limit]])


async def list_coupons(request: Request) -> Response:
    offset, limit = paging_of(request)
    found = store_of(request).orders.coupons_of(int_param(request, "order_id"), offset, limit)
    return v2_list([coupon_json(c) for c in found.items])


async def list_taxes(request: Request) -> Response:
    offset, limit = paging_of(request)
    try:
        details = as_bool(request.query_params.get("details", "false"))
    except ValueError:
        raise FieldInvalid(parameters={"field": "details"}) from None
    found = store_of(request).orders.taxes_of(int_param(request, "order_id"), offset, limit)
    return v2_list([tax_json(t, details) for t in found.items])


async def list_messages(request: Request) -> Response:
    offset, limit = paging_of(request)
    params = request.query_params
    conditions = [Condition(f, op, parse(params[name], name)) for name, (f, op, parse) in MESSAGE_FILTERS.items()
                  if name in params]  # fmt: skip
    found = store_of(request).orders.messages_of(int_param(request, "order_id"), conditions, offset, limit)
    return v2_list([message_json(m) for m in found.items])


def _flag(value: Any, name: str) -> bool:
    try:
        return as_bool(str(value))
    except ValueError:
        raise FieldInvalid(parameters={"field": name}) from None


def _message_status(value: Any, name: str) -> str:
    if value not in ("read", "unread"):
        raise FieldInvalid(parameters={"field": name})
    return str(value)


MESSAGE_FILTERS: dict[str, tuple[str, str, Callable[[Any, str], Any]]] = {
    "min_id": ("id", "gteq", int_of),
    "max_id": ("id", "lteq", int_of),
    "customer_id": ("customer_id", "eq", int_of),
    "min_date_created": ("date_created", "gteq", date_of),
    "max_date_created": ("date_created", "lteq", date_of),
    "is_flagged": ("is_flagged", "eq", _flag),
    "status": ("status", "eq", _message_status),
}


async def list_nothing(request: Request) -> Response:
    """Fees are not modelled: an existing order has none (204)."""
    paging_of(request)  # bad paging is refused as on every V2 list
    store_of(request).orders.get_order(int_param(request, "order_id"))
    return v2_list([])


# shipments
async def list_shipments(request: Request) -> Response:
    offset, limit = paging_of(request)
    state = store_of(request).orders
    found = state.shipments_of(int_param(request, "order_id"), offset, limit)
    return v2_list([shipment_json(state, s) for s in found.items])


async def count_shipments(request: Request) -> Response:
    found = store_of(request).orders.shipments_of(int_param(request, "order_id"), 0, 0)
    return v2_json({"count": found.total})


async def create_shipment(request: Request) -> Response:
    order_id = int_param(request, "order_id")
    state = store_of(request).orders
    state.get_order(order_id)
    shipment = state.create_shipment(order_id, await read_json(request))
    return v2_json(shipment_json(state, shipment), status=201)


async def get_shipment(request: Request) -> Response:
    state = store_of(request).orders
    shipment = state.get_shipment(int_param(request, "order_id"), int_param(request, "shipment_id"))
    return v2_json(shipment_json(state, shipment))


async def update_shipment(request: Request) -> Response:
    state = store_of(request).orders
    order_id, shipment_id = int_param(request, "order_id"), int_param(request, "shipment_id")
    state.get_shipment(order_id, shipment_id)
    shipment = state.update_shipment(order_id, shipment_id, await read_json(request))
    return v2_json(shipment_json(state, shipment))


async def delete_shipment(request: Request) -> Response:
    store_of(request).orders.delete_shipment(int_param(request, "order_id"), int_param(request, "shipment_id"))
    return no_content()


async def delete_shipments(request: Request) -> Response:
    state = store_of(request).orders
    order_id = int_param(request, "order_id")
    for shipment in state.shipments_of(order_id).items:
        state.delete_shipment(order_id, shipment.id)
    return no_content()


# statuses
async def list_order_statuses(request: Request) -> Response:
    return v2_json([status_json(s) for s in STATUSES])


async def get_order_status(request: Request) -> Response:
    status = STATUS_BY_ID.get(int_param(request, "status_id"))
    if status is None:
        raise ResourceNotFound()
    return v2_json(status_json(status))


ORDER = "/v2/orders/{order_id:int}"  # :int, so `/v2/orders/count` under PUT or DELETE is a 405, not an order
routes: list[BaseRoute] = [
    Route("/v2/orders", list_orders, methods=["GET"]),
    Route("/v2/orders", create_order, methods=["POST"]),
    Route("/v2/orders", archive_orders, methods=["DELETE"]),
    Route("/v2/orders/count", count_orders, methods=["GET"]),
    Route(ORDER, get_order, methods=["GET"]),
    Route(ORDER, update_order, methods=["PUT"]),
    Route(ORDER, archive_order, methods=["DELETE"]),
    Route(ORDER + "/products", list_order_products, methods=["GET"]),
    Route(ORDER + "/products/{product_id}", get_order_product, methods=["GET"]),
    Route(ORDER + "/shipping_addresses", list_shipping_addresses, methods=["GET"]),
    Route(ORDER + "/shippingaddresses", list_shipping_addresses, methods=["GET"]),
    Route(ORDER + "/coupons", list_coupons, methods=["GET"]),
    Route(ORDER + "/taxes", list_taxes, methods=["GET"]),
    Route(ORDER + "/messages", list_messages, methods=["GET"]),
    Route(ORDER + "/fees", list_nothing, methods=["GET"]),
    Route(ORDER + "/shipments", list_shipments, methods=["GET"]),
    Route(ORDER + "/shipments", create_shipment, methods=["POST"]),
    Route(ORDER + "/shipments", delete_shipments, methods=["DELETE"]),
    Route(ORDER + "/shipments/count", count_shipments, methods=["GET"]),
    Route(ORDER + "/shipments/{shipment_id:int}", get_shipment, methods=["GET"]),
    Route(ORDER + "/shipments/{shipment_id:int}", update_shipment, methods=["PUT"]),
    Route(ORDER + "/shipments/{shipment_id:int}", delete_shipment, methods=["DELETE"]),
    Route("/v2/order_statuses", list_order_statuses, methods=["GET"]),
    Route("/v2/order_statuses/{status_id}", get_order_status, methods=["GET"]),
]
