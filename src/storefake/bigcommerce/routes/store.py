"""V2 store information and time: `GET /v2/store` and `GET /v2/time` (reference/store_information.v2.yml).

Both need `store_v2_information` or its read-only variant (api-accounts.mdx lists Time V2 under that
scope). `/v2/store` answers every documented field from the store's profile (fixtures `information:`);
`/v2/time` answers `{"time": <Unix seconds>}` from the fake's clock.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from storefake.bigcommerce.render import v2_json
from storefake.bigcommerce.routes._common import store_of


async def get_store_information(request: Request) -> Response:
    return v2_json(store_of(request).store_information())


async def get_system_timestamp(request: Request) -> Response:
    return v2_json({"time": int(store_of(request).now())})


routes: list[BaseRoute] = [
    Route("/v2/store", get_store_information, methods=["GET"]),
    Route("/v2/time", get_system_timestamp, methods=["GET"]),
]
