"""Every error of the issue's points 5 and 6: exact status and exact body."""

from __future__ import annotations

import pytest

from .conftest import TENANT, get_token, john

REQUIRED = '"%fieldName" is required. Enter and try again.'
NOT_SUPPORTED = '"%fieldName" is not supported. Correct the field name and try again.'
NO_ROUTE = {"message": "Request does not match any route."}
DUPLICATE = {"message": "A customer with the same email address already exists in an associated website."}
CLASSES = (
    "Minimum of different classes of characters in password is %1. "
    "Classes of characters: Lower Case, Upper Case, Digits, Special Characters."
)


def unauthorized(resource: str) -> dict:
    return {"message": "The consumer isn't authorized to access %resources.", "parameters": {"resources": resource}}


def post_customer(api, base, customer, **extra):
    return api.post(f"{base}/customers", json={"customer": customer, **extra})


def assert_error(response, status: int, body: dict) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == body


# --- point 5: validation ----------------------------------------------------------------------------------


def test_create_customer_missing_customer_key(api, base):
    assert_error(
        api.post(f"{base}/customers", json={"password": "x"}),
        400,
        {"message": REQUIRED, "parameters": {"fieldName": "customer"}},
    )


def test_create_customer_empty_body(api, base):
    response = api.post(f"{base}/customers", content=b"", headers={"Content-Type": "application/json"})
    assert_error(response, 400, {"message": REQUIRED, "parameters": {"fieldName": "customer"}})


def test_create_customer_unknown_key(api, base):
    response = post_customer(api, base, john(foo_bar=1))
    assert_error(response, 400, {"message": NOT_SUPPORTED, "parameters": {"fieldName": "FooBar"}})


def test_create_customer_several_unknown_keys(api, base):
    response = post_customer(api, base, john(foo=1, bar_baz=2))
    assert_error(
        response,
        400,
        {
            "message": "One or more input exceptions have occurred.",
            "errors": [
                {"message": NOT_SUPPORTED, "parameters": {"fieldName": "Foo"}},
                {"message": NOT_SUPPORTED, "parameters": {"fieldName": "BarBaz"}},
            ],
        },
    )


def test_create_customer_camel_case_keys_reach_the_setters(api, base):
    customer = {"email": "camel@example.com", "firstName": "Ann", "lastName": "Lee", "websiteId": 1, "storeId": 1}
    response = post_customer(api, base, customer)
    assert response.status_code == 200
    assert (response.json()["firstname"], response.json()["lastname"]) == ("Ann", "Lee")


def test_create_customer_absent_email(api, base):
    customer = john()
    del customer["email"]
    assert_error(
        post_customer(api, base, customer),
        400,
        {"message": "The email address is required to create a customer account."},
    )


def test_create_customer_empty_email(api, base):
    assert_error(
        post_customer(api, base, john(email="")),
        400,
        {"message": "The customer email is missing. Enter and try again."},
    )


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "john@@example.com", "john doe@example.com"])
def test_create_customer_bad_email(api, base, email):
    assert_error(post_customer(api, base, john(email=email)), 400, {"message": '"Email" is not a valid email address.'})


def test_create_customer_empty_firstname(api, base):
    assert_error(post_customer(api, base, john(firstname="")), 400, {"message": '"First Name" is a required value.'})


def test_create_customer_empty_lastname(api, base):
    assert_error(post_customer(api, base, john(lastname="")), 400, {"message": '"Last Name" is a required value.'})


def test_create_customer_both_names_empty(api, base):
    response = post_customer(api, base, john(firstname="", lastname=""))
    first, last = '"First Name" is a required value.', '"Last Name" is a required value.'
    assert_error(
        response,
        400,
        {
            "message": f"{first}\n{last}",
            "errors": [{"message": first, "parameters": []}, {"message": last, "parameters": []}],
        },
    )


@pytest.mark.parametrize("name", ["John<b>", "J0hn{", "x" * 256, "Jo;hn"])
def test_create_customer_invalid_firstname(api, base, name):
    assert_error(post_customer(api, base, john(firstname=name)), 400, {"message": "First Name is not valid!"})


def test_create_customer_invalid_lastname(api, base):
    assert_error(post_customer(api, base, john(lastname="Doe#")), 400, {"message": "Last Name is not valid!"})


@pytest.mark.parametrize("name", ["Zoë", "O'Brien", "Anne-Marie", "José María", "D\u2019Arcy", "Smith & Sons", "J.R."])
def test_create_customer_accepts_valid_names(create, name):
    assert create(firstname=name)["firstname"] == name


def test_create_customer_duplicate_email(api, base, create):
    create()
    assert_error(post_customer(api, base, john(email="JOHN.DOE@example.com"), password="TempPa55word!"), 400, DUPLICATE)


