"""Attribute metadata: the catalogue (metadata.py, from fixtures/adobe/attributes.yaml) and the eight
/V1/attributeMetadata/customer* and customerAddress* routes, checked against Magento's own API test expectations
(dev/tests/api-functional/.../Customer/Api/CustomerMetadataTest.php)."""

from __future__ import annotations

import pytest

from storefake.adobe import errors as E
from storefake.adobe import metadata

FIRSTNAME = {
    "frontend_input": "text",
    "input_filter": "trim",
    "store_label": "First Name",
    "validation_rules": [{"name": "max_text_length", "value": "255"}, {"name": "min_text_length", "value": "1"}],
    "multiline_count": 0,
    "visible": True,
    "required": True,
    "data_model": "",
    "options": [],
    "frontend_class": "required-entry",
    "user_defined": False,
    "sort_order": 40,
    "frontend_label": "First Name",
    "note": "",
    "system": True,
    "backend_type": "static",
    "is_used_in_grid": False,
    "is_visible_in_grid": False,
    "is_filterable_in_grid": False,
    "is_searchable_in_grid": False,
    "attribute_code": "firstname",
}
GENDER_OPTIONS = [
    {"label": " ", "value": ""},
    {"label": "Male", "value": "1"},
    {"label": "Female", "value": "2"},
    {"label": "Not Specified", "value": "3"},
]
NO_SUCH_PAIR = "No such entity with %fieldName = %fieldValue, %field2Name = %field2Value"


# --- the catalogue -------------------------------------------------------------------------------------------


def test_catalogue_holds_both_entities():
    catalogue = metadata.catalogue()
    assert [a.code for a in catalogue.all("customer")][:3] == ["website_id", "store_id", "created_in"]
    assert "street" in [a.code for a in catalogue.all("customer_address")]


def test_css_class_adds_required_and_input_validation():
    catalogue = metadata.catalogue()
    assert catalogue.get("customer", "email").css_class == "required-entry validate-email"
    assert catalogue.get("customer", "dob").css_class == ""


def test_css_class_text_lengths_only_with_an_input_validation():
    attribute = metadata.Attribute.from_data(
        {"code": "x", "required": False, "validate_rules": {"input_validation": "alpha", "max_text_length": 9}}
    )
    assert attribute.css_class == "validate-alpha maximum-length-9 validate-length"


def test_custom_attributes_are_neither_interface_fields_nor_system():
    assert metadata.catalogue().custom("customer") == []
    assert metadata.catalogue().custom("customer_address") == []


def test_form_is_sorted_by_sort_order():
    codes = [a.code for a in metadata.catalogue().form("customer", "customer_account_create")]
    assert codes[:4] == ["created_at", "prefix", "firstname", "middlename"]


def test_unknown_attribute_names_the_entity_type():
    with pytest.raises(E.NoSuchEntityPair) as raised:
        metadata.catalogue().get("customer_address", "nope")
    assert raised.value.parameters == {
        "fieldName": "entityType",
        "fieldValue": "customer_address",
        "field2Name": "attributeCode",
        "field2Value": "nope",
    }


def test_unknown_form():
    with pytest.raises(E.NoSuchEntity):
        metadata.catalogue().form("customer", "checkout_register")  # removed by a data patch in 2.x


# --- routes --------------------------------------------------------------------------------------------------


@pytest.fixture
def meta(base):
    return f"{base}/attributeMetadata"


def test_get_customer_attribute_metadata_firstname(api, meta):
    assert api.get(f"{meta}/customer/attribute/firstname").json() == FIRSTNAME


def test_get_customer_attribute_metadata_gender_options(api, meta):
    body = api.get(f"{meta}/customer/attribute/gender").json()
    assert body["options"] == GENDER_OPTIONS
    assert (body["visible"], body["required"], body["system"], body["sort_order"]) == (False, False, False, 110)


