"""Contract suites as pytest items, tested the way users meet them: pytester runs."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

USER_SUITE = """
vendor: bigcommerce
vars:
  email: "user.${unique}@example.com"
cases:
  - name: create and read a customer
    steps:
      - request:
          method: POST
          path: /v3/customers
          json: [{email: "${email}", first_name: Ann, last_name: Lee}]
        expect: {status: 200}
        capture: {id: "$.data[0].id"}
      - request: {method: GET, path: /v3/customers, query: {"id:in": "${id}"}}
        expect: {status: 200, json_subset: {data: [{email: "${email}"}]}}
    cleanup:
      - request: {method: DELETE, path: /v3/customers, query: {"id:in": "${id}"}}
        expect: {status: 204}
  - name: expects the wrong last name
    steps:
      - request:
          method: POST
          path: /v3/customers
          json: [{email: "${email}", first_name: Ann, last_name: Lee}]
        expect: {status: 200, json_subset: {data: [{last_name: Smith}]}}
        capture: {id: "$.data[0].id"}
    cleanup:
      - request: {method: DELETE, path: /v3/customers, query: {"email:in": "${email}"}}
        expect: {status: 204}
"""


def test_user_contract_files_are_collected_one_item_per_case(pytester):
    pytester.makefile(".yaml", contract_customers=USER_SUITE)
    pytester.makefile(".yaml", other=USER_SUITE)  # not contract_*: ignored
    result = pytester.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        ["contract_customers.yaml::create and read a customer", "contract_customers.yaml::expects the wrong last name"]
    )
    assert "other.yaml" not in result.stdout.str()


def test_a_failing_case_prints_the_short_diff(pytester):
    pytester.makefile(".yaml", contract_customers=USER_SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*contract case failed on target fake:*",
            "*step 'POST /v3/customers' failed",
            "*request:  POST https://api.bigcommerce.com/stores/abc123/v3/customers  body *",
            "*$.data?0?.last_name: expected 'Smith', got 'Lee'",
            "*response: 200 application/json *",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_broken_suite_is_a_collection_error_naming_the_place(pytester):
    pytester.makefile(
        ".yaml", contract_bad="vendor: adobe\ncases:\n  - name: a\n    steps: [{request: {path: nope}}]\n"
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*contract_bad.yaml case 1 (a) step 1: request.path must be a string*"])


# This project runs with warnings as errors, and in-process pytester runs inherit that filter.
SHOW_COLLECTION_WARNINGS = "default::pytest.PytestCollectionWarning"
OPENAPI = """
openapi: 3.0.3
info: {title: Shop API, version: "1"}
paths: {/orders: {get: {responses: {"200": {description: ok}}}}}
"""


def test_a_contract_named_file_that_is_no_suite_is_skipped_with_a_warning(pytester):
    pytester.makefile(".yaml", contract_api=OPENAPI, contract_customers=USER_SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--collect-only", "-q", "-W", SHOW_COLLECTION_WARNINGS)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "contract_customers.yaml::create and read a customer",
            "*PytestCollectionWarning: */contract_api.yaml: not a contract suite (top-level keys info, openapi, paths;"
            " a suite has `cases`): skipped",
        ]
    )
    assert "contract_api.yaml::" not in result.stdout.str()


def test_an_empty_contract_file_is_skipped_with_a_warning(pytester):
    pytester.makefile(".yaml", contract_empty="")
    result = pytester.runpytest("-p", "no:cacheprovider", "-W", SHOW_COLLECTION_WARNINGS)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.stdout.fnmatch_lines(["*contract_empty.yaml: not a contract suite (no mapping; a suite has `cases`)*"])


def test_an_unknown_matcher_is_a_collection_error_naming_file_and_step(pytester):
    suite = (
        "vendor: bigcommerce\ncases:\n  - name: list\n    steps:\n      - name: read them\n"
        "        request: {path: /v3/customers}\n        expect: {json_subset: {data: [{id: {$tpye: integer}}]}}\n"
    )
    pytester.makefile(".yaml", contract_typo=suite)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*contract_typo.yaml case 1 (list) step 1 (read them): "
            "unknown matcher $tpye at expect.json_subset.data?0?.id;*"
        ]
    )


def test_live_writes_are_skipped_without_allow_writes(pytester, monkeypatch):
    monkeypatch.setenv("STOREFAKE_BIGCOMMERCE_STORE_HASH", "abc123")
    monkeypatch.setenv("STOREFAKE_BIGCOMMERCE_ACCESS_TOKEN", "unused")
    monkeypatch.setenv("STOREFAKE_BIGCOMMERCE_API_URL", "http://127.0.0.1:9")
    pytester.makefile(".yaml", contract_customers=USER_SUITE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--storefake-target=live", "-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*case writes; live writes need --storefake-allow-writes*"])


TWO_VENDORS = """
cases:
  - name: unknown order
    vendor: bigcommerce
    steps: [{request: {path: /v2/orders/2147480001}, expect: {status: 404}}]
  - name: unknown customer
    vendor: adobe
    steps: [{request: {path: /V1/customers/2147480001}, expect: {status: 404}}]
