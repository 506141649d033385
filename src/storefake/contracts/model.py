"""Contract suites as data: the YAML schema, its loader and the dataclasses the runner walks.

A suite file (YAML, read with `yaml.safe_load`)::

    suite: adobe-tutorial            # optional; defaults to the file name without .yaml
    vendor: adobe                    # default vendor of every step: adobe | ims | bigcommerce
    targets: [fake, server, live]    # default for every case
    schemas: {customer: {...}}       # named JSON Schemas, used as `expect: {schema: customer}`
    vars: {tag: "sf${unique}"}       # templated once per case run, before the case's own vars
    cases:
      - name: create and read a customer
        targets: [fake, server]      # optional; a case outside the run's target is skipped
        vars: {email: "john.${unique}@example.com"}
        steps:
          - name: create
            vendor: adobe            # optional, overrides the suite's
            auth: true               # false: no token / X-Auth-Token is sent
            write: true              # optional; default: any method but GET/HEAD/OPTIONS, except on ims
            request: {method: POST, path: /V1/customers, query: {}, headers: {}, json: {...}}
                                     # or form: {...}, or content: "raw text"; root: true puts
                                     # the path under the vendor host's root instead of its base URL;
                                     # basic_auth: [user, password] sends HTTP Basic credentials
            expect: {status: 200, json: ..., json_subset: ..., schema: name-or-inline,
                     headers: {name: value}, headers_present: [name], headers_absent: [name],
                     body_empty: true}
            capture: {customer_id: $.id, left: "header:X-Rate-Limit-Requests-Left"}
        cleanup: [ ...steps, always run, skipped when they name a value never captured... ]

Templating and matchers are described in templating.py and matching.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VENDORS = frozenset({"adobe", "ims", "bigcommerce"})
TARGET_KINDS = ("fake", "server", "live")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})

_SUITE_KEYS = {"suite", "vendor", "targets", "schemas", "vars", "cases", "description"}
_CASE_KEYS = {"name", "description", "targets", "vars", "steps", "cleanup", "vendor"}
_STEP_KEYS = {"name", "vendor", "auth", "write", "request", "expect", "capture"}
_REQUEST_KEYS = {"method", "path", "query", "headers", "json", "form", "content", "root", "basic_auth"}
_EXPECT_KEYS = {"status", "json", "json_subset", "schema", "headers", "headers_present", "headers_absent", "body_empty"}
_BODY_KEYS = ("json", "form", "content")


class ContractSchemaError(ValueError):
    """A suite file that does not follow the schema above; the message names the file and the place."""


class NotASuite(ContractSchemaError):
    """A YAML file that is no contract suite at all (an OpenAPI document named contract_api.yaml, say):
    it holds none of a suite's top-level keys. Collection skips it with a warning instead of failing."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str = ""
    query: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, Any] = field(default_factory=dict)
    json: Any = None
    has_json: bool = False
    form: Mapping[str, Any] | None = None
    content: str | None = None
    root: bool = False
    basic_auth: tuple[str, str] | None = None


@dataclass(frozen=True)
class Expect:
    status: tuple[int, ...] = ()
    json: Any = None
    has_json: bool = False
    json_subset: Any = None
    has_json_subset: bool = False
    schema: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    headers_present: tuple[str, ...] = ()
    headers_absent: tuple[str, ...] = ()
    body_empty: bool = False


@dataclass(frozen=True)
class Step:
    name: str
    vendor: str
    auth: bool
    write: bool
    request: Request
    expect: Expect
    capture: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    suite: str
    name: str
    targets: tuple[str, ...]
    vars: Mapping[str, Any]
    steps: tuple[Step, ...]
    cleanup: tuple[Step, ...]
    schemas: Mapping[str, Any]
    path: Path | None = None
    description: str = ""

    @property
    def id(self) -> str:
        return f"{self.suite}::{self.name}"

    @property
    def writes(self) -> bool:
        return any(step.write for step in self.steps)


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path | None
    cases: tuple[Case, ...]


def _fail(where: str, message: str) -> ContractSchemaError:
    return ContractSchemaError(f"{where}: {message}")


