"""V3 /channels over HTTP: the default storefront, filters, include=currencies, paging and errors."""

from __future__ import annotations

import pytest

BASE = "/stores/abc123/v3/channels"
STATUS_TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
ICON = "https://storage.googleapis.com/bigcommerce-production-dev-center/images/bigcommerce_icon.svg"


@pytest.fixture
def channels(store):
    store.channels.add_channel({"name": "Amazon", "type": "marketplace", "platform": "amazon"})
    store.channels.add_channel({"name": "Old", "type": "marketplace", "platform": "ebay", "status": "archived"})
    store.channels.add_channel({"name": "Till", "type": "pos", "platform": "square", "status": "disconnected"})
    return store.channels


def ids(response):
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["data"]]


def test_list_channels_has_the_default_storefront(bc):
    response = bc.get(BASE)
    assert response.status_code == 200
    assert response.json()["data"][0]["id"] == 1
    assert response.json()["meta"]["pagination"] == {
        "total": 1, "count": 1, "per_page": 50, "current_page": 1, "total_pages": 1,
        "links": {"current": "?page=1&limit=50"},
    }  # fmt: skip


def test_get_channel_1_renders_every_documented_field(bc, store):
    channel = store.channels.get_channel(1)
    response = bc.get(f"{BASE}/1")
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "id": 1,
            "external_id": "",
            "is_listable_from_ui": True,
            "is_enabled": True,
            "is_visible": True,
            "status": "active",
            "name": "storefake demo store",
            "type": "storefront",
            "platform": "bigcommerce",
            "date_created": response.json()["data"]["date_created"],
            "date_modified": response.json()["data"]["date_modified"],
            "icon_url": ICON,
        },
        "meta": {},
    }
    assert response.json()["data"]["date_created"].endswith("Z")
    assert channel.id == 1


def test_get_channel_include_currencies(bc):
    data = bc.get(f"{BASE}/1", params={"include": "currencies"}).json()["data"]
    assert data["currencies"] == {"channel_id": 1, "enabled_currencies": ["USD"], "default_currency": "USD"}


def test_get_channel_unknown_is_404(bc):
    response = bc.get(f"{BASE}/999")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "title": "Not found", "type": STATUS_TYPE, "errors": {}}


@pytest.mark.parametrize("channel_id", ["abc", "\u00b9", "\u0661"])  # a superscript one, an Arabic-Indic one
def test_get_channel_not_a_number_is_404(bc, channel_id):
    response = bc.get(f"{BASE}/{channel_id}")
    assert response.status_code == 404
    assert response.json()["title"] == "Not found"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"available": "true"}, [1, 2]),
        ({"available": "false"}, [3, 4]),
        ({"status:in": "archived,disconnected"}, [3, 4]),
        ({"type:in": "pos,storefront"}, [1, 4]),
        ({"platform:in": "amazon"}, [2]),
        ({"date_created:min": "2000-01-01"}, [1, 2, 3, 4]),
        ({"date_created:max": "2000-01-01"}, []),
    ],
)
def test_list_channels_filters(bc, channels, query, expected):
    assert ids(bc.get(BASE, params=query)) == expected


def test_list_channels_include_currencies(bc, channels):
    data = bc.get(BASE, params={"include": "currencies"}).json()["data"]
    assert all(row["currencies"]["channel_id"] == row["id"] for row in data)
    assert "currencies" not in bc.get(BASE).json()["data"][0]


def test_list_channels_pages(bc, channels):
    response = bc.get(BASE, params={"page": 2, "limit": 2})
    assert ids(response) == [3, 4]
    assert response.json()["meta"]["pagination"]["links"] == {
        "previous": "?page=1&limit=2",
        "current": "?page=2&limit=2",
    }


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ({"limit": "a"}, 'Query parameter "limit" value must be integer. For input string: "a".'),
        ({"page": "x1"}, 'Query parameter "page" value must be integer. For input string: "x1".'),
        ({"available": "maybe"}, 'Query parameter "available" value must be boolean. For input string: "maybe".'),
    ],
)
def test_list_channels_bad_parameter_is_422(bc, query, title):
    response = bc.get(BASE, params=query)
    assert response.status_code == 422
    assert response.json() == {"status": 422, "title": title, "type": STATUS_TYPE, "errors": {}}


def test_list_channels_bad_date_is_422(bc):
    response = bc.get(BASE, params={"date_modified:min": "yesterday"})
    assert response.status_code == 422
    assert response.json()["title"] == "The filter(s): date_modified:min are not valid filter parameter(s)."


def test_list_channels_read_only_scope_may_read(bc):
    response = bc.get(BASE, headers={"X-Auth-Token": "storefake-bc-readonly-token"})
    assert response.status_code == 200


def test_list_channels_without_the_scope_is_403(bc):
    response = bc.get(BASE, headers={"X-Auth-Token": "storefake-bc-noscope-token"})
    assert response.status_code == 403
    assert response.json()["title"] == "You don't have a required scope to access the endpoint"
