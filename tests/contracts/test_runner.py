from __future__ import annotations

from storefake.contracts import Runner, parse_suite
from storefake.targets import LiveSettings, live_target

CREATE_AND_FAIL = {
    "vendor": "bigcommerce",
    "vars": {"email": "runner.${unique}@example.com"},
    "cases": [
        {
            "name": "create then expect the impossible",
            "steps": [
                {
                    "name": "create",
                    "request": {
                        "method": "POST",
                        "path": "/v3/customers",
                        "json": [{"email": "${email}", "first_name": "Ann", "last_name": "Lee"}],
                    },
                    "expect": {"status": 200, "json_subset": {"data": [{"email": "${email}"}]}},
                    "capture": {"id": "$.data[0].id"},
                },
                {
                    "name": "read back",
                    "request": {"method": "GET", "path": "/v3/customers", "query": {"id:in": "${id}"}},
                    "expect": {"status": 200, "json_subset": {"data": [{"id": "${id}", "last_name": "Nope"}]}},
                },
                {"name": "never reached", "request": {"method": "GET", "path": "/v3/customers"}},
            ],
            "cleanup": [
                {
                    "name": "delete",
                    "request": {"method": "DELETE", "path": "/v3/customers", "query": {"id:in": "${id}"}},
                    "expect": {"status": 204},
                },
                {"name": "uses a value never captured", "request": {"method": "DELETE", "path": "/v3/x/${nothing}"}},
            ],
        }
    ],
}


def test_a_failing_case_reports_step_request_expected_and_actual(target):
    (case,) = parse_suite(CREATE_AND_FAIL).cases
    with Runner(target) as runner:
        result = runner.run(case)
    assert result.outcome == "failed"
    report = result.report()
    assert "step 'read back' failed" in report
    assert "request:  GET https://api.bigcommerce.com/stores/abc123/v3/customers?id%3Ain=" in report
    assert "$.data[0].last_name: expected 'Nope', got 'Lee'" in report
    assert "response: 200 application/json" in report
    assert "never reached" not in report


def test_cleanup_always_runs_and_skips_steps_whose_values_were_never_captured(target, fake):
    (case,) = parse_suite(CREATE_AND_FAIL).cases
    with Runner(target) as runner:
        result = runner.run(case)
    steps = [(exchange.step.name, exchange.cleanup) for exchange in result.exchanges]
    assert steps == [("create", False), ("read back", False), ("delete", True)]
    assert [entry.method for entry in fake.journal if entry.path.endswith("/v3/customers")] == ["POST", "GET", "DELETE"]
    deletes = [entry for entry in fake.journal if entry.method == "DELETE"]
    assert [entry.status for entry in deletes] == [204]


def test_a_passing_case_captures_and_templates(target):
    suite = parse_suite(
        {
            "vendor": "bigcommerce",
            "cases": [
                {
                    "name": "ok",
                    "vars": {"email": "ok.${unique}@example.com"},
                    "steps": [
                        {
                            "request": {
                                "method": "POST",
                                "path": "/v3/customers",
                                "json": [{"email": "${email}", "first_name": "A", "last_name": "B"}],
                            },
                            "capture": {"id": "$.data[0].id", "type": "header:content-type"},
                        },
                        {
                            "request": {"method": "GET", "path": "/v3/customers", "query": {"email:in": "${email}"}},
                            "expect": {"status": 200, "json_subset": {"data": [{"id": "${id}"}]}},
                        },
                    ],
                    "cleanup": [
                        {"request": {"method": "DELETE", "path": "/v3/customers", "query": {"id:in": "${id}"}}}
                    ],
                }
            ],
        }
    )
    with Runner(target) as runner:
        result = runner.run(suite.cases[0])
    assert result.passed, result.report()
    assert result.exchanges[-1].variables["type"] == "application/json"


