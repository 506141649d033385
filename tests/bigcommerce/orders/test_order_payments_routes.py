"""Orders V3 over HTTP: transactions, refund quotes and refunds, with the vendor's bodies and scopes."""

from __future__ import annotations

import httpx
import pytest

from storefake.transport import SyncASGITransport

V2 = "/stores/abc123/v2/orders"
V3 = "/stores/abc123/v3/orders"
TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
BILLING = {"first_name": "Jane", "zip": "78751", "email": "jane@example.com"}


def error(status, title, errors=None):
    return {"status": status, "title": title, "type": TYPE, "errors": errors or {}}


@pytest.fixture
def order(bc):
    """Two mugs at 10.00 (10.80 with tax) and 10.00 shipping: 31.60."""
    body = {
        "billing_address": BILLING,
        "products": [{"name": "Mug", "quantity": 2, "price_ex_tax": 10, "price_inc_tax": "10.80"}],
        "shipping_cost_ex_tax": 10,
        "shipping_cost_inc_tax": 10,
    }
    created = bc.post(V2, json=body).json()
    created["line_id"] = bc.get(f"{V2}/{created['id']}/products").json()[0]["id"]
    created["address_id"] = bc.get(f"{V2}/{created['id']}/shipping_addresses").json()[0]["id"]
    return created


def mugs(order, quantity=1):
    return [{"item_type": "PRODUCT", "item_id": order["line_id"], "quantity": quantity}]


def custom(amount):
    return [{"provider_id": "custom", "amount": amount, "offline": True}]


def test_transactions_of_an_order_without_payments_is_204(bc, order):
    response = bc.get(f"{V3}/{order['id']}/transactions")
    assert (response.status_code, response.content) == (204, b"")


def test_transactions_of_unknown_order_is_404(bc):
    response = bc.get(f"{V3}/999/transactions")
    assert response.status_code == 404
    assert response.json() == error(404, "The requested resource was not found.")


def test_create_refund_quote(bc, order):
    response = bc.post(
        f"{V3}/{order['id']}/payment_actions/refund_quotes",
        json={"items": [*mugs(order), {"item_type": "SHIPPING", "item_id": order["address_id"], "amount": 10}]},
    )
    assert response.status_code == 201
    assert response.json() == {
        "data": {
            "order_id": order["id"],
            "total_refund_amount": 20.8,
            "total_refund_tax_amount": 0.8,
            "order_level_refund_amount": 0.0,
            "rounding": 0.0,
            "adjustment": 0.0,
            "tax_inclusive": False,
            "refund_methods": [
                [
                    {
                        "provider_id": "custom",
                        "provider_description": "Custom",
                        "amount": 20.8,
                        "offline": True,
                        "offline_provider": True,
                        "offline_reason": "This is an offline payment provider.",
                    }
                ]
            ],
        },
        "meta": {},
    }


def test_create_refund_quote_bad_item_type_is_422(bc, order):
    response = bc.post(
        f"{V3}/{order['id']}/payment_actions/refund_quotes", json={"items": [{"item_type": "GIFT", "item_id": 1}]}
    )
    assert response.status_code == 422
    assert response.json() == error(
        422, "JSON data is missing or invalid", {"items[0].item_type": "error.expected.validenumvalue"}
    )


def test_create_refund_answers_201_and_moves_the_order(bc, order, fake):
    fake.clock.freeze(1655397855)
    response = bc.post(
        f"{V3}/{order['id']}/payment_actions/refunds",
        json={"items": mugs(order), "payments": custom(10.8), "reason": "Customer requires a refund."},
    )
    assert response.status_code == 201
    assert response.json() == {
        "data": {
            "id": 1,
            "order_id": order["id"],
            "user_id": 0,
            "created": "2022-06-16T16:44:15+00:00",
            "reason": "Customer requires a refund.",
            "total_amount": 10.8,
            "total_tax": 0.8,
            "uses_merchant_override_values": False,
            "items": [{"item_type": "PRODUCT", "item_id": order["line_id"], "reason": "", "quantity": 1,
                       "requested_amount": None}],
            "payments": [
                {"id": 1, "provider_id": "custom", "amount": 10.8, "offline": True, "is_declined": False,
                 "declined_message": "", "transaction_id": "1"}
            ],
        },
        "meta": {},
    }  # fmt: skip
    updated = bc.get(f"{V2}/{order['id']}").json()
    assert (updated["refunded_amount"], updated["status_id"], updated["status"]) == (
        "10.8000",
        14,
        "Partially Refunded",
    )
    line = bc.get(f"{V2}/{order['id']}/products/{order['line_id']}").json()
    assert (line["quantity_refunded"], line["refund_amount"], line["is_refunded"]) == (1, "10.8000", False)
    transactions = bc.get(f"{V3}/{order['id']}/transactions").json()
    assert [(t["event"], t["amount"], t["order_id"]) for t in transactions["data"]] == [
        ("refund", 10.8, str(order["id"]))
    ]


