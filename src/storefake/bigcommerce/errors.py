"""BigCommerce's error catalogue: one small class per distinct vendor text.

Status codes and body shapes belong to render.py; these only carry the text (V3 `title`, V2 `message`)
and, where the vendor sends them, per-field `errors`. Source: /work/shared/vendor-facts/bigcommerce.md.
"""

from __future__ import annotations

from storefake import errors as domain


class MissingScope(domain.Forbidden):
    # Verified body (vendor-facts §1, NangoHQ/nango #7026).
    template = "You don't have a required scope to access the endpoint"


class InvalidCredentials(domain.Unauthorized):
    # Title from the webhooks spec's 401 description; the vendor's exact V3 401 title is UNVERIFIED.
    template = (
        "Unauthorized - the v3 Auth client ID or token in the request are not a valid combination for this store."
    )


class InvalidJSON(domain.Invalid):
    # Verified title (vendor-facts §2, vercel/commerce #635).
    template = "JSON data is missing or invalid"


class InvalidQueryParameter(domain.Invalid):
    template = "The filter(s): %name are not valid filter parameter(s)."


class ResourceNotFound(domain.NotFound):
    # V2's documented 404 text; V3 uses it too where the vendor's own title is UNVERIFIED.
    template = "The requested resource was not found."
