"""Hostile and careless submissions that attack the grader's intake, not the kernel.

Each kind is written into a class folder (or an LMS zip) beside honest students.
``FOLDER_KINDS`` and ``ZIP_KINDS`` say, per student, what must come of it: the
status, the audit flag and the most the row may score. The honest students of the
toy course score 5 (``ann``, complete) and 3 (``ben``, ``triple`` wrong); every
in-kernel attack rides on ``ben``'s notebook, so it may score at most 3.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from tests.toy_course import ASSIGNMENT, submission

MARKER = "gdlab-intake-9c2e"  # names what the attacks try to leave behind
SECRET = "intake-secret-5d1f0a"  # GDLAB_GRADING_SECRET of the grading run
CLOUD_KEY = "AKIAFAKECLOUDKEY7Q2Z"  # a fake cloud key in the instructor's environment
NOTEBOOK = f"{ASSIGNMENT}.ipynb"


@dataclass
class Expect:
    """What grading one student must give."""

    status: str
    flag: str | None
    max_score: float
    kind: str


def honest() -> nbformat.NotebookNode:
    return submission()


def partial(extra: str = "") -> nbformat.NotebookNode:
    return submission(triple="x", extra=extra)


def _path(subs: Path, student: str) -> Path:
    path = subs / student / ASSIGNMENT / NOTEBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write(subs: Path, student: str, content: nbformat.NotebookNode | str | bytes) -> None:
    path = _path(subs, student)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else nbformat.writes(content))


def bad_nbgrader_metadata(on_known_cell: bool) -> str:
    """``metadata.nbgrader`` that is not a dict, or holds fields of the wrong type, here and there."""
    nb = partial()
    if on_known_cell:
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_triple":
                cell.metadata["nbgrader"] = None
    nb.metadata["nbgrader"] = 7
    nb.cells.append(new_code_cell("x_ = 1", metadata={"nbgrader": "solution"}))
    nb.cells.append(new_code_cell("y_ = 2", metadata={"nbgrader": [1, 2]}))
    nb.cells.append(
        new_code_cell("z_ = 3", metadata={"nbgrader": {"grade_id": ["a"], "points": "many", "grade": "yes"}})
    )
    return nbformat.writes(nb)


def huge_notebook(cells: int) -> str:
    """A valid notebook of ``cells`` empty raw cells."""
    nb = json.loads(nbformat.writes(partial()))
    nb["cells"] += [{"cell_type": "raw", "metadata": {}, "source": ""}] * cells
    return json.dumps(nb)


DISK_FILL = f"""
import os, tempfile
written = 0
for folder in (os.getcwd(), tempfile.gettempdir()):
    for i in range(40):
        try:
            with open(os.path.join(folder, "{MARKER}-fill-%d" % i), "wb") as f:
                for _ in range(32):
                    f.write(b"x" * 2**20)
                    written += 2**20
        except OSError as error:
            print("stopped:", error)
            break
print("written", written)
"""

PRIVATE_DIR_WRITE = f"""
import os
from ipykernel import get_connection_file
private = os.path.dirname(get_connection_file())
try:
    with open(os.path.join(private, "{MARKER}-private"), "wb") as f:
        for _ in range(200):
            f.write(b"x" * 2**20)
except OSError as error:
    print("refused:", error)
"""

LOG_FORGE = f"""
import os
line = "\\nERROR {MARKER}-forged worker log line\\n".encode()
for path in ("/proc/self/fd/1", "/proc/self/fd/2", "/proc/1/fd/1", "/proc/1/fd/2"):
    try:
        with open(path, "wb") as f:
            f.write(line)
    except OSError as error:
        print(path, error)
import stat
for fd in range(0, 256):  # any inherited descriptor of a file (a log) or pipe, not the kernel's sockets
    try:
        mode = os.fstat(fd).st_mode
        if fd < 3 or stat.S_ISREG(mode) or stat.S_ISFIFO(mode):
            os.write(fd, line)
            print("wrote to descriptor", fd)
    except OSError:
        pass
