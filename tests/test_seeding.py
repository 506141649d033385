"""Seed data through the control API and fixtures files: checked against one schema, written all or nothing."""

from __future__ import annotations

import httpx
import pytest

import storefake
from storefake.seeding import SeedError
from storefake.transport import SyncASGITransport

BC = {"X-Auth-Token": "storefake-bc-token"}
PRODUCTS = "/stores/abc123/v3/catalog/products"


def product(name: str, **extra):
    return {"name": name, "type": "physical", "weight": 1, "price": 10, **extra}


def seed_error(client: httpx.Client, body) -> str:
    response = client.post("/__storefake/seed", json=body)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error"}
    return response.json()["error"]


def product_names(client: httpx.Client, store: str = "abc123") -> list[str]:
    token = BC if store == "abc123" else {"X-Auth-Token": "storefake-bc2-token"}
    return [p["name"] for p in client.get(f"/stores/{store}/v3/catalog/products", headers=token).json()["data"]]


def bc_seed(**section):
    return {"bigcommerce": {"stores": {"abc123": section}}}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (1.5, "expected a whole number, got 1.5"),
        (-4, "must be at least 1, got -4"),
        ("x", "expected a whole number, got the string 'x'"),
        (True, "expected a whole number, got true"),
        (2**40, "must be at most 2147483647, got 1099511627776"),
    ],
)
def test_seed_bad_product_id_is_400_naming_the_path(client, value, problem):
    body = bc_seed(products=[product("a"), product("b"), product("c"), product("d", id=value)])
    assert seed_error(client, body) == f"bigcommerce.stores.abc123.products[3].id: {problem}"
    assert product_names(client) == []


@pytest.mark.parametrize("key", ["prodcuts", "customer"])
def test_seed_misspelled_store_key_is_400(client, key):
    expected = (
        "brands, categories, channels, customer_attributes, customer_groups, customers, hooks, information, "
        "locations, metafields, orders, products"
    )
    assert seed_error(client, bc_seed(**{key: [{}]})) == (
        f"bigcommerce.stores.abc123.{key}: unknown key; expected one of: {expected}"
    )


def test_seed_accounts_are_refused_not_ignored(client):
    body = bc_seed(accounts=[{"access_token": "sneaky"}], products=[product("a")])
    assert seed_error(client, body) == (
        "bigcommerce.stores.abc123.accounts: API accounts are read from the fixtures file at start, not seeded"
    )
    assert client.get(PRODUCTS, headers={"X-Auth-Token": "sneaky"}).status_code == 401
    assert product_names(client) == []


def test_seed_rate_limit_is_refused_not_ignored(client):
    assert seed_error(client, bc_seed(rate_limit={"quota": 1})) == (
        "bigcommerce.stores.abc123.rate_limit: set a store's rate limit with "
        "PUT /__storefake/bigcommerce/stores/{hash}/rate_limit"
    )


def test_seed_list_form_names_the_entry_index(client):
    body = {"bigcommerce": {"stores": [{"store_hash": "abc123", "products": [{"id": 0}]}]}}
    assert seed_error(client, body) == "bigcommerce.stores[0].products[0].id: must be at least 1, got 0"


def test_seed_list_form_refuses_a_store_given_twice(client):
    body = {"bigcommerce": {"stores": [{"store_hash": "abc123"}, {"store_hash": "abc123"}]}}
    assert seed_error(client, body) == "bigcommerce.stores[1].store_hash: abc123 appears twice; give each store once"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            {"bigcommerce": {"stores": "abc123"}},
            "bigcommerce.stores: expected a mapping or a list, got the string 'abc",
        ),
        (bc_seed(products={"name": "x"}), "bigcommerce.stores.abc123.products: expected a list, got a mapping"),
        (bc_seed(products=["x"]), "bigcommerce.stores.abc123.products[0]: expected a mapping, got the string 'x'"),
        ({"adobe": {"tenants": {"t1": {"customer": []}}}}, "adobe.tenants.t1.customer: unknown key; expected one of: "),
        ({"adobe": {"tenants": {"ims": {}}}}, "adobe.tenants.ims: a reserved path segment, not a tenant id"),
        ({"adobe": [1]}, "adobe: expected a mapping, got a list"),
    ],
)
def test_seed_wrong_shape_is_400(client, body, error):
    assert seed_error(client, body).startswith(error)


