"""storefake: a high-fidelity fake of Adobe Commerce (ACCS) and BigCommerce REST APIs."""

from __future__ import annotations

from storefake.app import create_app
from storefake.clock import Clock
from storefake.config import Config
from storefake.interception import mock
from storefake.journal import Journal, JournalEntry
from storefake.runtime import Fake
from storefake.server import ThreadedServer
from storefake.targets import LiveSettings, Target

__all__ = [
    "Clock",
    "Config",
    "Fake",
    "Journal",
    "JournalEntry",
    "LiveSettings",
    "Target",
    "ThreadedServer",
    "create_app",
    "mock",
]
__version__ = "0.1.0"
