"""The mock-rule model: what a rule matches, what it does, and how often; parsed from plain data.

A rule is data first (YAML, JSON or a Python dict) and is validated here once, so the middleware only
ever sees well-formed rules and a bad file fails at load time with the file, rule and key named.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import yaml

VENDORS = ("adobe", "bigcommerce", "ims", "any")
RULE_KEYS = frozenset({"id", "name", "description", "match", "times", "after", "probability", "delay"})
ACTION_KEYS = ("respond", "error", "drop")
MATCH_KEYS = frozenset({"vendor", "tenant", "store", "method", "path", "path_regex", "query", "headers", "body"})
RESPOND_KEYS = frozenset({"status", "headers", "json", "text"})
ERROR_KEYS = frozenset({"status", "message", "headers", "retry_after"})
MAX_DELAY_SECONDS = 3600
MOCK_SUFFIXES = (".yaml", ".yml", ".json")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")  # no CR, LF or NUL
RULE_ID = re.compile(r"[\w.:@-]{1,200}")  # ids appear in control-API paths: no slashes


class RuleError(ValueError):
    """A mock rule (or mock file) that cannot be used; the text says where and why."""


@dataclass(frozen=True)
class Match:
    """The request criteria; an empty field matches anything."""

    vendor: str = "any"
    tenants: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    path_globs: re.Pattern[str] | None = None  # `paths` compiled once (fnmatch rules: `*` also crosses `/`)
    path_regexes: tuple[re.Pattern[str], ...] = ()
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)  # names in lower case
    body: Any = None


@dataclass(frozen=True)
class Respond:
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    text: str | None = None
    has_json: bool = False


@dataclass(frozen=True)
class VendorError:
    status: int = 503
    message: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    retry_after: float = 1.0


@dataclass(frozen=True)
class Delay:
    low: float
    high: float


@dataclass(frozen=True)
class RuleSpec:
    """One validated rule, immutable; its counters live in the rule set that holds it."""

    id: str
    match: Match
    action: Respond | VendorError | str | None  # "drop" for a dropped connection; None: only delay
    delay: Delay | None = None
    times: int | None = None
    after: int = 0
    probability: float | None = None
    description: str = ""
    source: str = ""
    document: Mapping[str, Any] = field(default_factory=dict)


def parse_rule(data: Any, *, where: str = "rule", default_id: str | None = None) -> RuleSpec:
    """Validate one rule given as plain data; raises RuleError naming `where` and the bad key."""
    if not isinstance(data, Mapping):
        raise RuleError(f"{where}: a rule must be a mapping, got {type(data).__name__}")
    rule_id = data.get("id", data.get("name", default_id))
    if rule_id is None:
        rule_id = ""  # the rule set names it when it is added
    elif not isinstance(rule_id, str) or not RULE_ID.fullmatch(rule_id):
        raise RuleError(f"{where}: 'id' must be letters, digits and . _ - : @ only, got {rule_id!r}")
    else:
        where = f"{where} ({rule_id!r})"
    _no_unknown_keys(data, RULE_KEYS | set(ACTION_KEYS), where)
    actions = [key for key in ACTION_KEYS if key in data]
    if len(actions) > 1:
        raise RuleError(f"{where}: choose one action of respond, error, drop (got {', '.join(actions)})")
    if not actions and "delay" not in data:
        raise RuleError(f"{where}: a rule needs an action: respond, error, drop or delay")
    _json_only(data, where)
    return RuleSpec(
        id=rule_id,
        match=parse_match(data.get("match") or {}, where=f"{where}.match"),
        action=_action(data, actions[0], where) if actions else None,
        delay=_delay(data["delay"], f"{where}.delay") if "delay" in data else None,
        times=_count(data, "times", where, minimum=1),
        after=_count(data, "after", where, minimum=0) or 0,
        probability=_probability(data.get("probability"), where),
        description=str(data.get("description", "")),
        document={k: v for k, v in data.items() if k not in ("id", "name")},
    )


def parse_rules(data: Any, *, where: str = "body", id_prefix: str | None = None) -> list[RuleSpec]:
    """A document of rules: a list, a mapping with a `rules` list, or one rule mapping.

    Rules without an id are named `<id_prefix>-<n>` (a file's stem) or, lacking a prefix, by the rule set.
    """
    specs: list[RuleSpec] = []
    for index, item in enumerate(_rule_items(data, where), start=1):
        default_id = f"{id_prefix}-{index}" if id_prefix else None
        specs.append(parse_rule(item, where=f"{where}: rule {index}", default_id=default_id))
    ids = [spec.id for spec in specs if spec.id]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RuleError(f"{where}: duplicate rule id(s): {', '.join(duplicates)}")
    return specs


def load_rule_files(paths: Iterable[str | Path], bundled: Path | None = None) -> list[RuleSpec]:
    """Rules from YAML/JSON files and directories (a directory's files in name order).

    A name that is not an existing path but names a bundled scenario (`maintenance-window`) loads it.
    """
    specs: list[RuleSpec] = []
    for path in _expand(paths, bundled):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle) if path.suffix == ".json" else yaml.safe_load(handle)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise RuleError(f"{path}: cannot read mock rules: {exc}") from exc
        if data is None:
            continue
        for spec in parse_rules(data, where=str(path), id_prefix=re.sub(r"[^\w.:@-]", "-", path.stem)):
            specs.append(_with_source(spec, str(path)))
    return specs


def _expand(paths: Iterable[str | Path], bundled: Path | None) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in MOCK_SUFFIXES and p.is_file())
        elif path.is_file():
            yield path
        elif bundled is not None and (bundled / f"{raw}.yaml").is_file():
            yield bundled / f"{raw}.yaml"
        else:
            raise RuleError(f"{raw}: no such mock file or directory")


def _with_source(spec: RuleSpec, source: str) -> RuleSpec:
    return RuleSpec(**{**spec.__dict__, "source": source})


def _rule_items(data: Any, where: str) -> Sequence[Any]:
    if isinstance(data, Mapping) and "rules" in data:
        _no_unknown_keys(data, {"rules", "description"}, where)
        data = data["rules"]
        if not isinstance(data, list):
            raise RuleError(f"{where}: 'rules' must be a list of rules")
    if isinstance(data, Mapping):
        return [data]
    if isinstance(data, list):
        return data
    raise RuleError(f"{where}: expected a rule, a list of rules or a mapping with 'rules'")


def _json_only(data: Mapping[str, Any], where: str) -> None:
    """Rules are listed as JSON and answer with JSON: YAML dates, NaN or custom objects would fail later."""
    try:
        json.dumps(data, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise RuleError(f"{where}: values must be plain JSON data (quote dates, no NaN): {exc}") from exc


def _no_unknown_keys(data: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        expected = ", ".join(sorted(allowed))
        raise RuleError(f"{where}: unknown key(s) {', '.join(unknown)} (expected some of: {expected})")


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str | int) and not isinstance(v, bool) and str(v) for v in values):
        raise RuleError(f"{where}: '{key}' must be a string or a list of strings")
    return tuple(str(v) for v in values)


def parse_match(data: Any, *, where: str = "match") -> Match:
    """Request criteria given as plain data (a rule's `match`, a journal pattern); RuleError names the key."""
    if not isinstance(data, Mapping):
        raise RuleError(f"{where}: must be a mapping")
    _no_unknown_keys(data, MATCH_KEYS, where)
    vendor = data.get("vendor", "any")
    if vendor not in VENDORS:
        raise RuleError(f"{where}: 'vendor' must be one of {', '.join(VENDORS)}, got {vendor!r}")
    tenants = tuple(t for key in ("tenant", "store") if key in data for t in _strings(data[key], where, key))
    paths = _strings(data["path"], where, "path") if "path" in data else ()
    if any(not p.startswith(("/", "*")) for p in paths):
        raise RuleError(f"{where}: 'path' patterns start with '/' (e.g. /V1/customers*)")
    return Match(
        vendor=vendor,
        tenants=tenants,
        methods=tuple(m.upper() for m in _strings(data["method"], where, "method")) if "method" in data else (),
        paths=paths,
        path_globs=re.compile("|".join(fnmatch.translate(p) for p in paths)) if paths else None,
        path_regexes=_regexes(data, where),
        query={str(k): _scalar_values(v, where, "query", k) for k, v in _mapping(data, "query", where).items()},
        headers={
            _header_name(k, where): _scalar_values(v, where, "header", k)
            for k, v in _mapping(data, "headers", where).items()
        },
        body=data.get("body"),
    )


def _header_name(name: Any, where: str) -> str:
    """A header to match, in lower case; a name no request can carry is refused rather than never met."""
    text = str(name)
    if not HEADER_NAME.fullmatch(text):
        raise RuleError(f"{where}: header {text!r} is not a valid HTTP header name")
    return text.lower()


def _mapping(data: Mapping[str, Any], key: str, where: str) -> Mapping[Any, Any]:
    value = data.get(key) or {}
    if not isinstance(value, Mapping):
        raise RuleError(f"{where}: '{key}' must be a mapping of name to value(s)")
    return value


def _regexes(data: Mapping[str, Any], where: str) -> tuple[re.Pattern[str], ...]:
    if "path_regex" not in data:
        return ()
    try:
        return tuple(re.compile(p) for p in _strings(data["path_regex"], where, "path_regex"))
    except re.error as exc:
        raise RuleError(f"{where}: 'path_regex' is not a valid regular expression: {exc}") from exc


def _scalar_values(value: Any, where: str, kind: str, key: Any) -> tuple[str, ...] | None:
    """None means "present with any value"; otherwise the accepted values as strings."""
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str | int | float | bool) for v in values):
        raise RuleError(f"{where}: {kind} '{key}' must be a scalar, a list of scalars or empty (any value)")
    return tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in values)


