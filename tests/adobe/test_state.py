"""The Adobe domain without HTTP: TenantStore, Structure, the validators and the backend."""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storefake.adobe import errors as E
from storefake.adobe import validation as V
from storefake.adobe.search import Criteria, Filter, SortOrder, nest_query, parse_criteria, search_customers
from storefake.adobe.state import AdobeBackend, Structure, TenantStore
from storefake.clock import Clock
from storefake.config import Config
from storefake.randomness import RandomSource
from storefake.runtime import Context, load_fixtures


@pytest.fixture
def backend() -> AdobeBackend:
    fixtures = load_fixtures(None)["adobe"]
    return AdobeBackend(fixtures, Context(Clock(1769200815.0), RandomSource(1), Config()))


@pytest.fixture
def store(backend) -> TenantStore:
    return backend.tenants.get("T")


def fields(**overrides):
    return {"email": "a@example.com", "firstname": "A", "lastname": "B", **overrides}


def test_create_and_get(store):
    customer = store.create_customer(fields())
    assert store.get_customer(customer.id) is customer
    assert (customer.created_at, customer.created_in, customer.group_id) == (
        "2026-01-23 20:40:15",
        "Default Store View",
        1,
    )


def test_get_missing(store):
    with pytest.raises(E.NoSuchEntity) as caught:
        store.get_customer(7)
    assert caught.value.parameters == {"fieldName": "customerId", "fieldValue": 7}


def test_lookup_by_website_and_email_is_case_insensitive(store):
    customer = store.create_customer(fields(email="Mixed@Example.com"))
    assert store.find_customer_by_email("mixed@example.COM", 1) is customer
    assert store.find_customer_by_email("mixed@example.com", 0) is None


def test_same_email_in_another_website_is_allowed(store):
    store.create_customer(fields())
    other = store.create_customer(fields(website_id=0, store_id=0))
    assert other.created_in == "Admin"


def test_duplicate_email(store):
    store.create_customer(fields())
    with pytest.raises(E.EmailExists):
        store.create_customer(fields(email="A@example.com"))


def test_update_keeps_the_old_row_intact(store, backend):
    before = store.create_customer(fields())
    backend.clock.advance(10)
    after = store.update_customer(before.id, {"lastname": "C"})
    assert (before.lastname, after.lastname) == ("B", "C")
    assert after.updated_at == "2026-01-23 20:40:25"
    assert after.created_at == before.created_at


def test_delete_then_ids_are_not_reused(store):
    first = store.create_customer(fields())
    assert store.delete_customer(first.id) is True
    assert store.create_customer(fields()).id == first.id + 1


def test_check_order_email_null_before_password(store):
    with pytest.raises(E.EmailRequiredForAccount):
        store.create_customer({"firstname": "A", "lastname": "B"}, "short")


def test_check_order_password_before_store(store):
    with pytest.raises(E.PasswordTooShort):
        store.create_customer(fields(store_id=99), "short")


def test_check_order_group_before_email(store):
    with pytest.raises(E.GroupMissing):
        store.create_customer(fields(email="", group_id=42))


def test_structure_resolution():
    structure = Structure.from_fixtures(load_fixtures(None)["adobe"])
    assert structure.resolve_store(None, None)[0].id == 1
    assert structure.resolve_store(None, 0)[0].name == "Admin"
    with pytest.raises(E.WebsiteMissing):
        structure.resolve_store(None, 9)
    with pytest.raises(E.StoreNotInWebsite):
        structure.resolve_store(1, 0)


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("Ab1!", E.PasswordTooShort),
        ("Ab1!" * 70, E.PasswordTooLong),
        (" Abcdef1!", E.PasswordSpaces),
        ("abcdefgh", E.PasswordClasses),
        ("a@example.COM", E.PasswordIsEmail),
    ],
)
def test_password_rules(password, error):
    with pytest.raises(error):
        V.check_password(password, "a@example.com")


def test_password_with_three_classes_passes():
    V.check_password("abcdEFGH1", "a@example.com")


def test_setter_keys():
    assert V.setter_key("first_name") == V.setter_key("firstName") == V.setter_key("firstname")
    assert V.upper_camel("foo_bar") == "FooBar"


def test_parse_customer_converts_like_php():
    parsed = V.parse_customer({"group_id": "2", "firstname": 12, "email": None, "websiteId": 1.0})
    assert parsed == {"group_id": 2, "firstname": "12", "website_id": 1}


def test_nest_query():
    nested = nest_query([("a[b][0][c]", "1"), ("a[b][0][d]", "2"), ("a[e][]", "x"), ("a[e][]", "y")])
    assert nested == {"a": {"b": {"0": {"c": "1", "d": "2"}}, "e": {"0": "x", "1": "y"}}}


def test_search_in_the_domain(store):
    for i in range(30):
        store.create_customer(fields(email=f"c{i}@example.com", group_id=1 + i % 3))
    criteria = Criteria(((Filter("group_id", "2", None),),), (SortOrder("id", "DESC"),), page_size=4, current_page=2)
    result = search_customers(store, criteria)
    assert result.total == 10
    assert [c.id for c in result.items] == [17, 14, 11, 8]


def test_parse_criteria_requires_search_criteria():
    with pytest.raises(E.FieldRequired):
        parse_criteria([("other", "1")])


def test_concurrent_creates_of_one_email_in_the_domain(store):
    results: list[object] = []

    def attempt() -> None:
        try:
            results.append(store.create_customer(fields(email="race@example.com")).id)
        except E.EmailExists:
            results.append(None)

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([r for r in results if r is not None]) == 1


