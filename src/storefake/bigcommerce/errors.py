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


# customers
class PayloadTooLarge(domain.TooLarge):
    # Verified text for product batches (vendor-facts §2); customers' 413 (api-specs PR #1113) reuses it.
    template = "The request payload is too large. The maximum items allowed in the array is %max."


class CreateCustomersFailed(domain.Invalid):
    # Spec example title with errors {".customer_create": ...}; the duplicate-email wording is UNVERIFIED.
    template = "Create customers failed."


class UpdateCustomersFailed(domain.Invalid):
    # By analogy with "Create customers failed." (UNVERIFIED).
    template = "Update customers failed."


class CreateAddressesFailed(domain.Invalid):
    # By analogy with "Create customers failed." (UNVERIFIED).
    template = "Create addresses failed."


class UpdateAddressesFailed(domain.Invalid):
    # By analogy with "Create customers failed." (UNVERIFIED).
    template = "Update addresses failed."


class CreateAttributesFailed(domain.Invalid):
    # By analogy with "Create customers failed." (UNVERIFIED), errors {".attribute_create": ...}.
    template = "Create customer attributes failed."


class UpdateAttributesFailed(domain.Invalid):
    # By analogy with "Create customers failed." (UNVERIFIED), errors {".attribute_update": ...}.
    template = "Update customer attributes failed."


class AttributeValuesFailed(domain.Invalid):
    # By analogy with "Create customers failed." (UNVERIFIED), errors {".attribute_value_upsert": ...}.
    template = "Upsert customer attribute values failed."


class FormFieldValuesFailed(domain.Invalid):
    # By analogy with "Create customers failed." (UNVERIFIED), errors {".form_field_value_upsert": ...}.
    template = "Upsert form field values failed."


class CredentialChecksExceeded(domain.TooMany):
    # Verified example body of POST /v3/customers/validate-credentials's 429 (customers.v3.yml).
    template = "Too many requests"


class CustomerGroupNameTaken(domain.AlreadyExists):
    # V2 409 for a second group of the same name (case-insensitive); rule and wording UNVERIFIED.
    template = "A customer group with the name '%name' already exists."


# orders
class LimitTooLarge(domain.TooLarge):
    # Verified V2 body with details {"max_limit": 250} (vendor-facts §2, I4).
    template = "The specified limit exceeds the maximum allowed."


class RequiredFieldMissing(domain.Invalid):
    # V2 wording UNVERIFIED.
    template = "The required field '%field' was not supplied."


class FieldInvalid(domain.Invalid):
    # V2 wording UNVERIFIED.
    template = "The field '%field' is invalid."


class FieldReadOnly(domain.Invalid):
    # Verified V2 text (S1 orders spec example).
    template = "The field '%field' cannot be written to. Please remove it from your request before trying again."


class OrderProductUnknown(domain.Invalid):
    # V2 wording UNVERIFIED.
    template = "The product with ID %id was not found."


class OrderProductOutOfStock(domain.Invalid):
    # V2 wording UNVERIFIED.
    template = "The product '%name' does not have enough stock: %left left."


class ShipmentQuantityTooLarge(domain.Invalid):
    # V2 wording UNVERIFIED.
    template = "The quantity for order product %id exceeds the quantity left to ship (%left)."


# orders V3: refund quotes and refunds (reference/orders.v3.yml)
class RefundInvalid(domain.Invalid):
    # Schema failures of a quote or refund body: the spec's 422 example title (422_UnprocessableEntity).
    template = "JSON data is missing or invalid"


class RefundStoreCreditGuest(domain.Invalid):
    # Verified example of POST .../payment_actions/refunds.
    template = "Unable to provide store credit for a guest customer."


class RefundTooLarge(domain.Invalid):
    # More than the order has left to refund: the vendor's own wording, from the batch refund-quote example
    # orders.v3.yml carried until DEVDOCS-5969 removed that endpoint ("error": "Refund amount is greater than
    # remaining amount").
    template = "Refund amount is greater than remaining amount"


class RefundAmountMismatch(domain.Invalid):
    # The spec: payment amounts must match the refund's amount "to best avoid a 422"; wording UNVERIFIED.
    template = "The payments total %paid does not match the refund amount %total."


class RefundProviderUnavailable(domain.Invalid):
    # A provider the refund quote doesn't offer for the order; wording UNVERIFIED.
    template = "The payment provider %provider is not available to refund this order."


class RefundItemInvalid(domain.Invalid):
    # An item that isn't the order's or has less left to refund than asked; wording UNVERIFIED.
    template = "The %type item %id cannot be refunded as requested."


