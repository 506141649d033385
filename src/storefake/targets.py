"""Where tests send their requests: the fake in-process, a running storefake, or the live vendor.

A `Target` knows each vendor's base URL and credentials and hands out httpx clients that behave the way
a careful production client does, so the same test or contract case runs unchanged on all three kinds:
Adobe calls carry an IMS bearer token fetched once per target (client_credentials, form body), dropped
and fetched again once on a 401; BigCommerce calls carry `X-Auth-Token`; a 429 is waited out and retried
(both vendors document this, see /work/shared/vendor-facts).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from dataclasses import dataclass, fields
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

VENDORS = ("adobe", "ims", "bigcommerce")
KINDS = ("fake", "server", "live")

ADOBE_REST_HOST = "https://na1-sandbox.api.commerce.adobe.com"
IMS_TOKEN_URL = "https://ims-na1.adobelogin.com/ims/token/v3"
BIGCOMMERCE_API_URL = "https://api.bigcommerce.com"
# The scopes ACCS requires of a server-to-server credential (Adobe's ACCS REST tutorial).
ACCS_SCOPE = "AdobeID,openid,email,profile,additional_info.roles,additional_info.projectedProductContext,commerce.accs"

MAX_RETRIES = 3
MAX_WAIT_SECONDS = 60.0


class TargetError(RuntimeError):
    """A target cannot be built or used (missing live setting, IMS refused the credentials)."""


@dataclass(frozen=True)
class LiveSettings:
    """Live vendor settings: environment variables first, then `fallbacks` (the plugin's ini values)."""

    adobe_rest_endpoint: str | None = None
    adobe_ims_url: str | None = IMS_TOKEN_URL
    adobe_client_id: str | None = None
    adobe_client_secret: str | None = None
    adobe_scope: str | None = ACCS_SCOPE
    bigcommerce_store_hash: str | None = None
    bigcommerce_access_token: str | None = None
    bigcommerce_client_id: str | None = None
    bigcommerce_api_url: str | None = BIGCOMMERCE_API_URL

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, fallbacks: Mapping[str, str | None] | None = None
    ) -> LiveSettings:
        """Each field `name` reads env var `STOREFAKE_<NAME>`, else `fallbacks[name]`, else its default."""
        fallbacks = fallbacks or {}
        values: dict[str, str | None] = {}
        for item in fields(cls):
            value = environ.get(env_var(item.name)) or fallbacks.get(item.name) or item.default
            values[item.name] = value if isinstance(value, str) and value else None
        return cls(**values)

    def require(self, *names: str) -> None:
        problem = self.missing(*names)
        if problem:
            raise TargetError(problem)

    def missing(self, *names: str) -> str | None:
        """What to set for `names` to be usable (naming the environment variables), or None."""
        missing = [env_var(name) for name in names if not getattr(self, name)]
        return f"live target: set {', '.join(missing)} (or the matching ini option)" if missing else None


def env_var(field_name: str) -> str:
    """The environment variable behind a LiveSettings field: `adobe_client_id` -> STOREFAKE_ADOBE_CLIENT_ID."""
    return f"STOREFAKE_{field_name.upper()}"


# --- rate limits -------------------------------------------------------------------------------------


def retry_delay(response: httpx.Response) -> float | None:
    """Seconds to wait before retrying a 429, from the vendor's headers; None if this is no 429."""
    if response.status_code != 429:
        return None
    headers = response.headers
    delay = _number(headers.get("x-rate-limit-time-reset-ms"), scale=0.001)
    if delay is None:
        delay = _number(headers.get("x-retry-after"))
    if delay is None:
        delay = _retry_after(headers.get("retry-after"))
    return min(max(delay if delay is not None else 1.0, 0.0), MAX_WAIT_SECONDS)


def _number(value: str | None, scale: float = 1.0) -> float | None:
    try:
        return float(value) * scale if value is not None else None
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    seconds = _number(value)
    if seconds is not None or value is None:
        return seconds
    try:
        return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


