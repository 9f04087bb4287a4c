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


def _value_and_dtype(value) -> dict:
    """A derivative as float64 numbers, with the dtype the student's code returned it in."""
    return {"value": np.asarray(value, dtype=float), "dtype": str(np.asarray(value).dtype)}


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
        # the default step: e^(3x) curves enough that h = 1e-3 and 1e-4 give visibly different answers
        steep_at = float(rng.uniform(0.5, 1.5))
        results.append(outcome(lambda: float(fn(lambda z: np.exp(3 * z), steep_at))))
        x32 = rng.uniform(0.5, 2.0, size=3).astype(np.float32)
        h32 = np.float32(rng.uniform(0.01, 0.1))
        results.append(outcome(lambda: _value_and_dtype(fn(np.sin, x32, h32))))
        results.append(
            outcome(lambda: _value_and_dtype(fn(np.sin, np.array(float(rng.uniform(0, 2))), 0.25)))
        )
        return results

    return probe


def _reference_forward(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def _reference_central(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)


def _with_reference_differences(ns: dict, call):
    """Run ``call`` with the notebook's difference functions replaced by exact references.

    error_vs_h and best_h are specified to use numerical_diff_forward/central; with the references in
    place their probes judge those exercises alone, and float32 results do not depend on which of the
    equally correct roundings the student's difference functions chose.
    """
    saved = {name: ns.get(name) for name in ("numerical_diff_forward", "numerical_diff_central")}
    ns["numerical_diff_forward"], ns["numerical_diff_central"] = _reference_forward, _reference_central
    try:
        return outcome(call)
    finally:
        ns.update(saved)


def probe_error_vs_h(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["error_vs_h"]
    hs = np.concatenate([[1e-60], 10.0 ** -rng.permutation(np.arange(1, 13))])
    results = []

    def errors(*args, **kwargs) -> dict:
        out = fn(*args, **kwargs)
        return {
            "errors": np.asarray(out, dtype=float),
            "ndarray": isinstance(out, np.ndarray),
            "dtype": str(np.asarray(out).dtype),
        }

    for method in ("forward", "central"):
        for dtype in (np.float64, np.float32):
            f, df = _cubic(rng)
            x = np.float64(rng.uniform(0.2, 2.0))
            results.append(
                _with_reference_differences(
                    ns,
                    lambda f=f, df=df, x=x, method=method, dtype=dtype: errors(
                        f, df, x, hs, method=method, dtype=dtype
                    ),
                )
            )
    point = float(rng.uniform(0, 2))
    results.append(_with_reference_differences(ns, lambda: errors(np.sin, np.cos, point, list(hs[:4]))))
    for method in ("backward", "Central", "FORWARD"):
        results.append(
            _with_reference_differences(
                ns, lambda method=method: fn(np.sin, np.cos, 1.0, [1e-3], method=method)
            )
        )
    return results


def probe_best_h(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["best_h"]
    results = []

    def best(*args, **kwargs) -> dict:
        out = fn(*args, **kwargs)
        return {"tuple": type(out) is tuple, "values": [float(v) for v in out]}

    for method in ("forward", "central"):
        for dtype in (np.float64, np.float32):
            f, df = _cubic(rng)
            x = float(rng.uniform(0.2, 2.0))
            hs = np.concatenate([[1e-60, 1e-70], 10.0 ** -rng.permutation(np.arange(1, 13))])
            results.append(
                _with_reference_differences(
                    ns,
                    lambda f=f, df=df, x=x, hs=hs, method=method, dtype=dtype: best(
                        f, df, x, hs, method=method, dtype=dtype
                    ),
                )
            )
    slope, offset = float(rng.integers(1, 5)), float(rng.integers(-3, 4))
    steps = list(rng.permutation([0.5, 0.25, 0.125, 0.0625]))  # a straight line: every step ties at error 0
    results.append(
        _with_reference_differences(
            ns, lambda: best(lambda z: slope * z + offset, lambda z: slope + 0 * z, 0.5, steps)
        )
    )
    results.append(
        _with_reference_differences(ns, lambda: fn(np.sin, np.cos, 1.0, [1e-50], dtype=np.float32))
    )
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
    results.append(run(lambda z: float(np.sum(z * z * z)), rng.uniform(1, 3, size=3).astype(np.float32)))
    shared = rng.normal(size=(2, 2))
    results.append(
        run(lambda z: float(np.sum(z * shared)), shared)
    )  # f reads the array it is differentiated at
    frozen = rng.normal(size=3)
    frozen.setflags(write=False)
    results.append(run(lambda z: float(np.sum(z * z)), frozen))
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
    pixels = rng.integers(0, 128, size=(2, 4)).astype(np.uint8)
    results.append(outcome(lambda: float(fn(pixels[0], pixels[1] + 64))))
    with_nan = rng.normal(size=4)
    with_nan[int(rng.integers(4))] = np.nan
    results.append(outcome(lambda: float(fn(with_nan, rng.normal(size=4)))))
    results.append(outcome(lambda: float(fn(np.zeros((0, 2)), np.zeros((0, 2))))))
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
    integer = {"v": rng.integers(-3, 4, size=3), "c": np.array(float(rng.normal()))}

    def integer_call() -> dict:
        before = integer["v"].copy()
        grads = fn(lambda p: float(np.sum(p["v"] ** 3)) * float(p["c"]), integer, h=0.5)
        return {
            "grads": {k: np.asarray(grads[k], dtype=float) for k in sorted(grads)},
            "unchanged": bool(np.array_equal(before, integer["v"])),
        }

    results.append(outcome(integer_call))
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


DESCRIPTIONS = {
    "test_numerical_diff_forward": "the forward difference of unseen cubics at arrays and numbers, the default "
    "step, float32 kept in float32, 0-d arrays",
    "test_numerical_diff_central": "the central difference of unseen cubics at arrays and numbers, the default "
    "step, float32 kept in float32, 0-d arrays",
    "test_error_vs_h": "the errors for unseen functions, points and shuffled steps, both methods and precisions, "
    "vanishing steps kept as nan, a float64 array; exact method names only",
    "test_best_h": "the best step for unseen functions and shuffled steps, nan errors skipped, ties to the first "
    "step, a tuple of floats, an error when no step is left",
    "test_numerical_gradient": "gradients of unseen functions on arrays of every shape, integer, float32 and "
    "read-only input, f reading x itself; x unchanged, a new float64 array",
    "test_relative_error": "the relative error of unseen arrays of many scales, symmetric, eps, uint8 input, nan "
    "reported, empty arrays, mismatched shapes",
    "test_numerical_param_gradients": "gradients of an unseen network's loss for every parameter, the step passed "
    "on, integer parameters; the parameters left unchanged",
}
