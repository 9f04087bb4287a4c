"""Trusted probes of notebook 03 (gradient descent): secret random inputs, plain-data answers."""

from __future__ import annotations

import numpy as np

from gdlab_autograde.probes import outcome


def _quadratic(a: np.ndarray, c: np.ndarray, sign: float):
    """The gradient sign * 2a(x - c) of a separable quadratic bowl (sign -1: a cap, for ascent)."""

    def df(x):
        return sign * 2 * a * (np.asarray(x, dtype=float) - c)

    return df


def _path_result(fn, df, x0, **kwargs) -> object:
    """Call a (x, history) function; return x, history, and what it did to x0."""
    before = np.array(x0, copy=True)

    def call():
        x, history = fn(df, x0, **kwargs)
        return {
            "x": np.asarray(x, dtype=float),
            "history": np.asarray(history, dtype=float),
            "x0 unchanged": bool(np.array_equal(np.asarray(x0), before)),
            "aliases x0": bool(np.shares_memory(np.asarray(x), np.asarray(x0))),
        }

    return outcome(call)


def _path_probe(name: str, sign: float):
    def probe(ns: dict, rng: np.random.Generator) -> list:
        fn = ns[name]
        results = []
        for shape in [(), (int(rng.integers(1, 5)),), (2, int(rng.integers(1, 4)))]:
            a, c = rng.uniform(0.5, 2.0, size=shape), rng.normal(size=shape)
            x0 = np.asarray(rng.normal(size=shape) * 3)
            lr, steps = float(rng.uniform(0.05, 0.3)), int(rng.integers(0, 12))
            results.append(_path_result(fn, _quadratic(a, c, sign), x0, lr=lr, steps=steps))
        size = int(rng.integers(2, 5))
        a, c = rng.uniform(0.5, 2.0, size=size), rng.normal(size=size)
        integer_start = rng.integers(-5, 6, size=size)
        results.append(
            _path_result(fn, _quadratic(a, c, sign), integer_start, lr=0.25, steps=int(rng.integers(1, 5)))
        )
        a, c = float(rng.uniform(0.5, 2.0)), float(rng.normal())
        results.append(
            _path_result(fn, _quadratic(np.float64(a), np.float64(c), sign), int(rng.integers(-9, 10)))
        )
        return results

    return probe


