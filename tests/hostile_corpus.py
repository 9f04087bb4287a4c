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
from nbformat.v4 import new_code_cell, new_markdown_cell

from tests.notebook_harness import ROOT, nbgrader_meta

ASSIGNMENT = "04_learning_rate"
MARKER = "gdlab-hostile-7f3a"  # names the files and processes the attacks try to leave behind
SECRET = f"{MARKER}-grading-secret-5eed"  # the grading secret of the hostile batch: never in a feedback file
PROBE_MIME = "application/x-gdlab-probe+json"
#: what a script planted by a submission sets when it runs in the browser (it never may)
PWNED = "window.__gdlab_pwned"


@dataclass
class Attack:
    """One hostile submission: what it does and the audit flag it must raise (None: no flag required)."""

    name: str
    flag: str | None
    cell: str = ""
    where: str = (
        "top"  # "top": after the setup cell; "end": after the last cell; "after:<grade_id>"; "markdown"
    )
    keeps_points: bool = False  # an attack at the end must not cost the points earned before it
    end_cell: str = ""  # a second cell, appended at the end (e.g. to print what the first one captured)


def base_notebook() -> nbformat.NotebookNode:
    """The released notebook with every answer filled in, the last two exercises wrongly, no demo cells."""
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
    # Demonstrations (plots, slow runs) are no target and no test needs them: leaving them out keeps
    # the batch fast, and a busy machine from timing out the honest baseline itself.
    nb.cells = [c for c in nb.cells if "demo" not in c.metadata.get("tags", [])]
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
            # the grader's workspaces (``gdlab-grade-*/<assignment>/students/...``) at any depth
            + "for p in glob.glob('/tmp/gdlab-grade-*/**/submitted/*/*/*.ipynb', recursive=True) + glob.glob("
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
        *in_kernel_attacks(),
        Attack("deleted test cells", "tamper attempt", where="special"),
        Attack("edited test cells", "tamper attempt", where="special"),
        Attack("duplicated test cells", "tamper attempt", where="special"),
        Attack("faked outputs", None, where="special"),
        Attack("wrong kernelspec", "tamper attempt", where="special"),
        Attack("malformed JSON", "malformed notebook", where="special"),
        Attack("nbformat 3", "malformed notebook", where="special"),
    ]


def _forge(result: str) -> str:
    """A cell body that makes every probe of the kernel display ``result`` (a Python expression)."""
    return (
        "import gdlab_autograde.probes as _p\n"
        "from IPython.display import display as _display\n"
        "def _forged(*args, **kwargs):\n"
        f"    _display({{{PROBE_MIME!r}: {{'result': {result}}}}}, raw=True)\n"
        "_p.emit = _forged\n"
    )


def _spy(function: str, body: str) -> str:
    """A cell that wraps the student's (correct) ``function`` so each call first runs ``body``."""
    return (
        "import inspect, os, sys\n"
        f"_real_{function} = {function}\n"
        "_captured = globals().setdefault('_captured', [])\n"
        f"def {function}(*args, **kwargs):\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
        + f"    return _real_{function}(*args, **kwargs)\n"
    )


LEAK = (
    f"print('{MARKER}-leak', _captured)\n"
    f"for _path in ('/tmp/{MARKER}-capture', '{MARKER}-capture'):\n"
    "    try:\n"
    "        print(open(_path).read())\n"
    "    except OSError:\n"
    "        pass"
)
CAPTURE_FRAMES = (
    "for _f in inspect.stack()[1:6]:\n"
    "    _text = repr(_f.frame.f_locals)[:2000] + str(_f.code_context) + _f.filename\n"
    "    try:\n"
    "        _text += inspect.getsource(_f.frame)\n"
    "    except Exception:\n"
    "        pass\n"
    "    _captured.append(_text)\n"
    "    for _name in ('seed', 'code'):\n"
    "        if _name in _f.frame.f_locals:\n"
    "            _captured.append(repr(_f.frame.f_locals[_name]))\n"
    "_captured.append(repr(args)[:2000])\n"
    "_captured.append(repr(get_ipython().kernel.get_parent().get('content', {}).get('code', ''))[:5000])\n"
    f"open('/tmp/{MARKER}-capture', 'a').write(repr(_captured))\n"
    f"open('{MARKER}-capture', 'a').write(repr(_captured))"
)
SCRIPTS = (
    f"<script>{PWNED} = 'script'</script>"
    f"<img src=x onerror=\"{PWNED} = 'onerror'\">"
    f"<a id=js href=\"javascript:{PWNED} = 'link'\">click</a>"
    f"<svg onload=\"{PWNED} = 'svg'\"><script>{PWNED} = 'svg script'</script></svg>"
    f"<iframe srcdoc=\"<script>parent.__gdlab_pwned = 'iframe'</script>\"></iframe>"
    f"<style>@import url(http://127.0.0.1:1/{MARKER});</style>"
)


