"""`${...}` templating: unique data per run, captured values, the target's credentials.

- `${name}`: a case variable or a value captured by an earlier step.
- `${unique}`: a token unique to this case run (lower-case letters and digits, starts with a letter),
  the same everywhere in the case, so `john.${unique}@example.com` and a later search for it agree.
- `${unique_digits}`: 9 digits unique to this case run (numeric SKUs, phone numbers).
- `${credentials.<vendor>.<key>}`: from the target (`credentials.adobe.client_id`, ...).
- `${target}`: the target kind (fake, server, live).
- `$${` writes a literal `${`.

A string that is exactly one `${...}` keeps the value's type (a captured integer id stays an int);
elsewhere values are inserted as text. Mappings and lists are templated recursively, keys included.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any

_PATTERN = re.compile(r"\$\$\{|\$\{\s*([A-Za-z_][\w.\-]*)\s*\}")
_WHOLE = re.compile(r"^\$\{\s*([A-Za-z_][\w.\-]*)\s*\}$")


class UndefinedVariable(KeyError):
    """A template names a value that was never set (an unrun capture, a typo)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"undefined template variable ${{{self.name}}}"


def unique_token() -> str:
    # 'sf' + 10 hex digits: valid in emails, SKUs, names (no characters any vendor validator refuses).
    return "sf" + secrets.token_hex(5)


def unique_digits() -> str:
    return str(secrets.randbelow(900_000_000) + 100_000_000)


class Scope:
    """The values a case run can name; captures are added as steps run."""

    def __init__(self, builtins: Mapping[str, Any], credentials: Callable[[str], Mapping[str, str]]) -> None:
        self.values: dict[str, Any] = dict(builtins)
        self._credentials = credentials

    def set(self, name: str, value: Any) -> None:
        self.values[name] = value

    def lookup(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        if name.startswith("credentials."):
            parts = name.split(".")
            if len(parts) == 3:
                try:
                    found = self._credentials(parts[1]).get(parts[2])
                except (KeyError, ValueError):
                    found = None
                if found is not None:
                    return found
        raise UndefinedVariable(name)

    def render(self, value: Any) -> Any:
        """`value` with every `${...}` replaced."""
        if isinstance(value, str):
            return self._render_text(value)
        if isinstance(value, Mapping):
            return {self._render_text(str(key)): self.render(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.render(item) for item in value]
        return value

    def _render_text(self, text: str) -> Any:
        whole = _WHOLE.match(text)
        if whole:
            return self.lookup(whole.group(1))

        def replace(match: re.Match[str]) -> str:
            if match.group(0) == "$${":
                return "${"
            found = self.lookup(match.group(1))
            return found if isinstance(found, str) else _text(found)

        return _PATTERN.sub(replace, text)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def new_scope(target_kind: str, credentials: Callable[[str], Mapping[str, str]]) -> Scope:
    return Scope({"unique": unique_token(), "unique_digits": unique_digits(), "target": target_kind}, credentials)
