"""GET /V1/customers/search: groups, every condition type, sorting, paging, total_count, both spellings."""

from __future__ import annotations

import pytest

from .conftest import TENANT

PEOPLE = [
    # email, firstname, lastname, group_id, store/website, dob
    ("ann@example.com", "Ann", "Archer", 1, "1990-01-01"),
    ("bob@example.com", "Bob", "Baker", 2, "1985-06-15"),
    ("cid@example.org", "Cid", "Carter", 3, None),
    ("dee@example.org", "Dee", "Dalton", 1, "2000-12-31"),
    ("eve@example.net", "Eve", "Evans", 2, None),
]


@pytest.fixture
def people(fake, api):
    store = fake.adobe.tenants.get(TENANT)
    ids = {}
    for email, first, last, group, dob in PEOPLE:
        fields = {"email": email, "firstname": first, "lastname": last, "group_id": group, "website_id": 1}
        if dob:
            fields["dob"] = dob
        ids[first] = store.create_customer(fields).id
    return ids


def criteria(*groups, sort=(), page_size=None, current_page=None, snake=False):
    """Query parameters for filter groups of (field, value, condition_type) tuples."""
    k = {
        "root": "search_criteria" if snake else "searchCriteria",
        "groups": "filter_groups" if snake else "filterGroups",
        "type": "condition_type" if snake else "conditionType",
        "sort": "sort_orders" if snake else "sortOrders",
        "size": "page_size" if snake else "pageSize",
        "page": "current_page" if snake else "currentPage",
    }
    params = []
    for g, group in enumerate(groups):
        for f, (field, value, condition) in enumerate(group):
            prefix = f"{k['root']}[{k['groups']}][{g}][filters][{f}]"
            params.append((f"{prefix}[field]", field))
            if value is not None:
                params.append((f"{prefix}[value]", value))
            if condition is not None:
                params.append((f"{prefix}[{k['type']}]", condition))
    for s, (field, direction) in enumerate(sort):
        params += [
            (f"{k['root']}[{k['sort']}][{s}][field]", field),
            (f"{k['root']}[{k['sort']}][{s}][direction]", direction),
        ]
    if page_size is not None:
        params.append((f"{k['root']}[{k['size']}]", str(page_size)))
    if current_page is not None:
        params.append((f"{k['root']}[{k['page']}]", str(current_page)))
    if not params:
        params.append((k["root"], ""))
    return params