def _action(data: Mapping[str, Any], kind: str, where: str) -> Respond | VendorError | str:
    if kind == "drop":
        if data["drop"] is not True:
            raise RuleError(f"{where}: 'drop' takes the value true")
        return "drop"
    if kind == "respond":
        return _respond(data["respond"], f"{where}.respond")
    return _error(data["error"], f"{where}.error")


def _status(data: Mapping[str, Any], where: str, default: int) -> int:
    status = data.get("status", default)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise RuleError(f"{where}: 'status' must be an HTTP status code (100-599), got {status!r}")
    return status


def _headers(data: Mapping[str, Any], where: str) -> dict[str, str]:
    headers = data.get("headers") or {}
    if not isinstance(headers, Mapping) or not all(isinstance(v, str | int | float) for v in headers.values()):
        raise RuleError(f"{where}: 'headers' must be a mapping of header name to value")
    result = {str(k): str(v) for k, v in headers.items()}
    for name, value in result.items():
        if not HEADER_NAME.fullmatch(name) or not HEADER_VALUE.fullmatch(value):
            raise RuleError(f"{where}: header {name!r} has a name or value HTTP does not allow")
    return result


def _respond(data: Any, where: str) -> Respond:
    if not isinstance(data, Mapping):
        raise RuleError(f"{where}: must be a mapping with status, headers and json or text")
    _no_unknown_keys(data, RESPOND_KEYS, where)
    if "json" in data and "text" in data:
        raise RuleError(f"{where}: give either 'json' or 'text', not both")
    text = data.get("text")
    if text is not None and not isinstance(text, str):
        raise RuleError(f"{where}: 'text' must be a string")
    status = _status(data, where, 200)
    if status < 200:
        raise RuleError(f"{where}: a response 'status' must be 200 or more, got {status}")
    if status in (204, 304) and ("json" in data or text):
        raise RuleError(f"{where}: a {status} response has no body; drop 'json'/'text'")
    return Respond(
        status=status,
        headers=_headers(data, where),
        json=data.get("json"),
        text=text,
        has_json="json" in data,
    )