JS = f"{PWNED} = 'js'"


def in_kernel_attacks() -> list[Attack]:
    """Attacks on the two-phase engine from inside the kernel: leaks, forged probes, planted script."""
    return [
        Attack(
            "prints In, _ih, Out and the history",
            None,
            "print(In)\nprint(_ih)\nprint(Out)\nget_ipython().run_line_magic('history', '-g')\n"
            "print(get_ipython().history_manager.input_hist_raw)\n"
            "print([v for k, v in globals().items() if k.startswith('_i')])",
            where="end",
            keeps_points=True,
        ),
        Attack(
            "captures hidden inputs from the caller's frame, prints them later",
            None,
            _spy("standardize", CAPTURE_FRAMES),
            where="after:standardize",
            end_cell=LEAK,
        ),
        Attack(
            "captures the probe seed from the probe's frame, prints it later",
            None,
            _spy("step_decay", CAPTURE_FRAMES),
            where="after:step_decay",
            end_cell=LEAK,
        ),
        Attack(
            "prints the grader's modules, snapshots and parent message",
            None,
            "import sys\nprint({k: getattr(v, '__file__', '') for k, v in sys.modules.items() if 'gdlab' in k})\n"
            "import gdlab_autograde.probes as _p\nprint(vars(_p).get('_SNAPSHOTS'))\n"
            "print(get_ipython().kernel.get_parent())\nprint(get_ipython().parent_header)",
            where="end",
            keeps_points=True,
        ),
        Attack(
            "reads /proc/1/environ and its own environment",
            None,
            "import glob, os\nprint(dict(os.environ))\n"
            "for _p in ['/proc/1/environ', '/proc/self/environ', *glob.glob('/proc/*/environ')]:\n"
            "    try:\n"
            "        print(_p, open(_p, 'rb').read())\n"
            "    except OSError as e:\n"
            "        print(_p, e)",
            where="end",
            keeps_points=True,
        ),
        Attack(
            "forged probe display from a student cell",
            None,
            "from IPython.display import display\n"
            f"for _g in ['test_exponential_decay', 'test_inverse_time_decay']:\n"
            f"    display({{{PROBE_MIME!r}: {{'grade_id': _g, 'result': [0.1] * 10}}}}, raw=True)",
            where="end",
            keeps_points=True,
        ),
        Attack("student cell carrying probe metadata", None, where="special"),
        Attack(
            "forged probe display from the graded function during the probe",
            None,
            _spy(
                "exponential_decay",
                "from IPython.display import display\n"
                f"display({{{PROBE_MIME!r}: {{'result': [0.5] * 8}}}}, raw=True)",
            ),
            where="after:exponential_decay",
        ),
        Attack("forged probe: an integer beyond float range", None, _forge("10 ** 400"), where="end"),
        Attack("forged probe: a dict with unexpected keys", None, _forge("{'surprise': 1}"), where="end"),
        Attack(
            "forged probe: an array whose shape lies",
            None,
            _forge("{'array': [1.0], 'shape': [10 ** 6], 'kind': 'f'}"),
            where="end",
        ),
        Attack("forged probe: nested 900 deep", None, _forge("eval('[' * 900 + ']' * 900)"), where="end"),
        Attack(
            "forged probe: nested 100,000 deep",
            None,
            _forge("__import__('functools').reduce(lambda a, _: [a], range(100_000), [])"),
            where="end",
        ),
        Attack(
            "patched display: every display becomes a forged probe",
            None,
            "import IPython.display, IPython.core.display_functions as _df\n"
            "_real_display = _df.display\n"
            f"def _display(*a, **k):\n    return _real_display({{{PROBE_MIME!r}: {{'result': float('nan')}}}}, raw=True)\n"
            "IPython.display.display = _df.display = _display",
            where="end",
        ),
        Attack(
            "patched import: the grader's own calls get a fake module",
            "tamper attempt",
            "import builtins, types\n"
            "_fake = types.SimpleNamespace(snapshot=lambda *a: None, run_check=lambda *a: None,\n"
            f"    emit=lambda *a: __import__('IPython').display.display({{{PROBE_MIME!r}: {{'result': [1]}}}}, raw=True))\n"
            "_real_import = builtins.__import__\n"
            "def _import(name, *a, **k):\n"
            "    return _fake if name == 'gdlab_autograde.probes' else _real_import(name, *a, **k)\n"
            "builtins.__import__ = _import",
        ),
        Attack(
            "kills the kernel when called by a hidden check",
            None,
            _spy(
                "standardize",
                "if any('hidden check' in f.filename for f in inspect.stack()):\n    os._exit(9)",
            ),
            where="after:standardize",
        ),
        Attack(
            "hangs, ignoring SIGINT, when called by a hidden check",
            None,
            _spy(
                "inverse_time_decay",
                "import signal\n"
                "if any('hidden check' in f.filename for f in inspect.stack()):\n"
                "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                "    while True:\n"
                "        pass",
            ),
            where="after:inverse_time_decay",
        ),
        Attack(
            "updates an earlier display from inside a hidden check",
            None,
            "from IPython.display import display, update_display\n"
            "display('placeholder', display_id='gdlab-leak')\n"
            + _spy(
                "step_decay",
                "update_display(repr(inspect.stack()[1].frame.f_locals)[:3000], display_id='gdlab-leak')",
            ),
            where="after:step_decay",
        ),
        Attack(
            "a thread that prints what phase 2 leaves behind",
            None,
            _spy("standardize", CAPTURE_FRAMES) + "import threading, time\n"
            "def _chatter():\n"
            "    for _ in range(600):\n"
            f"        print('{MARKER}-leak', _captured[-3:], flush=True)\n"
            "        time.sleep(0.05)\n"
            "threading.Thread(target=_chatter, daemon=True).start()",
            where="after:standardize",
        ),
        Attack(
            "script, onerror, javascript: links and raw HTML in outputs",
            None,
            "from IPython.display import HTML, Javascript, SVG, display\n"
            f"display(HTML({SCRIPTS!r}))\n"
            f"display(Javascript({JS!r}))\n"
            f"display({{'text/html': {SCRIPTS!r}, 'application/javascript': {JS!r}}}, raw=True)\n"
            f'display(SVG(\'<svg xmlns="http://www.w3.org/2000/svg" onload="{PWNED} = 1"><script>{PWNED} = 2</script></svg>\'))\n'
            f"display({{'image/png': 'x\" onerror=\"{PWNED} = 3', 'text/plain': 'img'}}, raw=True)\n"
            f"display({{'image/png': 'iVBORw0KGgo=', 'text/plain': 'img'}}, metadata={{'image/png': {{'width': '1 onerror={PWNED}=4'}}}}, raw=True)\n"
            f"display({{'text/markdown': {SCRIPTS!r}}}, raw=True)",
        ),
        Attack("markdown with script, onerror and javascript: links", None, where="markdown"),
        Attack("script in the notebook's title and cell tags", None, where="special"),
    ]


