"""The grading pipeline (`gdlab grade`) on a small course: statuses, idempotence, no stale grades."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.sandbox_flags import GRADE_FLAGS
from tests.toy_course import ASSIGNMENT, NEGATIVE, ZERO, make_course, submission, write_submission

pytestmark = pytest.mark.slow
GDLAB = [sys.executable, "-m", "gdlab.cli"]


def grade(course: Path, submissions: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            *GDLAB,
            "grade",
            ASSIGNMENT,
            str(submissions),
            "--out",
            str(out),
            "--course-dir",
            str(course),
            "--quiet",
            *GRADE_FLAGS,
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def rows(out: Path) -> dict[str, dict]:
    with (out / "grades.csv").open() as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return make_course(tmp_path / "course")


def test_a_mixed_class_is_graded_with_a_status_each(course: Path, tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    write_submission(subs, "full", submission())
    write_submission(subs, "partial", submission(triple="3 + x"))
    write_submission(subs, "hidden_only", submission(double="abs(2 * x)"))
    write_submission(subs, "broken_json", "{not json")
    write_submission(subs, "not_a_notebook", '{"cells": []}')
    write_submission(
        subs, "nbformat3", nbformat.writes(nbformat.v3.convert.downgrade(submission()), version=3)
    )
    write_submission(subs, "crash", submission(extra="import os\nos._exit(1)"))
    (subs / "no_notebook" / ASSIGNMENT).mkdir(parents=True)
    before = digest(subs)
    out = tmp_path / "out"
    run = grade(course, subs, out)
    assert run.returncode == 0, run.stderr
    got = rows(out)
    assert {s: (r["score"], r["status"]) for s, r in got.items()} == {
        "full": ("5", "ok"),
        "partial": ("3", "ok"),
        "hidden_only": ("2", "ok"),
        "broken_json": ("0", "malformed notebook"),
        "not_a_notebook": ("0", "malformed notebook"),
        "nbformat3": ("5", "ok"),
        "crash": ("5", "kernel died"),  # the points earned before the crash are kept
        "no_notebook": ("0", "missing notebook"),
    }
    assert all(r["max_score"] == "5" and r["manual_max_score"] == "1" for r in got.values())
    assert "converted from nbformat 3" in got["nbformat3"]["message"]
    assert digest(subs) == before, "grading modified a submission"
    # Feedback: visible tests shown, hidden ones never; a failed hidden group is named by its
    # description only (the group that passed is not named, the code and inputs never shown).
    page = (out / "feedback" / "hidden_only" / f"{ASSIGNMENT}.html").read_text()
    assert "double(2)" in page and "secret_" not in page
    assert f"hidden check failed: {NEGATIVE}" in page and f"hidden check failed: {ZERO}" not in page
    assert "hidden check failed" not in (out / "feedback" / "full" / f"{ASSIGNMENT}.html").read_text()
    assert "secret_" not in (out / "feedback" / "full" / f"{ASSIGNMENT}.html").read_text()
    assert not (out / "feedback" / "broken_json").exists()


def test_regrading_is_idempotent_and_leaves_no_stale_grade(course: Path, tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", submission())
    write_submission(subs, "ben", submission(triple="x"))
    assert grade(course, subs, out).returncode == 0
    first = (out / "grades.csv").read_text()
    assert grade(course, subs, out).returncode == 0
    assert (out / "grades.csv").read_text() == first
    # ann's notebook is replaced by a broken one: her old 5 points must not survive.
    write_submission(subs, "ann", b"\x00garbage")
    assert grade(course, subs, out).returncode == 0
    assert rows(out)["ann"]["score"] == "0" and rows(out)["ann"]["status"] == "malformed notebook"
    assert not (out / "feedback" / "ann" / f"{ASSIGNMENT}.html").exists()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        assert gb.find_submission(ASSIGNMENT, "ann").score == 0
        assert gb.find_submission(ASSIGNMENT, "ben").score == 3


def test_rows_of_other_assignments_are_kept(course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "grades.csv").write_text(
        "student_id,assignment,score,max_score,manual_max_score,status,message\nzoe,other,7,9,1,ok,\n"
    )
    subs = tmp_path / "subs"
    write_submission(subs, "ann", submission())
    assert grade(course, subs, out).returncode == 0
    assert (rows(out)["zoe"]["assignment"], rows(out)["zoe"]["score"]) == ("other", "7")


def test_grading_that_cannot_run_exits_non_zero_with_a_clear_message(course: Path, tmp_path: Path) -> None:
    run = grade(course, tmp_path / "does-not-exist", tmp_path / "out")
    assert run.returncode == 2 and "does not exist" in run.stderr
    run = subprocess.run(
        [*GDLAB, "grade", "nope", str(tmp_path), "--out", str(tmp_path / "o"), "--course-dir", str(course)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "unknown assignment 'nope'" in run.stderr


def test_an_lms_zip_is_collected_with_zip_collect(course: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"kim_1234_5678_{ASSIGNMENT}.ipynb", nbformat.writes(submission()))
        zf.writestr(f"lee_2345_6789_{ASSIGNMENT}.ipynb", nbformat.writes(submission(triple="x")))
        zf.writestr("readme.txt", "not a submission")
    out = tmp_path / "out"
    run = grade(course, archive, out)
    assert run.returncode == 0, run.stderr
    got = rows(out)
    assert {s: r["score"] for s, r in got.items()} == {"kim": "5", "lee": "3"}
    assert (out / "feedback" / "kim" / f"{ASSIGNMENT}.html").is_file()
    run = grade(course, archive, tmp_path / "out2", "--name-pattern", r"^nobody_(?P<student_id>\w+)")
    assert run.returncode == 2 and "matching" in run.stderr


def test_grading_refuses_to_run_without_a_sandbox_unless_told(course: Path, tmp_path: Path) -> None:
    subs, out = tmp_path / "subs", tmp_path / "out"
    write_submission(subs, "ann", submission())
    no_tools = {"PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    command = [
        *GDLAB,
        "grade",
        ASSIGNMENT,
        str(subs),
        "--out",
        str(out),
        "--course-dir",
        str(course),
        "--quiet",
    ]
    run = subprocess.run(command, capture_output=True, text=True, env=no_tools, timeout=600)
    assert run.returncode == 2
    assert "cannot set up the grading sandbox" in run.stderr and "--unsafe-no-sandbox" in run.stderr
    assert not (out / "grades.csv").exists()
    run = subprocess.run(
        [*command, "--unsafe-no-sandbox"], capture_output=True, text=True, env=no_tools, timeout=600
    )
    assert run.returncode == 0, run.stderr
    assert rows(out)["ann"]["score"] == "5"


# --- The two-phase engine itself (SafeExecute in this process, no sandbox: fast) ---------------

REAL = "01_loss_functions"


def run_engine(nb: nbformat.NotebookNode, workdir: Path, seeds: dict[str, int]) -> tuple:
    """Run ``SafeExecute`` on ``nb`` with the probes of notebook 01; (executed notebook, probe results)."""
    from gdlab_autograde.execute import SafeExecute

    results = workdir / "probes.json"
    engine = SafeExecute(
        probe_assignment=REAL, probe_seeds=seeds, probe_results_path=str(results), timeout=60
    )
    executed, _ = engine.preprocess(nb, {"metadata": {"path": str(workdir)}})
    return executed, json.loads(results.read_text())


def solution_of(assignment: str) -> nbformat.NotebookNode:
    from tests.notebook_harness import ROOT

    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def outputs_text(nb: nbformat.NotebookNode) -> str:
    return "\n".join(json.dumps(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")


def test_the_engine_hides_hidden_code_and_gives_each_student_their_own_probe_inputs(tmp_path: Path) -> None:
    from gdlab_autograde.feedback import hidden_lines
    from gdlab_autograde.probe_schema import is_malformed
    from gdlab_autograde.probes import probes_of, verdicts

    nb = solution_of(REAL)
    hidden = hidden_lines(nb)
    assert hidden, "notebook 01 has hidden tests"
    full_sources = [c.source for c in nb.cells]
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "print(In)\nprint(_ih)\nprint(Out)\nprint(get_ipython().kernel.get_parent())"
        )
    )
    executed, first = run_engine(nb, tmp_path, {"ann": 11, "ben": 12})
    text = outputs_text(executed)
    assert "In" in json.dumps(executed.cells[-1].outputs), "the spying cell ran"
    assert [line for line in hidden if line in text] == [], "an output holds a hidden test line"
    assert "hidden check failed" not in text and '"ename"' not in text, "the solution fails nothing"
    assert [c.source for c in executed.cells[:-1]] == full_sources, (
        "the graded notebook keeps the full test cells"
    )
    expected = set(probes_of(REAL))
    assert set(first) == {"ann", "ben"} and set(first["ann"]) == set(first["ben"]) == expected
    assert not any(is_malformed(v) for owner in first.values() for v in owner.values())
    # Different students get different probe inputs, so (here) different results ...
    assert first["ann"] != first["ben"]
    assert not all(verdicts(first["ann"], first["ben"]).values())
    # ... and a re-run with the same seeds the same results (grades are repeatable).
    _, again = run_engine(solution_of(REAL), tmp_path, {"ann": 11, "ben": 12})
    assert again == first


FORGERY = """
import gdlab_autograde.probes as _p
from IPython.display import display as _display
_real_emit = _p.emit
_shapes = {
    "test_sum_squared_error": 10 ** 400,
    "test_mean_squared_error": {"surprise": 1.0},
    "test_softmax": __import__("functools").reduce(lambda a, _: [a], range(50), []),
    "test_cross_entropy_error": {"array": [1.0], "shape": [4], "kind": "f"},
}
def _forged_emit(assignment, grade_id, seed, key):
    if grade_id == "test_binary_cross_entropy":  # a forged result beside the real one
        _display({"application/x-gdlab-probe+json": {"result": [0.0]}}, raw=True)
        return _real_emit(assignment, grade_id, seed, key)
    if grade_id in _shapes:
        return _display({"application/x-gdlab-probe+json": {"result": _shapes[grade_id]}}, raw=True)
    return _real_emit(assignment, grade_id, seed, key)
