"""ACCS REST endpoints under /{tenant_id}/V1/... and the IMS token endpoint under /ims.

Each endpoint: check the tenant and the bearer token (Magento checks routing and ACL first), parse the
path and body, make one state call, render. Literal routes come before `{customerId}` ones, as Magento's
router prefers an exact match.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from storefake import wire
from storefake.adobe import errors as E
from storefake.adobe import metadata, search, validation
from storefake.adobe.render import (
    MagentoJSON,
    address_json,
    attribute_json,
    customer_json,
    group_json,
    trim_fields,
)
from storefake.adobe.state import RESERVED_TENANT_IDS, AdobeBackend, TenantStore
from storefake.dispatch import header_value
from storefake.runtime import fake_of

if TYPE_CHECKING:
    from storefake.coverage import Operation

# ACL resources of the routes (Customer etc/webapi.xml; DELETE uses the 2.4.9 `::delete`).
CUSTOMER = "Magento_Customer::customer"
MANAGE = "Magento_Customer::manage"
DELETE = "Magento_Customer::delete"
GROUP = "Magento_Customer::group"
CONTENT_TYPE = re.compile(r"^([a-z\d/\-+.]+)(?:; *charset=(.+))?$", re.IGNORECASE)
JSON_TYPES = frozenset({"application/json"})
NO_CONFIRMATION = frozenset({"confirmation"})
FORM_URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


# --- helpers ---------------------------------------------------------------------------------------------


def backend_of(request: Request) -> AdobeBackend:
    return fake_of(request).adobe


def authorized_store(request: Request, resource: str) -> TenantStore:
    """The tenant's store, once the path is a real tenant and the bearer token may use `resource`."""
    tenant_id = request.path_params["tenant_id"]
    if tenant_id in RESERVED_TENANT_IDS:
        raise E.NoRoute()
    if request.method == "HEAD":  # Starlette serves HEAD on GET routes; Magento knows only four methods
        raise E.InvalidMethod()
    backend = backend_of(request)
    scheme, _, token = (header_value(request.scope, b"authorization") or "").partition(" ")
    claims = backend.ims.verify(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if claims is None:
        raise E.ConsumerNotAuthorized(resource)
    if not claims.has_accs:
        raise E.ConsumerForbidden(resource)
    return backend.tenants.get(tenant_id)


def authorize_not_faked(scope: Scope, operation: Operation) -> None:
    """An operation storefake does not fake yet: Magento would still check the tenant and the token
    against the operation's ACL first, so a 501 is only for a caller it would have let in."""
    request = Request(scope)
    if operation.acl == "anonymous":
        if request.path_params["tenant_id"] in RESERVED_TENANT_IDS:
            raise E.NoRoute()
        return
    authorized_store(request, operation.acl or MANAGE)


def path_int(request: Request, name: str) -> int:
    return path_value_int(request.path_params[name])


def path_value_int(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise E.PathTypeInvalid(raw, "int")
    return int(raw)


async def read_body(request: Request) -> Any:
    """The JSON body, with Magento's Content-Type and decoding checks; an empty body is `{}`."""
    raw = await request.body()
    if not raw:
        return {}
    header = (header_value(request.scope, b"content-type") or "").strip()
    if header == "application/json":  # what nearly every client sends: the checks below would pass it
        return _json(raw)
    if not header:
        raise E.ContentTypeEmpty()
    match = CONTENT_TYPE.match(header)
    if match is None:
        raise E.ContentTypeInvalid()
    media_type, charset = match.group(1), match.group(2)
    if charset is not None and charset.strip().lower() != "utf-8":
        raise E.CharsetNotUtf8()
    if media_type.lower() not in JSON_TYPES:
        raise E.MediaTypeNotUnderstood(media_type)
    return _json(raw)


def _json(raw: bytes) -> Any:
    try:
        return wire.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except ValueError as exc:  # malformed, a lone surrogate, too deep (wire.loads), or not UTF-8
        raise E.DecodingError() from exc


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def customer_body(request: Request) -> tuple[Any, dict[str, Any]]:
    body = await read_body(request)
    return body, validation.parse_customer(validation.body_value(body, "customer"))


def respond(request: Request, content: Any) -> Response:
    """A success answer; `?fields=` trims it as Magento's FieldsFilter does (a substring test when absent)."""
    if b"fields" in request.scope["query_string"]:
        content = trim_fields(content, search.nest_query(request.query_params.multi_items()).get("fields"))
    return MagentoJSON(content)


# --- customers ---------------------------------------------------------------------------------------------


async def create_customer(request: Request) -> Response:
    store = authorized_store(request, MANAGE)
    body, fields = await customer_body(request)
    password = validation.body_value(body, "password")
    password = None if password is None else validation.to_str("password", password)
    # AccountManagement sends the welcome or confirmation email, then blanks the key on the object it returns.
    return respond(request, customer_json(store.create_customer(fields, password), omit=NO_CONFIRMATION))


async def get_customer(request: Request) -> Response:
    store = authorized_store(request, CUSTOMER)
    return respond(request, customer_json(store.get_customer(path_int(request, "customerId"))))


async def update_customer(request: Request) -> Response:
    store = authorized_store(request, MANAGE)
    customer_id = path_int(request, "customerId")
    _, fields = await customer_body(request)
    fields.pop("id", None)  # the URL names the customer (see the README's fidelity notes)
    for kept in ("created_at", "updated_at", "created_in"):
        fields.pop(kept, None)
    customer = store.update_customer(customer_id, fields)
    # The tutorial's recorded PUT answer leaves out disable_auto_group_change unless it was sent.
    omit = frozenset() if "disable_auto_group_change" in fields else frozenset({"disable_auto_group_change"})
    return respond(request, customer_json(customer, omit=omit))


async def delete_customer(request: Request) -> Response:
    store = authorized_store(request, DELETE)
    return respond(request, store.delete_customer(path_int(request, "customerId")))


async def search_customers(request: Request) -> Response:
    store = authorized_store(request, CUSTOMER)
    criteria = search.parse_criteria(request.query_params.multi_items())
    result = search.search_customers(store, criteria)
    items = [customer_json(c) for c in result.items]
    return respond(request, {"items": items, "search_criteria": criteria.echo, "total_count": result.total})


async def validate_customer(request: Request) -> Response:
    store = authorized_store(request, MANAGE)
    _, fields = await customer_body(request)
    messages = store.validate_customer(fields)
    return respond(request, {"valid": not messages, "messages": messages})


async def get_customer_permissions_readonly(request: Request) -> Response:
    store = authorized_store(request, CUSTOMER)
    return respond(request, store.is_readonly(path_int(request, "customerId")))


async def get_customer_confirmation(request: Request) -> Response:
    store = authorized_store(request, MANAGE)
    return respond(request, store.confirmation_status(path_int(request, "customerId")))


async def activate_customer(request: Request) -> Response:
    """PUT /V1/customers/{email}/activate with {"confirmationKey": "..."}."""
    store = authorized_store(request, MANAGE)
    body = await read_body(request)
    key = validation.body_value(body, "confirmationKey")
    if key is None:
        raise E.FieldRequired("confirmationKey")
    customer = store.activate_customer(request.path_params["email"], validation.to_str("confirmationKey", key))
    return respond(request, customer_json(customer))


async def resend_confirmation(request: Request) -> Response:
    """POST /V1/customers/confirm with {"email", "websiteId", "redirectUrl"?}: both of the first two required."""
    store = authorized_store(request, MANAGE)
    body = await read_body(request)
    email, website_id = validation.body_value(body, "email"), validation.body_value(body, "websiteId")
    missing = [E.FieldRequired(name) for name, value in (("email", email), ("websiteId", website_id)) if value is None]
    if missing:
        raise E.one_or_many(missing)
    redirect_url = validation.body_value(body, "redirectUrl")
    if redirect_url is not None:
        validation.to_str("redirectUrl", redirect_url)
    email_text = validation.to_str("email", email)
    return respond(request, store.resend_confirmation(email_text, validation.to_int("websiteId", website_id)))


async def create_customer_token(request: Request) -> Response:
    """POST /V1/customers/{customerId}/token: a customer access token for an integration (a JSON string)."""
    store = authorized_store(request, MANAGE)
    return respond(request, store.create_customer_token(path_int(request, "customerId")))


# --- customer groups ---------------------------------------------------------------------------------------


async def get_customer_group(request: Request) -> Response:
    store = authorized_store(request, GROUP)
    return respond(request, group_json(store.groups.get(path_int(request, "id")), store.groups))


async def create_customer_group(request: Request) -> Response:
    store = authorized_store(request, GROUP)
    fields, extension = validation.parse_group(validation.body_value(await read_body(request), "group"))
    with store.lock:
        group = store.groups.save(fields, extension)
    return respond(request, group_json(group, store.groups, extension))


async def update_customer_group(request: Request) -> Response:
    """PUT /V1/customerGroups/{id}: Magento writes the path id into `group.id` before reading the body."""
    store = authorized_store(request, GROUP)
    body = await read_body(request)
    fields, extension = validation.parse_group(validation.body_value(body, "group"))
    fields["id"] = path_int(request, "id")
    with store.lock:
        group = store.groups.save(fields, extension)
    return respond(request, group_json(group, store.groups, extension))


async def delete_customer_group(request: Request) -> Response:
    store = authorized_store(request, GROUP)
    return respond(request, store.delete_customer_group(path_int(request, "id")))


async def search_customer_groups(request: Request) -> Response:
    store = authorized_store(request, GROUP)
    criteria = search.parse_criteria(request.query_params.multi_items(), search.GROUP_SEARCHABLE)
    result = search.search_rows(store.groups.all(), criteria, search.group_value_of(store.groups))
    items = [group_json(group, store.groups) for group in result.items]
    return respond(request, {"items": items, "search_criteria": criteria.echo, "total_count": result.total})


async def get_default_customer_group(request: Request) -> Response:
    """GET /V1/customerGroups/default[/{storeId}] (or ?storeId=): the default group of a store view."""
    store = authorized_store(request, GROUP)
    raw = request.path_params.get("storeId", request.query_params.get("storeId"))
    store_id = None if raw in (None, "") else path_value_int(raw)
    if store_id is not None and store_id not in store.structure.stores:
        raise E.NoSuchEntity("storeId", store_id)
    return respond(request, group_json(store.groups.default_group(), store.groups))


async def set_default_customer_group(request: Request) -> Response:
    store = authorized_store(request, GROUP)
    with store.lock:
        return respond(request, store.groups.set_default(path_int(request, "id")))


async def get_customer_group_permissions(request: Request) -> Response:
    """GET /V1/customerGroups/{id}/permissions: true when the group is read-only (can't be deleted)."""
    store = authorized_store(request, GROUP)
    return respond(request, store.groups.is_readonly(path_int(request, "id")))


# --- attribute metadata (customer and customerAddress) -----------------------------------------------------


def _attributes(request: Request, entity: str, kind: str, key: str | None = None) -> Response:
    store = authorized_store(request, CUSTOMER)
    catalogue = metadata.catalogue()
    if kind == "attribute":
        found: Any = catalogue.get(entity, request.path_params[key or ""])
        return respond(request, attribute_json(found, metadata.options_of(found, store)))
    if kind == "form":
        found = catalogue.form(entity, request.path_params[key or ""])
    else:
        found = catalogue.custom(entity) if kind == "custom" else catalogue.all(entity)
    return respond(request, [attribute_json(a, metadata.options_of(a, store)) for a in found])


async def get_customer_attributes_metadata(request: Request) -> Response:
    return _attributes(request, metadata.CUSTOMER, "all")


async def get_customer_custom_attributes_metadata(request: Request) -> Response:
    return _attributes(request, metadata.CUSTOMER, "custom")


async def get_customer_attribute_metadata(request: Request) -> Response:
    return _attributes(request, metadata.CUSTOMER, "attribute", "attributeCode")


async def get_customer_form_attributes_metadata(request: Request) -> Response:
    return _attributes(request, metadata.CUSTOMER, "form", "formCode")


async def get_address_attributes_metadata(request: Request) -> Response:
    return _attributes(request, metadata.ADDRESS, "all")


async def get_address_custom_attributes_metadata(request: Request) -> Response:
    return _attributes(request, metadata.ADDRESS, "custom")


async def get_address_attribute_metadata(request: Request) -> Response:
    return _attributes(request, metadata.ADDRESS, "attribute", "attributeCode")


async def get_address_form_attributes_metadata(request: Request) -> Response:
    return _attributes(request, metadata.ADDRESS, "form", "formCode")


# --- addresses -----------------------------------------------------------------------------------------------


async def get_address(request: Request) -> Response:
    store = authorized_store(request, MANAGE)
    customer, address = store.get_address(path_int(request, "addressId"))
    return respond(request, address_json(address, customer))


async def delete_address(request: Request) -> Response:
    store = authorized_store(request, MANAGE)
    return respond(request, store.delete_address(path_int(request, "addressId")))


async def get_default_billing_address(request: Request) -> Response:
    return await _default_address(request, "billing")


async def get_default_shipping_address(request: Request) -> Response:
    return await _default_address(request, "shipping")


async def _default_address(request: Request, kind: str) -> Response:
    store = authorized_store(request, MANAGE)
    customer_id = path_int(request, "customerId")
    address = store.get_default_address(customer_id, kind)
    return respond(request, None if address is None else address_json(address, store.get_customer(customer_id)))


# --- Adobe IMS -----------------------------------------------------------------------------------------------


async def issue_token(request: Request) -> Response:
    """POST /ims/token/v3 and /ims/token/v2: parameters from the query, the form body and HTTP Basic client auth.

    The body may be form-urlencoded (what the docs show) or multipart/form-data (what Adobe's aio-lib-ims
    sends); a body without a Content-Type is read as form-urlencoded.
    """
    params = dict(request.query_params)
    params.update(await form_fields(request))
    for key, value in basic_credentials(request.headers.get("authorization", "")).items():
        params.setdefault(key, value)
    return MagentoJSON(backend_of(request).ims.issue_token(params))


async def form_fields(request: Request) -> dict[str, str]:
    """The text fields of a form body (file parts are not parameters); {} for any other body."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not raw or content_type not in ("", FORM_URLENCODED, MULTIPART):
        return {}
    if content_type != MULTIPART:
        return dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    # python-multipart (Starlette's parser) reads the parts; a malformed body is Starlette's 400.
    async with request.form() as form:
        return {key: value for key, value in form.multi_items() if isinstance(value, str)}


def basic_credentials(header: str) -> dict[str, str]:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return {}
    try:
        client_id, sep, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except ValueError:  # not base64 (binascii.Error), not ASCII (header bytes past 0x7f), not UTF-8 inside
        return {}
    return {"client_id": client_id, "client_secret": secret} if sep else {}


ims_routes = [
    Route("/token/v3", issue_token, methods=["POST"]),
    # The older endpoint Adobe's own SDKs still call (aio-lib-ims, umapi-client): the same answer as v3.
    Route("/token/v2", issue_token, methods=["POST"]),
]

routes = [
    # Literal paths before `{customerId}` ones with the same method; the hottest routes first.
    Route("/V1/customers/search", search_customers, methods=["GET"]),
    Route("/V1/customers/{customerId}", get_customer, methods=["GET"]),
    Route("/V1/customers", create_customer, methods=["POST"]),
    Route("/V1/customers/validate", validate_customer, methods=["PUT"]),
    Route("/V1/customers/confirm", resend_confirmation, methods=["POST"]),
    Route("/V1/customers/{customerId}", update_customer, methods=["PUT"]),
    Route("/V1/customers/{customerId}", delete_customer, methods=["DELETE"]),
    Route("/V1/customers/addresses/{addressId}", get_address, methods=["GET"]),
    Route("/V1/customers/{customerId}/billingAddress", get_default_billing_address, methods=["GET"]),
    Route("/V1/customers/{customerId}/shippingAddress", get_default_shipping_address, methods=["GET"]),
    Route("/V1/customers/{customerId}/permissions/readonly", get_customer_permissions_readonly, methods=["GET"]),
    Route("/V1/customers/{customerId}/confirm", get_customer_confirmation, methods=["GET"]),
    Route("/V1/customers/{customerId}/token", create_customer_token, methods=["POST"]),
    Route("/V1/customers/{email}/activate", activate_customer, methods=["PUT"]),
    Route("/V1/addresses/{addressId}", delete_address, methods=["DELETE"]),
    Route("/V1/customerGroups/search", search_customer_groups, methods=["GET"]),
    Route("/V1/customerGroups/default", get_default_customer_group, methods=["GET"]),
    Route("/V1/customerGroups/default/{storeId}", get_default_customer_group, methods=["GET"]),
    Route("/V1/customerGroups/default/{id}", set_default_customer_group, methods=["PUT"]),
    Route("/V1/customerGroups/{id}/permissions", get_customer_group_permissions, methods=["GET"]),
    Route("/V1/customerGroups/{id}", get_customer_group, methods=["GET"]),
    Route("/V1/customerGroups", create_customer_group, methods=["POST"]),
    Route("/V1/customerGroups/{id}", update_customer_group, methods=["PUT"]),
    Route("/V1/customerGroups/{id}", delete_customer_group, methods=["DELETE"]),
    Route("/V1/attributeMetadata/customer", get_customer_attributes_metadata, methods=["GET"]),
    Route("/V1/attributeMetadata/customer/custom", get_customer_custom_attributes_metadata, methods=["GET"]),
    Route("/V1/attributeMetadata/customer/attribute/{attributeCode}", get_customer_attribute_metadata, methods=["GET"]),
    Route("/V1/attributeMetadata/customer/form/{formCode}", get_customer_form_attributes_metadata, methods=["GET"]),
    Route("/V1/attributeMetadata/customerAddress", get_address_attributes_metadata, methods=["GET"]),
    Route("/V1/attributeMetadata/customerAddress/custom", get_address_custom_attributes_metadata, methods=["GET"]),
    Route(
        "/V1/attributeMetadata/customerAddress/attribute/{attributeCode}",
        get_address_attribute_metadata,
        methods=["GET"],
    ),
    Route(
        "/V1/attributeMetadata/customerAddress/form/{formCode}", get_address_form_attributes_metadata, methods=["GET"]
    ),
]
