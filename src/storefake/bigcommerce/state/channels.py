"""BigCommerce channels of one store: the default storefront (id 1) and any channels the fixtures add.

Pure Python (no HTTP). Other families ask this module whether a channel exists (`store.channels.exists`),
so catalog channel assignments, category trees and customers' channel ids all refer to the same set.
Facts from reference/channels.v3.yml: every store has the BigCommerce storefront with id 1; a channel's
`type` and `platform` must be a documented pair; `is_enabled` (deprecated) is true for the statuses
`prelaunch`, `active` and `connected`. The REST surface reads channels; fixtures and seeds create them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storefake.bigcommerce.errors import ChannelInvalid, ChannelNotFound, ChannelPlatformUnsupported
from storefake.filtering import Condition, plan
from storefake.seeding import seeding
from storefake.table import Selection, Table

DEFAULT_CHANNEL_ID = 1
TYPES = ("storefront", "marketplace", "marketing", "pos")
STATUSES = ("prelaunch", "active", "inactive", "connected", "disconnected", "archived", "deleted", "terminated")
AVAILABLE = frozenset({"prelaunch", "active", "inactive", "connected"})
ENABLED = frozenset({"prelaunch", "active", "connected"})
MARKETPLACES = (
    "amazon", "belk", "catch", "ebay", "etsy", "hudsons_bay", "macys", "mirakl", "overstock", "pinterest",
    "target_plus", "tiktok", "wayfair", "wish", "walmart",
)  # fmt: skip
# Platform -> accepted types (channels.v3.yml, "Platform"); `custom` takes every type.
PLATFORMS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("clover", "square", "stripe", "talech", "vend"), frozenset({"pos"})),
    **dict.fromkeys(MARKETPLACES, frozenset({"marketplace"})),
    **dict.fromkeys(("facebook", "google", "instagram", "meta"), frozenset({"marketplace", "marketing"})),
    **dict.fromkeys(("google_shopping", "microsoft"), frozenset({"marketing"})),
    **dict.fromkeys(
        ("acquia", "bigcommerce", "bloomreach", "catalyst", "deity", "drupal", "gatsby", "next", "vue", "wordpress"),
        frozenset({"storefront"}),
    ),
    "custom": frozenset(TYPES),
}
ICON_BASE = "https://storage.googleapis.com/bigcommerce-production-dev-center/images"


@dataclass(frozen=True, slots=True)
class Channel:
    id: int
    name: str
    type: str
    platform: str
    status: str
    date_created: float
    date_modified: float
    external_id: str = ""
    is_listable_from_ui: bool = True
    is_visible: bool = True
    enabled_currencies: tuple[str, ...] = ("USD",)
    default_currency: str = "USD"

    @property
    def is_enabled(self) -> bool:
        return self.status in ENABLED

    @property
    def available(self) -> bool:
        return self.status in AVAILABLE

    @property
    def icon_url(self) -> str:
        return f"{ICON_BASE}/{self.platform}_icon.svg"


@dataclass(frozen=True, slots=True)
class ChannelListing:
    conditions: Sequence[Condition] = ()
    page: int = 1
    limit: int = 50


class ChannelState:
    """The channels of one store, by id; channel 1 always exists (it cannot be removed)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.channels: Table[Channel] = Table(indexes={"status": lambda c: (c.status,)})
        now = store.now()
        name = store.settings.name or store.store_hash
        default = Channel(DEFAULT_CHANNEL_ID, name, "storefront", "bigcommerce", "active", now, now)
        self.channels.insert(DEFAULT_CHANNEL_ID, default)

    # reads
    def exists(self, channel_id: int) -> bool:
        return channel_id in self.channels

    def ids(self) -> list[int]:
        return [c.id for c in self.channels]

    def get_channel(self, channel_id: int) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise ChannelNotFound(errors={})
        return channel

    def search_channels(self, listing: ChannelListing) -> Selection[Channel]:
        planned = plan(self.channels, list(listing.conditions), value_of=_value_of, indexes={"status": "status"})
        offset = (listing.page - 1) * listing.limit
        return self.channels.select(**planned.select_kwargs(), offset=offset, limit=listing.limit)

    # writes (fixtures and seeds)
    def add_channel(self, entry: Mapping[str, Any]) -> Channel:
        """A channel from a fixture entry; an entry with `id: 1` changes the default storefront."""
        channel_type, platform = entry.get("type", "storefront"), entry.get("platform", "custom")
        if channel_type not in TYPES or not isinstance(platform, str):
            raise ChannelInvalid(errors={"type": "error.expected.validenumvalue"})
        if channel_type not in PLATFORMS.get(platform, frozenset()):
            raise ChannelPlatformUnsupported(parameters={"type": channel_type, "platform": platform}, errors={})
        status = entry.get("status", "active" if channel_type == "storefront" else "connected")
        if status not in STATUSES or not isinstance(entry.get("name", ""), str):
            raise ChannelInvalid(errors={"status": "error.expected.validenumvalue"})
        currencies = tuple(str(c) for c in entry.get("enabled_currencies") or ("USD",))
        with self.store.lock:
            channel_id = entry.get("id")
            if not isinstance(channel_id, int) or isinstance(channel_id, bool) or channel_id < 1:
                channel_id = self.channels.allocate_id()
            old = self.channels.get(channel_id)
            now = self.store.now()
            channel = Channel(
                id=channel_id,
                name=str(entry.get("name") or (old.name if old else f"{platform} {channel_id}")),
                type=channel_type,
                platform=platform,
                status=status,
                date_created=old.date_created if old else now,
                date_modified=now,
                external_id=str(entry.get("external_id") or ""),
                is_listable_from_ui=bool(entry.get("is_listable_from_ui", True)),
                is_visible=bool(entry.get("is_visible", True)),
                enabled_currencies=currencies,
                default_currency=str(entry.get("default_currency") or currencies[0]),
            )
            if old is None:
                self.channels.insert(channel_id, channel)
            else:
                self.channels.replace(channel_id, channel)
        return channel

    def seed(self, section: Mapping[str, Any]) -> dict[str, int]:
        """`channels: [{name, type, platform, status?, id?, ...}]` in a store's fixture or seed section."""
        entries = section.get("channels") or []
        for index, entry in enumerate(entries):
            with seeding("channels", index):
                self.add_channel(entry)
        return {"channels": len(entries)} if entries else {}


def _value_of(channel: Channel, name: str) -> Any:
    return getattr(channel, name, None)