def _mapping(value: Any, where: str, what: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(where, f"{what} must be a mapping")
    return value


def _unknown_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise _fail(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _targets(value: Any, where: str, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not all(item in TARGET_KINDS for item in value):
        raise _fail(where, f"targets must be a list drawn from {', '.join(TARGET_KINDS)}")
    return tuple(value)


def _statuses(value: Any, where: str) -> tuple[int, ...]:
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in values):
        raise _fail(where, "expect.status must be an integer or a list of integers")
    return tuple(values)


def parse_request(data: Any, where: str) -> Request:
    data = _mapping(data, where, "request")
    _unknown_keys(data, _REQUEST_KEYS, where)
    method = str(data.get("method", "GET")).upper()
    if method not in METHODS:
        raise _fail(where, f"unsupported method {method}")
    if sum(key in data for key in _BODY_KEYS) > 1:
        raise _fail(where, "give at most one of json, form and content")
    path = data.get("path", "")
    if not isinstance(path, str) or (path and not path.startswith("/")):
        raise _fail(where, "request.path must be a string starting with '/' (or empty for the base URL)")
    content = data.get("content")
    if content is not None and not isinstance(content, str):
        raise _fail(where, "request.content must be a string")
    basic_auth = data.get("basic_auth")
    if basic_auth is not None and (not isinstance(basic_auth, list) or len(basic_auth) != 2):
        raise _fail(where, "request.basic_auth must be a [user, password] pair")
    return Request(
        method=method,
        path=path,
        query=_mapping(data.get("query"), where, "request.query"),
        headers=_mapping(data.get("headers"), where, "request.headers"),
        json=data.get("json"),
        has_json="json" in data,
        form=_mapping(data["form"], where, "request.form") if "form" in data else None,
        content=content,
        root=bool(data.get("root", False)),
        basic_auth=(str(basic_auth[0]), str(basic_auth[1])) if basic_auth else None,
    )


def _names(value: Any, where: str, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(where, f"{what} must be a list of header names")
    return tuple(value)


def _schema(value: Any, where: str, schemas: Mapping[str, Any]) -> Any:
    import jsonschema

    if isinstance(value, str):
        if value not in schemas:
            raise _fail(where, f"unknown schema {value!r}; suite schemas: {', '.join(sorted(schemas)) or 'none'}")
        value = schemas[value]
    if value is None:
        return None
    if not isinstance(value, Mapping | bool):
        raise _fail(where, "expect.schema must be a schema name or a JSON Schema")
    try:
        jsonschema.Draft202012Validator.check_schema(value)
    except jsonschema.SchemaError as exc:
        raise _fail(where, f"invalid JSON Schema: {exc.message}") from None
    return value


def _captures(value: Any, where: str) -> dict[str, str]:
    captures = _mapping(value, where, "capture")
    for name, expression in captures.items():
        if not isinstance(expression, str) or not (expression.startswith(("$", "header:")) or expression == "status"):
            raise _fail(where, f"capture {name}: expected a JSON path ($...), header:<name> or status")
    return {str(name): expression for name, expression in captures.items()}


def _check_matchers(value: Any, where: str, at: str) -> None:
    """Refuse a one-key `$...` mapping that is no known matcher (`{$tpye: integer}`) when the suite loads,
    rather than let it compare as a literal key and fail every run with a puzzling diff."""
    from storefake.contracts.matching import MATCHERS

    if isinstance(value, Mapping):
        if len(value) == 1:
            key = next(iter(value))
            if isinstance(key, str) and key.startswith("$") and key not in MATCHERS:
                known = ", ".join(sorted(MATCHERS))
                raise _fail(where, f"unknown matcher {key} at {at}; known matchers: {known}")
        for key, item in value.items():
            _check_matchers(item, where, f"{at}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_matchers(item, where, f"{at}[{index}]")


def parse_expect(data: Any, where: str, schemas: Mapping[str, Any]) -> Expect:
    data = _mapping(data, where, "expect")
    _unknown_keys(data, _EXPECT_KEYS, where)
    schema = _schema(data.get("schema"), where, schemas)
    for key in ("json", "json_subset"):
        _check_matchers(data.get(key), where, f"expect.{key}")
    headers = _mapping(data.get("headers"), where, "expect.headers")
    return Expect(
        status=_statuses(data.get("status"), where),
        json=data.get("json"),
        has_json="json" in data,
        json_subset=data.get("json_subset"),
        has_json_subset="json_subset" in data,
        schema=schema,
        headers={str(name): str(value) for name, value in headers.items()},
        headers_present=_names(data.get("headers_present"), where, "expect.headers_present"),
        headers_absent=_names(data.get("headers_absent"), where, "expect.headers_absent"),
        body_empty=bool(data.get("body_empty", False)),
    )


def parse_step(data: Any, where: str, default_vendor: str | None, schemas: Mapping[str, Any]) -> Step:
    data = _mapping(data, where, "a step")
    if isinstance(data.get("name"), str):
        where = f"{where} ({data['name']})"
    _unknown_keys(data, _STEP_KEYS, where)
    vendor = data.get("vendor", default_vendor)
    if vendor not in VENDORS:
        raise _fail(where, f"vendor must be one of {', '.join(sorted(VENDORS))}, got {vendor!r}")
    request = parse_request(data.get("request"), where)
    write = data.get("write")
    if write is None:
        write = vendor != "ims" and request.method not in READ_METHODS
    return Step(
        name=str(data.get("name") or f"{request.method} {request.path}"),
        vendor=vendor,
        auth=bool(data.get("auth", True)),
        write=bool(write),
        request=request,
        expect=parse_expect(data.get("expect"), where, schemas),
        capture=_captures(data.get("capture"), where),
    )


def _steps(items: Any, where: str, vendor: str | None, schemas: Mapping[str, Any]) -> tuple[Step, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise _fail(where, "steps and cleanup must be lists")
    return tuple(parse_step(item, f"{where} step {index + 1}", vendor, schemas) for index, item in enumerate(items))


def parse_case(data: Any, where: str, suite: Mapping[str, Any], name: str, path: Path | None) -> Case:
    data = _mapping(data, where, "a case")
    _unknown_keys(data, _CASE_KEYS, where)
    if not data.get("name"):
        raise _fail(where, "every case needs a name")
    where = f"{where} ({data['name']})"
    schemas = _mapping(suite.get("schemas"), where, "schemas")
    vendor = data.get("vendor", suite.get("vendor"))
    steps = _steps(data.get("steps"), where, vendor, schemas)
    if not steps:
        raise _fail(where, "a case needs at least one step")
    return Case(
        suite=name,
        name=str(data["name"]),
        targets=_targets(data.get("targets"), where, _targets(suite.get("targets"), where, TARGET_KINDS)),
        vars={**_mapping(suite.get("vars"), where, "vars"), **_mapping(data.get("vars"), where, "vars")},
        steps=steps,
        cleanup=_steps(data.get("cleanup"), f"{where} cleanup", vendor, schemas),
        schemas=schemas,
        path=path,
        description=str(data.get("description") or ""),
    )


def _plain(value: Any) -> Any:
    """YAML turns unquoted `1990-04-01` into a date: keep it the text the author wrote, as JSON would."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {_plain(key) if isinstance(key, datetime.date) else key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def parse_suite(data: Any, path: Path | None = None, default_name: str = "suite") -> Suite:
    where = str(path) if path else default_name
    data = _plain(data)
    if not isinstance(data, Mapping) or not set(data) & _SUITE_KEYS:
        found = f"top-level keys {', '.join(sorted(map(str, data))[:6])}" if isinstance(data, Mapping) else "no mapping"
        raise NotASuite(f"{where}: not a contract suite ({found}; a suite has `cases`)")
    _unknown_keys(data, _SUITE_KEYS, where)
    name = str(data.get("suite") or (path.stem if path else default_name))
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        raise _fail(where, "a suite needs a non-empty `cases` list")
    parsed = tuple(parse_case(case, f"{where} case {index + 1}", data, name, path) for index, case in enumerate(cases))
    names = [case.name for case in parsed]
    duplicates = sorted({case for case in names if names.count(case) > 1})
    if duplicates:
        raise _fail(where, f"duplicate case name(s): {', '.join(duplicates)}")
    return Suite(name=name, path=path, cases=parsed)


def load_suite(path: str | Path) -> Suite:
    """Read and check one suite file."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise ContractSchemaError(f"{path}: not valid YAML: {exc}") from exc
    return parse_suite(data, path)


def bundled_suite_paths(vendors: Sequence[str] = ("adobe", "bigcommerce")) -> list[Path]:
    """The bundled suite files (contracts/<vendor>/*.yaml), in a stable order."""
    from storefake.resources import data_dir

    root = data_dir("contracts")
    return sorted(path for vendor in vendors for path in (root / vendor).glob("*.yaml"))
