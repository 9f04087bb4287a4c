"""The ``gdlab`` command: release, check and grade."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gdlab`` console command."""
    print("gdlab: not yet", file=sys.stderr)
    return 2
