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
