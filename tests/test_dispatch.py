"""The router keeps Starlette's routing rules while dispatching in one step.

A small real app (two surfaces with their own renderers, the dispatcher as the app's router) driven by a
real httpx client: route order, path parameters, 404/405 drawn by the surface's renderer, middleware
inside and outside the error rendering, the body limit, and routes added to the router later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefake.dispatch import Dispatcher, RouteTable, Surface, literal_head
from storefake.errors import DomainError, NotFound
from storefake.transport import SyncASGITransport


def render_a(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404 if isinstance(exc, NotFound) else 400)
    body = {"vendor": "a", "error": type(exc).__name__, "status": status}
    return JSONResponse(body, status_code=status, headers=getattr(exc, "headers", None))


def render_b(request: Request, exc: Exception) -> Response:
    return PlainTextResponse(f"b says {type(exc).__name__}", status_code=getattr(exc, "status_code", 418))


async def echo(request: Request) -> Response:
    return JSONResponse(
        {
            "route": request.scope["route"].path,
            "params": request.path_params,
            "root_path": request.scope["root_path"],
            "body": (await request.body()).decode(),
        }
    )


def sync_echo(request: Request) -> Response:  # a plain function runs in the thread pool
    return JSONResponse({"sync": True, "params": request.path_params})


async def missing(request: Request) -> Response:
    raise NotFound("gone")


class Refuse:
    """Inner middleware: refuses requests carrying `x-refuse` by raising, as authentication does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if any(key == b"x-refuse" for key, _ in scope["headers"]):
            raise DomainError("refused")
        await self.app(scope, receive, send)