def test_update_customer_duplicate_email(api, base, create):
    create()
    other = create(email="jane@example.com")
    response = api.put(f"{base}/customers/{other['id']}", json={"customer": {"email": "john.doe@example.com"}})
    assert_error(response, 400, DUPLICATE)


def test_create_customer_password_too_short(api, base):
    response = post_customer(api, base, john(), password="Ab1!")
    message = "The password needs at least %1 characters. Create a new password and try again."
    assert_error(response, 400, {"message": message, "parameters": ["8"]})


def test_create_customer_password_too_long(api, base):
    response = post_customer(api, base, john(), password="Ab1!" * 65)
    assert_error(response, 400, {"message": "Please enter a password with at most %1 characters.", "parameters": [256]})


@pytest.mark.parametrize("password", ["alllowercase", "lowerUPPER", "12345678ab"])
def test_create_customer_password_too_few_classes(api, base, password):
    assert_error(post_customer(api, base, john(), password=password), 400, {"message": CLASSES, "parameters": ["3"]})


@pytest.mark.parametrize("password", [" TempPa55word!", "TempPa55word! "])
def test_create_customer_password_with_spaces(api, base, password):
    message = "The password can't begin or end with a space. Verify the password and try again."
    assert_error(post_customer(api, base, john(), password=password), 400, {"message": message})


def test_create_customer_password_equal_to_email(api, base):
    response = post_customer(api, base, john(email="Pa55@example.com"), password="Pa55@example.com")
    message = "The password can't be the same as the email address. Create a new password and try again."
    assert_error(response, 400, {"message": message})


@pytest.mark.parametrize("dob", ["yesterday", "1990-13-01", "1990-02-30", "90/01/01"])
def test_create_customer_bad_date_of_birth(api, base, dob):
    response = post_customer(api, base, john(dob=dob))
    assert_error(response, 400, {"message": '"Date of Birth" does not fit the entered date format.'})


def test_create_customer_unknown_group(api, base):
    response = post_customer(api, base, john(group_id=99))
    assert_error(response, 400, {"message": "The specified customer group id does not exist."})


def test_create_customer_store_not_in_website(api, base):
    response = post_customer(api, base, john(store_id=0, website_id=1))
    assert_error(response, 400, {"message": "The store view is not in the associated website."})


def test_create_customer_unknown_store(api, base):
    response = post_customer(api, base, john(store_id=42))
    message = "The store that was requested wasn't found. Verify the store and try again."
    assert_error(response, 404, {"message": message})


@pytest.mark.parametrize("method", ["get", "delete"])
def test_missing_customer(api, base, method):
    response = getattr(api, method)(f"{base}/customers/999")
    body = {
        "message": "No such entity with %fieldName = %fieldValue",
        "parameters": {"fieldName": "customerId", "fieldValue": 999},
    }
    assert_error(response, 404, body)


def test_update_missing_customer(api, base):
    response = api.put(f"{base}/customers/999", json={"customer": john()})
    body = {
        "message": "No such entity with %fieldName = %fieldValue",
        "parameters": {"fieldName": "customerId", "fieldValue": 999},
    }
    assert_error(response, 404, body)


@pytest.mark.parametrize("path", ["customers/abc", "customers/1.5", "customers/-1/confirm", "customers/addresses/x"])
def test_wrong_type_in_path(api, base, path):
    value = path.split("/")[-1] if not path.endswith("confirm") else "-1"
    body = {"message": f'The "{value}" value\'s type is invalid. The "int" type was expected. Verify and try again.'}
    assert_error(api.get(f"{base}/{path}"), 400, body)


@pytest.mark.parametrize(
    ("field", "value", "shown"), [("group_id", "x", "x"), ("store_id", [1], "Array"), ("website_id", True, "1")]
)
def test_wrong_type_in_body(api, base, field, value, shown):
    message = (
        f'Error occurred during "{field}" processing. '
        f'The "{shown}" value\'s type is invalid. The "int" type was expected. Verify and try again.'
    )
    assert_error(post_customer(api, base, john(**{field: value})), 400, {"message": message})


def test_wrong_type_string_field(api, base):
    message = (
        'Error occurred during "firstname" processing. '
        'The "Array" value\'s type is invalid. The "string" type was expected. Verify and try again.'
    )
    assert_error(post_customer(api, base, john(firstname={"a": 1})), 400, {"message": message})


def test_numeric_strings_are_converted_like_php(create):
    assert create(group_id="2", store_id="1")["group_id"] == 2


def test_malformed_json(api, base):
    response = api.post(f"{base}/customers", content=b'{"customer": ', headers={"Content-Type": "application/json"})
    assert_error(response, 400, {"message": "Decoding error."})


