"""The app's router: one short step from a request to its vendor's endpoint.

Starlette's nesting (the app's Router trying every Mount's regex, then per vendor a Router, an
ExceptionMiddleware, and per route another exception wrapper and a `request_response` closure) cost the
fake as much time per request as a whole bare Starlette app spends. The fake's routing needs much less:
a vendor is a `Surface`, a path prefix with its routes, the renderer of its errors and its middleware.
The `Dispatcher` skips surfaces whose literal head can't match, a surface matches its routes with one
compiled alternation, calls the endpoint and draws `DomainError`/`HTTPException` with the vendor's
renderer. Starlette's routing rules are kept: routes are tried in order, the first full match wins, a
path served only under other methods answers 405, anything else 404, both drawn by the vendor.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefake.errors import DomainError

if TYPE_CHECKING:
    from storefake.coverage import Unimplemented

Renderer = Callable[[Request, Exception], Response]
Endpoint = Callable[[Request], Awaitable[Response]]
# Set in the scope once the endpoint's response starts: past it an error can't be drawn any more.
RESPONSE_STARTED = "storefake.response_started"
_ROUTE_PATH = "storefake.route_path"
_ROUTE_MATCH = "storefake.route_match"
_NO_ROUTE = "storefake.no_route"  # entered across a newline: under the mount, but no route's (a 404)
_MOUNT_TAIL = "/(?P<path>.*)$"  # how Starlette's Mount regex ends: the path below it
# On a 501 for an operation storefake does not fake yet: "<family> <operationId>" (coverage.py, the journal).
UNIMPLEMENTED_HEADER = "x-storefake-unimplemented"
_PARAM = re.compile(r"\(\?P<(\w+)>")


def route_path(scope: Scope) -> str:
    """The path below the mount the scope is in (`/v3/catalog/products` under `/stores/{store_hash}`)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def header_value(scope: Scope, name: bytes) -> str | None:
    """The first value of header `name` (lower case, as ASGI servers give names), or None.

    A scan of the scope's list: the hot paths want one header and a Headers object costs more than that.
    """
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def literal_head(path: str) -> str:
    """The part of a mount path before its first parameter, with the slash every mounted path has after."""
    head = path.split("{", 1)[0]
    return head if head.endswith("/") else head + "/"


def _mounted(scope: Scope, child_scope: Scope, path: str, mount_end: int, path_params: dict[str, Any]) -> None:
    """Fill `child_scope` as a Mount does for a path whose first `mount_end` characters are the mount's."""
    root = scope.get("root_path", "")
    child_scope["path_params"] = path_params
    child_scope["app_root_path"] = scope.get("app_root_path", root)
    child_scope["root_path"] = root + path[:mount_end]
    child_scope[_ROUTE_PATH] = path[mount_end:]


class SurfaceRequest(Request):
    """Starlette's Request, whose `body()` reads the messages in a plain loop.

    Every write to the fake reads its body, and Starlette's `body()` goes through the `stream()` async
    generator for it. The attributes set are the ones Starlette's own `body()` and `stream()` keep, so
    `json()`, `form()` and `stream()` behave the same afterwards.
    """

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            if self._stream_consumed:
                raise RuntimeError("Stream consumed")
            chunks: list[bytes] = []
            while True:
                message = await self._receive()
                if message["type"] == "http.request":
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        break
                elif message["type"] == "http.disconnect":
                    self._is_disconnected = True
                    raise ClientDisconnect()
            self._stream_consumed = True
            self._body = b"".join(chunks)
        return self._body


