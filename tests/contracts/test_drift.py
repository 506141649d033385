from __future__ import annotations

import json
import re

import pytest

from storefake.cli import main

KEYWORD = "bigcommerce-customers::customer lifecycle"


@pytest.fixture
def recordings(tmp_path):
    """Two recordings of the same case: one in-process, one over a real socket."""
    a, b = tmp_path / "fake", tmp_path / "server"
    assert main(["record", "--target", "fake", "-k", KEYWORD, "--out", str(a)]) == 0
    assert main(["record", "--target", "server", "-k", KEYWORD, "--out", str(b)]) == 0
    return a, b


def test_record_writes_one_file_per_case(recordings):
    a, _ = recordings
    (path,) = a.rglob("*.json")
    assert path.relative_to(a).as_posix() == "bigcommerce-customers/customer-lifecycle.json"
    document = json.loads(path.read_text())
    first = document["exchanges"][0]
    assert first["request"] == {"vendor": "bigcommerce", "method": "POST", "path": "/v3/customers"}
    assert first["response"]["status"] == 200
    customer = first["response"]["body"]["data"][0]
    # ids, timestamps and the run's unique email are scrubbed, types kept
    assert customer["id"] == 0
    assert customer["date_created"] == "<scrubbed>"
    assert customer["email"] == "<email>"
    assert customer["first_name"] == "Jane"


def test_recordings_of_the_same_behaviour_agree(recordings, capsys):
    a, b = recordings
    assert main(["diff", str(a), str(b)]) == 0
    assert "no drift" in capsys.readouterr().out


def test_diff_reports_a_renamed_field(recordings, capsys):
    a, b = recordings
    path = b / "bigcommerce-customers" / "customer-lifecycle.json"
    path.write_text(path.read_text().replace('"last_name"', '"lastName"'))
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "bigcommerce-customers/customer-lifecycle.json step 1 'create' (POST /v3/customers):" in out
    assert "field $.data[].last_name: only in A" in out
    assert "field $.data[].lastName: only in B" in out


def test_diff_reports_status_header_type_and_error_text_changes(recordings, capsys):
    a, b = recordings
    path = b / "bigcommerce-customers" / "customer-lifecycle.json"
    document = json.loads(path.read_text())
    create = document["exchanges"][0]["response"]
    create["status"] = 201
    create["headers"]["content-type"] = "text/plain"
    create["body"]["data"][0]["customer_group_id"] = "0"
    document["exchanges"].pop()  # the last step disappears
    path.write_text(json.dumps(document))
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "status: 200 != 201" in out
    assert "header content-type: 'application/json' != 'text/plain'" in out
    assert "type $.data[].customer_group_id: integer != string" in out
    assert re.search(r"cleanup step 1 .*only in A", out)


def test_error_texts_are_compared(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    keyword = "bigcommerce-customers::duplicate email"
    assert main(["record", "--target", "fake", "-k", keyword, "--out", str(a)]) == 0
    assert main(["record", "--target", "fake", "-k", keyword, "--out", str(b)]) == 0
    assert main(["diff", str(a), str(b)]) == 0
    path = next(b.rglob("*.json"))
    path.write_text(path.read_text().replace("Create customers failed.", "Customer creation failed."))
    capsys.readouterr()
    assert main(["diff", str(a), str(b)]) == 1
    assert (
        "error text $.title: ['Create customers failed.'] != ['Customer creation failed.']" in capsys.readouterr().out
    )


def test_recordings_hold_no_secrets_tokens_or_unique_values(tmp_path):
    out = tmp_path / "rec"
    main(["record", "--target", "fake", "-k", "adobe-tutorial", "--out", str(out)])
    main(["record", "--target", "fake", "-k", "bigcommerce-hooks::hook lifecycle", "--out", str(out)])
    text = "".join(path.read_text() for path in out.rglob("*.json"))
    assert text
    for secret in ("storefake-accs-secret", "storefake-bc-token", "eyJ"):
        assert secret not in text
    assert not re.search(r"sf[0-9a-f]{10}", text)


def test_diff_of_a_missing_directory_is_a_usage_error(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "nope"), str(tmp_path)]) == 2
    assert "no recording directory" in capsys.readouterr().err


def test_diff_of_broken_recordings_is_a_usage_error(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "s").mkdir(parents=True)
    (a / "s" / "c.json").write_text('{"format": "storefake-recording/1", "exchanges": [{"oops": 1}]}')
    (b / "s" / "c.json").write_text('{"format": "storefake-recording/1", "exchanges": [{"oops": 1}]}')
    assert main(["diff", str(a), str(b)]) == 2
    assert "not a storefake recording" in capsys.readouterr().err
    (b / "s" / "c.json").write_text("{not json")
    assert main(["diff", str(a), str(b)]) == 2


def test_live_against_serve_and_fake_agree_and_skips_are_not_drift(tmp_path, serve, capsys):
    live, fake = tmp_path / "live", tmp_path / "fake"
    # without --allow-writes the live run skips every writing case; the fake runs them all
    assert main(["record", "--target", "live", "--base-url", serve, "--out", str(live)]) == 0
    assert main(["record", "--target", "fake", "--out", str(fake)]) == 0
    skipped = json.loads((live / "adobe-tutorial" / "tutorial-flow.json").read_text())
    assert skipped["skipped"].startswith("case writes")
    capsys.readouterr()
    assert main(["diff", str(live), str(fake)]) == 0
    out = capsys.readouterr().out
    assert "skipped on one side, not compared" in out
    assert "no drift" in out


def test_full_live_recording_against_serve_matches_the_fake(tmp_path, serve, capsys):
    live, fake = tmp_path / "live", tmp_path / "fake"
    assert main(["record", "--target", "live", "--base-url", serve, "--allow-writes", "--out", str(live)]) == 0
    assert main(["record", "--target", "fake", "--out", str(fake)]) == 0
    capsys.readouterr()
    assert main(["diff", str(live), str(fake)]) == 0, capsys.readouterr().out
