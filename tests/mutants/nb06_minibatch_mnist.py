"""Wrong implementations of notebook 06's exercises (the mistakes students really make).

The class `TwoLayerNet` is one solution cell with a solution region per method; its
mutants are the solution cell with one method's body changed (see `_net_with`).
"""

from tests.notebook_harness import solution_source

NET_TESTS = ["test_predict", "test_loss", "test_accuracy", "test_net_numerical_gradient", "test_gradient"]


def _net_with(old: str, new: str) -> str:
    """The solution's TwoLayerNet cell with the snippet ``old`` replaced by ``new`` (which must be found)."""
    source = solution_source("06_minibatch_mnist", "TwoLayerNet")
    if old not in source:
        raise ValueError(f"mutant snippet not in the TwoLayerNet solution: {old!r}")
    return source.replace(old, new, 1)


MUTANTS = {
    "sample_batch": {
        "tests": ["test_sample_batch"],
        "wrong": {
            "np.random.choice instead of the rng argument": """
def sample_batch(X, t, batch_size, rng):
    idx = np.random.choice(len(X), size=batch_size, replace=False)
    return X[idx], t[idx]
""",
            "different indices for images and labels": """
def sample_batch(X, t, batch_size, rng):
    return X[rng.choice(len(X), size=batch_size, replace=False)], t[rng.choice(len(t), size=batch_size, replace=False)]
""",
            "with replacement (duplicates)": """
def sample_batch(X, t, batch_size, rng):
    idx = rng.choice(len(X), size=batch_size)
    return X[idx], t[idx]
""",
            "the first batch_size samples, not random": """
def sample_batch(X, t, batch_size, rng):
    return X[:batch_size], t[:batch_size]
""",
            "rng.integers (other indices, duplicates)": """
def sample_batch(X, t, batch_size, rng):
    idx = rng.integers(0, len(X), size=batch_size)
    return X[idx], t[idx]
""",
        },
    },
    "iterate_minibatches": {
        "tests": ["test_iterate_minibatches"],
        "wrong": {
            "drops the last, smaller batch": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X) - batch_size + 1, batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], t[idx]
""",
            "shuffles the caller's arrays in place": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    if shuffle:
        order = rng.permutation(len(X))
        X[:] = X[order]
        t[:] = t[order]
    for start in range(0, len(X), batch_size):
        yield X[start : start + batch_size], t[start : start + batch_size]
""",
            "shuffles images and labels separately": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    ox = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    ot = rng.permutation(len(t)) if shuffle else np.arange(len(t))
    for start in range(0, len(X), batch_size):
        yield X[ox[start : start + batch_size]], t[ot[start : start + batch_size]]
""",
            "ignores shuffle=False": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], t[idx]
""",
            "random batches (sample_batch) instead of an epoch": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    for _ in range(-(-len(X) // batch_size)):
        idx = rng.choice(len(X), size=min(batch_size, len(X)), replace=False)
        yield X[idx], t[idx]
""",
            "global np.random.permutation": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    order = np.random.permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], t[idx]
""",
        },
    },
    "TwoLayerNet": {
        "tests": NET_TESTS,
        "wrong": {
            "predict: ReLU on the output too": _net_with(
                'return hidden @ p["W2"] + p["b2"]', 'return np.maximum(hidden @ p["W2"] + p["b2"], 0)'
            ),
            "predict: sigmoid instead of ReLU": _net_with(
                'hidden = np.maximum(x @ p["W1"] + p["b1"], 0)',
                'hidden = 1 / (1 + np.exp(-(x @ p["W1"] + p["b1"])))',
            ),
            "predict: returns softmax probabilities": _net_with(
                'return hidden @ p["W2"] + p["b2"]',
                'a = hidden @ p["W2"] + p["b2"]\n        e = np.exp(a - a.max(axis=1, keepdims=True))\n'
                "        return e / e.sum(axis=1, keepdims=True)",
            ),
            "loss: sum over the batch instead of the mean": _net_with(
                "return float(np.mean(log_sum - shifted[np.arange(len(shifted)), labels]))",
                "return float(np.sum(log_sum - shifted[np.arange(len(shifted)), labels]))",
            ),
            "loss: no max subtraction (overflow)": _net_with(
                "shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores"
            ),
            "loss: one-hot labels used as indices": _net_with(
                "labels = t.argmax(axis=1) if t.ndim == 2 else t\n        shifted",
                "labels = t\n        shifted",
            ),
            "accuracy: count instead of fraction": _net_with(
                "return float(np.mean(self.predict(x).argmax(axis=1) == labels))",
                "return float(np.sum(self.predict(x).argmax(axis=1) == labels))",
            ),
            "accuracy: argmax over the batch axis": _net_with(
                "return float(np.mean(self.predict(x).argmax(axis=1) == labels))",
                "return float(np.mean(self.predict(x).argmax(axis=0) == labels[: self.predict(x).shape[1]]))",
            ),
            "accuracy: compares one-hot labels directly": _net_with(
                "labels = t.argmax(axis=1) if t.ndim == 2 else t\n        return float(np.mean(self.predict",
                "labels = t\n        return float(np.mean(self.predict",
            ),
            "numerical_gradient: the loss never sees the nudged copy": _net_with(
                "self.params[name] = value\n", "pass\n"
            ),
            "numerical_gradient: leaves the nudged copy in params": _net_with(
                "finally:\n                    self.params[name] = original",
                "finally:\n                    pass",
            ),
            "numerical_gradient: nudges self.params in place, restores by arithmetic": _net_with(
                """        grads = {}
        for name in self.params:
            original = self.params[name]

            def loss_at(value, name=name, original=original):
                self.params[name] = value
                try:
                    return self.loss(x, t)
                finally:
                    self.params[name] = original

            grads[name] = numerical_gradient(loss_at, original)
        return grads""",
                """        grads, h = {}, 1e-4
        for name, value in self.params.items():
            grad = np.zeros_like(value)
            for idx in np.ndindex(value.shape):
                value[idx] += h
                plus = self.loss(x, t)
                value[idx] -= 2 * h
                minus = self.loss(x, t)
                value[idx] += h
                grad[idx] = (plus - minus) / (2 * h)
            grads[name] = grad
        return grads""",
            ),
            "gradient: forgets the 1/N": _net_with("d_scores /= n\n", "\n"),
            "gradient: forgets the ReLU's slope": _net_with("d_hidden *= z > 0\n", "\n"),
            "gradient: bias gradients as means": _net_with(
                '"b1": d_hidden.sum(axis=0)', '"b1": d_hidden.mean(axis=0)'
            ),
            "gradient: multiplies by the hidden values instead of the ReLU's slope": _net_with(
                "d_hidden *= z > 0", "d_hidden *= hidden"
            ),
            "gradient: upcasts float32 with a float64 one-hot target": _net_with(
                "d_scores[np.arange(n), t] -= 1", "d_scores = d_scores - np.eye(d_scores.shape[1])[t]"
            ),
        },
    },
    "train": {
        "tests": ["test_train"],
        # the probe always passes progress=False, as the spec's tests do; the stderr fails the cell itself
        "probe_misses": ["progress bar ignores progress=False (writes to stderr)"],
        "wrong": {
            "records the loss after the update": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for _ in tqdm(range(epochs), disable=not progress):
        for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng):
            optimizer.update(net.params, net.gradient(xb, tb))
            history["loss"].append(float(net.loss(xb, tb)))
        history["train_acc"].append(net.accuracy(x_train, t_train))
        history["test_acc"].append(net.accuracy(x_test, t_test))
    return history
""",
            "random batches with sample_batch": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    per_epoch = -(-len(x_train) // batch_size)
    for _ in tqdm(range(epochs), disable=not progress):
        for _ in range(per_epoch):
            xb, tb = sample_batch(x_train, t_train, min(batch_size, len(x_train)), rng)
            history["loss"].append(float(net.loss(xb, tb)))
            optimizer.update(net.params, net.gradient(xb, tb))
        history["train_acc"].append(net.accuracy(x_train, t_train))
        history["test_acc"].append(net.accuracy(x_test, t_test))
    return history
""",
            "accuracy on the test set for both": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for _ in tqdm(range(epochs), disable=not progress):
        for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng):
            history["loss"].append(float(net.loss(xb, tb)))
            optimizer.update(net.params, net.gradient(xb, tb))
        history["train_acc"].append(net.accuracy(x_test, t_test))
        history["test_acc"].append(net.accuracy(x_test, t_test))
    return history
""",
            "a new shuffle generator each epoch": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for epoch in tqdm(range(epochs), disable=not progress):
        for xb, tb in iterate_minibatches(x_train, t_train, batch_size, np.random.default_rng(epoch)):
            history["loss"].append(float(net.loss(xb, tb)))
            optimizer.update(net.params, net.gradient(xb, tb))
        history["train_acc"].append(net.accuracy(x_train, t_train))
        history["test_acc"].append(net.accuracy(x_test, t_test))
    return history
""",
            "progress bar ignores progress=False (writes to stderr)": """
import sys


def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for _ in tqdm(range(epochs), file=sys.stderr):
        for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng):
            history["loss"].append(float(net.loss(xb, tb)))
            optimizer.update(net.params, net.gradient(xb, tb))
        history["train_acc"].append(net.accuracy(x_train, t_train))
        history["test_acc"].append(net.accuracy(x_test, t_test))
    return history
""",
        },
    },
}


