"""`python -m storefake ...` runs the `storefake` command."""

from __future__ import annotations

from storefake.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
