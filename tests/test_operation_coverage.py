"""The operation lists (contracts/operations/) against the app's routes, and the committed COVERAGE.md.

When a route lands, these tell its author what to do: a served route missing from the lists means the
lists need regenerating (tools/operations.py) or an extra entry; a stale COVERAGE.md means
`storefake coverage --write COVERAGE.md`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.routing import Route

from storefake import coverage
from storefake.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "COVERAGE.md"


@pytest.fixture(scope="module")
def result():
    return coverage.coverage()


def test_coverage_every_served_route_is_listed(result):
    assert result.unlisted == [], "add these to contracts/operations/ (python tools/operations.py, or its *_EXTRA)"


def test_coverage_document_is_current(result):
    assert DOCUMENT.read_text(encoding="utf-8") == coverage.markdown(result), (
        "COVERAGE.md is stale: run `storefake coverage --write COVERAGE.md`"
    )


@pytest.mark.parametrize("vendor", coverage.VENDORS)
def test_operations_each_listed_once(vendor):
    keys = [op.key for op in coverage.operations(vendor)]
    assert len(keys) == len(set(keys))


def test_operations_unknown_vendor():
    with pytest.raises(KeyError, match="shopify"):
        coverage.operations("shopify")


def test_coverage_counts_a_route_as_faking_its_operation():
    route = Route("/stores/{store_hash}/v3/inventory/items", lambda request: None, methods=["GET"])
    done = {op.operation: faked for op, faked in coverage.coverage([route]).faked["bigcommerce"]}
    assert (done["get-inventory-items"], done["getProducts"]) == (True, False)


def test_coverage_names_a_served_route_no_list_has():
    route = Route("/stores/{store_hash}/v3/carts", lambda request: None, methods=["POST"])
    assert coverage.coverage([route]).unlisted == [("POST", "/stores/{}/v3/carts")]


def test_coverage_check_stale_document(tmp_path, capsys):
    stale = tmp_path / "COVERAGE.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert main(["coverage", "--check", str(stale)]) == 1
    assert capsys.readouterr().err == (f"storefake: {stale} is stale: run `storefake coverage --write {stale}`\n")


def test_coverage_write_then_check(tmp_path, capsys):
    target = tmp_path / "COVERAGE.md"
    assert main(["coverage", "--write", str(target)]) == 0
    assert main(["coverage", "--check", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("bigcommerce: ")
    assert "adobe: " in out


def test_coverage_check_missing_file(tmp_path, capsys):
    assert main(["coverage", "--check", str(tmp_path / "nope.md")]) == 2
    assert capsys.readouterr().err == f"storefake: cannot read {tmp_path / 'nope.md'}: No such file or directory\n"


def test_unimplemented_literal_segment_beats_a_parameter():
    index = coverage.Unimplemented("/stores/{store_hash}", ["bigcommerce"], [])
    found = index.find("GET", "/v3/catalog/products/channel-assignments")
    assert found is not None
    assert found.operation == "getProductsChannelAssignments"


def test_unimplemented_route_with_a_parameter_there_defers_to_the_literal():
    index = coverage.Unimplemented("/stores/{store_hash}", ["bigcommerce"], [])
    path = "/v3/catalog/products/channel-assignments"
    assert index.find("GET", path, route_path="/v3/catalog/products/{product_id}") is not None
    assert index.find("GET", "/v3/catalog/products/12", route_path="/v3/catalog/products/{product_id}") is None
