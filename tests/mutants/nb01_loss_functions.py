"""Wrong implementations of notebook 01's exercises (the mistakes students really make)."""

MUTANTS = {
    "sum_squared_error": {
        "tests": ["test_sum_squared_error"],
        "wrong": {
            "forgets the 1/2": """
def sum_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    return np.sum((y - t) ** 2)
""",
            "mean instead of sum": """
def sum_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    return 0.5 * np.mean((y - t) ** 2)
""",
            "absolute values instead of squares": """
def sum_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    return 0.5 * np.sum(np.abs(y - t))
""",
            "squares the sum instead of summing the squares": """
def sum_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    return 0.5 * np.sum(y - t) ** 2
""",
            "sums over axis 0 only (an array for 2-D input)": """
def sum_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    return 0.5 * np.sum((y - t) ** 2, axis=0)
""",
            "lists: y - t fails or concatenates (no np.asarray)": """
def sum_squared_error(y, t):
    return 0.5 * np.sum((y - t) ** 2)
""",
            "uint8 inputs wrap around (no float conversion)": """
def sum_squared_error(y, t):
    y, t = np.asarray(y), np.asarray(t)
    return 0.5 * np.sum((y - t) ** 2)
""",
            "subtracts in place, changing the caller's y": """
def sum_squared_error(y, t):
    y = np.asarray(y, dtype=float)
    y -= np.asarray(t, dtype=float)
    return 0.5 * np.sum(y**2)
""",
            "computes in float32 (loses float64 precision)": """
def sum_squared_error(y, t):
    y, t = np.asarray(y, dtype=np.float32), np.asarray(t, dtype=np.float32)
    return 0.5 * np.sum((y - t) ** 2)
""",
        },
        "correct": {
            "a dot product of the flattened difference": """
def sum_squared_error(y, t):
    d = np.subtract(y, t, dtype=np.float64).ravel()
    return 0.5 * float(d @ d)
""",
            "keeps float32 in float32, converts integers": """
def sum_squared_error(y, t):
    y, t = np.asarray(y), np.asarray(t)
    if y.dtype.kind != "f":
        y = y.astype(np.float64)
    if t.dtype.kind != "f":
        t = t.astype(np.float64)
    return 0.5 * np.sum(np.square(y - t))
""",
        },
    },
    "mean_squared_error": {
        "tests": ["test_mean_squared_error"],
        "wrong": {
            "forgets the 1/2": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.shape != t.shape:
        raise ValueError(f"shapes differ: {y.shape} and {t.shape}")
    return np.mean((y - t) ** 2)
""",
            "np.sum instead of np.mean": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.shape != t.shape:
        raise ValueError(f"shapes differ: {y.shape} and {t.shape}")
    return 0.5 * np.sum((y - t) ** 2)
""",
            "broadcasts (N, 1) against (N,) silently": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    return 0.5 * np.mean((y - t) ** 2)
""",
            "checks only the length, so (4, 1) vs (4,) still broadcasts": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if len(y) != len(t):
        raise ValueError(f"lengths differ: {y.shape} and {t.shape}")
    return 0.5 * np.mean((y - t) ** 2)
""",
            "checks the size, not the shape": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.size != t.size:
        raise ValueError(f"sizes differ: {y.shape} and {t.shape}")
    return 0.5 * np.mean((y - t) ** 2)
""",
            "assert instead of ValueError": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    assert y.shape == t.shape, f"shapes differ: {y.shape} and {t.shape}"
    return 0.5 * np.mean((y - t) ** 2)
""",
            "error message does not name the shapes": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.shape != t.shape:
        raise ValueError("shapes do not match")
    return 0.5 * np.mean((y - t) ** 2)
""",
            "mean over axis 0 only": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.shape != t.shape:
        raise ValueError(f"shapes differ: {y.shape} and {t.shape}")
    return 0.5 * np.mean((y - t) ** 2, axis=0)
""",
            "uint8 inputs wrap around (no float conversion)": """
def mean_squared_error(y, t):
    y, t = np.asarray(y), np.asarray(t)
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got {y.shape} and {t.shape}")
    return 0.5 * np.mean((y - t) ** 2)
""",
            "divides the sum by len(y), the number of rows": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got {y.shape} and {t.shape}")
    return 0.5 * np.sum((y - t) ** 2) / len(y)
""",
            "subtracts in place, changing the caller's y": """
def mean_squared_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got {y.shape} and {t.shape}")
    y -= t
    return 0.5 * np.mean(y**2)
""",
            "reads .shape before np.asarray (lists crash)": """
def mean_squared_error(y, t):
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got {y.shape} and {t.shape}")
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    return 0.5 * np.mean((y - t) ** 2)
""",
        },
        "correct": {
            "sum_squared_error divided by the number of entries": """
def mean_squared_error(y, t):
    if np.shape(y) != np.shape(t):
        raise ValueError(f"y and t must have the same shape, got {np.shape(y)} and {np.shape(t)}")
    return sum_squared_error(y, t) / np.size(y)
""",
            "keeps float32 in float32, np.square and np.mean": """
def mean_squared_error(y, t):
    y, t = np.asarray(y), np.asarray(t)
    if y.shape != t.shape:
        raise ValueError(f"shapes differ: y has shape {y.shape}, t has shape {t.shape}")
    if y.dtype.kind != "f":
        y = y.astype(float)
    if t.dtype.kind != "f":
        t = t.astype(float)
    return np.mean(np.square(y - t)) / 2
""",
        },
    },
    "softmax": {
        "tests": ["test_softmax"],
        "wrong": {
            "no max-subtraction (overflows)": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a)
    if a.ndim == 1:
        return e / np.sum(e)
    return e / np.sum(e, axis=1, keepdims=True)
""",
            "normalizes over axis 0 (columns) for 2-D": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.max(a, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
""",
            "a -= max modifies the input in place": """
def softmax(a):
    if a.ndim == 1:
        a -= np.max(a)
        e = np.exp(a)
        return e / np.sum(e)
    a -= np.max(a, axis=1, keepdims=True)
    e = np.exp(a)
    return e / np.sum(e, axis=1, keepdims=True)
""",
            "subtracts the global max, not each row's": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.max(a))
    if a.ndim == 1:
        return e / np.sum(e)
    return e / np.sum(e, axis=1, keepdims=True)
""",
            "one sum over the whole batch": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.max(a))
    return e / np.sum(e)
""",
            "row sums without keepdims (wrong for square batches)": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        e = np.exp(a - np.max(a))
        return e / np.sum(e)
    e = np.exp(a - np.max(a, axis=1, keepdims=True))
    return (e.T / np.sum(e, axis=0)).T
""",
            "row max without keepdims (broadcasts along the wrong axis)": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        e = np.exp(a - np.max(a))
        return e / np.sum(e)
    e = np.exp(a - np.max(a, axis=1))
    return e / np.sum(e, axis=1, keepdims=True)
""",
            "subtracts the row's minimum": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.min(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
""",
            "subtracts the row's mean": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.mean(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
""",
            "uint8 input wraps around (no float conversion)": """
def softmax(a):
    a = np.asarray(a)
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
""",
            "log-softmax by log(softmax) without the row max (nan for far rows)": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    m = np.max(a)
    log_sum = m + np.log(np.sum(np.exp(a - m), axis=-1, keepdims=True))
    return np.exp(a - log_sum)
""",
        },
        "correct": {
            "one code path with axis=-1 and keepdims": """
def softmax(a):
    a = np.asarray(a, dtype=float)
    shifted = a - a.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
""",
            "log-sum-exp, float32 kept in float32": """
def softmax(a):
    a = np.asarray(a)
    if a.dtype.kind != "f":
        a = a.astype(np.float64)
    m = np.max(a, axis=-1, keepdims=True)
    log_norm = m + np.log(np.sum(np.exp(a - m), axis=-1, keepdims=True))
    return np.exp(a - log_norm)
""",
            "row by row in a Python loop": """
def softmax(a):
    a = np.array(a, dtype=float, ndmin=1)
    rows = a.reshape(-1, a.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(a.shape)
""",
        },
    },
    "cross_entropy_error": {
        "tests": ["test_cross_entropy_error"],
        "wrong": {
            "no delta (inf at p = 0)": """
def cross_entropy_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    n = y.shape[0]
    if t.shape == y.shape:
        return -np.sum(t * np.log(y)) / n
    return -np.sum(np.log(y[np.arange(n), t.astype(int)])) / n
""",
            "delta outside the log": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    n = y.shape[0]
    if t.shape == y.shape:
        return -np.sum(t * np.log(y)) / n + delta
    return -np.sum(np.log(y[np.arange(n), t.astype(int)])) / n + delta
""",
            "summed, not averaged over the batch": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    if t.shape == y.shape:
        return -np.sum(t * np.log(y + delta))
    return -np.sum(np.log(y[np.arange(y.shape[0]), t.astype(int)] + delta))
""",
            "ignores integer labels (always t * log y)": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    n = y.shape[0] if y.ndim == 2 else 1
    return -np.sum(t * np.log(y + delta)) / n
""",
            "divides by y.shape[0] also for one sample (C)": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    n = y.shape[0]
    if t.shape == y.shape:
        return -np.sum(t * np.log(y + delta)) / n
    if y.ndim == 1:
        return -np.log(y[int(t)] + delta) / n
    return -np.sum(np.log(y[np.arange(n), t.astype(int)] + delta)) / n
""",
            "np.mean over all N * C entries": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if t.shape != y.shape:
        t = np.eye(y.shape[-1])[t]
    return -np.mean(t * np.log(y + delta))
""",
            "y[:, t] picks an N x N block for integer labels": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    n = y.shape[0]
    if t.shape == y.shape:
        return -np.sum(t * np.log(y + delta)) / n
    return -np.sum(np.log(y[:, t.astype(int)] + delta)) / n
""",
            "list labels are not converted (crashes on a list)": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if np.size(t) == y.size else np.reshape(t, 1)
    n = y.shape[0]
    if np.shape(t) == y.shape:
        return -np.sum(t * np.log(y + delta)) / n
    return -np.sum(np.log(y[np.arange(n), t.astype(int)] + delta)) / n
""",
            "isinstance(t, int) misses numpy integer labels": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y = np.asarray(y, dtype=float)
    if isinstance(t, int):
        return -np.log(y[t] + delta)
    t = np.asarray(t)
    if y.ndim == 1:
        return -np.sum(t * np.log(y + delta))
    n = y.shape[0]
    if t.shape == y.shape:
        return -np.sum(t * np.log(y + delta)) / n
    return -np.sum(np.log(y[np.arange(n), t] + delta)) / n
""",
            "delta = 1e-8 instead of 1e-7": """
def cross_entropy_error(y, t):
    delta = 1e-8
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    n = y.shape[0]
    if t.shape == y.shape:
        return -np.sum(t * np.log(y + delta)) / n
    return -np.sum(np.log(y[np.arange(n), t.astype(int)] + delta)) / n
""",
            "np.nansum instead of delta (hides 0 * log 0)": """
def cross_entropy_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    n = y.shape[0]
    if t.shape != y.shape:
        t = np.eye(y.shape[1])[t.astype(int)]
    return -np.nansum(t * np.log(y)) / n
""",
            "adds delta in place, changing the caller's y": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    y += delta
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    n = y.shape[0]
    if t.shape == y.shape:
        return -np.sum(t * np.log(y)) / n
    return -np.sum(np.log(y[np.arange(n), t.astype(int)])) / n
""",
        },
        "correct": {
            "the book's way: one-hot turned into labels with argmax": """
def cross_entropy_error(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), t.reshape(n)] + 1e-7)) / n
""",
            "labels turned into one-hot rows with np.eye": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if t.shape != y.shape:  # integer labels
        t = np.eye(y.shape[-1])[t]
    if y.ndim == 1:
        return -np.sum(t * np.log(y + delta))
    return -np.sum(t * np.log(y + delta)) / y.shape[0]
""",
            "np.take_along_axis on the labels": """
def cross_entropy_error(y, t):
    delta = 1e-7
    y = np.asarray(y, dtype=float).reshape(-1, np.shape(y)[-1])
    t = np.asarray(t)
    if t.size == y.size:
        t = t.reshape(y.shape).argmax(axis=1)
    picked = np.take_along_axis(y, t.reshape(-1, 1).astype(np.intp), axis=1)
    return float(-np.mean(np.log(picked + delta)))
""",
        },
    },
    "binary_cross_entropy": {
        "tests": ["test_binary_cross_entropy"],
        "wrong": {
            "missing the (1 - t) term": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return -np.mean(t * np.log(p + delta))
""",
            "sum instead of mean": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return -np.sum(t * np.log(p + delta) + (1 - t) * np.log(1 - p + delta))
""",
            "no delta (0 * log 0 = nan)": """
def binary_cross_entropy(p, t):
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
""",
            "delta only in the first log": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return -np.mean(t * np.log(p + delta) + (1 - t) * np.log(1 - p))
""",
            "log(1 - p) for t = 1 and log(p) for t = 0 (terms swapped)": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return -np.mean(t * np.log(1 - p + delta) + (1 - t) * np.log(p + delta))
""",
            "np.where on t == 1 (soft labels break)": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return -np.mean(np.where(t == 1, np.log(p + delta), np.log(1 - p + delta)))
""",
            "np.clip instead of + delta": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p = np.clip(np.asarray(p, dtype=float), delta, 1 - delta)
    t = np.asarray(t, dtype=float)
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
""",
            "np.clip with out=p (changes the caller's p)": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    np.clip(p, delta, 1 - delta, out=p)
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
""",
            "mean over axis 0 only": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return -np.mean(t * np.log(p + delta) + (1 - t) * np.log(1 - p + delta), axis=0)
""",
            "boolean masks on t (soft labels break)": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t)
    ones = np.log(p[t == 1] + delta).sum()
    zeros = np.log(1 - p[t == 0] + delta).sum()
    return -(ones + zeros) / p.size
""",
        },
        "correct": {
            "np.log1p for the second log": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p, dtype=float), np.asarray(t, dtype=float)
    return float(np.mean(-t * np.log(p + delta) - (1 - t) * np.log1p(delta - p)))
""",
            "the two-class cross-entropy of stacked columns": """
def binary_cross_entropy(p, t):
    delta = 1e-7
    p, t = np.asarray(p), np.asarray(t)
    if p.dtype.kind != "f":
        p = p.astype(float)
    probs = np.stack([1 - p, p], axis=-1)
    labels = np.stack([1 - t, t], axis=-1)
    return -np.sum(labels * np.log(probs + delta)) / p.size
""",
        },
    },
    "batch_cross_entropy_fixed": {
        "tests": ["test_batch_cross_entropy_fixed"],
        "wrong": {
            "fixes the indexing, still divides by y.shape[1]": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t] + delta)) / y.shape[1]
