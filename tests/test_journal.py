from __future__ import annotations

import json

from storefake.journal import MAX_BODY_CHARS, REDACTED, Journal, JournalEntry, redact_body, redact_headers, redact_query


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


def test_a_large_request_body_leaves_the_response_recorded(client):
    big = "x" * (MAX_BODY_CHARS + 10)
    headers = {"X-Auth-Token": "storefake-bc-token", "Content-Type": "application/json"}
    client.post("/stores/abc123/v3/customers", content=big, headers=headers)
    entries = client.get("/__storefake/journal").json()["entries"]
    assert len(entries[-1]["body"]) == MAX_BODY_CHARS
    assert json.loads(entries[-1]["response_body"])["status"] == 422  # the vendor's answer, still kept