def test_seed_bad_adobe_created_at_is_400_and_nothing_stored(client, fake):
    customer = {"email": "a@example.com", "firstname": "A", "lastname": "B", "created_at": "yesterday"}
    body = {"adobe": {"tenants": {"t1": {"customers": [customer]}}}}
    assert seed_error(client, body) == (
        "adobe.tenants.t1.customers[0].created_at: 'yesterday' is not a valid date and time (YYYY-MM-DD HH:MM:SS)"
    )
    assert "t1" not in fake.adobe.tenants


def test_seed_bad_order_date_is_400(client):
    order = {"date_created": "the day before", "billing_address": {}, "products": []}
    assert seed_error(client, bc_seed(orders=[order])) == (
        "bigcommerce.stores.abc123.orders[0].date_created: 'the day before' is not a valid RFC 2822 or ISO 8601 date"
    )


def test_seed_a_record_the_vendor_refuses_stores_nothing_before_it(client):
    body = bc_seed(brands=[{"name": "Acme"}], products=[product("ok"), {"name": "no price"}])
    assert seed_error(client, body) == (
        "bigcommerce.stores.abc123.products[1]: Missing Required Fields "
        "(type: Please provide a type.; weight: Please provide a weight.; price: Please provide a price.)"
    )
    assert product_names(client) == []
    assert client.get("/stores/abc123/v3/catalog/brands", headers=BC).json()["data"] == []


def test_seed_conflicting_with_stored_data_stores_nothing(client):
    assert client.post("/__storefake/seed", json=bc_seed(products=[product("taken")])).status_code == 200
    body = bc_seed(products=[product("new one"), product("taken")])
    assert seed_error(client, body).startswith("bigcommerce.stores.abc123.products[1]: ")
    assert product_names(client) == ["taken"]


def test_seed_is_atomic_across_vendors_and_stores(client, fake):
    customer = {"email": "a@example.com", "firstname": "A", "lastname": "B"}
    body = {
        "adobe": {"tenants": {"t1": {"customers": [customer]}}},
        "bigcommerce": {"stores": {"def456": {"products": [product("fine")]}, "abc123": {"products": [{}]}}},
    }
    assert seed_error(client, body).startswith("bigcommerce.stores.abc123.products[0]: Missing Required Fields")
    assert "t1" not in fake.adobe.tenants
    assert product_names(client, "def456") == []


def test_seed_to_a_new_store_that_fails_creates_no_store(client, fake):
    assert seed_error(client, {"bigcommerce": {"stores": {"brandnew": {"products": [{}]}}}})
    assert fake.bigcommerce.stores.find("brandnew") is None


def test_seed_that_passes_writes_everything_once(client):
    body = bc_seed(products=[product("one", id=7), product("two")])
    response = client.post("/__storefake/seed", json=body)
    assert response.json() == {"seeded": {"bigcommerce": {"abc123": {"products": 2}}}}
    ids = [p["id"] for p in client.get(PRODUCTS, headers=BC).json()["data"]]
    assert ids == [7, 8]


def test_seed_announces_events_once_not_for_the_trial(client, fake):
    hook = {"client_id": "storefake-bc-client", "scope": "store/order/*", "destination": "https://hooks.example.com/"}
    order = {
        "billing_address": {"first_name": "A", "last_name": "B", "street_1": "1 Main", "city": "Austin",
                            "state": "Texas", "zip": "78751", "country": "United States", "email": "a@example.com"},
        "products": [{"name": "Thing", "quantity": 1, "price_inc_tax": 5, "price_ex_tax": 5}],
    }  # fmt: skip
    assert client.post("/__storefake/seed", json=bc_seed(hooks=[hook])).status_code == 200
    assert client.post("/__storefake/seed", json=bc_seed(orders=[order])).status_code == 200
    scopes = [d.meta["scope"] for d in fake.bigcommerce.deliveries.deliveries()]
    assert scopes == ["store/order/created"]


