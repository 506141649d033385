"""The one error persistence raises for a data dir or file it can't use."""

from __future__ import annotations


class PersistenceError(Exception):
    """A data dir or data file that can't be used; the text is one line saying which and why."""
