"""Speed-ups of gdlab's grading processes (the ``gdlab grade`` parent and its workers) that change
no result: a faster start-up, and templates compiled once per process."""

from __future__ import annotations

import sys

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


def skip_iri_format_checker() -> None:
    """Keep jsonschema from loading ``rfc3987_syntax`` (call before anything imports nbformat).

    jsonschema registers an "iri" format checker when ``rfc3987_syntax`` is installed (it comes
    with jupyter-events), and that package compiles a Lark grammar at import: 1-6 s in every
    process that imports nbformat. Notebook validation never uses the "iri" format; without the
    package jsonschema just has no checker for it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type] - None makes its import fail


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates kept in this process's memory.

    nbconvert makes a new Jinja environment for every exporter, and nbgrader a new exporter for
    every student's feedback, so the same templates were parsed and compiled again each time
    (about 0.8 s of a 1.2 s feedback page). Jinja keys each entry by the template's name and
    file and checks the source's checksum, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` with the template's compiled code, if kept."""
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the template's compiled code."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


#: shared by every feedback exporter of the process
TEMPLATE_CACHE = MemoryBytecodeCache()