def test_refunding_the_whole_order_is_refunded(bc, order):
    bc.post(
        f"{V3}/{order['id']}/payment_actions/refunds",
        json={"items": [{"item_type": "ORDER", "item_id": order["id"], "amount": 31.6}], "payments": custom(31.6)},
    )
    assert bc.get(f"{V2}/{order['id']}").json()["status"] == "Refunded"


def test_over_refund_is_422_in_the_refund_shape(bc, order):
    response = bc.post(
        f"{V3}/{order['id']}/payment_actions/refunds",
        json={"items": [{"item_type": "ORDER", "item_id": order["id"], "amount": 40}], "payments": custom(40)},
    )
    assert response.status_code == 422
    assert response.json() == {
        "data": [
            {
                "status": 422,
                "title": "Refund amount is greater than remaining amount",
                "type": TYPE,
            }
        ]
    }
    assert bc.get(f"{V2}/{order['id']}").json()["refunded_amount"] == "0.0000"


def test_store_credit_for_a_guest_is_the_documented_422(bc, order):
    response = bc.post(
        f"{V3}/{order['id']}/payment_actions/refunds",
        json={"items": mugs(order), "payments": [{"provider_id": "storecredit", "amount": 10.8, "offline": False}]},
    )
    assert response.status_code == 422
    assert response.json() == {
        "data": [{"status": 422, "title": "Unable to provide store credit for a guest customer.", "type": TYPE}]
    }


def test_list_order_refunds_and_get_one(bc, order):
    assert bc.get(f"{V3}/{order['id']}/payment_actions/refunds").json() == {"data": [], "meta": {}}
    created = bc.post(
        f"{V3}/{order['id']}/payment_actions/refunds", json={"items": mugs(order), "payments": custom(10.8)}
    ).json()["data"]
    listed = bc.get(f"{V3}/{order['id']}/payment_actions/refunds").json()
    assert listed == {"data": [created], "meta": {}}
    assert bc.get(f"{V3}/payment_actions/refunds/{created['id']}").json() == {"data": created, "meta": {}}


def test_list_all_refunds_filters(bc, order):
    bc.post(f"{V3}/{order['id']}/payment_actions/refunds", json={"items": mugs(order), "payments": custom(10.8)})
    everything = bc.get(f"{V3}/payment_actions/refunds").json()
    assert [r["order_id"] for r in everything["data"]] == [order["id"]]
    assert everything["meta"]["pagination"]["total"] == 1
    assert bc.get(f"{V3}/payment_actions/refunds", params={"order_id:in": "999"}).json()["data"] == []
    bad = bc.get(f"{V3}/payment_actions/refunds", params={"created:min": "yesterday"})
    assert bad.status_code == 422
    assert bad.json() == error(422, "The filter(s): created:min are not valid filter parameter(s).")


def test_get_unknown_refund_is_404(bc):
    response = bc.get(f"{V3}/payment_actions/refunds/5")
    assert response.status_code == 404


def test_transactions_need_the_transactions_scope(app, fake, order):
    from storefake.bigcommerce.state import Account

    fake.bigcommerce.add_account(Account("abc123", "orders-only", "oc", "s", frozenset({"store_v2_orders"})))
    with httpx.Client(
        transport=SyncASGITransport(app), base_url="http://testserver", headers={"X-Auth-Token": "orders-only"}
    ) as client:
        assert client.get(f"{V3}/{order['id']}/transactions").status_code == 403
        refunds = client.post(
            f"{V3}/{order['id']}/payment_actions/refunds", json={"items": mugs(order), "payments": custom(10.8)}
        )
        assert refunds.status_code == 201  # refunds take store_v2_orders or store_v2_transactions


def test_read_only_token_reads_transactions_but_cannot_refund(app, order):
    headers = {"X-Auth-Token": "storefake-bc-readonly-token"}
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver", headers=headers) as client:
        assert client.get(f"{V3}/{order['id']}/transactions").status_code == 204
        response = client.post(
            f"{V3}/{order['id']}/payment_actions/refunds", json={"items": mugs(order), "payments": custom(10.8)}
        )
    assert response.status_code == 403


def test_list_refunds_by_ids_no_refund_has_lists_only_real_ones(bc, order):
    bc.post(f"{V3}/{order['id']}/payment_actions/refunds", json={"items": mugs(order), "payments": custom(10.8)})
    listed = bc.get(f"{V3}/payment_actions/refunds", params={"id:in": "1,126132,02807837"})
    assert listed.status_code == 200
    assert [refund["id"] for refund in listed.json()["data"]] == [1]
    assert bc.get(f"{V3}/payment_actions/refunds", params={"id:in": "126132"}).json()["data"] == []
