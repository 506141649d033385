"""OrderState without HTTP: ids, seeding, indexes, listing on a large store."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefake.bigcommerce.errors import FieldInvalid, ResourceNotFound
from storefake.bigcommerce.state.orders import STATUSES, OrderListing, date_of, money_of
from storefake.filtering import Condition

BILLING = {"first_name": "J", "last_name": "D", "zip": "78751", "email": "J@Example.com"}


def body(**extra):
    return {"billing_address": BILLING, "products": [{"name": "X", "quantity": 1, "price_inc_tax": 1}], **extra}


def test_order_ids_start_at_100_and_never_repeat(store):
    orders = store.orders
    assert [orders.create_order(body()).id for _ in range(3)] == [100, 101, 102]
    orders.archive_order(102)
    assert orders.create_order(body()).id == 103


def test_fifteen_statuses():
    assert [s.id for s in STATUSES] == list(range(15))
    assert len({s.order for s in STATUSES}) == 15


def test_email_index_is_case_insensitive(store):
    store.orders.create_order(body())
    found = store.orders.search_orders(OrderListing([Condition("email", "eq", "j@example.com")]))
    assert [o.id for o in found.items] == [100]


def test_count_ignores_archived_orders(store):
    store.orders.create_order(body())
    store.orders.create_order(body(status_id=11))
    store.orders.archive_order(100)
    counts, total = store.orders.count_by_status()
    assert total == 1
    assert {s.id: n for s, n in counts}[1] == 0


def test_get_unknown_order(store):
    with pytest.raises(ResourceNotFound):
        store.orders.get_order(1)


def test_listing_a_large_store_pages_by_index(store):
    for _ in range(300):
        store.orders.create_order(body())
    page = store.orders.search_orders(OrderListing(offset=250, limit=50, descending=True))
    assert page.total == 300
    assert [o.id for o in page.items][:2] == [149, 148]


def test_seed_orders(fake):
    counts = fake.seed({"bigcommerce": {"stores": {"abc123": {"orders": [body(), body(status_id=2)]}}}})
    assert counts == {"bigcommerce": {"abc123": {"orders": 2}}}
    assert fake.bigcommerce.stores.get("abc123").orders.get_order(101).status == "Shipped"


@pytest.mark.parametrize("value", ["1.23", 1.23, 1, Decimal("1.23")])
def test_money_of_accepts_numbers_and_numeric_strings(value):
    assert money_of(value, "x") == Decimal(str(value))


@pytest.mark.parametrize("value", [True, None, [], "1e400", "inf", "-1", "x"])
def test_money_of_refuses_the_rest(value):
    with pytest.raises(FieldInvalid):
        money_of(value, "x")


def test_date_of_reads_rfc2822_iso_and_unix():
    assert date_of("Tue, 05 Mar 2019 21:40:11 +0000", "d") == 1551822011
    assert date_of("2019-03-05T21:40:11", "d") == 1551822011
    assert date_of("1551822011", "d") == 1551822011
