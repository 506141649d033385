"""/v3/hooks over HTTP: CRUD, per-client visibility, limits and exact error bodies."""

from __future__ import annotations

import httpx
import pytest

import storefake

TOKEN = {"X-Auth-Token": "storefake-bc-token"}  # client storefake-bc-client
OTHER = {"X-Auth-Token": "storefake-bc-readonly-token"}  # another client of the same store
HOOKS = "/stores/abc123/v3/hooks"
TYPE = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


def create(client, headers=TOKEN, **body):
    body = {"scope": "store/order/created", "destination": "https://example.com/hooks", **body}
    return client.post(HOOKS, headers=headers, json=body)


def test_create_hook_returns_data_and_empty_meta(client, fake):
    fake.clock.freeze(1561479335)
    response = create(client)
    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "id": 1,
            "client_id": "storefake-bc-client",
            "store_hash": "abc123",
            "scope": "store/order/created",
            "destination": "https://example.com/hooks",
            "headers": None,
            "is_active": True,
            "created_at": 1561479335,
            "updated_at": 1561479335,
        },
        "meta": {},
    }


def test_create_hook_keeps_custom_headers_and_is_active(client):
    response = create(client, is_active=False)
    assert response.json()["data"]["is_active"] is False
    response = client.post(
        HOOKS,
        headers=TOKEN,
        json={"scope": "store/product/*", "destination": "https://example.com/p", "headers": {"X-Key": "v"}},
    )
    assert response.json()["data"]["headers"] == {"X-Key": "v"}


def test_create_hook_missing_fields(client):
    response = client.post(HOOKS, headers=TOKEN, json={})
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "JSON data is missing or invalid",
        "type": TYPE,
        "errors": {"scope": "error.path.missing.", "destination": "error.path.missing."},
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"scope": 1, "destination": "https://example.com/"}, {"scope": "error.expected.jsstring"}),
        (
            {"scope": "store/order/*", "destination": "https://e.com/", "is_active": "yes"},
            {"is_active": "error.expected.jsboolean"},
        ),
        (
            {"scope": "store/order/*", "destination": "https://e.com/", "headers": []},
            {"headers": "error.expected.jsobject"},
        ),
        (
            {"scope": "store/order/*", "destination": "https://e.com/", "headers": {"a": 1}},
            {"headers.a": "error.expected.jsstring"},
        ),
        (
            {"scope": "store/order/*", "destination": "https://e.com/", "headers": {"a b": "x"}},
            {"headers.a b": "error.invalid"},
        ),
        (
            {"scope": "store/order/*", "destination": "https://e.com/", "headers": {"a": "x\r\ny"}},
            {"headers.a": "error.invalid"},
        ),
    ],
)
def test_create_hook_invalid_types(client, body, errors):
    response = client.post(HOOKS, headers=TOKEN, json=body)
    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert response.json()["title"] == "JSON data is missing or invalid"


@pytest.mark.parametrize("body", [b"", b"{", b"[1]", b'"x"'])
def test_create_hook_bad_json(client, body):
    response = client.post(HOOKS, headers=TOKEN, content=body)
    assert response.status_code == 422
    assert response.json()["title"] == "JSON data is missing or invalid"


@pytest.mark.parametrize(
    "destination",
    ["http://example.com/hooks", "https://example.com:8443/hooks", "ftp://example.com/", "not a url", "https://"],
)
def test_create_hook_refuses_insecure_destinations(client, destination):
    response = create(client, destination=destination)
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Destination must be a valid https URL on port 443",
        "type": TYPE,
        "errors": {"destination": "error.url"},
    }


@pytest.mark.parametrize(
    "destination", ["http://127.0.0.1:8123/h", "http://localhost:9/x", "https://example.com:443/h"]
)
def test_create_hook_accepts_loopback_http_for_tests(client, destination):
    assert create(client, destination=destination).status_code == 200


def test_create_hook_duplicate_scope_and_destination(client):
    create(client)
    response = create(client)
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "A webhook for the scope store/order/created and this destination already exists",
        "type": TYPE,
        "errors": {},
    }


