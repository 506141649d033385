"""Schemathesis over every operation of the BigCommerce document, in-process against the app."""

from __future__ import annotations

import openapi_support

BC = openapi_support.bigcommerce()


@BC.schema.parametrize()
def test_bigcommerce(case):
    # Each case starts from the bundled fixtures, so schema-valid creates never meet an earlier case's names.
    BC.app.state.fake.reset()
    case.call_and_validate(headers=BC.headers_for(case), checks=BC.checks)
