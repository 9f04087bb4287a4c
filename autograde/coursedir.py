"""The graded class as an nbgrader course directory, so nbgrader's own formgrader works on it.

``gdlab grade ... --out OUT`` makes ``OUT`` a course directory in nbgrader's layout:

- ``OUT/nbgrader_config.py``: gdlab's nbgrader configuration, with this layout on top;
- ``OUT/gradebook.db``: the one gradebook (auto scores after the probes, manual grades);
- ``OUT/source/<assignment>/`` and ``OUT/release/<assignment>/``: the assignment as graded;
- ``OUT/autograded/<student>/<assignment>/<assignment>.ipynb``: each graded notebook.

Submissions themselves are not copied in (no ``submitted/``), so nothing in the
course directory invites running student code outside the sandbox. The graded
notebooks are made safe to open in the instructor's browser first
(:func:`safe_to_view`): formgrader renders a notebook's HTML as is, inside the
JupyterLab session, where a student's script could act with the instructor's rights.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat

from gdlab_autograde.course import CONFIG_FILE, CourseError

LOCK_NAME = ".gdlab-grade.lock"
NBGRADER_FEEDBACK = "nbgrader_feedback"  # where formgrader's own "generate feedback" button writes

COURSE_CONFIG = '''"""nbgrader configuration of this graded class (written by `gdlab grade`; rewritten on each run).

It loads gdlab's course configuration (feedback without hidden tests, ...) and sets
this folder's layout: nbgrader's formgrader, `nbgrader export` and `gdlab feedback`
read it when run in this folder.
"""

c = get_config()  # noqa: F821 - provided by traitlets
load_subconfig({config!r})  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.feedback_directory = {feedback!r}
c.CourseDirectory.db_url = {db_url!r}
# `nbgrader export` writes here, never over gdlab's grades.csv.
c.CsvExportPlugin.to = "nbgrader_grades.csv"
# formgrader's own "generate feedback" (into {feedback}/) hides hidden tests too; the feedback
# to hand back, with its "not graded yet" labels, is `gdlab feedback` (into feedback/).
c.GenerateFeedback.preprocessors = ["gdlab_autograde.handback.FeedbackGrades", *{post!r}]
'''


def feedback_template_dirs() -> list[str]:
    """Template folders for the feedback: gdlab's own, then nbgrader's (whose template it extends)."""
    import nbgrader

    nbgrader_templates = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
    return [str(Path(__file__).parent / "templates"), str(nbgrader_templates)]


def feedback_postprocessors() -> list[str]:
    """The course's feedback preprocessors after nbgrader's ``GetGrades`` (hiding hidden tests, ...)."""
    from gdlab_autograde.course import load_config

    configured = list(load_config().GenerateFeedback.get("preprocessors", []))
    return [
        p if isinstance(p, str) else f"{p.__module__}.{p.__name__}"
        for p in configured
        if "GetGrades" not in str(p)
    ]


def write_course_config(out: Path) -> None:
    """Write ``OUT/nbgrader_config.py`` for this layout."""
    out = out.resolve()
    text = COURSE_CONFIG.format(
        config=str(CONFIG_FILE),
        root=str(out),
        feedback=NBGRADER_FEEDBACK,
        db_url=f"sqlite:///{out / 'gradebook.db'}",
        post=feedback_postprocessors(),
    )
    tmp = out / "nbgrader_config.py.tmp"
    tmp.write_text(text)
    tmp.replace(out / "nbgrader_config.py")


def install_assignment(out: Path, root: Path, assignment: str, released: Path) -> None:
    """Put the assignment as graded into ``OUT/source/`` and ``OUT/release/``."""
    for folder, origin in (("source", root / "solutions" / assignment), ("release", released)):
        target = out / folder / assignment
        staging = out / folder / f".{assignment}.new"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(origin, staging, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)


def autograded_path(out: Path, student: str, assignment: str) -> Path:
    """Where the graded notebook of ``student`` lives in the course directory."""
    return out / "autograded" / student / assignment / f"{assignment}.ipynb"


def read_autograded(path: Path) -> nbformat.NotebookNode | None:
    """A graded notebook, or None when there is none (or it cannot be read)."""
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None


ACTIVE_OUTPUTS = ("application/javascript", "text/javascript", "image/svg+xml")
HTML_OUTPUTS = ("text/html", "text/markdown")


def safe_to_view(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with no HTML that could run in a browser: markdown, raw and HTML outputs
    cleaned by nbconvert's ``clean_html`` (bleach; a ``<script>`` shows as text), script and
    SVG outputs dropped. Deterministic, so answer checksums compare across runs."""
    from nbconvert.filters import clean_html

    for cell in notebook.cells:
        if cell.cell_type in ("markdown", "raw") and "<" in cell.source:
            cell.source = str(clean_html(cell.source))
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            for mime in ACTIVE_OUTPUTS:
                data.pop(mime, None)
            for mime in HTML_OUTPUTS:
                if mime in data:
                    text = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                    data[mime] = str(clean_html(text))
    return notebook


def install_autograded(
    out: Path, student: str, assignment: str, graded: Path | None, probe_notes: dict[str, str] | None = None
) -> None:
    """Replace the student's graded notebook in the course directory (remove it when ``graded`` is None).

    ``probe_notes`` (grade_id -> description) names the test cells whose trusted probe disagreed:
    each gets an error output saying so, written here on the trusted side, so formgrader and every
    later ``gdlab feedback`` show why the cell scored 0.
    """
    target = autograded_path(out, student, assignment).parent
    if graded is None or not graded.is_dir():
        shutil.rmtree(target, ignore_errors=True)
        return
    staging = target.with_name(f".{assignment}.new")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(graded, staging, ignore=shutil.ignore_patterns(f"{assignment}.ipynb"))
    notebook = read_autograded(graded / f"{assignment}.ipynb")
    if notebook is not None:
        note_failed_probes(notebook, probe_notes or {})
        nbformat.write(safe_to_view(notebook), staging / f"{assignment}.ipynb")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def note_failed_probes(notebook: nbformat.NotebookNode, probe_notes: dict[str, str]) -> None:
    """Add the trusted "the grader's own check failed" error output to each test cell in ``probe_notes``."""
    from gdlab_autograde.feedback import GENERIC_PROBE, PROBE_FAILED

    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not isinstance(meta, dict) or meta.get("grade_id") not in probe_notes:
            continue
        note = f"{PROBE_FAILED}: {probe_notes[meta['grade_id']] or GENERIC_PROBE}"
        cell.setdefault("outputs", []).append(
            nbformat.NotebookNode(
                output_type="error", ename="ProbeCheckFailed", evalue=note, traceback=[note]
            )
        )


@contextlib.contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold the class's grading lock: a second ``gdlab grade`` on the same OUT refuses to run."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 100, 0).decode(errors="replace").strip() or "another process"
            raise CourseError(
                f"{out} is being graded by {holder} right now; wait for it to finish "
                "(two runs at once would corrupt the gradebook)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"gdlab grade (pid {os.getpid()})".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock
