"""Running a case against a Target: request, match, capture, always clean up, report a short diff.

The runner has no pytest code: `storefake check` calls it directly, and collect.py wraps it in items.
"""

from __future__ import annotations

import json as jsonlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from storefake.contracts.capture import CaptureError, capture
from storefake.contracts.matching import match_headers, match_json, match_schema, match_status
from storefake.contracts.model import Case, Step
from storefake.contracts.templating import Scope, UndefinedVariable, new_scope

BODY_PREVIEW = 600
SECRET_FIELDS = frozenset({"client_secret", "access_token"})
_JWT = re.compile(r"eyJ[\w-]{5,}(\.[\w-]*)*")  # also a token cut short by the preview


class TargetLike(Protocol):
    kind: str

    def unavailable(self, vendor: str) -> str | None: ...
    def base_url(self, vendor: str) -> str: ...
    def credentials(self, vendor: str) -> dict[str, str]: ...
    def client(self, vendor: str, *, auth: bool = True) -> httpx.Client: ...


@dataclass
class Exchange:
    """One request as sent and its response, as the runner saw them (recordings are made from these)."""

    case: Case
    step: Step
    index: int
    cleanup: bool
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: Any
    status: int
    headers: httpx.Headers
    body: Any
    text: str
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass
class StepFailure:
    step: str
    cleanup: bool
    request: str
    problems: list[str]
    response: str

    def render(self) -> str:
        where = "cleanup step" if self.cleanup else "step"
        lines = [f"{where} {self.step!r} failed", f"  request:  {self.request}"]
        lines += ["  expected vs actual:"] + [f"    - {problem}" for problem in self.problems]
        if self.response:
            lines.append(f"  response: {self.response}")
        return "\n".join(lines)


@dataclass
class CaseResult:
    case: Case
    outcome: str  # passed | failed | skipped
    failures: list[StepFailure] = field(default_factory=list)
    reason: str = ""
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    def report(self) -> str:
        if self.outcome == "skipped":
            return f"{self.case.id}: skipped ({self.reason})"
        head = f"{self.case.id}: {self.outcome}"
        return "\n".join([head, *(failure.render() for failure in self.failures)])


def skip_reason(case: Case, target_kind: str, allow_writes: bool) -> str | None:
    """Why `case` does not run on this target, or None."""
    if target_kind not in case.targets:
        return f"case runs on {', '.join(case.targets)} only, not on target {target_kind}"
    if target_kind == "live" and case.writes and not allow_writes:
        return "case writes; live writes need --storefake-allow-writes"
    return None