class Stamp:
    """Outer middleware: stamps every response, error responses included, as rate limits do."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], (b"x-stamp", b"yes")]}
            await send(message)

        await self.app(scope, receive, stamped)


def build() -> Starlette:
    surface_a = Surface(
        "/a/{tenant}",
        [
            Route("/things/search", echo, methods=["GET"]),
            Route("/things/{thing_id:int}", echo, methods=["GET"]),
            Route("/things/{thing_id}", echo, methods=["PUT"]),
            Route("/sync/{x}", sync_echo, methods=["GET"]),
            Route("/missing", missing, methods=["GET"]),
            Route("/upload", echo, methods=["POST"]),
        ],
        render=render_a,
        max_body_bytes=10,
        middleware=[Middleware(Refuse)],
        outer_middleware=[Middleware(Stamp)],
    )
    surface_b = Surface("/b", [Route("/only-post", echo, methods=["POST"])], render=render_b, max_body_bytes=100)
    app = Starlette()
    app.router = Dispatcher([surface_a, surface_b], render=render_b)
    return app


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(transport=SyncASGITransport(build()), base_url="http://test") as client:
        yield client


def test_literal_route_before_parameter_and_converted_params(client: httpx.Client) -> None:
    assert client.get("/a/t1/things/search").json()["route"] == "/things/search"
    answer = client.get("/a/t1/things/42").json()
    assert answer["route"] == "/things/{thing_id:int}"
    assert answer["params"] == {"tenant": "t1", "thing_id": 42}
    assert answer["root_path"] == "/a/t1"


def test_a_path_served_under_another_method_falls_through_to_a_later_route(client: httpx.Client) -> None:
    # PUT /things/search: the literal route is GET only; the later PUT /things/{thing_id} serves it.
    answer = client.put("/a/t1/things/search").json()
    assert answer["route"] == "/things/{thing_id}"
    assert answer["params"] == {"tenant": "t1", "thing_id": "search"}


def test_405_and_404_are_drawn_by_the_surface_renderer(client: httpx.Client) -> None:
    not_allowed = client.delete("/a/t1/things/search")
    assert not_allowed.status_code == 405
    assert not_allowed.json() == {"vendor": "a", "error": "HTTPException", "status": 405}
    assert not_allowed.headers["allow"] == "GET, HEAD, PUT"  # PUT /things/{thing_id} serves it too
    unknown = client.get("/a/t1/nowhere")
    assert (unknown.status_code, unknown.json()["vendor"]) == (404, "a")
    other = client.get("/b/only-post")
    assert (other.status_code, other.text) == (405, "b says HTTPException")


def test_a_newline_inside_a_mounted_path_is_the_surface_404(client: httpx.Client) -> None:
    # The Mount's `.*` stops at a newline; the path is still under /a/{tenant}, not the app's to draw.
    for path in ("/a/t1/things%0Asearch", "/a/t1/things/x%0Ay", "/a/t1/th%0Aings/42"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"vendor": "a", "error": "HTTPException", "status": 404}


def test_405_allow_lists_the_methods_of_every_route_serving_the_path(client: httpx.Client) -> None:
    # GET /things/{thing_id:int} and PUT /things/{thing_id} both serve /things/7.
    assert client.delete("/a/t1/things/7").headers["allow"] == "GET, HEAD, PUT"


def test_405_allow_for_the_adobe_routes_names_every_method_of_the_path() -> None:
    # ACCS answers a wrong method with Magento's 404, so the header is checked on its route table.
    from storefake.adobe import routes as adobe_routes

    with pytest.raises(HTTPException) as raised:
        RouteTable(adobe_routes.routes).match("/V1/customers/7", "POST")
    assert raised.value.status_code == 405
    assert raised.value.headers == {"Allow": "DELETE, GET, HEAD, PUT"}


def test_domain_errors_from_endpoints_and_inner_middleware_are_rendered(client: httpx.Client) -> None:
    gone = client.get("/a/t1/missing")
    assert (gone.status_code, gone.json()["error"]) == (404, "NotFound")
    refused = client.get("/a/t1/things/1", headers={"x-refuse": "1"})
    assert (refused.status_code, refused.json()["error"]) == (400, "DomainError")


def test_outer_middleware_sees_every_response(client: httpx.Client) -> None:
    assert client.get("/a/t1/things/1").headers["x-stamp"] == "yes"
    assert client.get("/a/t1/nowhere").headers["x-stamp"] == "yes"
    assert client.get("/a/t1/things/1", headers={"x-refuse": "1"}).headers["x-stamp"] == "yes"


def test_sync_endpoints_run(client: httpx.Client) -> None:
    assert client.get("/a/t1/sync/x1").json() == {"sync": True, "params": {"tenant": "t1", "x": "x1"}}


def test_body_limit_declared_and_streamed(client: httpx.Client) -> None:
    assert client.post("/a/t1/upload", content=b"0123456789").json()["body"] == "0123456789"
    too_big = client.post("/a/t1/upload", content=b"0123456789X")
    assert (too_big.status_code, too_big.json()["status"]) == (413, 413)

    def chunks() -> Iterator[bytes]:
        yield b"012345"
        yield b"6789XY"

    streamed = client.post("/a/t1/upload", content=chunks())
    assert (streamed.status_code, streamed.json()["status"]) == (413, 413)


def test_paths_outside_every_mount_and_routes_added_later() -> None:
    app = build()

    async def added(request: Request) -> Response:
        return PlainTextResponse("added")

    async def refused(request: Request) -> Response:
        raise HTTPException(status_code=409)

    app.router.routes.append(Route("/later", added))
    app.router.routes.append(Route("/refused", refused))
    app.router.routes.append(Mount("/mounted", routes=[Route("/x", added)]))
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://test") as client:
        assert client.get("/later").text == "added"
        assert client.get("/mounted/x").text == "added"
        # The dispatcher's renderer draws what has no surface: unknown paths, plain routes' errors.
        assert (client.get("/elsewhere").status_code, client.get("/elsewhere").text) == (404, "b says HTTPException")
        assert (client.get("/refused").status_code, client.get("/refused").text) == (409, "b says HTTPException")
        assert client.post("/later").status_code == 405
        assert client.get("/mounted/y").status_code == 404
        assert client.get("/a/t1").status_code == 404  # a mount needs a path below it


def test_literal_heads() -> None:
    assert literal_head("/stores/{store_hash}") == "/stores/"
    assert literal_head("/{tenant_id}") == "/"
    assert literal_head("/__storefake") == "/__storefake/"


def test_route_table_refuses_what_it_cannot_dispatch() -> None:
    with pytest.raises(TypeError):
        RouteTable([Mount("/x", routes=[])])


def reference() -> Starlette:
    """Starlette's own Mount and Router over the same routes: the semantics the dispatcher keeps (no
    trailing-slash redirects, which the fake's vendors don't send)."""
    app = Starlette(
        routes=[
            Mount(
                "/a/{tenant}",
                routes=[
                    Route("/things/search", echo, methods=["GET"]),
                    Route("/things/{thing_id:int}", echo, methods=["GET"]),
                    Route("/things/{thing_id}", echo, methods=["PUT"]),
                ],
            ),
            Mount("/b", routes=[Route("/only-post", echo, methods=["POST"])]),
        ]
    )
    for router in (app.router, *(mount.app for mount in app.routes)):
        router.redirect_slashes = False
    return app


def call(app: ASGIApp, method: str, path: str) -> tuple[int, bytes]:
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "root_path": ""}
    scope |= {"query_string": b"", "headers": [], "http_version": "1.1", "scheme": "http", "server": ("t", 80)}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


SEGMENTS = ["a", "b", "t1", "things", "search", "42", "only-post", "", "\n", "x\ny", "42\n", "%2F"]


@settings(max_examples=400, deadline=None)
@example(["a", "t1", "things", "42"], "GET")
@example(["a", "t1", "things", "search"], "PUT")
@example(["a", "t1", "things", "42\n"], "GET")
@example(["a", "t1", "things", "x\ny"], "PUT")
@example(["a", "t\n1", "things", "search"], "GET")
@given(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=5), st.sampled_from(["GET", "PUT", "POST", "HEAD"]))
def test_routing_agrees_with_starlette_on_any_path(segments: list[str], method: str) -> None:
    path = "/" + "/".join(segments)
    ours, theirs = call(build(), method, path), call(reference(), method, path)
    assert ours[0] == theirs[0], path
    if ours[0] == 200 and method != "HEAD":
        assert ours[1] == theirs[1], path  # the same route, params and root path


def test_a_surface_root_without_its_slash_is_that_surfaces_404() -> None:
    from storefake import create_app

    client = httpx.Client(transport=SyncASGITransport(create_app()), base_url="http://test")
    ims = client.post("/ims")
    assert (ims.status_code, ims.json()) == (404, {"error": "not_found", "error_description": "Not Found"})
    oauth = client.post("/oauth2")
    assert (oauth.status_code, oauth.json()) == (404, {"error": "Not Found"})


def test_body_limit_a_declared_length_in_non_ascii_digits_is_counted_as_it_streams(client: httpx.Client) -> None:
    # "\xb9" (a superscript one in latin-1) passes str.isdigit but not int(): the body is counted, not a 500.
    headers = {b"content-length": b"\xb9"}
    small = client.post("/a/t1/upload", content=b"0123456789", headers=headers)
    assert (small.status_code, small.json()["body"]) == (200, "0123456789")
    too_big = client.post("/a/t1/upload", content=b"0123456789X", headers=headers)
    assert (too_big.status_code, too_big.json()["status"]) == (413, 413)
