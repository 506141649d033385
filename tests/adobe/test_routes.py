"""The ACCS customer routes end to end, in-process: happy paths, merge semantics, addresses, seeding."""

from __future__ import annotations

import pytest

from .conftest import TENANT, john

ADDRESS = {
    "firstname": "John",
    "lastname": "Doe",
    "street": ["1 Main St", "Apt 2"],
    "city": "Austin",
    "postcode": "78701",
    "country_id": "US",
    "telephone": "5551234",
    "region": {"region_code": "TX", "region": "Texas", "region_id": 57},
}


def test_create_customer_returns_the_tutorial_shape(create):
    customer = create()
    assert list(customer) == [
        "id",
        "group_id",
        "created_at",
        "updated_at",
        "created_in",
        "email",
        "firstname",
        "lastname",
        "store_id",
        "website_id",
        "addresses",
        "disable_auto_group_change",
    ]
    assert customer["created_in"] == "Default Store View"


def test_create_customer_without_password(create):
    assert create(password=None)["email"] == "john.doe@example.com"


def test_create_customer_defaults_store_and_website(api, base):
    response = api.post(
        f"{base}/customers", json={"customer": {"email": "x@example.com", "firstname": "X", "lastname": "Y"}}
    )
    assert (response.json()["store_id"], response.json()["website_id"], response.json()["group_id"]) == (1, 1, 1)


def test_create_customer_ignores_created_in_from_the_client(create):
    assert create(created_in="Elsewhere")["created_in"] == "Default Store View"


def test_create_customer_keeps_optional_fields(create):
    customer = create(dob="1990-01-01", gender=1, middlename="Q", taxvat="123", prefix="Dr")
    assert (customer["dob"], customer["gender"], customer["middlename"]) == ("1990-01-01", 1, "Q")
    assert list(customer).index("dob") < list(customer).index("email") < list(customer).index("gender")


def test_create_customer_date_of_birth_is_stored_as_a_date(create):
    assert create(dob="1990-01-02T00:00:00Z")["dob"] == "1990-01-02"


def test_create_customer_empty_date_of_birth_is_no_date(create):
    assert "dob" not in create(dob="")


def test_address_default_flags_convert_like_php(create):
    customer = create(addresses=[{**ADDRESS, "default_billing": 1, "default_shipping": "0"}])
    assert customer["default_billing"] == str(customer["addresses"][0]["id"])
    assert "default_shipping" not in customer


def test_create_customer_unknown_top_level_keys_are_ignored(api, base):
    body = {"customer": {"email": "t@example.com", "firstname": "T", "lastname": "T"}, "whatever": 1}
    assert api.post(f"{base}/customers", json=body).status_code == 200


