from __future__ import annotations

import asyncio
import json

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
