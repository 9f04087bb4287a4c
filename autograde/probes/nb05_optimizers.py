"""Trusted probes of notebook 05 (optimizers).

Each probe builds random problems from ``rng`` (several parameters of random shapes,
gradients of sizes 1e-7 ... 10, random hyperparameters), runs the student's optimizer class
and returns the final parameters together with what reveals the contract: whether the
arrays were updated in place, whether ``grads`` stayed unchanged, whether any state array
shares memory with params or grads, the result when two parameters are updated together and
alone (state per name, one step counter per call), the result when the caller reuses
its gradient buffers, when ``grads`` lists its keys in another order, when some calls leave a
parameter out (a frozen layer), when two optimizers are used in turns, and whether float32
parameters are updated in place as in float64.
"""

from __future__ import annotations

import numpy as np

from gdlab_autograde.probes import outcome


def _problem(rng, shapes, steps):
    params = {key: rng.normal(size=shape) for key, shape in shapes.items()}
    step_scale = 10.0 ** rng.uniform(-3, 1, size=steps)
    grad_seq = [
        {
            key: rng.normal(size=shape) * 10.0 ** rng.uniform(-4, 0, size=shape) * step_scale[i]
            for key, shape in shapes.items()
        }
        for i in range(steps)
    ]
    return params, grad_seq


def _random_shapes(rng):
    count = int(rng.integers(2, 4))
    return {
        f"p{i}": tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(1, 3)))) for i in range(count)
    }


def _arrays_in(obj, depth=0):
    if isinstance(obj, np.ndarray):
        return [obj]
    if depth > 4:
        return []
    if isinstance(obj, dict):
        items = list(obj.values())
    elif isinstance(obj, (list, tuple)):
        items = list(obj)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type):
        items = list(vars(obj).values())
    else:
        return []
    return [array for item in items for array in _arrays_in(item, depth + 1)]


def _run(cls, kwargs, params, grad_seq):
    """Final params and contract observations of one run."""

    def go():
        opt = cls(**kwargs)
        work = {key: value.copy() for key, value in params.items()}
        objects = dict(work)
        grad_copies = [{key: g.copy() for key, g in grads.items()} for grads in grad_seq]
        for grads in grad_seq:
            opt.update(work, grads)
        others = list(objects.values()) + [g for grads in grad_seq for g in grads.values()]
        return {
            "params": {key: np.array(objects[key], dtype=float) for key in params},
            "in_place": [work[key] is objects[key] for key in params],
            "grads_unchanged": all(
                np.array_equal(grads[key], copies[key])
                for grads, copies in zip(grad_seq, grad_copies, strict=True)
                for key in grads
            ),
            "aliases_state": any(np.shares_memory(a, b) for a in _arrays_in(opt) for b in others),
        }

    return outcome(go)


def _reused_buffers(cls, kwargs, params, grad_seq):
    def go():
        opt = cls(**kwargs)
        work = {key: value.copy() for key, value in params.items()}
        buffers = {key: np.zeros_like(value) for key, value in params.items()}
        for grads in grad_seq:
            for key in grads:
                buffers[key][...] = grads[key]
            opt.update(work, buffers)
        return work

    return outcome(go)


def _reordered(cls, kwargs, params, grad_seq):
    """Final params when every grads dict lists its keys in the reverse order of params."""

    def go():
        opt = cls(**kwargs)
        work = {key: value.copy() for key, value in params.items()}
        for grads in grad_seq:
            opt.update(work, dict(reversed(list(grads.items()))))
        return work

    return outcome(go)


def _frozen(cls, kwargs, rng):
    """Update calls that leave some parameters out of both dicts (frozen layers)."""
    shape = tuple(int(n) for n in rng.integers(1, 4, size=2))
    shapes = {"W": (int(rng.integers(2, 4)), 3), "b": shape, "c": shape}
    params, grad_seq = _problem(rng, shapes, 5)
    present = [("W", "b", "c"), ("b", "c"), ("W", "b"), ("c",), ("W", "b", "c")]

    def go():
        opt = cls(**kwargs)
        work = {key: value.copy() for key, value in params.items()}
        frozen_unchanged = []
        for keys, grads in zip(present, grad_seq, strict=True):
            before = {key: value.copy() for key, value in work.items()}
            opt.update({k: work[k] for k in keys}, {k: grads[k] for k in keys})
            frozen_unchanged += [bool(np.array_equal(work[k], before[k])) for k in work if k not in keys]
        return {"params": work, "frozen unchanged": frozen_unchanged}

    return outcome(go)


def _two_alive(cls, kwargs, rng):
    """Two optimizers of the same class used in turns on parameters with the same names."""
    shapes = _random_shapes(rng)
    first_problem, second_problem = _problem(rng, shapes, 4), _problem(rng, shapes, 4)

    def go():
        opts = [cls(**kwargs), cls(**kwargs)]
        works = [{key: value.copy() for key, value in p.items()} for p, _ in (first_problem, second_problem)]
        for step in range(4):
            for opt, work, (_, grad_seq) in zip(opts, works, (first_problem, second_problem), strict=True):
                opt.update(work, grad_seq[step])
        return works

    return outcome(go)


