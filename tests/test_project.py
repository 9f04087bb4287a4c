"""The project's own rules: dependencies in sync, lib/ tracked, lint, no outputs, no answers in lib."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

from tests.notebook_harness import ROOT, nbgrader_meta

RUFF = [sys.executable, "-m", "ruff"]


def _requirement(text: str) -> tuple[str, str]:
    """(normalized name, version spec without spaces) of a requirement like 'numpy>=1.24'."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*(#.*)?$", text)
    assert match, f"cannot parse requirement {text!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _environment_yml() -> set[tuple[str, str]]:
    entries, in_dependencies = set(), False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if re.match(r"^\S", line):
            in_dependencies = line.startswith("dependencies:")
        item = re.match(r"^\s+-\s+(.+)$", line)
        if not in_dependencies or not item or item.group(1).startswith(("pip:", "#")):
            continue
        value = item.group(1).split("#")[0].strip()
        if value in ("pip", "-e .") or value.startswith("python"):
            continue
        entries.add(_requirement(value))
    return entries


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    assert wanted, "no dependencies read from pyproject.toml"
    have = _environment_yml()
    assert have == wanted, (
        f"only in pyproject.toml: {sorted(wanted - have)}; only in environment.yml: {sorted(have - wanted)}"
    )


def test_lib_is_tracked_by_git() -> None:
    if not (ROOT / ".git").exists():
        pytest.fail("not a git checkout: cannot check that lib/ is tracked")
    tracked = subprocess.run(
        ["git", "ls-files", "lib"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for module in sorted((ROOT / "lib" / "gdlab").glob("*.py")):
        assert str(module.relative_to(ROOT)) in tracked.splitlines(), (
            f"{module.relative_to(ROOT)} is not tracked"
        )
        ignored = subprocess.run(["git", "check-ignore", "-q", str(module)], cwd=ROOT)
        assert ignored.returncode == 1, f".gitignore ignores {module.relative_to(ROOT)}"


def test_ruff_lint_is_clean() -> None:
    run = subprocess.run([*RUFF, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_is_clean() -> None:
    run = subprocess.run(
        [*RUFF, "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _all_notebooks() -> list[Path]:
    return sorted(p for d in ("solutions", "notebooks") for p in (ROOT / d).glob("*/*.ipynb"))


def test_there_are_notebooks() -> None:
    assert len(list((ROOT / "solutions").glob("*/*.ipynb"))) >= 1
    assert len(list((ROOT / "notebooks").glob("*/*.ipynb"))) == len(
        list((ROOT / "solutions").glob("*/*.ipynb"))
    )


@pytest.mark.parametrize("path", _all_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebook_has_no_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert dirty == [], f"code cells {dirty} carry outputs"


def test_lib_holds_no_answers() -> None:
    graded = set()
    for path in (ROOT / "solutions").glob("*/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = nbgrader_meta(cell)
            if cell.cell_type == "code" and meta.get("solution"):
                graded |= set(re.findall(r"^(?:def|class)\s+([A-Za-z_]\w*)", cell.source, re.M))
    assert graded, "found no graded functions in solutions/"
    for module in (ROOT / "lib" / "gdlab").glob("*.py"):
        defined = set(re.findall(r"^\s*(?:def|class)\s+([A-Za-z_]\w*)", module.read_text(), re.M))
        assert not defined & graded, f"{module.name} defines graded exercise(s) {sorted(defined & graded)}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", ci, re.M), ".ci/run must run the README's test command"


def test_ci_refuses_every_skip(tmp_path: Path) -> None:
    """With GDLAB_TESTS_MUST_RUN=1 (set by .ci/run), a skip of any kind fails the run."""
    assert re.search(r"^export GDLAB_TESTS_MUST_RUN=1$", (ROOT / ".ci" / "run").read_text(), re.M)
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (tmp_path / "test_kinds.py").write_text(
        "import pytest\n\n"
        "def test_runs():\n    pass\n\n"
        "def test_skips_inside():\n    pytest.skip('no sandbox here')\n\n"
        "@pytest.mark.skipif(True, reason='not root')\ndef test_skipped_by_marker():\n    pass\n"
    )
    (tmp_path / "test_module_skip.py").write_text(
        "import pytest\n\npytest.importorskip('no_such_module_here')\n"
    )

    def run(must_run: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "GDLAB_TESTS_MUST_RUN": must_run}
        options = ["-q", "-p", "no:cacheprovider", "--continue-on-collection-errors", str(tmp_path)]
        command = [sys.executable, "-m", "pytest", *options]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    relaxed = run("0")
    assert relaxed.returncode == 0 and "1 passed, 3 skipped" in relaxed.stdout, relaxed.stdout
    strict = run("1")
    assert strict.returncode != 0, strict.stdout
    for reason in ("no sandbox here", "not root", "no_such_module_here"):
        assert re.search(
            rf"skipped where every test must run \(GDLAB_TESTS_MUST_RUN=1\): .*{reason}", strict.stdout
        )
    assert "1 failed, 1 passed, 2 errors" in strict.stdout, strict.stdout
