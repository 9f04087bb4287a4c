"""Notebooks 05 and 06: every number the text states is the one the notebook computes.

Each test runs the notebook's own code (the cell that computes a number, or the solution's
classes through the mutant harness) and checks the markdown against it, so the text cannot
drift from what runs. The full-MNIST test reads ../shared/data/mnist and is skipped where the
files are not (they are on development and CI machines only).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import time
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tests.notebook_harness import code_source, notebook_path, run_notebook

ROOT = Path(__file__).resolve().parents[1]
FULL_MNIST = ROOT.parent / "shared" / "data" / "mnist"
OPTIMIZERS, MNIST = "05_optimizers", "06_minibatch_mnist"


def cells_of(assignment: str) -> dict[str, nbformat.NotebookNode]:
    """The solution notebook's cells by cell id."""
    return {cell.id: cell for cell in nbformat.read(notebook_path(assignment), as_version=4).cells}


def markdown_of(assignment: str) -> str:
    """All markdown of the solution notebook, as one text."""
    return "\n".join(c.source for c in cells_of(assignment).values() if c.cell_type == "markdown")


def run_cell(assignment: str, cell_id: str, namespace: dict | None = None) -> tuple[dict, str]:
    """Execute one code cell of the solution notebook; return its namespace and what it printed."""
    namespace = {"np": np} if namespace is None else namespace
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code_source(cells_of(assignment)[cell_id].source), cell_id, "exec"), namespace)
    return namespace, printed.getvalue()


def sci(value: float) -> str:
    """A number as the lessons write it: 9.90e-4 (three digits, no zero-padded exponent)."""
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa}e{int(exponent)}"


@pytest.fixture(scope="module")
def adam_steps() -> dict:
    """The first Adam step sizes computed by notebook 05's cell, by (form, ε, g)."""
    namespace, _ = run_cell(OPTIMIZERS, "adam-first-steps")
    return namespace["first_steps"]


def test_adam_epsilon_section_quotes_the_computed_steps_with_their_epsilon(adam_steps: dict) -> None:
    text = cells_of(OPTIMIZERS)["cell-28"].source
    torch_6, torch_9 = adam_steps[("torch", 1e-8, 1e-6)], adam_steps[("torch", 1e-8, 1e-9)]
    hat8_6, hat8_9 = adam_steps[("ε-hat", 1e-8, 1e-6)], adam_steps[("ε-hat", 1e-8, 1e-9)]
    hat7_6, hat7_9 = adam_steps[("ε-hat", 1e-7, 1e-6)], adam_steps[("ε-hat", 1e-7, 1e-9)]
    # the figures issue 15 checked by hand
    assert [sci(v) for v in (torch_6, torch_9, hat8_6, hat8_9, hat7_6, hat7_9)] == [
        "9.90e-4",
        "9.09e-5",
        "7.60e-4",
        "3.15e-6",
        "2.40e-4",
        "3.16e-7",
    ]
    same_eps = text[text.index("With the same ε = 1e-8") : text.index("With ε = 1e-7")]
    for value in (torch_6, hat8_6, torch_9, hat8_9):
        assert sci(value) in same_eps
    other_eps = text[text.index("With ε = 1e-7") :]
    assert sci(hat7_6) in other_eps and sci(hat7_9) in other_eps
    # the ε-hat form is torch's with ε replaced by ε/√(1 − β₂ᵗ), not ε·√(1 − β₂ᵗ)
    assert "replaced by $\\varepsilon/\\sqrt{1-\\beta_2^t}$" in text
    assert "using $\\varepsilon\\sqrt{1-\\beta_2^t}$ in torch's form" not in text


def test_adam_written_question_and_answer_use_the_computed_steps(adam_steps: dict) -> None:
    cells = cells_of(OPTIMIZERS)
    question, answer = cells["cell-43"].source, cells["explain-adam-epsilon"].source
    assert f"{sci(adam_steps[('torch', 1e-8, 1e-6)])} in torch's form" in question
    assert f"{sci(adam_steps[('ε-hat', 1e-8, 1e-6)])} in the ε-hat form, both with ε = 1e-8" in question
    assert f"{sci(adam_steps[('ε-hat', 1e-7, 1e-6)])} in the ε-hat form with ε = 1e-7" in question
    # the answer's multiples of η = 1e-3
    assert f"{adam_steps[('ε-hat', 1e-8, 1e-6)] / 1e-3:.2f} η" in answer
    assert f"{adam_steps[('ε-hat', 1e-7, 1e-6)] / 1e-3:.2f} η" in answer
    assert f"{adam_steps[('torch', 1e-8, 1e-6)] / 1e-3:.2f} η" in answer


def test_adam_test_hint_matches_the_epsilon_hat_step(adam_steps: dict) -> None:
    test = cells_of(OPTIMIZERS)["test-Adam"].source
    hinted = re.search(r"\[(0\.000759\d+), (-3\.15\d+e-06)\]", test)
    assert hinted, "the ε-hat hint of the tiny-gradient check is missing"
    assert float(hinted.group(1)) == pytest.approx(adam_steps[("ε-hat", 1e-8, 1e-6)], rel=1e-9)
    assert -float(hinted.group(2)) == pytest.approx(adam_steps[("ε-hat", 1e-8, 1e-9)], rel=1e-9)