def test_live_writes_are_skipped_without_permission_and_send_nothing():
    (case,) = parse_suite(CREATE_AND_FAIL).cases
    # Nothing listens on this address: a request would fail the case instead of skipping it.
    settings = LiveSettings(
        bigcommerce_store_hash="abc123", bigcommerce_access_token="t", bigcommerce_api_url="http://127.0.0.1:9"
    )
    with live_target(settings) as live, Runner(live) as runner:
        result = runner.run(case)
    assert result.outcome == "skipped"
    assert "--storefake-allow-writes" in result.reason
    assert result.exchanges == []


def test_live_cases_of_a_vendor_without_settings_are_skipped_naming_the_variable():
    suite = parse_suite(
        {
            "cases": [
                {"name": "bc", "vendor": "bigcommerce", "steps": [{"request": {"path": "/v2/orders/1"}}]},
                {"name": "adobe", "vendor": "adobe", "steps": [{"request": {"path": "/V1/customers/1"}}]},
                {"name": "token", "vendor": "ims", "steps": [{"request": {"method": "POST"}}]},
            ]
        }
    )
    # BigCommerce is configured (nothing listens there: its case runs and fails); Adobe is not.
    settings = LiveSettings(
        bigcommerce_store_hash="abc123", bigcommerce_access_token="t", bigcommerce_api_url="http://127.0.0.1:9"
    )
    with live_target(settings) as live, Runner(live) as runner:
        bc, adobe, token = runner.run_all(suite.cases)
    assert bc.outcome == "failed"
    missing = "live target: set STOREFAKE_ADOBE_REST_ENDPOINT, STOREFAKE_ADOBE_CLIENT_ID, STOREFAKE_ADOBE_CLIENT_SECRET"
    for result in (adobe, token):
        assert (result.outcome, result.exchanges) == ("skipped", [])
        assert result.reason == f"{missing} (or the matching ini option)"


def test_cases_outside_their_targets_are_skipped(target):
    suite = parse_suite(
        {"vendor": "bigcommerce", "cases": [{"name": "live only", "targets": ["live"], "steps": [{"request": {}}]}]}
    )
    with Runner(target) as runner:
        result = runner.run(suite.cases[0])
    assert result.outcome == "skipped"
    assert result.reason == "case runs on live only, not on target fake"


def test_transport_failures_are_step_failures_not_crashes():
    suite = parse_suite({"vendor": "bigcommerce", "cases": [{"name": "down", "steps": [{"request": {}}]}]})
    settings = LiveSettings(
        bigcommerce_store_hash="abc123", bigcommerce_access_token="t", bigcommerce_api_url="http://127.0.0.1:9"
    )
    with live_target(settings) as live, Runner(live) as runner:
        result = runner.run(suite.cases[0])
    assert result.outcome == "failed"
    assert "request failed: ConnectError" in result.report()


def test_failure_reports_never_show_secrets_or_tokens(target):
    suite = parse_suite(
        {
            "vendor": "ims",
            "cases": [
                {
                    "name": "token",
                    "steps": [
                        {
                            "auth": False,
                            "request": {
                                "method": "POST",
                                "form": {
                                    "grant_type": "client_credentials",
                                    "client_id": "${credentials.adobe.client_id}",
                                    "client_secret": "${credentials.adobe.client_secret}",
                                    "scope": "${credentials.adobe.scope}",
                                },
                            },
                            "expect": {"status": 418},
                        }
                    ],
                }
            ],
        }
    )
    with Runner(target) as runner:
        report = runner.run(suite.cases[0]).report()
    assert "status: expected 418, got 200" in report
    assert target.credentials("adobe")["client_secret"] not in report
    assert "eyJ" not in report
    assert '"client_secret": "***"' in report


def test_a_request_that_cannot_be_built_is_a_step_failure(target):
    suite = parse_suite(
        {"vendor": "bigcommerce", "cases": [{"name": "odd", "steps": [{"request": {"headers": {"X-Odd": "é"}}}]}]}
    )
    with Runner(target) as runner:
        result = runner.run(suite.cases[0])
    assert result.outcome == "failed"
    assert "request failed: UnicodeEncodeError" in result.report()
