"""Store information without HTTP: defaults, fixture overrides, time-zone offsets, updates and their event."""

from __future__ import annotations

import pytest

import storefake
from storefake.bigcommerce.state import information

DOCUMENTED = {
    "id", "account_uuid", "domain", "secure_url", "control_panel_base_url", "status", "name", "first_name",
    "last_name", "address", "country", "country_code", "infrastructure_region", "phone", "admin_email",
    "order_email", "favicon_url", "timezone", "language", "currency", "currency_symbol", "decimal_separator",
    "thousands_separator", "decimal_places", "currency_symbol_location", "weight_units", "dimension_units",
    "dimension_decimal_places", "dimension_decimal_token", "dimension_thousands_token", "plan_name", "plan_level",
    "plan_is_trial", "industry", "logo", "is_price_entered_with_tax", "store_id", "default_channel_id",
    "default_site_id", "active_comparison_modules", "features",
}  # fmt: skip


def base():
    return information.defaults("h1", 42, "Shop", "boss@example.com")


def test_defaults_have_every_documented_field():
    assert set(base()) == DOCUMENTED


def test_defaults_derive_names_from_the_store():
    info = base()
    assert (info["id"], info["store_id"], info["name"], info["admin_email"]) == ("h1", 42, "Shop", "boss@example.com")
    assert info["secure_url"] == "https://store-h1.mybigcommerce.com"
    assert info["default_channel_id"] == 1


def test_defaults_account_uuid_is_stable_per_store_hash():
    assert base()["account_uuid"] == information.defaults("h1", 7, "", "")["account_uuid"]
    assert base()["account_uuid"] != information.defaults("h2", 42, "", "")["account_uuid"]


def test_defaults_time_zone_is_the_vendor_example():
    assert base()["timezone"] == {
        "name": "America/Chicago", "raw_offset": -21600, "dst_offset": -18000, "dst_correction": True,
        "date_format": {"display": "M jS Y", "export": "M jS Y", "extended_display": "M jS Y @ g:i A"},
    }  # fmt: skip


def test_build_replaces_fields_and_merges_sub_objects():
    info = information.build(base(), {"currency": "EUR", "features": {"wishlists_enabled": False}}, 2026)
    assert info["currency"] == "EUR"
    assert info["features"]["wishlists_enabled"] is False
    assert info["features"]["stencil_enabled"] is True


@pytest.mark.parametrize(
    ("zone", "raw", "dst"),
    [("Europe/London", 0, 3600), ("Australia/Sydney", 36000, 39600), ("Asia/Tokyo", 32400, 32400)],
)
def test_build_works_out_offsets_from_the_zone_name(zone, raw, dst):
    tz = information.build(base(), {"timezone": {"name": zone}}, 2026)["timezone"]
    assert (tz["name"], tz["raw_offset"], tz["dst_offset"], tz["dst_correction"]) == (zone, raw, dst, raw != dst)
    assert tz["date_format"]["display"] == "M jS Y"


def test_build_keeps_given_offsets():
    given = {"name": "Mars/Base", "raw_offset": 100, "dst_offset": 100}
    tz = information.build(base(), {"timezone": given}, 2026)["timezone"]
    assert (tz["raw_offset"], tz["dst_offset"], tz["dst_correction"]) == (100, 100, False)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"colour": "red"}, "information: unknown /v2/store field 'colour'"),
        ({"decimal_places": "2"}, "information: decimal_places must be a int"),
        ({"plan_is_trial": 1}, "information: plan_is_trial must be a bool"),
        ({"store_id": True}, "information: store_id must be a int"),
        ({"features": {"teleport": True}}, "information: unknown features field 'teleport'"),
        ({"timezone": "UTC"}, "information: timezone must be a mapping"),
        (
            {"timezone": {"name": "Nowhere/Atlantis"}},
            "information: unknown time zone 'Nowhere/Atlantis' (give raw_offset and dst_offset with it)",
        ),
        ({"logo": "x.png"}, "information: logo must be {url: ...} or []"),
        (["domain"], "information must be a mapping of /v2/store fields"),
    ],
)
def test_build_refuses_bad_overrides(overrides, message):
    with pytest.raises(ValueError, match=r"^information") as caught:
        information.build(base(), overrides, 2026)
    assert str(caught.value) == message


def test_build_takes_a_logo_object():
    assert information.build(base(), {"logo": {"url": "https://cdn.example/logo.png"}}, 2026)["logo"] == {
        "url": "https://cdn.example/logo.png"
    }


def test_fixture_information_reaches_the_store(store):
    info = store.store_information()
    assert (info["domain"], info["first_name"], info["weight_units"]) == ("demo.storefake.test", "Jane", "LBS")


def test_store_information_is_a_copy(store):
    store.store_information()["features"]["wishlists_enabled"] = False
    assert store.store_information()["features"]["wishlists_enabled"] is True


def test_lazily_created_store_gets_the_defaults(fake):
    info = fake.bigcommerce.stores.get("brandnew").store_information()
    assert (info["id"], info["name"], info["domain"]) == ("brandnew", "brandnew", "store-brandnew.mybigcommerce.com")


def test_bad_fixture_information_fails_at_load():
    fixtures = {"bigcommerce": {"stores": [{"store_hash": "x1", "information": {"nope": 1}}]}}
    with pytest.raises(ValueError, match=r"^fixtures: bigcommerce\.stores\[0\]\.information\.nope: unknown key; "):
        storefake.create_app(fixtures=fixtures)


def test_update_information_announces_store_information_updated(store, events):
    store.update_information({"phone": "555-0199"})
    assert store.store_information()["phone"] == "555-0199"
    assert events == [("store/information/updated", {"type": "store"})]


def test_update_information_without_a_change_announces_nothing(store, events):
    store.update_information({"phone": store.store_information()["phone"]})
    assert events == []


def test_update_information_refused_changes_nothing(store, events):
    with pytest.raises(ValueError, match="decimal_places must be a int"):
        store.update_information({"phone": "555", "decimal_places": "x"})
    assert store.store_information()["phone"] == "512-555-0100"
    assert events == []