# catalog
# The vendor's exact 404/409 titles for the catalog are UNVERIFIED (vendor-facts §2, §9); these follow the
# "<the resource> is a duplicate" wording seen in real 409 bodies and keep per-field `errors` as the spec does.
class MissingRequiredFields(domain.Invalid):
    # S1 migration/4_errors.md: product create/batch without name/type/weight/price.
    template = "Missing Required Fields"


class BatchTooLarge(domain.TooLarge):
    # Verified for products (10) and variants (50) (vendor-facts §2).
    template = "The request payload is too large. The maximum items allowed in the array is %max."


class DuplicateProductName(domain.AlreadyExists):
    template = "The product name is a duplicate"


class DuplicateSku(domain.AlreadyExists):
    template = "The product sku is a duplicate"


class DuplicateCustomUrl(domain.AlreadyExists):
    template = "The custom url is a duplicate"


class DuplicateCategoryName(domain.AlreadyExists):
    template = "The category name is a duplicate"


class DuplicateBrandName(domain.AlreadyExists):
    template = "The brand name is a duplicate"


class InvalidReference(domain.AlreadyExists):
    # vendor-facts §2: bad brand/category references on a product are a 409.
    template = "The %field %value does not exist"


class FilterRequired(domain.Invalid):
    # DELETE by filter without a filter (products, categories, brands); title UNVERIFIED.
    template = "At least one filter is required."


class CategoryInUse(domain.Invalid):
    # vendor-facts §4: deleting a category that still holds products is a 422; title UNVERIFIED.
    template = "The category %id has products assigned and cannot be deleted"


class AssignmentFilterRequired(domain.Invalid):
    # The spec's 422 descriptions for DELETE /catalog/products/channel-assignments and /category-assignments
    # (the wording of the title is UNVERIFIED).
    template = "At least one filter must be provided in order to delete %kind assignments"


class TooManyProductCategories(domain.Invalid):
    template = "A product can't be in more than %max categories"  # UNVERIFIED (the spec's limit: 1,000)


class TreeBatchTooLarge(domain.TooLarge):
    # Verified text (category-trees spec, 413 example of PUT /catalog/trees).
    template = "The request payload is too large. The maximum trees allowed in the array is %max."


class ParentCategoryNotFound(domain.Invalid):
    template = "The parent category %id does not exist"


class ImageUrlRequired(domain.Invalid):
    # Verified title (vendor-facts §2).
    template = "image_url must be present if uploading by url"


class TooManyImages(domain.Invalid):
    # The limit is the spec's ("A product can have up to 1000 images."); the title is UNVERIFIED.
    template = "A product can have up to %max images"


class ImageFileRequired(domain.Invalid):
    template = "image_file must be present if uploading by file"  # UNVERIFIED: the image_url text's twin


class ImageFileInvalid(domain.Invalid):
    # UNVERIFIED wording; the types are the spec's (products_catalog.v3.yml, Create a Product Image).
    template = "The image_file is not an image of a supported type (BMP, GIF, JPEG, PNG, WBMP, XBM or WEBP)"


class ImageFileTooLarge(domain.TooLarge):
    template = "The image_file is larger than %max"  # UNVERIFIED wording; the 8 MB limit is the spec's


# options and modifiers (spec: 409 for "duplicate unique fields, such as name", 422 for invalid data; the
# titles are UNVERIFIED and follow the catalog's "<the field> is a duplicate" wording)
class DuplicateOptionName(domain.AlreadyExists):
    template = "The option name is a duplicate"


class DuplicateOptionDisplayName(domain.AlreadyExists):
    template = "The option display name is a duplicate"


class DuplicateOptionValue(domain.Invalid):
    # The value endpoints document only 422.
    template = "The option value label is a duplicate"


class TooManyOptionValues(domain.Invalid):
    # Spec: "250 option values per option limit".
    template = "An option can't have more than %max values"


class UnknownOptionValue(domain.Invalid):
    template = "The option value %value_id of option %option_id does not exist on this product"


class CheckboxValuesFixed(domain.Invalid):
    # The catalog guide: a checkbox gets its two values, `Yes` and `No`, when created; the text is UNVERIFIED.
    template = "A checkbox modifier has exactly the values Yes and No; they can only be updated"


# custom fields and bulk pricing rules (titles UNVERIFIED; the spec documents 422 for custom fields and 409
# for overlapping bulk pricing rules)
class DuplicateCustomField(domain.Invalid):
    # Spec: "Every name-value pair must be unique inside a product."
    template = "The custom field name and value pair is a duplicate"


