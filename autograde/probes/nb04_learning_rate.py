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


def _kind(value: object) -> str:
    """The type of a result and, for an array, its dtype: 'ndarray float64', 'list', 'float' ..."""
    if isinstance(value, np.ndarray):
        return f"ndarray {value.dtype}"
    if isinstance(value, np.generic):
        return f"numpy {value.dtype}"
    return type(value).__name__


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
    small = 2.0 ** int(rng.integers(-12, -4))  # a power of two: the last step is exactly tol below
    cases += [
        np.array([1, 3, 2, 3], dtype=np.uint8) + np.uint8(rng.integers(0, 50)),  # uint8 steps wrap around
        np.array([0.0, 1.0, 1.0, 2.0]) * scale,  # a zero step before the last: dot product exactly 0
        np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 49.0]]) * scale,  # Euclidean 5 then 45: not diverged
        np.array([[0.0, 0.0], [3.0, 4.0], [53.5, 4.0]]) * scale,  # Euclidean 5 then 50.5: diverged
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
    labels.append(outcome(lambda: classify(np.array([0.0, 0.5, 0.5 + small]), tol=small)))
    locked = _geometric(rng, -1.0, 10)
    locked.flags.writeable = False
    labels.append(outcome(lambda: classify(locked)))
    labels.append(
        outcome(lambda: classify(_geometric(rng, rng.uniform(0.992, 0.998), 40, dims=2).T.copy().T))
    )
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
    good = rng.uniform(0.1, 5, size=3)
    for bad_value in (np.nan, np.inf, 0.0):
        with_bad = good.copy()
        with_bad[int(rng.integers(0, 3))] = bad_value
        results.append(outcome(lambda with_bad=with_bad: max_stable_lr(with_bad)))
    value = float(rng.uniform(0.1, 5))
    results.append(outcome(lambda: max_stable_lr(np.array(value))))
    results.append(outcome(lambda: max_stable_lr(np.float32(value))))
    pixels = rng.integers(130, 256, size=3).astype(np.uint8)
    results.append(outcome(lambda: max_stable_lr(pixels)))
    results.append(type(outcome(lambda: max_stable_lr(good))).__name__)
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
    pixels = rng.integers(0, 256, size=(int(rng.integers(4, 12)), 3)).astype(np.uint8)
    results.append(outcome(lambda: standardize(pixels)))
    x32 = rng.normal(3, 2, size=(5, 2)).astype(np.float32)
    results.append(outcome(lambda: str(np.asarray(standardize(x32)).dtype)))
    spread = float(10.0 ** rng.uniform(-10, -6))  # far above the 1e-12 threshold, far below 1
    results.append(outcome(lambda: standardize(np.array([[1.0], [1.0 + 2 * spread]] * 3))))
    far = 1e8 + rng.integers(-3, 4, size=(8, 2)).astype(float)
    results.append(outcome(lambda: standardize(far)))
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
        isinstance(outcome(lambda: step_decay(lr0, np.int64(rng.integers(0, 50)))), float),
        outcome(lambda: _kind(step_decay(lr0, epochs.astype(np.int32), drop, every))),
        outcome(lambda: step_decay(lr0, int(rng.integers(1, 5)) * 10 + 5)),  # between two default drops
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
        isinstance(outcome(lambda: exponential_decay(lr0, np.int64(rng.integers(0, 50)))), float),
        outcome(lambda: _kind(exponential_decay(lr0, epochs, k))),
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
        isinstance(outcome(lambda: inverse_time_decay(lr0, np.int64(rng.integers(0, 50)))), float),
        outcome(lambda: _kind(inverse_time_decay(lr0, epochs, k))),
    ]


PROBES = {
    "test_classify_run": probe_classify_run,
    "test_max_stable_lr": probe_max_stable_lr,
    "test_standardize": probe_standardize,
    "test_step_decay": probe_step_decay,
    "test_exponential_decay": probe_exponential_decay,
    "test_inverse_time_decay": probe_inverse_time_decay,
}

DESCRIPTIONS = {
    "test_classify_run": "classify_run on unseen runs around random minima, 1-D and 2-D, lists, uint8, read-only "
    "and transposed histories, runs reaching inf or nan, and the exact boundaries of the rules (10 × the first "
    "step, a last step equal to tol, a zero dot product), the history left unchanged",
    "test_max_stable_lr": "max_stable_lr on unseen coefficients as arrays, lists, numbers, numpy scalars, 0-d and "
    "uint8 arrays (a Python float back), and ValueError for empty input and for coefficients <= 0, nan or inf",
    "test_standardize": "standardize on unseen data: constant and nearly constant columns, integer, uint8, float32 "
    "and list input, small spreads, columns far from 0, float64 results and the input unchanged",
    "test_step_decay": "step_decay on unseen schedules: epochs at, before and between the drops, the defaults, "
    "a float for a number and a float64 array for an array of epochs",
    "test_exponential_decay": "exponential_decay on unseen rates and epochs, the default k, a float for a number "
    "and a float64 array for an array",
    "test_inverse_time_decay": "inverse_time_decay on unseen rates and epochs, epoch 0, the default k, a float for "
    "a number and a float64 array for an array",
}
