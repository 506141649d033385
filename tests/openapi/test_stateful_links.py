"""Schemathesis' stateful phase: sequences that follow the documents' `links` (create → read/update/delete).

use_after_free and ensure_resource_availability only mean something here, where a DELETE or a create is
followed by reads of the same resource.
"""

from __future__ import annotations

import openapi_support
import pytest
from hypothesis import HealthCheck, settings

SETTINGS = settings(
    max_examples=40,
    stateful_step_count=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def run_links(vendor: openapi_support.Vendor) -> list[str]:
    """Run the state machine; answer the operations that succeeded on an id taken from a link."""
    base = vendor.schema.as_state_machine()
    linked: list[str] = []

    class Machine(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            vendor.app.state.fake.reset()

        def before_call(self, case):  # type: ignore[no-untyped-def]
            # The tenant/store the credentials belong to (config `parameters` covers the other phases only).
            for name, value in vendor.pinned.items():
                if name in (case.path_parameters or {}):
                    case.path_parameters[name] = value

        def get_call_kwargs(self, case):  # type: ignore[no-untyped-def]
            return {"headers": vendor.headers_for(case)}

        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            if response.status_code < 300 and case.method != "POST" and case.path.endswith("}"):
                linked.append(f"{case.method} {case.path}")
            case.validate_response(response, checks=vendor.checks)

    Machine.run(settings=SETTINGS)
    return linked


@pytest.mark.parametrize("name", ["adobe", "bigcommerce"])
def test_links(name):
    vendor = openapi_support.adobe() if name == "adobe" else openapi_support.bigcommerce()
    assert vendor.schema.as_state_machine().bundles, "the document has no links"
    linked = run_links(vendor)
    # The sequences did reach created resources through the links (reads, updates, deletes by id).
    assert any(step.startswith(("GET", "PUT")) for step in linked), linked
    assert any(step.startswith("DELETE") for step in linked), linked
