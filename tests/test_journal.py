from __future__ import annotations

import asyncio
import json

import pytest

from storefake.journal import (
    MAX_BODY_CHARS,
    REDACTED,
    Journal,
    JournalEntry,
    JournalMiddleware,
    redact_body,
    redact_headers,
    redact_query,
)


def test_secret_headers_are_redacted():
    headers = redact_headers([(b"Authorization", b"Bearer abc"), (b"X-Auth-Token", b"t"), (b"Accept", b"*/*")])
    assert headers == {"authorization": REDACTED, "x-auth-token": REDACTED, "accept": "*/*"}


def test_secret_json_fields_are_redacted_at_any_depth():
    body = json.dumps({"customer": {"email": "a@b.c"}, "password": "Secret123!", "x": [{"client_secret": "s"}]})
    assert json.loads(redact_body(body.encode(), "application/json")) == {
        "customer": {"email": "a@b.c"},
        "password": REDACTED,
        "x": [{"client_secret": REDACTED}],
    }


def test_secret_form_fields_and_query_parameters_are_redacted():
    form = b"grant_type=client_credentials&client_id=c&client_secret=s"
    assert redact_body(form, "application/x-www-form-urlencoded") == (
        "grant_type=client_credentials&client_id=c&client_secret=%5Bredacted%5D"
    )
    assert "s3cret" not in redact_query("client_secret=s3cret&scope=a")


def test_secret_multipart_fields_are_redacted():
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="client_id"\r\n\r\nc\r\n'
        b'--XX\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\ns3cret\r\n--XX--\r\n'
    )
    redacted = redact_body(body, "multipart/form-data; boundary=XX")
    assert "s3cret" not in redacted
    assert 'name="client_secret"\r\n\r\n[redacted]\r\n--XX--' in redacted
    assert 'name="client_id"\r\n\r\nc\r\n' in redacted


def test_journal_is_list_like_with_respx_shortcuts():
    journal = Journal(limit=2)
    assert not journal.called
    for path in ("/a", "/b", "/c"):
        journal.record(JournalEntry(0, 0.0, "GET", path, "", {}, ""))
    assert journal.call_count == 2, "the oldest entry is dropped past the limit"
    assert journal.last.path == "/c"
    assert [e.path for e in journal] == ["/b", "/c"]
    assert journal[0].id == 2
    assert journal.filter(method="get", path="/c")[0].path == "/c"


def test_recorded_requests_never_show_secrets(client):
    client.post(
        "/ims/token/v3",
        data={"grant_type": "client_credentials", "client_id": "c", "client_secret": "s3cret-value"},
        headers={"Authorization": "Bearer tok3n-value"},
    )
    client.get("/stores/abc123/v3/catalog/products", headers={"X-Auth-Token": "storefake-bc-token"})
    dumped = json.dumps(client.get("/__storefake/journal").json()["entries"])
    assert "s3cret-value" not in dumped
    assert "tok3n-value" not in dumped
    assert "storefake-bc-token" not in dumped
    assert REDACTED in dumped


def test_the_journal_never_holds_a_secret_header_value(app, client):
    client.get("/stores/abc123/v3/catalog/products", headers={"X-Auth-Token": "storefake-bc-token"})
    client.get("/AbCYab34cdEfGHiJ27123/V1/customers/1", headers={"Authorization": "Bearer tok3n-value"})
    kept = list(app.state.fake.journal._entries)  # what the journal holds, before any read redacts it
    assert len(kept) == 2
    assert not any(b"storefake-bc-token" in item or b"tok3n-value" in item for item in kept)
    bigcommerce, adobe = app.state.fake.journal
    assert bigcommerce.headers["x-auth-token"] == adobe.headers["authorization"] == REDACTED


def test_a_large_request_body_leaves_the_response_recorded(client):
    big = "x" * (MAX_BODY_CHARS + 10)
    headers = {"X-Auth-Token": "storefake-bc-token", "Content-Type": "application/json"}
    client.post("/stores/abc123/v3/customers", content=big, headers=headers)
    entries = client.get("/__storefake/journal").json()["entries"]
    assert len(entries[-1]["body"]) == MAX_BODY_CHARS
    assert json.loads(entries[-1]["response_body"])["status"] == 422  # the vendor's answer, still kept