def test_deeply_nested_json_is_a_decoding_error_not_a_500(api, base):
    response = api.post(f"{base}/customers", content=b"[" * 100_000, headers={"Content-Type": "application/json"})
    assert_error(response, 400, {"message": "Decoding error."})


@pytest.mark.parametrize(
    "raw",
    [b'{"customer": {"email": "a@example.com", "firstname": "bad \\ud800", "lastname": "Doe"}}', b'{"\\udc00": 1}'],
)
def test_lone_surrogate_is_a_decoding_error(api, base, raw):
    response = api.post(f"{base}/customers", content=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 400, {"message": "Decoding error."})
    assert api.get(f"{base}/customers/search", params={"searchCriteria[pageSize]": 10}).json()["total_count"] == 0


def test_nesting_deeper_than_php_reads_is_a_decoding_error(api, base):
    raw = b'{"customer": ' + b"[" * 600 + b"]" * 600 + b"}"
    response = api.post(f"{base}/customers", content=raw, headers={"Content-Type": "application/json"})
    assert_error(response, 400, {"message": "Decoding error."})


@pytest.mark.parametrize(
    ("raw", "shown"),
    [(b"1e999", "INF"), (b"-1e999", "-INF"), (b'"1e999"', "1e999"), (b'"-2e19"', "-2e19")],
)
@pytest.mark.parametrize("field", ["website_id", "group_id", "store_id"])
def test_create_customer_int_field_past_php_int_is_type_invalid(api, base, field, raw, shown):
    customer = b'{"email": "big@example.com", "firstname": "Big", "lastname": "Number", "%s": %s}' % (
        field.encode(),
        raw,
    )
    response = api.post(
        f"{base}/customers", content=b'{"customer": ' + customer + b"}", headers={"Content-Type": "application/json"}
    )
    message = (
        f'Error occurred during "{field}" processing. The "{shown}" value\'s type is invalid. '
        'The "int" type was expected. Verify and try again.'
    )
    assert_error(response, 400, {"message": message})


def test_missing_content_type(api, base):
    response = api.post(f"{base}/customers", content=b'{"customer": {}}', headers={"Content-Type": ""})
    assert_error(response, 400, {"message": "Content-Type header is empty."})


def test_invalid_content_type(api, base):
    response = api.post(f"{base}/customers", content=b"{}", headers={"Content-Type": "application/json; boundary=x"})
    assert_error(response, 400, {"message": "Content-Type header is invalid."})


def test_non_utf8_charset(api, base):
    response = api.post(
        f"{base}/customers", content=b"{}", headers={"Content-Type": "application/json; charset=latin1"}
    )
    assert_error(response, 400, {"message": "UTF-8 is the only supported charset."})


def test_unsupported_media_type(api, base):
    response = api.post(f"{base}/customers", content=b"a=b", headers={"Content-Type": "text/plain"})
    assert_error(response, 400, {"message": "Server cannot understand Content-Type HTTP header media type text/plain"})


def test_json_with_utf8_charset_is_accepted(api, base):
    response = api.post(
        f"{base}/customers", content=b'{"customer": {}}', headers={"Content-Type": "application/json; charset=UTF-8"}
    )
    assert response.json()["message"] == "The email address is required to create a customer account."


def test_several_address_errors_are_aggregated(api, base):
    response = post_customer(api, base, john(addresses=[{"firstname": "J", "lastname": "D", "country_id": "US"}]))
    assert_error(
        response,
        400,
        {
            "message": "One or more input exceptions have occurred.",
            "errors": [
                {"message": REQUIRED, "parameters": {"fieldName": "street"}},
                {"message": REQUIRED, "parameters": {"fieldName": "city"}},
                {"message": REQUIRED, "parameters": {"fieldName": "telephone"}},
            ],
        },
    )


def test_search_page_size_above_maximum(api, base):
    response = api.get(f"{base}/customers/search", params={"searchCriteria[pageSize]": "301"})
    assert_error(response, 400, {"message": "Maximum SearchCriteria pageSize is %max", "parameters": {"max": 300}})


def test_search_without_criteria(api, base):
    assert_error(
        api.get(f"{base}/customers/search"), 400, {"message": REQUIRED, "parameters": {"fieldName": "searchCriteria"}}
    )


# --- point 6: URLs and authorization --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/{TENANT}/rest/V1/customers",
        f"/{TENANT}/rest/default/V1/customers",
        "/rest/V1/customers",
        f"/{TENANT}/default/V1/customers",
        f"/{TENANT}/all/V1/customers",
        f"/{TENANT}/V1/nothing",
        f"/{TENANT}/V1//customers",  # a trailing slash is trimmed (test_routes); an inner one is not
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_unknown_routes(api, path, method):
    assert_error(api.request(method, path, json={"customer": john()}), 404, NO_ROUTE)


