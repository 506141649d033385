"""Customer groups: the state (groups.py, no HTTP) and the nine /V1/customerGroups routes with Magento's bodies."""

from __future__ import annotations

import pytest

from storefake.adobe import errors as E
from storefake.adobe.groups import CustomerGroups, tax_classes_from

from .conftest import TENANT, john

DEFAULTS = [
    {"id": 0, "code": "NOT LOGGED IN", "tax_class_id": 3},
    {"id": 1, "code": "General", "tax_class_id": 3},
    {"id": 2, "code": "Wholesale", "tax_class_id": 3},
    {"id": 3, "code": "Retailer", "tax_class_id": 3},
]
GENERAL = {"id": 1, "code": "General", "tax_class_id": 3, "tax_class_name": "Retail Customer"}
REQUIRED = '"%fieldName" is required. Enter and try again.'
NO_SUCH = "No such entity with %fieldName = %fieldValue"
INVALID_VALUE = 'Invalid value of "%value" provided for the %fieldName field.'


@pytest.fixture
def groups() -> CustomerGroups:
    return CustomerGroups(DEFAULTS, tax_classes_from(None), [0, 1], default_group_id=1)


# --- state ---------------------------------------------------------------------------------------------------


def test_save_new_group_takes_the_next_id_and_the_default_tax_class(groups):
    group = groups.save({"code": "VIP"})
    assert (group.id, group.code, group.tax_class_id) == (4, "VIP", 3)


def test_save_cuts_the_code_to_32_characters(groups):
    assert groups.save({"code": "x" * 40}).code == "x" * 32


def test_save_duplicate_code_ignores_case_and_trailing_spaces(groups):
    with pytest.raises(E.GroupExists):
        groups.save({"code": "wholesale  "})


def test_save_duplicate_after_the_cut(groups):
    groups.save({"code": "y" * 32})
    with pytest.raises(E.GroupExists):
        groups.save({"code": "y" * 33})


def test_save_same_code_on_the_same_group_is_no_duplicate(groups):
    assert groups.save({"id": 2, "code": "WHOLESALE", "tax_class_id": 3}).code == "WHOLESALE"


@pytest.mark.parametrize("code", [None, "", "   "])
def test_save_without_a_code(groups, code):
    with pytest.raises(E.FieldRequired):
        groups.save({"code": code})


@pytest.mark.parametrize("tax_class_id", [2, 9999])
def test_save_tax_class_must_be_a_customer_class(groups, tax_class_id):
    with pytest.raises(E.InvalidFieldValue) as raised:
        groups.save({"code": "T", "tax_class_id": tax_class_id})
    assert raised.value.parameters == {"fieldName": "taxClassId", "value": tax_class_id}


def test_save_update_without_a_tax_class_is_invalid(groups):
    with pytest.raises(E.InvalidFieldValue) as raised:
        groups.save({"id": 2, "code": "Wholesale"})
    assert raised.value.parameters == {"fieldName": "taxClassId", "value": None}


def test_save_update_of_a_missing_group(groups):
    with pytest.raises(E.NoSuchEntity) as raised:
        groups.save({"id": 88, "code": "Y", "tax_class_id": 3})
    assert raised.value.parameters == {"fieldName": "id", "fieldValue": 88}


def test_save_excluded_websites_keep_only_real_non_admin_websites(groups):
    group = groups.save({"code": "Z"}, {"exclude_website_ids": [0, 1, 7]})
    assert group.excluded_website_ids == (1,)


def test_save_not_logged_in_never_excludes_websites(groups):
    assert (
        groups.save(
            {"id": 0, "code": "NOT LOGGED IN", "tax_class_id": 3}, {"exclude_website_ids": [1]}
        ).excluded_website_ids
        == ()
    )


def test_is_readonly_not_logged_in_and_the_default_group(groups):
    assert [groups.is_readonly(i) for i in (0, 1, 2, 3)] == [True, True, False, False]


def test_is_readonly_missing_group_names_group_id(groups):
    with pytest.raises(E.NoSuchEntity) as raised:
        groups.is_readonly(9999)
    assert raised.value.parameters == {"fieldName": "groupId", "fieldValue": 9999}


@pytest.mark.parametrize("group_id", [0, 1])
def test_delete_not_logged_in_or_default_group(groups, group_id):
    with pytest.raises(E.CannotDeleteGroup):
        groups.delete(group_id)


def test_set_default_then_the_old_default_can_be_deleted(groups):
    assert groups.set_default(2) == 2
    assert groups.delete(1) is True
    assert groups.default_group().code == "Wholesale"


def test_add_seeded_group_with_an_id_already_taken(groups):
    with pytest.raises(E.GroupExists):
        groups.add({"id": 2, "code": "Other"})


# --- routes ------------------------------------------------------------------------------------------------


@pytest.fixture
def groups_url(base):
    return f"{base}/customerGroups"


def error(response, status, body):
    assert response.status_code == status, response.text
    assert response.json() == body


def test_get_customer_group(api, groups_url):
    assert api.get(f"{groups_url}/1").json() == GENERAL


