"""Regenerate contracts/operations/{bigcommerce,adobe}.yaml: the vendors' published operations in the
product families storefake fakes, as data (method, path template on the fake's host, family, operation id,
summary). The coverage document (COVERAGE.md, `storefake coverage`) and the 501 answers for operations not
faked yet are derived from these lists and the app's routes.

    python tools/operations.py --bigcommerce-docs PATH --commerce-webapi PATH

PATH is a checkout or a bare git directory of github.com/bigcommerce/docs (the OpenAPI files under
reference/) and of github.com/AdobeDocs/commerce-webapi (src/openapi/accs-schema.yaml). The lists record
the commit they were read from; refresh them when the vendors publish new operations.

In scope (decided for issue 10; the vendor's own files, nothing else):
- BigCommerce: the files in BIGCOMMERCE_FILES (catalog, channels, customers V2/V3, inventory, locations,
  orders V2/V3, store information V2/V3, webhooks), plus the OAuth token exchange the fake serves
  (POST /oauth2/token, documented in the vendor's app guides rather than an OpenAPI file).
- Adobe Commerce as a Cloud Service: every operation of accs-schema.yaml whose path names customers (a
  segment containing "customer", any case) or their addresses (/V1/addresses/...); plus Adobe IMS's
  server-to-server token endpoints (/ims/token/v3 and /ims/token/v2, documented in Adobe's IMS guides).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

METHODS = ("get", "post", "put", "delete", "patch")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "contracts" / "operations"

# bigcommerce/docs file under reference/ -> family.
BIGCOMMERCE_FILES = {
    "catalog/brands_catalog.v3.yml": "catalog",
    "catalog/categories_catalog.v3.yml": "catalog",
    "catalog/category-trees_catalog.v3.yml": "catalog",
    "catalog/product-modifiers_catalog.v3.yml": "catalog",
    "catalog/product-variant-options_catalog.v3.yml": "catalog",
    "catalog/product-variants_catalog.v3.yml": "catalog",
    "catalog/products_catalog.v3.yml": "catalog",
    "channels.v3.yml": "channels",
    "customers.v2.yml": "customers",
    "customers.v3.yml": "customers",
    "inventory.v3.yml": "inventory",
    "locations.v3.yml": "locations",
    "orders.v2.oas2.yml": "orders",
    "orders.v3.yml": "orders",
    "store_information.v2.yml": "store_information",
    "store_information.v3.yml": "store_information",
    "webhooks.v3.yml": "webhooks",
}
BIGCOMMERCE_EXTRA = [
    {
        "method": "POST",
        "path": "/oauth2/token",
        "family": "oauth",
        "operation": "getToken",
        "summary": "Exchange an app installation's temporary code for an access token",
        "source": "https://developer.bigcommerce.com/docs/integrations/apps/guide/auth",
    },
    {
        "method": "DELETE",
        "path": "/stores/{store_hash}/v2/customer_groups",
        "family": "customers",
        "operation": "deleteAllCustomerGroups",
        "summary": "Delete All Customer Groups",
        "source": "github.com/bigcommerce/api-specs reference/customers.v2.yml (not in the newer docs' file)",
    },
    {
        "method": "GET",
        "path": "/stores/{store_hash}/v2/orders/{order_id}/shippingaddresses",
        "family": "orders",
        "operation": "getOrderShippingAddressesLink",
        "summary": "Get Order Shipping Addresses (the URL of an order's shipping_addresses resource link)",
        "source": "reference/orders.v2.oas2.yml (the order examples' shipping_addresses.url)",
    },
]
ACCS_SCHEMA = "src/openapi/accs-schema.yaml"
ADOBE_EXTRA = [
    {
        "method": "POST",
        "path": "/ims/token/v3",
        "family": "ims",
        "operation": "getImsTokenV3",
        "summary": "Issue an OAuth server-to-server access token",
        "source": "https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/",
    },
    {
        "method": "POST",
        "path": "/ims/token/v2",
        "family": "ims",
        "operation": "getImsTokenV2",
        "summary": "Issue an access token (the endpoint Adobe's SDKs call)",
        "source": "https://developer.adobe.com/developer-console/docs/guides/authentication/",
    },
]
# The ACL resource Magento checks per route (the 401 text names it), from magento/magento2's etc/webapi.xml
# files; `*` marks a whole path. B2B and other modules missing from the open-source tree are UNVERIFIED.
ADOBE_ACL = {
    "/V1/customerGroups": "Magento_Customer::group",
    "/V1/attributeMetadata": "Magento_Customer::customer",
    "GET /V1/customers/search": "Magento_Customer::customer",
    "GET /V1/customers/{customerId}": "Magento_Customer::customer",
    "GET /V1/customers/{customerId}/permissions/readonly": "Magento_Customer::customer",
    "POST /V1/customers": "anonymous",
    "DELETE /V1/customers/{customerId}": "Magento_Customer::delete",
    "POST /V1/customers/{customerId}/carts": "Magento_Cart::manage",
    "POST /V1/customers/{customerId}/token": "Magento_LoginAsCustomerApi::login",  # UNVERIFIED
    "POST /V1/customer/{customerId}/otp": "Magento_Customer::manage",  # UNVERIFIED
    "/V1/customerSegments": "Magento_CustomerSegment::customersegment",  # UNVERIFIED
    "/V1/negotiableQuote": "Magento_NegotiableQuote::manage",  # UNVERIFIED
    "/V1/products": "Magento_Catalog::catalog",
    "/V1/customers/companies": "Magento_Company::index",  # UNVERIFIED
    "/V1/customers/{customerId}/companies": "Magento_Company::index",  # UNVERIFIED
    "/V1/": "Magento_Customer::manage",
}


def read_source(root: Path, name: str) -> str:
    """`name` from a checkout (a file under `root`) or from a git directory's HEAD."""
    if (root / name).is_file():
        return (root / name).read_text(encoding="utf-8")
    return subprocess.run(
        ["git", f"--git-dir={git_dir(root)}", "show", f"HEAD:{name}"], check=True, capture_output=True, text=True
    ).stdout