def test_seed_malformed_yaml_is_one_line_naming_the_place(client):
    response = client.post("/__storefake/seed", content=b"a: b: c", headers={"content-type": "application/yaml"})
    assert (response.status_code, response.json()) == (
        400,
        {"error": "body is not valid JSON or YAML: mapping values are not allowed in this context (line 1, column 5)"},
    )


def test_seed_yaml_keeps_unquoted_dates_as_written(client, fake):
    yaml_body = (
        "adobe:\n  tenants:\n    t9:\n      customers:\n"
        "        - {email: d@example.com, firstname: D, lastname: E, created_at: 2024-05-01 10:20:30}\n"
    )
    response = client.post("/__storefake/seed", content=yaml_body, headers={"content-type": "application/yaml"})
    assert response.status_code == 200, response.text
    (customer,) = fake.adobe.tenants.find("t9").customers
    assert customer.created_at == "2024-05-01 10:20:30"


# the families seeds carry besides records: groups, attributes, configuration, store information -------
TENANT = "AbCYab34cdEfGHiJ27123"  # the bundled fixtures' tenant
ADOBE_CUSTOMER = {"email": "g@example.com", "firstname": "G", "lastname": "H"}
DEFAULT_GROUP = "customer/create_account/default_group"


def adobe_seed(tenant: str = TENANT, **section):
    return {"adobe": {"tenants": {tenant: section}}}


def test_seed_adobe_groups_then_config_then_customers(client, fake):
    body = adobe_seed(customer_groups=[{"code": "VIP"}], config={DEFAULT_GROUP: 4}, customers=[ADOBE_CUSTOMER])
    response = client.post("/__storefake/seed", json=body)
    assert response.json() == {"seeded": {"adobe": {TENANT: 1}}}
    store = fake.adobe.tenants.find(TENANT)
    assert store.groups.get(4).code == "VIP"
    assert [c.group_id for c in store.customers] == [4]


def test_seed_adobe_group_without_code_is_400(client, fake):
    body = adobe_seed("t1", customer_groups=[{"tax_class_id": 3}])
    assert seed_error(client, body) == "adobe.tenants.t1.customer_groups[0].code: required"
    assert "t1" not in fake.adobe.tenants


def test_seed_adobe_group_code_taken_stores_nothing(client, fake):
    body = adobe_seed(customer_groups=[{"code": "VIP"}, {"code": "vip"}])
    assert seed_error(client, body) == f"adobe.tenants.{TENANT}.customer_groups[1]: Customer Group already exists."
    assert [g.code for g in fake.adobe.tenants.find(TENANT).groups.all()] == [
        "NOT LOGGED IN", "General", "Wholesale", "Retailer"
    ]  # fmt: skip


def test_seed_adobe_unknown_config_path_is_400(client):
    body = adobe_seed(config={"customer/account_share/scope": 1})
    assert seed_error(client, body) == (
        f"adobe.tenants.{TENANT}.config.customer/account_share/scope: unknown key; "
        "expected one of: customer/create_account/confirm, customer/create_account/default_group"
    )


@pytest.mark.parametrize("value", ["yes", 1.5, True, None])
def test_seed_adobe_config_value_not_a_whole_number_is_400(client, value):
    body = adobe_seed(config={"customer/create_account/confirm": value})
    assert seed_error(client, body) == (
        f"adobe.tenants.{TENANT}.config.customer/create_account/confirm: "
        "expected a whole number (or its digits as text)"
    )


def test_seed_adobe_default_group_that_does_not_exist_stores_nothing(client, fake):
    body = adobe_seed(customer_groups=[{"code": "VIP"}], config={DEFAULT_GROUP: 99}, customers=[ADOBE_CUSTOMER])
    assert seed_error(client, body) == (f"adobe.tenants.{TENANT}.config.{DEFAULT_GROUP}: No such entity with id = 99")
    store = fake.adobe.tenants.find(TENANT)
    assert 4 not in store.groups
    assert store.groups.default_group_id == 1
    assert len(store.customers) == 0