""",
            "fixes the divisor, still y[:, t]": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    return -np.sum(np.log(y[:, t] + delta)) / y.shape[0]
""",
            "drops delta": """
def batch_cross_entropy_fixed(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t])) / y.shape[0]
""",
            "returns the broken version unchanged": """
def batch_cross_entropy_fixed(y, t):
    return batch_cross_entropy_broken(y, t)
""",
            "np.mean of y[:, t] (averages the N x N block)": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    return -np.mean(np.log(y[:, t] + delta))
""",
            "np.take(y, t) picks from the flattened array": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    return -np.sum(np.log(np.take(y, t) + delta)) / y.shape[0]
""",
            "adds delta in place, changing the caller's y": """
def batch_cross_entropy_fixed(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    y += 1e-7
    return -np.sum(np.log(y[np.arange(y.shape[0]), t])) / y.shape[0]
""",
            "np.mean over the one-hot product (divides by N * C)": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=int)
    onehot = np.eye(y.shape[1])[t]
    return -np.mean(onehot * np.log(y + delta))
""",
        },
        "correct": {
            "np.take_along_axis": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    picked = np.take_along_axis(np.asarray(y), np.asarray(t).astype(np.intp)[:, None], axis=1)
    return float(-np.mean(np.log(picked + delta)))
""",
            "a Python loop over the rows": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    total = 0.0
    for row, label in zip(y, t):
        total += -np.log(row[int(label)] + delta)
    return total / len(y)
""",
            "one-hot rows from np.eye, summed and divided by N": """
def batch_cross_entropy_fixed(y, t):
    delta = 1e-7
    y = np.asarray(y, dtype=float)
    onehot = np.eye(y.shape[1])[np.asarray(t)]
    return -np.sum(onehot * np.log(y + delta)) / y.shape[0]
""",
        },
    },
}
