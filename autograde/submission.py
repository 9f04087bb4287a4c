"""Reading a submitted notebook on the trusted side: what counts as a student id and a notebook.

A submission is read as a student could have made it: every path component is
opened without following links (``O_NOFOLLOW``, relative to the folder opened
before it, so nothing can be swapped in between), the notebook must be a regular
file with one name (a hard link could be a link to the solutions), and its size,
number of cells and nesting are capped before anything parses it further.
"""

from __future__ import annotations

import json
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

# What an LMS issues as a student id. ``\Z``, not ``$``: ``$`` also matches before a final newline.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}\Z")
MAX_NOTEBOOK_BYTES = 8 * 1024 * 1024
MAX_CELLS = 1000
MAX_JSON_DEPTH = 64  # a notebook is about 6 levels deep; outputs with nested JSON add a few

# Control characters, C1 controls (ANSI/OSC escapes), invisible and bidirectional marks,
# and lone surrogates (undecodable bytes of a file name): shown escaped, never as they are.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")

# nbgrader's cell metadata fields and the types its preprocessors assume.
NBGRADER_FIELDS: dict[str, tuple[type, ...]] = {
    "grade": (bool,),
    "solution": (bool,),
    "locked": (bool,),
    "task": (bool,),
    "points": (int, float),
    "grade_id": (str,),
    "schema_version": (int,),
    "cell_type": (str,),
    "checksum": (str,),
}


def valid_student_id(name: str) -> bool:
    """Whether ``name`` is a student id as an LMS issues them (letters, digits, ``_ . @ + -``)."""
    return STUDENT_ID.fullmatch(name) is not None


def printable(text: str) -> str:
    """``text`` with control and invisible characters escaped (``\\x1b``, ``\\n``, ``\\u202e``)."""

    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


@dataclass
class Submitted:
    """What reading a submission gave: a notebook, or why there is none (``status``, ``message``)."""

    notebook: nbformat.NotebookNode | None
    status: str = "ok"
    message: str = ""


def read_submission(folder: Path, parts: list[str]) -> Submitted:
    """Read the notebook at ``folder/parts[0]/.../parts[-1]``, refusing anything but real folders and one regular file.

    ``folder`` is the instructor's (it may be a link); everything below it is the
    student's, opened component by component with ``O_NOFOLLOW``.
    """
    shown = "/".join(printable(p) for p in parts)
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        return Submitted(None, "missing notebook", f"cannot open {folder}: {error.strerror}")
    try:
        for depth, part in enumerate(parts[:-1]):
            kind = _entry_kind(fd, part)
            where = "/".join(printable(p) for p in parts[: depth + 1])
            if kind is None:
                return Submitted(None, "missing notebook", f"expected {shown}")
            if kind != "folder":
                return Submitted(None, "refused submission", f"{where} is {kind}, not a folder")
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        return _read_regular_file(fd, parts[-1], shown)
    except OSError as error:  # swapped while read, or unreadable: never followed, never fatal
        return Submitted(None, "refused submission", f"{shown} could not be read safely: {error.strerror}")
    finally:
        os.close(fd)