def test_seed_bigcommerce_groups_and_attributes_before_the_customers_naming_them(client):
    customer = {"email": "v@example.com", "first_name": "V", "last_name": "W", "customer_group_id": 5,
                "attributes": [{"attribute_id": 3, "attribute_value": "9"}]}  # fmt: skip
    body = bc_seed(
        customers=[customer],
        customer_groups=[{"id": 5, "name": "VIP"}],
        customer_attributes=[{"id": 3, "name": "Shoe size", "type": "number"}],
    )
    response = client.post("/__storefake/seed", json=body)
    assert response.json() == {
        "seeded": {"bigcommerce": {"abc123": {"customer_groups": 1, "customer_attributes": 1, "customers": 1}}}
    }
    (stored,) = client.get("/stores/abc123/v3/customers?include=attributes", headers=BC).json()["data"]
    assert stored["customer_group_id"] == 5
    assert [(a["attribute_id"], a["attribute_value"]) for a in stored["attributes"]] == [(3, "9")]


def test_seed_bigcommerce_customer_group_id_given_twice_is_400(client):
    body = bc_seed(customer_groups=[{"id": 5, "name": "A"}, {"id": 5, "name": "B"}])
    assert seed_error(client, body) == "bigcommerce.stores.abc123.customer_groups[1].id: 5 is already taken"


def test_seed_bigcommerce_customer_attribute_id_must_be_whole(client):
    body = bc_seed(customer_attributes=[{"id": "3", "name": "Size", "type": "number"}])
    assert seed_error(client, body) == (
        "bigcommerce.stores.abc123.customer_attributes[0].id: expected a whole number, got the string '3'"
    )


def test_seed_bigcommerce_customer_of_a_missing_group_stores_no_group(client):
    customer = {"email": "v@example.com", "first_name": "V", "last_name": "W", "customer_group_id": 999}
    body = bc_seed(customer_groups=[{"name": "VIP"}], customers=[customer])
    assert seed_error(client, body) == (
        "bigcommerce.stores.abc123.customers[0]: Create customers failed. "
        "(.customer_create: Error creating customers: customer group id(s) [999] not found)"
    )
    assert client.get("/stores/abc123/v2/customer_groups", headers=BC).status_code == 204  # none stored


def test_seed_store_information_is_what_v2_store_answers(client):
    body = bc_seed(information={"first_name": "Ann", "timezone": {"name": "Europe/Paris"}})
    assert client.post("/__storefake/seed", json=body).status_code == 200
    store = client.get("/stores/abc123/v2/store", headers=BC).json()
    assert (store["first_name"], store["timezone"]["name"], store["timezone"]["raw_offset"]) == (
        "Ann", "Europe/Paris", 3600
    )  # fmt: skip


@pytest.mark.parametrize(
    ("information", "error"),
    [
        ({"frist_name": "Ann"}, "information.frist_name: unknown key; expected one of: "),
        ({"decimal_places": "2"}, "information.decimal_places: expected a whole number, got the string '2'"),
        ({"timezone": {"name": 5}}, "information.timezone.name: expected a string, got 5"),
        ({"logo": "x.png"}, "information.logo: expected {url: ...} or []"),
        (
            {"first_name": "Ann", "timezone": {"name": "Mars/Olympus"}},
            "information: unknown time zone 'Mars/Olympus' (give raw_offset and dst_offset with it)",
        ),
    ],
)
def test_seed_bad_store_information_is_400_and_nothing_stored(client, information, error):
    body = bc_seed(information=information, products=[product("a")])
    assert seed_error(client, body).startswith(f"bigcommerce.stores.abc123.{error}")
    assert client.get("/stores/abc123/v2/store", headers=BC).json()["first_name"] == "Jane"
    assert product_names(client) == []