def test_nadam_warmup_lengths_are_the_computed_ones() -> None:
    _, printed = run_cell(OPTIMIZERS, "nadam-warmup")
    torch_line, keras_line = printed.splitlines()
    torch_close = int(re.search(r"≥ 0.89 from t = ([\d,]+)", torch_line).group(1).replace(",", ""))
    keras_close = int(re.search(r"≥ 0.89 from t = ([\d,]+)", keras_line).group(1).replace(",", ""))
    keras_first = float(re.search(r"μ_1 = ([\d.]+)", keras_line).group(1))
    text = cells_of(OPTIMIZERS)["cell-31"].source
    assert 10_000 <= torch_close < 100_000 and "over tens of thousands of steps" in text
    assert "few thousand" not in text
    assert keras_close < 100 and "in\nunder a hundred steps" in text
    assert f"from {keras_first:.2f}" in text


@pytest.fixture(scope="module")
def optimizer_namespace() -> dict:
    """Notebook 05's definitions (the solution's classes and tools)."""
    return run_notebook(OPTIMIZERS).namespace


def test_bowl_end_points_in_the_text_are_the_computed_ones(optimizer_namespace: dict) -> None:
    ns = optimizer_namespace
    text = cells_of(OPTIMIZERS)["cell-34"].source
    for name, lr in (("SGD", 0.95), ("Momentum", 0.1), ("AdaGrad", 1.5), ("Adam", 0.3)):
        quoted = re.search(rf"{name}\s\((−?[\d.]+), (−?[\d.]+)\)", text)
        assert quoted, f"no end point for {name}"
        end = ns["trajectory"](ns[name](lr=lr), ns["bowl_grad"], (-7.0, 2.0), 30)[-1]
        for number, value in zip(quoted.groups(), end, strict=True):
            assert float(number.replace("−", "-")) == pytest.approx(value, abs=6e-4)


def test_sgd_sentence_agrees_with_its_end_point(optimizer_namespace: dict) -> None:
    ns = optimizer_namespace
    end = ns["trajectory"](ns["SGD"](lr=0.95), ns["bowl_grad"], (-7.0, 2.0), 30)[-1]
    text = cells_of(OPTIMIZERS)["cell-37"].source
    assert "barely moves along" not in text
    assert abs(end[0]) < 0.1 * 7.0  # most of the way along x ...
    assert "most of the way along $x$" in text and f"({end[0]:.3f}, {end[1]:.3f})".replace("-", "−") in text


def test_nesterov_text_says_the_book_uses_the_new_v(optimizer_namespace: dict) -> None:
    text = cells_of(OPTIMIZERS)["cell-16"].source
    assert "with the *new* $v$" in text and "a different algorithm from torch's" in text
    # and it is different: the book's update (new v) against torch's, from the same start
    mu, lr, g = 0.9, 0.1, np.array([1.0, -2.0])
    ns = optimizer_namespace
    params = {"p": np.zeros(2)}
    opt = ns["Nesterov"](lr=lr, momentum=mu)
    book, v = np.zeros(2), np.zeros(2)
    for _ in range(2):
        opt.update(params, {"p": g})
        v = mu * v - lr * g
        book = book + mu * mu * v - (1 + mu) * lr * g
    assert not np.allclose(book, params["p"])


def test_summary_says_notebook_06_brings_its_own_optimizers() -> None:
    text = cells_of(OPTIMIZERS)["cell-45"].source
    assert "with these classes" not in text and "brings its\nown `SGD`, `Momentum` and `Adam`" in text
    provided = ast.parse(cells_of(MNIST)["provided-optimizers"].source)
    assert {node.name for node in provided.body if isinstance(node, ast.ClassDef)} == {
        "SGD",
        "Momentum",
        "Adam",
    }


def test_no_reference_to_a_missing_references_file() -> None:
    for assignment in (OPTIMIZERS, MNIST):
        for cell in cells_of(assignment).values():
            assert "REFERENCES" not in cell.source, f"{assignment} {cell.id} cites REFERENCES.md"
    sources = markdown_of(OPTIMIZERS)
    for source in ("Kingma & Ba", "Dozat", "Zeiler", "Duchi", "Hinton", "Reddi", "Sutskever", "torch.optim"):
        assert source in sources


@pytest.mark.parametrize("assignment", [OPTIMIZERS, MNIST])
def test_setup_cell_displays_nothing(assignment: str) -> None:
    """Jupyter displays the value of a cell's last expression: it must be None (np.seterr returns a dict)."""
    tree = ast.parse(code_source(cells_of(assignment)["setup"].source))
    namespace: dict = {}
    last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
    saved = np.geterr()
    try:
        with warnings.catch_warnings():
            exec(compile(tree, "setup", "exec"), namespace)
            if last is not None:
                assert eval(compile(ast.Expression(last.value), "setup", "eval"), namespace) is None
    finally:
        np.seterr(**saved)