def test_get_customer_group_missing(api, groups_url):
    error(
        api.get(f"{groups_url}/4200"), 404, {"message": NO_SUCH, "parameters": {"fieldName": "id", "fieldValue": 4200}}
    )


def test_get_customer_group_needs_the_group_acl(client, groups_url):
    body = {
        "message": "The consumer isn't authorized to access %resources.",
        "parameters": {"resources": "Magento_Customer::group"},
    }
    error(client.get(f"{groups_url}/1"), 401, body)


def test_create_customer_group(api, groups_url):
    response = api.post(groups_url, json={"group": {"code": "VIP", "tax_class_id": 3}})
    assert response.status_code == 200
    assert response.json() == {"id": 4, "code": "VIP", "tax_class_id": 3, "tax_class_name": "Retail Customer"}
    assert api.get(f"{groups_url}/4").json()["code"] == "VIP"


def test_create_customer_group_without_group(api, groups_url):
    error(api.post(groups_url, json={}), 400, {"message": REQUIRED, "parameters": {"fieldName": "group"}})


def test_create_customer_group_without_code(api, groups_url):
    body = {"group": {"id": None, "code": None, "tax_class_id": None}}
    error(api.post(groups_url, json=body), 400, {"message": REQUIRED, "parameters": {"fieldName": "code"}})


def test_create_customer_group_duplicate_code(api, groups_url):
    error(api.post(groups_url, json={"group": {"code": "General"}}), 400, {"message": "Customer Group already exists."})


def test_create_customer_group_invalid_tax_class(api, groups_url):
    response = api.post(groups_url, json={"group": {"code": "T", "tax_class_id": 9999}})
    error(response, 400, {"message": INVALID_VALUE, "parameters": {"fieldName": "taxClassId", "value": 9999}})


def test_create_customer_group_with_an_unknown_id_is_an_update(api, groups_url):
    response = api.post(groups_url, json={"group": {"id": 88, "code": "C", "tax_class_id": 3}})
    error(response, 404, {"message": NO_SUCH, "parameters": {"fieldName": "id", "fieldValue": 88}})


def test_create_customer_group_unknown_field(api, groups_url):
    response = api.post(groups_url, json={"group": {"code": "C", "colour": "red"}})
    body = {
        "message": '"%fieldName" is not supported. Correct the field name and try again.',
        "parameters": {"fieldName": "Colour"},
    }
    error(response, 400, body)


def test_update_customer_group_path_id_wins(api, groups_url):
    response = api.put(f"{groups_url}/2", json={"group": {"id": 3, "code": "Wholesale+", "tax_class_id": 3}})
    assert response.json()["id"] == 2
    assert api.get(f"{groups_url}/2").json()["code"] == "Wholesale+"
    assert api.get(f"{groups_url}/3").json()["code"] == "Retailer"


def test_update_customer_group_missing(api, groups_url):
    response = api.put(f"{groups_url}/9999", json={"group": {"code": "Nope", "tax_class_id": 3}})
    error(response, 404, {"message": NO_SUCH, "parameters": {"fieldName": "id", "fieldValue": 9999}})


def test_update_customer_group_excluded_websites_round_trip(api, groups_url):
    extension = {"exclude_website_ids": [1]}
    body = {"group": {"code": "Wholesale", "tax_class_id": 3, "extension_attributes": extension}}
    assert api.put(f"{groups_url}/2", json=body).json()["extension_attributes"] == extension
    assert api.get(f"{groups_url}/2").json()["extension_attributes"] == extension


def test_delete_customer_group(api, groups_url):
    assert api.delete(f"{groups_url}/2").json() is True
    error(api.get(f"{groups_url}/2"), 404, {"message": NO_SUCH, "parameters": {"fieldName": "id", "fieldValue": 2}})


def test_delete_customer_group_default(api, groups_url):
    error(api.delete(f"{groups_url}/1"), 400, {"message": "Cannot delete group."})


def test_delete_customer_group_missing(api, groups_url):
    error(
        api.delete(f"{groups_url}/4200"),
        404,
        {"message": NO_SUCH, "parameters": {"fieldName": "id", "fieldValue": 4200}},
    )


def test_delete_customer_group_moves_its_customers_to_the_default_group(api, base, groups_url, create):
    customer = create(group_id=3)
    api.delete(f"{groups_url}/3")
    assert api.get(f"{base}/customers/{customer['id']}").json()["group_id"] == 1


def test_customer_group_id_must_name_an_existing_group(api, base, groups_url):
    api.delete(f"{groups_url}/3")
    response = api.post(f"{base}/customers", json={"customer": john(group_id=3)})
    error(response, 400, {"message": "The specified customer group id does not exist."})


def test_customer_in_a_new_group(api, base, groups_url, create):
    group_id = api.post(groups_url, json={"group": {"code": "VIP"}}).json()["id"]
    assert create(group_id=group_id)["group_id"] == group_id


