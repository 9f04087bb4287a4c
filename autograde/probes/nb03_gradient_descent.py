"""Trusted probes of notebook 03 (gradient descent): secret random inputs, plain-data answers.

Besides the values, each probe records what the spec promises about the kind of result (type,
dtype, shape), what the call did to the caller's input, and whether the result shares memory
with it, on every kind of input the spec allows (numbers, lists, integer and uint8 arrays,
float32, read-only arrays, 0-d arrays, no step at all).
"""

from __future__ import annotations

import numpy as np

from gdlab_autograde.probes import outcome


def _quadratic(a: np.ndarray, c: np.ndarray, sign: float):
    """The gradient sign * 2a(x - c) of a separable quadratic bowl (sign -1: a cap, for ascent)."""

    def df(x):
        return sign * 2 * a * (x - c)

    return df


def _kind(value: object) -> str:
    """The type of a result and, for an array, its dtype: 'ndarray float64', 'list', 'float' ..."""
    if isinstance(value, np.ndarray):
        return f"ndarray {value.dtype}"
    if isinstance(value, np.generic):
        return f"numpy {value.dtype}"
    return type(value).__name__


def _path_result(fn, df, x0, **kwargs) -> object:
    """Call a (x, history) function; return x, history, their kinds, and what it did to x0."""
    before = np.array(x0, copy=True)

    def call():
        x, history = fn(df, x0, **kwargs)
        return {
            "x": np.asarray(x, dtype=float),
            "x dtype": str(np.asarray(x).dtype),
            "history": np.asarray(history, dtype=float),
            "history kind": _kind(history),
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
            lr, steps = float(rng.uniform(0.05, 0.3)), int(rng.integers(1, 12))
            results.append(_path_result(fn, _quadratic(a, c, sign), x0, lr=lr, steps=steps))
            results.append(_path_result(fn, _quadratic(a, c, sign), x0, lr=lr, steps=0))
        size = int(rng.integers(2, 5))
        a, c = rng.uniform(0.5, 2.0, size=size), rng.normal(size=size)
        integer_start = rng.integers(-5, 6, size=size)
        results.append(
            _path_result(fn, _quadratic(a, c, sign), integer_start, lr=0.25, steps=int(rng.integers(1, 5)))
        )
        # uint8 pixels: the gradient 2x of x**2 must be computed in floats (uint8 wraps at 256)
        pixels = rng.integers(130, 256, size=3).astype(np.uint8)
        results.append(_path_result(fn, lambda x: (2 * x) * sign, pixels, lr=0.25, steps=2))
        float32_start = rng.normal(size=3).astype(np.float32)
        results.append(_path_result(fn, _quadratic(a[:1], c[:1], sign), float32_start, lr=0.1, steps=3))
        locked = rng.normal(size=2)
        locked.flags.writeable = False
        results.append(_path_result(fn, _quadratic(a[:2], c[:2], sign), locked, lr=0.1, steps=2))
        results.append(
            _path_result(fn, _quadratic(a[:2], c[:2], sign), [float(v) for v in rng.normal(size=2)])
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
                "x dtype": str(np.asarray(x).dtype),
                "n": int(n),
                "n is an int": isinstance(n, (int, np.integer)),
                "x0 unchanged": bool(np.array_equal(np.asarray(x0), before)),
                "aliases x0": bool(np.shares_memory(np.asarray(x), np.asarray(x0))),
            }

        return outcome(call)

    for shape in [(), (int(rng.integers(2, 5)),), (2, 2)]:
        a, c = rng.uniform(0.5, 2.0, size=shape), rng.normal(size=shape)
        x0 = np.asarray(rng.normal(size=shape) * 4)
        lr, tol = float(rng.uniform(0.05, 0.2)), float(10.0 ** rng.uniform(-8, -2))
        df = _quadratic(a, c, 1.0)
        results.append(run(df, x0, lr=lr, tol=tol))
        results.append(run(df, x0, lr=lr, tol=tol, max_iter=int(rng.integers(0, 30))))
        results.append(run(df, x0, lr=lr, max_iter=0))
        results.append(run(df, np.array(c, copy=True), lr=lr, tol=tol))  # already at the minimum
    # all entries decay alike: the norm is twice the largest entry, and their sum is 0
    a, c = float(rng.uniform(0.5, 2.0)), rng.normal(size=4)
    x0 = c + float(rng.uniform(1, 5)) * np.array([1.0, -1.0, 1.0, -1.0])  # entries of g sum to 0
    results.append(run(_quadratic(np.full(4, a), c, 1.0), x0, lr=0.1, tol=float(10.0 ** rng.uniform(-8, -2))))
    # a matrix gradient whose Euclidean norm (all entries) is well above its spectral norm
    scale = float(rng.uniform(1, 3))
    diagonal = scale * np.array([[3.0, 0.0], [0.0, 4.0]])
    results.append(
        run(_quadratic(np.ones((2, 2)), np.zeros((2, 2)), 1.0), diagonal, lr=0.25, tol=9.0 * scale)
    )
    # a gradient whose norm equals tol exactly (powers of two): it is not below tol
    power = 2.0 ** int(rng.integers(-3, 3))
    results.append(run(_quadratic(np.float64(1.0), np.float64(0.0), 1.0), power, lr=0.25, tol=2 * power))
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
    pixels = rng.integers(130, 256, size=2).astype(np.uint8)
    results.append(run(lambda x: 2 * x, pixels, lr=0.25, max_iter=3))
    results.append(run(lambda x: 2 * x, rng.normal(size=3).astype(np.float32), lr=0.25, max_iter=2))
    # the defaults: a gradient a little above and a little below tol = 1e-6
    results.append(run(_quadratic(np.float64(1.0), np.float64(0.0), 1.0), float(rng.uniform(3e-6, 5e-6))))
    results.append(run(_quadratic(np.float64(1.0), np.float64(0.0), 1.0), float(rng.uniform(6e-7, 9e-7))))
    return results


def probe_multi_start_minima(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["multi_start_minima"]
    shift = float(rng.uniform(-3, 3))

    def df(x):
        z = np.asarray(x, dtype=float) - shift
        return 4 * z**3 - 6 * z + 1

    def cubic_grad(x):
        return 3 * np.asarray(x, dtype=float) ** 2

    def described(call):
        def wrapped():
            result = call()
            return {"values": np.asarray(result, dtype=float), "kind": _kind(result)}

        return outcome(wrapped)

    starts = np.concatenate([[shift + 2.0, shift - 2.0, shift + 80.0], shift + rng.uniform(-2, 2, size=12)])
    before = starts.copy()
    steps, decimals = int(rng.integers(150, 300)), int(rng.integers(2, 4))  # not the default 4
    results = [
        described(lambda: fn(df, starts, lr=0.01, steps=steps, decimals=decimals)),
        bool(np.array_equal(before, starts)),
        described(lambda: fn(df, list(starts[:6]), lr=0.01, steps=steps)),
        described(lambda: fn(cubic_grad, [-1.0, float(rng.uniform(0.5, 1.5))], lr=0.1, steps=50)),
        described(lambda: fn(df, [shift + 40.0, shift - 40.0], lr=0.01, steps=20)),
    ]
    # ends that round differently to the nearest than downwards: -1.30083957 and 1.13090112 at 4 decimals
    results.append(
        described(lambda: fn(lambda x: df(np.asarray(x) + shift), [-2.0, 2.0], lr=0.01, steps=400))
    )
    return results


def probe_line_gradients(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["line_gradients"]
    results = []
    for kind in ("float", "int", "uint8", "float32"):
        n = int(rng.integers(1, 30))
        if kind == "int":
            x, y = rng.integers(-5, 6, size=n), rng.integers(-5, 6, size=n)
        elif kind == "uint8":
            x, y = (rng.integers(0, 256, size=n).astype(np.uint8) for _ in range(2))
        else:
            x, y = rng.normal(size=n), rng.normal(size=n)
            if kind == "float32":
                x, y = x.astype(np.float32), y.astype(np.float32)
        x_before, y_before = x.copy(), y.copy()
        w, b = (float(v) for v in rng.normal(size=2))

        def call(w=w, b=b, x=x, y=y, x_before=x_before, y_before=y_before):
            dw, db = fn(w, b, x, y)
            unchanged = bool(np.array_equal(x, x_before) and np.array_equal(y, y_before))
            return {
                "dw": float(dw),
                "db": float(db),
                "floats": isinstance(dw, float) and isinstance(db, float),
                "inputs unchanged": unchanged,
            }

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
                "kinds": [_kind(w), _kind(b), _kind(losses)],
                "inputs unchanged": unchanged,
            }

        results.append(outcome(call))
    x = rng.uniform(-1, 1, size=20)
    y = float(rng.normal()) * x + float(rng.normal())
    results.append(outcome(lambda: [float(v) for v in fn(x, y)[:2]]))  # the defaults lr=0.1, epochs=1000
    return results


PROBES = {
    "test_gradient_descent": _path_probe("gradient_descent", 1.0),
    "test_gradient_descent_tol": probe_gradient_descent_tol,
    "test_gradient_ascent": _path_probe("gradient_ascent", -1.0),
    "test_multi_start_minima": probe_multi_start_minima,
    "test_line_gradients": probe_line_gradients,
    "test_fit_line": probe_fit_line,
}

DESCRIPTIONS = {
    "test_gradient_descent": "gradient_descent on unseen quadratic bowls, from numbers, lists, 0-d to 2-D arrays, "
    "integer, uint8, float32 and read-only starts, with and without steps: values, float64 results, a "
    "history array, the caller's x0 untouched and never returned",
    "test_gradient_descent_tol": "gradient_descent_tol on unseen bowls: the number of updates (an int) and the end "
    "point for random tolerances and caps, max_iter=0, a start at the minimum, a gradient exactly at tol, the "
    "Euclidean norm of a matrix gradient, uint8 and float32 starts, the default tol",
    "test_gradient_ascent": "gradient_ascent on unseen concave caps, with the same kinds of start as "
    "gradient_descent, with and without steps",
    "test_multi_start_minima": "multi_start_minima on an unseen shifted quartic: the distinct rounded minima as a "
    "float64 array, diverging runs dropped, other decimals, lists, the caller's starts untouched",
    "test_line_gradients": "line_gradients on unseen float, integer, uint8 and float32 data: dw, db as floats, "
    "the data untouched",
    "test_fit_line": "fit_line on unseen data: w, b (floats) and the losses array after random epochs, and the "
    "defaults",
}
