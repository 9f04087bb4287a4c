"""What ``gdlab check`` knows about a notebook before running it.

Each code cell's role (setup, solution, test, provided, other), the names it
defines and reads, which exercise a test cell belongs to, which student functions
it depends on, and which cells the check may skip without changing a verdict.
All of it is read from the cells' source and nbgrader metadata, so the notebooks
need nothing added for the self-check.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from dataclasses import dataclass, field

import nbformat

DEMO_TAG = "demo"
_BUILTINS = frozenset(dir(builtins))


@dataclass
class CellInfo:
    """One code cell as the self-check sees it."""

    index: int
    cell: nbformat.NotebookNode
    role: str  # "solution", "test", "provided" (locked, ungraded) or "other"
    grade_id: str = ""
    points: float = 0.0
    tags: tuple[str, ...] = ()
    functions: dict[str, str] = field(default_factory=dict)  # callable name -> how to name it ("Adam.update")
    defines: set[str] = field(default_factory=set)  # every top-level name the cell binds
    reads: set[str] = field(default_factory=set)  # names it reads without binding them first
    syntax_error: SyntaxError | None = None
    exercise: int | None = None  # for a test cell: the index of its solution cell

    @property
    def is_demo(self) -> bool:
        """Tagged ``demo``: a demonstration no test needs."""
        return DEMO_TAG in self.tags


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    """The cell's nbgrader metadata, or an empty dict."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def python_source(source: str) -> str:
    """The cell's source as plain Python: IPython magics and ``!`` lines made into code."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - a cell IPython cannot transform is read as it is
        return source


def _names(tree: ast.Module) -> tuple[set[str], set[str], dict[str, str]]:
    """(names bound at top level, names read, callables defined with their display names)."""
    bound: set[str] = set()
    functions: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bound.add(node.name)
            functions[node.name] = node.name
        elif isinstance(node, ast.ClassDef):
            bound.add(node.name)
            functions[node.name] = node.name
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    functions.setdefault(item.name, f"{node.name}.{item.name}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return bound, set(), functions


def _free_names(source: str) -> tuple[set[str], set[str]]:
    """(globals the cell binds, globals it reads): its top level and every function body in it.

    ``symtable`` resolves scopes as Python does, so parameters and locals of a ``def``
    are not mistaken for notebook globals.
    """
    table = symtable.symtable(source, "<cell>", "exec")
    bound = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    reads = {s.get_name() for s in table.get_symbols() if s.is_referenced()}
    pending = list(table.get_children())
    while pending:
        child = pending.pop()
        reads |= {s.get_name() for s in child.get_symbols() if s.is_referenced() and s.is_global()}
        pending.extend(child.get_children())
    return bound, reads - _BUILTINS


def analyse(nb: nbformat.NotebookNode) -> list[CellInfo]:
    """The code cells of ``nb`` with their roles, names and exercises, in notebook order."""
    cells: list[CellInfo] = []
    last_solution: int | None = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            role = "solution"
        elif meta.get("grade"):
            role = "test"
        elif meta.get("locked"):
            role = "provided"
        else:
            role = "other"
        info = CellInfo(
            index=index,
            cell=cell,
            role=role,
            grade_id=str(meta.get("grade_id", "")),
            points=float(meta.get("points", 0) or 0),
            tags=tuple(cell.get("metadata", {}).get("tags", []) or ()),
        )
        try:
            code = python_source(cell.source)
            tree = ast.parse(code)
            bound, reads = _free_names(code)
        except SyntaxError as error:
            info.syntax_error = error
        else:
            info.defines, _, info.functions = _names(tree)
            info.defines |= bound
            # A name the cell binds before reading it is its own; one read first would come
            # from an earlier cell, a rarity (``x = x + 1``) not worth a data-flow analysis.
            info.reads = reads - info.defines
        if role == "solution":
            last_solution = index
        elif role == "test":
            info.exercise = last_solution
        cells.append(info)
    return cells


def student_functions(cells: list[CellInfo]) -> dict[str, CellInfo]:
    """Top-level callables defined by solution cells -> the solution cell (the last one wins)."""
    owners: dict[str, CellInfo] = {}
    for info in cells:
        if info.role == "solution":
            for name, shown in info.functions.items():
                if "." not in shown:
                    owners[name] = info
    return owners


def dependencies(test: CellInfo, cells: list[CellInfo]) -> dict[str, str]:
    """Student functions of *other* exercises that a test cell relies on.

    Returns name -> how it is reached: ``""`` when the test calls it directly, else
    the name of the student function through which it is called.
    """
    owners = student_functions(cells)
    own = next((c for c in cells if c.index == test.exercise), None)
    own_index = own.index if own is not None else None
    queue = [(name, "") for name in sorted(test.reads) if name in owners]
    if own is not None:
        queue += [(name, own.grade_id) for name in sorted(own.reads) if name in owners]
    found: dict[str, str] = {}
    seen: set[str] = set()
    while queue:
        name, via = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        owner = owners[name]
        if owner.index == own_index:
            queue += [(n, name) for n in sorted(owner.reads) if n in owners]
            continue
        found[name] = via
        queue += [(n, name) for n in sorted(owner.reads) if n in owners]
    return found


def skipped_cells(cells: list[CellInfo]) -> dict[int, str]:
    """Cells the check need not run -> why: they cannot change any verdict.

    - cells tagged ``demo`` (demonstrations no test needs), unless a later cell that
      does run reads a name that only the demo cell defined;
    - every cell after the last test cell (nothing graded comes after it).
    Solution and test cells are always run.
    """
    tests = [c.index for c in cells if c.role == "test"]
    last_test = max(tests) if tests else -1
    skip: dict[int, str] = {}
    for info in cells:
        if info.role in ("solution", "test"):
            continue
        if info.index > last_test:
            skip[info.index] = "after the last test"
        elif info.is_demo:
            skip[info.index] = "demo"
    # A skipped demo cell that a running cell needs runs after all: walk back from each
    # running cell's free names to the cell that last bound them.
    for _ in range(len(cells)):
        needed = set()
        for position, info in enumerate(cells):
            if info.index in skip:
                continue
            for name in info.reads:
                for earlier in reversed(cells[:position]):
                    if name in earlier.defines:
                        if skip.get(earlier.index) == "demo":
                            needed.add(earlier.index)
                        break
        if not needed:
            break
        for index in needed:
            del skip[index]
    return skip
