"""Trusted probes of notebook 02 (numerical derivative): secret random inputs, plain-data answers."""

from __future__ import annotations

import numpy as np

from gdlab_autograde.probes import outcome


def _cubic(rng: np.random.Generator):
    """A random a x³ + b x² + c x (products only, so every machine rounds it alike) and its derivative."""
    a, b, c = (float(v) for v in rng.normal(size=3))

    def f(x):
        return a * x * x * x + b * x * x + c * x

    def df(x):
        return 3 * a * x * x + 2 * b * x + c

    return f, df


def _difference_probe(name: str):
    def probe(ns: dict, rng: np.random.Generator) -> list:
        fn = ns[name]
        results = []
        for _ in range(3):
            f, _ = _cubic(rng)
            x = rng.normal(size=int(rng.integers(1, 5))) * 2
            h = float(rng.uniform(0.01, 1.0))
            results.append(outcome(lambda f=f, x=x, h=h: np.asarray(fn(f, x, h), dtype=float)))
            results.append(outcome(lambda f=f, x=x: np.asarray(fn(f, float(x[0])), dtype=float)))
        results.append(outcome(lambda: float(fn(np.exp, float(rng.normal()), float(rng.uniform(0.1, 0.5))))))
        return results

    return probe


def probe_error_vs_h(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["error_vs_h"]
    hs = np.concatenate([[1e-60], 10.0 ** -rng.permutation(np.arange(1, 13))])
    results = []
    for method in ("forward", "central"):
        for dtype in (np.float64, np.float32):
            f, df = _cubic(rng)
            x = np.float64(rng.uniform(0.2, 2.0))
            results.append(
                outcome(
                    lambda f=f, df=df, x=x, method=method, dtype=dtype: np.asarray(
                        fn(f, df, x, hs, method=method, dtype=dtype), dtype=float
                    )
                )
            )
    results.append(outcome(lambda: np.asarray(fn(np.sin, np.cos, float(rng.uniform(0, 2)), list(hs[:4])))))
    results.append(outcome(lambda: fn(np.sin, np.cos, 1.0, [1e-3], method="backward")))
    return results


def probe_best_h(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["best_h"]
    results = []
    for method in ("forward", "central"):
        for dtype in (np.float64, np.float32):
            f, df = _cubic(rng)
            x = float(rng.uniform(0.2, 2.0))
            hs = np.concatenate([[1e-60, 1e-70], 10.0 ** -rng.permutation(np.arange(1, 13))])
            results.append(
                outcome(
                    lambda f=f, df=df, x=x, hs=hs, method=method, dtype=dtype: [
                        float(v) for v in fn(f, df, x, hs, method=method, dtype=dtype)
                    ]
                )
            )
    results.append(outcome(lambda: fn(np.sin, np.cos, 1.0, [1e-50], dtype=np.float32)))
    return results


def probe_numerical_gradient(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["numerical_gradient"]
    results = []

    def run(f, x, **kwargs):
        before = np.array(x, copy=True)

        def call():
            grad = fn(f, x, **kwargs)
            return {
                "grad": np.asarray(grad, dtype=float),
                "float": np.asarray(grad).dtype.kind == "f",
                "x unchanged": bool(np.array_equal(np.asarray(x), before)),
                "aliases x": bool(np.shares_memory(np.asarray(grad), np.asarray(x))),
            }

        return outcome(call)

    for shape in [(), (int(rng.integers(1, 6)),), (2, int(rng.integers(2, 4))), (2, 2, 2)]:
        weights = rng.normal(size=shape)
        x = rng.normal(size=shape) * 3
        results.append(run(lambda z, w=weights: float(np.sum(w * z * z)) + float(np.sum(z)) ** 2, x))
    size = int(rng.integers(2, 5))
    matrix = rng.normal(size=(size, size))
    results.append(run(lambda z: float(z @ matrix @ z), rng.normal(size=size)))
    results.append(
        run(lambda z: float(np.sum(z * z * z)), rng.normal(size=3), h=float(rng.uniform(0.05, 0.5)))
    )
    results.append(run(lambda z: float(np.sum(z * z)), rng.integers(-5, 6, size=(2, 3))))
    return results


def probe_relative_error(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["relative_error"]
    results = []
    for shape in [(), (5,), (3, 2)]:
        a = rng.normal(size=shape) * 10.0 ** rng.uniform(-3, 3, size=shape)
        b = a * (1 + rng.normal(size=shape) * 1e-2)
        results.append(outcome(lambda a=a, b=b: float(fn(a, b))))
        results.append(outcome(lambda a=a, b=b: float(fn(b, a))))
    results.append(outcome(lambda: float(fn(np.zeros(4), np.zeros(4)))))
    results.append(
        outcome(lambda: float(fn(np.array([0.0, 1e-14]), np.zeros(2), eps=float(rng.uniform(1e-12, 1e-10)))))
    )
    results.append(outcome(lambda: float(fn(-np.ones(3), np.ones(3) * rng.uniform(0.5, 2)))))
    results.append(outcome(lambda: fn(np.ones(3), np.ones((3, 1)))))
    return results


def probe_numerical_param_gradients(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["numerical_param_gradients"]
    results = []
    sizes = [int(v) for v in rng.integers(2, 5, size=3)]
    params = {
        "W1": rng.normal(size=(sizes[0], sizes[1])),
        "b1": rng.normal(size=sizes[1]),
        "W2": rng.normal(size=(sizes[1], sizes[2])),
        "b2": np.array(float(rng.normal())),
    }
    X = rng.normal(size=(4, sizes[0]))

    def loss(p):
        hidden = np.tanh(X @ p["W1"] + p["b1"])
        return float(np.sum((hidden @ p["W2"] + p["b2"]) ** 2)) / 2

    def call(h):
        saved = {k: v.copy() for k, v in params.items()}
        objects = dict(params)
        grads = fn(loss, params, h=h)
        return {
            "grads": {k: np.asarray(grads[k], dtype=float) for k in sorted(grads)},
            "params unchanged": all(np.array_equal(saved[k], params.get(k)) for k in saved)
            and all(params[k] is objects[k] for k in objects),
        }

    results.append(outcome(lambda: call(1e-4)))
    results.append(outcome(lambda: call(float(rng.uniform(0.05, 0.3)))))
    return results


PROBES = {
    "test_numerical_diff_forward": _difference_probe("numerical_diff_forward"),
    "test_numerical_diff_central": _difference_probe("numerical_diff_central"),
    "test_error_vs_h": probe_error_vs_h,
    "test_best_h": probe_best_h,
    "test_numerical_gradient": probe_numerical_gradient,
    "test_relative_error": probe_relative_error,
    "test_numerical_param_gradients": probe_numerical_param_gradients,
}
