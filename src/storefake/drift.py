"""Drift reports: record contract runs scrubbed of secrets and volatile values, and diff two recordings.

A recording is a directory with one JSON file per case (`<suite>/<case>.json`) holding each exchange's
step, request method and path *template* (`/V1/customers/${id}`, the same on every target) and the
scrubbed response: status, the documented headers, the body. Scrubbing is one pure function applied the
same way to every target, so two recordings of a faithful fake and its vendor differ only where the
vendor's behaviour differs. `diff` compares what clients depend on: status, documented headers, field
sets, JSON types, and error texts; other values (names, prices, counts) are data, not contract.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storefake.contracts.runner import Exchange

FORMAT = "storefake-recording/1"
# The headers the vendor docs make clients depend on; others (date, server, request ids) are noise.
RECORDED_HEADERS = (
    "content-type",
    "x-rate-limit-time-window-ms",
    "x-rate-limit-time-reset-ms",
    "x-rate-limit-requests-quota",
    "x-rate-limit-requests-left",
    "x-retry-after",
    "retry-after",
)
EXACT_HEADERS = frozenset({"content-type"})
SECRET_KEYS = frozenset({"access_token", "client_secret", "password", "token", "authorization", "x-auth-token"})
ERROR_TEXT_KEYS = frozenset({"message", "title", "error", "error_description"})
_VOLATILE_KEY = re.compile(
    r"^(id|.*_id|.*Id|created_at|updated_at|date_.*|.*_date|last_login_at|time|hash|.*_cursor|account_uuid"
    r"|default_billing|default_shipping|url|resource|.*_url|.*_link|custom_url|tracking_number)$"
)
_TIMESTAMP = re.compile(
    r"^(\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?"
    r"|[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4})$"
)
_JWT = re.compile(r"^eyJ[\w-]*\.[\w-]*\.[\w-]*$")
_UNIQUE = re.compile(r"sf[0-9a-f]{10}")
SCRUBBED = "<scrubbed>"


# --- scrubbing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scrubber:
    """Replaces secrets, the run's unique values and captured ids; volatile fields keep only their type."""

    secrets: frozenset[str] = frozenset()
    replacements: tuple[tuple[re.Pattern[str], str], ...] = ()
    captured_ints: frozenset[int] = frozenset()

    @classmethod
    def for_exchange(cls, exchange: Exchange, secrets: Iterable[str]) -> Scrubber:
        patterns: list[tuple[re.Pattern[str], str]] = []
        ints: set[int] = set()
        for name, value in sorted(exchange.variables.items()):
            if name in ("target",) or isinstance(value, bool):
                continue
            if isinstance(value, int):
                ints.add(value)
                patterns.append((re.compile(rf"(?<![\w.]){value}(?![\w.])"), f"<{name}>"))
            elif isinstance(value, str) and len(value) >= 6 and name not in ("unique",):
                patterns.append((re.compile(re.escape(value)), f"<{name}>"))
        return cls(frozenset(s for s in secrets if s), tuple(patterns), frozenset(ints))

    def text(self, value: str) -> str:
        if value in self.secrets or _JWT.match(value):
            return "<secret>"
        if _TIMESTAMP.match(value):
            return "<timestamp>"
        for secret in self.secrets:
            value = value.replace(secret, "<secret>")
        for pattern, replacement in self.replacements:
            value = pattern.sub(replacement, value)
        return _UNIQUE.sub("<unique>", value)

    def value(self, value: Any, key: str | None = None) -> Any:
        if key is not None and key.lower() in SECRET_KEYS and value is not None:
            return "<secret>" if isinstance(value, str) else value
        if isinstance(value, Mapping):
            return {str(k): self.value(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(item, key) for item in value]
        volatile = key is not None and bool(_VOLATILE_KEY.match(key))
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return 0 if volatile or value in self.captured_ints else value
        if isinstance(value, float):
            return 0.0 if volatile else value
        if isinstance(value, str):
            return SCRUBBED if volatile else self.text(value)
        return value


def scrub_exchange(exchange: Exchange, secrets: Iterable[str]) -> dict[str, Any]:
    """One exchange as stored in a recording."""
    scrubber = Scrubber.for_exchange(exchange, secrets)
    headers = {}
    for name in RECORDED_HEADERS:
        if name in exchange.headers:
            headers[name] = exchange.headers[name] if name in EXACT_HEADERS else SCRUBBED
    body = exchange.body
    return {
        "step": exchange.step.name,
        "cleanup": exchange.cleanup,
        "index": exchange.index,
        "request": {"vendor": exchange.step.vendor, "method": exchange.method, "path": exchange.step.request.path},
        "response": {"status": exchange.status, "headers": headers, "body": scrubber.value(body)},
    }


class Recorder:
    """Collects scrubbed exchanges per case (pass `recorder.add` as the Runner's `on_exchange`)."""

    def __init__(self, target_kind: str, secrets: Iterable[str]) -> None:
        self.target_kind = target_kind
        self.secrets = frozenset(secrets)
        self.cases: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.skipped: dict[tuple[str, str], str] = {}

    def add(self, exchange: Exchange) -> None:
        key = (exchange.case.suite, exchange.case.name)
        self.cases.setdefault(key, []).append(scrub_exchange(exchange, self.secrets))

    def skip(self, suite: str, case: str, reason: str) -> None:
        """A case this target did not run (fake-only, live writes): recorded so diff knows why it is empty."""
        self.skipped[(suite, case)] = reason

    def write(self, directory: str | Path) -> list[Path]:
        """Write one file per case under `directory`, replacing earlier recordings of the same suites."""
        root = Path(directory)
        written = []
        for suite in {suite for suite, _ in [*self.cases, *self.skipped]}:
            for stale in (root / suite).glob("*.json"):
                stale.unlink()
        documents = {key: {"exchanges": exchanges} for key, exchanges in self.cases.items()}
        documents.update({key: {"skipped": reason, "exchanges": []} for key, reason in self.skipped.items()})
        for (suite, case), content in sorted(documents.items()):
            path = root / suite / f"{slug(case)}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            document = {"format": FORMAT, "suite": suite, "case": case, **content}
            path.write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n", "utf-8")
            written.append(path)
        return written


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "case"


def target_secrets(target: Any) -> set[str]:
    """Credential values of a target (client secrets, tokens) that must never reach a recording."""
    found: set[str] = set()
    for vendor in ("adobe", "bigcommerce"):
        try:
            credentials = target.credentials(vendor)
        except (KeyError, ValueError):
            continue
        found.update(value for key, value in credentials.items() if key in ("client_secret", "access_token") and value)
    return found


# --- diffing -----------------------------------------------------------------------------------------


@dataclass
class Shape:
    """Per JSON path (`$.items[].email`): the set of JSON types seen, and error texts."""

    types: dict[str, set[str]] = field(default_factory=dict)
    texts: dict[str, set[str]] = field(default_factory=dict)
    empty_lists: set[str] = field(default_factory=set)


def _type(value: Any) -> str:
    from storefake.contracts.matching import type_name

    return type_name(value)


def shape_of(document: Any) -> Shape:
    shape = Shape()

    def walk(value: Any, path: str, key: str | None, in_errors: bool) -> None:
        shape.types.setdefault(path, set()).add(_type(value))
        if isinstance(value, Mapping):
            for child_key, child in value.items():
                walk(child, f"{path}.{child_key}", str(child_key), in_errors or child_key == "errors")
        elif isinstance(value, list):
            if not value:
                shape.empty_lists.add(path)
            for item in value:
                walk(item, f"{path}[]", key, in_errors)
        elif isinstance(value, str) and (key in ERROR_TEXT_KEYS or in_errors):
            shape.texts.setdefault(path, set()).add(value)

    if document is not None:
        walk(document, "$", None, False)
    return shape


def _under_empty_list(path: str, empty: set[str]) -> bool:
    return any(path.startswith(prefix + "[]") for prefix in empty)


def diff_bodies(a: Any, b: Any) -> list[str]:
    left, right = shape_of(a), shape_of(b)
    lines = []
    for path in sorted(set(left.types) | set(right.types)):
        if path not in right.types:
            if not _under_empty_list(path, right.empty_lists):
                lines.append(f"field {path}: only in A")
        elif path not in left.types:
            if not _under_empty_list(path, left.empty_lists):
                lines.append(f"field {path}: only in B")
        elif left.types[path] != right.types[path]:
            lines.append(f"type {path}: {'|'.join(sorted(left.types[path]))} != {'|'.join(sorted(right.types[path]))}")
    for path in sorted(set(left.texts) & set(right.texts)):
        if left.texts[path] != right.texts[path]:
            lines.append(f"error text {path}: {sorted(left.texts[path])!r} != {sorted(right.texts[path])!r}")
    return lines


def diff_exchanges(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    lines = []
    ra, rb = a["response"], b["response"]
    if ra["status"] != rb["status"]:
        lines.append(f"status: {ra['status']} != {rb['status']}")
    for name in sorted(set(ra["headers"]) | set(rb["headers"])):
        if name not in rb["headers"]:
            lines.append(f"header {name}: only in A")
        elif name not in ra["headers"]:
            lines.append(f"header {name}: only in B")
        elif ra["headers"][name] != rb["headers"][name]:
            lines.append(f"header {name}: {ra['headers'][name]!r} != {rb['headers'][name]!r}")
    return lines + diff_bodies(ra["body"], rb["body"])


def load_recording(directory: str | Path) -> dict[str, dict[str, Any]]:
    """{"<suite>/<case file>": document} for every recording file under `directory`."""
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"no recording directory {root}")
    found = {}
    for path in sorted(root.rglob("*.json")):
        document = json.loads(path.read_text("utf-8"))
        if isinstance(document, dict) and document.get("format") == FORMAT:
            found[path.relative_to(root).as_posix()] = document
    return found


def _key(exchange: Mapping[str, Any]) -> tuple[bool, int]:
    return (bool(exchange.get("cleanup")), int(exchange.get("index", 0)))


def skipped_cases(a: str | Path, b: str | Path) -> list[str]:
    """Cases one of the recordings skipped, so diff could not compare them."""
    left, right = load_recording(a), load_recording(b)
    return sorted(name for name in set(left) & set(right) if "skipped" in left[name] or "skipped" in right[name])


def diff_recordings(a: str | Path, b: str | Path) -> list[str]:
    """Readable drift lines between recordings A and B; empty when they agree."""
    left, right = load_recording(a), load_recording(b)
    report: list[str] = []
    for name in sorted(set(left) | set(right)):
        if name not in right:
            report.append(f"{name}: case only in A")
            continue
        if name not in left:
            report.append(f"{name}: case only in B")
            continue
        if "skipped" in left[name] or "skipped" in right[name]:
            continue  # not run on one target (fake-only credentials, live writes): nothing to compare
        steps_a = {_key(x): x for x in left[name]["exchanges"]}
        steps_b = {_key(x): x for x in right[name]["exchanges"]}
        for key in sorted(set(steps_a) | set(steps_b)):
            exchange = steps_a.get(key) or steps_b[key]
            request = exchange["request"]
            kind = "cleanup step" if key[0] else "step"
            where = f"{name} {kind} {key[1] + 1} {exchange['step']!r} ({request['method']} {request['path'] or '/'})"
            if key not in steps_b:
                report.append(f"{where}: only in A")
            elif key not in steps_a:
                report.append(f"{where}: only in B")
            else:
                lines = diff_exchanges(steps_a[key], steps_b[key])
                if lines:
                    report.append(where + ":\n" + "\n".join(f"  {line}" for line in lines))
    return report
