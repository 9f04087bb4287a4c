"""Reading a submitted notebook on the trusted side: what counts as a student id and a notebook."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import nbformat

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$")
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


def load_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """Read a submitted notebook; return (notebook, note) or (None, why it is malformed)."""
    if not path.is_file():
        return None, f"no {path.name} in the submission"
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        return (
            None,
            f"{path.name} is {path.stat().st_size / 1e6:.0f} MB (limit {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB)",
        )
    try:
        raw = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        return None, f"not valid JSON ({str(error)[:120]})"
    if not isinstance(raw, dict) or not isinstance(raw.get("nbformat"), int):
        return None, "not a Jupyter notebook (no nbformat version)"
    note = ""
    try:
        with warnings.catch_warnings():  # duplicate cell ids are repaired; the audit reports tampering
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(json.dumps(raw), as_version=4)
            if raw["nbformat"] < 4:
                note = f"converted from nbformat {raw['nbformat']} to 4"
            nbformat.validate(notebook)
    except Exception as error:  # noqa: BLE001 - any reader error means the file is malformed
        return None, f"not a valid notebook ({type(error).__name__}: {str(error)[:160]})"
    return notebook, note
