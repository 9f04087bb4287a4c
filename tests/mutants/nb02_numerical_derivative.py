"""Wrong implementations of notebook 02's exercises (the mistakes students really make)."""

MUTANTS = {
    "numerical_diff_forward": {
        "tests": ["test_numerical_diff_forward"],
        "wrong": {
            "central difference instead of forward": """
def numerical_diff_forward(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / (2 * h)
""",
            "divides by 2h": """
def numerical_diff_forward(f, x, h=1e-4):
    return (f(x + h) - f(x)) / (2 * h)
""",
            "sign flipped": """
def numerical_diff_forward(f, x, h=1e-4):
    return (f(x) - f(x + h)) / h
""",
            "ignores h (a fixed 1e-4)": """
def numerical_diff_forward(f, x, h=1e-4):
    return (f(x + 1e-4) - f(x)) / 1e-4
""",
            "the book's bad default h=1e-50": """
def numerical_diff_forward(f, x, h=1e-50):
    return (f(x + h) - f(x)) / h
""",
        },
    },
    "numerical_diff_central": {
        "tests": ["test_numerical_diff_central"],
        "wrong": {
            "divides by h": """
def numerical_diff_central(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / h
""",
            "/ 2 * h multiplies by h": """
def numerical_diff_central(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / 2 * h
""",
            "missing brackets around the difference": """
def numerical_diff_central(f, x, h=1e-4):
    return f(x + h) - f(x - h) / (2 * h)
""",
            "forward difference": """
def numerical_diff_central(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h
""",
            "the book's bad default h=1e-50": """
def numerical_diff_central(f, x, h=1e-50):
    return (f(x + h) - f(x - h)) / (2 * h)
""",
        },
    },
    "error_vs_h": {
        "tests": ["test_error_vs_h"],
        "wrong": {
            "converts x but not h (float64 steps upcast float32)": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method not in ("forward", "central"):
        raise ValueError(method)
    diff = {"forward": numerical_diff_forward, "central": numerical_diff_central}[method]
    exact = df(x)
    return np.array([abs(float(diff(f, dtype(x), h)) - exact) for h in hs])
""",
            "relative instead of absolute error": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method not in ("forward", "central"):
        raise ValueError(method)
    diff = numerical_diff_forward if method == "forward" else numerical_diff_central
    exact = df(x)
    return np.array([abs(float(diff(f, dtype(x), dtype(h))) - exact) / abs(exact) for h in hs])
""",
            "no absolute value": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method not in ("forward", "central"):
        raise ValueError(method)
    diff = numerical_diff_forward if method == "forward" else numerical_diff_central
    return np.array([float(diff(f, dtype(x), dtype(h))) - df(x) for h in hs])
""",
            "ignores method (always central)": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method not in ("forward", "central"):
        raise ValueError(method)
    return np.array([abs(float(numerical_diff_central(f, dtype(x), dtype(h))) - df(x)) for h in hs])
""",
            "unknown method falls back to central": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    diff = numerical_diff_forward if method == "forward" else numerical_diff_central
    return np.array([abs(float(diff(f, dtype(x), dtype(h))) - df(x)) for h in hs])
""",
            "drops nan errors": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method not in ("forward", "central"):
        raise ValueError(method)
    diff = numerical_diff_forward if method == "forward" else numerical_diff_central
    errors = np.array([abs(float(diff(f, dtype(x), dtype(h))) - df(x)) for h in hs])
    return errors[~np.isnan(errors)]
""",
        },
    },
    "best_h": {
        "tests": ["test_best_h"],
        "wrong": {
            "np.argmin picks the nan": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    best = int(np.argmin(errors))
    return float(np.asarray(hs)[best]), float(errors[best])
""",
            "largest error instead of smallest": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    best = int(np.nanargmax(errors))
    return float(np.asarray(hs)[best]), float(errors[best])
""",
            "returns the index, not the step": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    best = int(np.nanargmin(errors))
    return float(best), float(errors[best])
""",
            "returns (error, h)": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    best = int(np.nanargmin(errors))
    return float(errors[best]), float(np.asarray(hs)[best])
""",
            "does not pass dtype and method on": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs)
    best = int(np.nanargmin(errors))
    return float(np.asarray(hs)[best]), float(errors[best])
""",
        },
    },
    "numerical_gradient": {
        "tests": ["test_numerical_gradient"],
        "wrong": {
            "nudges the caller's array (no float copy)": """
def numerical_gradient(f, x, h=1e-4):
    x = np.asarray(x)
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        f_plus = f(x)
        x[idx] = saved - h
        f_minus = f(x)
        x[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "restores by arithmetic (x + h - 2h + h) on the caller's array": """
def numerical_gradient(f, x, h=1e-4):
    grad = np.zeros(np.shape(x))
    for idx in np.ndindex(np.shape(x)):
        x[idx] += h
        f_plus = f(x)
        x[idx] -= 2 * h
        f_minus = f(x)
        x[idx] += h
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "forgets to restore the entry": """
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        f_plus = f(x)
        x[idx] = saved - h
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "gradient array takes x's integer dtype": """
def numerical_gradient(f, x, h=1e-4):
    grad = np.zeros_like(x)
    x = np.array(x, dtype=float)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        f_plus = f(x)
        x[idx] = saved - h
        f_minus = f(x)
        x[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "1-D only: loops over range(x.size)": """
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        saved = x[i].copy()
        x[i] = saved + h
        f_plus = f(x)
        x[i] = saved - h
        f_minus = f(x)
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "forward difference": """
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    base = f(x)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        grad[idx] = (f(x) - base) / h
        x[idx] = saved
    return grad
""",
        },
    },
    "relative_error": {
        "tests": ["test_relative_error"],
        "wrong": {
            "divides by |b| only": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), eps)))
""",
            "mean instead of max": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    return float(np.mean(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), eps)))
""",
            "no eps: 0/0 is nan": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))))
""",
            "lets numpy broadcast different shapes": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), eps)))
""",
            "signed difference": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    return float(np.max((a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), eps)))
""",
            "divides by |a| + |b|": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), eps)))
""",
        },
    },
    "numerical_param_gradients": {
        "tests": ["test_numerical_param_gradients"],
        "wrong": {
            "the loss never sees the nudged array": """
def numerical_param_gradients(loss, params, h=1e-4):
    return {name: numerical_gradient(lambda p: loss(params), value, h) for name, value in params.items()}
""",
            "does not pass h on": """
def numerical_param_gradients(loss, params, h=1e-4):
    grads = {}
    for name, value in params.items():
        grads[name] = numerical_gradient(lambda p, name=name: loss({**params, name: p}), value)
    return grads
""",
            "assigns the nudged array into params": """
def numerical_param_gradients(loss, params, h=1e-4):
    grads = {}
    for name, value in params.items():

        def loss_of(p, name=name):
            params[name] = p
            return loss(params)

        grads[name] = numerical_gradient(loss_of, value, h)
    return grads
""",
            "returns a list in the order of params": """
def numerical_param_gradients(loss, params, h=1e-4):
    return [numerical_gradient(lambda p, name=name: loss({**params, name: p}), value, h)
            for name, value in params.items()]
""",
        },
    },
}
