"""The fake on a real socket, in a background thread: for clients that are not httpx (requests, other languages).

Modelled on pytest-httpserver's threaded server: bind 127.0.0.1 on port 0 and read the port back (never a
fixed port, so xdist workers never collide), serve from a daemon thread, return only once a readiness
probe answered, stop cleanly even while keep-alive clients hold connections, and re-raise in the caller
any error the server thread or the app raised.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from storefake.config import Config
from storefake.faults import DroppedConnection
from storefake.timeouts import HEADER_TIMEOUT, head_timeout_protocol

STARTUP_TIMEOUT = 10.0
# Requests still running at shutdown get this long; idle keep-alive connections are closed at once.
GRACEFUL_SHUTDOWN_SECONDS = 2.0


class ServerError(RuntimeError):
    """The server thread failed to start or stopped with an error."""


class _ErrorRecorder:
    """Pure-ASGI wrapper keeping the app's unhandled exceptions, so the test sees them and not just a 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.errors: list[BaseException] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except DroppedConnection:
            raise  # a deliberately injected fault, not an app failure
        except Exception as exc:
            self.errors.append(exc)
            raise


class ThreadedServer:
    """`with ThreadedServer() as server:` serves a fake at `server.url`; `server.fake` is its runtime.

    Takes an app from `create_app`, a `Config`, or nothing (the bundled fixtures). Usable once.
    """

    def __init__(
        self,
        app_or_config: Any = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        header_timeout: float = HEADER_TIMEOUT,
    ) -> None:
        if app_or_config is None or isinstance(app_or_config, Config):
            from storefake.app import create_app

            app_or_config = create_app(app_or_config)
        self.app = app_or_config
        self.host = host
        self.port = port
        self.header_timeout = header_timeout
        self._recorder = _ErrorRecorder(self.app)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._thread_error: BaseException | None = None

    @property
    def fake(self) -> Any:
        """The runtime behind the served app: state, journal, clock, reset(), seed()."""
        return self.app.state.fake

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321 (no trailing slash)."""
        if self._thread is None:
            raise ServerError("the server is not running; call start() or use it as a context manager")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> ThreadedServer:
        """Bind, start the thread and wait until a request to the control API's health endpoint succeeds."""
        import uvicorn

        if self._thread is not None:
            raise ServerError("this server was already started")
        sock = self._bind()
        fake = getattr(getattr(self.app, "state", None), "fake", None)
        if fake is not None:  # webhooks must not be sent to the fake itself (storefake/listening.py)
            fake.listening.add(self.host, self.port)
        config = uvicorn.Config(
            self._recorder,
            log_config=None,  # leave the test process's logging configuration alone
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            http=head_timeout_protocol(self.header_timeout),  # a client trickling its head is cut off
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, args=(sock,), name=f"storefake-{self.port}", daemon=True)
        self._thread.start()
        self._wait_ready()
        return self

    def stop(self) -> None:
        """Shut down (closing idle keep-alive connections), join the thread, re-raise its errors."""
        if self._thread is None or self._server is None:
            return
        self._server.should_exit = True
        self._thread.join(GRACEFUL_SHUTDOWN_SECONDS + 5)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(5)
        self.check()

    def check(self) -> None:
        """Raise the first error the server thread or the app raised (then forget it)."""
        if self._thread_error is not None:
            error, self._thread_error = self._thread_error, None
            raise ServerError(f"the storefake server thread failed: {error!r}") from error
        if self._recorder.errors:
            error = self._recorder.errors.pop(0)
            self._recorder.errors.clear()
            raise error

    def target(self) -> Any:
        """A `storefake.targets.Target` of kind "server" pointing here, with the fake's default credentials."""
        from storefake.targets import server_target

        return server_target(self.url, self.fake.fixtures, fake=self.fake)

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if exc_type is None:
            self.stop()
            return
        with contextlib.suppress(Exception):  # an exception is already on its way out: don't mask it
            self.stop()

    def __repr__(self) -> str:
        state = self.url if self.is_running else "stopped"
        return f"<ThreadedServer {state}>"

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        return sock

    def _run(self, sock: socket.socket) -> None:
        try:
            self._server.run(sockets=[sock])
        except BaseException as exc:  # handed to the caller's thread by check()
            self._thread_error = exc
        finally:
            sock.close()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._thread is None or not self._thread.is_alive():
                self.check()
                raise ServerError("the storefake server thread exited during startup")
            if self._server.started and self._probe():
                return
            time.sleep(0.01)
        self.stop()
        raise ServerError(f"the storefake server did not become ready within {STARTUP_TIMEOUT} s")

    def _probe(self) -> bool:
        # A raw socket, not httpx: an active storefake.mock()/respx must not see (or block) the probe.
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as conn:
                conn.sendall(b"GET /__storefake/health HTTP/1.1\r\nHost: storefake\r\nConnection: close\r\n\r\n")
                return conn.recv(16).startswith(b"HTTP/1.1 200")
        except OSError:
            return False
