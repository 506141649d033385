"""ChannelState without HTTP: the default storefront, fixture channels, filters and paging."""

from __future__ import annotations

import pytest

from storefake.bigcommerce.errors import ChannelInvalid, ChannelNotFound, ChannelPlatformUnsupported
from storefake.bigcommerce.state.channels import DEFAULT_CHANNEL_ID, ChannelListing
from storefake.filtering import Condition


def test_default_channel_is_the_bigcommerce_storefront_named_after_the_store(store):
    channel = store.channels.get_channel(DEFAULT_CHANNEL_ID)
    assert (channel.id, channel.type, channel.platform, channel.status) == (1, "storefront", "bigcommerce", "active")
    assert channel.name == "storefake demo store"
    assert channel.is_enabled
    assert channel.available


def test_lazily_created_store_has_channel_1_named_after_its_hash(fake):
    assert fake.bigcommerce.stores.get("zz9plural").channels.get_channel(1).name == "zz9plural"


def test_get_channel_unknown_is_not_found(store):
    with pytest.raises(ChannelNotFound) as caught:
        store.channels.get_channel(2)
    assert caught.value.render_text() == "Not found"


def test_exists_and_ids(store):
    store.channels.add_channel({"name": "Amazon", "type": "marketplace", "platform": "amazon"})
    assert [store.channels.exists(n) for n in (1, 2, 3)] == [True, True, False]
    assert store.channels.ids() == [1, 2]


def test_add_channel_defaults_a_marketplace_to_connected(store):
    channel = store.channels.add_channel({"name": "Amazon", "type": "marketplace", "platform": "amazon"})
    assert (channel.status, channel.is_enabled, channel.icon_url.endswith("/amazon_icon.svg")) == (
        "connected",
        True,
        True,
    )


def test_add_channel_refuses_a_platform_of_another_type(store):
    with pytest.raises(ChannelPlatformUnsupported) as caught:
        store.channels.add_channel({"name": "X", "type": "marketplace", "platform": "bigcommerce"})
    assert caught.value.render_text() == "Input channel type [marketplace] with platform [bigcommerce] is not supported"


def test_add_channel_refuses_an_unknown_status(store):
    with pytest.raises(ChannelInvalid):
        store.channels.add_channel({"name": "X", "type": "pos", "platform": "square", "status": "sleeping"})


def test_add_channel_with_id_1_changes_the_default_storefront(store):
    store.channels.add_channel({"id": 1, "name": "Main", "type": "storefront", "platform": "bigcommerce",
                                "status": "prelaunch", "enabled_currencies": ["EUR", "USD"]})  # fmt: skip
    channel = store.channels.get_channel(1)
    assert (channel.name, channel.status, channel.default_currency) == ("Main", "prelaunch", "EUR")
    assert store.channels.ids() == [1]


def test_search_channels_filters_by_status_and_availability(store):
    store.channels.add_channel({"name": "Gone", "type": "marketplace", "platform": "ebay", "status": "archived"})
    store.channels.add_channel({"name": "Shop", "type": "pos", "platform": "square"})
    archived = store.channels.search_channels(ChannelListing([Condition("status", "in", ["archived"])]))
    assert [c.name for c in archived.items] == ["Gone"]
    available = store.channels.search_channels(ChannelListing([Condition("available", "eq", True)]))
    assert [c.id for c in available.items] == [1, 3]


def test_search_channels_pages(store):
    for n in range(4):
        store.channels.add_channel({"name": f"C{n}", "type": "pos", "platform": "custom"})
    found = store.channels.search_channels(ChannelListing(page=2, limit=2))
    assert ([c.id for c in found.items], found.total) == ([3, 4], 5)


def test_seed_adds_channels_and_counts_them(store):
    counts = store.seed({"channels": [{"name": "Meta", "type": "marketing", "platform": "meta"}]})
    assert counts["channels"] == 1
    assert store.channels.get_channel(2).platform == "meta"
