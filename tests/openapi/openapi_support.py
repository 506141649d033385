"""Schemathesis wiring shared by the OpenAPI tests: custom string formats, vendor credentials, check helpers."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import httpx
import schemathesis
from hypothesis import strategies as st
from schemathesis import checks as C
from schemathesis.config import SchemathesisConfig

import storefake
from storefake.bigcommerce.routes import catalog as catalog_routes
from storefake.bigcommerce.routes import catalog_trees as tree_routes
from storefake.transport import SyncASGITransport

SEED = 5
TENANT = "AbCYab34cdEfGHiJ27123"
STORE = "abc123"
BC_TOKEN = "storefake-bc-token"
IMS_FORM = {
    "grant_type": "client_credentials",
    "client_id": "storefake-accs-client",
    "client_secret": "storefake-accs-secret",
    "scope": "openid,AdobeID,commerce.accs",
}

# Formats the documents name for rules JSON Schema cannot say: Magento's Validator\Name (letters, marks,
# digits and a little punctuation), text without a <script> element, and the password strength rules.
_NAME = st.text(st.characters(categories=("L", "M", "N"), max_codepoint=0x2FFF), min_size=1, max_size=30).map(
    lambda s: s if s.strip() else "A"
)
schemathesis.openapi.format("magento-name", _NAME)
schemathesis.openapi.format("magento-text", st.text(st.characters(categories=("L", "N", "Zs")), max_size=40))
# A customer group code: not blank (Magento's NotEmpty), at most 32 characters.
schemathesis.openapi.format("magento-code", st.text(st.characters(categories=("L", "N")), min_size=1, max_size=32))
schemathesis.openapi.format(
    "magento-password",
    st.tuples(st.sampled_from(["Aa1", "bB2", "Zz9!"]), st.text("abcXYZ0123#$", min_size=5, max_size=20)).map(
        lambda parts: parts[0] + parts[1]
    ),
)


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _at(body: object, path: tuple[object, ...]) -> object:
    for key in path:
        found = (isinstance(body, dict) and key in body) or (
            isinstance(body, list) and isinstance(key, int) and key < len(body)
        )
        if found:
            body = body[key]  # type: ignore[index]
        else:
            return None
    return body


def _only_scalar_type_errors(case: schemathesis.Case) -> bool:
    """Without mutation records (plain fuzzing): every way the body breaks its schema is a scalar-for-scalar
    type swap or a custom format, which Magento converts or schemathesis cannot negate."""
    bodies = list(getattr(case.operation, "body", ()) or ())
    if not bodies or case.body is None:
        return False
    errors = list(bodies[0].get_validator().iter_errors(case.body))
    return bool(errors) and all(
        (type(e.kind).__name__ == "Type" and _scalar(e.instance)) or type(e.kind).__name__ == "Format" for e in errors
    )


def is_php_scalar_conversion(case: schemathesis.Case) -> bool:
    """Whether a negative case only swaps one scalar type for another in the body.

    Magento's ServiceInputProcessor (and its searchCriteria parsing) converts scalars the PHP way (a number
    where a string is declared becomes its text, a numeric string becomes an int, null is "not sent";
    vendor facts §4), so such a body is not invalid data for the Adobe API even though JSON Schema says so.
    """
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    mutations = getattr(data, "mutations", ()) or ()
    if mutations:
        return all(
            set(m.keywords) <= {"type"}
            and _scalar(m.new_value)
            and (
                m.parameter_location.value == "query"
                or (m.parameter_location.value == "body" and _scalar(_at(case.body, tuple(m.path))))
            )
            for m in mutations
        )
    description = str(getattr(data, "description", "") or "")
    if description.strip() in ("", "in body") or not getattr(data, "parameter_location", None):
        return _only_scalar_type_errors(case)
    location = getattr(getattr(data, "parameter_location", None), "value", None)
    if location != "body" or not description.endswith(": Incorrect type"):
        return False
    # Follow the described path ("customer -> addresses -> Array with invalid items: street -> ...").
    nodes: list[object] = [case.body]
    for token in re.split(r" -> |: ", description)[:-1]:
        nodes = [i for n in nodes for i in (n if isinstance(n, list) else [n])]
        nodes = [n[token] for n in nodes if isinstance(n, dict) and token in n] or nodes
    items = [i for n in nodes for i in (n if isinstance(n, list) else [n])]
    return bool(items) and all(_scalar(i) for i in items)


# --- checks ----------------------------------------------------------------------------------------------

# Bodies that name other records (an address's customer, a batch item's id, a shipment's order lines) or
# carry unique keys (a customer batch repeating one email): BigCommerce answers 400/422, not 404/409, when
# the record does not exist or the key is taken, and no JSON Schema can promise either.
BC_REFERENCING = frozenset(
    {"createAddresses", "updateAddresses", "updateCustomers", "createShipment", "createCustomers"}
    | {"updateProducts", "updateVariants"}  # a batch naming one id twice is 422 error.duplicate
    # Metafield batches name their resources (POST) or metafields (PUT, DELETE): a missing one is a failed
    # item, which makes the batch's answer 422 (partial success).
    | {
        f"{verb}{owner}sMetafields"
        for verb in ("create", "update", "delete")
        for owner in ("Product", "Variant", "Category", "Brand", "Customer", "Order", "Location")
    }
    | {"createHook"}  # one hook per scope and destination, ten per scope: a replayed create is 422
    | {"createCustomField"}  # a product's name-value pairs are unique: a replayed create is 422
    # A bulk pricing rule's quantity_max must exceed its quantity_min (unless 0) and a fixed rule starts at 2:
    # relations between fields, which JSON Schema cannot state.
    | {"createBulkPricingRule", "updateBulkPricingRule"}
    | {"updateTreeCategories"}  # items name their category_id
    | {"createChannelAssignments", "createCategoryAssignments"}  # items name products, channels and categories
    # Inventory: items named by random ids don't exist (422), location codes are unique, location 1 can't
    # be deleted, a physical location needs an address (no schema can say "required when type_id is X").
    | {"createLocations", "updateLocations", "deleteLocations", "updateLocationItems"}
    | {"putAbsoluteAdjustment", "postRelativeAdjustment"}
    # Refund items name order products and addresses; a refund's payments must match what it prices.
    | {"createOrderRefundQuotes", "createOrderRefund"}
    # A group name another group has is 409; a price_list rule beside others, or two `all` rules, is 400.
    | {"createCustomerGroup", "updateCustomerGroup"}
    # Attribute names are unique (a batch may repeat one); renames and values name attributes and customers
    # that must exist; form-field values name customers or addresses; consent may allow and deny one category.
    | {"createCustomerAttributes", "updateCustomerAttributes", "upsertCustomerAttributeValues"}
    | {"upsertCustomerFormFieldValues", "updateCustomerConsent"}
)
# Multipart uploads whose file must be an image by its bytes, which no JSON Schema can say.
BC_UPLOADS = frozenset({"createImage"})


FILTER = "searchCriteria[filterGroups][0][filters][0]"


def is_search_without_filter(case: schemathesis.Case) -> bool:
    """A search with neither filter field nor value: valid for Magento (the filter is optional as a whole).

    The document marks the field required because a value without a field is refused, and OpenAPI cannot
    say "required only together with another parameter".
    """
    query = case.query or {}
    return case.path.endswith("/search") and f"{FILTER}[field]" not in query and f"{FILTER}[value]" not in query


def is_custom_format_negation(case: schemathesis.Case) -> bool:
    """A negative case that only breaks a custom `format` (magento-name, magento-text, magento-password).

    Schemathesis cannot build a value that fails a format it does not know, so such a case may well be
    valid; the formats' rules are checked by the positive cases and the vendor tests instead.
    """
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    mutations = getattr(data, "mutations", ()) or ()
    if mutations:
        return all(set(m.keywords) == {"format"} for m in mutations)
    return "violates `format`" in str(getattr(data, "description", "") or "")


def adobe_negative_data_rejection(ctx, response, case):  # type: ignore[no-untyped-def]
    """negative_data_rejection, except for scalar conversions Magento performs on purpose."""
    if is_php_scalar_conversion(case) or is_search_without_filter(case) or is_custom_format_negation(case):
        return None
    return C.negative_data_rejection(ctx, response, case)


def bc_positive_data_acceptance(ctx, response, case):  # type: ignore[no-untyped-def]
    """positive_data_acceptance, except for missing references and taken unique keys (vendor behaviour)."""
    operation = case.operation.definition.raw.get("operationId")
    if operation in BC_REFERENCING and response.status_code in (400, 422):
        return None
    if operation in BC_UPLOADS and case.media_type == "multipart/form-data" and response.status_code == 422:
        return None
    return C.positive_data_acceptance(ctx, response, case)


def not_a_server_error(ctx, response, case):  # type: ignore[no-untyped-def]
    """not_a_server_error, except the 501 for a vendor operation storefake does not fake yet (a method the
    document leaves out of a path, which schemathesis tries, may be such an operation)."""
    if response.status_code == 501 and any(k.lower() == "x-storefake-unimplemented" for k in response.headers):
        return None
    return C.not_a_server_error(ctx, response, case)


COMMON_CHECKS = [
    not_a_server_error,
    C.status_code_conformance,
    C.content_type_conformance,
    C.response_headers_conformance,
    C.response_schema_conformance,
    C.use_after_free,
    C.ensure_resource_availability,
    C.ignored_auth,
]
ADOBE_DUPLICATES = (
    "A customer with the same email address already exists in an associated website.",
    "Customer Group already exists.",
    # Which group is the default (undeletable) one is state: PUT /V1/customerGroups/default/{id} moves it.
    "Cannot delete group.",
)


def adobe_positive_data_acceptance(ctx, response, case):  # type: ignore[no-untyped-def]
    """positive_data_acceptance, except Magento's 400s that state decides (a taken email or group code, the
    default group), which no schema rule can express.

    Only reachable where one sequence creates twice (the stateful phase); single cases start from a reset.
    """
    if response.status_code == 400 and any(text in response.text for text in ADOBE_DUPLICATES):
        return None
    # IMS checks the credentials themselves (an unknown client or scope is no schema rule).
    if response.status_code == 400 and case.path.startswith("/ims/") and IMS_CREDENTIAL_ERRORS.search(response.text):
        return None
    return C.positive_data_acceptance(ctx, response, case)


IMS_CREDENTIAL_ERRORS = re.compile(r'"error":"(invalid_client|invalid_scope)"')
ADOBE_CHECKS = [*COMMON_CHECKS, adobe_negative_data_rejection, adobe_positive_data_acceptance]


# Filter deletes: the document marks one filter (`id:in`, brands `name`, ...) required because BigCommerce
# refuses a DELETE with no filter at all, but any one of the operation's filters is enough for the vendor
# (and the fake).
BC_FILTER_DELETES: dict[str, Collection[str]] = {
    "deleteProducts": catalog_routes.PRODUCT_DELETE_FILTERS,
    "deleteCategories": catalog_routes.CATEGORY_FILTERS,
    "deleteBrands": catalog_routes.BRAND_FILTERS,
    "deleteTreeCategories": {*tree_routes.DELETE_FILTERS, "category_uuid"},
    "deleteChannelAssignments": {"product_id", "channel_id"},
    "deleteCategoryAssignments": {"product_id", "category_id"},
}


def is_filter_delete_with_another_filter(case: schemathesis.Case) -> bool:
    """A filter delete whose documented filter is missing but which names another filter the vendor takes."""
    filters = BC_FILTER_DELETES.get(case.operation.definition.raw.get("operationId", ""))
    return filters is not None and any(key.split(":")[0] in filters for key in (case.query or {}))


def bc_negative_data_rejection(ctx, response, case):  # type: ignore[no-untyped-def]
    """negative_data_rejection, except scalar swaps in V2 bodies (V2 is PHP and reads a number as text too)
    and filter deletes that still carry a filter."""
    if "/v2/" in case.path and is_php_scalar_conversion(case):
        return None
    if is_filter_delete_with_another_filter(case):
        return None
    return C.negative_data_rejection(ctx, response, case)


BC_CHECKS = [*COMMON_CHECKS, bc_negative_data_rejection, bc_positive_data_acceptance]


# --- vendors ---------------------------------------------------------------------------------------------


@dataclass
class Vendor:
    """One vendor's app, schema (fetched from the app's own /__storefake/openapi route), auth and checks."""

    app: Any
    schema: Any
    auth: dict[str, str]
    auth_prefix: str
    checks: list[Any]
    pinned: dict[str, str]

    def headers_for(self, case: schemathesis.Case) -> dict[str, str] | None:
        return self.auth if case.path.startswith(self.auth_prefix) else None


def _config(parameters: dict[str, str], max_examples: int, **extra: Any) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {
                "mode": "all",
                "max-examples": max_examples,
                "deterministic": True,
                "with-security-parameters": False,
            },
            "parameters": parameters,
            # The stateful phase follows the documents' own links only: links inferred from the ~400 operations
            # multiply the sequences (minutes of CI) and test what the documents don't promise.
            "phases": {"stateful": {"inference": {"algorithms": []}}},
            **extra,
        }
    )


def ims_token(app: Any) -> str:
    """A real token from the app's IMS endpoint (Adobe's server-to-server flow)."""
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
        response = client.post("/ims/token/v3", data=IMS_FORM)
        response.raise_for_status()
        return str(response.json()["access_token"])


def adobe(max_examples: int = 10, app: Any = None) -> Vendor:
    app = app or storefake.create_app()
    config = _config({"tenant_id": TENANT}, max_examples)
    schema = schemathesis.openapi.from_asgi("/__storefake/openapi/adobe.json", app, config=config)
    auth = {"Authorization": f"Bearer {ims_token(app)}"}
    return Vendor(app, schema, auth, "/{tenant_id}", ADOBE_CHECKS, {"tenant_id": TENANT})


def bigcommerce(max_examples: int = 5, app: Any = None) -> Vendor:
    app = app or storefake.create_app()
    # 413 is BigCommerce's answer to a batch above its item limit (vendor facts §2, §5).
    rejected = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429]
    config = _config(
        {"store_hash": STORE}, max_examples, checks={"negative_data_rejection": {"expected-statuses": rejected}}
    )
    schema = schemathesis.openapi.from_asgi("/__storefake/openapi/bigcommerce.json", app, config=config)
    return Vendor(app, schema, {"X-Auth-Token": BC_TOKEN}, "/stores/", BC_CHECKS, {"store_hash": STORE})