def test_get_customer(api, base, create):
    created = create()
    response = api.get(f"{base}/customers/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


def test_update_customer_merges(api, base, create, fake):
    created = create(dob="1990-01-01")
    fake.clock.advance(5)
    response = api.put(f"{base}/customers/{created['id']}", json={"customer": {"lastname": "Doe-Updated"}})
    assert response.status_code == 200
    updated = response.json()
    assert (updated["firstname"], updated["lastname"], updated["dob"]) == ("John", "Doe-Updated", "1990-01-01")
    assert updated["created_at"] == created["created_at"]
    assert updated["updated_at"] > created["updated_at"]
    assert "disable_auto_group_change" not in updated  # as in the tutorial's recorded answer
    assert api.get(f"{base}/customers/{created['id']}").json()["disable_auto_group_change"] == 0


def test_update_customer_created_at_cannot_be_changed(api, base, create):
    created = create()
    body = {"customer": {"created_at": "2000-01-01 00:00:00", "created_in": "x"}}
    updated = api.put(f"{base}/customers/{created['id']}", json=body).json()
    assert (updated["created_at"], updated["created_in"]) == (created["created_at"], "Default Store View")


def test_update_customer_url_id_wins_over_body_id(api, base, create):
    first = create()
    second = create(email="second@example.com")
    body = {"customer": {"id": first["id"], "lastname": "Changed"}}
    assert api.put(f"{base}/customers/{second['id']}", json=body).json()["id"] == second["id"]
    assert api.get(f"{base}/customers/{first['id']}").json()["lastname"] == "Doe"


def test_update_customer_same_email_is_not_a_duplicate(api, base, create):
    created = create()
    body = {"customer": {"email": "JOHN.doe@example.com"}}
    assert api.put(f"{base}/customers/{created['id']}", json=body).status_code == 200


def test_update_customer_email_frees_the_old_one(api, base, create):
    created = create()
    api.put(f"{base}/customers/{created['id']}", json={"customer": {"email": "new@example.com"}})
    assert create()["email"] == "john.doe@example.com"


def test_delete_customer(api, base, create):
    created = create()
    response = api.delete(f"{base}/customers/{created['id']}")
    assert (response.status_code, response.json(), response.text) == (200, True, "true")
    assert api.get(f"{base}/customers/{created['id']}").status_code == 404
    assert create()["id"] == created["id"] + 1  # ids are never reused


def test_addresses_get_ids_and_defaults(api, base, create):
    customer = create(
        addresses=[{**ADDRESS, "default_billing": True}, {**ADDRESS, "city": "Dallas", "default_shipping": True}]
    )
    first, second = customer["addresses"]
    assert (first["customer_id"], second["customer_id"]) == (customer["id"], customer["id"])
    assert second["id"] == first["id"] + 1
    assert (customer["default_billing"], customer["default_shipping"]) == (str(first["id"]), str(second["id"]))
    assert first["default_billing"] is True
    assert "default_shipping" not in first
    assert first["region"] == {"region_code": "TX", "region": "Texas", "region_id": 57}
    assert first["street"] == ["1 Main St", "Apt 2"]


def test_address_routes(api, base, create):
    customer = create(addresses=[{**ADDRESS, "default_billing": True, "default_shipping": True}])
    address = customer["addresses"][0]
    assert api.get(f"{base}/customers/addresses/{address['id']}").json() == address
    assert api.get(f"{base}/customers/{customer['id']}/billingAddress").json() == address
    assert api.get(f"{base}/customers/{customer['id']}/shippingAddress").json() == address
    assert api.delete(f"{base}/addresses/{address['id']}").json() is True
    after = api.get(f"{base}/customers/{customer['id']}").json()
    assert after["addresses"] == []
    assert "default_billing" not in after
    assert api.get(f"{base}/customers/{customer['id']}/billingAddress").json() is None
    missing = api.get(f"{base}/customers/addresses/{address['id']}")
    assert missing.status_code == 404
    assert missing.json()["parameters"] == {"fieldName": "addressId", "fieldValue": address["id"]}


def test_address_without_region(create):
    address = create(addresses=[{k: v for k, v in ADDRESS.items() if k != "region"}])["addresses"][0]
    assert address["region"] == {"region_code": None, "region": None, "region_id": 0}
    assert address["region_id"] == 0


def test_update_with_addresses_replaces_the_list(api, base, create):
    customer = create(addresses=[ADDRESS, {**ADDRESS, "city": "Dallas"}])
    keep = customer["addresses"][1]
    body = {"customer": {"addresses": [{**ADDRESS, "id": keep["id"], "city": "Houston"}, ADDRESS]}}
    updated = api.put(f"{base}/customers/{customer['id']}", json=body).json()
    assert [a["city"] for a in updated["addresses"]] == ["Houston", "Austin"]
    assert updated["addresses"][0]["id"] == keep["id"]
    gone = customer["addresses"][0]["id"]
    assert api.get(f"{base}/customers/addresses/{gone}").status_code == 404


def test_update_without_addresses_keeps_them(api, base, create):
    customer = create(addresses=[ADDRESS])
    updated = api.put(f"{base}/customers/{customer['id']}", json={"customer": {"firstname": "Jo"}}).json()
    assert updated["addresses"] == customer["addresses"]


def test_validate_customer(api, base):
    ok = api.put(
        f"{base}/customers/validate", json={"customer": {"email": "a@example.com", "firstname": "A", "lastname": "B"}}
    )
    assert ok.json() == {"valid": True, "messages": []}
    bad = api.put(f"{base}/customers/validate", json={"customer": {"email": "nope", "firstname": "", "lastname": "B"}})
    assert bad.json() == {
        "valid": False,
        "messages": ['"First Name" is a required value.', '"Email" is not a valid email address.'],
    }


def test_permissions_readonly_and_confirm(api, base, create):
    customer = create()
    assert api.get(f"{base}/customers/{customer['id']}/permissions/readonly").json() is False
    assert api.get(f"{base}/customers/{customer['id']}/confirm").json() == "account_confirmation_not_required"


def test_tenants_are_isolated(api, create):
    customer = create()
    assert api.get(f"/OtherTenant/V1/customers/{customer['id']}").status_code == 404
    assert (
        api.post(
            "/OtherTenant/V1/customers",
            json={"customer": {"email": "john.doe@example.com", "firstname": "J", "lastname": "D"}},
        ).status_code
        == 200
    )


def test_strict_mode_refuses_unknown_tenants():
    import httpx

    import storefake
    from storefake.transport import SyncASGITransport

    app = storefake.create_app(strict=True)
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://t") as client:
        from .conftest import get_token

        headers = {"Authorization": f"Bearer {get_token(client)}"}
        unknown = client.get("/Unknown/V1/customers/1", headers=headers)
        assert (unknown.status_code, unknown.json()) == (404, {"message": "Request does not match any route."})
        assert (
            client.get(f"/{TENANT}/V1/customers/1", headers=headers).json()["parameters"]["fieldName"] == "customerId"
        )


def test_seed_through_the_control_api_json(api, base):
    seed = {
        "adobe": {
            "tenants": {
                TENANT: {
                    "customers": [
                        {"email": "s@example.com", "firstname": "S", "lastname": "Eed", "password": "Seed-Pa55word"}
                    ]
                }
            }
        }
    }
    response = api.post("/__storefake/seed", json=seed)
    assert response.json() == {"seeded": {"adobe": {TENANT: 1}}}
    result = api.get(
        f"{base}/customers/search",
        params={
            "searchCriteria[filterGroups][0][filters][0][field]": "email",
            "searchCriteria[filterGroups][0][filters][0][value]": "s@example.com",
        },
    )
    assert result.json()["total_count"] == 1


def test_seed_through_the_control_api_yaml(api):
    seed = """
adobe:
  tenants:
    NewTenant:
      customers:
        - {email: y1@example.com, firstname: Y, lastname: One, group_id: 2}
        - {id: 40, email: y2@example.com, firstname: Y, lastname: Two, created_at: "2020-01-02 03:04:05"}
"""
    response = api.post("/__storefake/seed", content=seed, headers={"Content-Type": "application/yaml"})
    assert response.json() == {"seeded": {"adobe": {"NewTenant": 2}}}
    seeded = api.get("/NewTenant/V1/customers/40").json()
    assert (seeded["lastname"], seeded["created_at"]) == ("Two", "2020-01-02 03:04:05")
    assert api.get("/NewTenant/V1/customers/1").json()["group_id"] == 2
    assert (
        api.post(
            "/NewTenant/V1/customers", json={"customer": {"email": "y3@example.com", "firstname": "Y", "lastname": "T"}}
        ).json()["id"]
        == 41
    )


def test_seed_with_invalid_customer_is_a_control_error(api):
    seed = {"adobe": {"tenants": {"T2": {"customers": [{"email": "bad", "firstname": "A", "lastname": "B"}]}}}}
    response = api.post("/__storefake/seed", json=seed)
    assert response.status_code == 400
    assert response.json() == {"error": 'adobe.tenants.T2.customers[0]: "Email" is not a valid email address.'}


def test_seed_reserved_tenant_is_refused(api):
    response = api.post("/__storefake/seed", json={"adobe": {"tenants": {"rest": {"customers": []}}}})
    assert response.status_code == 400


def test_reset_forgets_customers(api, base, create):
    customer = create()
    api.post("/__storefake/reset")
    assert api.get(f"{base}/customers/{customer['id']}").status_code == 404


def test_responses_are_journaled_with_the_password_redacted(api, create, fake):
    create()
    entry = fake.journal.last
    assert "TempPa55word!" not in entry.body
    assert entry.status == 200


# --- Magento routing details: trailing slashes and partial responses ----------------------------------


def test_get_customer_with_a_trailing_slash(api, base, create):
    customer = create()
    response = api.get(f"{base}/customers/{customer['id']}/")
    assert response.status_code == 200
    assert response.json()["email"] == customer["email"]


def test_create_customer_with_a_trailing_slash(api, base):
    response = api.post(f"{base}/customers//", json={"customer": john()})
    assert response.status_code == 200
    assert response.json()["email"] == "john.doe@example.com"


def test_unknown_path_with_a_trailing_slash_is_still_no_route(api, base):
    response = api.get(f"{base}/nowhere/")
    assert response.status_code == 404
    assert response.json() == {"message": "Request does not match any route."}


def test_get_customer_fields(api, base, create):
    customer = create()
    response = api.get(f"{base}/customers/{customer['id']}", params={"fields": "id,email,addresses"})
    assert response.status_code == 200
    assert response.json() == {"id": customer["id"], "email": customer["email"], "addresses": []}


def test_create_customer_fields(api, base):
    response = api.post(f"{base}/customers?fields=id,firstname", json={"customer": john()})
    assert response.status_code == 200
    assert set(response.json()) == {"id", "firstname"}


def test_update_customer_fields(api, base, create):
    customer = create()
    response = api.put(f"{base}/customers/{customer['id']}?fields=lastname", json={"customer": john(lastname="Roe")})
    assert response.status_code == 200
    assert response.json() == {"lastname": "Roe"}


def test_delete_customer_fields_leave_a_boolean_alone(api, base, create):
    customer = create()
    response = api.delete(f"{base}/customers/{customer['id']}?fields=id")
    assert (response.status_code, response.json()) == (200, True)


def test_fields_do_not_trim_errors(api, base):
    response = api.get(f"{base}/customers/999999?fields=id")
    assert response.status_code == 404
    assert response.json()["message"] == "No such entity with %fieldName = %fieldValue"


def test_malformed_fields_answer_an_empty_list(api, base, create):
    customer = create()
    response = api.get(f"{base}/customers/{customer['id']}", params={"fields": "id;email"})
    assert (response.status_code, response.json()) == (200, [])


# --- confirmation, activation and customer tokens -------------------------------------------------------------


@pytest.fixture
def confirming(fake):
    fake.adobe.tenants.get(TENANT).configure({"customer/create_account/confirm": 1})


def test_create_customer_response_never_shows_the_confirmation_key(create, confirming, api, base):
    customer = create()
    assert "confirmation" not in customer
    stored = api.get(f"{base}/customers/{customer['id']}").json()
    assert len(stored["confirmation"]) == 32
    assert api.get(f"{base}/customers/{customer['id']}/confirm").json() == "account_confirmation_required"


def test_activate_customer(api, base, create, confirming):
    customer = create()
    key = api.get(f"{base}/customers/{customer['id']}").json()["confirmation"]
    response = api.put(f"{base}/customers/{customer['email']}/activate", json={"confirmationKey": key})
    assert response.status_code == 200
    assert response.json()["id"] == customer["id"]
    assert "confirmation" not in response.json()
    assert "confirmation" not in api.get(f"{base}/customers/{customer['id']}").json()
    assert api.get(f"{base}/customers/{customer['id']}/confirm").json() == "account_confirmed"


def test_activate_customer_wrong_key(api, base, create, confirming):
    customer = create()
    response = api.put(f"{base}/customers/{customer['email']}/activate", json={"confirmationKey": "nope"})
    assert response.status_code == 400
    assert response.json() == {"message": "The confirmation token is invalid. Verify the token and try again."}


def test_activate_customer_already_active(api, base, create):
    customer = create()
    response = api.put(f"{base}/customers/{customer['email']}/activate", json={"confirmationKey": "any"})
    assert response.status_code == 400
    assert response.json() == {"message": "The account is already active."}


def test_activate_customer_without_a_key(api, base, create):
    response = api.put(f"{base}/customers/{create()['email']}/activate", json={})
    assert response.status_code == 400
    assert response.json() == {
        "message": '"%fieldName" is required. Enter and try again.',
        "parameters": {"fieldName": "confirmationKey"},
    }


def test_activate_customer_unknown_email(api, base):
    response = api.put(f"{base}/customers/nobody@example.com/activate", json={"confirmationKey": "k"})
    assert response.status_code == 404
    assert response.json() == {
        "message": "No such entity with %fieldName = %fieldValue, %field2Name = %field2Value",
        "parameters": {
            "fieldName": "email",
            "fieldValue": "nobody@example.com",
            "field2Name": "websiteId",
            "field2Value": "1",
        },
    }


def test_resend_confirmation(api, base, create, confirming):
    customer = create()
    response = api.post(
        f"{base}/customers/confirm", json={"email": customer["email"], "websiteId": 1, "redirectUrl": "https://x"}
    )
    assert (response.status_code, response.json()) == (200, True)


def test_resend_confirmation_not_needed(api, base, create):
    customer = create()
    response = api.post(f"{base}/customers/confirm", json={"email": customer["email"], "websiteId": 1})
    assert response.status_code == 400
    assert response.json() == {"message": "Confirmation isn't needed."}


def test_resend_confirmation_missing_fields(api, base):
    response = api.post(f"{base}/customers/confirm", json={"websiteId": 1})
    assert response.status_code == 400
    assert response.json() == {
        "message": '"%fieldName" is required. Enter and try again.',
        "parameters": {"fieldName": "email"},
    }


def test_resend_confirmation_unknown_customer(api, base):
    response = api.post(f"{base}/customers/confirm", json={"email": "nobody@example.com", "websiteId": 1})
    assert response.status_code == 404
    assert response.json()["parameters"] == {
        "fieldName": "email",
        "fieldValue": "nobody@example.com",
        "field2Name": "websiteId",
        "field2Value": 1,
    }


def test_create_customer_token(api, base, create):
    customer = create()
    response = api.post(f"{base}/customers/{customer['id']}/token")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json().count(".") == 2


def test_create_customer_token_missing_customer(api, base):
    response = api.post(f"{base}/customers/987654/token")
    assert response.status_code == 404
    assert response.json() == {
        "message": "No such entity with %fieldName = %fieldValue",
        "parameters": {"fieldName": "customerId", "fieldValue": 987654},
    }


def test_create_customer_token_needs_a_bearer_token(client, base):
    response = client.post(f"{base}/customers/1/token")
    assert response.status_code == 401
    assert response.json()["parameters"] == {"resources": "Magento_Customer::manage"}
