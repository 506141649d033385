"""storefake's pytest plugin (pytest11 entry point): options, markers, contract items and fixtures."""

from __future__ import annotations