def test_create_hook_at_most_ten_per_scope_and_client(client):
    for n in range(10):
        assert create(client, destination=f"https://example.com/{n}").status_code == 200
    response = create(client, destination="https://example.com/10")
    assert response.status_code == 422
    assert response.json()["title"] == "You can't create more than 10 webhooks for the scope store/order/created"
    # Another scope, or another client, still may.
    assert create(client, scope="store/order/updated", destination="https://example.com/10").status_code == 200
    assert create(client, headers=OTHER, destination="https://example.com/10").status_code == 200


def test_get_hook(client):
    hook = create(client).json()["data"]
    response = client.get(f"{HOOKS}/{hook['id']}", headers=TOKEN)
    assert response.status_code == 200
    assert response.json() == {"data": hook, "meta": {}}


@pytest.mark.parametrize("hook_id", ["999", "abc", "1", "\u00b9"])
def test_get_hook_not_found(client, hook_id):
    # "1" exists but belongs to another client: invisible.
    create(client, headers=OTHER)
    response = client.get(f"{HOOKS}/{hook_id}", headers=TOKEN)
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "title": f"Webhook with id [{hook_id}] not found",
        "type": TYPE,
        "errors": {},
    }


def test_list_hooks_shows_only_the_callers(client):
    create(client, destination="https://example.com/mine")
    create(client, headers=OTHER, destination="https://example.com/theirs")
    mine = client.get(HOOKS, headers=TOKEN).json()
    assert [h["destination"] for h in mine["data"]] == ["https://example.com/mine"]
    assert mine["meta"]["pagination"]["total"] == 1


def test_list_hooks_filters_and_pages(client):
    create(client, scope="store/order/created", destination="https://example.com/a")
    create(client, scope="store/order/*", destination="https://example.com/b", is_active=False)
    create(client, scope="store/product/*", destination="https://example.com/a")

    def ids(query):
        return [h["id"] for h in client.get(HOOKS + query, headers=TOKEN).json()["data"]]

    assert ids("?is_active=false") == [2]
    assert ids("?is_active=true") == [1, 3]
    assert ids("?scope=store/order/*") == [2]
    assert ids("?destination=https://example.com/a") == [1, 3]
    page = client.get(HOOKS + "?limit=2&page=2", headers=TOKEN).json()
    assert [h["id"] for h in page["data"]] == [3]
    assert page["meta"]["pagination"] == {
        "total": 3,
        "count": 1,
        "per_page": 2,
        "current_page": 2,
        "total_pages": 2,
        "links": {"previous": "?page=1&limit=2", "current": "?page=2&limit=2"},
    }


def test_list_hooks_bad_is_active(client):
    response = client.get(HOOKS + "?is_active=maybe", headers=TOKEN)
    assert response.status_code == 422
    assert response.json()["title"] == "The filter(s): is_active are not valid filter parameter(s)."


def test_update_hook(client, fake):
    hook = create(client).json()["data"]
    fake.clock.advance(5)
    response = client.put(f"{HOOKS}/{hook['id']}", headers=TOKEN, json={"is_active": False, "headers": {"A": "b"}})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["is_active"] is False
    assert data["headers"] == {"A": "b"}
    assert data["updated_at"] >= hook["updated_at"] + 5
    assert data["scope"] == hook["scope"]


def test_update_hook_validates(client):
    hook = create(client).json()["data"]
    response = client.put(f"{HOOKS}/{hook['id']}", headers=TOKEN, json={"destination": "http://example.com/"})
    assert response.status_code == 422
    response = client.put(f"{HOOKS}/{hook['id']}", headers=OTHER, json={"is_active": False})
    assert response.status_code == 404


def test_update_hook_into_a_duplicate(client):
    create(client, destination="https://example.com/a")
    other = create(client, destination="https://example.com/b").json()["data"]
    response = client.put(f"{HOOKS}/{other['id']}", headers=TOKEN, json={"destination": "https://example.com/a"})
    assert response.status_code == 422