def test_bodies_sent_in_several_messages_are_kept_whole_up_to_the_cap():
    journal = Journal()
    chunks = [b'{"a": ', b"1}", b""]
    answer = [b"x" * (MAX_BODY_CHARS - 1), b"yz", b"more"]

    async def streaming_app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"text/plain")]})
        for index, part in enumerate(answer):
            await send({"type": "http.response.body", "body": part, "more_body": index < len(answer) - 1})

    async def receive():
        body = chunks.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(chunks)}

    async def send(message):
        pass

    scope = {"type": "http", "method": "POST", "path": "/x", "query_string": b"q=1", "headers": [(b"a", b"b")]}
    asyncio.run(JournalMiddleware(streaming_app, journal)(scope, receive, send))
    entry = journal.last
    assert (entry.method, entry.path, entry.query, entry.status) == ("POST", "/x", "q=1", 201)
    assert entry.headers == {"a": "b"}
    assert entry.body == '{"a": 1}'
    assert entry.response_headers == {"content-type": "text/plain"}
    assert entry.response_body == "x" * (MAX_BODY_CHARS - 1) + "y"
    assert entry.duration_ms >= 0


def test_an_exchange_marshal_cannot_write_is_kept_as_it_is():
    class Value:  # not bytes: what an in-process caller might put in a header
        def decode(self, encoding: str) -> str:
            return "odd"

    journal = Journal()
    journal.record_exchange((1.0, 0.002, "GET", "/x", None, b"", [(b"x-odd", Value())], b"", 200, [], b"{}"))
    entry = journal.last
    assert (entry.method, entry.path, entry.status, entry.duration_ms) == ("GET", "/x", 200, 2.0)
    assert entry.headers == {"x-odd": "odd"}
    assert entry.response_body == "{}"


def _journal_of(*paths: str) -> Journal:
    journal = Journal()
    for path in paths:
        journal.record_exchange((0.0, 0.0, "GET", path, None, b"", [], b"", 200, [], b""))
    return journal


def test_entries_after_an_id_newest_first_and_between_ids():
    journal = _journal_of("/a", "/b", "/c", "/d")
    assert [e.path for e in journal.entries(since=2)] == ["/c", "/d"]
    assert [e.path for e in journal.entries(since=1, before=4, newest_first=True)] == ["/c", "/b"]
    assert journal.entries(since=9).newest == 9
    assert journal.entries(before=3).newest == 2


def test_entries_are_read_lazily_from_a_snapshot():
    journal = _journal_of("/a", "/b")
    found = journal.entries()
    journal.record_exchange((0.0, 0.0, "GET", "/c", None, b"", [], b"", 200, [], b""))
    assert [e.path for e in found] == ["/a", "/b"]
    assert found.newest == 2


def test_remove_keeps_entries_that_do_not_match():
    journal = _journal_of("/a", "/b", "/ab")
    assert journal.remove(path="b") == 2
    assert [(e.id, e.path) for e in journal] == [(1, "/a")]
    assert journal.last_id == 3


# --- secrets, whatever their form (issue 11, item 3) ---------------------------------------------------------

IMS_FORM = (
    b"grant_type=client_credentials&client_id=storefake-accs-client&client_secret=s3cret-in-a-form&scope=commerce.accs"
)
TENANT = "AbCYab34cdEfGHiJ27123"


def _everything(client) -> str:
    return json.dumps(client.get("/__storefake/journal").json())


def _adobe(client) -> dict[str, str]:
    """Headers of an authorized Adobe JSON request (the body is read, so the journal has it)."""
    token = client.post("/ims/token/v3", content=IMS_FORM.replace(b"s3cret-in-a-form", b"storefake-accs-secret"))
    return {"Authorization": f"Bearer {token.json()['access_token']}", "Content-Type": "application/json"}


def _kept_body(client) -> str:
    return client.get("/__storefake/journal").json()["entries"][-1]["body"]


def test_ims_form_body_without_content_type_is_redacted(client):
    client.post("/ims/token/v3", content=IMS_FORM, headers={"Content-Type": ""})
    assert _kept_body(client) == IMS_FORM.decode().replace("s3cret-in-a-form", "%5Bredacted%5D")


def test_oauth_token_form_body_without_content_type_is_redacted(client):
    form = b"client_id=storefake-app-client&client_secret=app-s3cret-value&code=c&grant_type=authorization_code"
    client.post("/oauth2/token", content=form, headers={"Content-Type": ""})
    assert _kept_body(client) == form.decode().replace("app-s3cret-value", "%5Bredacted%5D")


def test_malformed_adobe_json_holding_a_password_is_redacted(client):
    raw = b'{"customer": {"email": "a@example.com"}, "password": "Malformed-Pa55", '
    assert client.post(f"/{TENANT}/V1/customers", content=raw, headers=_adobe(client)).status_code == 400
    assert _kept_body(client) == raw.decode().replace("Malformed-Pa55", REDACTED)


