"""The wheel, installed into a fresh virtual environment outside the checkout, works on its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

import storefake

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.release


def clean_env() -> dict[str, str]:
    """The environment without this test run's Python and pytest settings (xdist worker ids, venv)."""
    drop = ("PYTEST_", "PYTHON", "VIRTUAL_ENV", "STOREFAKE_", "COV_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """storefake's wheel, built from the checkout with the installed hatchling (no network)."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", out]
    subprocess.run(command, check=True, capture_output=True, env=clean_env(), timeout=120)
    (built,) = out.glob("storefake-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment (outside the checkout) with the wheel and pytest installed."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, env=clean_env(), timeout=120)
    pip = [str(home / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel), "pytest"]
    subprocess.run(pip, check=True, capture_output=True, env=clean_env(), timeout=300)
    return home


def test_wheel_carries_the_bundled_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "storefake/_data/fixtures/default.yaml" in names
    for folder in ("contracts", "mocks", "fixtures"):
        assert any(name.startswith(f"storefake/_data/{folder}/") for name in names), folder
    assert any(re.match(r"storefake/_data/contracts/.+\.yaml$", name) for name in names)
    assert any(re.match(r"storefake-.*\.dist-info/entry_points\.txt$", name) for name in names)
    for asset in ("index.html", "inspector.css", "inspector.js"):
        assert f"storefake/inspector/static/{asset}" in names


def test_wheel_carries_py_typed(wheel):
    # PEP 561: type checkers read an installed package's annotations only when it carries this marker.
    assert "storefake/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_wheel_runs_as_python_dash_m_and_knows_its_version(venv, tmp_path):
    command = [str(venv / "bin" / "python"), "-m", "storefake", "--version"]
    result = subprocess.run(command, cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, f"storefake {storefake.__version__}")
    result = subprocess.run([str(venv / "bin" / "storefake"), "--version"], env=clean_env(), capture_output=True)
    assert result.stdout.decode().strip() == f"storefake {storefake.__version__}"


def test_wheel_serves_from_a_fresh_venv(venv, tmp_path):
    command = [str(venv / "bin" / "storefake"), "serve", "--port", "0"]
    process = subprocess.Popen(command, cwd=tmp_path, env=clean_env(), stdout=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://\S+", process.stdout.readline()).group(0)
        response = httpx.get(f"{url}/__storefake/health", timeout=10)
        script = httpx.get(f"{url}/__storefake/inspector/inspector.js", timeout=10)
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()
    assert response.json()["status"] == "ok"
    assert (script.status_code, script.headers["content-type"]) == (200, "text/javascript; charset=utf-8")


USER_TEST = """
import storefake

def test_installed_copy_is_used():
    assert "site-packages" in storefake.__file__

def test_clients(bigcommerce_client, adobe_client):
    assert bigcommerce_client.get("/v3/customers").status_code == 200
    assert adobe_client.get("/V1/customers/search", params={"searchCriteria[pageSize]": 1}).status_code == 200
"""


def test_wheel_runs_pytest_with_the_plugin(venv, tmp_path):
    (tmp_path / "test_user.py").write_text(USER_TEST)
    command = [str(venv / "bin" / "python"), "-m", "pytest", "--storefake-target=fake", "-p", "no:cacheprovider"]
    result = subprocess.run(command, cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "storefake: target=fake" in result.stdout
    assert re.search(r"\b\d+ passed\b", result.stdout)
    assert "failed" not in result.stdout.splitlines()[-1]


def test_wheel_runs_the_bundled_contract_suites(venv, tmp_path):
    command = [
        str(venv / "bin" / "python"),
        "-m",
        "pytest",
        "--storefake-target=fake",
        "--storefake-contracts",
        "-p",
        "no:cacheprovider",
        "-q",
    ]
    result = subprocess.run(command, cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.search(r"\b(\d+) passed\b", result.stdout)
    assert passed is not None, result.stdout
    assert int(passed.group(1)) >= 80, "the wheel carries every bundled suite"
    assert "failed" not in result.stdout.splitlines()[-1]
