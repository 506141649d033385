"""storefake: a high-fidelity fake of Adobe Commerce (ACCS) and BigCommerce REST APIs."""

from __future__ import annotations

from storefake.app import create_app
from storefake.clock import Clock
from storefake.config import Config
from storefake.journal import Journal, JournalEntry
from storefake.runtime import Fake

__all__ = ["Clock", "Config", "Fake", "Journal", "JournalEntry", "create_app"]
__version__ = "0.1.0"
