"""notebooks/ is exactly what `gdlab release` generates from solutions/ (the copy cannot drift)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from gdlab_autograde.course import CourseError, assignments
from gdlab_autograde.release import generate
from tests.notebook_harness import ROOT

ASSIGNMENTS = assignments(ROOT)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_matches_a_fresh_one(assignment: str, tmp_path: Path) -> None:
    generated, _ = generate(ROOT, assignment, tmp_path)
    committed = ROOT / "notebooks" / assignment
    fresh_files = sorted(p.relative_to(generated) for p in generated.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert committed_files == fresh_files, "run `gdlab release`: the released files differ"
    for name in fresh_files:
        assert (committed / name).read_bytes() == (generated / name).read_bytes(), (
            f"notebooks/{assignment}/{name} differs from a fresh release: run `gdlab release {assignment}`"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_strips_solutions_and_hidden_tests(assignment: str) -> None:
    student = (ROOT / "notebooks" / assignment / f"{assignment}.ipynb").read_text()
    for marker in (
        "### BEGIN SOLUTION",
        "### END SOLUTION",
        "### BEGIN HIDDEN TESTS",
        "### END HIDDEN TESTS",
    ):
        assert marker not in student
    assert "raise NotImplementedError()" in student
    assert "YOUR ANSWER HERE" in student


def test_release_refuses_a_source_with_outputs(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "solutions" / "x").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)]
    nb.cells = [cell]
    nbformat.write(nb, course / "solutions" / "x" / "x.ipynb")
    with pytest.raises(CourseError, match="carries outputs"):
        generate(course, "x", tmp_path / "work")


def test_samples_are_made_from_the_release_and_never_overwrite(tmp_path: Path) -> None:
    from gdlab_autograde.samples import write_samples

    assignment = ASSIGNMENTS[0]
    written = write_samples(ROOT, assignment, tmp_path)
    assert sorted(p.parts[-3] for p in written) == [
        "complete_student",
        "half_student",
        "numpy_patcher",
        "untouched_student",
    ]
    code = {
        p.parts[-3]: "\n".join(
            c.source for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code"
        )
        for p in written
    }
    assert "raise NotImplementedError()" not in code["complete_student"]
    assert "raise NotImplementedError()" in code["half_student"]
    assert "np.allclose = " in code["numpy_patcher"]
    released = nbformat.read(ROOT / "notebooks" / assignment / f"{assignment}.ipynb", as_version=4)
    untouched = nbformat.read(
        tmp_path / "untouched_student" / assignment / f"{assignment}.ipynb", as_version=4
    )
    assert [c.source for c in untouched.cells] == [c.source for c in released.cells]
    before = written[0].read_bytes()
    with pytest.raises(CourseError, match="exists"):
        write_samples(ROOT, assignment, tmp_path)
    assert written[0].read_bytes() == before
