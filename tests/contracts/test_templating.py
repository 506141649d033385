from __future__ import annotations

import re

import pytest

from storefake.contracts.templating import UndefinedVariable, new_scope


def _scope(kind="fake"):
    return new_scope(kind, lambda vendor: {"client_id": f"{vendor}-client"})


def test_whole_template_keeps_the_type():
    scope = _scope()
    scope.set("id", 42)
    assert scope.render("${id}") == 42
    assert scope.render("/V1/customers/${id}") == "/V1/customers/42"
    assert scope.render({"customer": {"id": "${id}", "tags": ["${id}", "x${id}"]}}) == {
        "customer": {"id": 42, "tags": [42, "x42"]}
    }


def test_unique_is_stable_within_a_case_and_differs_between_cases():
    first, second = _scope(), _scope()
    email = first.render("john.${unique}@example.com")
    assert email == first.render("john.${unique}@example.com")
    assert email != second.render("john.${unique}@example.com")
    assert re.fullmatch(r"john\.sf[0-9a-f]{10}@example\.com", email)
    assert re.fullmatch(r"\d{9}", first.render("${unique_digits}"))


def test_credentials_target_and_escape():
    scope = _scope("server")
    assert scope.render("${credentials.adobe.client_id}") == "adobe-client"
    assert scope.render("${target}") == "server"
    assert scope.render("$${not_a_variable}") == "${not_a_variable}"


def test_undefined_variable_names_itself():
    with pytest.raises(UndefinedVariable, match=r"\$\{customer_id\}"):
        _scope().render("/V1/customers/${customer_id}")
    with pytest.raises(UndefinedVariable):
        _scope().render("${credentials.adobe.nothing}")
