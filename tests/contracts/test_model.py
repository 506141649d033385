from __future__ import annotations

import contextlib

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


def test_unquoted_yaml_dates_stay_text(tmp_path):
    path = tmp_path / "contract_dates.yaml"
    path.write_text(
        "vendor: adobe\ncases:\n  - name: a\n    steps:\n"
        "      - request: {method: POST, path: /V1/customers, json: {customer: {dob: 1990-04-01}}}\n",
        encoding="utf-8",
    )
    (case,) = load_suite(path).cases
    assert case.steps[0].request.json == {"customer": {"dob": "1990-04-01"}}


def test_load_suite_reports_yaml_errors(tmp_path):
    path = tmp_path / "contract_bad.yaml"
    path.write_text("cases: [ {name: a\n", encoding="utf-8")
    with pytest.raises(ContractSchemaError, match="not valid YAML"):
        load_suite(path)


def _json_like():
    from hypothesis import strategies as st

    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
    keys = st.sampled_from(
        [
            "vendor",
            "cases",
            "name",
            "steps",
            "request",
            "expect",
            "method",
            "path",
            "status",
            "json",
            "capture",
            "form",
            "targets",
            "vars",
            "schemas",
            "schema",
            "cleanup",
            "basic_auth",
            "headers",
            "x",
        ]
    )
    return st.recursive(
        scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4), max_leaves=20
    )


def test_any_document_parses_or_raises_a_schema_error():
    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_json_like())
    def check(document):
        with contextlib.suppress(ContractSchemaError):
            parse_suite(document, default_name="fuzz")

    check()


def test_any_step_parses_or_raises_a_schema_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    anything = _json_like()

    @settings(max_examples=300, deadline=None)
    @given(
        st.fixed_dictionaries(
            {},
            optional={
                "request": anything,
                "expect": anything,
                "capture": anything,
                "auth": anything,
                "write": anything,
                "name": anything,
                "vendor": st.sampled_from(["adobe", "ims", "bigcommerce", "x"]),
            },
        )
    )
    def check(step):
        with contextlib.suppress(ContractSchemaError):
            parse_suite({"vendor": "adobe", "cases": [{"name": "c", "steps": [step], "cleanup": [step]}]})

    check()


def test_any_request_and_expect_parse_or_raise_a_schema_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    anything = _json_like()
    request_keys = ["method", "path", "query", "headers", "json", "form", "content", "root", "basic_auth"]
    expect_keys = ["status", "json", "json_subset", "schema", "headers", "headers_present", "headers_absent"]

    @settings(max_examples=400, deadline=None)
    @given(
        st.fixed_dictionaries({}, optional=dict.fromkeys(request_keys, anything)),
        st.fixed_dictionaries({}, optional=dict.fromkeys(expect_keys, anything)),
        anything,
    )
    def check(request, expect, capture):
        step = {"request": request, "expect": expect, "capture": capture}
        with contextlib.suppress(ContractSchemaError):
            parse_suite({"vendor": "adobe", "cases": [{"name": "c", "steps": [step]}]})

    check()
