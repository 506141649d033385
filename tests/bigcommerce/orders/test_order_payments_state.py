"""Refund quotes, refunds and transactions without HTTP (OrderState.payments), and the orders they move."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefake.bigcommerce.errors import (
    RefundAmountMismatch,
    RefundInvalid,
    RefundItemInvalid,
    RefundProviderUnavailable,
    RefundStoreCreditGuest,
    RefundTooLarge,
    ResourceNotFound,
)
from storefake.bigcommerce.state.order_payments import RefundListing

BILLING = {"first_name": "Jane", "zip": "78751", "email": "jane@example.com"}


def make_order(store, *, customer_id=0, **extra):
    """Two lines of 10.00 (10.80 with tax) and 10.00 shipping: total 31.60."""
    body = {
        "billing_address": BILLING,
        "customer_id": customer_id,
        "products": [{"name": "Mug", "quantity": 2, "price_ex_tax": 10, "price_inc_tax": "10.80"}],
        "shipping_cost_ex_tax": 10,
        "shipping_cost_inc_tax": 10,
        **extra,
    }
    return store.orders.create_order(body, seeding=True)


@pytest.fixture
def pay(store):
    return store.orders.payments


@pytest.fixture
def order(store):
    return make_order(store)


def line_of(store, order):
    return store.orders.products_of(order.id).items[0]


def address_of(store, order):
    return store.orders.shipping_addresses_of(order.id)[0]


def product_refund(store, order, quantity=1, **extra):
    return {"items": [{"item_type": "PRODUCT", "item_id": line_of(store, order).id, "quantity": quantity}], **extra}


def custom(amount):
    return [{"provider_id": "custom", "amount": amount, "offline": True}]


def test_quote_prices_products_with_their_tax(store, pay, order):
    quote = pay.quote(order.id, product_refund(store, order, 2))
    assert (quote.total_refund_amount, quote.total_refund_tax_amount, quote.adjustment) == (
        Decimal("21.60"),
        Decimal("1.60"),
        Decimal("0"),
    )


def test_quote_shipping_and_order_level(store, pay, order):
    quote = pay.quote(
        order.id,
        {
            "items": [
                {"item_type": "SHIPPING", "item_id": address_of(store, order).id, "amount": 4},
                {"item_type": "ORDER", "item_id": order.id, "amount": 1.5},
            ]
        },
    )
    assert (quote.total_refund_amount, quote.order_level_refund_amount) == (Decimal("5.50"), Decimal("1.50"))


def test_quote_offers_custom_and_store_credit_to_a_registered_customer(store, pay):
    registered = make_order(store, customer_id=7)
    methods = [m[0].provider_id for m in pay.quote(registered.id, product_refund(store, registered)).refund_methods]
    assert methods == ["storecredit", "custom"]


def test_quote_offers_the_gateway_the_order_was_paid_with(store, pay):
    paid = make_order(store, transactions=[{"event": "purchase", "gateway": "stripe", "amount": 31.6}])
    methods = pay.quote(paid.id, product_refund(store, paid)).refund_methods
    assert [(m[0].provider_id, m[0].offline) for m in methods] == [("stripe", False), ("custom", True)]


def test_quote_above_what_is_left_has_a_negative_adjustment(pay, order):
    quote = pay.quote(order.id, {"items": [{"item_type": "ORDER", "item_id": order.id, "amount": 40}]})
    assert (quote.total_refund_amount, quote.adjustment) == (Decimal("31.60"), Decimal("-8.40"))


def test_quote_unknown_order_is_not_found(pay):
    with pytest.raises(ResourceNotFound):
        pay.quote(999, {"items": []})


def test_quote_needs_items_or_a_tax_adjustment(pay, order):
    with pytest.raises(RefundInvalid) as caught:
        pay.quote(order.id, {})
    assert caught.value.errors == {"items": "error.path.missing"}


def test_quote_item_of_another_order_is_refused(store, pay, order):
    other = make_order(store)
    with pytest.raises(RefundItemInvalid) as caught:
        pay.quote(order.id, product_refund(store, other))
    assert caught.value.render_text() == f"The PRODUCT item {line_of(store, other).id} cannot be refunded as requested."


def test_refund_moves_the_order_to_partially_refunded(store, pay, order, events):
    refund = pay.create_refund(order.id, product_refund(store, order, payments=custom(10.8)))
    updated = store.orders.get_order(order.id)
    assert (updated.refunded_amount, updated.status, updated.payment_status) == (
        Decimal("10.80"),
        "Partially Refunded",
        "partially refunded",
    )
    assert line_of(store, order).quantity_refunded == 1
    assert (
        "store/order/refund/created",
        {"type": "order", "id": order.id, "refund": {"refund_id": refund.id}},
    ) in events
    status = {"previous_status_id": 1, "new_status_id": 14}
    assert ("store/order/statusUpdated", {"type": "order", "id": order.id, "status": status}) in events


def test_refunding_everything_moves_the_order_to_refunded(store, pay, order):
    pay.create_refund(order.id, {"items": [{"item_type": "ORDER", "item_id": order.id, "amount": 31.6}],
                                 "payments": custom(31.6)})  # fmt: skip
    assert store.orders.get_order(order.id).status_id == 4


def test_refund_over_what_is_left_is_refused_and_changes_nothing(store, pay, order):
    pay.create_refund(order.id, {"items": [{"item_type": "ORDER", "item_id": order.id, "amount": 30}],
                                 "payments": custom(30)})  # fmt: skip
    with pytest.raises(RefundTooLarge) as caught:
        pay.create_refund(order.id, product_refund(store, order, payments=custom(10.8)))
    assert caught.value.render_text() == "Refund amount is greater than remaining amount"
    assert store.orders.get_order(order.id).refunded_amount == Decimal("30")
    assert len(pay.refunds) == 1


def test_refund_more_units_than_are_left_is_refused(store, pay, order):
    pay.create_refund(order.id, product_refund(store, order, 2, payments=custom(21.6)))
    with pytest.raises(RefundItemInvalid):
        pay.create_refund(order.id, product_refund(store, order, 1, payments=custom(10.8)))


def test_refund_payments_must_add_up(store, pay, order):
    with pytest.raises(RefundAmountMismatch) as caught:
        pay.create_refund(order.id, product_refund(store, order, payments=custom(5)))
    assert caught.value.render_text() == "The payments total 5.00 does not match the refund amount 10.80."


def test_store_credit_for_a_guest_is_refused(store, pay, order):
    body = product_refund(store, order, payments=[{"provider_id": "storecredit", "amount": 10.8, "offline": False}])
    with pytest.raises(RefundStoreCreditGuest) as caught:
        pay.create_refund(order.id, body)
    assert caught.value.render_text() == "Unable to provide store credit for a guest customer."


def test_unknown_provider_is_refused(store, pay, order):
    body = product_refund(store, order, payments=[{"provider_id": "stripe", "amount": 10.8}])
    with pytest.raises(RefundProviderUnavailable):
        pay.create_refund(order.id, body)


def test_merchant_override_sets_the_totals(store, pay, order):
    body = product_refund(
        store, order, payments=custom(9), merchant_calculated_override={"total_amount": 9, "total_tax": 0}
    )
    refund = pay.create_refund(order.id, body)
    assert (refund.total_amount, refund.total_tax, refund.uses_merchant_override_values) == (Decimal("9.00"), 0, True)


def test_tax_adjustment_refund_has_no_items(pay, order):
    refund = pay.create_refund(order.id, {"tax_adjustment_amount": 1.6})
    assert (refund.items, refund.total_amount, refund.payments[0]["provider_id"]) == ((), Decimal("1.60"), "custom")


def test_refunds_record_refund_transactions(store, pay, order):
    assert pay.transactions_of(order.id).total == 0
    pay.create_refund(order.id, product_refund(store, order, payments=custom(10.8)))
    (tx,) = pay.transactions_of(order.id).items
    assert (tx.event, tx.method, tx.amount, tx.gateway) == ("refund", "custom", Decimal("10.80"), "custom")


def test_refunds_do_not_return_stock(store, pay):
    product = store.catalog.create_product(
        {
            "name": "Cup",
            "type": "physical",
            "weight": 1,
            "price": 4,
            "inventory_tracking": "product",
            "inventory_level": 5,
        }
    )
    order = store.orders.create_order(
        {"billing_address": BILLING, "products": [{"product_id": product.id, "quantity": 2}]}
    )
    pay.create_refund(order.id, product_refund(store, order, 2, payments=custom(8)))
    assert store.catalog.get_product(product.id).inventory_level == 3


def test_list_refunds_filters(store, pay, order):
    other = make_order(store)
    pay.create_refund(order.id, product_refund(store, order, payments=custom(10.8)))
    second = pay.create_refund(other.id, product_refund(store, other, payments=custom(10.8)))
    assert [r.id for r in pay.list_refunds(RefundListing(order_ids=[other.id])).items] == [second.id]
    assert [r.id for r in pay.list_refunds(RefundListing(transaction_id="2")).items] == [second.id]
    assert pay.list_refunds(RefundListing(ids=[1, 2])).total == 2
