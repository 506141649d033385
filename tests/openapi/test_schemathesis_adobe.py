"""Schemathesis over every operation of the Adobe document, in-process against the app."""

from __future__ import annotations

import openapi_support

ADOBE = openapi_support.adobe()


@ADOBE.schema.parametrize()
def test_adobe(case):
    # Each case starts from the bundled fixtures: a schema-valid create must not meet an earlier case's email.
    ADOBE.app.state.fake.reset()
    case.call_and_validate(headers=ADOBE.headers_for(case), checks=ADOBE.checks)
