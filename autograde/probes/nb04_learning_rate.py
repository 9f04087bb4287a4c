"""Trusted probes of notebook 04 (learning rate): the student's functions on secret random inputs."""

from __future__ import annotations

import numpy as np

from gdlab_autograde.probes import outcome


def _geometric(rng: np.random.Generator, ratio: float, n: int, dims: int = 1) -> np.ndarray:
    """A run c + x0·ratio^t around a random minimum c; (n,) or (n, dims)."""
    t = np.arange(n, dtype=float)
    if dims == 1:
        return rng.uniform(-5, 5) + rng.uniform(0.5, 5) * rng.choice([-1.0, 1.0]) * ratio**t
    c = rng.uniform(-5, 5, size=dims)
    x0 = rng.uniform(0.5, 5, size=dims) * rng.choice([-1.0, 1.0], size=dims)
    return c + x0 * ratio ** t[:, None]


def probe_classify_run(ns: dict, rng: np.random.Generator) -> list:
    classify = ns["classify_run"]
    n = int(rng.integers(30, 80))
    cases = [
        _geometric(rng, rng.uniform(0.05, 0.5), n),  # converged
        _geometric(rng, rng.uniform(-0.5, -0.05), n),  # converged, alternating
        _geometric(
            rng, -(r := rng.uniform(0.2, 0.5)), int(np.log(1e-8) / np.log(r)) + 3
        ),  # still alternating
        _geometric(rng, rng.uniform(0.992, 0.998), n),  # slow
        _geometric(rng, -1.0, n),  # 2-cycle around a non-zero minimum
        _geometric(rng, rng.uniform(-0.998, -0.992), n),  # oscillating
        _geometric(rng, -rng.uniform(1.005, 1.02), 12),  # slowly growing oscillation
        _geometric(rng, rng.uniform(1.2, 2.0), n),  # diverged, monotone
        _geometric(rng, -rng.uniform(1.2, 2.0), n),  # diverged, alternating
        _geometric(rng, rng.uniform(-0.998, -0.992), n, dims=int(rng.integers(2, 4))),
        _geometric(rng, rng.uniform(0.05, 0.5), n, dims=2),
        _geometric(rng, rng.uniform(0.992, 0.998), n, dims=2),
        _geometric(rng, -1.0, n, dims=3).tolist(),  # a list of lists
    ]
    scale = 2.0 ** int(rng.integers(-3, 4))  # a power of two keeps the 10× boundary exact
    cases += [
        np.array([0.0, 1.0, 10.0 + 1.0]) * scale,  # last step exactly 10 × first
        np.array([0.0, 1.0, 10.0 + 1.5]) * scale,
        np.append(_geometric(rng, -1.5, int(rng.integers(3, 10))), np.inf),
        np.append(_geometric(rng, -1.5, int(rng.integers(3, 10))), [np.inf, np.nan]),
        np.concatenate([[1.0], [np.nan], rng.uniform(-1, 1, 3)]),
        np.full(int(rng.integers(3, 6)), rng.uniform(-3, 3)),  # at rest
    ]
    two_d = np.stack(
        [-5 * 0.92 ** np.arange(60.0), rng.uniform(1, 3) * (-rng.uniform(0.95, 0.97)) ** np.arange(60.0)], 1
    )
    two_d[int(rng.integers(5, 60)), int(rng.integers(0, 2))] = rng.choice([np.nan, np.inf, -np.inf])
    cases.append(two_d)
    labels = [outcome(lambda h=h: classify(h)) for h in cases]
    slow = _geometric(rng, 0.9, 30)
    tol = float(np.abs(np.diff(slow))[-1]) * rng.uniform(1.1, 2.0)
    labels.append(outcome(lambda: classify(slow, tol=tol)))
    labels.append(outcome(lambda: classify(slow, tol=tol / 4)))
    labels.append(outcome(lambda: classify(rng.normal(size=int(rng.integers(0, 3))))))
    labels.append(outcome(lambda: classify(rng.normal(size=(2, 2)))))
    history = _geometric(rng, 0.5, 20)
    before = history.copy()
    outcome(lambda: classify(history))
    return [labels, bool(np.array_equal(before, history))]