def _error(data: Any, where: str) -> VendorError:
    if isinstance(data, int) and not isinstance(data, bool):
        data = {"status": data}
    if not isinstance(data, Mapping):
        raise RuleError(f"{where}: must be a status code or a mapping with status and message")
    _no_unknown_keys(data, ERROR_KEYS, where)
    status = _status(data, where, 503)
    if status < 400:
        raise RuleError(f"{where}: an error 'status' must be 400 or more, got {status}")
    message = data.get("message")
    if message is not None and not isinstance(message, str):
        raise RuleError(f"{where}: 'message' must be a string")
    retry_after = data.get("retry_after", 1)
    if isinstance(retry_after, bool) or not isinstance(retry_after, int | float) or retry_after < 0:
        raise RuleError(f"{where}: 'retry_after' must be a non-negative number of seconds")
    return VendorError(status, message, _headers(data, where), float(retry_after))


def _delay(value: Any, where: str) -> Delay:
    """`1.5` (seconds) or `{min: 0.2, max: 2}` for a uniformly random delay."""
    if isinstance(value, Mapping):
        _no_unknown_keys(value, {"min", "max"}, where)
        low, high = value.get("min", 0), value.get("max")
    else:
        low = high = value
    numbers = (low, high)
    if not all(isinstance(n, int | float) and not isinstance(n, bool) and n >= 0 for n in numbers):
        raise RuleError(f"{where}: must be seconds (a non-negative number) or {{min: <s>, max: <s>}}")
    if low > high:
        raise RuleError(f"{where}: 'min' ({low}) is greater than 'max' ({high})")
    if high > MAX_DELAY_SECONDS:
        raise RuleError(f"{where}: at most {MAX_DELAY_SECONDS} seconds")
    return Delay(float(low), float(high))


def _count(data: Mapping[str, Any], key: str, where: str, *, minimum: int) -> int | None:
    if key not in data or data[key] is None:
        return None
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RuleError(f"{where}: '{key}' must be an integer >= {minimum}, got {value!r}")
    return value


def _probability(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise RuleError(f"{where}: 'probability' must be a number between 0 and 1, got {value!r}")
    return float(value)


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