class TooManyCustomFields(domain.Invalid):
    # Spec: "200 custom fields per product limit."
    template = "A product can't have more than %max custom fields"


class BulkPricingOverlap(domain.AlreadyExists):
    # Spec: 409 for "quantity range overlapping with existing bulk pricing rules".
    template = "The bulk pricing rule overlaps another rule of the product"


class InsufficientStock(domain.Invalid):
    # Raised by CatalogState.adjust_inventory(floor=...) for orders; the order renderer words it for V2.
    template = "The product %product_id does not have enough stock (%available left)."


# channels (reference/channels.v3.yml examples)
class ChannelNotFound(domain.NotFound):
    # Verified example title of GET /v3/channels/{channel_id} (error_404_resp_example).
    template = "Not found"


class ChannelInvalid(domain.Invalid):
    # Verified example title with Play-style per-field codes (error_422_channel_resp_example).
    template = "JSON data is missing or invalid"


class ChannelPlatformUnsupported(domain.Invalid):
    # Verified example title (error_422_invalid_type_platform_combination_resp_example).
    template = "Input channel type [%type] with platform [%platform] is not supported"


class ChannelQueryInvalid(domain.Invalid):
    # Verified example title for a bad `limit` (error_422_invalid_filter_value_resp_example); the same
    # wording for other parameters and for booleans is UNVERIFIED.
    template = 'Query parameter "%name" value must be %kind. For input string: "%value".'


# metafields (one catalogue for every owner type: products, variants, categories, brands, customers, orders)
class MetafieldInputInvalid(domain.DomainError):
    # A body that is not JSON: the metafield specs' documented 400 {"title": "Input is invalid", "detail":
    # "Syntax error"} (products_catalog.v3.yml et al.); the renderer answers 400 for a DomainError outside
    # its status table.
    template = "Input is invalid"


class MetafieldNotFound(domain.NotFound):
    # The customers spec's 404 example for a metafield (customers.v3.yml).
    template = "The resource at that URL is not found."


class MetafieldConflict(domain.AlreadyExists):
    # 409 for a second (client, resource, namespace, key): the specs describe it but show no title; this
    # wording follows their description (UNVERIFIED).
    template = "The Metafield was in conflict with another Metafield."


class MetafieldInvalid(domain.Invalid):
    # Field failures: the V3 schema title with Play-style codes per field, as the other V3 families answer.
    template = "JSON data is missing or invalid"


class MetafieldLimitReached(domain.Invalid):
    # The specs: at most 250 metafields per resource and client id; the 422 wording is UNVERIFIED.
    template = "The maximum of %max metafields for this resource has been reached."


class MetafieldForbidden(domain.Forbidden):
    # The specs: changing another account's metafield (unless its permission_set is write*) is a 403; the
    # batch example's "Unauthorized to delete" wording, per action (UNVERIFIED for single endpoints).
    template = "Unauthorized to %action"


class MetafieldBatchFailed(domain.Invalid):
    # The specs' Error example for a partly failed batch: {"title": "Bulk operation has failed", "errors":
    # {"1": "Unauthorized to delete", "2": "Metafield does not exist"}}.
    template = "Bulk operation has failed"


# inventory and locations (reference/inventory.v3.yml, locations.v3.yml)
class LocationNotFound(domain.NotFound):
    # 404 for a location in the path or a delete; the specs show no title (UNVERIFIED).
    template = "Location with id %id not found"


class LocationUnknown(domain.Invalid):
    # The same text as a 422, where the endpoint documents only 422 (updates, adjustments; UNVERIFIED).
    template = "Location with id %id not found"


class LocationInvalid(domain.Invalid):
    # Location bodies: the V3 schema title with Play-style codes keyed `[n].field` (UNVERIFIED keys).
    template = "JSON data is missing or invalid"


class LocationCodeTaken(domain.Invalid):
    # `code` is the location's "user-defined unique identifier"; the wording is UNVERIFIED.
    template = "Location with code %code already exists"


class LocationLimitReached(domain.Invalid):
    # locations.v3.yml: "Limit of 100 active locations"; the wording is UNVERIFIED.
    template = "The limit of %max active locations has been reached"


class LocationsMissing(domain.Invalid):
    # DELETE /inventory/locations without its required `location_id:in` (UNVERIFIED wording).
    template = "The filter(s): location_id:in are required."


