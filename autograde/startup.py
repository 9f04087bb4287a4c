"""Faster start-up of gdlab's grading processes (the ``gdlab grade`` parent and its workers)."""

from __future__ import annotations

import sys


def skip_iri_format_checker() -> None:
    """Keep jsonschema from loading ``rfc3987_syntax`` (call before anything imports nbformat).

    jsonschema registers an "iri" format checker when ``rfc3987_syntax`` is installed (it comes
    with jupyter-events), and that package compiles a Lark grammar at import: 1-6 s in every
    process that imports nbformat. Notebook validation never uses the "iri" format; without the
    package jsonschema just has no checker for it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type] - None makes its import fail
