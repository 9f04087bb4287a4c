"""Release: generate the student notebooks in ``notebooks/`` from ``solutions/``.

A thin wrapper around nbgrader's ``generate_assignment`` that runs it in a
scratch course directory (so no gradebook or log lands in the repository) and
then replaces ``notebooks/<id>/`` with the result.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory

from gdlab_autograde.course import CourseError, assignments, keep_cwd, load_config, prepare_environment


def cells_with_outputs(notebook: Path) -> list[int]:
    """Indexes of the code cells of ``notebook`` that carry outputs or an execution count."""
    nb = nbformat.read(notebook, as_version=4)
    return [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]


def generate(root: Path, assignment: str, workdir: Path) -> tuple[Path, Path]:
    """Run ``generate_assignment`` for ``assignment`` in the scratch course ``workdir``.

    Returns the generated student folder and the gradebook that now holds the
    assignment's source cells (visible and hidden tests), which grading starts from.
    """
    from nbgrader.converters import GenerateAssignment

    source = root / "solutions" / assignment
    notebook = source / f"{assignment}.ipynb"
    if not notebook.is_file():
        raise CourseError(f"no assignment {assignment!r}: {notebook} does not exist")
    dirty = cells_with_outputs(notebook)
    if dirty:
        raise CourseError(
            f"{notebook} carries outputs in code cells {dirty}: clear them "
            "(JupyterLab: Edit > Clear Outputs of All Cells, then save) so no output leaks into the release"
        )
    prepare_environment()
    shutil.copytree(
        source, workdir / "solutions" / assignment, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    db_path = workdir / "gradebook.db"
    config = load_config(root=str(workdir), db_url=f"sqlite:///{db_path}", assignment_id=assignment)
    config.GenerateAssignment.force = True
    config.GenerateAssignment.create_assignment = True
    config.Application.log_level = "WARN"
    coursedir = CourseDirectory(config=config)
    with keep_cwd():  # nbgrader's converters chdir into the course root
        GenerateAssignment(coursedir=coursedir, config=config).start()
    released = workdir / "notebooks" / assignment
    for path in released.glob("*.ipynb"):
        tidy(path)
    return released, db_path


def tidy(path: Path) -> None:
    """Drop the blank lines nbgrader leaves where it removed hidden tests, so the release stays lint-clean."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.source = "\n".join(line.rstrip() for line in cell.source.rstrip().splitlines())
    nbformat.write(nb, path)


def release(root: Path, selected: list[str] | None = None) -> list[Path]:
    """Regenerate ``notebooks/<id>/`` for the selected assignments (all by default)."""
    known = assignments(root)
    unknown = sorted(set(selected or ()) - set(known))
    if unknown:
        raise CourseError(f"unknown assignment(s) {unknown}; the course has {known}")
    released = []
    for assignment in selected or known:
        with tempfile.TemporaryDirectory(prefix="gdlab-release-") as tmp:
            generated, _ = generate(root, assignment, Path(tmp))
            target = root / "notebooks" / assignment
            staging = root / "notebooks" / f".{assignment}.new"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(generated, staging)
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
            released.append(target / f"{assignment}.ipynb")
    return released
