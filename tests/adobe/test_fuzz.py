"""No input yields a 500: random bodies, paths and search queries always get a Magento JSON answer."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import TENANT

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
customer_keys = st.sampled_from(
    ["email", "firstname", "lastname", "group_id", "store_id", "website_id", "addresses", "dob", "gender", "id", "x"]
)
customers = st.dictionaries(customer_keys, json_values, max_size=6)


def assert_magento_answer(response) -> None:
    assert response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body["message"], str)


@SETTINGS
@given(body=st.one_of(json_values, st.fixed_dictionaries({"customer": customers, "password": json_values})))
def test_create_customer_any_json(api, body):
    assert_magento_answer(api.post(f"/{TENANT}/V1/customers", json=body))


@SETTINGS
@given(customer=customers)
def test_update_customer_any_fields(api, create, customer):
    assert_magento_answer(api.put(f"/{TENANT}/V1/customers/1", json={"customer": customer}))


@SETTINGS
@given(raw=st.binary(max_size=64))
def test_create_customer_any_bytes(api, raw):
    assert_magento_answer(
        api.post(f"/{TENANT}/V1/customers", content=raw, headers={"Content-Type": "application/json"})
    )


@SETTINGS
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "searchCriteria",
                    "searchCriteria[pageSize]",
                    "searchCriteria[currentPage]",
                    "searchCriteria[filterGroups][0][filters][0][field]",
                    "searchCriteria[filterGroups][0][filters][0][value]",
                    "searchCriteria[filterGroups][0][filters][0][conditionType]",
                    "searchCriteria[filterGroups][0]",
                    "searchCriteria[filterGroups][]",
                    "searchCriteria[sortOrders][0][field]",
                    "searchCriteria[sortOrders][0][direction]",
                    "search_criteria[filter_groups][0][filters][0][field]",
                    "searchCriteria[filterGroups][0][filters][0][field][x]",
                    "searchCriteria[",
                ]
            ),
            st.sampled_from(["", "email", "id", "eq", "like", "in", "from", "null", "ASC", "x", "%", "1", "-5", "300"])
            | st.text(max_size=8),
        ),
        max_size=6,
    )
)
def test_search_any_query(api, create, params):
    assert_magento_answer(api.get(f"/{TENANT}/V1/customers/search", params=params))


@SETTINGS
@given(segment=st.text(min_size=1, max_size=12))
def test_any_customer_id_segment(api, segment):
    response = api.get(f"/{TENANT}/V1/customers/{quote(segment, safe='')}")
    assert response.status_code < 500
    json.loads(response.text)