# Contract corners (issue 14) and correct alternatives that every visible and hidden test and
# the probes must accept.


def _net_with_all(*changes: tuple[str, str]) -> str:
    """The solution's TwoLayerNet cell with several snippets replaced (each must be found)."""
    source = solution_source("06_minibatch_mnist", "TwoLayerNet")
    for old, new in changes:
        if old not in source:
            raise ValueError(f"mutant snippet not in the TwoLayerNet solution: {old!r}")
        source = source.replace(old, new, 1)
    return source


_LOSS_LOG_SUM = "log_sum = np.log(np.exp(shifted).sum(axis=1))\n        return float(np.mean(log_sum - shifted[np.arange(len(shifted)), labels]))"
_ACCURACY = "return float(np.mean(self.predict(x).argmax(axis=1) == labels))"
_NUMERICAL = """        grads = {}
        for name in self.params:
            original = self.params[name]

            def loss_at(value, name=name, original=original):
                self.params[name] = value
                try:
                    return self.loss(x, t)
                finally:
                    self.params[name] = original

            grads[name] = numerical_gradient(loss_at, original)
        return grads
"""

MUTANTS["sample_batch"]["wrong"].update(
    {
        "no check that X and t have the same length": """
def sample_batch(X, t, batch_size, rng):
    idx = rng.choice(len(X), size=batch_size, replace=False)
    return X[idx], t[idx]
""",
        "sorts the drawn indices": """
def sample_batch(X, t, batch_size, rng):
    if len(X) != len(t):
        raise ValueError("X and t differ in length")
    idx = np.sort(rng.choice(len(X), size=batch_size, replace=False))
    return X[idx], t[idx]
""",
        "the first batch_size of a permutation (other indices)": """
def sample_batch(X, t, batch_size, rng):
    if len(X) != len(t) or batch_size > len(X):
        raise ValueError("bad batch")
    idx = rng.permutation(len(X))[:batch_size]
    return X[idx], t[idx]
""",
    }
)
MUTANTS["sample_batch"]["correct"] = {
    "np.take along the first axis": """
def sample_batch(X, t, batch_size, rng):
    X, t = np.asarray(X), np.asarray(t)
    if X.shape[0] != t.shape[0]:
        raise ValueError(f"{X.shape[0]} images but {t.shape[0]} labels")
    idx = rng.choice(X.shape[0], size=batch_size, replace=False)
    return np.take(X, idx, axis=0), np.take(t, idx, axis=0)
""",
    "rng.choice over an index array, explicit checks": """
def sample_batch(X, t, batch_size, rng):
    n = len(X)
    if len(t) != n:
        raise ValueError(f"X has {n} samples, t has {len(t)}")
    if batch_size > n:
        raise ValueError(f"batch_size {batch_size} > {n} samples")
    idx = rng.choice(np.arange(n), size=batch_size, replace=False)
    return X[idx, ...], t[idx, ...]
""",
}

