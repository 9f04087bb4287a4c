"""Small gdlab-style notebooks with the mistakes `gdlab check` must survive, built on the fly."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SETUP = "import numpy as np\nfrom gdlab.checks import check_close, check_raises, check_true"


def _meta(**fields: object) -> dict:
    return {"nbgrader": {"schema_version": 3, **fields}}


def solution(grade_id: str, source: str) -> nbformat.NotebookNode:
    """A student's solution cell."""
    return new_code_cell(source, metadata=_meta(grade=False, solution=True, locked=False, grade_id=grade_id))


def graded_test(grade_id: str, source: str, points: int = 1) -> nbformat.NotebookNode:
    """A locked, graded test cell."""
    return new_code_cell(
        source, metadata=_meta(grade=True, solution=False, locked=True, points=points, grade_id=grade_id)
    )


def demo(source: str) -> nbformat.NotebookNode:
    """A demonstration cell tagged `demo`."""
    return new_code_cell(source, metadata={"tags": ["demo"]})


def notebook(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A notebook: the setup cell, then ``cells``, then a written answer."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [
        new_markdown_cell("# Self-check fixture"),
        new_code_cell(SETUP, metadata=_meta(grade=False, solution=False, locked=True, grade_id="setup")),
        *cells,
        new_markdown_cell(
            "Why?\n\nYOUR ANSWER HERE",
            metadata=_meta(grade=True, solution=True, locked=False, points=1, grade_id="explain_why"),
        ),
    ]
    return nb


def write(folder: Path, nb: nbformat.NotebookNode, name: str = "exercise.ipynb") -> Path:
    """Write ``nb`` to ``folder/name`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


def double_exercise(body: str = "return 2 * x") -> list[nbformat.NotebookNode]:
    """An exercise that passes with the default body."""
    return [
        solution("double", f"def double(x):\n    {body}"),
        graded_test("test_double", "check_close(double(2), 4, 'double(2)')"),
    ]


def quadruple_exercise() -> list[nbformat.NotebookNode]:
    """An exercise whose function calls `double` from the exercise before."""
    return [
        solution("quadruple", "def quadruple(x):\n    return double(double(x))"),
        graded_test("test_quadruple", "check_close(quadruple(1), 4, 'quadruple(1)')"),
    ]


def hard_cases() -> nbformat.NotebookNode:
    """Every way a notebook can go wrong, each followed by an exercise that is fine."""
    return notebook(
        *double_exercise(),
        # 1. an endless loop, met when the test calls the function
        solution(
            "gradient_descent_tol",
            "def gradient_descent_tol(x0, tol=1e-6):\n    x = x0\n    while True:\n        x = x - 0.1 * x\n    return x",
        ),
        graded_test(
            "test_gradient_descent_tol",
            "check_close(gradient_descent_tol(3.0), 0.0, 'gradient_descent_tol(3.0)')",
        ),
        # a later test that calls the looping function again: reported without a second wait
        solution(
            "descend_twice",
            "def descend_twice(x0):\n    return gradient_descent_tol(gradient_descent_tol(x0))",
        ),
        graded_test("test_descend_twice", "check_close(descend_twice(1.0), 0.0, 'descend_twice(1.0)')"),
        # 2. a SyntaxError in a solution cell
        solution("step_size", "def step_size(g):\n    eta = 0.1\n    return eta * g +\n"),
        graded_test("test_step_size", "check_close(step_size(2.0), 0.2, 'step_size(2.0)')"),
        # 3. a raising solution: the call in the test is named
        solution(
            "step_decay",
            "def step_decay(lr0, drop, every, epochs=0):\n    return lr0 * drop ** (epochs // every).floor()",
        ),
        graded_test(
            "test_step_decay",
            "check_close(\n    step_decay(0.1, 0.5, 10, epochs=np.arange(3)),\n    [0.1, 0.1, 0.1],\n    'step_decay',\n)",
        ),
        # 4. a kernel-killing function
        solution("save_results", "import os\n\ndef save_results(x):\n    os._exit(3)"),
        graded_test(
            "test_save_results", "check_true(save_results(1) is None, 'save_results(1) returns None')"
        ),
        # independent exercises after all of it are still checked; one depends on `double`
        *quadruple_exercise(),
        solution("triple", "def triple(x):\n    return 3 * x"),
        graded_test(
            "test_triple",
            "check_close(triple(2), 6, 'triple(2)')\ncheck_raises(TypeError, lambda: triple(None) + 'a', 'triple(None)')",
        ),
    )