def test_body_cut_at_the_cap_inside_a_password_is_redacted(client):
    pad = "x" * (MAX_BODY_CHARS - 40)
    raw = f'{{"pad": "{pad}", "password": "Cut-Off-Pa55word-that-goes-on-and-on"}}'.encode()
    client.post(f"/{TENANT}/V1/customers", content=raw, headers=_adobe(client))
    kept = _kept_body(client)
    assert len(raw) > MAX_BODY_CHARS
    assert kept.endswith(f'"password": "{REDACTED}"')


def test_body_cut_at_the_cap_after_a_password_is_redacted(client):
    raw = b'{"password": "Before-The-Cut1", "pad": "' + b"x" * MAX_BODY_CHARS + b'"}'
    client.post(f"/{TENANT}/V1/customers", content=raw, headers=_adobe(client))
    assert _kept_body(client).startswith(f'{{"password": "{REDACTED}", "pad": "xxx')


@pytest.mark.parametrize("key", ["p\\u0061ssword", "Password", "PASSWORD", "new-Password", "Client_Secret"])
def test_secret_keys_in_any_spelling_are_redacted(client, key):
    raw = b'{"customer": {"email": "k@example.com"}, "%s": "Spelled-Pa55"}' % key.encode()
    client.post(f"/{TENANT}/V1/customers", content=raw, headers=_adobe(client))
    assert _kept_body(client) == raw.decode().replace("Spelled-Pa55", REDACTED)


def test_access_token_echoed_in_links_current_is_redacted(client):
    client.get(
        "/stores/abc123/v3/catalog/products",
        params={"access_token": "echoed-t0ken-value", "limit": 5},
        headers={"X-Auth-Token": "storefake-bc-token"},
    )
    entry = client.get("/__storefake/journal").json()["entries"][-1]
    assert "echoed-t0ken-value" not in json.dumps(entry)
    assert json.loads(entry["response_body"])["meta"]["pagination"]["links"]["current"].startswith(
        "?access_token=%5Bredacted%5D"
    )


def test_issued_tokens_are_redacted_in_the_response_and_wherever_echoed(client):
    access_token = _adobe(client)["Authorization"].removeprefix("Bearer ")
    client.get(f"/{TENANT}/V1/customers/1", headers={"Authorization": f"Bearer {access_token}"})
    dumped = _everything(client)
    assert access_token not in dumped
    assert "storefake-accs-secret" not in dumped


def test_a_secret_value_repeated_elsewhere_is_redacted_there_too():
    body = redact_body(b'{"password": "Repeated-Pa55", "note": "Repeated-Pa55 again"}')
    assert json.loads(body) == {"password": REDACTED, "note": f"{REDACTED} again"}


def test_multipart_secret_fields_are_redacted():
    body = b'--b\r\nContent-Disposition: form-data; name="client_secret"\r\n\r\nmulti-s3cret\r\n--b--\r\n'
    assert "multi-s3cret" not in redact_body(body, "multipart/form-data; boundary=b")


def test_booleans_under_secret_looking_names_are_kept():
    body = redact_body(b'{"authentication": {"force_password_reset": true, "new_password": "N3w-Pa55"}}')
    assert json.loads(body) == {"authentication": {"force_password_reset": True, "new_password": REDACTED}}


def test_redaction_reads_a_30000_level_body(client):
    raw = b'{"password": "Deep-Pa55word", "customer": ' + b'{"a": ' * 30_000 + b"1" + b"}" * 30_001
    assert client.post(f"/{TENANT}/V1/customers", content=raw, headers=_adobe(client)).status_code == 400
    response = client.get("/__storefake/journal")
    assert response.status_code == 200
    assert response.json()["entries"][-1]["body"].startswith(f'{{"password": "{REDACTED}", "customer": {{"a": ')


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoiYWNjZXNzX3Rva2VuIn0.c2lnbmF0dXJlLXZhbHVl"
BASIC = "Basic aG9vay11c2VyOmhvb2stcGFzcw=="  # hook-user:hook-pass


def test_webhook_headers_holding_credentials_are_redacted_wherever_echoed(client):
    bc = {"X-Auth-Token": "storefake-bc-token"}
    hook = {"scope": "store/order/created", "destination": "https://example.com/hook", "is_active": True}
    hook["headers"] = {"Authorization": BASIC, "X-Api-Key": "hook-api-key-123"}
    assert client.post("/stores/abc123/v3/hooks", json=hook, headers=bc).status_code == 200
    assert client.get("/stores/abc123/v3/hooks", headers=bc).status_code == 200
    created, listed = client.get("/__storefake/journal").json()["entries"][-2:]
    for text in (created["body"], created["response_body"], listed["response_body"]):
        assert '"Authorization":"[redacted]","X-Api-Key":"[redacted]"' in text.replace(" ", "")
    assert "aG9vay11c2VyOmhvb2stcGFzcw" not in _everything(client)


