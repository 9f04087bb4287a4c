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
            "upcasts to float64 (np.asarray(x, dtype=float))": """
def numerical_diff_forward(f, x, h=1e-4):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x)) / h
""",
            "converts the result to a Python float": """
def numerical_diff_forward(f, x, h=1e-4):
    return float((f(x + h) - f(x)) / h)
""",
            "default h changed to 1e-5": """
def numerical_diff_forward(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
""",
        },
        "correct": {
            "multiplies by 1 / h": """
def numerical_diff_forward(f, x, h=1e-4):
    return (f(x + h) - f(x)) * (1 / h)
""",
            "np.subtract and np.divide, f(x) computed first": """
def numerical_diff_forward(f, x, h=1e-4):
    base = f(x)
    return np.divide(np.subtract(f(x + h), base), h)
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
            "upcasts to float64 (np.float64(h))": """
def numerical_diff_central(f, x, h=1e-4):
    h = np.float64(h)
    return (f(x + h) - f(x - h)) / (2 * h)
""",
            "half steps on each side: (f(x + h/2) - f(x - h/2)) / h": """
def numerical_diff_central(f, x, h=1e-4):
    return (f(x + h / 2) - f(x - h / 2)) / h
""",
            "default h changed to 1e-3": """
def numerical_diff_central(f, x, h=1e-3):
    return (f(x + h) - f(x - h)) / (2 * h)
""",
        },
        "correct": {
            "the mean of the forward and the backward difference": """
def numerical_diff_central(f, x, h=1e-4):
    forward = (f(x + h) - f(x)) / h
    backward = (f(x) - f(x - h)) / h
    return (forward + backward) / 2
""",
            "divides by h, then by 2": """
def numerical_diff_central(f, x, h=1e-4):
    return (f(x + h) - f(x - h)) / h / 2
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
            "returns a list": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method not in ("forward", "central"):
        raise ValueError(method)
    diff = numerical_diff_forward if method == "forward" else numerical_diff_central
    exact = float(df(np.float64(x)))
    return [abs(float(diff(f, dtype(x), dtype(h))) - exact) for h in hs]
""",
            "returns an array of dtype (float32 for float32)": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method not in ("forward", "central"):
        raise ValueError(method)
    diff = numerical_diff_forward if method == "forward" else numerical_diff_central
    exact = float(df(np.float64(x)))
    return np.array([abs(float(diff(f, dtype(x), dtype(h))) - exact) for h in hs], dtype=dtype)
""",
            "lower-cases the method (accepts 'Central')": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    method = method.lower()
    if method not in ("forward", "central"):
        raise ValueError(method)
    diff = numerical_diff_forward if method == "forward" else numerical_diff_central
    exact = float(df(np.float64(x)))
    return np.array([abs(float(diff(f, dtype(x), dtype(h))) - exact) for h in hs])
""",
        },
        "correct": {
            "vectorized over the steps": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    if method == "forward":
        diff = numerical_diff_forward
    elif method == "central":
        diff = numerical_diff_central
    else:
        raise ValueError(f"unknown method {method!r}")
    steps = np.asarray(hs, dtype=np.float64).astype(dtype)
    derivatives = diff(f, dtype(x), steps)
    return np.abs(np.asarray(derivatives, dtype=np.float64) - np.float64(df(np.float64(x))))
""",
            "np.fromiter with a generator": """
def error_vs_h(f, df, x, hs, method="central", dtype=np.float64):
    diffs = {"forward": numerical_diff_forward, "central": numerical_diff_central}
    if method not in diffs:
        raise ValueError("method must be 'forward' or 'central'")
    exact = np.float64(df(np.float64(x)))
    point = dtype(x)
    return np.fromiter((abs(np.float64(diffs[method](f, point, dtype(h))) - exact) for h in hs), dtype=np.float64)
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
            "a tie goes to the last step (<= in a loop)": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    best = None
    for i, e in enumerate(errors):
        if not np.isnan(e) and (best is None or e <= errors[best]):
            best = i
    if best is None:
        raise ValueError("every error is nan")
    return float(np.asarray(hs)[best]), float(errors[best])
""",
            "returns nan instead of raising when every error is nan": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    if np.all(np.isnan(errors)):
        return float("nan"), float("nan")
    best = int(np.nanargmin(errors))
    return float(np.asarray(hs)[best]), float(errors[best])
""",
            "raises as soon as one error is nan": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    if np.any(np.isnan(errors)):
        raise ValueError("nan error")
    best = int(np.argmin(errors))
    return float(np.asarray(hs)[best]), float(errors[best])
""",
            "returns a list [h, error]": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    if np.all(np.isnan(errors)):
        raise ValueError("every error is nan")
    best = int(np.nanargmin(errors))
    return [float(np.asarray(hs)[best]), float(errors[best])]
""",
        },
        "correct": {
            "a Python loop with a strict < (first of a tie)": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    import math

    errors = error_vs_h(f, df, x, hs, method=method, dtype=dtype)
    best = None
    for step, error in zip(hs, errors):
        if math.isnan(error):
            continue
        if best is None or error < best[1]:
            best = (float(step), float(error))
    if best is None:
        raise ValueError("no step gives a finite error: every step vanished in this precision")
    return best
""",
            "nan replaced by inf, then argmin": """
def best_h(f, df, x, hs, method="central", dtype=np.float64):
    errors = np.asarray(error_vs_h(f, df, x, hs, method=method, dtype=dtype))
    if np.isnan(errors).all():
        raise ValueError("every error is nan")
    i = int(np.argmin(np.where(np.isnan(errors), np.inf, errors)))
    return float(list(hs)[i]), float(errors[i])
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
            "nudges the caller's float array in place, restoring it exactly": """
def numerical_gradient(f, x, h=1e-4):
    point = np.asarray(x, dtype=float)
    grad = np.zeros(point.shape)
    for idx in np.ndindex(point.shape):
        saved = point[idx]
        point[idx] = saved + h
        f_plus = f(point)
        point[idx] = saved - h
        f_minus = f(point)
        point[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "returns the nudged copy instead of a gradient array (grad = point)": """
def numerical_gradient(f, x, h=1e-4):
    point = np.array(x, dtype=float)
    grad = point
    for idx in np.ndindex(point.shape):
        saved = point[idx]
        point[idx] = saved + h
        f_plus = f(point)
        point[idx] = saved - h
        f_minus = f(point)
        point[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "keeps float32 input in float32": """
def numerical_gradient(f, x, h=1e-4):
    x = np.asarray(x)
    point = np.array(x, dtype=x.dtype if x.dtype.kind == "f" else float)
    grad = np.zeros_like(point)
    for idx in np.ndindex(point.shape):
        saved = point[idx]
        point[idx] = saved + h
        f_plus = f(point)
        point[idx] = saved - h
        f_minus = f(point)
        point[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
""",
            "divides by h, not 2h": """
def numerical_gradient(f, x, h=1e-4):
    point = np.array(x, dtype=float)
    grad = np.zeros_like(point)
    for idx in np.ndindex(point.shape):
        saved = point[idx]
        point[idx] = saved + h
        f_plus = f(point)
        point[idx] = saved - h
        f_minus = f(point)
        point[idx] = saved
        grad[idx] = (f_plus - f_minus) / h
    return grad
""",
        },
        "correct": {
            "a flat view of a contiguous float copy": """
def numerical_gradient(f, x, h=1e-4):
    point = np.array(x, dtype=np.float64, order="C")
    flat = point.reshape(-1)
    grad = np.empty(point.size)
    for i in range(point.size):
        saved = flat[i]
        flat[i] = saved + h
        upper = f(point)
        flat[i] = saved - h
        lower = f(point)
        flat[i] = saved
        grad[i] = (upper - lower) / (2 * h)
    return grad.reshape(point.shape)
""",
            "new arrays x + h e_i for every entry (no nudging at all)": """
def numerical_gradient(f, x, h=1e-4):
    point = np.asarray(x, dtype=float)
    grad = np.zeros(point.shape)
    for idx in np.ndindex(point.shape):
        step = np.zeros(point.shape)
        step[idx] = h
        grad[idx] = (f(point + step) - f(point - step)) / (2 * h)
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
            "eps added to the denominator instead of max'ed": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / (np.maximum(np.abs(a), np.abs(b)) + eps)))
""",
            "no float conversion (uint8 wraps around)": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), eps)))
""",
            "np.nanmax hides a nan": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    if a.size == 0:
        return 0.0
    return float(np.nanmax(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), eps)))
