"""`storefake.mock()`: httpx traffic for the vendor hosts goes to one in-process fake, via respx.

respx patches httpcore's connection pools, so every httpx client that uses the default transports is
seen, sync or async, wherever it was created. Requests to the vendor hosts are answered by the app:
async ones through httpx.ASGITransport on the caller's loop, sync ones through the SyncASGITransport
bridge (the app runs on a loop of its own). Responses keep the app's raw bytes and headers. Other hosts
pass through untouched, or fail with respx's AllMockedAssertionError when `assert_all_mocked=True`.

Our router uses respx's "httpx" mocker (it patches `Client._transport_for_url`), not the default
"httpcore" one: the request reaches the app without the httpx -> httpcore -> httpx round trip, which
makes intercepted calls about 1.3x faster (benchmarks/interception_bench.py). It also means every
httpx client is seen, whatever its transport.

The fake's own outbound calls (webhook deliveries) must never come back through any respx router,
ours or the user's: they use `outbound_client()` / `outbound_async_client()`. Those are httpx client
subclasses that choose their transport themselves (so the "httpx" mocker's patch does not apply) and
whose transport, `unpatched_transport()`, speaks HTTP with the standard library's http.client (so the
"httpcore" mocker never sees them either).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import http.client
import inspect
import ssl
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from storefake.config import Config

# The real vendor hosts; any region/environment of the ACCS REST host (na1-sandbox, eu1, ...).
VENDOR_HOSTS = ("ims-na1.adobelogin.com", "api.bigcommerce.com", "login.bigcommerce.com")
VENDOR_HOST_PATTERN = r"(?:.+\.)?api\.commerce\.adobe\.com"

# Set by our router while respx resolves an async request, so one side effect serves both client kinds.
_ASYNC_REQUEST: contextvars.ContextVar[bool] = contextvars.ContextVar("storefake_async_request", default=False)
MOCKER = "httpx"


def _router_class() -> type:
    import respx

    class _Router(respx.MockRouter):  # type: ignore[misc]
        """A respx router that tells its side effects whether the request came from an async client."""

        async def async_handler(self, request: httpx.Request) -> httpx.Response:
            token = _ASYNC_REQUEST.set(True)
            try:
                return await super().async_handler(request)
            finally:
                _ASYNC_REQUEST.reset(token)

        def handler(self, request: httpx.Request) -> httpx.Response:
            token = _ASYNC_REQUEST.set(False)
            try:
                return super().handler(request)
            finally:
                _ASYNC_REQUEST.reset(token)

    return _Router


class _AppBridge:
    """The respx side effect: hands the request to the app and returns its response, bytes unchanged."""

    def __init__(self, app: Any) -> None:
        from storefake.transport import SyncASGITransport

        self._sync = SyncASGITransport(app)
        self._async = httpx.ASGITransport(app=app)

    def __call__(self, request: httpx.Request) -> Any:
        if _ASYNC_REQUEST.get():
            return self._call_async(request)
        return self._sync.handle_request(request)

    async def _call_async(self, request: httpx.Request) -> httpx.Response:
        response = await self._async.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(
            response.status_code, headers=response.headers.raw, content=content, extensions=response.extensions
        )

    def close(self) -> None:
        self._sync.close()


class StorefakeMock:
    """What `storefake.mock()` returns: a context manager and decorator; inside, the fake it routes to.

    app: the Starlette app; fake: its runtime; router: the respx router (its `.calls` list every request
    it saw); journal, clock, reset() and seed() are the runtime's. All stay readable after the block ends.
    """

    def __init__(
        self,
        *,
        config: Config | None = None,
        app: Any = None,
        hosts: Iterable[str] = (),
        assert_all_mocked: bool = False,
    ) -> None:
        if config is not None and app is not None:
            raise TypeError("pass either config or app, not both")
        self.config = config
        self.hosts = tuple(VENDOR_HOSTS) + tuple(hosts)
        self.assert_all_mocked = assert_all_mocked
        self._given_app = app
        self.app: Any = None
        self.router: Any = None
        self._active = False
        self._bridge: _AppBridge | None = None

    # --- the fake, while active ---

    @property
    def fake(self) -> Any:
        """The runtime: state per vendor, journal, clock, reset(), seed()."""
        if self.app is None:
            raise RuntimeError("storefake.mock() has not been started")
        return self.app.state.fake

    @property
    def state(self) -> dict[str, Any]:
        """Each vendor's state: {"adobe": ..., "bigcommerce": ...}."""
        return dict(self.fake.backends)

    @property
    def journal(self) -> Any:
        return self.fake.journal

    @property
    def clock(self) -> Any:
        return self.fake.clock

    @property
    def adobe(self) -> Any:
        return self.fake.adobe

    @property
    def bigcommerce(self) -> Any:
        return self.fake.bigcommerce

    def reset(self) -> None:
        """Back to the fixtures: every write and journal entry forgotten."""
        self.fake.reset()

    def seed(self, data: Any) -> Any:
        return self.fake.seed(data)

    def target(self) -> Any:
        """A "fake" `storefake.targets.Target` on the same app (ready clients with default credentials)."""
        from storefake.targets import fake_target

        return fake_target(self.app)

    # --- lifecycle ---

    def start(self) -> StorefakeMock:
        if self._active:
            raise RuntimeError("this storefake.mock() is already active")
        from storefake.app import create_app

        self.app = self._given_app if self._given_app is not None else create_app(self.config)
        self._bridge = _AppBridge(self.app)
        self.router = _build_router(self._bridge, self.hosts, self.assert_all_mocked)
        self.router.start()
        self._active = True
        return self

    def stop(self) -> None:
        if not self._active:
            return
        self._active = False
        self.router.stop(clear=False, reset=False, quiet=True)  # calls stay readable after the block
        if self._bridge is not None:
            self._bridge.close()
            self._bridge = None

    def __enter__(self) -> StorefakeMock:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> StorefakeMock:
        return self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        self.stop()

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Decorate a sync or async function; a `storefake_mock` parameter receives this object."""
        if "storefake_mock" in inspect.signature(func).parameters:
            func = functools.partial(func, storefake_mock=self)
        if inspect.iscoroutinefunction(func):

            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return functools.wraps(func)(async_wrapper)

        def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return functools.wraps(func)(sync_wrapper)


def _build_router(bridge: _AppBridge, hosts: tuple[str, ...], assert_all_mocked: bool) -> Any:
    from respx.patterns import M

    router = _router_class()(assert_all_called=False, assert_all_mocked=assert_all_mocked, using=MOCKER)
    vendor = M(host__in=tuple(hosts)) | M(host__regex=rf"^{VENDOR_HOST_PATTERN}$")
    router.route(vendor, name="storefake").mock(side_effect=bridge)
    if not assert_all_mocked:
        router.route(name="pass-through").pass_through()
    return router


def mock(
    func: Callable[..., Any] | None = None,
    *,
    config: Config | None = None,
    app: Any = None,
    hosts: Iterable[str] = (),
    assert_all_mocked: bool = False,
) -> Any:
    """Route httpx traffic for the vendor hosts into a fake: `with storefake.mock() as sf:` or `@storefake.mock`.

    config/app: the fake to build (bundled fixtures by default) or an existing app; hosts: extra host
    names to route into it; assert_all_mocked: fail requests to any other host instead of passing them on.
    """
    interceptor = StorefakeMock(config=config, app=app, hosts=hosts, assert_all_mocked=assert_all_mocked)
    if func is not None:
        return interceptor(func)
    return interceptor


# --- the fake's own outbound HTTP ------------------------------------------------------------------


class _StdlibTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport over http.client: one connection per request, invisible to respx."""

    def __init__(self, *, verify: bool | ssl.SSLContext = True) -> None:
        if isinstance(verify, ssl.SSLContext):
            self._ssl = verify
        else:
            self._ssl = ssl.create_default_context()
            if not verify:
                self._ssl.check_hostname = False
                self._ssl.verify_mode = ssl.CERT_NONE

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        url = request.url
        timeout = (request.extensions.get("timeout") or {}).get("read") or 10.0
        if url.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                url.host, url.port, timeout=timeout, context=self._ssl
            )
        else:
            conn = http.client.HTTPConnection(url.host, url.port, timeout=timeout)
        try:
            conn.putrequest(request.method, url.raw_path.decode("ascii"), skip_host=True, skip_accept_encoding=True)
            for name, value in request.headers.raw:
                conn.putheader(name.decode("latin-1"), value.decode("latin-1"))
            conn.endheaders(body or None)
            response = conn.getresponse()
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.getheaders()]
            return httpx.Response(response.status, headers=headers, content=response.read(), request=request)
        except TimeoutError as exc:
            raise httpx.TimeoutException(str(exc), request=request) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        finally:
            conn.close()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return await asyncio.to_thread(self.handle_request, request)


