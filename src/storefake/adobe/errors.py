"""The Magento / ACCS and Adobe IMS error catalogue: one small class per vendor text.

Texts are Magento's raw templates (placeholders kept, values in `parameters`), as the REST renderer
sends them; see /work/shared/vendor-facts/adobe-commerce.md §4. Texts Magento renders before sending
(type errors, Content-Type errors, EAV validator messages) are passed in already filled, with no
parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from storefake.errors import DomainError, Forbidden, Invalid, NotFound, Unauthorized

# --- routing and authorization ---------------------------------------------------------------------


class NoRoute(NotFound):
    template = "Request does not match any route."


class InvalidMethod(Invalid):
    template = "Request method is invalid."


class ConsumerNotAuthorized(Unauthorized):
    """No, malformed, unknown or expired bearer token (401); the parameter is the route's ACL."""

    template = "The consumer isn't authorized to access %resources."

    def __init__(self, resources: str) -> None:
        super().__init__(parameters={"resources": resources})


class ConsumerForbidden(Forbidden):
    """A valid IMS token whose scopes lack `commerce.accs` (403, same body as the 401)."""

    template = ConsumerNotAuthorized.template

    def __init__(self, resources: str) -> None:
        super().__init__(parameters={"resources": resources})


# --- request decoding --------------------------------------------------------------------------------


class ContentTypeEmpty(Invalid):
    template = "Content-Type header is empty."


class ContentTypeInvalid(Invalid):
    template = "Content-Type header is invalid."


class CharsetNotUtf8(Invalid):
    template = "UTF-8 is the only supported charset."


class MediaTypeNotUnderstood(Invalid):
    template = "Server cannot understand Content-Type HTTP header media type %1"

    def __init__(self, media_type: str) -> None:
        # Magento substitutes the type itself (a Webapi\Exception), so no parameters go out.
        super().__init__(self.template.replace("%1", media_type))


class DecodingError(Invalid):
    template = "Decoding error."


class FieldRequired(Invalid):
    template = '"%fieldName" is required. Enter and try again.'

    def __init__(self, field_name: str) -> None:
        super().__init__(parameters={"fieldName": field_name})


class FieldNotSupported(Invalid):
    template = '"%fieldName" is not supported. Correct the field name and try again.'

    def __init__(self, field_name: str) -> None:
        super().__init__(parameters={"fieldName": field_name})


class PathTypeInvalid(Invalid):
    """A path parameter of the wrong scalar type (rendered text, no parameters)."""

    template = 'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.'

    def __init__(self, value: str, expected: str) -> None:
        super().__init__(self.template.replace("%value", value).replace("%type", expected))


class BodyTypeInvalid(Invalid):
    """A body field of the wrong type (rendered text, no parameters), e.g. group_id "x"."""

    template = 'Error occurred during "%field" processing. ' + PathTypeInvalid.template

    def __init__(self, field: str, value: str, expected: str) -> None:
        text = self.template.replace("%field", field).replace("%value", value).replace("%type", expected)
        super().__init__(text)


class InputErrors(Invalid):
    """Several input errors at once: Magento's aggregated InputException."""

    template = "One or more input exceptions have occurred."

    def __init__(self, errors: Sequence[DomainError]) -> None:
        super().__init__(errors=list(errors))


def one_or_many(errors: Sequence[DomainError]) -> DomainError:
    """Magento's addError rule: one error goes out as itself, two or more as InputErrors."""
    return errors[0] if len(errors) == 1 else InputErrors(errors)


# --- customers ---------------------------------------------------------------------------------------


class NoSuchEntity(NotFound):
    template = "No such entity with %fieldName = %fieldValue"

    def __init__(self, field_name: str, value: Any) -> None:
        super().__init__(parameters={"fieldName": field_name, "fieldValue": value})


class NoSuchEntityPair(NotFound):
    """CustomerRegistry::retrieveByEmail: no customer with this email in this website."""

    template = "No such entity with %fieldName = %fieldValue, %field2Name = %field2Value"

    def __init__(self, field_name: str, value: Any, field2_name: str, value2: Any) -> None:
        parameters = {"fieldName": field_name, "fieldValue": value, "field2Name": field2_name, "field2Value": value2}
        super().__init__(parameters=parameters)