def test_search_customer_groups(api, groups_url):
    params = {
        "searchCriteria[filterGroups][0][filters][0][field]": "code",
        "searchCriteria[filterGroups][0][filters][0][value]": "Retailer",
    }
    body = api.get(f"{groups_url}/search", params=params).json()
    assert body["items"] == [{"id": 3, "code": "Retailer", "tax_class_id": 3, "tax_class_name": "Retail Customer"}]
    assert body["total_count"] == 1
    assert body["search_criteria"] == {
        "filter_groups": [{"filters": [{"field": "code", "value": "Retailer"}]}],
        "page_size": 20,
    }


def test_search_customer_groups_by_tax_class_sorted_and_paged(api, groups_url):
    params = {
        "searchCriteria[filterGroups][0][filters][0][field]": "tax_class_id",
        "searchCriteria[filterGroups][0][filters][0][value]": "3",
        "searchCriteria[sortOrders][0][field]": "code",
        "searchCriteria[sortOrders][0][direction]": "DESC",
        "searchCriteria[pageSize]": "2",
    }
    body = api.get(f"{groups_url}/search", params=params).json()
    assert [g["code"] for g in body["items"]] == ["Wholesale", "Retailer"]
    assert body["total_count"] == 4


def test_search_customer_groups_by_column_name(api, groups_url):
    params = {
        "searchCriteria[filterGroups][0][filters][0][field]": "customer_group_id",
        "searchCriteria[filterGroups][0][filters][0][value]": "0",
    }
    assert [g["code"] for g in api.get(f"{groups_url}/search", params=params).json()["items"]] == ["NOT LOGGED IN"]


def test_search_customer_groups_unknown_field(api, groups_url):
    params = {"searchCriteria[filterGroups][0][filters][0][field]": "email"}
    error(
        api.get(f"{groups_url}/search", params=params),
        400,
        {"message": "Invalid attribute name: %1", "parameters": ["email"]},
    )


def test_search_customer_groups_with_fields(api, groups_url):
    params = {"searchCriteria[pageSize]": "2", "fields": "items[code]"}
    assert api.get(f"{groups_url}/search", params=params).json() == {
        "items": [{"code": "NOT LOGGED IN"}, {"code": "General"}]
    }


@pytest.mark.parametrize("path", ["/default", "/default/0", "/default/1", "/default?storeId=1"])
def test_get_default_customer_group(api, groups_url, path):
    assert api.get(f"{groups_url}{path}").json() == GENERAL


def test_get_default_customer_group_unknown_store(api, groups_url):
    body = {"message": NO_SUCH, "parameters": {"fieldName": "storeId", "fieldValue": 9876}}
    error(api.get(f"{groups_url}/default/9876"), 404, body)


def test_get_default_customer_group_store_id_not_a_number(api, groups_url):
    body = {"message": 'The "x" value\'s type is invalid. The "int" type was expected. Verify and try again.'}
    error(api.get(f"{groups_url}/default/x"), 400, body)


def test_set_default_customer_group(api, base, groups_url):
    assert api.put(f"{groups_url}/default/2").json() == 2
    assert api.get(f"{groups_url}/default").json()["code"] == "Wholesale"
    assert api.post(f"{base}/customers", json={"customer": john()}).json()["group_id"] == 2
    assert api.get(f"{groups_url}/1/permissions").json() is False


def test_set_default_customer_group_missing(api, groups_url):
    body = {"message": NO_SUCH, "parameters": {"fieldName": "id", "fieldValue": 10000}}
    error(api.put(f"{groups_url}/default/10000"), 404, body)


@pytest.mark.parametrize(("group_id", "readonly"), [(0, True), (1, True), (2, False), (3, False)])
def test_get_customer_group_permissions(api, groups_url, group_id, readonly):
    assert api.get(f"{groups_url}/{group_id}/permissions").json() is readonly


def test_get_customer_group_permissions_missing(api, groups_url):
    body = {"message": NO_SUCH, "parameters": {"fieldName": "groupId", "fieldValue": 9999}}
    error(api.get(f"{groups_url}/9999/permissions"), 404, body)


def test_customer_groups_are_per_tenant(api, groups_url):
    api.post(groups_url, json={"group": {"code": "Only here"}})
    assert api.get(f"/other-{TENANT}/V1/customerGroups/4").status_code == 404


def test_seed_customer_groups_and_default_group(api, base):
    seed = {
        "adobe": {
            "tenants": {
                TENANT: {
                    "customer_groups": [{"id": 10, "code": "Seeded"}],
                    "config": {"customer/create_account/default_group": 10},
                }
            }
        }
    }
    assert api.post("/__storefake/seed", json=seed).status_code == 200
    assert api.get(f"{base}/customerGroups/default").json() == {
        "id": 10,
        "code": "Seeded",
        "tax_class_id": 3,
        "tax_class_name": "Retail Customer",
    }


def test_seed_config_unknown_path_is_a_control_error(api):
    seed = {"adobe": {"tenants": {TENANT: {"config": {"web/secure/base_url": "x"}}}}}
    response = api.post("/__storefake/seed", json=seed)
    assert response.status_code == 400
    assert response.json() == {
        "error": f"adobe.tenants.{TENANT}.config.web/secure/base_url: unknown key; "
        "expected one of: customer/create_account/confirm, customer/create_account/default_group"
    }
