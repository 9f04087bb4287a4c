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
        },
    },
}