class AlreadyActive(Invalid):
    template = "The account is already active."


class ConfirmationKeyInvalid(Invalid):
    template = "The confirmation token is invalid. Verify the token and try again."


class ConfirmationNotNeeded(Invalid):
    template = "Confirmation isn't needed."


class EmailRequiredForAccount(Invalid):
    template = "The email address is required to create a customer account."


class EmailMissing(Invalid):
    template = "The customer email is missing. Enter and try again."


class EmailExists(Invalid):
    template = "A customer with the same email address already exists in an associated website."


class ValidatorFailed(Invalid):
    """EAV / Name validator messages: already rendered, joined by newlines, listed in `errors` if several."""

    def __init__(self, messages: Sequence[str]) -> None:
        items: list[DomainError] | None = None
        if len(messages) > 1:
            items = [Invalid(text, []) for text in messages]
        super().__init__("\n".join(messages), errors=items)
        self.messages = list(messages)


class PasswordTooLong(Invalid):
    template = "Please enter a password with at most %1 characters."

    def __init__(self, maximum: int) -> None:
        super().__init__(parameters=[maximum])


class PasswordTooShort(Invalid):
    template = "The password needs at least %1 characters. Create a new password and try again."

    def __init__(self, minimum: int) -> None:
        # A config value in Magento, hence a string on the wire.
        super().__init__(parameters=[str(minimum)])


class PasswordSpaces(Invalid):
    template = "The password can't begin or end with a space. Verify the password and try again."


class PasswordClasses(Invalid):
    template = (
        "Minimum of different classes of characters in password is %1. "
        "Classes of characters: Lower Case, Upper Case, Digits, Special Characters."
    )

    def __init__(self, required: int) -> None:
        super().__init__(parameters=[str(required)])


class PasswordIsEmail(Invalid):
    template = "The password can't be the same as the email address. Create a new password and try again."


class GroupMissing(Invalid):
    template = "The specified customer group id does not exist."


class GroupExists(Invalid):
    """A second group with the same code (GroupRepository's InvalidTransitionException)."""

    template = "Customer Group already exists."


class CannotDeleteGroup(Invalid):
    """NOT LOGGED IN or the default group (a StateException)."""

    template = "Cannot delete group."


class InvalidFieldValue(Invalid):
    """InputException::invalidFieldValue, e.g. a tax class that is not a customer one."""

    template = 'Invalid value of "%value" provided for the %fieldName field.'

    def __init__(self, field_name: str, value: Any) -> None:
        super().__init__(parameters={"fieldName": field_name, "value": value})


class StoreNotInWebsite(Invalid):
    template = "The store view is not in the associated website."


class StoreMissing(NotFound):
    template = "The store that was requested wasn't found. Verify the store and try again."


class WebsiteMissing(NotFound):
    template = "The website with id %1 that was requested wasn't found. Verify the website and try again."

    def __init__(self, website_id: int) -> None:
        super().__init__(parameters=[website_id])


class PageSizeTooLarge(Invalid):
    template = "Maximum SearchCriteria pageSize is %max"

    def __init__(self, maximum: int) -> None:
        super().__init__(parameters={"max": maximum})


class InvalidAttribute(Invalid):
    template = "Invalid attribute name: %1"

    def __init__(self, name: str) -> None:
        super().__init__(parameters=[name])


class SortDirectionInvalid(Invalid):
    template = 'The sort order "%1" is not supported. Verify and try again.'

    def __init__(self, direction: str) -> None:
        super().__init__(parameters=[direction])


class ConditionTypeInvalid(Invalid):
    template = 'Invalid condition type "%1".'

    def __init__(self, condition_type: str) -> None:
        super().__init__(parameters=[condition_type])


# --- Adobe IMS (OAuth 2 error shape) -------------------------------------------------------------------


class ImsError(Invalid):
    """An IMS token-endpoint error: rendered as {"error", "error_description"} with status 400."""

    error: ClassVar[str] = "invalid_request"

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class ImsInvalidRequest(ImsError):
    error = "invalid_request"


class ImsUnsupportedGrant(ImsError):
    error = "unsupported_grant_type"


class ImsInvalidClient(ImsError):
    error = "invalid_client"


class ImsInvalidScope(ImsError):
    error = "invalid_scope"