def test_delete_hook_returns_the_deleted_hook(client):
    hook = create(client).json()["data"]
    response = client.delete(f"{HOOKS}/{hook['id']}", headers=TOKEN)
    assert response.status_code == 200
    assert response.json() == {"data": hook, "meta": {}}
    assert client.get(f"{HOOKS}/{hook['id']}", headers=TOKEN).status_code == 404


def test_delete_hook_of_another_client(client):
    hook = create(client).json()["data"]
    assert client.delete(f"{HOOKS}/{hook['id']}", headers=OTHER).status_code == 404
    assert client.get(f"{HOOKS}/{hook['id']}", headers=TOKEN).status_code == 200


def test_hooks_need_no_scope_but_a_valid_token(client):
    assert client.get(HOOKS, headers={"X-Auth-Token": "storefake-bc-noscope-token"}).status_code == 200
    response = client.get(HOOKS, headers={"X-Auth-Token": "nope"})
    assert response.status_code == 401
    assert client.get(HOOKS, headers={"X-Auth-Token": "storefake-bc2-token"}).status_code == 401


def test_seeded_hooks(fake, client):
    fake.seed(
        {
            "bigcommerce": {
                "stores": {
                    "abc123": {
                        "hooks": [
                            {
                                "client_id": "storefake-bc-client",
                                "scope": "store/cart/*",
                                "destination": "https://e.com/",
                            }
                        ]
                    }
                }
            }
        }
    )
    assert [h["scope"] for h in client.get(HOOKS, headers=TOKEN).json()["data"]] == ["store/cart/*"]


def test_unsupported_method_names_the_allowed_ones(client):
    response = client.patch(HOOKS, headers=TOKEN)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]  # Starlette names the first matching route's methods
    assert response.json()["title"] == "Method Not Allowed"


SELF_SPELLINGS = [
    "http://127.0.0.1:{port}/__storefake/reset",
    "http://localhost:{port}/__storefake/reset",
    "http://LOCALHOST:{port}/__storefake/reset",
    "https://127.0.0.1:{port}/__storefake/reset",
    "http://[::1]:{port}/__storefake/reset",
]


@pytest.fixture(scope="module")
def served():
    """The fake on a real socket (its own port is what a destination must not reach)."""
    with storefake.ThreadedServer() as server:
        yield server


@pytest.mark.parametrize("spelling", SELF_SPELLINGS)
def test_create_hook_refuses_the_fakes_own_address(served, spelling):
    destination = spelling.format(port=served.port)
    response = httpx.post(
        f"{served.url}{HOOKS}", headers=TOKEN, json={"scope": "store/order/*", "destination": destination}
    )
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "title": "Destination must be a valid https URL on port 443",
        "type": TYPE,
        "errors": {"destination": "error.url"},
    }
    assert served.fake.bigcommerce.stores.get("abc123").hooks.list_hooks("storefake-bc-client", {}) == []


def test_update_hook_refuses_the_fakes_own_address(served):
    served.fake.reset()
    with httpx.Client(base_url=served.url, headers=TOKEN) as client:
        created = client.post(HOOKS, json={"scope": "store/order/*", "destination": "http://127.0.0.1:9/hooks"})
        hook_id = created.json()["data"]["id"]
        response = client.put(f"{HOOKS}/{hook_id}", json={"destination": f"{served.url}/__storefake/reset"})
        assert response.status_code == 422
        assert response.json()["errors"] == {"destination": "error.url"}
        assert client.get(f"{HOOKS}/{hook_id}").json()["data"]["destination"] == "http://127.0.0.1:9/hooks"


def test_create_hook_to_another_loopback_port_is_accepted_on_a_socket(served):
    served.fake.reset()
    body = {"scope": "store/order/*", "destination": f"http://127.0.0.1:{served.port + 1}/hooks"}
    assert httpx.post(f"{served.url}{HOOKS}", headers=TOKEN, json=body).status_code == 200