def hostile_notebook(attack: Attack) -> nbformat.NotebookNode | str:
    """The base notebook with ``attack`` applied (raw text for the malformed ones)."""
    nb = base_notebook()
    tests = [c for c in nb.cells if nbgrader_meta(c).get("grade") and c.cell_type == "code"]
    if attack.where in ("top", "end") or attack.where.startswith("after:"):
        cell = new_code_cell(attack.cell)
        if attack.where == "end":
            nb.cells.append(cell)
        else:
            after = "setup" if attack.where == "top" else attack.where.removeprefix("after:")
            at = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == after)
            nb.cells.insert(at + 1, cell)
    elif attack.where == "markdown":
        for cell in nb.cells:
            if cell.cell_type == "markdown" and nbgrader_meta(cell).get("solution"):
                cell.source += "\n\n" + SCRIPTS  # a written answer
        nb.cells.append(new_markdown_cell(f"# Notes\n\n{SCRIPTS}\n\n[a link](javascript:{PWNED}='md')"))
    elif attack.name == "student cell carrying probe metadata":
        forged = {PROBE_MIME: {"grade_id": "test_exponential_decay", "result": [0.1] * 10}}
        for grade_id in ("test_exponential_decay", "test_inverse_time_decay"):
            cell = new_code_cell(
                f"from IPython.display import display\ndisplay({forged!r}, raw=True)",
                metadata={"gdlab_probe": grade_id},
            )
            cell.outputs = [nbformat.v4.new_output("display_data", data=forged)]
            nb.cells.append(cell)
    elif attack.name == "script in the notebook's title and cell tags":
        nb.metadata["title"] = f"</title><script>{PWNED} = 'title'</script>"
        nb.metadata["widgets"] = {
            "application/vnd.jupyter.widget-state+json": {
                "state": {},
                "version_major": 2,
                "version_minor": 0,
                "x": f"</script><script>{PWNED} = 'widgets'</script>",
            }
        }
        for cell in nb.cells:
            cell.metadata["tags"] = [f'x" onmouseover="{PWNED} = 1', "ok"]
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
    if attack.end_cell:
        nb.cells.append(new_code_cell(attack.end_cell))
    return nb
