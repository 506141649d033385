"""A store's profile as `GET /v2/store` reports it (reference/store_information.v2.yml, StoreInformation).

Pure Python. Every documented field has a value: the spec example's for settings a store is born with
(language, currency, units, plan, features), values derived from the store (id = hash, name, domain,
`store_id`) for the rest, and a fixture store entry's `information:` mapping overrides any of them. The
time zone's offsets are worked out from its name with the standard library's zoneinfo unless given.
"""

from __future__ import annotations

import copy
import uuid
import zoneinfo
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# Sub-objects merge key by key; other fields are replaced. `logo` is {"url": ...} or [] (spec).
NESTED = ("timezone", "features")
DATE_FORMAT = {"display": "M jS Y", "export": "M jS Y", "extended_display": "M jS Y @ g:i A"}
DEFAULT_TIMEZONE = {
    "name": "America/Chicago",
    "raw_offset": -21600,
    "dst_offset": -18000,
    "dst_correction": True,
    "date_format": DATE_FORMAT,
}
FEATURES = {
    "stencil_enabled": True,
    "sitewidehttps_enabled": True,
    "facebook_catalog_id": "",
    "checkout_type": "optimized",
    "wishlists_enabled": True,
    "graphql_storefront_api_enabled": True,
    "shopper_consent_tracking_enabled": True,
    "multi_storefront_enabled": True,
    "storefront_limits": {"active": 1, "total_including_inactive": 1},
}
FAVICON = "https://cdn8.bigcommerce.com/r-8816ba2f48b0bcf4bec0c1a954c00e0fc36b/img/bc_favicon.ico"
# The fake's namespace for account UUIDs: the same store hash always gets the same UUID.
ACCOUNT_NAMESPACE = uuid.UUID("5f0c6e4e-6a53-4f4b-9a57-0c4e1d7b2f10")


def defaults(store_hash: str, store_id: int, name: str, owner_email: str) -> dict[str, Any]:
    """The profile of a store nobody described: the spec example's settings, names derived from the store."""
    domain = f"store-{store_hash}.mybigcommerce.com"
    return {
        "id": store_hash,
        "account_uuid": str(uuid.uuid5(ACCOUNT_NAMESPACE, store_hash)),
        "domain": domain,
        "secure_url": f"https://{domain}",
        "control_panel_base_url": f"https://store-{store_hash}.mybigcommerce.com",
        "status": "live",
        "name": name or store_hash,
        "first_name": "Store",
        "last_name": "Owner",
        "address": "",
        "country": "United States",
        "country_code": "US",
        "infrastructure_region": "us-central1",
        "phone": "",
        "admin_email": owner_email or f"admin@{domain}",
        "order_email": f"orders@{domain}",
        "favicon_url": FAVICON,
        "timezone": copy.deepcopy(DEFAULT_TIMEZONE),
        "language": "en",
        "currency": "USD",
        "currency_symbol": "$",
        "decimal_separator": ".",
        "thousands_separator": ",",
        "decimal_places": 2,
        "currency_symbol_location": "left",
        "weight_units": "Ounces",
        "dimension_units": "Inches",
        "dimension_decimal_places": 2,
        "dimension_decimal_token": ".",
        "dimension_thousands_token": ",",
        "plan_name": "Standard",
        "plan_level": "Standard",
        "plan_is_trial": False,
        "industry": "",
        "logo": [],
        "is_price_entered_with_tax": False,
        "store_id": store_id,
        "default_channel_id": 1,
        "default_site_id": 1000,
        "active_comparison_modules": [],
        "features": copy.deepcopy(FEATURES),
    }


def build(base: Mapping[str, Any], overrides: Mapping[str, Any] | None, year: int) -> dict[str, Any]:
    """`base` with a fixture's `information:` mapping applied; ValueError names a bad field."""
    info = copy.deepcopy(dict(base))
    if not overrides:
        return info
    if not isinstance(overrides, Mapping):
        raise ValueError("information must be a mapping of /v2/store fields")
    for key, value in overrides.items():
        if key not in info:
            raise ValueError(f"information: unknown /v2/store field {key!r}")
        if key in NESTED:
            info[key] = _merged(key, info[key], value)
        else:
            info[key] = _checked(key, info[key], value)
    if "timezone" in overrides:
        info["timezone"] = _with_offsets(info["timezone"], overrides["timezone"], year)
    return info


def _checked(key: str, default: Any, value: Any) -> Any:
    if key == "logo":
        if value == [] or (isinstance(value, Mapping) and isinstance(value.get("url"), str) and len(value) == 1):
            return copy.deepcopy(value)
        raise ValueError("information: logo must be {url: ...} or []")
    kind = type(default)
    if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, kind):
        raise ValueError(f"information: {key} must be a {kind.__name__}")
    return copy.deepcopy(value)


def _merged(key: str, current: dict[str, Any], value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"information: {key} must be a mapping")
    merged = dict(current)
    for name, item in value.items():
        if name not in current:
            raise ValueError(f"information: unknown {key} field {name!r}")
        if isinstance(current[name], dict):
            merged[name] = _merged(f"{key}.{name}", current[name], item)
        else:
            merged[name] = _checked(f"{key}.{name}", current[name], item)
    return merged


def _with_offsets(timezone: dict[str, Any], given: Mapping[str, Any], year: int) -> dict[str, Any]:
    """Offsets from the zone's name (January and July of `year`: winter and summer) unless the fixture gave them."""
    if "raw_offset" in given and "dst_offset" in given:
        correction = given.get("dst_correction", timezone["raw_offset"] != timezone["dst_offset"])
        return {**timezone, "dst_correction": correction}
    if "name" not in given:
        return timezone
    try:
        zone = zoneinfo.ZoneInfo(timezone["name"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"information: unknown time zone {timezone['name']!r} (give raw_offset and dst_offset with it)"
        ) from None
    offsets = sorted(_offset(zone, year, month) for month in (1, 7))
    raw, dst = offsets if offsets[0] != offsets[1] else (offsets[0], offsets[0])
    return {**timezone, "raw_offset": raw, "dst_offset": dst, "dst_correction": raw != dst}


def _offset(zone: zoneinfo.ZoneInfo, year: int, month: int) -> int:
    moment = datetime(year, month, 1, 12, tzinfo=UTC).astimezone(zone)
    delta = moment.utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0
