"""Adobe customers per tenant as a hypothesis state machine, through the real app, against a tiny model.

Random create/update/delete/get/search sequences over two tenants. Invariants: ids unique per tenant,
one email per website, search totals equal the model, paging walks every customer exactly once, and
nothing of one tenant is ever visible from the other.
"""

from __future__ import annotations

import math

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import storefake
from storefake.transport import SyncASGITransport

TENANTS = ("AbCYab34cdEfGHiJ27123", "OtherTenant42")
EMAILS = tuple(f"user{i}@example.com" for i in range(6))
NAMES = ("Ann", "Bob", "Cleo", "Dan")
IMS_FORM = {
    "grant_type": "client_credentials",
    "client_id": "storefake-accs-client",
    "client_secret": "storefake-accs-secret",
    "scope": "openid,AdobeID,commerce.accs",
}
DUPLICATE = "A customer with the same email address already exists in an associated website."


class AdobeCustomers(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.client = httpx.Client(transport=SyncASGITransport(storefake.create_app()), base_url="http://testserver")
        token = self.client.post("/ims/token/v3", data=IMS_FORM).json()["access_token"]
        self.client.headers["Authorization"] = f"Bearer {token}"
        # tenant -> customer id -> (email, firstname)
        self.model: dict[str, dict[int, tuple[str, str]]] = {t: {} for t in TENANTS}
        self.seen_ids: dict[str, set[int]] = {t: set() for t in TENANTS}

    def teardown(self) -> None:
        self.client.close()

    def url(self, tenant: str, rest: str) -> str:
        return f"/{tenant}/V1/customers{rest}"

    def owner_of(self, tenant: str, email: str) -> int | None:
        return next((i for i, (e, _) in self.model[tenant].items() if e == email), None)

    def existing(self) -> st.SearchStrategy[tuple[str, int]]:
        pairs = [(t, i) for t in TENANTS for i in self.model[t]]
        return st.sampled_from(pairs)

    @rule(tenant=st.sampled_from(TENANTS), email=st.sampled_from(EMAILS), name=st.sampled_from(NAMES))
    def create(self, tenant: str, email: str, name: str) -> None:
        body = {"customer": {"email": email, "firstname": name, "lastname": "Model", "website_id": 1}}
        response = self.client.post(self.url(tenant, ""), json=body)
        if self.owner_of(tenant, email) is not None:
            assert response.status_code == 400, response.text
            assert response.json() == {"message": DUPLICATE}
            return
        assert response.status_code == 200, response.text
        customer = response.json()
        assert customer["id"] not in self.seen_ids[tenant], "a customer id was handed out twice"
        self.seen_ids[tenant].add(customer["id"])
        self.model[tenant][customer["id"]] = (email, name)

    @precondition(lambda self: any(self.model.values()))
    @rule(data=st.data(), email=st.sampled_from(EMAILS), name=st.sampled_from(NAMES))
    def update(self, data: st.DataObject, email: str, name: str) -> None:
        tenant, customer_id = data.draw(self.existing())
        body = {"customer": {"email": email, "firstname": name, "lastname": "Model"}}
        response = self.client.put(self.url(tenant, f"/{customer_id}"), json=body)
        owner = self.owner_of(tenant, email)
        if owner is not None and owner != customer_id:
            assert response.status_code == 400, response.text
            assert response.json() == {"message": DUPLICATE}
            return
        assert response.status_code == 200, response.text
        assert response.json()["id"] == customer_id
        self.model[tenant][customer_id] = (email, name)

    @precondition(lambda self: any(self.model.values()))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        tenant, customer_id = data.draw(self.existing())
        response = self.client.delete(self.url(tenant, f"/{customer_id}"))
        assert response.status_code == 200, response.text
        assert response.json() is True
        del self.model[tenant][customer_id]
        again = self.client.get(self.url(tenant, f"/{customer_id}"))
        assert again.status_code == 404

    @precondition(lambda self: any(self.model.values()))
    @rule(data=st.data())
    def get_from_both_tenants(self, data: st.DataObject) -> None:
        tenant, customer_id = data.draw(self.existing())
        response = self.client.get(self.url(tenant, f"/{customer_id}"))
        assert response.status_code == 200, response.text
        assert (response.json()["email"], response.json()["firstname"]) == self.model[tenant][customer_id]
        other = TENANTS[1 - TENANTS.index(tenant)]
        seen = self.client.get(self.url(other, f"/{customer_id}"))
        if customer_id in self.model[other]:
            assert seen.json()["email"] == self.model[other][customer_id][0]
        else:
            assert seen.status_code == 404, "another tenant's customer is visible"

    @rule(tenant=st.sampled_from(TENANTS), email=st.sampled_from(EMAILS))
    def search_by_email(self, tenant: str, email: str) -> None:
        f = "searchCriteria[filterGroups][0][filters][0]"
        params = {f"{f}[field]": "email", f"{f}[value]": email, f"{f}[conditionType]": "eq"}
        result = self.client.get(self.url(tenant, "/search"), params=params).json()
        expected = [i for i, (e, _) in self.model[tenant].items() if e == email]
        assert [c["id"] for c in result["items"]] == expected
        assert result["total_count"] == len(expected)

    @rule(tenant=st.sampled_from(TENANTS), page_size=st.integers(1, 4))
    def walk_pages(self, tenant: str, page_size: int) -> None:
        """Every customer exactly once across the pages (Magento clamps pages past the end, so stop there)."""
        ids: list[int] = []
        total = len(self.model[tenant])
        for page in range(1, max(1, math.ceil(total / page_size)) + 1):
            params = {"searchCriteria[pageSize]": page_size, "searchCriteria[currentPage]": page}
            result = self.client.get(self.url(tenant, "/search"), params=params).json()
            assert result["total_count"] == total
            ids.extend(c["id"] for c in result["items"])
        assert sorted(ids) == sorted(self.model[tenant])
        assert len(ids) == len(set(ids))

    @invariant()
    def totals_match_the_model(self) -> None:
        for tenant in TENANTS:
            result = self.client.get(self.url(tenant, "/search"), params={"searchCriteria[pageSize]": 300}).json()
            assert result["total_count"] == len(self.model[tenant])
            assert {c["id"]: c["email"] for c in result["items"]} == {i: e for i, (e, _) in self.model[tenant].items()}


AdobeCustomers.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_adobe_customers = AdobeCustomers.TestCase
