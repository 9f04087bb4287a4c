"""A class of hostile submissions, each one attack on top of the same honest-but-imperfect notebook.

The base notebook answers every exercise of the assignment but gets the last two
wrong (a mistake from the mutant table), so it has points to win back; each
attack tries to win them back, or to break, read or write something. The test
grades them all in one batch and compares each grade with the base's.
"""

from __future__ import annotations

import copy
import importlib
import json
from dataclasses import dataclass

import nbformat
from nbformat.v4 import new_code_cell

from tests.notebook_harness import ROOT, nbgrader_meta

ASSIGNMENT = "04_learning_rate"
MARKER = "gdlab-hostile-7f3a"  # names the files and processes the attacks try to leave behind


@dataclass
class Attack:
    """One hostile submission: what it does and the audit flag it must raise (None: no flag required)."""

    name: str
    flag: str | None
    cell: str = ""
    where: str = "top"  # "top": right after the setup cell; "end": after the last cell
    keeps_points: bool = False  # an attack at the end must not cost the points earned before it


def base_notebook() -> nbformat.NotebookNode:
    """The released notebook with every answer filled in, the last two exercises wrongly."""
    solution = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    answers = {
        nbgrader_meta(c)["grade_id"]: c.source for c in solution.cells if nbgrader_meta(c).get("solution")
    }
    mutants = importlib.import_module(f"tests.mutants.nb{ASSIGNMENT}").MUTANTS
    nb = nbformat.read(ROOT / "notebooks" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    exercises = [c for c in nb.cells if nbgrader_meta(c).get("solution")]
    code = [c for c in exercises if c.cell_type == "code"]
    for cell in exercises:
        cell.source = answers[nbgrader_meta(cell)["grade_id"]]
    for cell in code[-2:]:
        cell.source = next(iter(mutants[nbgrader_meta(cell)["grade_id"]]["wrong"].values()))
    return nb


def attacks(context: dict) -> list[Attack]:
    """The corpus; ``context`` has the paths and ports the attacks aim at."""
    solution = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    steal_and_run = (
        "import json, glob\n"
        "def _run_answers(path):\n"
        "    nb = json.load(open(path))\n"
        "    for c in nb['cells']:\n"
        "        if c['cell_type'] == 'code' and c.get('metadata', {}).get('nbgrader', {}).get('solution'):\n"
        "            exec(''.join(c['source']), globals())\n"
    )
    return [
        Attack("infinite loop", "timeout", "while True:\n    pass", where="end", keeps_points=True),
        Attack(
            "loop ignoring SIGINT",
            "timeout",
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
            where="end",
            keeps_points=True,
        ),
        Attack(
            "memory bomb",
            "resource limit",
            "blocks = []\nwhile True:\n    blocks.append(bytearray(2**28))",
            "end",
            True,
        ),
        Attack(
            "fork bomb",
            "resource limit",
            "import os\nwhile True:\n    if os.fork() == 0:\n        import time\n        time.sleep(600)",
            "end",
            True,
        ),
        Attack("os._exit", "kernel died", "import os\nos._exit(3)", "end", True),
        Attack("sys.exit", "tamper attempt", "import sys\nsys.exit(0)", "end", True),
        Attack("output flood", "resource limit", "while True:\n    print('spam ' * 1000)", "end", True),
        Attack("one 50 MB line", "resource limit", "print('x' * 50_000_000)", "end", True),
        Attack(
            "reads and writes gradebook.db",
            "tamper attempt",
            "import glob, sqlite3\n"
            f"paths = glob.glob('/tmp/**/gradebook.db', recursive=True) + [{context['decoy_db']!r}]\n"
            "for p in paths:\n"
            "    try:\n"
            "        db = sqlite3.connect(p)\n"
            "        db.execute('update grade set auto_score = 101')\n"
            "        db.commit()\n"
            "    except Exception:\n"
            "        pass",
        ),
        Attack(
            "reads the solutions",
            "tamper attempt",
            steal_and_run + f"try:\n    _run_answers({str(solution)!r})\nexcept OSError:\n    pass",
            where="end",
        ),
        Attack(
            "reads another student's work",
            "tamper attempt",
            steal_and_run
            + "for p in glob.glob('/tmp/gdlab-grade-*/students/*/submitted/*/*/*.ipynb') + glob.glob("
            + repr(str(context["submissions"]) + "/*/*/*.ipynb")
            + "):\n    try:\n        _run_answers(p)\n    except Exception:\n        pass",
            where="end",
        ),
        Attack(
            "network connection",
            "tamper attempt",
            "import socket\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {context['port']}), timeout=3).sendall(b'{MARKER}')\n"
            "except OSError:\n"
            "    pass",
        ),
        Attack(
            "reassigns numpy",
            "tamper attempt",
            "import numpy as np\n"
            "np.allclose = lambda *a, **k: True\n"
            "np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, bool)\n"
            "np.array_equal = lambda *a, **k: True\n"
            "np.testing.assert_allclose = lambda *a, **k: None",
        ),
        Attack(
            "reassigns builtins",
            "tamper attempt",
            "import builtins\n_real_abs = builtins.abs\nbuiltins.abs = lambda x: 0 * _real_abs(x)\n"
            "builtins.AssertionError = type('Quiet', (Exception,), {})",
        ),
        Attack(
            "replaces the test helpers",
            "tamper attempt",
            "import gdlab.checks\n"
            "for _name in dir(gdlab.checks):\n"
            "    if _name.startswith('check_'):\n"
            "        setattr(gdlab.checks, _name, lambda *a, **k: None)\n"
            "check_close = check_equal = check_true = check_raises = lambda *a, **k: None",
        ),
        Attack(
            "IPython input transformer",
            "tamper attempt",
            "def _blank_tests(lines):\n"
            "    text = ''.join(lines)\n"
            "    return ['pass\\n'] if 'check_' in text or 'assert' in text else lines\n"
            "get_ipython().input_transformers_post.append(_blank_tests)",
        ),
        Attack(
            "IPython exception handler",
            "tamper attempt",
            "get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)",
        ),
        Attack(
            "detached process left running",
            "tamper attempt",
            "import subprocess, sys\n"
            f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(900)  # {MARKER}'], start_new_session=True)\n"
            f"open('/tmp/{MARKER}-pwned', 'w').write('x')",
            where="end",
            keeps_points=True,
        ),
        Attack("deleted test cells", "tamper attempt", where="special"),
        Attack("edited test cells", "tamper attempt", where="special"),
        Attack("duplicated test cells", "tamper attempt", where="special"),
        Attack("faked outputs", None, where="special"),
        Attack("wrong kernelspec", "tamper attempt", where="special"),
        Attack("malformed JSON", "malformed notebook", where="special"),
        Attack("nbformat 3", "malformed notebook", where="special"),
    ]


def hostile_notebook(attack: Attack) -> nbformat.NotebookNode | str:
    """The base notebook with ``attack`` applied (raw text for the malformed ones)."""
    nb = base_notebook()
    tests = [c for c in nb.cells if nbgrader_meta(c).get("grade") and c.cell_type == "code"]
    if attack.where in ("top", "end"):
        cell = new_code_cell(attack.cell)
        if attack.where == "end":
            nb.cells.append(cell)
        else:
            setup = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == "setup")
            nb.cells.insert(setup + 1, cell)
    elif attack.name == "deleted test cells":
        nb.cells = [c for c in nb.cells if c not in tests[-2:]]
    elif attack.name == "edited test cells":
        for cell in tests:
            cell.source = "pass"
    elif attack.name == "duplicated test cells":
        for cell in tests[-2:]:
            twin = copy.deepcopy(cell)
            twin.source = "pass"
            nb.cells.insert(nb.cells.index(cell), twin)
            cell.metadata.nbgrader["grade_id"] += "_x"
    elif attack.name == "faked outputs":
        for cell in tests:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="all tests passed\n")]
            cell.execution_count = 1
    elif attack.name == "wrong kernelspec":
        nb.metadata["kernelspec"] = {"name": "bash", "display_name": "Bash", "language": "bash"}
    elif attack.name == "malformed JSON":
        return nbformat.writes(nb)[:-200]
    elif attack.name == "nbformat 3":
        return json.dumps(json.loads(nbformat.writes(nbformat.v3.convert.downgrade(nb), version=3)))
    return nb