"""

READ_ENVIRON = """
import os
for path in ("/proc/1/environ", "/proc/self/environ", "/proc/2/environ"):
    try:
        print(path, open(path, "rb").read().decode(errors="replace"))
    except OSError as error:
        print(path, error)
print(dict(os.environ))
"""

SLOW = "import time\ntime.sleep(10)"


def write_folder_class(subs: Path, course: Path) -> dict[str, Expect]:
    """Write the class folder; return what each student's row must be."""
    solution = course / "solutions" / ASSIGNMENT / NOTEBOOK
    kinds: dict[str, Expect] = {}

    def add(student: str, expect: Expect, content: nbformat.NotebookNode | str | bytes | None = None) -> None:
        kinds[student] = expect
        if content is not None:
            _write(subs, student, content)

    add("ann", Expect("ok", None, 5, "honest, complete"), honest())
    add("ben", Expect("ok", None, 3, "honest, one exercise wrong"), partial())

    # The longest id an LMS may issue: socket paths in its workspace must still fit.
    add("long_" + "x" * 95, Expect("ok", None, 5, "honest, a 100-character id"), honest())

    refused = "refused submission"
    kinds["link_notebook"] = Expect(refused, refused, 0, "notebook is a symlink to solutions/")
    _path(subs, "link_notebook").symlink_to(solution)
    kinds["link_folder"] = Expect(refused, refused, 0, "assignment folder is a symlink to solutions/")
    (subs / "link_folder").mkdir()
    (subs / "link_folder" / ASSIGNMENT).symlink_to(solution.parent)
    kinds["link_student"] = Expect(refused, refused, 0, "student folder is a symlink to another's")
    (subs / "link_student").symlink_to(subs / "ann")
    kinds["fifo"] = Expect(refused, refused, 0, "notebook is a FIFO")
    os.mkfifo(_path(subs, "fifo"), 0o644)
    if os.geteuid() == 0:
        kinds["device"] = Expect(refused, refused, 0, "notebook is a character device")
        os.mknod(_path(subs, "device"), stat.S_IFCHR | 0o644, os.makedev(1, 3))
    kinds["hard_link"] = Expect(refused, refused, 0, "notebook is a hard link to the solution")
    os.link(solution, _path(subs, "hard_link"))

    invalid = "invalid student id"
    kinds["eve\\x0a"] = Expect(invalid, "malformed submission", 0, "id ending in a newline")
    _write(subs, "eve\n", honest())
    ansi = "\x1b]0;owned\x07\x1b[2J\x1b[31mred"
    kinds["\\x1b]0;owned\\x07\\x1b[2J\\x1b[31mred"] = Expect(
        invalid, "malformed submission", 0, "ANSI/OSC id"
    )
    _write(subs, ansi, honest())

    malformed = "malformed notebook"
    add("deep_json", Expect(malformed, malformed, 0, "JSON past the decoder's recursion limit"),
        "[" * 200_000 + "]" * 200_000)  # fmt: skip
    deep = json.loads(nbformat.writes(partial()))
    deep["metadata"]["x"] = json.loads("[" * 500 + "]" * 500)
    add("deep_metadata", Expect(malformed, malformed, 0, "metadata nested 500 deep"), json.dumps(deep))
    add(
        "nbgrader_not_dict",
        Expect("ok", malformed, 3, "metadata.nbgrader not a dict"),
        bad_nbgrader_metadata(False),
    )
    add(
        "nbgrader_on_test",
        Expect("ok", "tamper attempt", 3, "a test cell's metadata.nbgrader is null"),
        bad_nbgrader_metadata(True),
    )
    odd = json.loads(nbformat.writes(partial()))
    odd["cells"] += [7, "cell", None]
    add("cells_not_dicts", Expect(malformed, malformed, 0, "cells of unexpected types"), json.dumps(odd))
    odd = json.loads(nbformat.writes(partial()))
    odd["cells"][2]["outputs"] = ["text", 5, {"output_type": 3}]
    add("outputs_not_dicts", Expect(malformed, malformed, 0, "outputs of unexpected types"), json.dumps(odd))
    add("300k_cells", Expect(malformed, malformed, 0, "300,000 cells, 15 MB"), huge_notebook(300_000))
    add("2k_cells", Expect(malformed, malformed, 0, "2,000 cells under the byte cap"), huge_notebook(2_000))

    add("disk_fill", Expect("ok", None, 3, "fills its working folder and /tmp"), partial(DISK_FILL))
    add("private_dir", Expect("ok", None, 3, "writes into the sockets' folder"), partial(PRIVATE_DIR_WRITE))
    add("log_forge", Expect("ok", None, 3, "writes the worker's log via inherited fds"), partial(LOG_FORGE))
    add("environ", Expect("ok", None, 3, "reads bubblewrap's /proc/1/environ"), partial(READ_ENVIRON))
    slow = partial()
    slow.cells += [new_code_cell(SLOW) for _ in range(15)]  # 150 s, each cell under --cell-timeout
    add("over_time", Expect("timeout", "timeout", 0, "stopped by the per-submission --timeout"), slow)
    return kinds


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def write_zip_class(archive: Path) -> dict[str, Expect]:
    """Write an LMS export mixing honest and hostile entries; return what each row must be."""
    full, part = nbformat.writes(honest()).encode(), nbformat.writes(partial()).encode()
    refused = "refused submission"
    kinds = {
        "ann": Expect("ok", None, 5, "honest, complete"),
        "ben": Expect("ok", None, 3, "honest, one exercise wrong"),
        "notzip": Expect(refused, refused, 0, "a .zip entry that is not an archive"),
        "dup": Expect("ambiguous submission", "ambiguous submission", 0, "two notebooks for one student"),
        "kim": Expect("ok", None, 3, "a nested archive duplicating her own notebook"),
        "evil": Expect(refused, refused, 0, "an entry whose path leaves the extraction folder"),
        "bomb": Expect(refused, refused, 0, "a nested zip bomb under the declared size"),
        "deep": Expect(refused, refused, 0, "archives nested three deep"),
        "mallet": Expect(
            "malformed notebook", "tamper attempt", 0, "a nested archive naming another's notebook"
        ),
        "sym": Expect(refused, refused, 0, "an entry that is a symbolic link"),
    }
    zeros = b"\0" * (8 * 2**20)
    bomb = _zip_bytes({f"part{i}.ipynb": zeros for i in range(24)})
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"ann_1001_2001_{NOTEBOOK}", full)
        zf.writestr(f"ben_1002_2002_{NOTEBOOK}", part)
        zf.writestr(f"notzip_1003_2003_{ASSIGNMENT}.zip", b"PK but not really an archive")
        zf.writestr("grades_export.csv.gz", gzip.compress(b"student,score\nann,99\n"))
        zf.writestr("readme.txt", b"not a submission")
        zf.writestr(f"dup_1004_2004_{NOTEBOOK}", full)
        zf.writestr(f"dup_1004_2005_{NOTEBOOK}", part)
        zf.writestr(f"kim_1005_2006_{NOTEBOOK}", part)
        zf.writestr(f"kim_1005_2007_{ASSIGNMENT}.zip", _zip_bytes({f"kim_1005_2006_{NOTEBOOK}": part}))
        zf.writestr(f"../../evil_1006_2008_{NOTEBOOK}", full)
        zf.writestr(f"bomb_1007_2009_{ASSIGNMENT}.zip", _zip_bytes({"inner.zip": bomb}))
        three_deep = _zip_bytes({"a.zip": _zip_bytes({"b.zip": _zip_bytes({NOTEBOOK: full})})})
        zf.writestr(f"deep_1008_2010_{ASSIGNMENT}.zip", three_deep)
        # mallet hides a broken notebook named after ben in his own archive: it is mallet's, not ben's.
        zf.writestr(
            f"mallet_1009_2011_{ASSIGNMENT}.zip", _zip_bytes({f"ben_1002_2002_{NOTEBOOK}": b"{broken"})
        )
        link = zipfile.ZipInfo(f"sym_1010_2012_{NOTEBOOK}")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "../../solutions/toy/toy.ipynb")
    return kinds
