"""BigCommerce OAuth app installs: authorization codes (issued through the control API) exchanged for tokens.

Vendor facts §1 (docs/integrations/apps/guide/auth.mdx): the app POSTs `client_id`, `client_secret`,
`code`, `scope`, `context` ("stores/<hash>"), `grant_type` ("authorization_code") and `redirect_uri`
(the app's registered callback) to https://login.bigcommerce.com/oauth2/token and gets `access_token`,
`scope`, `user`, `owner`, `context` and `account_uuid`; tokens never expire. A code works once.
The new token becomes an API account of the store with exactly the granted scopes.

Deviations: the vendor mints codes when a user clicks "install"; here the control API mints them. The
error bodies for a wrong redirect_uri/context, a missing parameter and a bad grant_type are OAuth 2's
standard codes (the vendor's own wording is UNVERIFIED).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storefake.bigcommerce.errors import (
    OAuthInvalidClientId,
    OAuthInvalidClientSecret,
    OAuthInvalidCode,
    OAuthInvalidGrant,
    OAuthInvalidRequest,
    OAuthNotOwner,
    OAuthUnsupportedGrantType,
)

REQUIRED = ("client_id", "client_secret", "code", "grant_type", "redirect_uri")
GRANT_DESCRIPTION = (
    "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI "
    "used in the authorization request, or was issued to another client."
)


@dataclass(slots=True)
class AuthorizationCode:
    code: str
    client_id: str
    store_hash: str
    scopes: tuple[str, ...]
    user: dict[str, Any]
    account_uuid: str
    used: bool = False

    @property
    def context(self) -> str:
        return f"stores/{self.store_hash}"


class OAuthState:
    """Codes by value; each app is a fixtures entry `{client_id, client_secret, redirect_uri, scopes}`."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._codes: dict[str, AuthorizationCode] = {}
        self._lock = threading.Lock()
        self._account_uuids: dict[str, str] = {}

    def app(self, client_id: str) -> Mapping[str, Any] | None:
        return next((a for a in self.backend.apps if str(a.get("client_id")) == client_id), None)

    def issue_code(
        self, client_id: str, store_hash: str, scopes: Any = None, user: Mapping[str, Any] | None = None
    ) -> AuthorizationCode:
        """What the vendor's install step hands the app's callback; ValueError for an unknown app or scope."""
        app = self.app(client_id)
        if app is None:
            raise ValueError(f"no OAuth app with client_id {client_id!r} in the fixtures")
        granted = _scope_list(scopes) if scopes is not None else tuple(app.get("scopes") or ())
        self.backend.stores.get(store_hash)  # the store must exist (or be creatable) now
        random = self.backend.context.random
        with self._lock:
            account_uuid = self._account_uuids.setdefault(store_hash, random.uuid4())
            code = AuthorizationCode(
                code=random.token(32),
                client_id=client_id,
                store_hash=store_hash,
                scopes=granted,
                user=dict(user or self.backend.owner),
                account_uuid=account_uuid,
            )
            self._codes[code.code] = code
        return code

    def exchange(self, form: Mapping[str, Any]) -> dict[str, Any]:
        """POST /oauth2/token: checks in the vendor's order (client, secret, code), then grants the token."""
        missing = [name for name in REQUIRED if not isinstance(form.get(name), str) or not form.get(name)]
        client_id = str(form.get("client_id") or "")
        app = self.app(client_id)
        if app is None:
            raise OAuthInvalidClientId()
        secret = str(app.get("client_secret", ""))
        if not hmac.compare_digest(str(form.get("client_secret") or "").encode(), secret.encode()):
            raise OAuthInvalidClientSecret(detail={"error_description": "Parameter client_secret does not match"})
        if missing:
            raise OAuthInvalidRequest(detail={"error_description": f"Missing required parameter: {missing[0]}."})
        if form["grant_type"] != "authorization_code":
            raise OAuthUnsupportedGrantType(detail={"error_description": "Only authorization_code is supported."})
        code = self._redeem(form, app)
        owner = self.backend.owner
        if code.user.get("id") != owner.get("id"):
            raise OAuthNotOwner()
        token = self._grant(code, secret)
        return {
            "access_token": token,
            "scope": " ".join(code.scopes),
            "user": _person(code.user),
            "owner": _person(owner),
            "context": code.context,
            "account_uuid": code.account_uuid,
        }

    def _redeem(self, form: Mapping[str, Any], app: Mapping[str, Any]) -> AuthorizationCode:
        """The code, marked used; unknown → "Invalid code.", reused or mismatched → invalid_grant."""
        with self._lock:
            code = self._codes.get(str(form["code"]))
            if code is None or code.client_id != app.get("client_id"):
                raise OAuthInvalidCode()
            mismatch = form["redirect_uri"] != app.get("redirect_uri") or form.get("context", code.context) != (
                code.context
            )
            if code.used or mismatch:
                raise OAuthInvalidGrant(detail={"error_description": GRANT_DESCRIPTION})
            code.used = True
            return code

    def _grant(self, code: AuthorizationCode, secret: str) -> str:
        from storefake.bigcommerce.state import Account

        token = self.backend.context.random.token(31)
        self.backend.add_account(
            Account(
                store_hash=code.store_hash,
                access_token=token,
                client_id=code.client_id,
                client_secret=secret,
                scopes=frozenset(code.scopes),
                name=f"app {code.client_id}",
            )
        )
        return token


def _scope_list(scopes: Any) -> tuple[str, ...]:
    if isinstance(scopes, str):
        return tuple(part for part in scopes.replace(",", " ").split() if part)
    if isinstance(scopes, list | tuple) and all(isinstance(s, str) for s in scopes):
        return tuple(scopes)
    raise ValueError("scope must be a space-separated string or a list of strings")


def _person(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": entry.get("id"), "username": entry.get("username", ""), "email": entry.get("email", "")}