@pytest.mark.parametrize("key", ["api_key", "apiKey", "X-Api-Key", "credentials", "privateKey", "auth", "pass", "pwd"])
def test_values_of_other_secret_names_are_redacted(key):
    body = redact_body(b'{"%s": "Named-Secret-1", "key": "color", "value": "red"}' % key.encode())
    assert json.loads(body) == {key: REDACTED, "key": "color", "value": "red"}


@pytest.mark.parametrize("name", [b"X-Api-Key", b"X-Forwarded-Authorization", b"Set-Cookie"])
def test_headers_of_secret_names_are_redacted(name):
    assert redact_headers([(name, b"header-s3cret"), (b"Accept", b"*/*")]) == {
        name.decode().lower(): REDACTED,
        "accept": "*/*",
    }


def test_a_jwt_is_redacted_wherever_it_appears():
    body = redact_body(b'{"note": "%s", "url": "https://x.example/?t=%s&a=1"}' % (JWT.encode(), JWT.encode()))
    assert json.loads(body) == {"note": REDACTED, "url": f"https://x.example/?t={REDACTED}&a=1"}


def test_an_issued_ims_token_in_any_parameter_is_redacted(client):
    token = _adobe(client)["Authorization"].removeprefix("Bearer ")
    client.get(f"/{TENANT}/V1/customers/1", params={"note": token}, headers={"Authorization": f"Bearer {token}"})
    assert client.get("/__storefake/journal").json()["entries"][-1]["query"] == f"note={REDACTED}"


@pytest.mark.parametrize("value", [BASIC, "Bearer abc123def456", f"bearer {JWT}"])
def test_http_credentials_making_up_a_value_are_redacted(value):
    body = redact_body(json.dumps({"note": value, "other": "kept"}).encode())
    assert json.loads(body) == {"note": value.split()[0] + " " + REDACTED, "other": "kept"}


@pytest.mark.parametrize(
    "value", ["Basic Essentials", "Basic T-shirt", "Basic 2-pack", "Ring Bearer Cushions", "Bearer bonds, 1920s"]
)
def test_words_after_an_http_scheme_name_are_kept(value):
    body = json.dumps({"name": value}).encode()
    assert redact_body(body) == body.decode()


def test_the_password_of_a_url_is_redacted():
    body = redact_body(b'{"destination": "https://hook-user:hunter2-pa55@example.com/hook"}')
    assert json.loads(body) == {"destination": f"https://hook-user:{REDACTED}@example.com/hook"}


# --- bounded in bytes (issue 11, item 7) ---------------------------------------------------------------------


def test_the_journal_keeps_no_more_than_max_bytes():
    journal = Journal(limit=10_000, max_bytes=200_000)
    body = b"x" * 50_000
    for n in range(10):
        journal.record_exchange((0.0, 0.0, "POST", f"/{n}", None, b"", [], body, 200, [], b""))
    assert journal.bytes <= 200_000
    assert [e.path for e in journal] == ["/7", "/8", "/9"]
    assert journal.last_id == 10


def test_the_newest_entry_is_kept_even_past_max_bytes():
    journal = Journal(max_bytes=10)
    journal.record_exchange((0.0, 0.0, "POST", "/big", None, b"", [], b"x" * 100, 200, [], b""))
    assert [e.path for e in journal] == ["/big"]


def test_remove_and_clear_recount_the_bytes():
    journal = _journal_of("/a", "/b")
    one = journal.bytes // 2
    journal.remove(path="/a")
    assert journal.bytes == one
    journal.clear()
    assert journal.bytes == 0


def test_config_bounds_the_apps_journal_in_bytes():
    import storefake

    fake = storefake.create_app(journal_max_bytes=1234).state.fake
    assert fake.journal.max_bytes == 1234


def test_the_exchange_is_kept_before_the_last_message_of_its_answer_goes_out():
    journal = Journal()
    seen_when_sent: list[int] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await send({"type": "http.response.body", "body": b"b"})

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.body":
            seen_when_sent.append(len(journal))

    scope = {"type": "http", "method": "GET", "path": "/x", "query_string": b"", "headers": []}
    asyncio.run(JournalMiddleware(app, journal)(scope, receive, send))
    assert seen_when_sent == [0, 1], "kept before the last body message, once"
    assert journal.last.response_body == "ab"
