"""Schemathesis over every operation of the Adobe document, in-process against the app."""

from __future__ import annotations

import schemathesis
from openapi_support import IMS_FORM, TENANT, is_php_scalar_conversion
from schemathesis import checks as C
from schemathesis.config import SchemathesisConfig

import storefake


def adobe_negative_data_rejection(ctx, response, case):
    """negative_data_rejection, except for scalar conversions Magento performs on purpose."""
    if is_php_scalar_conversion(case):
        return None
    return C.negative_data_rejection(ctx, response, case)


CHECKS = [
    C.not_a_server_error,
    C.status_code_conformance,
    C.content_type_conformance,
    C.response_headers_conformance,
    C.response_schema_conformance,
    adobe_negative_data_rejection,
    C.positive_data_acceptance,
    C.use_after_free,
    C.ensure_resource_availability,
    C.ignored_auth,
]
app = storefake.create_app()
config = SchemathesisConfig.from_dict(
    {
        "seed": 5,
        "generation": {"mode": "all", "max-examples": 10, "deterministic": True, "with-security-parameters": False},
        "parameters": {"tenant_id": TENANT},
    }
)


def ims_token() -> str:
    """A real token from the app's IMS endpoint (Adobe's server-to-server flow)."""
    import httpx

    from storefake.transport import SyncASGITransport

    with httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver") as client:
        response = client.post("/ims/token/v3", data=IMS_FORM)
        response.raise_for_status()
        return str(response.json()["access_token"])


AUTH = {"Authorization": f"Bearer {ims_token()}"}
schema = schemathesis.openapi.from_asgi("/__storefake/openapi/adobe.json", app, config=config)


@schema.parametrize()
def test_adobe(case):
    # Each case starts from the bundled fixtures: a schema-valid create must not meet an earlier case's email.
    app.state.fake.reset()
    case.call_and_validate(headers=None if case.path.startswith("/ims") else AUTH, checks=CHECKS)