@pytest.mark.parametrize(
    "body",
    [
        bc_seed(customers=[{"email": "p@example.com", "first_name": "P", "last_name": "Q",
                            "authentication": {"new_password": "Secret123!"}}, {}]),
        adobe_seed("t1", config={"customer/create_account/confirm": 1},
                   customers=[{**ADOBE_CUSTOMER, "password": "Secret123!"}, {}]),
        adobe_seed(config={"customer/create_account/confirm": 1},
                   customers=[{**ADOBE_CUSTOMER, "password": "Secret123!"}, {}]),
    ],
)  # fmt: skip
def test_seed_refused_leaves_the_random_sequence_as_it_was(body):
    tried, untouched = storefake.Fake(storefake.Config(seed=7)), storefake.Fake(storefake.Config(seed=7))
    with pytest.raises(SeedError):
        tried.seed(body)
    assert tried.random.token() == untouched.random.token()


def test_seed_to_a_tenant_holding_deeply_nested_data_is_400_and_keeps_it(client, fake):
    # JSON bodies stop at 512 levels; YAML (libyaml: 1,000) can store a value too deep to copy for a trial.
    deep = "[" * 700 + "x" + "]" * 700
    raw = (
        f"adobe: {{tenants: {{{TENANT}: {{customers: [{{email: g@example.com, firstname: G, lastname: H, "
        f"custom_attributes: [{{attribute_code: deep, value: {deep}}}]}}]}}}}}}"
    )
    response = client.post("/__storefake/seed", content=raw, headers={"content-type": "application/yaml"})
    assert response.status_code == 200, response.text
    assert seed_error(client, adobe_seed(customers=[{**ADOBE_CUSTOMER, "email": "later@example.com"}])) == (
        f"adobe.tenants.{TENANT}: holds data nested too deeply to try a seed on; reset it, or seed another"
    )
    assert [c.email for c in fake.adobe.tenants.find(TENANT).customers] == ["g@example.com"]


# fixtures files --------------------------------------------------------------------------------------
def write(tmp_path, text: str):
    path = tmp_path / "fixtures.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path) -> str:
    with pytest.raises(SeedError) as info:
        storefake.create_app(fixtures=path)
    return str(info.value)


def test_fixtures_misspelled_top_level_key(tmp_path):
    path = write(tmp_path, "bigcomerce:\n  stores: []\n")
    assert load_error(path) == f"fixtures file {path}: bigcomerce: unknown key; expected one of: adobe, bigcommerce"


def test_fixtures_scopes_written_as_a_string(tmp_path):
    path = write(tmp_path, "bigcommerce:\n  stores:\n    - store_hash: s1\n      accounts:\n"
                           "        - {access_token: t1, scopes: store_v2_products}\n")  # fmt: skip
    assert load_error(path) == (
        f"fixtures file {path}: bigcommerce.stores[0].accounts[0].scopes: "
        "expected a list, got the string 'store_v2_products'"
    )


def test_fixtures_ims_client_scopes_written_as_a_string(tmp_path):
    path = write(tmp_path, "adobe:\n  ims_clients:\n    - {client_id: c, client_secret: s, scopes: openid}\n")
    assert load_error(path).endswith("adobe.ims_clients[0].scopes: expected a list, got the string 'openid'")


def test_fixtures_bad_product_id(tmp_path):
    path = write(tmp_path, "bigcommerce:\n  stores:\n    - store_hash: s1\n      products: [{name: a, id: -4}]\n")
    assert load_error(path).endswith("bigcommerce.stores[0].products[0].id: must be at least 1, got -4")


def test_fixtures_record_the_vendor_refuses_names_its_place(tmp_path):
    path = write(tmp_path, "bigcommerce:\n  stores:\n    - store_hash: s1\n      products: [{name: a}]\n")
    assert load_error(path) == (
        f"fixtures file {path}: bigcommerce.stores[0].products[0]: Missing Required Fields "
        "(type: Please provide a type.; weight: Please provide a weight.; price: Please provide a price.)"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", " is empty; it needs an `adobe` and/or a `bigcommerce` section"),
        ("- a\n- b\n", ": expected a mapping of vendor sections (adobe, bigcommerce), got a list"),
        ("adobe: [\n", ": not valid YAML: "),
    ],
)
def test_fixtures_empty_or_malformed_file(tmp_path, text, problem):
    path = write(tmp_path, text)
    error = load_error(path)
    assert error.startswith(f"fixtures file {path}{problem}")
    assert "\n" not in error