"""


def test_live_cases_of_an_unconfigured_vendor_are_skipped_naming_the_variable(pytester, serve, monkeypatch):
    from storefake.contracts.commands import storefake_live_settings
    from storefake.targets import env_var

    settings = storefake_live_settings(serve)
    for name in ("bigcommerce_store_hash", "bigcommerce_access_token", "bigcommerce_api_url"):
        monkeypatch.setenv(env_var(name), getattr(settings, name))
    for name in ("adobe_rest_endpoint", "adobe_client_id", "adobe_client_secret"):
        monkeypatch.delenv(env_var(name), raising=False)
    pytester.makefile(".yaml", contract_two=TWO_VENDORS)
    result = pytester.runpytest("-p", "no:cacheprovider", "--storefake-target=live", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED * live target: set STOREFAKE_ADOBE_REST_ENDPOINT, STOREFAKE_ADOBE_CLIENT_ID*"]
    )


def test_bundled_suites_are_added_on_request(pytester):
    assert "storefake-contracts/" not in pytester.runpytest("--collect-only", "-q").stdout.str()
    result = pytester.runpytest("--collect-only", "-q", "--storefake-contracts")
    result.stdout.fnmatch_lines(
        [
            "storefake-contracts/adobe/tutorial.yaml::tutorial flow",
            "storefake-contracts/bigcommerce/orders.yaml::order journey with a shipment",
        ]
    )


def test_bundled_suites_by_ini_option_and_help(pytester):
    pytester.makeini("[pytest]\nstorefake_contracts = true\n")
    result = pytester.runpytest("--collect-only", "-q", "-k", "tutorial")
    result.stdout.fnmatch_lines(["storefake-contracts/adobe/tutorial.yaml::tutorial flow"])
    help_text = pytester.runpytest("--help").stdout.str()
    assert "--storefake-contracts" in help_text
    assert "storefake_contracts (bool)" in help_text


def test_bundled_tutorial_case_runs_under_pytest(pytester):
    result = pytester.runpytest("-p", "no:cacheprovider", "--storefake-contracts", "-k", "tutorial")
    result.assert_outcomes(passed=1)


def test_contract_items_run_under_xdist(pytester):
    pytester.makefile(".yaml", contract_customers=USER_SUITE)
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest", "-n", "2"
    )
    result.assert_outcomes(passed=1, failed=1)


def test_bundled_suites_under_pytest_on_live_pointed_at_storefake_serve(pytester, serve, monkeypatch):
    from dataclasses import fields

    from storefake.contracts.commands import storefake_live_settings
    from storefake.targets import env_var

    settings = storefake_live_settings(serve)
    for item in fields(settings):
        monkeypatch.setenv(env_var(item.name), getattr(settings, item.name) or "")
    result = pytester.runpytest(
        "-p", "no:cacheprovider", "--storefake-target=live", "--storefake-allow-writes", "--storefake-contracts", "-rs"
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0, result.stdout.str()
    assert outcomes["passed"] > 60
    result.stdout.fnmatch_lines(["*case runs on fake, server only, not on target live*"])