def _float32(cls, kwargs, rng):
    """Whether float32 parameters are updated in place, stay float32 and move as in float64."""
    params, grad_seq = _problem(rng, _random_shapes(rng), 4)

    def go():
        wide = {key: value.copy() for key, value in params.items()}
        opt = cls(**kwargs)
        for grads in grad_seq:
            opt.update(wide, grads)
        narrow = {key: value.astype(np.float32) for key, value in params.items()}
        objects = dict(narrow)
        opt = cls(**kwargs)
        for grads in grad_seq:
            opt.update(narrow, grads)
        return {
            "in place": [narrow[key] is objects[key] for key in params],
            "dtypes": [str(narrow[key].dtype) for key in params],
            # float32 keeps about 7 digits: the two runs agree to a few rounding steps per update
            "as in float64": [
                bool(np.allclose(narrow[key], wide[key], rtol=1e-5, atol=1e-6)) for key in params
            ],
        }

    return outcome(go)


def _probe_for(name, random_kwargs):
    def probe(ns, rng):
        cls = ns[name]
        configs = [{}] + [random_kwargs(rng) for _ in range(2)]
        result = {}
        for index, kwargs in enumerate(configs):
            params, grad_seq = _problem(rng, _random_shapes(rng), int(rng.integers(5, 9)))
            result[f"run{index}"] = _run(cls, kwargs, params, grad_seq)
        # Two parameters of the same shape: together versus alone.
        shape = tuple(int(n) for n in rng.integers(1, 4, size=2))
        params, grad_seq = _problem(rng, {"a": shape, "b": shape}, 5)
        kwargs = configs[1]
        result["together"] = _run(cls, kwargs, params, grad_seq)
        for key in ("a", "b"):
            result[f"alone_{key}"] = _run(cls, kwargs, {key: params[key]}, [{key: g[key]} for g in grad_seq])
        params, grad_seq = _problem(rng, _random_shapes(rng), 5)
        result["reused_buffers"] = _reused_buffers(cls, configs[2], params, grad_seq)
        params, grad_seq = _problem(rng, _random_shapes(rng), 4)
        result["reordered"] = _reordered(cls, configs[1], params, grad_seq)
        result["frozen"] = _frozen(cls, configs[2], rng)
        result["two_alive"] = _two_alive(cls, configs[1], rng)
        result["float32"] = _float32(cls, configs[2], rng)
        return result

    return probe


def _lr(rng, low, high):
    return float(10.0 ** rng.uniform(low, high))


def _betas(rng):
    return (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.9, 0.9999)))


RANDOM_KWARGS = {
    "SGD": lambda rng: {"lr": _lr(rng, -3, 0)},
    "Momentum": lambda rng: {"lr": _lr(rng, -3, -1), "momentum": float(rng.uniform(0.3, 0.99))},
    "Nesterov": lambda rng: {"lr": _lr(rng, -3, -1), "momentum": float(rng.uniform(0.3, 0.99))},
    "AdaGrad": lambda rng: {"lr": _lr(rng, -2, 0), "eps": _lr(rng, -10, -5)},
    "RMSprop": lambda rng: {
        "lr": _lr(rng, -3, -1),
        "alpha": float(rng.uniform(0.5, 0.999)),
        "eps": _lr(rng, -8, -4),
    },
    "AdaDelta": lambda rng: {
        "lr": _lr(rng, -1, 0.5),
        "rho": float(rng.uniform(0.5, 0.99)),
        "eps": _lr(rng, -7, -3),
    },
    "Adam": lambda rng: {
        "lr": _lr(rng, -3, -1),
        "betas": _betas(rng),
        "eps": _lr(rng, -8, -4),
        "amsgrad": True,
    },
    "Nadam": lambda rng: {
        "lr": _lr(rng, -3, -1),
        "betas": _betas(rng),
        "eps": _lr(rng, -8, -4),
        "momentum_decay": _lr(rng, -3, -0.5),
    },
}


def _adam_probe(ns, rng):
    """Adam with and without AMSGrad."""
    plain = _probe_for("Adam", lambda r: {**RANDOM_KWARGS["Adam"](r), "amsgrad": False})(ns, rng)
    ams = _probe_for("Adam", RANDOM_KWARGS["Adam"])(ns, rng)
    return {"adam": plain, "amsgrad": ams}


PROBES = {
    f"test_{name}": _probe_for(name, kwargs) for name, kwargs in RANDOM_KWARGS.items() if name != "Adam"
}
PROBES["test_Adam"] = _adam_probe


DESCRIPTIONS = {
    grade_id: (
        f"{grade_id[5:]} on unseen random problems (several parameters, gradients of sizes 1e-7 ... 10, random "
        "hyperparameters): the updates, in place, grads untouched, no aliasing, state per parameter name (together "
        "or alone, another key order, frozen layers, two optimizers at once, reused gradient buffers) and float32 "
        "parameters"
    )
    for grade_id in PROBES
}
