"""Schemathesis wiring shared by the OpenAPI tests: custom string formats, vendor credentials, check helpers."""

from __future__ import annotations

import re
import unicodedata

import schemathesis
from hypothesis import strategies as st

TENANT = "AbCYab34cdEfGHiJ27123"
STORE = "abc123"
BC_TOKEN = "storefake-bc-token"
IMS_FORM = {
    "grant_type": "client_credentials",
    "client_id": "storefake-accs-client",
    "client_secret": "storefake-accs-secret",
    "scope": "openid,AdobeID,commerce.accs",
}

NAME_PUNCTUATION = " ,-_.'\u2019`&"


def _is_name_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN" or ch in NAME_PUNCTUATION


# Formats the documents name for rules JSON Schema cannot say: Magento's Validator\Name (letters, marks,
# digits and a little punctuation), text without a <script> element, and the password strength rules.
_NAME = st.text(st.characters(categories=("L", "M", "N"), max_codepoint=0x2FFF), min_size=1, max_size=30).map(
    lambda s: s if s.strip() else "A"
)
schemathesis.openapi.format("magento-name", _NAME)
schemathesis.openapi.format("magento-text", st.text(st.characters(categories=("L", "N", "Zs")), max_size=40))
schemathesis.openapi.format(
    "magento-password",
    st.tuples(st.sampled_from(["Aa1", "bB2", "Zz9!"]), st.text("abcXYZ0123#$", min_size=5, max_size=20)).map(
        lambda parts: parts[0] + parts[1]
    ),
)


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _at(body: object, path: tuple[object, ...]) -> object:
    for key in path:
        found = (isinstance(body, dict) and key in body) or (
            isinstance(body, list) and isinstance(key, int) and key < len(body)
        )
        if found:
            body = body[key]  # type: ignore[index]
        else:
            return None
    return body


def is_php_scalar_conversion(case: schemathesis.Case) -> bool:
    """Whether a negative case only swaps one scalar type for another in the body.

    Magento's ServiceInputProcessor (and its searchCriteria parsing) converts scalars the PHP way (a number
    where a string is declared becomes its text, a numeric string becomes an int, null is "not sent";
    vendor facts §4), so such a body is not invalid data for the Adobe API even though JSON Schema says so.
    """
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    mutations = getattr(data, "mutations", ()) or ()
    if mutations:
        return all(
            set(m.keywords) <= {"type"}
            and _scalar(m.new_value)
            and (
                m.parameter_location.value == "query"
                or (m.parameter_location.value == "body" and _scalar(_at(case.body, tuple(m.path))))
            )
            for m in mutations
        )
    description = str(getattr(data, "description", "") or "")
    location = getattr(getattr(data, "parameter_location", None), "value", None)
    if location != "body" or not description.endswith(": Incorrect type"):
        return False
    # Follow the described path ("customer -> addresses -> Array with invalid items: street -> ...").
    nodes: list[object] = [case.body]
    for token in re.split(r" -> |: ", description)[:-1]:
        nodes = [i for n in nodes for i in (n if isinstance(n, list) else [n])]
        nodes = [n[token] for n in nodes if isinstance(n, dict) and token in n] or nodes
    items = [i for n in nodes for i in (n if isinstance(n, list) else [n])]
    return bool(items) and all(_scalar(i) for i in items)
