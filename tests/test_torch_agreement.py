"""Notebook 05's solution optimizers agree with torch.optim step for step (float64, 100 steps).

Optional: needs PyTorch (``pip install torch==2.13.0``); skipped with that reason otherwise.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.notebook_harness import run_notebook

torch = pytest.importorskip(
    "torch", reason="PyTorch not installed: pip install torch==2.13.0 to run the agreement test"
)

STEPS = 100
SHAPES = {"W1": (5, 4), "b1": (4,), "W2": (4, 3, 2), "s": (1,)}

# (notebook class, its kwargs, torch.optim class name, torch kwargs)
CASES = [
    ("SGD", {"lr": 0.01}, "SGD", {"lr": 0.01}),
    ("SGD", {"lr": 0.3}, "SGD", {"lr": 0.3}),
    ("Momentum", {}, "SGD", {"lr": 0.01, "momentum": 0.9}),
    ("Momentum", {"lr": 0.05, "momentum": 0.5}, "SGD", {"lr": 0.05, "momentum": 0.5}),
    ("Nesterov", {}, "SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    ("Nesterov", {"lr": 0.003, "momentum": 0.99}, "SGD", {"lr": 0.003, "momentum": 0.99, "nesterov": True}),
    ("AdaGrad", {}, "Adagrad", {"lr": 0.01}),
    ("AdaGrad", {"lr": 0.5, "eps": 1e-6}, "Adagrad", {"lr": 0.5, "eps": 1e-6}),
    ("RMSprop", {}, "RMSprop", {"lr": 0.01}),
    (
        "RMSprop",
        {"lr": 0.002, "alpha": 0.9, "eps": 1e-5},
        "RMSprop",
        {"lr": 0.002, "alpha": 0.9, "eps": 1e-5},
    ),
    ("AdaDelta", {}, "Adadelta", {}),
    ("AdaDelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-4}, "Adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-4}),
    ("Adam", {}, "Adam", {}),
    (
        "Adam",
        {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6},
        "Adam",
        {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6},
    ),
    ("Adam", {"amsgrad": True}, "Adam", {"amsgrad": True}),
    (
        "Adam",
        {"lr": 0.01, "betas": (0.5, 0.9), "amsgrad": True},
        "Adam",
        {"lr": 0.01, "betas": (0.5, 0.9), "amsgrad": True},
    ),
    ("Nadam", {}, "NAdam", {}),
    (
        "Nadam",
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "momentum_decay": 0.05},
        "NAdam",
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "momentum_decay": 0.05},
    ),
]


@pytest.fixture(scope="module")
def solution() -> dict:
    """The solution notebook's namespace (demo cells skipped)."""
    return run_notebook("05_optimizers", stop_after={"test_Nadam"}).namespace


@pytest.fixture(autouse=True)
def float64_default():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def random_gradients(rng: np.random.Generator, params: dict) -> dict:
    """Gradients of sizes 1e-7 ... 10 (tiny entries make ε's placement matter)."""
    scale = 10.0 ** rng.uniform(-3, 1)
    return {
        k: rng.normal(size=v.shape) * 10.0 ** rng.uniform(-4, 0, size=v.shape) * scale
        for k, v in params.items()
    }


def quadratic_gradients(problem: dict, params: dict) -> dict:
    """Gradients of Σ_k ½ (θ_k − c_k)ᵀ A_k (θ_k − c_k) with random SPD A_k."""
    grads = {}
    for key, value in params.items():
        A, c = problem[key]
        grads[key] = (A @ (value.ravel() - c)).reshape(value.shape)
    return grads


def run_both(solution: dict, case: tuple, kind: str, seed: int) -> tuple[dict, dict]:
    name, kwargs, torch_name, torch_kwargs = case
    rng = np.random.default_rng(seed)
    params = {k: rng.normal(size=s) for k, s in SHAPES.items()}
    problem = {}
    for key, value in params.items():
        Q = rng.normal(size=(value.size, value.size))
        problem[key] = (Q @ Q.T / value.size + 0.1 * np.eye(value.size), rng.normal(size=value.size))
    tensors = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    ours = solution[name](**kwargs)
    theirs = getattr(torch.optim, torch_name)(list(tensors.values()), **torch_kwargs)
    for _ in range(STEPS):
        grads = random_gradients(rng, params) if kind == "random" else quadratic_gradients(problem, params)
        ours.update(params, grads)
        for key, tensor in tensors.items():
            tensor.grad = torch.tensor(grads[key])
        theirs.step()
    return params, {k: t.detach().numpy() for k, t in tensors.items()}


@pytest.mark.parametrize("kind", ["random", "quadratic"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_agrees_with_torch_optim(solution: dict, case: tuple, kind: str) -> None:
    ours, theirs = run_both(solution, case, kind, seed=CASES.index(case) * 2 + (kind == "quadratic"))
    for key in SHAPES:
        assert np.all(np.isfinite(ours[key])), f"{case[0]} {case[1]}: {key} is not finite"
        np.testing.assert_allclose(
            ours[key], theirs[key], rtol=1e-10, atol=1e-12, err_msg=f"{case[0]} {case[1]}: {key}"
        )