@pytest.mark.parametrize("path", ["/nothing", "/"])
def test_paths_outside_every_mount(api, path):
    # Answered by the app's own fallback (app.py), not the Adobe renderer: same status and body.
    response = api.get(path)
    assert (response.status_code, response.json()) == (404, NO_ROUTE)


def test_body_too_large_streamed_without_content_length(api, base, app):
    limit = app.state.fake.config.max_body_bytes

    def chunks():
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    response = api.post(f"{base}/customers", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(response, 413, {"message": "The request is too large."})


def test_reserved_first_segment_is_not_a_tenant(api):
    assert_error(api.post("/rest/V1/customers", json={"customer": john()}), 404, NO_ROUTE)
    assert_error(api.get("/rest/V1/customers/1"), 404, NO_ROUTE)


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "customers/search"), ("PUT", "customers"), ("GET", "addresses/1")]
)
def test_unknown_method_for_a_path(api, base, method, path):
    assert_error(api.request(method, f"{base}/{path}"), 404, NO_ROUTE)


def test_head_is_not_a_magento_method(api, base):
    response = api.head(f"{base}/customers/1")
    assert (response.status_code, response.headers["content-type"]) == (400, "application/json; charset=utf-8")


def test_script_in_a_string_field(api, base):
    response = post_customer(api, base, john(middlename="<script>alert(1)</script>"))
    body = {"message": '"%field_name" does not contains valid value.', "parameters": {"field_name": "middlename"}}
    assert_error(response, 400, body)


def test_unsupported_http_method(api, base):
    assert_error(api.request("PATCH", f"{base}/customers/1"), 400, {"message": "Request method is invalid."})


@pytest.mark.parametrize(
    ("method", "path", "resource"),
    [
        ("GET", "customers/1", "Magento_Customer::customer"),
        ("POST", "customers", "Magento_Customer::manage"),
        ("PUT", "customers/1", "Magento_Customer::manage"),
        ("DELETE", "customers/1", "Magento_Customer::delete"),
        ("GET", "customers/search", "Magento_Customer::customer"),
        ("PUT", "customers/validate", "Magento_Customer::manage"),
        ("GET", "customers/addresses/1", "Magento_Customer::manage"),
        ("DELETE", "addresses/1", "Magento_Customer::manage"),
        ("GET", "customers/1/billingAddress", "Magento_Customer::manage"),
        ("GET", "customers/1/shippingAddress", "Magento_Customer::manage"),
        ("GET", "customers/1/permissions/readonly", "Magento_Customer::customer"),
        ("GET", "customers/1/confirm", "Magento_Customer::manage"),
    ],
)
def test_missing_token(client, base, method, path, resource):
    assert_error(client.request(method, f"{base}/{path}"), 401, unauthorized(resource))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer not-a-jwt", "Basic abc", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "token"],
)
def test_malformed_or_unknown_token(client, base, header):
    response = client.get(f"{base}/customers/1", headers={"Authorization": header})
    assert_error(response, 401, unauthorized("Magento_Customer::customer"))


def test_forged_token(client, base, token):
    import jwt

    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(claims, "a signing key that is not the fake's own", algorithm="HS256")
    response = client.get(f"{base}/customers/1", headers={"Authorization": f"Bearer {forged}"})
    assert_error(response, 401, unauthorized("Magento_Customer::customer"))


def test_expired_token(client, base, fake, token):
    fake.clock.advance(86400)
    response = client.get(f"{base}/customers/1", headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 401, unauthorized("Magento_Customer::customer"))


def test_token_just_before_expiry_still_works(client, base, fake, token):
    fake.clock.advance(86399)
    response = client.get(f"{base}/customers/1", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404


def test_token_without_commerce_accs_scope(client, base):
    token = get_token(
        client, client_id="storefake-no-accs-client", client_secret="storefake-no-accs-secret", scope="openid,AdobeID"
    )
    response = client.post(f"{base}/customers", json={"customer": john()}, headers={"Authorization": f"Bearer {token}"})
    assert_error(response, 403, unauthorized("Magento_Customer::manage"))


def test_authorization_is_checked_before_the_body(client, base):
    response = client.post(f"{base}/customers", content=b"{", headers={"Content-Type": "application/json"})
    assert_error(response, 401, unauthorized("Magento_Customer::manage"))


def test_body_too_large(api, base, app):
    limit = app.state.fake.config.max_body_bytes
    response = api.post(f"{base}/customers", content=b" " * (limit + 1), headers={"Content-Type": "application/json"})
    assert_error(response, 413, {"message": "The request is too large."})
