"""Schemathesis over every operation of the BigCommerce document, in-process against the app."""

from __future__ import annotations

import schemathesis
from openapi_support import BC_TOKEN, STORE
from schemathesis import checks as C
from schemathesis.config import SchemathesisConfig

import storefake

# Bodies that name other records (an address's customer, a batch item's id, a shipment's order lines) or
# carry unique keys (a customer batch repeating one email): BigCommerce answers 400/422, not 404/409, when
# the record does not exist or the key is taken, and no JSON Schema can promise either.
REFERENCING = frozenset(
    {"createAddresses", "updateAddresses", "updateCustomers", "createShipment", "createCustomers"}
    | {"updateProducts", "updateVariants"}  # a batch naming one id twice is 422 error.duplicate
)


def bc_positive_data_acceptance(ctx, response, case):
    """positive_data_acceptance, except for missing references and taken unique keys (vendor behaviour)."""
    operation_id = case.operation.definition.raw.get("operationId")
    if operation_id in REFERENCING and response.status_code in (400, 422):
        return None
    return C.positive_data_acceptance(ctx, response, case)


CHECKS = [
    C.not_a_server_error,
    C.status_code_conformance,
    C.content_type_conformance,
    C.response_headers_conformance,
    C.response_schema_conformance,
    C.negative_data_rejection,
    bc_positive_data_acceptance,
    C.use_after_free,
    C.ensure_resource_availability,
    C.ignored_auth,
]
AUTH = {"X-Auth-Token": BC_TOKEN}
app = storefake.create_app()
config = SchemathesisConfig.from_dict(
    {
        "seed": 5,
        "generation": {"mode": "all", "max-examples": 5, "deterministic": True, "with-security-parameters": False},
        "parameters": {"store_hash": STORE},
        # 413 is BigCommerce's answer to a batch above its item limit (vendor facts §2, §5).
        "checks": {
            "negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 429]}
        },
    }
)
schema = schemathesis.openapi.from_asgi("/__storefake/openapi/bigcommerce.json", app, config=config)


@schema.parametrize()
def test_bigcommerce(case):
    # Each case starts from the bundled fixtures, so schema-valid creates never meet an earlier case's names.
    app.state.fake.reset()
    case.call_and_validate(headers=AUTH if case.path.startswith("/stores/") else None, checks=CHECKS)
