"""Logging for `storefake serve`: an access log of one line per request, and JSON lines for log shippers.

`--access-log` wraps the app in `AccessLog`, which logs method, path, status and duration once a request
is done; the query string is redacted as the journal redacts it and headers and bodies are never logged,
so no secret reaches a log. `--log-format json` writes every line (start-up banner, errors, uvicorn's own
messages, access lines) as one JSON object, with the fields of an access line as keys of their own.
"""

from __future__ import annotations

import copy
import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storefake.journal import redact_query

FORMATS = ("text", "json")
ACCESS_LOGGER = "storefake.access"
# Characters kept as they are in a logged path; anything else (spaces, controls, non-ASCII) is
# percent-encoded, so a path can never break its line or forge another one.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the record's `fields` if any."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": _timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            data["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def _timestamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def log_config(log_format: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` for uvicorn and storefake's loggers, in `log_format`.

    Text keeps uvicorn's own formatting; access lines go to stdout, as uvicorn's would.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["storefake"] = {"format": "%(message)s"}
    if log_format == "json":
        for name in list(config["formatters"]):
            config["formatters"][name] = {"()": JsonFormatter}
    config["handlers"]["storefake.access"] = {
        "class": "logging.StreamHandler",
        "formatter": "storefake",
        "stream": "ext://sys.stdout",
    }
    config["loggers"][ACCESS_LOGGER] = {"handlers": ["storefake.access"], "level": "INFO", "propagate": False}
    return config


class Console:
    """What `storefake serve` prints itself (banner, errors): plain lines, or JSON objects in json format."""

    def __init__(self, log_format: str = "text") -> None:
        self.json = log_format == "json"

    def info(self, message: str, **fields: Any) -> None:
        self._write(sys.stdout, "info", message, fields, message)

    def warning(self, message: str, **fields: Any) -> None:
        self._write(sys.stderr, "warning", message, fields, f"storefake: warning: {message}")

    def error(self, message: str, **fields: Any) -> None:
        self._write(sys.stderr, "error", message, fields, f"storefake: {message}")

    def _write(self, stream: TextIO, level: str, message: str, fields: dict[str, Any], text: str) -> None:
        if self.json:
            record = {"time": _timestamp(time.time()), "level": level, "logger": "storefake", "message": message}
            text = json.dumps({**record, **fields}, ensure_ascii=False)
        print(text, file=stream, flush=True)


class AccessLog:
    """Pure-ASGI middleware: one log line per HTTP request once it is done (method, path, status, duration).

    The status is 0 when the response never started (a mock rule dropped the connection, or the client left).
    """

    def __init__(self, app: ASGIApp, logger: logging.Logger | None = None) -> None:
        self.app = app
        self.logger = logger or logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0
        started = time.perf_counter()

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self._log(scope, status, time.perf_counter() - started)

    def _log(self, scope: Scope, status: int, seconds: float) -> None:
        path = quote(scope["path"], safe=_PATH_SAFE)
        query = redact_query(scope.get("query_string", b"").decode("latin-1"))
        query = quote(query, safe=_PATH_SAFE + "?")
        client = scope.get("client")
        where = f"{client[0]}:{client[1]}" if client else "-"
        duration_ms = round(seconds * 1000, 3)
        target = f"{path}?{query}" if query else path
        fields = {
            "method": scope["method"],
            "path": path,
            "query": query,
            "status": status,
            "duration_ms": duration_ms,
            "client": where,
        }
        self.logger.info(
            '%s "%s %s" %d %.1f ms', where, scope["method"], target, status, duration_ms, extra={"fields": fields}
        )
