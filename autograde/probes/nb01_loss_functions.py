"""Trusted probes of notebook 01 (loss functions): secret random inputs, plain-data answers."""

from __future__ import annotations

import numpy as np

from gdlab_autograde.probes import outcome


def _number(value) -> object:
    """A scalar result as a float, or an array when the function returned several numbers."""
    array = np.asarray(value, dtype=float)
    return float(array) if array.ndim == 0 else array


def _pair_calls(fn, pairs) -> list:
    """Call fn on each (a, b) pair; record the result and whether the inputs survived untouched."""
    results = []
    for a, b in pairs:
        a_before, b_before = np.array(a, copy=True), np.array(b, copy=True)
        results.append(
            {
                "value": outcome(lambda a=a, b=b: _number(fn(a, b))),
                "inputs unchanged": bool(
                    np.array_equal(np.asarray(a), a_before) and np.array_equal(np.asarray(b), b_before)
                ),
            }
        )
    return results


def probe_sum_squared_error(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["sum_squared_error"]
    pairs = []
    for shape in [(int(rng.integers(2, 12)),), (int(rng.integers(2, 5)), int(rng.integers(2, 5))), (2, 3, 2)]:
        pairs.append((rng.normal(size=shape) * 2, rng.normal(size=shape)))
    n = int(rng.integers(3, 8))
    pairs.append((rng.integers(-9, 10, size=n), rng.integers(-9, 10, size=n)))
    pairs.append((rng.integers(-5, 6, size=4).tolist(), rng.integers(-5, 6, size=4).tolist()))
    t = np.eye(10)[int(rng.integers(10))]
    pairs.append((rng.dirichlet(np.ones(10)), t))
    pairs.extend(_hard_inputs(rng))
    return _pair_calls(fn, pairs)


def _hard_inputs(rng: np.random.Generator) -> list:
    """Pairs that break dtype shortcuts: uint8 pixels, values far from 0, float32, read-only transposed views."""
    shape = (int(rng.integers(2, 5)), int(rng.integers(2, 6)))
    pixels = rng.integers(0, 256, size=(2, *shape)).astype(np.uint8)
    offset = float(rng.uniform(5e3, 5e4))  # float32 keeps 3 decimals of these: a float32 shortcut shows
    far = (rng.normal(size=6) + offset, rng.normal(size=6) + offset)
    small32 = (rng.normal(size=5).astype(np.float32), rng.normal(size=5).astype(np.float32))
    frozen_y, frozen_t = rng.normal(size=shape), rng.normal(size=shape)
    frozen_y.setflags(write=False)
    frozen_t.setflags(write=False)
    return [(pixels[0], pixels[1]), far, small32, (frozen_y.T, frozen_t.T)]


def _raises_with_shapes(fn, a, b) -> object:
    """What fn(a, b) does on mismatched shapes: the exception's class, and whether its message names both."""
    try:
        return {"returned": _number(fn(a, b))}
    except Exception as error:  # noqa: BLE001 - the kind of failure is the observation
        text = str(error)
        return {
            "raises": type(error).__name__,
            "names shapes": str(np.shape(a)) in text and str(np.shape(b)) in text,
        }


def probe_mean_squared_error(ns: dict, rng: np.random.Generator) -> dict:
    fn = ns["mean_squared_error"]
    pairs = []
    for shape in [(int(rng.integers(2, 12)),), (int(rng.integers(2, 5)), int(rng.integers(2, 5))), (1, 6)]:
        pairs.append((rng.normal(size=shape) * 3, rng.normal(size=shape)))
    n = int(rng.integers(3, 8))
    pairs.append((rng.integers(-9, 10, size=n), rng.integers(-9, 10, size=n)))
    pairs.append((rng.normal(size=3).tolist(), rng.normal(size=3).tolist()))
    pairs.extend(_hard_inputs(rng))
    n = int(rng.integers(2, 7))
    mismatched = [
        (rng.normal(size=(n, 1)), rng.normal(size=n)),
        (rng.normal(size=n), rng.normal(size=(n, 1))),
        (rng.normal(size=n), rng.normal(size=n + 1)),
        (rng.normal(size=(1, n)), rng.normal(size=n)),
        (rng.normal(size=(2, 3)), rng.normal(size=(3, 2))),
    ]
    return {
        "values": _pair_calls(fn, pairs),
        "mismatched": [_raises_with_shapes(fn, a, b) for a, b in mismatched],
    }


def probe_softmax(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["softmax"]
    c = int(rng.integers(3, 7))
    inputs = [
        rng.normal(size=int(rng.integers(2, 9))) * 3,
        rng.normal(size=c) + 1000 + rng.integers(0, 50),
        rng.normal(size=(int(rng.integers(2, 6)), c)) * 2,
        rng.normal(size=(c, c)) * 2,
        rng.normal(size=(1, c)),
        np.stack([rng.normal(size=c), rng.normal(size=c) + 1000, rng.normal(size=c) - 1000]),
        rng.integers(-5, 6, size=c),
        rng.integers(-5, 6, size=(2, c)),
        rng.integers(0, 256, size=(2, c)).astype(np.uint8),
        np.array([-1.0, 0.0, 1.0]) * rng.uniform(800, 2000) + rng.normal(size=3),
        np.stack([rng.normal(size=c) * 3, rng.normal(size=c) * 3 + rng.uniform(900, 3000)]),
        (rng.normal(size=(2, c)) * 3).astype(np.float32),
    ]
    results = []
    for a in inputs:
        before = a.copy()

        def call(a=a, before=before):
            out = fn(a)
            return {
                "result": np.asarray(out, dtype=float),
                "input unchanged": bool(np.array_equal(a, before)),
                "aliases input": bool(np.shares_memory(np.asarray(out), a)),
            }

        results.append(outcome(call))
    return results


def probe_cross_entropy_error(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["cross_entropy_error"]
    results = []
    for n, c in [(int(rng.integers(2, 7)), int(rng.integers(2, 6))), (4, 4), (1, int(rng.integers(3, 8)))]:
        y = rng.dirichlet(np.ones(c), size=n)
        labels = rng.integers(0, c, size=n)
        y[int(rng.integers(n)), labels[0]] = 0.0 if n > 1 else y[0, labels[0]]
        onehot = np.eye(c)[labels]
        results.append(_pair_calls(fn, [(y, onehot), (y, labels), (y, labels.tolist()), (y[0], onehot[0])]))
        results.append(outcome(lambda y=y, label=labels[0]: _number(fn(y[0], label))))
        results.append(outcome(lambda y=y, label=labels[0]: _number(fn(y[0], int(label)))))
    y = np.zeros(int(rng.integers(3, 8)))
    y[1:] = 1 / (y.size - 1)
    results.append(outcome(lambda: _number(fn(y, 0))))
    return results


def probe_binary_cross_entropy(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["binary_cross_entropy"]
    pairs = []
    for shape in [(int(rng.integers(2, 12)),), (int(rng.integers(2, 5)), 3)]:
        pairs.append((rng.uniform(0, 1, size=shape), rng.integers(0, 2, size=shape)))
    n = int(rng.integers(3, 8))
    pairs.append((rng.uniform(0, 1, size=n), rng.uniform(0, 1, size=n)))  # soft labels
    edge_p = np.array([0.0, 1.0, 0.0, 1.0, float(rng.uniform())])
    pairs.append((edge_p, np.array([0, 1, 1, 0, int(rng.integers(0, 2))])))
    pairs.append((rng.uniform(0, 1, size=3).tolist(), [1, 0, 1]))
    return _pair_calls(fn, pairs)


def probe_batch_cross_entropy_fixed(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["batch_cross_entropy_fixed"]
    pairs = []
    for n, c in [(int(rng.integers(2, 7)), int(rng.integers(7, 11))), (3, 3), (1, 5), (6, 2)]:
        y = rng.dirichlet(np.ones(c), size=n)
        labels = rng.integers(0, c, size=n)
        pairs.append((y, labels))
    y = rng.dirichlet(np.ones(4), size=3)
    labels = rng.integers(0, 4, size=3)
    y[1, labels[1]] = 0.0
    pairs.append((y, labels))
    return _pair_calls(fn, pairs)


PROBES = {
    "test_sum_squared_error": probe_sum_squared_error,
    "test_mean_squared_error": probe_mean_squared_error,
    "test_softmax": probe_softmax,
    "test_cross_entropy_error": probe_cross_entropy_error,
    "test_binary_cross_entropy": probe_binary_cross_entropy,
    "test_batch_cross_entropy_fixed": probe_batch_cross_entropy_fixed,
}


DESCRIPTIONS = {
    "test_sum_squared_error": "1/2 * sum of squares on unseen arrays of several shapes, integer and uint8 "
    "inputs, values far from 0, float32, read-only views; the inputs are left unchanged",
    "test_mean_squared_error": "1/2 * mean over all entries on unseen arrays and dtypes, and a ValueError "
    "naming both shapes for every shape mismatch",
    "test_softmax": "softmax of unseen rows and batches: rows far apart, scores spread over thousands, integer, "
    "uint8 and float32 input; a new array, the input unchanged",
    "test_cross_entropy_error": "cross-entropy of unseen samples and batches with one-hot, integer-array, list "
    "and numpy-integer labels, zero probabilities included",
    "test_binary_cross_entropy": "binary cross-entropy on unseen probabilities with 0/1 and soft labels, "
    "probabilities exactly 0 and 1",
    "test_batch_cross_entropy_fixed": "the fixed batch cross-entropy on unseen batches of several sizes, "
    "zero probabilities included",
}
