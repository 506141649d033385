"""Shared benchmark harness: serve an app with uvicorn in a subprocess, a bare Starlette baseline, a load loop.

Not run by CI. Vendor benchmarks (benchmarks/<vendor>_*.py) use it like this:

    with serve(storefake_command()) as fake_url, serve(bare_command({"/ping": {"ok": True}})) as bare_url:
        fake = load(fake_url, lambda i: get("/T/V1/customers/1"), seconds=3)
        bare = load(bare_url, lambda i: get("/ping"), seconds=3)
        print(fake.rps / bare.rps)

Both servers run the same way (`uvicorn.Server(...).run(sockets=[...])` on a socket bound to 127.0.0.1:0,
as `storefake serve` does), so the ratio isolates what the fake adds per request. The load loop is a
small asyncio HTTP/1.1 keep-alive client over raw streams: far cheaper per request than httpx, so on a
small machine the client is less likely to be the bottleneck it measures.

    python benchmarks/harness.py bare BODIES.json   # the baseline server (used through bare_command)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

Request = bytes
RequestFactory = Callable[[int], Request]


# --- servers -------------------------------------------------------------------------------------------


def storefake_command(*args: str) -> list[str]:
    """`storefake serve` on a free port (extra CLI args appended)."""
    return [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", *args]


def bare_command(bodies: Mapping[str, Any]) -> list[str]:
    """A one-file Starlette app answering each path with its fixed JSON body (GET, or POST after parsing JSON)."""
    handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)  # noqa: SIM115 (lives as long as the run)
    with handle:
        json.dump(dict(bodies), handle)
    return [sys.executable, os.path.abspath(__file__), "bare", handle.name]


@contextlib.contextmanager
def serve(command: list[str]) -> Iterator[str]:
    """Start a server subprocess whose first stdout line ends with its base URL; yield that URL."""
    with serve_process(command) as (url, _):
        yield url


@contextlib.contextmanager
def serve_process(command: list[str], env: Mapping[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """As `serve`, yielding (URL, pid): `cpu_seconds(pid)` is the CPU the server has used."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if "listening on" not in first:
            raise RuntimeError(f"server did not start: {first!r} {process.stderr.read() if process.stderr else ''}")
        yield first.split()[-1], process.pid
    finally:
        process.terminate()
        process.communicate(timeout=60)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process `pid` has used (Linux /proc), all its threads included.

    On a shared machine a server's CPU per request moves far less than its requests per second: what the
    others run slows its wall clock, not the work each request takes.
    """
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_bare(bodies_file: str) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request as StarletteRequest
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    with open(bodies_file) as handle:
        bodies = json.load(handle)

    def endpoint(body: Any) -> Callable[[StarletteRequest], Any]:
        async def answer(request: StarletteRequest) -> JSONResponse:
            if request.method == "POST":
                json.loads(await request.body())
            return JSONResponse(body)

        return answer

    run_app(Starlette(routes=[Route(path, endpoint(body), methods=["GET", "POST"]) for path, body in bodies.items()]))


def run_app(app: Any, label: str = "bare") -> None:
    """Serve `app` as `storefake serve` serves the fake; the first line printed ends with the base URL."""
    import socket

    import uvicorn

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"{label} listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    from storefake.cli import prepare_collector

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    prepare_collector()
    server.run(sockets=[sock])


# --- requests ------------------------------------------------------------------------------------------


def get(path: str, headers: Mapping[str, str] | None = None) -> Request:
    return _request("GET", path, b"", headers)


def post_json(path: str, body: Any, headers: Mapping[str, str] | None = None) -> Request:
    return _request("POST", path, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})})


def _request(method: str, path: str, body: bytes, headers: Mapping[str, str] | None) -> Request:
    lines = [f"{method} {path} HTTP/1.1", "Host: bench", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# --- load ----------------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


def load(base_url: str, make: RequestFactory, *, seconds: float = 3.0, clients: int = 8, ok: int = 200) -> LoadResult:
    """Keep `clients` connections busy for `seconds`; request i is `make(i)`; non-`ok` answers are errors."""
    with contextlib.suppress(ImportError):
        import uvloop

        return uvloop.run(_load(base_url, make, seconds, clients, ok))
    return asyncio.run(_load(base_url, make, seconds, clients, ok))


async def _load(base_url: str, make: RequestFactory, seconds: float, clients: int, ok: int) -> LoadResult:
    parts = urlsplit(base_url)
    counter = iter(range(1 << 62))
    result = LoadResult(0, 0.0, 0)
    started = time.perf_counter()
    deadline = started + seconds

    async def client() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                writer.write(make(next(counter)))
                status = await _read_response(reader)
                result.latencies_ms.append((time.perf_counter() - sent) * 1000)
                result.requests += 1
                result.errors += status != ok
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


def best_of(rounds: int, run: Callable[[], LoadResult]) -> LoadResult:
    """The round with the highest throughput (the least disturbed by the rest of the machine)."""
    return max((run() for _ in range(rounds)), key=lambda r: r.rps)


@dataclass
class Comparison:
    """Paired rounds of a subject and its baseline; each pair runs back to back, so both see the same load."""

    subject: list[LoadResult]
    baseline: list[LoadResult]

    @property
    def ratios(self) -> list[float]:
        return [s.rps / b.rps for s, b in zip(self.subject, self.baseline, strict=True) if b.rps]

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.ratios)


def compare(rounds: int, subject: Callable[[], LoadResult], baseline: Callable[[], LoadResult]) -> Comparison:
    """Alternate subject and baseline rounds (a shared machine's load drifts; pairs cancel most of it)."""
    result = Comparison([], [])
    for _ in range(rounds):
        result.subject.append(subject())
        result.baseline.append(baseline())
    return result


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "bare":
        _run_bare(sys.argv[2])
    else:
        raise SystemExit("usage: harness.py bare BODIES.json")
