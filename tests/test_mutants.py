"""Every graded exercise's tests reject the common wrong implementations.

For each solution cell, `tests/mutants/<assignment>.py` lists wrong versions
(the mistakes students make); each must fail at least one of its test cells,
while the solution passes every test cell.
"""

from __future__ import annotations

import importlib

import nbformat
import pytest

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


def all_mutants() -> list:
    cases = []
    for assignment in ASSIGNMENTS:
        for cell, spec in mutants_of(assignment).items():
            for name, source in spec["wrong"].items():
                cases.append(pytest.param(assignment, cell, name, source, id=f"{assignment}-{cell}-{name}"))
    return cases


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_solution_cell_has_three_mutants(assignment: str) -> None:
    table = mutants_of(assignment)
    for cell in solution_cells(assignment):
        assert cell in table, f"{assignment}: no wrong implementations listed for {cell}"
        assert len(table[cell]["wrong"]) >= 3, f"{assignment}: {cell} has fewer than 3 mutants"


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