def search(api, params):
    response = api.get(f"/{TENANT}/V1/customers/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def names(result):
    return [item["firstname"] for item in result["items"]]


def test_search_all_in_id_order(api, people):
    result = search(api, criteria())
    assert names(result) == ["Ann", "Bob", "Cid", "Dee", "Eve"]
    assert result["total_count"] == 5
    assert result["search_criteria"] == {"filter_groups": [], "page_size": 20}


def test_search_filters_in_one_group_are_ored(api, people):
    result = search(api, criteria([("firstname", "Ann", "eq"), ("lastname", "Evans", "eq")]))
    assert names(result) == ["Ann", "Eve"]


def test_search_groups_are_anded(api, people):
    result = search(api, criteria([("group_id", "1", "eq"), ("group_id", "2", "eq")], [("email", "%.com", "like")]))
    assert names(result) == ["Ann", "Bob"]


def test_search_email_eq_is_case_insensitive(api, people):
    assert names(search(api, criteria([("email", "BOB@example.com", None)]))) == ["Bob"]


@pytest.mark.parametrize(
    ("field", "value", "condition", "expected"),
    [
        ("firstname", "ann", "eq", ["Ann"]),
        ("group_id", "1", "neq", ["Bob", "Cid", "Eve"]),
        ("email", "%@example.org", "like", ["Cid", "Dee"]),
        ("email", "%@example.org", "nlike", ["Ann", "Bob", "Eve"]),
        ("lastname", "Baker,Evans", "in", ["Bob", "Eve"]),
        ("group_id", "1,2", "nin", ["Cid"]),
        ("group_id", "2", "gt", ["Cid"]),
        ("group_id", "2", "gteq", ["Bob", "Cid", "Eve"]),
        ("group_id", "2", "moreq", ["Bob", "Cid", "Eve"]),
        ("group_id", "2", "lt", ["Ann", "Dee"]),
        ("group_id", "2", "lteq", ["Ann", "Bob", "Dee", "Eve"]),
        ("dob", "1986-01-01", "from", ["Ann", "Dee"]),
        ("dob", "1995-01-01", "to", ["Ann", "Bob"]),
        ("dob", None, "null", ["Cid", "Eve"]),
        ("dob", None, "notnull", ["Ann", "Bob", "Dee"]),
        ("group_id", "3", "finset", ["Cid"]),
        ("group_id", "3", "nfinset", ["Ann", "Bob", "Dee", "Eve"]),
        ("name", "Dee Dalton", "eq", ["Dee"]),
        ("id", "2", "gt", ["Cid", "Dee", "Eve"]),
        ("id", "1,3", "in", ["Ann", "Cid"]),
    ],
)
def test_search_condition_types(api, people, field, value, condition, expected):
    assert names(search(api, criteria([(field, value, condition)]))) == expected


def test_search_from_and_to_in_two_groups_make_a_range(api, people):
    result = search(api, criteria([("dob", "1985-01-01", "from")], [("dob", "1995-01-01", "to")]))
    assert names(result) == ["Ann", "Bob"]


def test_search_sorting(api, people):
    result = search(api, criteria(sort=[("group_id", "DESC"), ("lastname", "ASC")]))
    assert names(result) == ["Cid", "Bob", "Eve", "Ann", "Dee"]
    assert result["search_criteria"]["sort_orders"] == [
        {"field": "group_id", "direction": "DESC"},
        {"field": "lastname", "direction": "ASC"},
    ]


def test_search_sort_by_id_descending(api, people):
    assert names(search(api, criteria(sort=[("id", "desc")]))) == ["Eve", "Dee", "Cid", "Bob", "Ann"]


def test_search_nulls_sort_first(api, people):
    assert names(search(api, criteria(sort=[("dob", "ASC")])))[:2] == ["Cid", "Eve"]


def test_search_paging_and_total_count(api, people):
    result = search(api, criteria(page_size=2, current_page=2))
    assert names(result) == ["Cid", "Dee"]
    assert result["total_count"] == 5
    assert result["search_criteria"] == {"filter_groups": [], "page_size": 2, "current_page": 2}


def test_search_page_past_the_end_gives_the_last_page(api, people):
    assert names(search(api, criteria(page_size=2, current_page=9))) == ["Eve"]


def test_search_paging_with_a_filter(api, people):
    result = search(api, criteria([("email", "%example%", "like")], page_size=3, current_page=2))
    assert (names(result), result["total_count"]) == (["Dee", "Eve"], 5)


def test_search_snake_case_keys(api, people):
    result = search(api, criteria([("group_id", "2", "eq")], sort=[("id", "DESC")], page_size=1, snake=True))
    assert names(result) == ["Eve"]
    assert result["total_count"] == 2
    assert result["search_criteria"] == {
        "filter_groups": [{"filters": [{"field": "group_id", "value": "2", "condition_type": "eq"}]}],
        "sort_orders": [{"field": "id", "direction": "DESC"}],
        "page_size": 1,
    }


def test_search_no_match(api, people):
    result = search(api, criteria([("email", "nobody@example.com", "eq")]))
    assert (result["items"], result["total_count"]) == ([], 0)


def test_search_unknown_field(api, people):
    response = api.get(f"/{TENANT}/V1/customers/search", params=criteria([("shoe_size", "9", "eq")]))
    assert response.status_code == 400
    assert response.json() == {"message": "Invalid attribute name: %1", "parameters": ["shoe_size"]}


def test_search_unknown_criteria_key(api, people):
    response = api.get(f"/{TENANT}/V1/customers/search", params=[("searchCriteria[pageSise]", "2")])
    assert response.status_code == 400
    msg = '"%fieldName" is not supported. Correct the field name and try again.'
    assert response.json() == {"message": msg, "parameters": {"fieldName": "PageSise"}}


def test_search_page_size_not_a_number(api, people):
    response = api.get(f"/{TENANT}/V1/customers/search", params=[("searchCriteria[pageSize]", "many")])
    assert response.status_code == 400
    assert response.json()["message"].startswith('Error occurred during "page_size" processing. The "many" value')


def test_search_items_include_addresses(api, base):
    body = {
        "customer": {
            "email": "addr@example.com",
            "firstname": "Al",
            "lastname": "Dress",
            "addresses": [
                {
                    "firstname": "Al",
                    "lastname": "Dress",
                    "street": ["1 Main St"],
                    "city": "Austin",
                    "postcode": "78701",
                    "country_id": "US",
                    "telephone": "5551234",
                    "default_billing": True,
                }
            ],
        }
    }
    assert api.post(f"{base}/customers", json=body).status_code == 200
    result = search(api, criteria([("billing_city", "austin", "eq")]))
    assert [i["email"] for i in result["items"]] == ["addr@example.com"]
    assert result["items"][0]["addresses"][0]["city"] == "Austin"


def type_invalid(field: str, value: str) -> dict:
    return {
        "message": f'Error occurred during "{field}" processing. The "{value}" value\'s type is invalid. '
        'The "int" type was expected. Verify and try again.'
    }


@pytest.mark.parametrize("value", ["1e999", "inf", "nan", "-1e999", "1e30", "-2e19"])
@pytest.mark.parametrize(("key", "field"), [("page_size", "page_size"), ("current_page", "current_page")])
def test_search_non_finite_paging_is_type_invalid(api, people, key, field, value):
    response = api.get(f"/{TENANT}/V1/customers/search", params=criteria(**{key: value}))
    assert (response.status_code, response.json()) == (400, type_invalid(field, value))


@pytest.mark.parametrize("value", ["1e999", "inf", "-inf", "nan", "1e999,2"])
@pytest.mark.parametrize("condition", [None, "gt", "lteq", "in"])
def test_search_non_finite_id_value_matches_nothing(api, people, value, condition):
    result = search(api, criteria([("id", value, condition)]))
    expected = ["Bob"] if condition == "in" and value == "1e999,2" else []  # 2 is Bob's id; the rest match none
    assert names(result) == expected


def test_search_entity_id_filters_by_the_customer_id(api, people):
    result = search(api, criteria([("entity_id", str(people["Cid"]), "eq")]))
    assert names(result) == ["Cid"]
    assert result["search_criteria"]["filter_groups"] == [
        {"filters": [{"field": "entity_id", "value": str(people["Cid"]), "condition_type": "eq"}]}
    ]


def test_search_entity_id_range_and_sort(api, people):
    result = search(api, criteria([("entity_id", str(people["Bob"]), "gteq")], sort=[("entity_id", "DESC")]))
    assert names(result) == ["Eve", "Dee", "Cid", "Bob"]


def test_search_with_a_trailing_slash(api, people):
    response = api.get(f"/{TENANT}/V1/customers/search/", params=criteria([("firstname", "Ann", "eq")]))
    assert response.status_code == 200
    assert names(response.json()) == ["Ann"]


def test_search_fields_trims_items_and_keeps_total_count(api, people):
    params = [*criteria([("lastname", "D%", "like")]), ("fields", "items[id,email],total_count")]
    result = search(api, params)
    assert result == {"items": [{"id": people["Dee"], "email": "dee@example.org"}], "total_count": 1}
