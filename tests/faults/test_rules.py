"""Rule parsing, matching and counting, without HTTP."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storefake.faults import RuleError, RuleSet, load_rule_files, parse_match, parse_rule, parse_rules
from storefake.faults.matching import (
    NO_BODY,
    Target,
    matches,
    mismatches,
    parse_body,
    split_path,
    subset,
    subset_mismatch,
)
from storefake.faults.rules import Delay, Respond, VendorError
from storefake.randomness import RandomSource
from storefake.resources import data_dir


def rule_set(*rules, seed=1):
    rules_set = RuleSet(RandomSource(seed))
    rules_set.add(list(rules))
    return rules_set


def target(method="GET", path="/stores/abc123/v3/catalog/products", query="", headers=()):
    return Target.of(method, path, query, [(k.encode(), v.encode()) for k, v in headers])


# parsing
def test_parse_rule_respond_json():
    spec = parse_rule({"id": "r", "respond": {"status": 201, "headers": {"X-A": 1}, "json": {"ok": True}}})
    assert spec.action == Respond(status=201, headers={"X-A": "1"}, json={"ok": True}, has_json=True)


def test_parse_rule_error_shorthand_status():
    assert parse_rule({"id": "e", "error": 429}).action == VendorError(status=429)


def test_parse_rule_delay_range_and_fixed():
    assert parse_rule({"id": "d", "delay": {"min": 0.1, "max": 0.5}}).delay == Delay(0.1, 0.5)
    assert parse_rule({"id": "d", "delay": 2}).delay == Delay(2.0, 2.0)


def test_parse_rule_drop():
    assert parse_rule({"id": "x", "drop": True}).action == "drop"


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ({"id": "a"}, "a rule needs an action"),
        ({"id": "a", "respnd": {}}, "unknown key(s) respnd"),
        ({"id": "a", "drop": True, "error": 503}, "choose one action of respond, error, drop"),
        ({"id": "a", "drop": "yes"}, "'drop' takes the value true"),
        ({"id": "a", "error": {"status": 302}}, "an error 'status' must be 400 or more"),
        ({"id": "a", "respond": {"status": 99}}, "'status' must be an HTTP status code"),
        ({"id": "a", "respond": {"json": 1, "text": "x"}}, "either 'json' or 'text'"),
        ({"id": "a", "drop": True, "times": 0}, "'times' must be an integer >= 1"),
        ({"id": "a", "drop": True, "after": -1}, "'after' must be an integer >= 0"),
        ({"id": "a", "drop": True, "probability": 1.5}, "'probability' must be a number between 0 and 1"),
        ({"id": "a", "delay": {"min": 2, "max": 1}}, "'min' (2) is greater than 'max' (1)"),
        ({"id": "a", "delay": "slow"}, "must be seconds"),
        ({"id": "a", "drop": True, "match": {"vendor": "shopify"}}, "'vendor' must be one of"),
        ({"id": "a", "drop": True, "match": {"path": "V1/customers"}}, "'path' patterns start with '/'"),
        ({"id": "a", "drop": True, "match": {"path_regex": "("}}, "not a valid regular expression"),
        ({"id": "a", "drop": True, "match": {"colour": "red"}}, "unknown key(s) colour"),
        ({"id": "a/b", "drop": True}, "'id' must be letters, digits"),
        ("drop", "a rule must be a mapping"),
    ],
)
def test_parse_rule_invalid(rule, text):
    with pytest.raises(RuleError, match="rule") as raised:
        parse_rules([rule], where="test")
    assert text in str(raised.value)
    assert str(raised.value).startswith("test: rule 1")


def test_parse_rules_accepts_list_mapping_and_rules_key():
    one = {"id": "a", "drop": True}
    assert [s.id for s in parse_rules(one)] == ["a"]
    assert [s.id for s in parse_rules([one, {"id": "b", "drop": True}])] == ["a", "b"]
    assert [s.id for s in parse_rules({"rules": [one], "description": "x"})] == ["a"]


def test_parse_rules_duplicate_ids():
    with pytest.raises(RuleError, match="duplicate rule id"):
        parse_rules([{"id": "a", "drop": True}, {"id": "a", "drop": True}])


def test_parse_rules_names_rules_after_prefix():
    assert [s.id for s in parse_rules([{"drop": True}, {"drop": True}], id_prefix="f")] == ["f-1", "f-2"]


# matching
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/ims/token/v3", ("ims", None, "/ims/token/v3")),
        ("/oauth2/token", ("bigcommerce", None, "/oauth2/token")),
        ("/stores/abc123/v3/catalog/products", ("bigcommerce", "abc123", "/v3/catalog/products")),
        ("/stores/abc123", ("bigcommerce", "abc123", "")),
        ("/Tenant1/V1/customers/5", ("adobe", "Tenant1", "/V1/customers/5")),
        ("/", (None, None, "/")),
    ],
)
def test_split_path(path, expected):
    assert split_path(path) == expected


def match_of(**criteria):
    return parse_rule({"id": "m", "drop": True, "match": criteria}).match


def test_matches_vendor_tenant_method():
    match = match_of(vendor="bigcommerce", store="abc123", method=["get", "POST"])
    assert matches(match, target())
    assert not matches(match, target(path="/stores/def456/v3/catalog/products"))
    assert not matches(match, target(method="DELETE"))
    assert not matches(match, target(path="/abc123/V1/customers"))


def test_matches_glob_relative_and_full_paths():
    assert matches(match_of(path="/v3/catalog/products*"), target())
    assert matches(match_of(path="/v3/catalog/*"), target(path="/stores/abc123/v3/catalog/products/7/variants"))
    assert matches(match_of(path="/stores/*/v3/catalog/products"), target())
    assert not matches(match_of(path="/v3/customers"), target())


def test_matches_regex_is_anchored():
    assert matches(match_of(path_regex=r"/V1/customers/\d+"), target(path="/t1/V1/customers/12"))
    assert not matches(match_of(path_regex=r"/V1/customers"), target(path="/t1/V1/customers/12"))


def test_matches_query_values_presence_and_lists():
    match = match_of(query={"limit": 5, "page": None, "include": ["variants", "images"]})
    assert matches(match, target(query="limit=5&page=2&include=images"))
    assert not matches(match, target(query="limit=5&include=images"))  # page missing
    assert not matches(match, target(query="limit=6&page=1&include=images"))


def test_matches_headers_by_name_in_any_case_and_value():
    match = match_of(headers={"X-Request-Id": "abc", "Accept": None})
    assert matches(match, target(headers=[("x-request-id", "abc"), ("accept", "*/*")]))
    assert not matches(match, target(headers=[("x-request-id", "abd"), ("accept", "*/*")]))
    assert not matches(match, target(headers=[("x-request-id", "abc")]))  # accept missing


def test_parse_match_refuses_bad_headers():
    with pytest.raises(RuleError, match="'headers' must be a mapping of name to value"):
        parse_match({"headers": ["x"]})
    with pytest.raises(RuleError, match="header 'X-A' must be a scalar"):
        parse_match({"headers": {"X-A": {"b": 1}}})
    with pytest.raises(RuleError, match="header 'x-\\\\ud800' is not a valid HTTP header name"):
        parse_match({"headers": {"x-\ud800": "1"}})  # no request carries it: refused, never a server error


def test_mismatches_names_every_failed_criterion():
    match = match_of(
        vendor="bigcommerce", method="POST", path="/V1/customers", query={"limit": "5"}, headers={"x-a": "1"}
    )
    assert mismatches(match, target(path="/t1/V1/customers", query="limit=6")) == [
        "vendor differs: wants bigcommerce, got adobe",
        "method differs: wants POST, got GET",
        'query parameter \'limit\' differs: wants "5", got "6"',
        "header 'x-a' is missing",
    ]


def test_mismatches_names_path_and_tenant():
    match = match_of(tenant="t2", path="/V1/customers/*", path_regex=r"/V1/customers/\d+")
    assert mismatches(match, target(path="/t1/V1/orders")) == [
        'tenant or store differs: wants "t2", got "t1"',
        'path differs: "/V1/orders" matches none of "/V1/customers/*"',
        'path_regex differs: "/V1/orders" matches none of "/V1/customers/\\\\d+"',
    ]


def test_mismatches_body_names_the_json_path():
    match = match_of(body={"customer": {"email": "a@example.com", "tags": ["vip"]}})
    actual = {"customer": {"email": "b@example.com", "tags": []}}
    assert mismatches(match, target(method="POST"), actual) == [
        'body matcher failed: $.customer.email is "b@example.com", wants "a@example.com"'
    ]
    assert mismatches(match, target(method="POST"), NO_BODY) == [
        "body matcher failed: the request has no JSON or form body"
    ]


def test_subset_mismatch_missing_key_wrong_kind_and_list_item():
    assert subset_mismatch({"a": {"b": 1}}, {"a": {}}) == "$.a.b is missing"
    assert subset_mismatch({"a": [1]}, {"a": 1}) == "$.a is 1, wants an array"
    assert subset_mismatch({"a": [{"id": 2}]}, {"a": [{"id": 1}]}) == '$.a has no item matching {"id": 2}'
    assert subset_mismatch({"a": 1}, [1]) == "$ is an array, wants an object"
    assert subset_mismatch({"a": 1}, {"a": 1, "b": 2}) is None


def test_mismatches_is_empty_when_the_match_holds():
    match = match_of(method="GET", path="/v3/catalog/products", query={"limit": None})
    assert mismatches(match, target(query="limit=5")) == []


def test_matches_body_subset():
    match = match_of(body={"customer": {"email": "a@example.com"}})
    body = {"customer": {"email": "a@example.com", "firstname": "A"}, "password": "x"}
    assert matches(match, target(method="POST"), body)
    assert not matches(match, target(method="POST"), {"customer": {"email": "b@example.com"}})
    assert not matches(match, target(method="POST"), NO_BODY)


def test_subset_lists_scalars_and_forms():
    assert subset([{"email": "a"}], [{"email": "b"}, {"email": "a", "id": 1}])
    assert not subset([{"email": "c"}], [{"email": "a"}])
    assert subset(10, "10")  # form bodies carry strings
    assert subset(True, "true")
    assert not subset(True, 1)
    assert not subset({"a": 1}, [1])


def test_parse_body_json_form_and_garbage():
    assert parse_body(b'{"a": 1}', "application/json") == {"a": 1}
    assert parse_body(b"grant_type=client_credentials&scope=a", "application/x-www-form-urlencoded") == {
        "grant_type": "client_credentials",
        "scope": "a",
    }
    assert parse_body(b"\xff{", "application/json") is NO_BODY


# counting
def test_pick_first_applicable_rule_wins():
    rules = rule_set({"id": "a", "drop": True, "match": {"method": "POST"}}, {"id": "b", "error": 503})
    assert rules.pick(target()).id == "b"
    assert rules.pick(target(method="POST")).id == "a"


def test_times_limits_answers_then_falls_through():
    rules = rule_set({"id": "a", "error": 503, "times": 2}, {"id": "b", "error": 500})
    assert [rules.pick(target()).id for _ in range(4)] == ["a", "a", "b", "b"]
    assert (rules["a"].matched, rules["a"].hits) == (4, 2)


def test_after_lets_the_first_requests_through():
    rules = rule_set({"id": "a", "error": 429, "after": 2, "times": 1})
    assert [rules.pick(target()) and "a" for _ in range(4)] == [None, None, "a", None]


def test_probability_is_reproducible_with_a_seed():
    def draws(seed):
        rules = rule_set({"id": "p", "error": 500, "probability": 0.3}, seed=seed)
        return [rules.pick(target()) is not None for _ in range(200)]

    first = draws(7)
    assert first == draws(7)
    assert 20 < sum(first) < 100  # about 60 of 200


def test_probability_zero_and_one():
    rules = rule_set({"id": "never", "error": 500, "probability": 0}, {"id": "always", "error": 503, "probability": 1})
    assert {rules.pick(target()).id for _ in range(20)} == {"always"}


def test_times_is_exact_under_concurrency():
    rules = rule_set({"id": "a", "error": 503, "times": 50})
    picked: list[object] = []

    def worker():
        for _ in range(100):
            picked.append(rules.pick(target()))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(rule is not None for rule in picked) == 50
    assert rules["a"].matched == 800


def test_candidates_are_decided_without_the_body():
    rules = rule_set(
        {"id": "a", "error": 500, "match": {"method": "POST", "body": {"x": 1}}}, {"id": "b", "drop": True}
    )
    assert [r.id for r in rules.candidates(target(method="POST"))] == ["a", "b"]
    assert [r.id for r in rules.candidates(target(method="GET"))] == ["b"]
    assert rules.pick(target(method="POST"), {"x": 1}).id == "a"
    assert rules.pick(target(method="POST"), NO_BODY).id == "b"


# the rule set
def test_add_names_rules_and_refuses_duplicates():
    rules = rule_set({"drop": True}, {"drop": True})
    assert [r.id for r in rules] == ["rule-1", "rule-2"]
    with pytest.raises(RuleError, match="'rule-1' already exists"):
        rules.add({"id": "rule-1", "drop": True})


def test_add_is_all_or_nothing():
    rules = rule_set({"id": "a", "drop": True})
    with pytest.raises(RuleError):
        rules.add([{"id": "b", "drop": True}, {"id": "c"}])
    assert [r.id for r in rules] == ["a"]


def test_add_first_puts_rules_ahead():
    rules = rule_set({"id": "a", "drop": True})
    rules.add({"id": "b", "drop": True}, first=True)
    assert [r.id for r in rules] == ["b", "a"]


def test_remove_and_clear():
    rules = rule_set({"id": "a", "drop": True}, {"id": "b", "drop": True})
    assert rules.remove("a").id == "a"
    with pytest.raises(KeyError):
        rules.remove("a")
    rules.clear()
    assert not rules


def test_reset_restores_loaded_rules_with_fresh_counters(tmp_path):
    (tmp_path / "base.yaml").write_text("- {id: loaded, error: 503}\n")
    rules = RuleSet.from_files(RandomSource(1), [tmp_path])
    rules.pick(target())
    rules.add({"id": "runtime", "drop": True})
    rules.remove("loaded")
    rules.reset()
    assert [(r.id, r.origin, r.hits) for r in rules] == [("loaded", "loaded", 0)]


# files
def test_load_rule_files_directory_in_name_order(tmp_path):
    (tmp_path / "b.yml").write_text("rules:\n  - {drop: true}\n")
    (tmp_path / "a.json").write_text('[{"id": "j", "error": 503}]')
    (tmp_path / "notes.txt").write_text("ignored")
    specs = load_rule_files([tmp_path])
    assert [(s.id, s.source.rsplit("/", 1)[-1]) for s in specs] == [("j", "a.json"), ("b-1", "b.yml")]


def test_load_rule_files_reports_file_and_rule(tmp_path):
    (tmp_path / "bad.yaml").write_text("- {id: ok, drop: true}\n- {id: broken, error: {status: 200}}\n")
    with pytest.raises(RuleError) as raised:
        load_rule_files([tmp_path / "bad.yaml"])
    assert str(raised.value) == (
        f"{tmp_path / 'bad.yaml'}: rule 2 ('broken').error: an error 'status' must be 400 or more, got 200"
    )


def test_load_rule_files_bad_yaml_and_missing(tmp_path):
    (tmp_path / "bad.yaml").write_text("- {id: [\n")
    with pytest.raises(RuleError, match="cannot read mock rules"):
        load_rule_files([tmp_path / "bad.yaml"])
    with pytest.raises(RuleError, match="no such mock file or directory"):
        load_rule_files([tmp_path / "missing.yaml"])


def test_load_rule_files_uses_yaml_safe_load(tmp_path):
    (tmp_path / "evil.yaml").write_text("- !!python/object/apply:os.system ['true']\n")
    with pytest.raises(RuleError, match="cannot read mock rules"):
        load_rule_files([tmp_path / "evil.yaml"])


def test_bundled_scenarios_load_by_name_and_all_parse():
    bundled = data_dir("mocks")
    assert [s.id for s in load_rule_files(["maintenance-window"], bundled)] == [
        "maintenance-adobe",
        "maintenance-bigcommerce",
    ]
    ids = {s.id for s in load_rule_files([bundled])}
    assert {"slow-catalog", "flaky-orders-drop", "storm-bigcommerce", "adobe-store-configs"} <= ids


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ({"id": "a", "respond": {"json": {"when": __import__("datetime").date(2024, 1, 1)}}}, "plain JSON data"),
        ({"id": "a", "respond": {"json": float("nan")}}, "plain JSON data"),
        ({"id": "a", "respond": {"headers": {"X-A": "1\r\nSet-Cookie: x"}}}, "header 'X-A' has a name or value"),
        ({"id": "a", "respond": {"headers": {"X A": "1"}}}, "header 'X A' has a name or value"),
        ({"id": "a", "respond": {"status": 101}}, "a response 'status' must be 200 or more"),
        ({"id": "a", "respond": {"status": 204, "json": {}}}, "a 204 response has no body"),
    ],
)
def test_parse_rule_refuses_what_would_fail_on_the_wire(rule, text):
    with pytest.raises(RuleError) as raised:
        parse_rule(rule)
    assert text in str(raised.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
rule_keys = st.sampled_from(["id", "match", "times", "after", "probability", "delay", "respond", "error", "drop"])
match_keys = st.sampled_from(["vendor", "tenant", "method", "path", "path_regex", "query", "headers", "body"])


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    st.dictionaries(rule_keys, json_values, max_size=5),
    st.dictionaries(match_keys, json_values, max_size=4),
)
def test_parse_rule_never_fails_other_than_with_rule_error(rule, match):
    try:
        spec = parse_rule({**rule, "match": match} if match else rule)
    except RuleError:
        return
    matches(spec.match, target(), {"a": 1})  # a rule that parsed can be matched without error


request_targets = st.builds(
    target,
    method=st.sampled_from(["GET", "POST"]),
    path=st.sampled_from(["/t1/V1/customers", "/t2/V1/customers/5", "/stores/abc/v3/catalog/products", "/ims/x"]),
    query=st.sampled_from(["", "limit=5", "limit=6&page=1", "page="]),
    headers=st.lists(st.tuples(st.sampled_from(["x-a", "accept"]), st.sampled_from(["1", "2"])), max_size=2),
)
matchers = st.fixed_dictionaries(
    {},
    optional={
        "vendor": st.sampled_from(["adobe", "bigcommerce", "ims", "any"]),
        "tenant": st.sampled_from(["t1", "t2", "abc"]),
        "method": st.sampled_from(["GET", "POST", ["GET", "PUT"]]),
        "path": st.sampled_from(["/V1/customers*", "/v3/*", "/t1/*"]),
        "path_regex": st.sampled_from([r"/V1/customers/\d+", r".*products"]),
        "query": st.dictionaries(st.sampled_from(["limit", "page"]), st.sampled_from([None, "5", ["1", "6"]])),
        "headers": st.dictionaries(st.sampled_from(["x-a", "accept"]), st.sampled_from([None, "1", ["2"]])),
        "body": json_values,
    },
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(matchers, request_targets, json_values | st.just(NO_BODY))
def test_mismatches_agrees_with_matches(criteria, request, body):
    match = parse_match(criteria)
    assert (mismatches(match, request, body) == []) == matches(match, request, body)
