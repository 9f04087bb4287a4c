"""Trusted probes of notebook 06 (mini-batch MNIST): secret random inputs, plain-data answers."""

from __future__ import annotations

import numpy as np

from gdlab_autograde.probes import outcome


def probe_sample_batch(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["sample_batch"]
    results = []
    for _ in range(4):
        n = int(rng.integers(3, 40))
        size = int(rng.integers(1, n + 1))
        X, t = rng.normal(size=(n, 3)), rng.integers(0, 10, size=n)
        seed = int(rng.integers(1 << 30))
        results.append(
            outcome(lambda X=X, t=t, size=size, seed=seed: fn(X, t, size, np.random.default_rng(seed)))
        )
    results.append(outcome(lambda: fn(np.zeros((3, 2)), np.zeros(3), 4, np.random.default_rng(0))))
    n = int(rng.integers(3, 10))
    results.append(outcome(lambda: fn(np.zeros((n, 2)), np.zeros(n + 1), 2, np.random.default_rng(0))))
    return results


def probe_iterate_minibatches(ns: dict, rng: np.random.Generator) -> list:
    fn = ns["iterate_minibatches"]
    results = []
    for shuffle in (True, True, False):
        n, size = int(rng.integers(1, 30)), int(rng.integers(1, 9))
        X, t = rng.normal(size=(n, 2)), np.eye(4)[rng.integers(0, 4, size=n)]
        before = (X.copy(), t.copy())
        seed = int(rng.integers(1 << 30))

        def call(X=X, t=t, size=size, seed=seed, shuffle=shuffle, before=before):
            gen = np.random.default_rng(seed)
            batches = fn(X, t, size, gen, shuffle=shuffle)
            is_generator = hasattr(batches, "__next__")
            batches = [list(b) for b in batches]
            return {
                "batches": batches,
                "generator": is_generator,
                "unchanged": bool(np.array_equal(X, before[0]) and np.array_equal(t, before[1])),
                "rng afterwards": float(gen.random()),
            }

        results.append(outcome(call))
    n = int(rng.integers(2, 10))
    results.append(outcome(lambda: list(fn(np.zeros((n, 2)), np.zeros(n - 1), 2, np.random.default_rng(0)))))
    return results


def _random_net(ns: dict, rng: np.random.Generator, dtype=np.float64):
    sizes = [int(s) for s in rng.integers(2, 7, size=3)]
    net = ns["TwoLayerNet"](*sizes, weight_init_std=float(rng.uniform(0.3, 2.0)), rng=rng, dtype=dtype)
    net.params["b1"] = rng.normal(size=sizes[1]).astype(dtype)
    net.params["b2"] = rng.normal(size=sizes[2]).astype(dtype)
    n = int(rng.integers(1, 7))
    x = rng.normal(size=(n, sizes[0])).astype(dtype)
    t = rng.integers(0, sizes[2], size=n)
    return net, x, t, sizes


def _net_with_scores(ns: dict, scores: np.ndarray):
    """A network whose scores on x = I are exactly ``scores``."""
    n, k = scores.shape
    net = ns["TwoLayerNet"](n, n, k, rng=np.random.default_rng(0))
    net.params = {"W1": np.eye(n), "b1": np.zeros(n), "W2": scores.copy(), "b2": np.zeros(k)}
    return net, np.eye(n)


def _hard_scores(rng: np.random.Generator) -> list[np.ndarray]:
    """Scores that break unstable softmaxes: one score 800 above nine others, rows thousands apart."""
    spread = np.zeros((2, 10))
    spread[0, int(rng.integers(10))] = 800.0 + rng.uniform(0, 50)
    spread[1, int(rng.integers(10))] = 800.0 + rng.uniform(0, 50)
    far = rng.uniform(-3, 3, size=(3, 4)) + np.array([[0.0], [3000.0], [-2500.0]]) * rng.uniform(1, 2)
    wide = rng.uniform(-900, 900, size=(3, 10)) + rng.uniform(-5000, 5000, size=(3, 1))
    return [spread, far, wide]


def _extra_method_results(ns: dict, rng: np.random.Generator, method: str) -> list:
    results = []
    if method == "predict":
        net32 = ns["TwoLayerNet"](4, 3, 2, weight_init_std=1.0, rng=rng, dtype=np.float32)
        x32 = rng.normal(size=(3, 4)).astype(np.float32)
        results.append(outcome(lambda: str(np.asarray(net32.predict(x32)).dtype)))
        hidden = int(rng.integers(2, 6))
        net_sq = ns["TwoLayerNet"](3, hidden, 2, weight_init_std=1.0, rng=rng)
        net_sq.params["b1"] = rng.normal(size=hidden)
        x_sq = rng.normal(size=(hidden, 3))
        results.append(outcome(lambda: np.asarray(net_sq.predict(x_sq), dtype=float)))
    if method in ("loss", "accuracy"):
        for scores in _hard_scores(rng):
            net, x = _net_with_scores(ns, scores)
            t = rng.integers(0, scores.shape[1], size=len(scores))
            results.append(outcome(lambda net=net, x=x, t=t: getattr(net, method)(x, t)))
    if method == "loss":
        net, x = _net_with_scores(ns, np.array([[30.0 + rng.uniform(0, 5), 0.0, 0.0]]))
        results.append(outcome(lambda: net.loss(x, np.array([1]))))
    if method == "accuracy":
        ties = np.array([[2.0, 2.0, 0.0], [0.0, 1.0, 1.0], [3.0, 3.0, 3.0]])
        net, x = _net_with_scores(ns, ties)
        for labels in ([0, 1, 0], [1, 2, 2]):
            results.append(outcome(lambda net=net, x=x, labels=labels: net.accuracy(x, np.array(labels))))
    return results


def _method_probe(method: str):
    def probe(ns: dict, rng: np.random.Generator) -> list:
        results = []
        for _ in range(3):
            net, x, t, sizes = _random_net(ns, rng)
            saved = {k: v.copy() for k, v in net.params.items()}
            objects = dict(net.params)

            def call(net=net, x=x, t=t, saved=saved, objects=objects, sizes=sizes):
                if method == "predict":
                    out = {"scores": np.asarray(net.predict(x), dtype=float)}
                else:
                    out = {
                        "int labels": getattr(net, method)(x, t),
                        "one-hot labels": getattr(net, method)(x, np.eye(sizes[2])[t]),
                    }
                out["params unchanged"] = all(
                    net.params[k] is objects[k] and np.array_equal(net.params[k], saved[k]) for k in saved
                )
                return out

            results.append(outcome(call))
        if method in ("loss", "predict"):
            # scores near 1000: exp overflows unless each row's maximum is subtracted first
            net, x, t, _ = _random_net(ns, rng)
            net.params["b2"] = net.params["b2"] + 1000.0 + rng.uniform(-20, 20, size=net.params["b2"].shape)
            results.append(outcome(lambda: net.loss(x, t) if method == "loss" else net.predict(x)))
        results += _extra_method_results(ns, rng, method)
        return results

    return probe


def _reference_gradient(params: dict, x: np.ndarray, t: np.ndarray) -> dict:
    p = {k: np.asarray(v, dtype=float) for k, v in params.items()}
    x = np.asarray(x, dtype=float)
    z = x @ p["W1"] + p["b1"]
    hid = np.maximum(z, 0)
    a = hid @ p["W2"] + p["b2"]
    y = np.exp(a - a.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    T = t if t.ndim == 2 else np.eye(a.shape[1])[t]
    da = (y - T) / len(x)
    dz = (da @ p["W2"].T) * (z > 0)
    return {"W1": x.T @ dz, "b1": dz.sum(0), "W2": hid.T @ da, "b2": da.sum(0)}


def _relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0


def probe_gradient(ns: dict, rng: np.random.Generator) -> list:
    results = []
    for _ in range(2):
        net, x, t, sizes = _random_net(ns, rng, np.float64)
        saved = {k: v.copy() for k, v in net.params.items()}

        def call(net=net, x=x, t=t, saved=saved, sizes=sizes):
            grads = net.gradient(x, t)
            one_hot = net.gradient(x, np.eye(sizes[2])[t])
            return {
                "grads": {k: np.asarray(grads[k], dtype=float) for k in sorted(grads)},
                "one-hot": {k: np.asarray(one_hot[k], dtype=float) for k in sorted(one_hot)},
                "dtypes": sorted(str(np.asarray(v).dtype) for v in grads.values()),
                "params unchanged": all(np.array_equal(net.params[k], saved[k]) for k in saved),
            }

        results.append(outcome(call))
    # float32: the dtype, and closeness to the float64 gradient (float32 keeps about 7 digits, so
    # two correct float32 implementations may differ in the last digits: no exact comparison)
    net, x, t, sizes = _random_net(ns, rng, np.float32)
    for labels in (t, np.eye(sizes[2])[t], np.eye(sizes[2], dtype=np.float32)[t]):

        def call32(net=net, x=x, labels=labels):
            grads = net.gradient(x, labels)
            want = _reference_gradient(net.params, x, labels)
            return {
                "keys": sorted(grads),
                "dtypes": sorted(str(np.asarray(v).dtype) for v in grads.values()),
                "close to float64": [
                    _relative_difference(np.asarray(grads[k], dtype=float), want[k]) < 1e-5
                    for k in sorted(want)
                ],
            }

        results.append(outcome(call32))
    for scores in _hard_scores(rng):
        net, x = _net_with_scores(ns, scores)
        t = rng.integers(0, scores.shape[1], size=len(scores))

        def call_hard(net=net, x=x, t=t):
            grads = net.gradient(x, t)
            return {k: np.asarray(grads[k], dtype=float) for k in sorted(grads)}

        results.append(outcome(call_hard))
    return results


def probe_train(ns: dict, rng: np.random.Generator) -> list:
    results = []
    x = rng.normal(size=(int(rng.integers(20, 40)), 4))
    t = (x[:, 0] > 0).astype(int)
    xv = rng.normal(size=(10, 4))
    tv = (xv[:, 0] > 0).astype(int)
    for optimizer, kwargs in (("SGD", {"lr": 0.3}), ("Adam", {"lr": 0.01})):
        seed = int(rng.integers(1 << 30))
        epochs, batch = int(rng.integers(1, 4)), int(rng.integers(3, 12))

        def call(optimizer=optimizer, kwargs=kwargs, seed=seed, epochs=epochs, batch=batch):
            net = ns["TwoLayerNet"](4, 5, 2, weight_init_std=0.5, rng=np.random.default_rng(seed))
            history = ns["train"](
                net,
                ns[optimizer](**kwargs),
                x,
                t,
                xv,
                tv,
                epochs,
                batch,
                np.random.default_rng(seed + 1),
                progress=False,
            )
            return {
                "history": {k: [float(v) for v in history[k]] for k in sorted(history)},
                "params": {k: np.asarray(v, dtype=float) for k, v in sorted(net.params.items())},
            }

        results.append(outcome(call))
    return results


PROBES = {
    "test_sample_batch": probe_sample_batch,
    "test_iterate_minibatches": probe_iterate_minibatches,
    "test_predict": _method_probe("predict"),
    "test_loss": _method_probe("loss"),
    "test_accuracy": _method_probe("accuracy"),
    "test_net_numerical_gradient": _method_probe("numerical_gradient"),
    "test_gradient": probe_gradient,
    "test_train": probe_train,
}


DESCRIPTIONS = {
    "test_sample_batch": "sample_batch on unseen data: the rows drawn with rng, in order, images and labels together, "
    "batch_size > N and different lengths refused",
    "test_iterate_minibatches": "iterate_minibatches on unseen data: every sample once in rng order, the smaller last "
    "batch, shuffle=False in order without using rng, a generator, the data unchanged, different lengths refused",
    "test_predict": "predict of unseen random networks: the scores, float32 kept, batches as large as the hidden "
    "layer, the parameters unchanged",
    "test_loss": "loss of unseen random networks with integer and one-hot labels, and with scores that spread over "
    "hundreds or rows thousands apart (numerical stability)",
    "test_accuracy": "accuracy of unseen random networks with integer and one-hot labels, large scores and ties",
    "test_net_numerical_gradient": "numerical_gradient of unseen random networks: the values and the parameters "
    "restored",
    "test_gradient": "gradient of unseen random networks against the course's backprop: integer and one-hot labels, "
    "float32 networks, and scores that spread over hundreds or rows thousands apart",
    "test_train": "train on an unseen problem with SGD and Adam: the histories and the trained parameters",
}