MUTANTS["iterate_minibatches"]["wrong"].update(
    {
        "no check that X and t have the same length": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], t[idx]
""",
        "returns a list of batches, not a generator": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    if len(X) != len(t):
        raise ValueError("X and t differ in length")
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    return [(X[order[s : s + batch_size]], t[order[s : s + batch_size]]) for s in range(0, len(X), batch_size)]
""",
        "draws the permutation also when shuffle=False": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    if len(X) != len(t):
        raise ValueError("X and t differ in length")
    shuffled = rng.permutation(len(X))
    order = shuffled if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], t[idx]
""",
        "rng.choice instead of rng.permutation (another order)": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    if len(X) != len(t):
        raise ValueError("X and t differ in length")
    order = rng.choice(len(X), size=len(X), replace=False) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], t[idx]
""",
    }
)
MUTANTS["iterate_minibatches"]["correct"] = {
    "counts the batches with ceil, np.take": """
import math


def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    n = len(X)
    if n != len(t):
        raise ValueError(f"{n} images but {len(t)} labels")
    order = np.arange(n)
    if shuffle:
        order = rng.permutation(order)
    for k in range(math.ceil(n / batch_size)):
        idx = order[k * batch_size : (k + 1) * batch_size]
        yield np.take(X, idx, axis=0), np.take(t, idx, axis=0)
""",
    "a while loop over the permutation": """
def iterate_minibatches(X, t, batch_size, rng, shuffle=True):
    if len(X) != len(t):
        raise ValueError(f"X has {len(X)} samples but t has {len(t)}")
    order = rng.permutation(len(X)) if shuffle else range(len(X))
    order = list(order)
    start = 0
    while start < len(order):
        idx = order[start : start + batch_size]
        start += batch_size
        yield X[idx], t[idx]
""",
}