class RouteTable:
    """A vendor's routes, tried in order by a single regex: the alternative that matched names the route."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes: list[Route] = []
        for route in routes:
            if not isinstance(route, Route):
                raise TypeError(f"a surface serves plain routes, not {route!r}")
            self.routes.append(route)
        self._params: list[list[tuple[str, str, Convertor[Any]]]] = []
        alternatives = []
        for index, route in enumerate(self.routes):
            names: list[str] = []

            def renamed(match: re.Match[str], index: int = index, names: list[str] = names) -> str:
                names.append(match.group(1))
                return f"(?P<p{index}_{match.group(1)}>"

            body = _PARAM.sub(renamed, route.path_regex.pattern.removeprefix("^").removesuffix("$"))
            alternatives.append(f"(?P<r{index}>{body})")
            self._params.append([(f"p{index}_{name}", name, route.param_convertors[name]) for name in names])
        self.alternatives = "|".join(alternatives)
        self._regex = re.compile("^(?:" + self.alternatives + ")$")
        self._endpoints: list[Endpoint] = [_as_async(route.endpoint) for route in self.routes]

    def matched(self, found: re.Match[str], method: str) -> tuple[Route, Endpoint, dict[str, Any]] | None:
        """The route a match of `alternatives` names, if it serves `method` (None: 405 or a later route)."""
        index = _route_index(found)
        route = self.routes[index]
        if route.methods is not None and method not in route.methods:
            return None
        params = {name: convertor.convert(found.group(group)) for group, name, convertor in self._params[index]}
        return route, self._endpoints[index], params

    def match(self, path: str, method: str) -> tuple[Route, Endpoint, dict[str, Any]]:
        """The route serving `method path`, its endpoint and path parameters; HTTPException 404/405 if none."""
        found = self._regex.match(path)
        if found is None:
            raise HTTPException(status_code=404)
        served = self.matched(found, method)
        if served is not None:
            return served
        index = _route_index(found)
        # Served only under other methods: a later route may still serve it (Starlette's order), else 405.
        for later in range(index + 1, len(self.routes)):
            other = self.routes[later]
            own = other.path_regex.match(path)
            if own is not None and (other.methods is None or method in other.methods):
                params = {name: other.param_convertors[name].convert(v) for name, v in own.groupdict().items()}
                return other, self._endpoints[later], params
        raise HTTPException(status_code=405, headers={"Allow": ", ".join(self.allowed(path))})

    def allowed(self, path: str) -> list[str]:
        """Every method some route serves `path` under, sorted (a 405's Allow header, RFC 9110 §10.2.1).

        Only asked on the way to a 405, so each route's own regex is tried: no cost on served requests.
        """
        methods: set[str] = set()
        for route in self.routes:
            if route.methods is not None and route.path_regex.match(path) is not None:
                methods.update(route.methods)
        return sorted(methods)


def _route_index(found: re.Match[str]) -> int:
    """Which route's alternative matched: its outer group `r<index>` is the last to close."""
    return int(found.lastgroup[1:])  # type: ignore[index]


def _as_async(endpoint: Callable[..., Any]) -> Endpoint:
    """Endpoints are coroutines; a plain function runs in the thread pool, as Starlette would run it."""
    target = endpoint
    while isinstance(target, functools.partial):
        target = target.func
    if inspect.iscoroutinefunction(target):
        return endpoint
    return functools.partial(run_in_threadpool, endpoint)


class Surface(Mount):
    """One vendor's surface at `path`: its routes, the renderer of all its errors, its middleware.

    `middleware` runs before routing, inside the error rendering (authentication raises, the renderer
    draws); `outer_middleware` wraps the rendering too, for middleware that must see every response,
    error bodies included (BigCommerce's rate-limit headers). Bodies over `max_body_bytes` (None: no
    limit) answer 413: a declared Content-Length is checked before the endpoint runs; a chunked body is
    counted as it comes. `unimplemented` answers the vendor operations none of `routes` serves with a
    501 in the vendor's envelope (storefake/coverage.py), asked only when no route served the request.
    `trim_trailing_slash` matches `/a/b/` as `/a/b` (Magento trims the path before
    routing); only paths no route matched as sent get there, so served requests pay nothing for it.
    Still a `Mount` to Starlette (`routes`, `url_path_for`, walking the app), only dispatched faster.
    """

    def __init__(
        self,
        path: str,
        routes: Sequence[BaseRoute],
        *,
        render: Renderer,
        max_body_bytes: int | None,
        middleware: Sequence[Middleware] = (),
        outer_middleware: Sequence[Middleware] = (),
        name: str | None = None,
        unimplemented: Unimplemented | None = None,
        trim_trailing_slash: bool = False,
    ) -> None:
        super().__init__(path, routes=list(routes), name=name)
        self.render = render
        self.unimplemented = unimplemented
        self.max_body_bytes = max_body_bytes
        self.trim_trailing_slash = trim_trailing_slash
        self.table = RouteTable(routes)
        self._mount_params: list[tuple[str, str, Convertor[Any]]] = []
        self._direct = self._mount_and_routes_regex()
        self._prefix = self._mount_prefix_regex()
        inner: ASGIApp = self._endpoint
        for cls, args, kwargs in reversed(middleware):
            inner = cls(inner, *args, **kwargs)
        self._inner = inner
        outer: ASGIApp = self._rendering_errors
        for cls, args, kwargs in reversed(outer_middleware):
            outer = cls(outer, *args, **kwargs)
        self._outer = outer

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        child_scope: Scope = {}
        return (Match.FULL, child_scope) if self.enter(scope, route_path(scope), child_scope) else (Match.NONE, {})

    def _mount_and_routes_regex(self) -> re.Pattern[str] | None:
        """The mount's prefix followed by any route: one match finds the surface, its route and all params."""
        pattern = self.path_regex.pattern
        if not (pattern.startswith("^") and pattern.endswith(_MOUNT_TAIL)):
            return None

        def renamed(match: re.Match[str]) -> str:
            name = match.group(1)
            self._mount_params.append((f"m_{name}", name, self.param_convertors[name]))
            return f"(?P<m_{name}>"

        prefix = _PARAM.sub(renamed, pattern[1 : -len(_MOUNT_TAIL)])
        return re.compile(f"^(?P<_mount>{prefix})(?:{self.table.alternatives})$")

    def _mount_prefix_regex(self) -> re.Pattern[str] | None:
        """The mount's own part followed by a slash, whatever comes after (newlines included)."""
        pattern = self.path_regex.pattern
        if not (pattern.startswith("^") and pattern.endswith(_MOUNT_TAIL)):
            return None
        return re.compile(pattern[: -len(_MOUNT_TAIL)] + "/")

    def enter(self, scope: Scope, path: str, child_scope: Scope) -> bool:
        """Does `path` lie under this surface? If so, fill `child_scope` as a Mount would (params, root path).

        A path one of its routes serves under this method is matched in one step, route included (kept for
        `_endpoint`); any other path under the mount (a 404 or 405 to draw) is entered the Mount's way.
        """
        # A newline: the Mount's `.*` stops at one where a route's `[^/]+` does not, so leave it to the Mount.
        found = None if self._direct is None or "\n" in path else self._direct.match(path)
        served = None if found is None else self.table.matched(found, scope["method"])
        if found is not None and served is not None:
            route, endpoint, params = served
            path_params = dict(scope.get("path_params", ()))
            for group, name, convertor in self._mount_params:
                path_params[name] = convertor.convert(found.group(group))
            path_params.update(params)
            _mounted(scope, child_scope, path, found.end("_mount"), path_params)
            child_scope[_ROUTE_MATCH] = (route, endpoint)
            return True
        found = self.path_regex.match(path)
        if found is None:
            return self._enter_across_newline(scope, path, child_scope)
        params = found.groupdict()
        remaining = "/" + params.pop("path")
        path_params = dict(scope.get("path_params", ()))
        for key, value in params.items():
            path_params[key] = self.param_convertors[key].convert(value)
        # Starlette's arithmetic: the mount's part is what `remaining` leaves of the path, and the routes see
        # the rest (with a trailing newline, which the Mount's `$` lets through, that rest is no route's).
        _mounted(scope, child_scope, path, len(path) - len(remaining), path_params)
        return True

    def _enter_across_newline(self, scope: Scope, path: str, child_scope: Scope) -> bool:
        """A path under the mount with a newline (`%0A`) inside: the Mount's `.*` stops at it, so Starlette
        would hand it to the next surface (Adobe's catch-all `/{tenant_id}`). It is still this surface's
        path and, as for Starlette, no route's: entered here, it gets this vendor's 404."""
        under = self._prefix.match(path) if self._prefix is not None and "\n" in path else None
        if under is None:
            return False
        path_params = dict(scope.get("path_params", ()))
        for key, value in under.groupdict().items():
            path_params[key] = self.param_convertors[key].convert(value)
        _mounted(scope, child_scope, path, under.end() - 1, path_params)
        child_scope[_NO_ROUTE] = True
        return True

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._outer(scope, receive, send)

    async def _rendering_errors(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            receive = self._limited(scope, receive)
            await self._inner(scope, receive, send)
        except (DomainError, HTTPException) as exc:
            if scope.get(RESPONSE_STARTED):
                raise
            honest = None if self.unimplemented is None else self._not_faked(scope, exc)
            header = None
            if honest is not None:
                exc, header = honest
            response = self.render(Request(scope, receive), exc)
            if header is not None:
                response.headers[UNIMPLEMENTED_HEADER] = header
            await response(scope, receive, send)

    def _not_faked(self, scope: Scope, exc: Exception) -> tuple[Exception, str | None] | None:
        """A vendor operation no route here serves, asked for: the 501 (or the vendor's refusal) to draw.

        Asked only on the error path: when routing found no route (404/405), or when the route that took
        the path failed and an operation has a literal segment where that route has a parameter.
        """
        route = scope.get("route")
        if isinstance(route, Route):  # the endpoint raised
            route_template: str | None = route.path
        elif isinstance(exc, HTTPException) and exc.status_code in (404, 405):
            route_template = None
        else:  # authentication, body limits: the vendor's own answer stands
            return None
        path = self._routing_path(scope)
        assert self.unimplemented is not None
        return self.unimplemented.answer(scope, scope["method"], path, route_template)

    def _routing_path(self, scope: Scope) -> str:
        """The path routes are matched against: trimmed of a trailing slash where the vendor trims it."""
        path = scope.get(_ROUTE_PATH) or route_path(scope)
        if self.trim_trailing_slash and len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        return path

    def _limited(self, scope: Scope, receive: Receive) -> Receive:
        if self.max_body_bytes is None:
            return receive
        declared = header_value(scope, b"content-length")
        if declared is not None and declared.isascii() and declared.isdigit():
            if int(declared) > self.max_body_bytes:
                raise HTTPException(status_code=413)
            return receive  # the server holds the body to its declared length
        limit, received = self.max_body_bytes, 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise HTTPException(status_code=413)
            return message

        return counted

    async def _endpoint(self, scope: Scope, receive: Receive, send: Send) -> None:
        matched = scope.pop(_ROUTE_MATCH, None)
        if scope.pop(_NO_ROUTE, False):
            raise HTTPException(status_code=404)
        if matched is not None:  # matched on entry, its params already in path_params
            route, endpoint = matched
        else:
            path = self._routing_path(scope)
            route, endpoint, params = self.table.match(path, scope["method"])
            if params:
                scope["path_params"] = {**scope["path_params"], **params}
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        response = await endpoint(SurfaceRequest(scope, receive, send))
        scope[RESPONSE_STARTED] = True
        await response(scope, receive, send)


class Dispatcher(Router):
    """The app's router: a mount is tried only when the path starts with its literal head.

    Otherwise Starlette's Router: routes in order, the first full match, else the first partial one
    (405), else 404; routes added to `routes` later are served too. Surfaces draw their own errors;
    `render` draws the rest (paths outside every mount, and errors of plain routes and mounts), so the
    app needs no exception middleware of its own.
    """

    def __init__(self, routes: Sequence[BaseRoute], *, render: Renderer) -> None:
        super().__init__(routes=list(routes), redirect_slashes=False)
        self.render = render
        self._heads: list[tuple[str, BaseRoute]] = []

    def _routes_with_heads(self) -> list[tuple[str, BaseRoute]]:
        # Computed once, and again when routes were added or removed (a test adding one); a route swapped
        # for another in place goes unnoticed.
        if len(self._heads) != len(self.routes):
            self._heads = [(literal_head(r.path) if isinstance(r, Mount) else "", r) for r in self.routes]
        return self._heads

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        scope.setdefault("router", self)
        path = route_path(scope)
        partial: tuple[BaseRoute, Scope] | None = None
        for head, route in self._routes_with_heads():
            if not path.startswith(head):
                continue
            if isinstance(route, Surface):  # the common case, without Starlette's (match, child scope) steps
                if route.enter(scope, path, scope):
                    scope["route"] = route
                    await route._outer(scope, receive, send)
                    return
                continue
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                await self._handle(route, child_scope, scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial = (route, child_scope)
        if partial is not None:
            await self._handle(*partial, scope, receive, send)
            return
        for head, route in self._routes_with_heads():
            # A surface's own root (`/__storefake`, `/ims`) is its path, not another's: it draws the 404.
            if isinstance(route, Surface) and "{" not in route.path and path == head[:-1]:
                response = route.render(Request(scope, receive), HTTPException(status_code=404))
                await response(scope, receive, send)
                return
        await self.not_found(scope, receive, send)

    def unrouted(self, method: str, path: str) -> tuple[int, Surface | None] | None:
        """What the router itself would answer `method path` with: None when a route serves it, else the
        status it draws (404 or 405) and the surface that draws it (None: outside every surface).

        Walks the routes as `app` does, for near-miss reports; never on a request's way.
        """
        scope: Scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
        partial = False
        for head, route in self._routes_with_heads():
            if not path.startswith(head):
                continue
            if isinstance(route, Surface):
                child: Scope = {}
                if not route.enter(scope, path, child):
                    continue
                if _ROUTE_MATCH in child:
                    return None
                try:
                    route.table.match(child[_ROUTE_PATH], method)
                except HTTPException as exc:
                    return exc.status_code, route
                return None
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return None
            partial = partial or match is Match.PARTIAL
        return (405 if partial else 404), None

    async def _handle(self, route: BaseRoute, child_scope: Scope, scope: Scope, receive: Receive, send: Send) -> None:
        """A plain route or mount (surfaces are entered directly in `app`)."""
        scope["route"] = route
        scope.update(child_scope)
        # Starlette's own routes draw HTTPExceptions with the handlers its exception middleware would set.
        scope["starlette.exception_handlers"] = ({HTTPException: self.render}, {})
        await route.handle(scope, receive, send)

    async def not_found(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.render(Request(scope, receive), HTTPException(status_code=404))
        await response(scope, receive, send)