def _decode(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _describe_request(method: str, url: str, body: Any) -> str:
    text = f"{method} {url}"
    if body is not None:
        rendered = body if isinstance(body, str) else jsonlib.dumps(body, ensure_ascii=False, default=str)
        text += f"  body {rendered[:BODY_PREVIEW]}{'...' if len(rendered) > BODY_PREVIEW else ''}"
    return text


def _describe_response(response: httpx.Response) -> str:
    text = response.text
    body = text[:BODY_PREVIEW] + ("..." if len(text) > BODY_PREVIEW else "")
    return f"{response.status_code} {response.headers.get('content-type', '-')} {body}".rstrip()


@dataclass
class RenderedRequest:
    method: str
    url: str
    display_url: str
    headers: dict[str, str]
    body: Any
    options: dict[str, Any]


def _render_request(target: TargetLike, step: Step, scope: Scope) -> RenderedRequest:
    """The step's request with every template filled in (UndefinedVariable if a value is missing)."""
    request = step.request
    url = step_url(target, step.vendor, str(scope.render(request.path)), request.root)
    headers = {str(k): str(v) for k, v in scope.render(dict(request.headers)).items()}
    query = scope.render(dict(request.query))
    options: dict[str, Any] = {"headers": headers, "params": query or None}
    if request.basic_auth:
        options["auth"] = httpx.BasicAuth(*(str(part) for part in scope.render(list(request.basic_auth))))
    body: Any = None
    if request.has_json:
        body = options["json"] = scope.render(request.json)
    elif request.form is not None:
        body = options["data"] = scope.render(dict(request.form))
    elif request.content is not None:
        body = options["content"] = scope.render(request.content)
    display = url + (f"?{httpx.QueryParams(query)}" if query else "")
    return RenderedRequest(request.method, url, display, headers, body, options)


def step_url(target: TargetLike, vendor: str, path: str, root: bool) -> str:
    base = target.base_url(vendor).rstrip("/")
    if root:
        parts = urlsplit(base)
        base = f"{parts.scheme}://{parts.netloc}"
    return base + path


def check_response(step: Step, scope: Scope, response: httpx.Response, body: Any) -> list[str]:
    """Every mismatch between `response` and the step's (templated) expectation."""
    expect = step.expect
    problems = match_status(expect.status, response.status_code)
    problems += match_headers(
        scope.render(dict(expect.headers)), expect.headers_present, expect.headers_absent, response.headers
    )
    if expect.body_empty and response.content:
        problems.append(f"body: expected empty, got {len(response.content)} byte(s)")
    if expect.has_json:
        problems += match_json(scope.render(expect.json), body, subset=False)
    if expect.has_json_subset:
        problems += match_json(scope.render(expect.json_subset), body, subset=True)
    if expect.schema is not None:
        problems += match_schema(expect.schema, body)
    return problems


class Runner:
    """Runs cases against one target; `on_exchange` sees every request/response (recording)."""

    def __init__(
        self,
        target: TargetLike,
        *,
        allow_writes: bool = False,
        on_exchange: Callable[[Exchange], None] | None = None,
    ) -> None:
        self.target = target
        self.allow_writes = allow_writes
        self.on_exchange = on_exchange
        self._clients: dict[tuple[str, bool], httpx.Client] = {}

    def client(self, vendor: str, auth: bool) -> httpx.Client:
        key = (vendor, auth)
        if key not in self._clients:
            self._clients[key] = self.target.client(vendor, auth=auth)
        return self._clients[key]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def run(self, case: Case) -> CaseResult:
        reason = skip_reason(case, self.target.kind, self.allow_writes) or self._unavailable(case)
        if reason:
            return CaseResult(case, "skipped", reason=reason)
        result = CaseResult(case, "passed")
        scope = new_scope(self.target.kind, self.target.credentials)
        try:
            for name, value in case.vars.items():
                scope.set(name, scope.render(value))
            for index, step in enumerate(case.steps):
                failure = self._run_step(case, step, index, scope, result, cleanup=False)
                if failure:
                    result.failures.append(failure)
                    break
        except UndefinedVariable as exc:
            result.failures.append(StepFailure("vars", False, "-", [str(exc)], ""))
        finally:
            for index, step in enumerate(case.cleanup):
                failure = self._run_step(case, step, index, scope, result, cleanup=True)
                if failure:
                    result.failures.append(failure)
        if result.failures:
            result.outcome = "failed"
        return result

    def _unavailable(self, case: Case) -> str | None:
        """A live run configured for one vendor only skips the other's cases, naming what to set."""
        vendors = dict.fromkeys(step.vendor for step in (*case.steps, *case.cleanup))
        return next(filter(None, map(self.target.unavailable, vendors)), None)

    def _run_step(
        self, case: Case, step: Step, index: int, scope: Scope, result: CaseResult, *, cleanup: bool
    ) -> StepFailure | None:
        try:
            sent = _render_request(self.target, step, scope)
        except UndefinedVariable as exc:
            if cleanup:
                return None  # what it would clean up was never created
            return StepFailure(step.name, cleanup, f"{step.request.method} {step.request.path}", [str(exc)], "")
        except (TypeError, ValueError) as exc:  # e.g. a mapping as a query value
            where = f"{step.request.method} {step.request.path}"
            return StepFailure(step.name, cleanup, where, [f"cannot build the request: {exc}"], "")
        described = self._redact(_describe_request(sent.method, sent.display_url, sent.body))
        try:
            response = self.client(step.vendor, step.auth).request(sent.method, sent.url, **sent.options)
        except Exception as exc:  # transport errors, a target refusing (IMS token): a failed step, not a crash
            problem = self._redact(f"request failed: {type(exc).__name__}: {exc}")
            return StepFailure(step.name, cleanup, described, [problem], "")
        decoded = _decode(response)
        try:
            problems = check_response(step, scope, response, decoded)
        except UndefinedVariable as exc:
            problems = [f"expectation: {exc}"]
        if not problems:
            problems = self._capture(step, scope, response, decoded)
        exchange = Exchange(
            case, step, index, cleanup, sent.method, sent.url, sent.headers, sent.body,
            response.status_code, response.headers, decoded, response.text, dict(scope.values),
        )  # fmt: skip
        result.exchanges.append(exchange)
        if self.on_exchange:
            self.on_exchange(exchange)
        if problems:
            return StepFailure(step.name, cleanup, described, problems, self._redact(_describe_response(response)))
        return None

    def _redact(self, text: str) -> str:
        """Failure reports are printed (CI logs): never show the target's secrets or bearer tokens."""
        for secret in self._secrets():
            text = text.replace(secret, "***")
        return _JWT.sub("***", text)

    def _secrets(self) -> list[str]:
        found = []
        for vendor in ("adobe", "bigcommerce"):
            try:
                credentials = self.target.credentials(vendor)
            except (KeyError, ValueError):
                continue
            # Very short values (test doubles) would mangle the report rather than protect anything.
            found += [value for key, value in credentials.items() if key in SECRET_FIELDS and len(value or "") >= 6]
        return found

    def _capture(self, step: Step, scope: Scope, response: httpx.Response, body: Any) -> list[str]:
        problems = []
        for name, expression in step.capture.items():
            try:
                scope.set(name, capture(expression, status=response.status_code, headers=response.headers, body=body))
            except CaptureError as exc:
                problems.append(f"capture {name}: {exc}")
        return problems

    def run_all(self, cases: Iterable[Case]) -> list[CaseResult]:
        return [self.run(case) for case in cases]