MUTANTS["TwoLayerNet"]["wrong"].update(
    {
        "predict: forgets b2": _net_with('return hidden @ p["W2"] + p["b2"]', 'return hidden @ p["W2"]'),
        "predict: float64 scores for a float32 network": _net_with(
            'hidden = np.maximum(x @ p["W1"] + p["b1"], 0)',
            'hidden = np.maximum(np.asarray(x, dtype=float) @ p["W1"] + p["b1"], 0)',
        ),
        "predict: b1 added as a column (hidden, 1)": _net_with(
            'hidden = np.maximum(x @ p["W1"] + p["b1"], 0)',
            'hidden = np.maximum(x @ p["W1"] + p["b1"].reshape(-1, 1), 0)',
        ),
        "predict: np.max(z, 0) (a reduction) instead of np.maximum": _net_with(
            'hidden = np.maximum(x @ p["W1"] + p["b1"], 0)', 'hidden = np.max(x @ p["W1"] + p["b1"], 0)'
        ),
        "loss: shifted by the row's minimum": _net_with(
            "shifted = scores - scores.max(axis=1, keepdims=True)",
            "shifted = scores - scores.min(axis=1, keepdims=True)",
        ),
        "loss: shifted by the row's mean": _net_with(
            "shifted = scores - scores.max(axis=1, keepdims=True)",
            "shifted = scores - scores.mean(axis=1, keepdims=True)",
        ),
        "loss: shifted by the batch's maximum": _net_with(
            "shifted = scores - scores.max(axis=1, keepdims=True)", "shifted = scores - scores.max()"
        ),
        "loss: log of the softmax instead of log-sum-exp": _net_with(
            _LOSS_LOG_SUM,
            "probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)\n"
            "        return float(-np.mean(np.log(probs[np.arange(len(probs)), labels])))",
        ),
        "loss: notebook 01's δ = 1e-7 in the log": _net_with(
            _LOSS_LOG_SUM,
            "probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)\n"
            "        return float(-np.mean(np.log(probs[np.arange(len(probs)), labels] + 1e-7)))",
        ),
        "loss and gradient: a summed loss and a gradient without the 1/N (they agree with each other)": (
            _net_with_all(
                (
                    "return float(np.mean(log_sum - shifted[np.arange(len(shifted)), labels]))",
                    "return float(np.sum(log_sum - shifted[np.arange(len(shifted)), labels]))",
                ),
                ("        d_scores /= n\n", ""),
            )
        ),
        "accuracy: a tie counts as right": _net_with(
            _ACCURACY,
            "scores = self.predict(x)\n"
            "        return float(np.mean(scores[np.arange(len(scores)), labels] == scores.max(axis=1)))",
        ),
        "accuracy: a percentage": _net_with(
            _ACCURACY, "return float(100 * np.mean(self.predict(x).argmax(axis=1) == labels))"
        ),
        "accuracy: int() truncates the fraction": _net_with(
            _ACCURACY, "return int(np.mean(self.predict(x).argmax(axis=1) == labels))"
        ),
        "numerical_gradient: its own forward difference": _net_with(
            _NUMERICAL,
            """        grads, h = {}, 1e-4
        for name, value in self.params.items():
            grad = np.zeros_like(value)
            base = self.loss(x, t)
            for idx in np.ndindex(value.shape):
                saved = value[idx]
                value[idx] = saved + h
                grad[idx] = (self.loss(x, t) - base) / h
                value[idx] = saved
            grads[name] = grad
        return grads
""",
        ),
        "numerical_gradient: skips the biases": _net_with(
            "        for name in self.params:\n            original",
            '        for name in ("W1", "W2"):\n            original',
        ),
        "numerical_gradient: late-binding closures (every loss uses the last name)": _net_with(
            _NUMERICAL,
            """        losses = {}
        for name in self.params:
            original = self.params[name]

            def loss_at(value):
                self.params[name] = value
                try:
                    return self.loss(x, t)
                finally:
                    self.params[name] = original

            losses[name] = (loss_at, original)
        return {name: numerical_gradient(f, start) for name, (f, start) in losses.items()}
""",
        ),
        "gradient: softmax shifted by the row's minimum": _net_with(
            "scores -= scores.max(axis=1, keepdims=True)", "scores -= scores.min(axis=1, keepdims=True)"
        ),
        "gradient: softmax shifted by the row's mean": _net_with(
            "scores -= scores.max(axis=1, keepdims=True)", "scores -= scores.mean(axis=1, keepdims=True)"
        ),
        "gradient: softmax shifted by the batch's maximum": _net_with(
            "scores -= scores.max(axis=1, keepdims=True)", "scores -= scores.max()"
        ),
        "gradient: float64 gradients for a float32 network": _net_with(
            'z = x @ p["W1"] + p["b1"]', 'x = np.asarray(x, dtype=float)\n        z = x @ p["W1"] + p["b1"]'
        ),
        "gradient: b2's gradient summed over the wrong axis": _net_with(
            '"b2": d_scores.sum(axis=0)', '"b2": d_scores.sum(axis=1)'
        ),
    }
)
MUTANTS["TwoLayerNet"]["correct"] = {
    "one-hot matrices, log-softmax, np.clip for the ReLU, params swapped as a dict": '''
class TwoLayerNet:
    """affine -> ReLU -> affine -> softmax with cross-entropy; parameters in self.params."""

    def __init__(
        self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None, dtype=np.float64
    ):
        rng = np.random.default_rng() if rng is None else rng
        self.params = {
            "W1": (weight_init_std * rng.standard_normal((input_size, hidden_size))).astype(dtype),
            "b1": np.zeros(hidden_size, dtype=dtype),
            "W2": (weight_init_std * rng.standard_normal((hidden_size, output_size))).astype(dtype),
            "b2": np.zeros(output_size, dtype=dtype),
        }

    def _one_hot(self, t, like):
        if t.ndim == 2:
            return t.astype(like.dtype)
        return np.eye(like.shape[1], dtype=like.dtype)[t]

    def predict(self, x):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        return np.dot(np.clip(np.dot(x, W1) + b1, 0, None), W2) + b2

    def loss(self, x, t):
        a = self.predict(x)
        shifted = a - np.max(a, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        return float(-np.sum(self._one_hot(t, a) * log_probs) / len(a))

    def accuracy(self, x, t):
        labels = np.argmax(t, axis=1) if t.ndim == 2 else t
        return np.count_nonzero(np.argmax(self.predict(x), axis=1) == labels) / len(labels)

    def numerical_gradient(self, x, t):
        kept = self.params
        grads = {}
        for name in kept:

            def loss_at(value, name=name):
                self.params = {**kept, name: value}
                try:
                    return self.loss(x, t)
                finally:
                    self.params = kept

            grads[name] = numerical_gradient(loss_at, kept[name])
        return grads

    def gradient(self, x, t):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        z = x @ W1 + b1
        h = np.where(z > 0, z, 0).astype(z.dtype)
        a = h @ W2 + b2
        e = np.exp(a - a.max(axis=1, keepdims=True))
        y = e / e.sum(axis=1, keepdims=True)
        da = (y - self._one_hot(t, a)) * (1.0 / len(x))
        dz = (da @ W2.T) * (z > 0)
        return {"W1": x.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ da, "b2": da.sum(axis=0)}
''',
    "np.logaddexp.reduce for the log-sum-exp, ReLU mask reused": '''
class TwoLayerNet:
    """affine -> ReLU -> affine -> softmax with cross-entropy; parameters in self.params."""

    def __init__(
        self, input_size, hidden_size, output_size, weight_init_std=0.01, rng=None, dtype=np.float64
    ):
        rng = np.random.default_rng() if rng is None else rng
        self.params = {
            "W1": (weight_init_std * rng.standard_normal((input_size, hidden_size))).astype(dtype),
            "b1": np.zeros(hidden_size, dtype=dtype),
            "W2": (weight_init_std * rng.standard_normal((hidden_size, output_size))).astype(dtype),
            "b2": np.zeros(output_size, dtype=dtype),
        }

    def _forward(self, x):
        z = x @ self.params["W1"] + self.params["b1"]
        mask = z > 0
        h = z * mask
        return mask, h, h @ self.params["W2"] + self.params["b2"]

    def predict(self, x):
        return self._forward(x)[2]

    def loss(self, x, t):
        a = self.predict(x)
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        log_sum_exp = np.logaddexp.reduce(a, axis=1)
        return float((log_sum_exp - a[np.arange(len(a)), labels]).mean())

    def accuracy(self, x, t):
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        return float((self.predict(x).argmax(axis=1) == labels).mean())

    def numerical_gradient(self, x, t):
        grads = {}
        for name, original in list(self.params.items()):

            def loss_at(value, name=name, original=original):
                self.params[name] = value
                try:
                    return self.loss(x, t)
                finally:
                    self.params[name] = original

            grads[name] = numerical_gradient(loss_at, original)
        return grads

    def gradient(self, x, t):
        mask, h, a = self._forward(x)
        n, k = a.shape
        y = np.exp(a - np.logaddexp.reduce(a, axis=1)[:, None])
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        y[np.arange(n), labels] -= 1
        da = y / n
        dz = (da @ self.params["W2"].T) * mask
        return {"W1": x.T @ dz, "b1": np.sum(dz, axis=0), "W2": h.T @ da, "b2": np.sum(da, axis=0)}
''',
}