def git_dir(root: Path) -> Path:
    return root / ".git" if (root / ".git").exists() else root


def commit_of(root: Path) -> str:
    result = subprocess.run(
        ["git", f"--git-dir={git_dir(root)}", "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "unknown"


def bigcommerce(root: Path) -> list[dict[str, Any]]:
    operations = []
    for name, family in BIGCOMMERCE_FILES.items():
        spec = yaml.safe_load(read_source(root, f"reference/{name}"))
        version = "v2" if ".v2." in name else "v3"
        for path, item in spec["paths"].items():
            for method in METHODS:
                if method in item:
                    op = item[method]
                    operations.append(
                        {
                            "method": method.upper(),
                            "path": f"/stores/{{store_hash}}/{version}{path}",
                            "family": family,
                            "operation": op.get("operationId") or f"{method}{path}",
                            "summary": " ".join((op.get("summary") or "").split()),
                            "source": f"reference/{name}",
                        }
                    )
    return [*BIGCOMMERCE_EXTRA, *operations]


def touches_customers(path: str) -> bool:
    return path.startswith("/V1/addresses/") or any("customer" in s.lower() for s in path.split("/"))


def adobe_family(path: str) -> str:
    segments = path.split("/")
    if "companies" in segments:
        return "companies"
    head = segments[2]
    return "customers" if head in ("customer", "addresses") else head


def adobe_acl(method: str, path: str) -> str:
    if f"{method} {path}" in ADOBE_ACL:
        return ADOBE_ACL[f"{method} {path}"]
    for prefix, acl in ADOBE_ACL.items():
        if " " not in prefix and path.startswith(prefix):
            return acl
    raise AssertionError("ADOBE_ACL ends with a catch-all")


def adobe(root: Path) -> list[dict[str, Any]]:
    spec = yaml.safe_load(read_source(root, ACCS_SCHEMA))
    operations = []
    for path, item in spec["paths"].items():
        if not touches_customers(path):
            continue
        for method in METHODS:
            if method in item:
                op = item[method]
                summary = " ".join((op.get("description") or op.get("summary") or "").split())
                operations.append(
                    {
                        "method": method.upper(),
                        "path": "/{tenant_id}" + path,
                        "family": adobe_family(path),
                        "operation": op["operationId"],
                        "summary": summary,
                        "acl": adobe_acl(method.upper(), path),
                        "source": ACCS_SCHEMA,
                    }
                )
    return [*ADOBE_EXTRA, *operations]


HEADER = """\
# {vendor}: the vendor's published operations in the families storefake fakes (see tools/operations.py).
# Generated by `python tools/operations.py`; do not edit by hand. Faked or not is never written here: it
# is derived from the app's routes (storefake/coverage.py, COVERAGE.md).
"""


def write(vendor: str, sources: dict[str, str], operations: list[dict[str, Any]]) -> Path:
    operations = sorted(operations, key=lambda op: (op["family"], op["path"], METHODS.index(op["method"].lower())))
    seen: set[tuple[str, str]] = set()
    for op in operations:
        key = (op["method"], op["path"])
        if key in seen:
            raise SystemExit(f"operations.py: {vendor} lists {key} twice")
        seen.add(key)
    document = {"sources": sources, "operations": operations}  # no `vendor` key: the file name says it
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{vendor}.yaml"
    text = HEADER.format(vendor=vendor) + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000)
    target.write_text(text, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bigcommerce-docs", type=Path, help="checkout or git dir of bigcommerce/docs")
    parser.add_argument("--commerce-webapi", type=Path, help="checkout or git dir of AdobeDocs/commerce-webapi")
    args = parser.parse_args(argv)
    if args.bigcommerce_docs is None and args.commerce_webapi is None:
        parser.error("give --bigcommerce-docs, --commerce-webapi or both")
    if args.bigcommerce_docs is not None:
        root = args.bigcommerce_docs
        source = {"repository": "https://github.com/bigcommerce/docs", "commit": commit_of(root)}
        print(write("bigcommerce", source, bigcommerce(root)))
    if args.commerce_webapi is not None:
        root = args.commerce_webapi
        source = {"repository": "https://github.com/AdobeDocs/commerce-webapi", "commit": commit_of(root)}
        print(write("adobe", source, adobe(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
