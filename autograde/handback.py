"""Feedback that tells the truth about its scores, made with nbgrader's ``GenerateFeedback``.

``FeedbackGrades`` is nbgrader's ``GetGrades`` plus what the template
(``templates/gdlab_feedback``) needs to say it plainly: a written answer nobody has
graded yet reads "not graded yet" instead of "0 / 3", and the total says which
points are still pending ("18/23 auto-graded; 5 points of written answers not
graded yet"). After the instructor graded in formgrader, the same run shows the
scores and comments. The feedback is made from the class's course directory
(``OUT``, see :mod:`gdlab_autograde.coursedir`) and handed back as
``OUT/feedback/<student>/<assignment>.html``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import GetGrades


def points(value: float) -> str:
    """A score as a student reads it: 3, 2.5."""
    return f"{round(value, 2):g}"


def worth(value: float) -> str:
    """ "1 point", "2.5 points"."""
    return f"{points(value)} point" + ("" if value == 1 else "s")


def summary(auto: float, auto_max: float, manual: float, manual_max: float, pending: float) -> str:
    """The feedback's total, saying which points are still pending."""
    if manual_max == 0:
        return f"Score: {points(auto)}/{points(auto_max)} (auto-graded)"
    if pending >= manual_max:
        return (
            f"{points(auto)}/{points(auto_max)} auto-graded; "
            f"{worth(pending)} of written answers not graded yet"
        )
    total, most = auto + manual, auto_max + manual_max
    if pending:
        return (
            f"{points(total)}/{points(most - pending)} so far ({points(auto)}/{points(auto_max)} auto-graded, "
            f"{points(manual)} for written answers); {worth(pending)} of written answers not graded yet"
        )
    return (
        f"Total: {points(total)}/{points(most)} ({points(auto)}/{points(auto_max)} auto-graded, "
        f"{points(manual)}/{points(manual_max)} for written answers)"
    )


class FeedbackGrades(GetGrades):
    """nbgrader's ``GetGrades``, plus per-cell labels and a total that name the pending points."""

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        self._tally = {"auto": 0.0, "auto_max": 0.0, "manual": 0.0, "manual_max": 0.0, "pending": 0.0}
        nb, resources = super().preprocess(nb, resources)
        t = self._tally
        resources["nbgrader"]["summary"] = summary(
            t["auto"], t["auto_max"], t["manual"], t["manual_max"], t["pending"]
        )
        return nb, resources

    def _get_score(self, cell: NotebookNode, resources: ResourcesDict) -> None:
        grade = self.gradebook.find_grade(
            cell.metadata["nbgrader"]["grade_id"], self.notebook_id, self.assignment_id, self.student_id
        )
        meta = cell.metadata.nbgrader
        meta["score"], meta["points"] = grade.score, grade.max_score
        written = grade.cell.cell_type != "code"
        meta["kind_label"] = "Written response" if written else "Test cell"
        pending = written and (grade.needs_manual_grade or grade.manual_score is None)
        if pending:
            meta["score_label"] = f"not graded yet, worth {worth(grade.max_score)}"
            self._tally["pending"] += grade.max_score
        else:
            meta["score_label"] = f"Score: {points(grade.score)} / {points(grade.max_score)}"
            self._tally["manual" if written else "auto"] += grade.score
        self._tally["manual_max" if written else "auto_max"] += grade.max_score


def generate_feedback(out: Path, assignment: str, student: str) -> Path | None:
    """Make ``student``'s feedback for ``assignment`` from the course directory ``out``.

    Writes ``out/feedback/<student>/<assignment>.html`` (atomically) and returns it,
    or removes a stale one and returns None when the student has no graded notebook.
    """
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    from gdlab_autograde.course import keep_cwd, load_config
    from gdlab_autograde.coursedir import autograded_path, feedback_postprocessors, feedback_template_dirs

    out = out.resolve()
    target = out / "feedback" / student / f"{assignment}.html"
    if not autograded_path(out, student, assignment).is_file():
        target.unlink(missing_ok=True)
        return None
    with tempfile.TemporaryDirectory(prefix="gdlab-feedback-", dir=out) as scratch:
        config = load_config(
            root=str(out),
            db_url=f"sqlite:///{out / 'gradebook.db'}",
            assignment_id=assignment,
            student_id=student,
            feedback_directory=scratch,
        )
        config.GenerateFeedback.force = True
        config.GenerateFeedback.preprocessors = [
            "gdlab_autograde.handback.FeedbackGrades",
            *feedback_postprocessors(),
        ]
        config.HTMLExporter.template_name = "gdlab_feedback"
        config.HTMLExporter.extra_template_basedirs = feedback_template_dirs()
        config.Application.log_level = "WARN"
        with keep_cwd():
            GenerateFeedback(coursedir=CourseDirectory(config=config), config=config).start()
        made = Path(scratch) / student / assignment / f"{assignment}.html"
        if not made.is_file():
            raise RuntimeError(f"nbgrader made no feedback for {student}/{assignment}")
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.tmp")
        shutil.copy(made, staged)
        staged.replace(target)
    return target


def graded_students(out: Path, assignment: str) -> list[str]:
    """The students with a graded notebook of ``assignment`` in the course directory."""
    folder = out / "autograded"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment / f"{assignment}.ipynb").is_file())


def write_all_feedback(out: Path, assignment: str | None = None) -> list[Path]:
    """Regenerate the feedback of every graded student (of ``assignment``, or of every assignment)."""
    from gdlab_autograde.coursedir import exclusive
    from gdlab_autograde.formgrade import check_graded_class

    check_graded_class(out)
    graded = (
        sorted(p.name for p in (out / "release").iterdir() if p.is_dir())
        if (out / "release").is_dir()
        else []
    )
    if assignment is not None and assignment not in graded:
        from gdlab_autograde.course import CourseError

        raise CourseError(f"{out} has no graded assignment {assignment!r}; it has {graded}")
    written = []
    with exclusive(out):
        for name in [assignment] if assignment else graded:
            for student in graded_students(out, name):
                path = generate_feedback(out, name, student)
                if path:
                    written.append(path)
    return written
