from __future__ import annotations

import pytest

from storefake.contracts import ContractSchemaError, bundled_suite_paths, load_suite, parse_suite


def _suite(**overrides):
    data = {
        "vendor": "bigcommerce",
        "cases": [{"name": "one", "steps": [{"request": {"method": "GET", "path": "/v3/customers"}}]}],
    }
    data.update(overrides)
    return data


def test_bundled_suites_load_and_cover_both_vendors():
    paths = bundled_suite_paths()
    vendors = {path.parent.name for path in paths}
    assert vendors == {"adobe", "bigcommerce"}
    cases = [case for path in paths for case in load_suite(path).cases]
    assert len(cases) > 60
    assert len({case.id for case in cases}) == len(cases)


def test_parse_suite_defaults():
    suite = parse_suite(_suite(), default_name="demo")
    (case,) = suite.cases
    assert suite.name == "demo"
    assert case.targets == ("fake", "server", "live")
    assert case.steps[0].vendor == "bigcommerce"
    assert case.steps[0].auth is True
    assert case.steps[0].write is False
    assert not case.writes


def test_write_steps_are_detected_except_on_ims():
    suite = parse_suite(
        {
            "cases": [
                {
                    "name": "w",
                    "steps": [
                        {"vendor": "ims", "request": {"method": "POST"}},
                        {
                            "vendor": "adobe",
                            "request": {"method": "PUT", "path": "/V1/customers/validate"},
                            "write": False,
                        },
                    ],
                },
                {"name": "x", "steps": [{"vendor": "adobe", "request": {"method": "DELETE", "path": "/V1/x"}}]},
            ]
        }
    )
    assert not suite.cases[0].writes
    assert suite.cases[1].writes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"surprise": 1}, "unknown key(s) surprise"),
        ({"vendor": "shopify"}, "vendor must be one of"),
        ({"cases": []}, "non-empty `cases` list"),
        ({"targets": ["prod"]}, "targets must be a list"),
    ],
)
def test_parse_suite_rejects_bad_suites(change, message):
    with pytest.raises(ContractSchemaError, match="demo") as info:
        parse_suite(_suite(**change), default_name="demo")
    assert message in str(info.value)


def test_parse_suite_rejects_bad_steps():
    bad_path = _suite(cases=[{"name": "a", "steps": [{"request": {"path": "no-slash"}}]}])
    with pytest.raises(ContractSchemaError, match="starting with '/'"):
        parse_suite(bad_path)
    two_bodies = _suite(cases=[{"name": "a", "steps": [{"request": {"method": "POST", "json": {}, "form": {}}}]}])
    with pytest.raises(ContractSchemaError, match="at most one of json, form and content"):
        parse_suite(two_bodies)
    unknown_schema = _suite(cases=[{"name": "a", "steps": [{"request": {}, "expect": {"schema": "nope"}}]}])
    with pytest.raises(ContractSchemaError, match="unknown schema 'nope'"):
        parse_suite(unknown_schema)
    duplicate = _suite(cases=[{"name": "a", "steps": [{"request": {}}]}, {"name": "a", "steps": [{"request": {}}]}])
    with pytest.raises(ContractSchemaError, match="duplicate case name"):
        parse_suite(duplicate)
    bad_auth = _suite(cases=[{"name": "a", "steps": [{"request": {"basic_auth": "user:pass"}}]}])
    with pytest.raises(ContractSchemaError, match=r"basic_auth must be a \[user, password\] pair"):
        parse_suite(bad_auth)
    no_steps = _suite(cases=[{"name": "a", "steps": []}])
    with pytest.raises(ContractSchemaError, match="at least one step"):
        parse_suite(no_steps)


def test_load_suite_reports_yaml_errors(tmp_path):
    path = tmp_path / "contract_bad.yaml"
    path.write_text("cases: [ {name: a\n", encoding="utf-8")
    with pytest.raises(ContractSchemaError, match="not valid YAML"):
        load_suite(path)