def test_get_customer_attribute_metadata_website_options_are_the_tenants(api, meta):
    body = api.get(f"{meta}/customer/attribute/website_id").json()
    assert body["options"] == [{"label": "Main Website", "value": "1"}]
    assert body["frontend_class"] == "required-entry"


def test_get_customer_attribute_metadata_group_options_follow_the_groups(api, meta, base):
    api.post(f"{base}/customerGroups", json={"group": {"code": "VIP"}})
    options = api.get(f"{meta}/customer/attribute/group_id").json()["options"]
    assert options[-1] == {"label": "VIP", "value": "4"}
    assert {"label": "NOT LOGGED IN", "value": "0"} not in options


def test_get_customer_attribute_metadata_unknown(api, meta):
    response = api.get(f"{meta}/customer/attribute/shoe_size")
    assert response.status_code == 404
    assert response.json() == {
        "message": NO_SUCH_PAIR,
        "parameters": {
            "fieldName": "entityType",
            "fieldValue": "customer",
            "field2Name": "attributeCode",
            "field2Value": "shoe_size",
        },
    }


def test_get_customer_attributes_metadata(api, meta):
    body = api.get(f"{meta}/customer").json()
    assert FIRSTNAME in body
    assert len(body) == len(metadata.catalogue().all("customer"))


def test_get_customer_custom_attributes_metadata(api, meta):
    assert api.get(f"{meta}/customer/custom").json() == []


def test_get_customer_form_attributes_metadata(api, meta):
    codes = [a["attribute_code"] for a in api.get(f"{meta}/customer/form/adminhtml_customer").json()]
    assert {"firstname", "gender", "group_id", "website_id"} <= set(codes)
    assert "password_hash" not in codes


def test_get_customer_form_attributes_metadata_unknown_form(api, meta):
    response = api.get(f"{meta}/customer/form/nowhere")
    assert response.status_code == 404
    assert response.json() == {
        "message": "No such entity with %fieldName = %fieldValue",
        "parameters": {"fieldName": "formCode", "fieldValue": "nowhere"},
    }


def test_get_address_attribute_metadata_street(api, meta):
    body = api.get(f"{meta}/customerAddress/attribute/street").json()
    assert (body["frontend_input"], body["multiline_count"], body["required"]) == ("multiline", 2, True)


def test_get_address_attribute_metadata_country_options(api, meta):
    options = api.get(f"{meta}/customerAddress/attribute/country_id").json()["options"]
    assert options[0] == {"label": " ", "value": ""}
    assert {"label": "United States", "value": "US"} in options


def test_get_address_attribute_metadata_postcode_data_model(api, meta):
    body = api.get(f"{meta}/customerAddress/attribute/postcode").json()
    assert body["data_model"] == "Magento\\Customer\\Model\\Attribute\\Data\\Postcode"


def test_get_address_attributes_metadata(api, meta):
    codes = [a["attribute_code"] for a in api.get(f"{meta}/customerAddress").json()]
    assert codes[:2] == ["prefix", "firstname"]
    assert "vat_request_success" in codes


def test_get_address_custom_attributes_metadata(api, meta):
    assert api.get(f"{meta}/customerAddress/custom").json() == []


def test_get_address_form_attributes_metadata(api, meta):
    codes = [a["attribute_code"] for a in api.get(f"{meta}/customerAddress/form/customer_address_edit").json()]
    assert codes.index("country_id") < codes.index("region") < codes.index("city") < codes.index("postcode")
    assert "vat_is_valid" not in codes


def test_attribute_metadata_with_fields(api, meta):
    body = api.get(f"{meta}/customer/form/adminhtml_customer", params={"fields": "attribute_code,required"}).json()
    assert body[0] == {"required": False, "attribute_code": "created_at"}


def test_attribute_metadata_needs_the_customer_acl(client, meta):
    response = client.get(f"{meta}/customer")
    assert response.status_code == 401
    assert response.json()["parameters"] == {"resources": "Magento_Customer::customer"}