def unpatched_transport(*, verify: bool | ssl.SSLContext = True) -> httpx.BaseTransport:
    """A transport respx's httpcore-level patching never sees (sync and async capable).

    Give it to `outbound_client()`-style clients: a plain `httpx.Client(transport=...)` is still seen
    by storefake.mock() and by `respx.mock(using="httpx")`, which patch the client class itself.
    """
    return _StdlibTransport(verify=verify)


class _OutboundClient(httpx.Client):
    # Defined here, so respx's patch of httpx.Client._transport_for_url does not reach this class.
    def _transport_for_url(self, url: httpx.URL) -> httpx.BaseTransport:
        return self._transport


class _OutboundAsyncClient(httpx.AsyncClient):
    def _transport_for_url(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        return self._transport


def outbound_client(**options: Any) -> httpx.Client:
    """An httpx.Client for the fake's own outbound calls (webhooks): no respx router ever sees them.

    Keyword options go to httpx.Client (timeout, headers...); `transport` and `mounts` are not allowed.
    """
    return _OutboundClient(transport=_StdlibTransport(), **options)


def outbound_async_client(**options: Any) -> httpx.AsyncClient:
    """The async twin of `outbound_client()` (each request runs http.client in a worker thread)."""
    return _OutboundAsyncClient(transport=_StdlibTransport(), **options)


__all__ = ["StorefakeMock", "mock", "outbound_async_client", "outbound_client", "unpatched_transport"]