class LocationDeleteOrigin(domain.Invalid):
    # Example of DELETE /inventory/locations; the spec prints every apostrophe as U+02BC (its typography:
    # app\u02bcs, store\u02bcs), so the answer is taken to have plain ones (UNVERIFIED).
    template = "Location can't be deleted. %label is set as a shipping origin for this store and can't be deleted."


class LocationDisabled(domain.Invalid):
    # A disabled location's stock can't be edited (inventory-locations.mdx); the wording is UNVERIFIED.
    template = "Location with id %id is disabled"


class AdjustmentInvalid(domain.Invalid):
    template = "JSON data is missing or invalid"


class AdjustmentBatchTooLarge(domain.TooLarge):
    # inventory.v3.yml: "Limit of 2000 items for payload length"; worded as the catalog's verified 413.
    template = "The request payload is too large. The maximum items allowed in the array is %max."


class ItemTrackedElsewhere(domain.Invalid):
    # Verified example: "[Item with variant_id 106 is tracked by product, please update stock by product id]".
    template = "[Item with %identity is tracked by %mode, please update stock by %by]"


class ItemNotFound(domain.Invalid):
    # Worded after the verified tracking error (UNVERIFIED).
    template = "[Item with %identity does not exist]"


class ItemNeedsAbsoluteAdjustment(domain.Invalid):
    # Verified example: "Items with identity: [product_id 113] requires absolute adjustment before relative".
    template = "Items with identity: [%identity] requires absolute adjustment before relative"


class ItemNotEnoughStock(domain.Invalid):
    # inventory-adjustments.mdx: a relative adjustment below the safety stock errors; wording UNVERIFIED.
    template = "Items with identity: [%identity] do not have enough stock at location %location"


class SettingsInvalid(domain.Invalid):
    # Verified example title, with errors such as {"setting.0.settings": "At least one setting must be ..."}.
    template = "Payload contains invalid fields"


# rate limits
class RateLimited(domain.TooMany):
    # vendor-facts §1: docs show only the headers of a 429; this title (the HTTP reason phrase) is UNVERIFIED.
    template = "Too Many Requests"


# hooks
class WebhookNotFound(domain.NotFound):
    # Title from the webhooks spec's 404 example (vendor-facts §2).
    template = "Webhook with id [%id] not found"


class WebhookInvalid(domain.Invalid):
    # Schema failures on /v3/hooks bodies: the verified 422 title, errors keyed by field with Play-style
    # codes (`error.path.missing`, `error.expected.jsstring`), as in vendor-facts §2.
    template = "JSON data is missing or invalid"


class WebhookDestinationInvalid(domain.Invalid):
    # The vendor takes only https destinations on port 443 (vendor-facts §7); wording UNVERIFIED.
    template = "Destination must be a valid https URL on port 443"


class WebhookLimitReached(domain.Invalid):
    # vendor-facts §7: at most 10 hooks per store, client and scope; status and wording UNVERIFIED.
    template = "You can't create more than %max webhooks for the scope %scope"


class WebhookDuplicate(domain.Invalid):
    # vendor-facts §7: one hook per store, client, scope and destination; wording UNVERIFIED, and 422 because
    # the webhooks spec lists only 400/401/422 for a create.
    template = "A webhook for the scope %scope and this destination already exists"


# oauth
class OAuthInvalidClientId(domain.Invalid):
    # vendor-facts §1 (I6): 400 {"error": "Invalid client id."}.
    template = "Invalid client id."


class OAuthInvalidClientSecret(domain.Invalid):
    # vendor-facts §1 (I6): 400 {"error": "invalid_client", "error_description": ...}.
    template = "invalid_client"


class OAuthInvalidCode(domain.Invalid):
    # vendor-facts §1 (I6): 400 {"error": "Invalid code."}.
    template = "Invalid code."


class OAuthInvalidGrant(domain.Invalid):
    # Reused code (vendor-facts §1, omniauth-bigcommerce #36) and a redirect_uri or context that doesn't
    # match the code's: OAuth 2's `invalid_grant`; the error_description wording is UNVERIFIED.
    template = "invalid_grant"


class OAuthInvalidRequest(domain.Invalid):
    # Missing parameters / unsupported grant_type: RFC 6749 §5.2 codes; the vendor's wording is UNVERIFIED.
    template = "invalid_request"


class OAuthUnsupportedGrantType(domain.Invalid):
    template = "unsupported_grant_type"


class OAuthNotOwner(domain.Forbidden):
    # vendor-facts §1 (I6): 403 for a user who isn't the store owner.
    template = "Only store owners may install or update apps. Please contact the store owner for assistance"
