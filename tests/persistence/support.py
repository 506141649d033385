"""Helpers for the persistence tests: a `storefake serve --data-dir` process, in-process persisted fakes,
and credentials of the bundled fixtures."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

import storefake
from storefake.transport import SyncASGITransport

TENANT = "AbCYab34cdEfGHiJ27123"
STORE = "abc123"
BC = {"X-Auth-Token": "storefake-bc-token"}
IMS_FORM = {
    "grant_type": "client_credentials",
    "client_id": "storefake-accs-client",
    "client_secret": "storefake-accs-secret",
    "scope": "openid,AdobeID,commerce.accs",
}


@dataclass
class Served:
    """A running `storefake serve --data-dir` process."""

    process: subprocess.Popen[str]
    url: str
    banner: list[str] = field(default_factory=list)

    def stderr(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read()


@contextlib.contextmanager
def serve(data_dir: Path, *args: str) -> Iterator[Served]:
    """`storefake serve --port 0 --data-dir DIR` in a subprocess, stopped (SIGTERM) on exit if still running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "storefake.cli", "serve", "--port", "0", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if not first.startswith("storefake listening on"):
            process.kill()
            raise AssertionError(first + process.communicate(timeout=10)[1])
        banner = [first]
        while banner[-1] and not banner[-1].lstrip().startswith("data dir"):
            banner.append(process.stdout.readline())
        yield Served(process, first.split()[-1], banner)
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=20)


def ims_token(client: httpx.Client) -> dict[str, str]:
    response = client.post("/ims/token/v3", data=IMS_FORM)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def customer_body(email: str) -> dict:
    return {
        "customer": {"email": email, "firstname": "Per", "lastname": "Sist", "website_id": 1},
        "password": "Persist-Pa55word",
    }


class InProcess:
    """Persisted fakes built in this process on one data dir, one at a time (`open()` closes the previous)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.app = None
        self.client: httpx.Client | None = None

    def open(self, **options) -> httpx.Client:
        self.close()
        self.app = storefake.create_app(data_dir=self.data_dir, **options)
        self.client = httpx.Client(transport=SyncASGITransport(self.app), base_url="http://testserver")
        return self.client

    @property
    def fake(self):
        assert self.app is not None
        return self.app.state.fake

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.app is not None:
            self.app.state.fake.close()
            self.app = None
