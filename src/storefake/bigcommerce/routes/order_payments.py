"""Orders V3 payments: `/v3/orders/{id}/transactions`, refund quotes and refunds (reference/orders.v3.yml).

Amounts are JSON numbers with two decimals; dates ISO-8601. Transactions answer 204 when the order has
none (the spec's documented 204); quotes and refunds answer 201; refund lists `{data, meta}`. A refund's
422 is the spec's `{"data": [{status, title, type}]}` (render.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.errors import InvalidQueryParameter
from storefake.bigcommerce.query import as_int, as_timestamp, csv_param, parse_page
from storefake.bigcommerce.render import iso8601, no_content, v3_data, v3_list
from storefake.bigcommerce.routes._common import int_param, read_json, store_of
from storefake.bigcommerce.state.order_payments import (
    PaymentState,
    Quote,
    Refund,
    RefundListing,
    RefundMethod,
    Transaction,
    cents,
)

ORDER = "/v3/orders/{order_id}"


# rendering
def amount(value: Decimal) -> float:
    return float(cents(value))


def transaction_json(tx: Transaction) -> dict[str, Any]:
    return {
        "id": tx.id,
        "order_id": str(tx.order_id),
        "event": tx.event,
        "method": tx.method,
        "amount": amount(tx.amount),
        "currency": tx.currency,
        "gateway": tx.gateway,
        "gateway_transaction_id": tx.gateway_transaction_id,
        "date_created": iso8601(tx.date_created),
        "test": tx.test,
        "status": tx.status,
        "fraud_review": False,
        "reference_transaction_id": tx.reference_transaction_id,
        "offline": None if tx.offline is None else dict(tx.offline),
        "custom": None if tx.custom is None else dict(tx.custom),
        "payment_method_id": tx.gateway,
        "payment_instrument_token": None,
        "avs_result": {"code": "", "message": "", "street_match": "", "postal_match": ""},
        "cvv_result": {"code": "", "message": ""},
        "credit_card": None,
        "gift_certificate": None,
        "store_credit": None,
        "custom_provider_field_result": None,
    }


def method_json(method: RefundMethod) -> dict[str, Any]:
    return {
        "provider_id": method.provider_id,
        "provider_description": method.description,
        "amount": amount(method.amount),
        "offline": method.offline,
        "offline_provider": method.offline,
        "offline_reason": "This is an offline payment provider." if method.offline else "",
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "order_id": quote.order_id,
        "total_refund_amount": amount(quote.total_refund_amount),
        "total_refund_tax_amount": amount(quote.total_refund_tax_amount),
        "order_level_refund_amount": amount(quote.order_level_refund_amount),
        "rounding": amount(quote.rounding),
        "adjustment": amount(quote.adjustment),
        "tax_inclusive": False,
        "refund_methods": [[method_json(m) for m in methods] for methods in quote.refund_methods],
    }


def refund_json(refund: Refund) -> dict[str, Any]:
    return {
        "id": refund.id,
        "order_id": refund.order_id,
        "user_id": 0,
        "created": iso8601(refund.created),
        "reason": refund.reason,
        "total_amount": amount(refund.total_amount),
        "total_tax": amount(refund.total_tax),
        "uses_merchant_override_values": refund.uses_merchant_override_values,
        "items": [dict(item) for item in refund.items],
        "payments": [
            {
                "id": payment["id"],
                "provider_id": payment["provider_id"],
                "amount": amount(payment["amount"]),
                "offline": payment["offline"],
                "is_declined": False,
                "declined_message": "",
                "transaction_id": payment["transaction_id"],
            }
            for payment in refund.payments
        ],
    }


# parsing
def state_of(request: Request) -> PaymentState:
    state: PaymentState = store_of(request).orders.payments
    return state


def ids_of(request: Request, name: str) -> list[int] | None:
    if name not in request.query_params:
        return None
    try:
        return [as_int(part) for part in csv_param(request.query_params, name)]
    except ValueError:
        raise InvalidQueryParameter(parameters={"name": name}) from None


def date_of(request: Request, name: str) -> float | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        return as_timestamp(raw)
    except (ValueError, OverflowError):
        raise InvalidQueryParameter(parameters={"name": name}) from None


# endpoints
async def list_transactions(request: Request) -> Response:
    page = parse_page(request.query_params)
    found = state_of(request).transactions_of(int_param(request, "order_id"), page.offset, page.limit)
    if not found.total:
        return no_content()  # orders.v3.yml: "No content found to fulfill request."
    items = [transaction_json(tx) for tx in found.items]
    return v3_list(items, found.total, page.page, page.limit, request.query_params)


async def create_refund_quote(request: Request) -> Response:
    quote = state_of(request).quote(int_param(request, "order_id"), await read_json(request))
    return v3_data(quote_json(quote), status=201)


async def create_refund(request: Request) -> Response:
    refund = state_of(request).create_refund(int_param(request, "order_id"), await read_json(request))
    return v3_data(refund_json(refund), status=201)


async def list_order_refunds(request: Request) -> Response:
    refunds = state_of(request).refunds_of(int_param(request, "order_id"), request.query_params.get("transaction_id"))
    return v3_data([refund_json(r) for r in refunds])


async def list_refunds(request: Request) -> Response:
    page = parse_page(request.query_params)
    listing = RefundListing(
        order_ids=ids_of(request, "order_id:in"),
        ids=ids_of(request, "id:in"),
        created_min=date_of(request, "created:min"),
        created_max=date_of(request, "created:max"),
        transaction_id=request.query_params.get("transaction_id"),
        offset=page.offset,
        limit=page.limit,
    )
    found = state_of(request).list_refunds(listing)
    return v3_list([refund_json(r) for r in found.items], found.total, page.page, page.limit, request.query_params)


async def get_refund(request: Request) -> Response:
    return v3_data(refund_json(state_of(request).get_refund(int_param(request, "refund_id"))))


routes: list[BaseRoute] = [
    Route("/v3/orders/payment_actions/refunds", list_refunds, methods=["GET"]),
    Route("/v3/orders/payment_actions/refunds/{refund_id}", get_refund, methods=["GET"]),
    Route(ORDER + "/transactions", list_transactions, methods=["GET"]),
    Route(ORDER + "/payment_actions/refund_quotes", create_refund_quote, methods=["POST"]),
    Route(ORDER + "/payment_actions/refunds", list_order_refunds, methods=["GET"]),
    Route(ORDER + "/payment_actions/refunds", create_refund, methods=["POST"]),
]
