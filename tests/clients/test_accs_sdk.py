"""Adobe's Commerce SDK for App Builder (npm @adobe/aio-commerce-lib-api, -lib-auth, aio-lib-ims) on `storefake serve`.

node/accs_flow.mjs runs the SDK's flows (an AdobeCommerceHttpClient of flavour "saas" on `<base>/<tenant-id>/V1/...`
built from an App Builder action's params with a token from /ims/token/v3, and the SDK's own IMS token fetching
through aio-lib-ims) and prints one JSON line per step; the tests here judge each step.
The packages come from the npm registry at the versions package-lock.json pins (`npm ci`, once per checkout). Without
node and npm, or without the registry, the tests skip with the reason; STOREFAKE_REQUIRE_NODE=1 (.ci/run) makes that
a failure instead.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

NODE_DIR = Path(__file__).parent / "node"
TENANT = "AbCYab34cdEfGHiJ27123"
NOT_FOUND = {"message": "No such entity with %fieldName = %fieldValue", "parameters": {"fieldName": "customerId"}}


def unavailable(reason: str) -> None:
    if os.environ.get("STOREFAKE_REQUIRE_NODE") == "1":
        pytest.fail(f"{reason} (STOREFAKE_REQUIRE_NODE=1)")
    pytest.skip(reason)


def install() -> None:
    """`npm ci` into node/node_modules unless the installed tree already matches package-lock.json."""
    lock = NODE_DIR / "package-lock.json"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    marker = NODE_DIR / "node_modules" / ".storefake-lock-sha256"
    with open(NODE_DIR / ".install.lock", "w") as held:  # xdist workers share the checkout
        fcntl.flock(held, fcntl.LOCK_EX)
        if marker.exists() and marker.read_text() == digest:
            return
        command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        result = subprocess.run(command, cwd=NODE_DIR, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            unavailable(f"npm ci failed: {result.stderr.strip()[-400:]}")
        marker.write_text(digest)


@pytest.fixture(scope="module")
def steps(server_url, tmp_path_factory):
    """Each step of node/accs_flow.mjs, run once against the module's server: {step: {status, body} | {error}}."""
    if not (shutil.which("node") and shutil.which("npm")):
        unavailable("node and npm are needed to run Adobe's Commerce SDK")
    install()
    home = tmp_path_factory.mktemp("sdk-home")  # aio-lib-ims keeps its token context in the user's config
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "STOREFAKE_URL": server_url,
        "STOREFAKE_TENANT": TENANT,
        "STOREFAKE_CLIENT_ID": "storefake-accs-client",
        "STOREFAKE_CLIENT_SECRET": "storefake-accs-secret",
    }
    script = str(NODE_DIR / "accs_flow.mjs")
    result = subprocess.run(["node", script], cwd=home, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {line["step"]: line for line in map(json.loads, result.stdout.splitlines())}


def ok(step: dict) -> object:
    assert "error" not in step, step.get("error")
    assert step["status"] == 200, step
    return step["body"]


def test_token_v3_is_a_jwt_for_the_action_params(steps):
    assert ok(steps["token_v3"]) == {"parts": 3}


def test_create_customer_answers_the_saved_customer(steps):
    customer = ok(steps["create"])
    assert (customer["firstname"], customer["website_id"], customer["group_id"]) == ("Ada", 1, 1)
    assert customer["email"].startswith("sdk-")


def test_get_customer_reads_it_back(steps):
    assert ok(steps["get"]) == ok(steps["create"])


def test_search_by_email_finds_it_with_the_sdk_search_criteria(steps):
    found = ok(steps["search"])
    assert (found["total_count"], [c["id"] for c in found["items"]]) == (1, [ok(steps["create"])["id"]])
    assert found["search_criteria"]["sort_orders"] == [{"field": "email", "direction": "ASC"}]


def test_search_like_finds_it(steps):
    found = ok(steps["search_like"])
    assert [c["id"] for c in found["items"]] == [ok(steps["create"])["id"]]


def test_update_customer_changes_the_name(steps):
    assert ok(steps["update"])["firstname"] == "Augusta"


def test_delete_customer_answers_true(steps):
    assert ok(steps["delete"]) is True


def test_get_deleted_customer_is_magentos_404(steps):
    step = steps["get_deleted"]
    expected = {**NOT_FOUND, "parameters": {**NOT_FOUND["parameters"], "fieldValue": ok(steps["create"])["id"]}}
    assert (step["status"], step["body"]) == (404, expected)


# The SDK fetching its own token (getImsAuthProvider → aio-lib-ims), then calls made with it.
def test_token_v2_is_fetched_by_aio_lib_ims(steps, server_url):
    assert ok(steps["token_v2"]) == {"parts": 3}  # a JWT
    entries = httpx.get(f"{server_url}/__storefake/journal", params={"vendor": "ims"}).json()["entries"]
    calls = {(e["method"], e["path"], e["headers"].get("content-type", "").split(";")[0], e["status"]) for e in entries}
    assert ("POST", "/ims/token/v2", "multipart/form-data", 200) in calls  # as aio-lib-ims sends it


def test_customer_groups_search_lists_the_default_groups(steps):
    groups = ok(steps["ims_groups_search"])
    assert [g["code"] for g in groups["items"]][:2] == ["NOT LOGGED IN", "General"]


def test_customer_groups_default_is_general(steps):
    general = {"id": 1, "code": "General", "tax_class_id": 3, "tax_class_name": "Retail Customer"}
    assert ok(steps["ims_group_default"]) == general