class _Patient(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport: a 429 is waited out and the same request sent again (at most MAX_RETRIES times).

    `owns_inner=False` lets many clients share one in-process transport: closing a client leaves it open.
    """

    def __init__(self, inner: Any, *, owns_inner: bool) -> None:
        self._inner = inner
        self._owns_inner = owns_inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        for _ in range(MAX_RETRIES):
            response = self._inner.handle_request(request)
            delay = retry_delay(response)
            if delay is None:
                return response
            response.close()
            time.sleep(delay)
        return self._inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        for _ in range(MAX_RETRIES):
            response = await self._inner.handle_async_request(request)
            delay = retry_delay(response)
            if delay is None:
                return response
            await response.aclose()
            await asyncio.sleep(delay)
        return await self._inner.handle_async_request(request)

    def close(self) -> None:
        if self._owns_inner:
            self._inner.close()

    async def aclose(self) -> None:
        if self._owns_inner:
            await self._inner.aclose()


# --- authentication ----------------------------------------------------------------------------------


class _TokenCache:
    """One IMS bearer token per target, shared by its sync and async clients."""

    def __init__(self, token_url: str, credentials: Mapping[str, str]) -> None:
        self.token_url = token_url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
            "scope": credentials["scope"],
        }
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0
        self.fetches = 0

    def current(self) -> str | None:
        with self._lock:
            return self._token if self._token and time.monotonic() < self._expires_at else None

    def token_request(self) -> httpx.Request:
        return httpx.Request("POST", self.token_url, data=self._form, headers={"Accept": "application/json"})

    def store(self, response: httpx.Response) -> str:
        try:
            body = response.json()
            token, lifetime = body["access_token"], float(body.get("expires_in", 86399))
        except (ValueError, KeyError, TypeError):
            raise TargetError(f"IMS token request failed: {response.status_code} {response.text[:300]}") from None
        if response.status_code != 200 or not isinstance(token, str):
            raise TargetError(f"IMS token request failed: {response.status_code} {response.text[:300]}")
        with self._lock:
            self.fetches += 1
            self._token = token
            self._expires_at = time.monotonic() + max(lifetime - 60, 1)  # a minute early, like Adobe's SDKs
        return token

    def drop(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None


class _ImsAuth(httpx.Auth):
    """Bearer token from IMS; on a 401 the token is dropped and the request retried once with a new one.

    The token request is sent through the client's own transport, so in-process targets need no network.
    Only the token response is read eagerly; the caller's response can still be streamed.
    """

    def __init__(self, tokens: _TokenCache) -> None:
        self._tokens = tokens

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        for attempt in (1, 2):
            token = self._tokens.current()
            if token is None:
                token_response = yield self._tokens.token_request()
                token_response.read()
                token = self._tokens.store(token_response)
            request.headers["Authorization"] = f"Bearer {token}"
            response = yield request
            if response.status_code != 401 or attempt == 2:
                return
            self._tokens.drop(token)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        for attempt in (1, 2):
            token = self._tokens.current()
            if token is None:
                token_response = yield self._tokens.token_request()
                await token_response.aread()
                token = self._tokens.store(token_response)
            request.headers["Authorization"] = f"Bearer {token}"
            response = yield request
            if response.status_code != 401 or attempt == 2:
                return
            self._tokens.drop(token)


# --- targets -----------------------------------------------------------------------------------------


class Target:
    """One place to send vendor requests: base URLs, credentials and ready httpx clients.

    kind is "fake" (in-process app), "server" (a running storefake) or "live" (the real vendor).
    `fake` is the runtime (state, journal, clock, reset, seed) when this process owns it, else None.
    """

    def __init__(
        self,
        kind: str,
        urls: Mapping[str, str],
        credentials: Mapping[str, Mapping[str, str]],
        *,
        sync_transport: Callable[[], httpx.BaseTransport] | None = None,
        async_transport: Callable[[], httpx.AsyncBaseTransport] | None = None,
        shared_transports: bool = False,
        fake: Any = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown target kind {kind!r}; expected one of {', '.join(KINDS)}")
        self.kind = kind
        self.fake = fake
        self._urls = dict(urls)
        self._credentials = {vendor: dict(values) for vendor, values in credentials.items()}
        self._sync_transport = sync_transport or httpx.HTTPTransport
        self._async_transport = async_transport or httpx.AsyncHTTPTransport
        self._shared = shared_transports
        self._on_close = on_close
        self._tokens: _TokenCache | None = None
        self._clients: list[httpx.Client] = []
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Target {self.kind} {self._urls.get('bigcommerce', '')} {self._urls.get('adobe', '')}>"

    def unavailable(self, vendor: str) -> str | None:
        """Why this target can't reach `vendor` (a live setting missing), or None when it can."""
        _vendor(vendor)
        return None

    def base_url(self, vendor: str) -> str:
        """Adobe REST base incl. tenant, the IMS token URL, or BigCommerce's .../stores/<hash>."""
        return self._urls[_vendor(vendor)]

    def credentials(self, vendor: str) -> dict[str, str]:
        """adobe/ims: client_id, client_secret, scope, tenant_id; bigcommerce: store_hash, access_token, client_id."""
        vendor = "adobe" if _vendor(vendor) == "ims" else vendor
        return dict(self._credentials.get(vendor, {}))

    @property
    def token_fetches(self) -> int:
        """How many IMS tokens this target fetched (once per session unless one was refused)."""
        return self._tokens.fetches if self._tokens else 0

    def client(self, vendor: str, *, auth: bool = True) -> httpx.Client:
        """A sync httpx client on the vendor's base URL, authenticated unless `auth=False`."""
        client = httpx.Client(
            transport=_Patient(self._sync_transport(), owns_inner=not self._shared),
            **self._client_options(vendor, auth),
        )
        with self._lock:
            self._clients.append(client)
        return client

    def async_client(self, vendor: str, *, auth: bool = True) -> httpx.AsyncClient:
        """An httpx.AsyncClient like `client()`; close it yourself (`async with`)."""
        transport = _Patient(self._async_transport(), owns_inner=not self._shared)
        return httpx.AsyncClient(transport=transport, **self._client_options(vendor, auth))

    def close(self) -> None:
        """Close the sync clients handed out and any in-process transport."""
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.close()
        if self._on_close:
            self._on_close()

    def __enter__(self) -> Target:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _client_options(self, vendor: str, auth: bool) -> dict[str, Any]:
        vendor = _vendor(vendor)
        options: dict[str, Any] = {"base_url": self._urls[vendor], "headers": {"Accept": "application/json"}}
        if auth and vendor == "adobe":
            options["auth"] = _ImsAuth(self._token_cache())
            # Adobe's sample clients send the client id as x-api-key; whether ACCS needs it is UNVERIFIED.
            options["headers"]["x-api-key"] = self._credentials["adobe"]["client_id"]
        elif auth and vendor == "bigcommerce":
            options["headers"]["X-Auth-Token"] = self._credentials["bigcommerce"]["access_token"]
        return options

    def _token_cache(self) -> _TokenCache:
        with self._lock:
            if self._tokens is None:
                self._tokens = _TokenCache(self._urls["ims"], self._credentials["adobe"])
            return self._tokens


def _vendor(vendor: str) -> str:
    if vendor not in VENDORS:
        raise ValueError(f"unknown vendor {vendor!r}; expected one of {', '.join(VENDORS)}")
    return vendor


# --- credentials from fixtures -----------------------------------------------------------------------


def default_credentials(fixtures: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The fake's default credentials: the first IMS client allowed commerce.accs and the first tenant;
    the first BigCommerce store and its first account holding every read-write scope (else its first)."""
    credentials: dict[str, dict[str, str]] = {}
    adobe = fixtures.get("adobe") or {}
    clients = adobe.get("ims_clients") or []
    ims = next((c for c in clients if "commerce.accs" in (c.get("scopes") or [])), clients[0] if clients else None)
    tenants = adobe.get("tenants") or []
    if ims and tenants:
        credentials["adobe"] = {
            "client_id": str(ims["client_id"]),
            "client_secret": str(ims["client_secret"]),
            "scope": ",".join(ims.get("scopes") or []) or ACCS_SCOPE,
            "tenant_id": str(tenants[0]["id"]),
        }
    stores = (fixtures.get("bigcommerce") or {}).get("stores") or []
    if stores and stores[0].get("accounts"):
        account = _full_access(stores[0]["accounts"])
        credentials["bigcommerce"] = {
            "store_hash": str(stores[0]["store_hash"]),
            "access_token": str(account["access_token"]),
            "client_id": str(account.get("client_id", "")),
        }
    return credentials


def _full_access(accounts: list[dict[str, Any]]) -> dict[str, Any]:
    for account in accounts:
        scopes = account.get("scopes") or []
        if scopes and not any(scope.endswith("_read_only") for scope in scopes):
            return account
    return accounts[0]


def _urls(adobe_host: str, ims_url: str, bigcommerce_api: str, credentials: Mapping[str, Mapping[str, str]]) -> dict:
    tenant = credentials.get("adobe", {}).get("tenant_id", "")
    store_hash = credentials.get("bigcommerce", {}).get("store_hash", "")
    return {
        "adobe": f"{adobe_host.rstrip('/')}/{tenant}",
        "ims": ims_url,
        "bigcommerce": f"{bigcommerce_api.rstrip('/')}/stores/{store_hash}",
    }


def fake_target(app: Any) -> Target:
    """The app in-process: clients call it through ASGI transports on the real vendor hosts' URLs."""
    from storefake.transport import SyncASGITransport

    fake = app.state.fake
    credentials = default_credentials(fake.fixtures)
    sync_transport = SyncASGITransport(app)
    async_transport = httpx.ASGITransport(app=app)
    return Target(
        "fake",
        _urls(ADOBE_REST_HOST, IMS_TOKEN_URL, BIGCOMMERCE_API_URL, credentials),
        credentials,
        sync_transport=lambda: sync_transport,
        async_transport=lambda: async_transport,
        shared_transports=True,
        fake=fake,
        on_close=sync_transport.close,
    )


def server_target(base_url: str, fixtures: str | Path | Mapping[str, Any] | None = None, *, fake: Any = None) -> Target:
    """A running storefake (ThreadedServer or `storefake serve`) at `base_url`, using `fixtures`' credentials."""
    from storefake.runtime import load_fixtures

    base_url = base_url.rstrip("/")
    credentials = default_credentials(load_fixtures(fixtures))
    return Target("server", _urls(base_url, f"{base_url}/ims/token/v3", base_url, credentials), credentials, fake=fake)


def live_target(settings: LiveSettings) -> Target:
    """The real vendors (or anything speaking their protocol, such as `storefake serve`) per `settings`."""
    credentials: dict[str, dict[str, str]] = {}
    urls: dict[str, str] = {"ims": settings.adobe_ims_url or IMS_TOKEN_URL}
    if settings.adobe_rest_endpoint:
        endpoint = settings.adobe_rest_endpoint.rstrip("/")
        credentials["adobe"] = {
            "client_id": settings.adobe_client_id or "",
            "client_secret": settings.adobe_client_secret or "",
            "scope": settings.adobe_scope or ACCS_SCOPE,
            "tenant_id": urlsplit(endpoint).path.rsplit("/", 1)[-1],
        }
        urls["adobe"] = endpoint
    if settings.bigcommerce_store_hash:
        credentials["bigcommerce"] = {
            "store_hash": settings.bigcommerce_store_hash,
            "access_token": settings.bigcommerce_access_token or "",
            "client_id": settings.bigcommerce_client_id or "",
        }
        api = (settings.bigcommerce_api_url or BIGCOMMERCE_API_URL).rstrip("/")
        urls["bigcommerce"] = f"{api}/stores/{settings.bigcommerce_store_hash}"
    return _LiveTarget(settings, urls, credentials)


class _LiveTarget(Target):
    """A live target names the missing setting when a vendor it was not configured for is used."""

    _needs = {
        "adobe": ("adobe_rest_endpoint", "adobe_client_id", "adobe_client_secret"),
        "ims": ("adobe_rest_endpoint", "adobe_client_id", "adobe_client_secret"),
        "bigcommerce": ("bigcommerce_store_hash", "bigcommerce_access_token"),
    }

    def __init__(self, settings: LiveSettings, urls: Mapping[str, str], credentials: Mapping[str, Any]) -> None:
        super().__init__("live", urls, credentials)
        self.settings = settings

    def unavailable(self, vendor: str) -> str | None:
        return self.settings.missing(*self._needs[_vendor(vendor)])

    def base_url(self, vendor: str) -> str:
        self.settings.require(*self._needs[_vendor(vendor)])
        return super().base_url(vendor)

    def _client_options(self, vendor: str, auth: bool) -> dict[str, Any]:
        self.settings.require(*self._needs[_vendor(vendor)])
        return super()._client_options(vendor, auth)