def test_optimizer_families_memory_and_korean_names() -> None:
    text = markdown_of(OPTIMIZERS)
    assert "**Three families, and their memory.**" in text
    for korean in ("모멘텀", "네스테로프 모멘텀", "아다그라드", "알엠에스프롭", "아다델타", "아담", "나담"):
        assert korean in text


def test_duplicate_probability_claims_are_the_computed_ones() -> None:
    _, printed = run_cell(MNIST, "duplicate-probability")
    shares = {
        int(n.replace(",", "")): float(p) / 100
        for n, p in re.findall(r"from ([\d,]+) images holds a duplicate with probability ([\d.]+)%", printed)
    }
    assert shares[60_000] < 0.1  # "rarely"
    assert shares[4_000] > 0.5  # "in most batches"
    text = cells_of(MNIST)["markdown-4"].source
    assert "rarely\n  for a batch of 100 from 60,000 images, in most batches from the 4,000" in text
    assert "samples **with** replacement" in text and "This course teaches `replace=False`" in text
    assert "mini-batch SGD is what people" in text


def test_bias_shape_demo_shows_what_the_text_says() -> None:
    _, printed = run_cell(MNIST, "bias-shapes")
    lines = printed.splitlines()
    assert "(32, 32)" in lines[0] and "(32, 32)" in lines[1] and "ValueError" in lines[2]
    text = cells_of(MNIST)["markdown-11"].source
    assert "silently gives\na `(32, 32)` result" in text and "depends only on the output node" in text


def test_korean_terms_of_notebook_06() -> None:
    text = markdown_of(MNIST)
    for korean in ("훈련 데이터", "시험 데이터", "범용\n능력", "오버피팅"):
        assert korean in text


def test_optimizer_errors_name_the_optimizer() -> None:
    """Errors inside update() reach the student as messages naming the optimizer, never as raw ValueErrors."""
    from tests.mutants.nb05_optimizers import MUTANTS

    for cell, spec in MUTANTS.items():
        for name, source in spec["wrong"].items():
            run = run_notebook(OPTIMIZERS, replacements={cell: source}, stop_after=set(spec["tests"]))
            error = run.test_cell(spec["tests"][0]).error
            assert error.startswith(("AssertionError", "gdlab.checks.CheckFailure")), (cell, name, error)
            assert cell in error, (cell, name, error)


def test_compensating_loss_and_gradient_fail_the_gradient_test_too() -> None:
    from tests.mutants.nb06_minibatch_mnist import MUTANTS

    source = MUTANTS["TwoLayerNet"]["wrong"][
        "loss and gradient: a summed loss and a gradient without the 1/N (they agree with each other)"
    ]
    run = run_notebook(MNIST, replacements={"TwoLayerNet": source}, stop_after={"test_gradient"})
    assert run.test_cell("test_loss").failed
    assert "N times too large" in run.test_cell("test_gradient").error


def train_on(data_dir: Path | None, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, float, int]:
    """Run notebook 06's data cell and its training section; return its history, the seconds it
    measured and the number of training digits."""
    from gdlab import data

    if data_dir is None:
        monkeypatch.delenv("GDLAB_MNIST_DIR", raising=False)
    else:
        monkeypatch.setenv("GDLAB_MNIST_DIR", str(data_dir))
    data._parse_folder.cache_clear()
    namespace = run_notebook(MNIST).namespace
    with contextlib.redirect_stderr(io.StringIO()):
        run_cell(MNIST, "code-3", namespace)
        _, printed = run_cell(MNIST, "code-29", namespace)
    import matplotlib.pyplot as plt

    plt.close("all")
    print(printed)
    return namespace["history"], namespace["seconds"], len(namespace["x_train"])


def test_training_section_on_the_embedded_digits_runs_in_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GDLAB_OFFLINE", "1")
    start = time.perf_counter()
    history, seconds, n_train = train_on(None, monkeypatch)
    assert n_train == 4_000
    assert len(history["test_acc"]) == 10 and history["test_acc"][-1] > 0.85
    # "seconds" on an idle machine; the time is reported, not asserted, since the machine may be shared
    print(f"embedded digits: {seconds:.1f} s of training, {time.perf_counter() - start:.1f} s in all")


@pytest.mark.fulldata
def test_training_section_reaches_98_percent_on_full_mnist(monkeypatch: pytest.MonkeyPatch) -> None:
    if not FULL_MNIST.is_dir():
        pytest.skip(f"full MNIST not found at {FULL_MNIST}: it is only on development and CI machines")
    history, seconds, n_train = train_on(FULL_MNIST, monkeypatch)
    assert n_train == 60_000
    assert history["test_acc"][-1] >= 0.98, (
        f"test accuracy {history['test_acc'][-1]:.2%} after {seconds:.0f} s"
    )
    # the target is 60 s on 2 idle cores; on a shared machine only report the time
    print(f"full MNIST: {history['test_acc'][-1]:.2%} test accuracy, {seconds:.1f} s of training")