def probe_max_stable_lr(ns: dict, rng: np.random.Generator) -> list:
    max_stable_lr = ns["max_stable_lr"]
    results = []
    for _ in range(4):
        a = rng.uniform(0.01, 50.0, size=int(rng.integers(2, 7)))
        results.append(outcome(lambda a=a: max_stable_lr(a)))
        results.append(outcome(lambda a=a: max_stable_lr(list(a))))
        results.append(outcome(lambda a=a: max_stable_lr(float(a[0]))))
    bad = rng.uniform(0.1, 5, size=3)
    bad[int(rng.integers(0, 3))] = -rng.uniform(0, 2) * rng.choice([0.0, 1.0])
    results.append(outcome(lambda: max_stable_lr(bad)))
    results.append(outcome(lambda: max_stable_lr(-rng.uniform(0.1, 3))))
    results.append(outcome(lambda: max_stable_lr([])))
    results.append(isinstance(outcome(lambda: max_stable_lr(rng.uniform(0.1, 3))), float))
    return results


def probe_standardize(ns: dict, rng: np.random.Generator) -> list:
    standardize = ns["standardize"]
    results = []
    n, d = int(rng.integers(3, 30)), int(rng.integers(2, 6))
    X = rng.normal(rng.uniform(-100, 100, d), rng.uniform(0.01, 100, d), size=(n, d))
    X[:, int(rng.integers(0, d))] = rng.choice([0.1, 0.3, 0.7, 1.1])  # a constant, inexact column
    before = X.copy()
    Z = outcome(lambda: standardize(X))
    results.append(Z)
    results.append(bool(np.array_equal(before, X)))
    results.append(bool(isinstance(Z, np.ndarray) and np.shares_memory(Z, X)))
    Xi = rng.integers(-20, 20, size=(int(rng.integers(3, 10)), 3))
    Xi[:, 1] = int(rng.integers(-5, 5))
    results.append(outcome(lambda: standardize(Xi)))
    results.append(outcome(lambda: standardize(rng.normal(size=(1, 4)))))
    results.append(outcome(lambda: standardize(rng.normal(5, 3, size=(6, 2)).tolist())))
    return results


def probe_step_decay(ns: dict, rng: np.random.Generator) -> list:
    step_decay = ns["step_decay"]
    lr0, drop, every = rng.uniform(0.01, 1), rng.uniform(0.1, 0.9), int(rng.integers(2, 200))
    epochs = np.sort(rng.integers(0, 1000, size=12))
    return [
        outcome(lambda: step_decay(lr0, epochs, drop, every)),
        outcome(lambda: step_decay(lr0, int(every * 1.5), drop, every)),
        outcome(lambda: step_decay(lr0, every - 1, drop, every)),
        outcome(lambda: step_decay(lr0, 0, drop, every)),
        outcome(lambda: step_decay(lr0, int(rng.integers(0, 60)))),
        outcome(lambda: step_decay(lr0, int(rng.integers(100, 400)))),
        isinstance(outcome(lambda: step_decay(lr0, int(rng.integers(0, 50)))), float),
    ]


def probe_exponential_decay(ns: dict, rng: np.random.Generator) -> list:
    exponential_decay = ns["exponential_decay"]
    lr0, k = rng.uniform(0.01, 1), rng.uniform(0.01, 0.5)
    epochs = rng.integers(0, 200, size=10)
    return [
        outcome(lambda: exponential_decay(lr0, epochs, k)),
        outcome(lambda: exponential_decay(lr0, int(rng.integers(1, 50)), k)),
        outcome(lambda: exponential_decay(lr0, int(rng.integers(1, 50)))),
        isinstance(outcome(lambda: exponential_decay(lr0, int(rng.integers(0, 50)))), float),
    ]


def probe_inverse_time_decay(ns: dict, rng: np.random.Generator) -> list:
    inverse_time_decay = ns["inverse_time_decay"]
    lr0, k = rng.uniform(0.01, 1), rng.uniform(0.01, 2)
    epochs = rng.integers(0, 1000, size=10)
    return [
        outcome(lambda: inverse_time_decay(lr0, epochs, k)),
        outcome(lambda: inverse_time_decay(lr0, 0, k)),
        outcome(lambda: inverse_time_decay(lr0, int(rng.integers(1, 100)))),
        isinstance(outcome(lambda: inverse_time_decay(lr0, int(rng.integers(0, 50)))), float),
    ]


PROBES = {
    "test_classify_run": probe_classify_run,
    "test_max_stable_lr": probe_max_stable_lr,
    "test_standardize": probe_standardize,
    "test_step_decay": probe_step_decay,
    "test_exponential_decay": probe_exponential_decay,
    "test_inverse_time_decay": probe_inverse_time_decay,
}
