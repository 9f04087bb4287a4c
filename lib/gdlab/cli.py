"""The ``gdlab`` command: ``release``, ``check``, ``grade``, ``samples`` and the instructor's
grading loop after ``grade``: ``formgrade``, ``feedback``, ``export``; each one step."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path


def _release(args: argparse.Namespace) -> int:
    from gdlab_autograde.course import course_root
    from gdlab_autograde.release import release

    root = course_root(args.course_dir)
    for path in release(root, args.assignments or None):
        print(f"released {path.relative_to(root)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from gdlab.selfcheck import check

    text, all_pass = check(Path(args.notebook), timeout=args.timeout, skip_demos=not args.all_cells)
    print(text)
    return 0 if all_pass else 1


def _grade(args: argparse.Namespace) -> int:
    from gdlab_autograde.course import CourseError, course_root
    from gdlab_autograde.grade import Grader
    from gdlab_autograde.grade_class import grade_all
    from gdlab_autograde.submission import printable

    positionals = [p for p in (args.assignment, args.submissions) if p is not None]
    if args.all and len(positionals) != 1:
        raise CourseError("with --all, give only the class folder: gdlab grade --all SUBMISSIONS --out OUT")
    if not args.all and len(positionals) != 2:
        raise CourseError(
            "give the assignment and the submissions (gdlab grade ASSIGNMENT SUBMISSIONS), or --all"
        )
    options = {
        "timeout": args.timeout,
        "keep_workspace": args.keep_workspace,
        "sandbox": not args.unsafe_no_sandbox,
        "cell_timeout": args.cell_timeout,
        "memory_mb": args.memory_mb,
    }
    root, out = course_root(args.course_dir), Path(args.out)
    failures: list[str] = []
    ignored: list[str] = []
    # A batch job stopped with SIGTERM stops like Ctrl-C: queued submissions dropped, workers killed.
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        if args.all:
            graded, failures = grade_all(
                root, Path(positionals[0]), out, jobs=args.jobs, progress=not args.quiet, **options
            )
        else:
            grader = Grader(
                root,
                args.assignment,
                Path(args.submissions),
                out,
                jobs=args.jobs,
                name_pattern=args.name_pattern,
                **options,
            )
            graded = {args.assignment: grader.run(progress=not args.quiet)}
            ignored = grader.intake.ignored
    except KeyboardInterrupt:
        print(
            f"gdlab grade: stopped before the end. The assignment it was grading has no rows in "
            f"{out / 'grades.csv'} now (earlier ones were moved to grades.previous.csv); run the same "
            "command again to grade the class.",
            file=sys.stderr,
        )
        return 130
    # Folder names, archive entries and messages come from students: escape control characters
    # (ANSI/OSC sequences) so that nothing of theirs reaches the terminal as it is.
    flagged = 0
    for assignment, results in graded.items():
        if args.all:
            print(f"{assignment}:")
        for r in results:
            flag = "" if r.status == "ok" else f"  [{printable(r.status)}] {printable(r.message)}"
            review = "".join(f"\n{'':<22}REVIEW {printable(line)}" for line in r.review)
            print(f"{printable(r.student_id):<20} {r.score:g}/{r.max_score:g}{flag}{review}")
        flagged += sum(1 for r in results if r.flags)
    for entry in ignored:
        print(f"ignored in the archive: {printable(entry)}")
    print(f"wrote {out / 'grades.csv'}, {out / 'gradebook.db'} and feedback in {out / 'feedback'}")
    print(f"next: grade the written answers with `gdlab formgrade {out}`, then `gdlab feedback {out}`")
    if flagged:
        print(f"{flagged} submission(s) flagged for your attention: see {out / 'audit.csv'}")
    for failure in failures:
        print(f"gdlab grade: error: {failure}", file=sys.stderr)
    return 2 if failures else 0


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _formgrade(args: argparse.Namespace) -> int:
    from gdlab_autograde.formgrade import formgrade

    return formgrade(Path(args.out), port=args.port)


def _feedback(args: argparse.Namespace) -> int:
    from gdlab_autograde.handback import write_all_feedback

    for path in write_all_feedback(Path(args.out), args.assignment):
        print(f"wrote {path}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from gdlab_autograde.export import export

    for path in export(Path(args.out)):
        print(f"wrote {path}")
    return 0


def _samples(args: argparse.Namespace) -> int:
    from gdlab_autograde.course import course_root
    from gdlab_autograde.samples import write_samples

    for path in write_samples(course_root(args.course_dir), args.assignment, Path(args.folder)):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``gdlab`` command."""
    parser = argparse.ArgumentParser(prog="gdlab", description="gdlab course tools")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("release", help="regenerate notebooks/ from solutions/ (nbgrader generate_assignment)")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--course-dir", help="course root (default: this checkout or $GDLAB_COURSE_DIR)")
    p.set_defaults(run=_release)

    p = sub.add_parser("check", help="run a notebook in a fresh kernel and report each exercise")
    p.add_argument("notebook", help="path to your .ipynb")
    p.add_argument("--timeout", type=int, default=120, help="seconds a cell may run (default 120)")
    p.add_argument(
        "--all-cells",
        action="store_true",
        help="also run the cells tagged `demo` and those after the last test (slower, same verdicts)",
    )
    p.set_defaults(run=_check)

    p = sub.add_parser(
        "grade", help="grade a class: a folder <student_id>/<ASSIGNMENT>/<ASSIGNMENT>.ipynb or an LMS zip"
    )
    p.add_argument("assignment", nargs="?", help="the assignment id (with --all: none)")
    p.add_argument("submissions", nargs="?", help="folder of submissions, or the .zip an LMS exports")
    p.add_argument(
        "--all",
        action="store_true",
        help="grade every assignment found in the class folder SUBMISSIONS in one run (one progress bar)",
    )
    p.add_argument(
        "--name-pattern",
        help="for a zip: regular expression with a (?P<student_id>...) group matched against each notebook's "
        "file name (default: the text before the first underscore, as in Canvas exports)",
    )
    p.add_argument("--out", required=True, help="output folder: grades.csv, gradebook.db, feedback/")
    p.add_argument(
        "--jobs", type=int, default=None, help="submissions graded at once (default: one more than the cores)"
    )
    p.add_argument(
        "--timeout", type=float, default=600, help="seconds one submission may take in all (default 600)"
    )
    p.add_argument("--course-dir", help="course root (default: this checkout or $GDLAB_COURSE_DIR)")
    p.add_argument(
        "--cell-timeout", type=int, default=None, help="seconds one cell may run (default: course config, 60)"
    )
    p.add_argument(
        "--memory-mb", type=int, default=None, help="memory limit of one submission's kernel (default 4096)"
    )
    p.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="grade without the bubblewrap sandbox: student code runs as you, with your files in reach",
    )
    p.add_argument("--keep-workspace", action="store_true", help="keep the grading workspace (debugging)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_grade)
    p = sub.add_parser(
        "formgrade", help="grade written answers in nbgrader's formgrader (JupyterLab on 127.0.0.1)"
    )
    p.add_argument("out", help="the --out folder of `gdlab grade`")
    p.add_argument("--port", type=int, default=8889, help="port on 127.0.0.1 (default 8889)")
    p.set_defaults(run=_formgrade)

    p = sub.add_parser(
        "feedback", help="rewrite the students' feedback with the scores and comments given so far"
    )
    p.add_argument("out", help="the --out folder of `gdlab grade`")
    p.add_argument("--assignment", help="only this assignment (default: every assignment graded in OUT)")
    p.set_defaults(run=_feedback)

    p = sub.add_parser(
        "export", help="final grades (auto + manual): final_grades.csv and a Canvas gradebook CSV"
    )
    p.add_argument("out", help="the --out folder of `gdlab grade`")
    p.set_defaults(run=_export)

    p = sub.add_parser("samples", help="write a demo class of submissions to try `gdlab grade` on")
    p.add_argument("assignment")
    p.add_argument("folder", help="an empty or new folder")
    p.add_argument("--course-dir", help="course root (default: this checkout or $GDLAB_COURSE_DIR)")
    p.set_defaults(run=_samples)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gdlab`` console command."""
    args = build_parser().parse_args(argv)
    if args.command == "grade":
        from gdlab_autograde.speedups import skip_iri_format_checker

        skip_iri_format_checker()  # before anything imports nbformat
    from gdlab.selfcheck import NotebookError
    from gdlab_autograde.course import CourseError

    try:
        return args.run(args)
    except (CourseError, NotebookError) as error:
        print(f"gdlab {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