def test_fixtures_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    assert load_error(path) == f"fixtures file {path}: cannot be read: No such file or directory"


def test_fixtures_adobe_tax_class_of_unknown_type(tmp_path):
    path = write(tmp_path, "adobe:\n  tax_classes:\n    - {id: 4, name: Shipping, type: SHIPPING}\n")
    assert load_error(path).endswith("adobe.tax_classes[0].type: must be one of CUSTOMER, PRODUCT, got 'SHIPPING'")


def test_fixtures_adobe_config_unknown_path(tmp_path):
    path = write(tmp_path, "adobe:\n  config:\n    customer/create_account/confrim: 1\n")
    assert load_error(path).endswith(
        "adobe.config.customer/create_account/confrim: unknown key; "
        "expected one of: customer/create_account/confirm, customer/create_account/default_group"
    )


def test_fixtures_adobe_customer_group_without_code(tmp_path):
    path = write(tmp_path, "adobe:\n  customer_groups:\n    - {id: 5, tax_class_id: 3}\n")
    assert load_error(path).endswith("adobe.customer_groups[0].code: required")


def test_fixtures_store_information_unknown_time_zone(tmp_path):
    path = write(tmp_path, "bigcommerce:\n  stores:\n    - store_hash: s1\n"
                           "      information: {timezone: {name: Mars/Olympus}}\n")  # fmt: skip
    assert load_error(path) == (
        f"fixtures file {path}: bigcommerce.stores[0].information: unknown time zone 'Mars/Olympus' "
        "(give raw_offset and dst_offset with it)"
    )


def test_fixtures_store_information_wrong_type(tmp_path):
    path = write(tmp_path, "bigcommerce:\n  stores:\n    - store_hash: s1\n      information: {plan_is_trial: 1}\n")
    assert load_error(path).endswith("bigcommerce.stores[0].information.plan_is_trial: expected true or false, got 1")


def test_bundled_fixtures_pass_the_schema():
    app = storefake.create_app()
    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
        assert client.get(PRODUCTS, headers=BC).status_code == 200


# off the event loop ----------------------------------------------------------------------------------
def test_seed_runs_off_the_event_loop_so_other_clients_are_served():
    import threading
    import time

    with storefake.ThreadedServer() as server:
        store = server.fake.bigcommerce.stores.find("abc123")
        seeded: list[httpx.Response] = []
        with store.lock:  # the seed waits for the store; the server must go on serving meanwhile
            body = bc_seed(products=[product("late")])
            worker = threading.Thread(
                target=lambda: seeded.append(httpx.post(f"{server.url}/__storefake/seed", json=body))
            )
            worker.start()
            time.sleep(0.5)  # the seed request is in and waiting for the store
            health = httpx.get(f"{server.url}/__storefake/health", timeout=5)
            assert health.status_code == 200
            assert not seeded
        worker.join(10)
        assert seeded[0].json() == {"seeded": {"bigcommerce": {"abc123": {"products": 1}}}}


def test_yaml_is_read_with_libyaml_when_pyyaml_has_it():
    import yaml

    from storefake import resources

    assert resources.SafeLoader is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert issubclass(resources.DataLoader, resources.SafeLoader)


def test_seed_inventory_locations_are_seedable(client):
    address = {"address1": "5th Ave", "city": "New York", "state": "NY", "zip": "10021", "email": "wh@example.com",
               "geo_coordinates": {"latitude": 40.77, "longitude": -73.96}, "country_code": "US"}  # fmt: skip
    location = {"code": "WH-1", "label": "Warehouse", "managed_by_external_source": False, "type_id": "PHYSICAL",
                "time_zone": "America/New_York", "address": address}  # fmt: skip
    response = client.post("/__storefake/seed", json=bc_seed(locations=[location]))
    assert response.status_code == 200, response.text
    listed = client.get("/stores/abc123/v3/inventory/locations", headers=BC).json()["data"]
    assert [location["code"] for location in listed][-1] == "WH-1"