MUTANTS["train"]["wrong"].update(
    {
        "accuracy of the last batch only": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for _ in tqdm(range(epochs), disable=not progress):
        for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng):
            history["loss"].append(float(net.loss(xb, tb)))
            optimizer.update(net.params, net.gradient(xb, tb))
        history["train_acc"].append(float(net.accuracy(xb, tb)))
        history["test_acc"].append(float(net.accuracy(x_test, t_test)))
    return history
""",
        "one epoch whatever epochs says": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng):
        history["loss"].append(float(net.loss(xb, tb)))
        optimizer.update(net.params, net.gradient(xb, tb))
    history["train_acc"].append(float(net.accuracy(x_train, t_train)))
    history["test_acc"].append(float(net.accuracy(x_test, t_test)))
    return history
""",
        "batches in the same order every epoch (shuffle=False)": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    for _ in tqdm(range(epochs), disable=not progress):
        for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng, shuffle=False):
            history["loss"].append(float(net.loss(xb, tb)))
            optimizer.update(net.params, net.gradient(xb, tb))
        history["train_acc"].append(float(net.accuracy(x_train, t_train)))
        history["test_acc"].append(float(net.accuracy(x_test, t_test)))
    return history
""",
    }
)
MUTANTS["train"]["correct"] = {
    "gradient first, then the loss, a manual progress bar": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    history = {"loss": [], "train_acc": [], "test_acc": []}
    with tqdm(total=epochs, disable=not progress) as bar:
        for epoch in range(epochs):
            for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng):
                grads = net.gradient(xb, tb)
                history["loss"].append(float(net.loss(xb, tb)))
                optimizer.update(net.params, grads)
            history["train_acc"].append(float(net.accuracy(x_train, t_train)))
            history["test_acc"].append(float(net.accuracy(x_test, t_test)))
            bar.update(1)
    return history
""",
    "tqdm's trange, the history built from lists": """
def train(net, optimizer, x_train, t_train, x_test, t_test, epochs, batch_size, rng, progress=True):
    from tqdm.auto import trange

    losses, train_acc, test_acc = [], [], []
    for _ in trange(epochs, disable=not progress):
        for xb, tb in iterate_minibatches(x_train, t_train, batch_size, rng):
            losses.append(float(net.loss(xb, tb)))
            optimizer.update(net.params, net.gradient(xb, tb))
        train_acc.append(float(net.accuracy(x_train, t_train)))
        test_acc.append(float(net.accuracy(x_test, t_test)))
    return {"loss": losses, "train_acc": train_acc, "test_acc": test_acc}
""",
}