""",
            "empty arrays crash np.max": """
def relative_error(a, b, eps=1e-12):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), eps)))
""",
        },
        "correct": {
            "np.maximum.reduce and max with initial=0": """
def relative_error(a, b, eps=1e-12):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if np.shape(a) != np.shape(b):
        raise ValueError(f"a has shape {a.shape}, b has shape {b.shape}")
    scale = np.maximum.reduce([np.abs(a), np.abs(b), np.full(a.shape, eps)])
    return float(np.max(np.abs(a - b) / scale, initial=0.0))
""",
            "a Python loop over the entries": """
def relative_error(a, b, eps=1e-12):
    import math

    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError("shapes differ")
    worst = 0.0
    for u, v in zip(a.ravel().tolist(), b.ravel().tolist()):
        u, v = float(u), float(v)
        ratio = abs(u - v) / max(abs(u), abs(v), eps)
        if math.isnan(ratio):
            return math.nan
        worst = max(worst, ratio)
    return worst
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
            "late-binding lambdas (every one replaces the last name)": """
def numerical_param_gradients(loss, params, h=1e-4):
    losses = {name: (lambda p: loss({**params, name: p})) for name in params}
    return {name: numerical_gradient(losses[name], params[name], h) for name in params}
""",
            "nudges the caller's arrays in place (integer parameters lose the nudge)": """
def numerical_param_gradients(loss, params, h=1e-4):
    grads = {}
    for name, value in params.items():
        grad = np.zeros(value.shape)
        for idx in np.ndindex(value.shape):
            saved = value[idx]
            value[idx] = saved + h
            f_plus = loss(params)
            value[idx] = saved - h
            f_minus = loss(params)
            value[idx] = saved
            grad[idx] = (f_plus - f_minus) / (2 * h)
        grads[name] = grad
    return grads
""",
            "passes 2 * h on": """
def numerical_param_gradients(loss, params, h=1e-4):
    grads = {}
    for name, value in params.items():
        grads[name] = numerical_gradient(lambda p, name=name: loss({**params, name: p}), value, 2 * h)
    return grads
""",
        },
        "correct": {
            "functools.partial over a helper": """
def numerical_param_gradients(loss, params, h=1e-4):
    import functools

    def loss_with(name, p):
        replaced = dict(params)
        replaced[name] = p
        return loss(replaced)

    return {name: numerical_gradient(functools.partial(loss_with, name), params[name], h=h) for name in params}
""",
            "one flat vector of every parameter": """
def numerical_param_gradients(loss, params, h=1e-4):
    names = list(params)
    shapes = [np.shape(params[n]) for n in names]
    sizes = [int(np.prod(s)) for s in shapes]
    offsets = np.cumsum([0] + sizes)

    def unflatten(vector):
        return {n: vector[offsets[i]:offsets[i + 1]].reshape(shapes[i]) for i, n in enumerate(names)}

    flat = np.concatenate([np.asarray(params[n], dtype=float).ravel() for n in names])
    grad = numerical_gradient(lambda v: loss(unflatten(v)), flat, h)
    return {n: g.copy() for n, g in unflatten(grad).items()}
""",
        },
    },
}
