"""Adobe IMS server-to-server (OAuth client_credentials) tokens: issuing and checking them.

Tokens are real JWTs made with PyJWT. Adobe signs with RS256 (the tutorial's token starts
`eyJhbGciOiJSUzI1NiIs`); the fake signs with HS256, because RS256 would need the `cryptography`
package, and no client can verify Adobe's signature offline anyway. The claim set follows what
adobe/aio-lib-ims reads: `type`, `client_id`, `user_id`, `as`, `created_at` and `expires_in`
(milliseconds, as strings), plus `scope`. Expiry is judged by the fake's clock, not the wall clock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt

from storefake.adobe import errors as E
from storefake.clock import Clock
from storefake.randomness import RandomSource

EXPIRES_IN_SECONDS = 86399  # what token/v3 answers; the JWT itself says 86400000 ms
TOKEN_LIFETIME_MS = 86_400_000
ACCS_SCOPE = "commerce.accs"
JWT_HEADERS = {"kid": "ims_na1-key-at-1", "x5u": "ims_na1-key-at-1.cer", "itt": "at"}
_PROCESS_KEY = secrets.token_bytes(32)


@dataclass(frozen=True, slots=True)
class ImsClient:
    """A server-to-server credential from the fixtures."""

    client_id: str
    client_secret: str
    scopes: frozenset[str]
    org_id: str = ""
    scope_text: str = ""  # the scopes as the fixtures list them (the tutorial's order), for `storefake serve`

    @classmethod
    def from_fixture(cls, data: Mapping[str, Any]) -> ImsClient:
        return cls(
            client_id=str(data["client_id"]),
            client_secret=str(data["client_secret"]),
            scopes=frozenset(str(s) for s in data.get("scopes") or ()),
            org_id=str(data.get("org_id") or ""),
            scope_text=",".join(str(s) for s in data.get("scopes") or ()),
        )


@dataclass(frozen=True, slots=True)
class Claims:
    """What the REST API needs to know about a verified token."""

    client_id: str
    scopes: frozenset[str]
    expires_at_ms: int

    @property
    def has_accs(self) -> bool:
        return ACCS_SCOPE in self.scopes


def split_scope(scope: str) -> list[str]:
    """IMS takes a comma-separated list; spaces (the RFC 6749 separator) are accepted too."""
    return [part for part in scope.replace(" ", ",").split(",") if part]


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class Ims:
    """The token endpoint's state: known clients, the signing key and a cache of issued tokens.

    The key survives `Fake.reset()` unless the fake is seeded (then it is derived from the seed), so
    a token obtained once per test session keeps working across resets, as a real one would; a fake
    with a data dir keeps its key there, so its tokens also outlive restarts.
    """

    def __init__(
        self,
        clients: Sequence[ImsClient],
        clock: Clock,
        random: RandomSource,
        seed: int | None,
        key: bytes | None = None,
    ) -> None:
        self.clients = {c.client_id: c for c in clients}
        self.clock = clock
        self.random = random
        # `key`: a fake's own signing key (a persisted fake keeps one in its data dir, so tokens outlive restarts).
        if key is None:
            key = _PROCESS_KEY if seed is None else hashlib.sha256(f"storefake-ims-{seed}".encode()).digest()
        self._key = key
        self._verified: dict[str, Claims] = {}
        self._lock = threading.Lock()

    def issue_token(self, params: Mapping[str, str]) -> dict[str, Any]:
        """The token/v3 answer for form/query/basic-auth parameters, checked in IMS's order."""
        client, scopes = self._check_request(params)
        now_ms = int(self.clock.now() * 1000)
        payload = {
            "id": f"{now_ms}_{self.random.uuid4()}_ue1",
            "org": client.org_id,
            "type": "access_token",
            "client_id": client.client_id,
            "user_id": f"{self.random.hex(24).upper()}@techacct.adobe.com",
            "as": "ims-na1",
            "aa_id": f"{self.random.hex(24).upper()}@techacct.adobe.com",
            "ctp": 0,
            "moi": self.random.hex(8),
            "created_at": str(now_ms),
            "expires_in": str(TOKEN_LIFETIME_MS),
            "scope": ",".join(scopes),
        }
        token = jwt.encode(payload, self._key, algorithm="HS256", headers=JWT_HEADERS)
        claims = Claims(client.client_id, frozenset(scopes), now_ms + TOKEN_LIFETIME_MS)
        with self._lock:
            self._verified[token] = claims
        return {"access_token": token, "token_type": "bearer", "expires_in": EXPIRES_IN_SECONDS}

    def _check_request(self, params: Mapping[str, str]) -> tuple[ImsClient, list[str]]:
        grant_type = params.get("grant_type")
        if not grant_type:
            raise E.ImsInvalidRequest("missing grant_type parameter")
        if grant_type != "client_credentials":
            raise E.ImsUnsupportedGrant(f"unsupported grant_type {grant_type}")
        client_id = params.get("client_id")
        if not client_id:
            raise E.ImsInvalidRequest("missing client_id parameter")
        client = self.clients.get(client_id)
        if client is None:
            raise E.ImsInvalidClient("invalid client_id parameter")
        secret = params.get("client_secret")
        if not secret:
            raise E.ImsInvalidRequest("missing client_secret parameter")
        if not _same(secret, client.client_secret):
            raise E.ImsInvalidClient("invalid client_secret parameter")
        scopes = split_scope(params.get("scope") or "")
        if not scopes:
            raise E.ImsInvalidScope("missing scope parameter")
        unknown = [s for s in scopes if s not in client.scopes]
        if unknown:
            raise E.ImsInvalidScope(f"invalid scope ({', '.join(unknown)})")
        return client, scopes

    def verify(self, token: str) -> Claims | None:
        """Claims of a valid, unexpired token; None for anything else (unknown, forged, expired)."""
        claims = self._verified.get(token)
        if claims is None:
            claims = self._decode(token)
            if claims is None:
                return None
            with self._lock:
                self._verified[token] = claims
        if self.clock.now() * 1000 >= claims.expires_at_ms:
            return None
        return claims

    def _decode(self, token: str) -> Claims | None:
        # Tokens issued before a reset are not in the cache but still carry a valid signature.
        try:
            payload = jwt.decode(token, self._key, algorithms=["HS256"], options={"verify_exp": False})
            if payload.get("type") != "access_token" or payload.get("as") != "ims-na1":
                return None
            expires_at = int(payload["created_at"]) + int(payload["expires_in"])
            return Claims(str(payload["client_id"]), frozenset(split_scope(str(payload["scope"]))), expires_at)
        except (jwt.PyJWTError, KeyError, ValueError, TypeError):
            return None