def test_describe_lists_urls_and_credentials(backend):
    lines = backend.describe("http://127.0.0.1:8080")
    text = "\n".join(lines)
    assert "http://127.0.0.1:8080/ims/token/v3" in text
    assert "http://127.0.0.1:8080/AbCYab34cdEfGHiJ27123" in text
    assert "storefake-accs-client" in text
    assert "commerce.accs" in text


def test_seed_counts(backend):
    counts = backend.seed({"tenants": {"X": {"customers": [fields(), fields(email="b@example.com")]}}})
    assert counts == {"X": 2}
    assert len(backend.tenants.get("X").customers) == 2


# Magento's PHP counts the classes with these four patterns (Customer\Model\AccountManagement).
MAGENTO_CLASS_PATTERNS = tuple(re.compile(p) for p in (r"[0-9]", r"[A-Z]", r"[a-z]", r"[^a-zA-Z0-9]"))


@given(st.text())
def test_password_character_classes_are_counted_as_magento_counts_them(password):
    expected = sum(1 for pattern in MAGENTO_CLASS_PATTERNS if pattern.search(password))
    assert V.character_classes(password) == expected


def test_a_customer_field_is_only_ever_a_field(backend):
    store = backend.tenants.get("t-fields")
    customer = store.create_customer({"email": "f@example.com", "firstname": "F", "lastname": "L"})
    assert customer.field("email") == "f@example.com"
    assert customer.field("dob") is None  # an optional field, unset
    for name in ("count", "index", "nothing"):
        with pytest.raises(AttributeError):
            customer.field(name)


# --- confirmation, activation and customer tokens ------------------------------------------------------------


@pytest.fixture
def confirming(store) -> TenantStore:
    store.configure({"customer/create_account/confirm": 1})
    return store


def test_create_with_confirmation_on_stores_a_random_key(confirming):
    customer = confirming.create_customer(fields(), "Pa55-word!")
    key = customer.field("confirmation")
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert confirming.confirmation_status(customer.id) == "account_confirmation_required"


def test_create_with_confirmation_on_replaces_a_key_from_the_body(confirming):
    customer = confirming.create_customer(fields(confirmation="mine"))
    assert customer.field("confirmation") not in (None, "mine")


def test_create_with_confirmation_off_keeps_a_key_from_the_body(store):
    customer = store.create_customer(fields(confirmation="mine"))
    assert customer.field("confirmation") == "mine"
    assert store.confirmation_status(customer.id) == "account_confirmation_not_required"


def test_activate_clears_the_key(confirming):
    customer = confirming.create_customer(fields())
    activated = confirming.activate_customer("A@example.com", customer.field("confirmation"))
    assert activated.field("confirmation") is None
    assert confirming.get_customer(customer.id).field("confirmation") is None
    assert confirming.confirmation_status(customer.id) == "account_confirmed"


def test_activate_with_a_wrong_key(confirming):
    confirming.create_customer(fields())
    with pytest.raises(E.ConfirmationKeyInvalid):
        confirming.activate_customer("a@example.com", "wrong")


def test_activate_twice(confirming):
    customer = confirming.create_customer(fields())
    confirming.activate_customer("a@example.com", customer.field("confirmation"))
    with pytest.raises(E.AlreadyActive):
        confirming.activate_customer("a@example.com", customer.field("confirmation"))


def test_activate_unknown_email(store):
    with pytest.raises(E.NoSuchEntityPair) as raised:
        store.activate_customer("nobody@example.com", "k")
    assert raised.value.parameters == {
        "fieldName": "email",
        "fieldValue": "nobody@example.com",
        "field2Name": "websiteId",
        "field2Value": "1",
    }


def test_resend_confirmation_needs_a_pending_key(store, confirming):
    confirming.create_customer(fields())
    assert confirming.resend_confirmation("a@example.com", 1) is True
    confirming.configure({"customer/create_account/confirm": 0})
    confirming.create_customer(fields(email="b@example.com"))
    with pytest.raises(E.ConfirmationNotNeeded):
        confirming.resend_confirmation("b@example.com", 1)


def test_resend_confirmation_in_another_website(store):
    store.create_customer(fields())
    with pytest.raises(E.NoSuchEntityPair) as raised:
        store.resend_confirmation("a@example.com", 2)
    assert raised.value.parameters["field2Value"] == 2


def test_customer_token_is_a_magento_style_jwt(store):
    import jwt

    customer = store.create_customer(fields())
    token = store.create_customer_token(customer.id)
    assert jwt.get_unverified_header(token)["kid"] == "1"
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims == {"uid": customer.id, "utypid": 3, "iat": 1769200815, "exp": 1769200815 + 3600}


def test_customer_token_for_a_missing_customer(store):
    with pytest.raises(E.NoSuchEntity):
        store.create_customer_token(404)


def test_configure_rejects_unknown_paths_and_non_integers(store):
    with pytest.raises(ValueError, match="unknown configuration path"):
        store.configure({"web/unsecure/base_url": "x"})
    with pytest.raises(ValueError, match="must be an integer"):
        store.configure({"customer/create_account/confirm": "yes"})


def test_delete_group_moves_customers_to_the_default_group(store):
    customer = store.create_customer(fields(group_id=2))
    store.delete_customer_group(2)
    assert store.get_customer(customer.id).group_id == 1
