"""Wire-neutral domain errors.

The domain layer raises these with a message template and its parameters; only each vendor's renderer
knows the status code and the body shape. Each distinct vendor text is a small subclass in the vendor's
own `errors.py`, so a text is written once and every layer names it the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


class DomainError(Exception):
    """A failure the vendor reports to the client.

    `template` keeps the vendor's placeholders (`%fieldName`, `%1`); `parameters` is a mapping for named
    placeholders or a sequence for positional ones. `errors` carries the individual failures when a
    vendor aggregates several (Magento's InputException, BigCommerce's per-field `errors`).
    """

    template: ClassVar[str] = "An error occurred."

    def __init__(
        self,
        template: str | None = None,
        parameters: Mapping[str, Any] | Sequence[Any] | None = None,
        *,
        errors: Sequence[DomainError] | Mapping[str, str] | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        self.message_template = template if template is not None else self.template
        self.parameters = parameters
        self.errors = errors
        self.detail = dict(detail or {})
        super().__init__(self.render_text())

    def render_text(self) -> str:
        """The template with its parameters filled in, as a human would read it."""
        text = self.message_template
        params = self.parameters
        if isinstance(params, Mapping):
            for key in sorted(params, key=len, reverse=True):
                text = text.replace(f"%{key}", str(params[key]))
        elif params:
            for index in range(len(params), 0, -1):
                text = text.replace(f"%{index}", str(params[index - 1]))
        return text


class NotFound(DomainError):
    template = "The requested resource was not found."


class AlreadyExists(DomainError):
    template = "The resource already exists."


class Invalid(DomainError):
    template = "The request is invalid."


class Unauthorized(DomainError):
    template = "The request is not authenticated."


class Forbidden(DomainError):
    template = "The request is not allowed."


class TooLarge(DomainError):
    template = "The request is too large."


class TooMany(DomainError):
    template = "Too many requests."

    def __init__(self, *args: Any, retry_after_seconds: float = 0.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after_seconds = retry_after_seconds


class UnknownTenant(NotFound):
    template = "Unknown tenant %tenant."


class NotFakedYet(DomainError):
    """An operation the vendor publishes that storefake does not fake yet: a 501 in the vendor's envelope
    (storefake/coverage.py), never a 404 that looks like a missing record. The text is storefake's own."""

    template = "storefake does not fake this operation yet: %method %path (%operation)."

    def __init__(self, method: str, path: str, operation: str) -> None:
        super().__init__(parameters={"method": method, "path": path, "operation": operation})


class Unavailable(DomainError):
    """The service is down (maintenance, injected faults)."""

    template = "Service Unavailable"
