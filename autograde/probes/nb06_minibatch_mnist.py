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
            batches = [list(b) for b in fn(X, t, size, np.random.default_rng(seed), shuffle=shuffle)]
            return {
                "batches": batches,
                "unchanged": bool(np.array_equal(X, before[0]) and np.array_equal(t, before[1])),
            }

        results.append(outcome(call))
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
        return results

    return probe


def probe_gradient(ns: dict, rng: np.random.Generator) -> list:
    results = []
    for dtype in (np.float64, np.float64, np.float32):
        net, x, t, sizes = _random_net(ns, rng, dtype)
        saved = {k: v.copy() for k, v in net.params.items()}

        def call(net=net, x=x, t=t, saved=saved, sizes=sizes):
            grads = net.gradient(x, t)
            one_hot = net.gradient(x, np.eye(sizes[2], dtype=x.dtype)[t])
            return {
                "grads": {k: np.asarray(grads[k], dtype=float) for k in sorted(grads)},
                "one-hot": {k: np.asarray(one_hot[k], dtype=float) for k in sorted(one_hot)},
                "dtypes": sorted(str(np.asarray(v).dtype) for v in grads.values()),
                "params unchanged": all(np.array_equal(net.params[k], saved[k]) for k in saved),
            }

        results.append(outcome(call))
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