_p.emit = _forged_emit
_display({"application/x-gdlab-probe+json": {"result": "forged in a student cell"}}, raw=True)
"""


def test_forged_probe_results_are_malformed_and_never_agree(tmp_path: Path) -> None:
    from gdlab_autograde.probe_schema import MALFORMED, is_malformed
    from gdlab_autograde.probes import verdicts

    honest_nb = solution_of(REAL)
    _, honest = run_engine(honest_nb, tmp_path, {"ann": 5})
    nb = solution_of(REAL)
    nb.cells.append(
        nbformat.v4.new_code_cell(FORGERY, metadata={"gdlab_probe": "test_batch_cross_entropy_fixed"})
    )
    _, forged = run_engine(nb, tmp_path, {"ann": 5})
    got = forged["ann"]
    # A dict with unexpected keys is plain data, and disagrees (below); the other shapes are refused.
    assert got["test_mean_squared_error"] == {"surprise": 1.0}
    for grade_id in (
        "test_sum_squared_error",
        "test_softmax",
        "test_cross_entropy_error",
        "test_binary_cross_entropy",
    ):
        assert is_malformed(got[grade_id]), (grade_id, str(got[grade_id])[:200])
    # The untouched probe is the real one: the display from a student cell (with probe metadata) is ignored.
    assert got["test_batch_cross_entropy_fixed"] == honest["ann"]["test_batch_cross_entropy_fixed"]
    agreed = verdicts(got, honest["ann"])
    assert [g for g, ok in agreed.items() if ok] == ["test_batch_cross_entropy_fixed"]
    assert MALFORMED in json.dumps(got)


def test_agree_and_verdicts_are_total() -> None:
    from gdlab_autograde.probe_schema import parse_payloads
    from gdlab_autograde.probes import agree, verdicts

    reference = {"array": [1.0, 2.0], "shape": [2], "kind": "f"}
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    refused = [10**400, {"array": "x"}, {"shape": [2]}, deep, [float("inf")], {1: 2}, object(), "x" * 10**5]
    for value in [*refused, None, "nan", {"array": [1.0, 2.0]}]:
        assert agree(value, reference) is False
        assert agree(value, [1.0, {"a": 10**400}]) is False
        assert verdicts(value, {"t": reference}) == {"t": False}
    for value in refused:
        parsed = parse_payloads([{"result": value}])
        assert isinstance(parsed, dict) and "malformed probe result" in parsed, (
            value if value is not deep else "deep"
        )
    assert agree(10**400, 1.0) is False and agree(1.0, 10**400) is False
    assert parse_payloads([]) != parse_payloads([{"result": 1}]) == 1
    assert "malformed probe result" in parse_payloads([{"result": 1}, {"result": 1}])
    assert "malformed probe result" in parse_payloads([{"result": 1, "grade_id": "x"}])
    assert parse_payloads([{"result": reference}]) == reference


def test_probe_seeds_are_per_student_stable_and_keyed_by_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from gdlab_autograde.probe_verdicts import probe_seed, secret_kept_from_children

    assert probe_seed("s", REAL, "ann") == probe_seed("s", REAL, "ann")
    seeds = {probe_seed("s", REAL, f"student{i}") for i in range(200)}
    assert len(seeds) == 200, "every student gets a seed of their own"
    assert probe_seed("s", REAL, "ann") != probe_seed("other secret", REAL, "ann")
    assert probe_seed("s", REAL, "ann") != probe_seed("s", "02_numerical_derivative", "ann")
    monkeypatch.setenv("GDLAB_GRADING_SECRET", "kept-out")
    with secret_kept_from_children() as secret:
        assert secret == "kept-out" and "GDLAB_GRADING_SECRET" not in os.environ
    assert os.environ["GDLAB_GRADING_SECRET"] == "kept-out"


def test_a_kernel_death_in_a_hidden_check_costs_only_that_cell(course: Path, tmp_path: Path) -> None:
    """``double`` kills the kernel when a hidden check calls it; ``triple``'s hidden check still runs
    (in a new kernel) and the batch completes."""
    subs, out = tmp_path / "subs", tmp_path / "out"
    killer = (
        "(__import__('os')._exit(7) if any('hidden check' in f.filename for f in "
        "__import__('inspect').stack()) else 2 * x)"
    )
    write_submission(subs, "killer", submission(double=killer))
    write_submission(subs, "ann", submission())
    run = grade(course, subs, out)
    assert run.returncode == 0, run.stderr
    assert {s: r["score"] for s, r in rows(out).items()} == {"killer": "2", "ann": "5"}
    page = (out / "feedback" / "killer" / f"{ASSIGNMENT}.html").read_text()
    assert "hidden check failed" in page and "secret_" not in page


def test_the_feedback_sanitizer_keeps_lessons_and_removes_script() -> None:
    from gdlab_autograde.sanitize_html import CSP, SanitizeFeedback, clean_markdown, with_csp
    from tests.notebook_harness import ROOT

    # Every lesson's own markdown renders as written (no false alarm on math, code, tables, links).
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert clean_markdown(cell.source) == cell.source, (path.name, cell.source[:80])
    for unsafe in (
        "<script>x()</script>",
        "<img src=x onerror=x()>",
        "[a](javascript:x())",
        "[a](JaVa&#115;cript:x)",
    ):
        assert "    " + unsafe in clean_markdown(unsafe), unsafe  # shown as text (a code block)
    nb = nbformat.v4.new_notebook(metadata={"title": "</title><script>x()</script>", "widgets": {"x": 1}})
    code = nbformat.v4.new_code_cell("x", metadata={"tags": ['a" onclick="x()', "fine"]})
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": "<b onclick=x()>b</b><script>x()</script>", "application/javascript": "x()"},
        ),
        nbformat.v4.new_output(
            "display_data", data={"image/png": 'x" onerror="x()', "image/svg+xml": "<svg/>"}
        ),
        nbformat.v4.new_output(
            "display_data",
            data={"image/png": "iVBORw0KGgo="},
            metadata={"image/png": {"width": "1 onerror=x()"}},
        ),
    ]
    nb.cells = [code]
    clean, _ = SanitizeFeedback()(nb, {})
    assert "title" not in clean.metadata and "widgets" not in clean.metadata
    assert clean.cells[0].metadata.tags == ["fine"]
    outputs = clean.cells[0].outputs
    assert outputs[0].data == {"text/html": "<b>b</b>"}
    assert outputs[1].data == {"text/plain": "[output of a type the feedback does not show]"}
    assert outputs[2].data == {"image/png": "iVBORw0KGgo="} and outputs[2].metadata == {"image/png": {}}
    page = with_csp("<!DOCTYPE html>\n<html>\n<head>\n<script>x()</script></head></html>")
    assert (
        page.index(CSP) < page.index("<script>") and "script-src" not in CSP and "default-src 'none'" in CSP
    )
