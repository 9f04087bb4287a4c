"""Every graded exercise's tests reject the common wrong implementations, and accept correct ones.

For each solution cell, `tests/mutants/<assignment>.py` lists wrong versions
(the mistakes students make); each must fail at least one of its test cells with a
message that names the exercise holding the mistake, while the solution passes
every test cell. The table's correct alternatives (other algorithms, other dtype
handling the spec allows) must pass every test cell and every trusted probe: a
test that rejects correct code is a defect too.
"""

from __future__ import annotations

import functools
import importlib
import re

import nbformat
import pytest

from gdlab_autograde.probe_schema import is_malformed
from gdlab_autograde.probes import probes_of, run_probes, verdicts
from tests.notebook_harness import SOLUTIONS, nbgrader_meta, notebook_path, run_notebook

ASSIGNMENTS = sorted(p.name for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").exists())


def mutants_of(assignment: str) -> dict:
    """The MUTANTS table of an assignment."""
    return importlib.import_module(f"tests.mutants.nb{assignment}").MUTANTS


def solution_cells(assignment: str) -> list[str]:
    """grade_ids of the code solution cells (the graded functions and classes)."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return [
        nbgrader_meta(c)["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("solution")
    ]


def all_mutants(probe_visible: bool = False) -> list:
    """Every (assignment, cell, mutant name, source); with ``probe_visible``, only those a probe must see."""
    cases = []
    for assignment in ASSIGNMENTS:
        for cell, spec in mutants_of(assignment).items():
            for name, source in spec["wrong"].items():
                if probe_visible and name in spec.get("probe_misses", ()):
                    continue
                cases.append(pytest.param(assignment, cell, name, source, id=f"{assignment}-{cell}-{name}"))
    return cases


#: at least this many wrong versions, and this many correct alternatives, per solution cell
MIN_WRONG, MIN_CORRECT = 6, 2


def all_correct() -> list:
    """Every (assignment, cell, alternative name, source) of the tables' correct alternatives."""
    return [
        pytest.param(assignment, cell, name, source, id=f"{assignment}-{cell}-{name}")
        for assignment in ASSIGNMENTS
        for cell, spec in mutants_of(assignment).items()
        for name, source in spec.get("correct", {}).items()
    ]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_solution_cell_has_six_mutants_and_two_correct_versions(assignment: str) -> None:
    table = mutants_of(assignment)
    for cell in solution_cells(assignment):
        assert cell in table, f"{assignment}: no wrong implementations listed for {cell}"
        assert len(table[cell]["wrong"]) >= MIN_WRONG, (
            f"{assignment}: {cell} has fewer than {MIN_WRONG} mutants"
        )
        assert len(table[cell].get("correct", {})) >= MIN_CORRECT, (
            f"{assignment}: {cell} has fewer than {MIN_CORRECT} correct alternative implementations"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_passes_every_test_cell(assignment: str) -> None:
    run = run_notebook(assignment)
    assert run.failures() == {}


@pytest.mark.parametrize(("assignment", "cell", "name", "source"), all_mutants())
def test_mutant_is_rejected(assignment: str, cell: str, name: str, source: str) -> None:
    tests = mutants_of(assignment)[cell]["tests"]
    run = run_notebook(assignment, replacements={cell: source}, stop_after=set(tests))
    failed = [t for t in tests if run.test_cell(t).failed]
    assert failed, f"{assignment}: the wrong {cell} ({name}) passes {tests}"
    if set(failed) & set(own_test_cells(assignment, cell)):
        return  # the exercise's own test rejects it: the student is at the right exercise
    messages = {t: run.test_cell(t).error or run.test_cell(t).stderr for t in failed}
    assert any(names_exercise(text, cell) for text in messages.values()), (
        f"{assignment}: the wrong {cell} ({name}) is rejected only by later exercises' tests, and no "
        f"failure message names {cell}, so the student is sent to the wrong exercise: {messages}"
    )


@functools.cache
def own_test_cells(assignment: str, cell: str) -> tuple[str, ...]:
    """The graded test cells of the exercise ``cell``: those between it and the next solution cell."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    own, inside = [], False
    for c in nb.cells:
        meta = nbgrader_meta(c)
        if c.cell_type != "code":
            continue
        if meta.get("solution"):
            inside = meta.get("grade_id") == cell
        elif inside and meta.get("grade"):
            own.append(meta["grade_id"])
    return tuple(own)


@functools.cache
def reference_probes(assignment: str, seed: int) -> dict:
    """The probes' results on the solution notebook (computed once per worker)."""
    return run_probes(assignment, run_notebook(assignment).namespace, seed=seed)


def names_exercise(message: str, cell: str) -> bool:
    """Whether a failure message names the exercise ``cell`` (its function or class name) as a word."""
    return re.search(rf"(?<![\w.]){re.escape(cell)}(?!\w)", message) is not None


@pytest.mark.parametrize(("assignment", "cell", "name", "source"), all_correct())
def test_correct_alternative_passes_every_test_and_probe(
    assignment: str, cell: str, name: str, source: str
) -> None:
    run = run_notebook(assignment, replacements={cell: source})
    assert run.failures() == {}, f"{assignment}: the correct {cell} ({name}) is rejected: {run.failures()}"
    student = run_probes(assignment, run.namespace, seed=7)
    reference = reference_probes(assignment, seed=7)
    rejected = [grade_id for grade_id, agreed in verdicts(student, reference).items() if not agreed]
    assert not rejected, f"{assignment}: the probes of {rejected} reject the correct {cell} ({name})"


# Trusted probes (autograde/probes): the solution agrees with itself under any seed, every
# graded code test cell has a probe, and a probe tells each wrong implementation from the
# solution unless the mutant table says the probe cannot see that mistake ("probe_misses").


def graded_test_cells(assignment: str) -> list[str]:
    """grade_ids of the auto-graded code test cells."""
    nb = nbformat.read(notebook_path(assignment), as_version=4)
    return [
        nbgrader_meta(c)["grade_id"]
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    ]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_has_a_probe_the_solution_passes(assignment: str) -> None:
    probes = probes_of(assignment)
    assert set(graded_test_cells(assignment)) <= set(probes), "graded test cells without a trusted probe"
    namespace = run_notebook(assignment).namespace
    first, second = run_probes(assignment, namespace, seed=1234), run_probes(assignment, namespace, seed=1234)
    assert all(verdicts(first, second).values()), "a probe is not deterministic for a given seed"
    for grade_id, result in first.items():
        assert "probe error" not in str(result), f"{grade_id}: the probe fails on the solution: {result}"
        # The grader parses kernel results strictly: the solution's own must pass that schema.
        assert not is_malformed(result), f"{grade_id}: the solution's probe result fails the schema"
    other = run_probes(assignment, namespace, seed=99)
    assert other != first, "the probes ignore their seed: hidden inputs would be guessable"


@pytest.mark.parametrize(("assignment", "cell", "name", "source"), all_mutants(probe_visible=True))
def test_probe_rejects_mutant(assignment: str, cell: str, name: str, source: str) -> None:
    spec = mutants_of(assignment)[cell]
    tests = [t for t in spec["tests"] if t in probes_of(assignment)]
    reference = run_probes(assignment, run_notebook(assignment, stop_after=set(tests)).namespace, seed=7)
    mutant_ns = run_notebook(assignment, replacements={cell: source}, stop_after=set(tests)).namespace
    student = run_probes(assignment, mutant_ns, seed=7)
    agreed = verdicts({t: student.get(t) for t in tests}, {t: reference[t] for t in tests})
    assert not all(agreed.values()), f"the probes of {tests} cannot tell {name!r} from the solution"


def test_harness_names_the_solution_cell_an_exception_came_from() -> None:
    raising = """
def numerical_diff_central(f, x, h=1e-4):
    raise TypeError("not written for float32")
"""
    run = run_notebook(
        "02_numerical_derivative",
        replacements={"numerical_diff_central": raising},
        stop_after={"test_error_vs_h"},
    )
    error = run.test_cell("test_error_vs_h").error
    assert error.startswith("TypeError: not written for float32")
    assert "raised in your solution cell numerical_diff_central" in error
    assert names_exercise(error, "numerical_diff_central") and not names_exercise(error, "error_vs_h")