def _entry_kind(dir_fd: int, name: str) -> str | None:
    """What ``name`` is in the folder ``dir_fd``, without following a link; ``None`` if absent."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_regular_file(dir_fd: int, name: str, shown: str) -> Submitted:
    """Open ``name`` (no link followed, no FIFO waited on) and read it if it is one regular file."""
    kind = _entry_kind(dir_fd, name)
    if kind is None:
        return Submitted(None, "missing notebook", f"expected {shown}")
    if kind != "file":  # decided before opening: opening a device or FIFO can itself do things
        return Submitted(None, "refused submission", f"{shown} is {kind}, not a regular file")
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)  # what was opened decides, not what was there a moment before
        if not stat.S_ISREG(info.st_mode):
            return Submitted(None, "refused submission", f"{shown} is not a regular file")
        if info.st_nlink > 1:
            return Submitted(
                None,
                "refused submission",
                f"{shown} is a hard link ({info.st_nlink} names for one file): copy it to grade it",
            )
        if info.st_size > MAX_NOTEBOOK_BYTES:
            return Submitted(None, "malformed notebook", _too_big(name, info.st_size))
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_NOTEBOOK_BYTES:  # grew while read
                return Submitted(None, "malformed notebook", _too_big(name, size))
    finally:
        os.close(fd)
    notebook, note = parse_notebook(b"".join(chunks))
    if notebook is None:
        return Submitted(None, "malformed notebook", note)
    return Submitted(notebook, "ok", note)


def _too_big(name: str, size: int) -> str:
    return f"{printable(name)} is {size / 1e6:.1f} MB (limit {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB)"


def load_submission(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    """Read the notebook file at ``path`` (its last component not followed); (notebook, note) or (None, why)."""
    submitted = read_submission(path.parent, [path.name])
    if submitted.notebook is None:
        return None, submitted.message
    return submitted.notebook, submitted.message


def parse_notebook(data: bytes) -> tuple[nbformat.NotebookNode | None, str]:
    """Parse a notebook's bytes; (notebook, note about repairs) or (None, why it is malformed)."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        return None, f"{len(data) / 1e6:.1f} MB (limit {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB)"
    try:
        raw = json.loads(data)
    except RecursionError:
        return None, "not a notebook: JSON nested too deeply to read"
    except (ValueError, UnicodeDecodeError) as error:
        return None, f"not valid JSON ({printable(str(error)[:120])})"
    depth = json_depth(raw)
    if depth > MAX_JSON_DEPTH:
        return None, f"not a notebook: JSON nested {depth} levels deep (limit {MAX_JSON_DEPTH})"
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("nbformat"), int)
        or isinstance(raw["nbformat"], bool)
    ):
        return None, "not a Jupyter notebook (no nbformat version)"
    cells = raw.get("cells", raw.get("worksheets", []))
    if isinstance(cells, list) and len(cells) > MAX_CELLS:
        return None, f"{len(cells)} cells (limit {MAX_CELLS}): not graded"
    notes = []
    try:
        with warnings.catch_warnings():  # duplicate cell ids are repaired; the audit reports tampering
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(json.dumps(raw), as_version=4)
            if raw["nbformat"] < 4:
                notes.append(f"converted from nbformat {raw['nbformat']} to 4")
            nbformat.validate(notebook)
            if len(notebook.cells) > MAX_CELLS:
                return None, f"{len(notebook.cells)} cells (limit {MAX_CELLS}): not graded"
            notes += repair_nbgrader_metadata(notebook)
    except Exception as error:  # noqa: BLE001 - any reader error means the file is malformed
        return None, f"not a valid notebook ({type(error).__name__}: {printable(str(error)[:160])})"
    return notebook, "; ".join(notes)


def json_depth(value: object) -> int:
    """How deeply ``value`` nests lists and objects (without recursion, so any depth is safe)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            items = item.values()
        elif isinstance(item, list):
            items = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in items)
    return deepest


def repair_nbgrader_metadata(notebook: nbformat.NotebookNode) -> list[str]:
    """Drop ``metadata.nbgrader`` that nbgrader could not read (not a dict, fields of the wrong type).

    A student's cell has no business carrying nbgrader metadata nbgrader itself
    would not write; the grader restores every cell it knows by ``grade_id``.
    """
    notes = []
    if "nbgrader" in notebook.metadata and not isinstance(notebook.metadata["nbgrader"], dict):
        notes.append(
            f"notebook metadata.nbgrader was a {type(notebook.metadata['nbgrader']).__name__} (dropped)"
        )
        del notebook.metadata["nbgrader"]
    for index, cell in enumerate(notebook.cells):
        if "nbgrader" not in cell.metadata:
            continue
        meta = cell.metadata["nbgrader"]
        problem = ""
        if not isinstance(meta, dict):
            problem = f"a {type(meta).__name__}"
        else:
            wrong = [
                key
                for key, types in NBGRADER_FIELDS.items()
                if key in meta
                and (not isinstance(meta[key], types) or (bool not in types and isinstance(meta[key], bool)))
            ]
            if wrong:
                problem = f"of the wrong type in {', '.join(wrong)}"
        if problem:
            notes.append(f"cell {index}: metadata.nbgrader {problem} (dropped)")
            del cell.metadata["nbgrader"]
    return notes
