"""V2 order coupons, taxes and messages: state (seeded coupons/messages, taxes from the amounts) and HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefake.bigcommerce.state.order_extras import TaxedLine, tax_rows
from storefake.seeding import SeedError

V2 = "/stores/abc123/v2/orders"
BILLING = {"first_name": "Jane", "zip": "78751", "email": "jane@example.com"}
TAXED = {
    "billing_address": BILLING,
    "products": [
        {"name": "Mug", "quantity": 2, "price_ex_tax": 10, "price_inc_tax": "10.80"},
        {"name": "Sticker", "quantity": 1, "price_ex_tax": 2, "price_inc_tax": 2},
    ],
    "shipping_cost_ex_tax": 10,
    "shipping_cost_inc_tax": "10.50",
}


def seed_order(fake, **extra):
    fake.bigcommerce.seed({"stores": {"abc123": {"orders": [{**TAXED, "customer_id": 3, **extra}]}}})
    store = fake.bigcommerce.stores.get("abc123")
    return store.orders.get_order(store.orders.orders.last_id)


def test_tax_rows_come_from_the_amounts_given():
    rows = tax_rows([TaxedLine(1, 5, "item", Decimal("20"), Decimal("21.6")), TaxedLine(1, None, "shipping", 0, 0)])
    assert rows == [(1, 5, "item", Decimal("8"), Decimal("1.6"))]


def test_seeded_coupons_come_off_the_totals(fake):
    order = seed_order(fake, coupons=[{"code": "SAVE5", "discount": 5, "type": 2, "coupon_id": 1}])
    assert (order.coupon_discount, order.total_inc_tax) == (Decimal("5"), Decimal("29.10"))


def test_seeded_coupon_needs_a_code(fake):
    with pytest.raises(SeedError) as caught:
        seed_order(fake, coupons=[{"discount": 5}])
    assert str(caught.value) == "stores.abc123.orders[0]: The required field 'coupons.code' was not supplied."


def test_seeded_message_type_is_checked(fake):
    with pytest.raises(SeedError) as caught:
        seed_order(fake, messages=[{"message": "hi", "type": "robot"}])
    assert str(caught.value) == "stores.abc123.orders[0]: The field 'messages.type' is invalid."


def test_seeded_bad_message_leaves_no_order(fake):
    store = fake.bigcommerce.stores.get("abc123")
    before = len(store.orders.orders)
    with pytest.raises(SeedError, match=r"The field 'messages.status' is invalid"):
        seed_order(fake, messages=[{"message": "hi", "status": "archived"}])
    assert (len(store.orders.orders), len(store.orders.products), len(store.orders.taxes)) == (before, 0, 0)


def test_seeded_bad_transaction_leaves_no_order(fake):
    store = fake.bigcommerce.stores.get("abc123")
    before = len(store.orders.orders)
    with pytest.raises(SeedError) as caught:
        seed_order(fake, transactions=[{"gateway": "stripe", "amount": "lots"}])
    assert str(caught.value).endswith("(transactions[0].amount: error.expected.jsnumber)")
    assert (len(store.orders.orders), len(store.orders.payments.transactions)) == (before, 0)


def test_the_api_does_not_write_coupons(bc):
    order = bc.post(V2, json={**TAXED, "coupons": [{"code": "SAVE5", "discount": 5}]}).json()
    assert order["coupon_discount"] == "0.0000"
    assert bc.get(f"{V2}/{order['id']}/coupons").status_code == 204


def test_list_taxes(bc):
    order = bc.post(V2, json=TAXED).json()
    response = bc.get(f"{V2}/{order['id']}/taxes")
    assert response.status_code == 200
    assert [(t["rate"], t["line_amount"], t["class"]) for t in response.json()] == [
        ("8.0000", "1.6000", "API Tax Override"),
        ("5.0000", "0.5000", "API Tax Override"),
    ]
    assert "line_item_type" not in response.json()[0]


def test_list_taxes_with_details(bc):
    order = bc.post(V2, json=TAXED).json()
    product_id = bc.get(f"{V2}/{order['id']}/products").json()[0]["id"]
    taxes = bc.get(f"{V2}/{order['id']}/taxes", params={"details": "true"}).json()
    assert [(t["order_product_id"], t["line_item_type"]) for t in taxes] == [
        (str(product_id), "item"),
        (None, "shipping"),
    ]


def test_list_taxes_untaxed_order_is_204(bc):
    order = bc.post(V2, json={**TAXED, "products": [TAXED["products"][1]], "shipping_cost_inc_tax": 10}).json()
    response = bc.get(f"{V2}/{order['id']}/taxes")
    assert (response.status_code, response.content) == (204, b"")


def test_updating_costs_remakes_the_tax_rows(bc):
    order = bc.post(V2, json=TAXED).json()
    bc.put(f"{V2}/{order['id']}", json={"shipping_cost_ex_tax": 10, "shipping_cost_inc_tax": 10})
    assert [t["line_amount"] for t in bc.get(f"{V2}/{order['id']}/taxes").json()] == ["1.6000"]


def test_list_coupons(bc, fake):
    order = seed_order(fake, coupons=[{"code": "S2549JM0Y", "amount": 5, "discount": 5, "type": 2, "coupon_id": 1}])
    response = bc.get(f"{V2}/{order.id}/coupons")
    assert response.status_code == 200
    assert response.json() == [
        {"id": 1, "coupon_id": 1, "order_id": order.id, "code": "S2549JM0Y", "amount": 5, "type": 2, "discount": 5}
    ]
    assert bc.get(f"{V2}/{order.id}").json()["coupon_discount"] == "5.0000"


def test_list_messages_and_filters(bc, fake):
    order = seed_order(
        fake,
        messages=[
            {"subject": "Re: Order", "message": "Thank you again!", "type": "admin", "status": "read",
             "staff_id": 1, "date_created": "Wed, 26 Sep 2018 15:52:03 +0000"},
            {"message": "Where is it?", "is_flagged": True},
        ],
    )  # fmt: skip
    messages = bc.get(f"{V2}/{order.id}/messages").json()
    assert messages[0] == {
        "id": 1,
        "order_id": order.id,
        "staff_id": 1,
        "customer_id": 3,
        "type": "admin",
        "subject": "Re: Order",
        "message": "Thank you again!",
        "status": "read",
        "is_flagged": False,
        "date_created": "Wed, 26 Sep 2018 15:52:03 +0000",
        "customer": {},
    }
    assert [m["message"] for m in bc.get(f"{V2}/{order.id}/messages", params={"is_flagged": "true"}).json()] == [
        "Where is it?"
    ]
    assert bc.get(f"{V2}/{order.id}/messages", params={"status": "read", "min_id": 2}).status_code == 204


def test_list_messages_bad_status_is_400(bc, fake):
    order = seed_order(fake)
    response = bc.get(f"{V2}/{order.id}/messages", params={"status": "archived"})
    assert response.status_code == 400
    assert response.json() == [{"status": 400, "message": "The field 'status' is invalid."}]


def test_coupons_of_unknown_order_is_404(bc):
    response = bc.get(f"{V2}/999/coupons")
    assert response.status_code == 404
    assert response.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_fees_stay_empty(bc):
    order = bc.post(V2, json=TAXED).json()
    assert bc.get(f"{V2}/{order['id']}/fees").status_code == 204


def test_list_taxes_of_extreme_amounts_draws_them_in_full(bc):
    """A tax rate of about 1e38 percent (a price of 1e-30, a tax of a million) has more digits than the
    default decimal context holds with four places."""
    extreme = {"name": "Gold", "quantity": 1, "price_ex_tax": 1e-30, "price_inc_tax": 1000000}
    order = bc.post(V2, json={**TAXED, "products": [extreme]})
    assert order.status_code == 200, order.text
    response = bc.get(f"{V2}/{order.json()['id']}/taxes")
    assert response.status_code == 200
    rate = response.json()[0]["rate"]
    assert rate.endswith(".0000")
    assert len(rate.partition(".")[0]) > 28
