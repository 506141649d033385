"""All BigCommerce REST routes below /stores/{store_hash}; each family lives in its own module."""

from __future__ import annotations

from starlette.routing import BaseRoute

from storefake.bigcommerce.routes import catalog as _catalog
from storefake.bigcommerce.routes import catalog_assignments as _catalog_assignments
from storefake.bigcommerce.routes import catalog_extras as _catalog_extras
from storefake.bigcommerce.routes import catalog_options as _catalog_options
from storefake.bigcommerce.routes import catalog_trees as _catalog_trees
from storefake.bigcommerce.routes import channels as _channels
from storefake.bigcommerce.routes import customer_accounts as _customer_accounts
from storefake.bigcommerce.routes import customer_attributes as _customer_attributes
from storefake.bigcommerce.routes import customer_groups as _customer_groups
from storefake.bigcommerce.routes import customers as _customers
from storefake.bigcommerce.routes import hooks as _hooks
from storefake.bigcommerce.routes import inventory as _inventory
from storefake.bigcommerce.routes import metafields as _metafields
from storefake.bigcommerce.routes import order_payments as _order_payments
from storefake.bigcommerce.routes import orders as _orders
from storefake.bigcommerce.routes import store as _store

routes: list[BaseRoute] = []
routes += _metafields.batch_routes  # literal paths beside the catalog's `{id}` routes
routes += _catalog_assignments.routes  # literal paths too (/products/channel-assignments)
routes += _catalog.routes
routes += _catalog_options.routes
routes += _catalog_extras.routes
routes += _catalog_trees.routes
routes += _customers.routes
routes += _customer_groups.routes
routes += _customer_attributes.routes
routes += _customer_accounts.routes
routes += _channels.routes
routes += _orders.routes
routes += _order_payments.routes
routes += _store.routes
routes += _hooks.routes
routes += _inventory.routes
routes += _metafields.routes
