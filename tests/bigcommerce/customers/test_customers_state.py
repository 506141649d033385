"""CustomerState without HTTP: atomic batches, unique emails, cursors, seeding."""

from __future__ import annotations

import threading

import pytest

from storefake.bigcommerce.errors import CreateCustomersFailed, InvalidJSON, InvalidQueryParameter, PayloadTooLarge
from storefake.bigcommerce.state.customers import Listing, batch, decode_cursor, encode_cursor


def person(n: int):
    return {"email": f"user{n}@example.com", "first_name": "F", "last_name": f"L{n}"}


def test_cursor_round_trip_matches_the_vendor_example():
    assert encode_cursor(204) == "eyJpZCI6MjA0fQ"
    assert decode_cursor("eyJpZCI6MjA0fQ", "after") == 204


def test_bad_cursor_names_its_parameter():
    with pytest.raises(InvalidQueryParameter) as caught:
        decode_cursor("eyJpZCI6IngifQ", "before")
    assert caught.value.render_text() == "The filter(s): before are not valid filter parameter(s)."


def test_batch_limits():
    assert batch([1, 2]) == [1, 2]
    with pytest.raises(PayloadTooLarge):
        batch(list(range(11)))
    with pytest.raises(InvalidJSON):
        batch({"a": 1})


def test_failed_batch_stores_nothing(store):
    store.customers.create_customers([person(1)])
    with pytest.raises(CreateCustomersFailed):
        store.customers.create_customers([person(2), person(1)])
    assert len(store.customers.customers) == 1


def test_email_lookup_is_case_insensitive(store):
    store.customers.create_customers([{**person(1), "email": "Mixed@Example.com"}])
    assert store.customers.get_customer_by_email("mixed@example.COM").id == 1


def test_concurrent_creates_of_one_email_let_exactly_one_win(store):
    outcomes: list[str] = []
    barrier = threading.Barrier(16)

    def attempt():
        barrier.wait()
        try:
            store.customers.create_customers([person(1)])
            outcomes.append("created")
        except CreateCustomersFailed:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("created") == 1
    assert len(store.customers.customers) == 1


def test_cursor_page_on_a_large_store_reads_only_the_page(store):
    store.customers.create_customers([person(n) for n in range(10)])
    page = store.customers.search_customers(Listing(limit=3, after=4))
    assert [c.id for c in page.items] == [5, 6, 7]
    assert (page.total, page.has_before, page.has_after) == (10, True, True)
    page = store.customers.search_customers(Listing(limit=3, before=3))
    assert [c.id for c in page.items] == [1, 2]
    assert (page.has_before, page.has_after) == (False, True)


def test_seed_creates_customers(fake):
    counts = fake.seed({"bigcommerce": {"stores": {"abc123": {"customers": [person(1), person(2)]}}}})
    assert counts == {"bigcommerce": {"abc123": {"customers": 2}}}
    assert len(fake.bigcommerce.stores.get("abc123").customers.customers) == 2