def probe_gradient_descent_tol(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["gradient_descent_tol"]
    results = []

    def run(df, x0, **kwargs):
        before = np.array(x0, copy=True)

        def call():
            x, n = fn(df, x0, **kwargs)
            return {
                "x": np.asarray(x, dtype=float),
                "n": int(n),
                "x0 unchanged": bool(np.array_equal(np.asarray(x0), before)),
            }

        return outcome(call)

    for shape in [(), (int(rng.integers(2, 5)),), (2, 2)]:
        a, c = rng.uniform(0.5, 2.0, size=shape), rng.normal(size=shape)
        x0 = np.asarray(rng.normal(size=shape) * 4)
        lr, tol = float(rng.uniform(0.05, 0.2)), float(10.0 ** rng.uniform(-8, -2))
        df = _quadratic(a, c, 1.0)
        results.append(run(df, x0, lr=lr, tol=tol))
        results.append(run(df, x0, lr=lr, tol=tol, max_iter=int(rng.integers(0, 30))))
        results.append(run(df, np.array(c, copy=True), lr=lr, tol=tol))
    # all entries decay alike: the norm is twice the largest entry, and their sum is 0
    a, c = float(rng.uniform(0.5, 2.0)), rng.normal(size=4)
    x0 = c + float(rng.uniform(1, 5)) * np.array([1.0, -1.0, 1.0, -1.0])  # entries of g sum to 0
    results.append(run(_quadratic(np.full(4, a), c, 1.0), x0, lr=0.1, tol=float(10.0 ** rng.uniform(-8, -2))))
    # lr = 1 on x**2 oscillates for ever: only the cap ends it
    results.append(
        run(
            _quadratic(np.ones(2), np.zeros(2), 1.0),
            rng.normal(size=2),
            lr=1.0,
            max_iter=int(rng.integers(1, 40)),
        )
    )
    results.append(
        run(_quadratic(np.ones(3), rng.normal(size=3), 1.0), rng.integers(-5, 6, size=3), lr=0.25, tol=1e-7)
    )
    return results


def probe_multi_start_minima(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["multi_start_minima"]
    shift = float(rng.uniform(-3, 3))

    def df(x):
        z = np.asarray(x, dtype=float) - shift
        return 4 * z**3 - 6 * z + 1

    def cubic_grad(x):
        return 3 * np.asarray(x, dtype=float) ** 2

    starts = np.concatenate([[shift + 2.0, shift - 2.0, shift + 80.0], shift + rng.uniform(-2, 2, size=12)])
    steps, decimals = int(rng.integers(150, 300)), int(rng.integers(2, 4))  # not the default 4
    return [
        outcome(lambda: np.asarray(fn(df, starts, lr=0.01, steps=steps, decimals=decimals), dtype=float)),
        outcome(lambda: np.asarray(fn(df, list(starts[:6]), lr=0.01, steps=steps), dtype=float)),
        outcome(
            lambda: np.asarray(
                fn(cubic_grad, [-1.0, float(rng.uniform(0.5, 1.5))], lr=0.1, steps=50), dtype=float
            )
        ),
        outcome(lambda: np.asarray(fn(df, [shift + 40.0, shift - 40.0], lr=0.01, steps=20), dtype=float)),
    ]


def probe_line_gradients(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["line_gradients"]
    results = []
    for integer in (False, True):
        n = int(rng.integers(1, 30))
        if integer:
            x, y = rng.integers(-5, 6, size=n), rng.integers(-5, 6, size=n)
        else:
            x, y = rng.normal(size=n), rng.normal(size=n)
        x_before, y_before = x.copy(), y.copy()
        w, b = (float(v) for v in rng.normal(size=2))

        def call(w=w, b=b, x=x, y=y, x_before=x_before, y_before=y_before):
            dw, db = fn(w, b, x, y)
            unchanged = bool(np.array_equal(x, x_before) and np.array_equal(y, y_before))
            return {"dw": float(dw), "db": float(db), "inputs unchanged": unchanged}

        results.append(outcome(call))
    return results


def probe_fit_line(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["fit_line"]
    results = []
    for integer in (False, True):
        n = int(rng.integers(2, 30))
        if integer:
            x, y = rng.integers(-1, 2, size=n), rng.integers(-3, 4, size=n)
        else:
            x = rng.uniform(-1, 1, size=n)
            y = float(rng.normal()) * x + float(rng.normal()) + rng.normal(scale=0.3, size=n)
        x_before, y_before = x.copy(), y.copy()
        lr, epochs = float(rng.uniform(0.05, 0.3)), int(rng.integers(1, 15))

        def call(x=x, y=y, x_before=x_before, y_before=y_before, lr=lr, epochs=epochs):
            w, b, losses = fn(x, y, lr=lr, epochs=epochs)
            unchanged = bool(np.array_equal(x, x_before) and np.array_equal(y, y_before))
            return {
                "w": float(w),
                "b": float(b),
                "losses": np.asarray(losses, dtype=float),
                "inputs unchanged": unchanged,
            }

        results.append(outcome(call))
    return results


PROBES = {
    "test_gradient_descent": _path_probe("gradient_descent", 1.0),
    "test_gradient_descent_tol": probe_gradient_descent_tol,
    "test_gradient_ascent": _path_probe("gradient_ascent", -1.0),
    "test_multi_start_minima": probe_multi_start_minima,
    "test_line_gradients": probe_line_gradients,
    "test_fit_line": probe_fit_line,
}
