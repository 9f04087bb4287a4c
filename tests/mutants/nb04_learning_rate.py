"""Wrong implementations of notebook 04's exercises (the mistakes students really make)."""

MUTANTS = {
    "classify_run": {
        "tests": ["test_classify_run"],
        "wrong": {
            "tests only isinf, so a nan run slips through": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if np.any(np.isinf(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "checks oscillating before converged": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    if lengths[-1] <= tol:
        return "converged"
    return "slow"
""",
            "uses the signs of the positions instead of the steps": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    if np.dot(h[-2], h[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "diverged when the last position is far from the first (positions, not steps)": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if np.linalg.norm(h[-1]) > 10 * np.linalg.norm(h[0]):
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "flattens a 2-D history before taking steps": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float).ravel()
    if len(h) < 3:
        raise ValueError("too short")
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h)
    if abs(steps[-1]) > 10 * abs(steps[0]):
        return "diverged"
    if abs(steps[-1]) <= tol:
        return "converged"
    if steps[-2] * steps[-1] < 0:
        return "oscillating"
    return "slow"
""",
            "ignores tol (hard-coded 1e-6)": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= 1e-6:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "uses >= 10 for diverged": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if lengths[-1] >= 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "no ValueError for a too-short history": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.linalg.norm(steps, axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    if len(steps) > 1 and np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
        },
    },
    "max_stable_lr": {
        "tests": ["test_max_stable_lr"],
        "wrong": {
            "takes the curvature to be a (returns 2/a)": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    if a.size == 0 or np.any(a <= 0):
        raise ValueError("a must be positive")
    return float(2.0 / a.max())
""",
            "returns the best single step 1/(2a)": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    if a.size == 0 or np.any(a <= 0):
        raise ValueError("a must be positive")
    return float(1.0 / (2 * a.max()))
""",
            "uses the smallest coefficient (the flat direction)": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    if a.size == 0 or np.any(a <= 0):
        raise ValueError("a must be positive")
    return float(1.0 / a.min())
""",
            "uses the mean coefficient": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    if a.size == 0 or np.any(a <= 0):
        raise ValueError("a must be positive")
    return float(1.0 / a.mean())
""",
            "no ValueError for a <= 0": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    return float(1.0 / np.abs(a).max())
""",
        },
    },
    "standardize": {
        "tests": ["test_standardize"],
        "wrong": {
            "sample std (ddof=1)": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    std = X.std(axis=0, ddof=1) if len(X) > 1 else np.zeros(X.shape[1])
    std = np.where(std < 1e-12, 1.0, std)
    return (X - X.mean(axis=0)) / std
""",
            "one mean and std for the whole array (no axis)": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    std = X.std()
    return (X - X.mean()) / (std if std >= 1e-12 else 1.0)
""",
            "standardizes the rows (axis=1)": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    std = X.std(axis=1, keepdims=True)
    std = np.where(std < 1e-12, 1.0, std)
    return (X - X.mean(axis=1, keepdims=True)) / std
""",
            "constant columns give nan (0/0)": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    return (X - X.mean(axis=0)) / X.std(axis=0)
""",
            "guards only std == 0 exactly": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    std = X.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X - X.mean(axis=0)) / std
""",
            "modifies X in place": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    std = X.std(axis=0)
    X -= X.mean(axis=0)
    X /= np.where(std < 1e-12, 1.0, std)
    return X
""",
            "centres but forgets to divide": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    return X - X.mean(axis=0)
""",
        },
    },
    "step_decay": {
        "tests": ["test_step_decay"],
        "wrong": {
            "no floor (a smooth decay)": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    result = lr0 * drop ** (np.asarray(epoch) / every)
    return float(result) if np.ndim(result) == 0 else result
""",
            "round instead of floor": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    result = lr0 * drop ** np.round(np.asarray(epoch) / every)
    return float(result) if np.ndim(result) == 0 else result
""",
            "off by one: drops one epoch early": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    result = lr0 * drop ** ((np.asarray(epoch) + 1) // every)
    return float(result) if np.ndim(result) == 0 else result
""",
            "drops already at epoch 0": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    result = lr0 * drop ** (np.asarray(epoch) // every + 1)
    return float(result) if np.ndim(result) == 0 else result
""",
            "math.floor: fails on arrays of epochs": """
import math

def step_decay(lr0, epoch, drop=0.5, every=10):
    return lr0 * drop ** math.floor(epoch / every)
""",
            "wrong default (every=100)": """
def step_decay(lr0, epoch, drop=0.5, every=100):
    result = lr0 * drop ** (np.asarray(epoch) // every)
    return float(result) if np.ndim(result) == 0 else result
""",
        },
    },
    "exponential_decay": {
        "tests": ["test_exponential_decay"],
        "wrong": {
            "k as the factor per epoch (lr0 * k**epoch)": """
def exponential_decay(lr0, epoch, k=0.1):
    result = lr0 * k ** np.asarray(epoch, dtype=float)
    return float(result) if np.ndim(result) == 0 else result
""",
            "(1 - k)**epoch instead of exp(-k epoch)": """
def exponential_decay(lr0, epoch, k=0.1):
    result = lr0 * (1 - k) ** np.asarray(epoch, dtype=float)
    return float(result) if np.ndim(result) == 0 else result
""",
            "positive exponent": """
def exponential_decay(lr0, epoch, k=0.1):
    result = lr0 * np.exp(k * np.asarray(epoch, dtype=float))
    return float(result) if np.ndim(result) == 0 else result
""",
            "math.exp: fails on arrays of epochs": """
import math

def exponential_decay(lr0, epoch, k=0.1):
    return lr0 * math.exp(-k * epoch)
""",
            "wrong default (k=0.01)": """
def exponential_decay(lr0, epoch, k=0.01):
    result = lr0 * np.exp(-k * np.asarray(epoch, dtype=float))
    return float(result) if np.ndim(result) == 0 else result
""",
        },
    },
    "inverse_time_decay": {
        "tests": ["test_inverse_time_decay"],
        "wrong": {
            "forgets the 1 (lr0 / (k epoch))": """
def inverse_time_decay(lr0, epoch, k=0.1):
    result = lr0 / (k * np.asarray(epoch, dtype=float))
    return float(result) if np.ndim(result) == 0 else result
""",
            "forgets k (lr0 / (1 + epoch))": """
def inverse_time_decay(lr0, epoch, k=0.1):
    result = lr0 / (1 + np.asarray(epoch, dtype=float))
    return float(result) if np.ndim(result) == 0 else result
""",
            "a power instead of a product (lr0 / (1 + k)**epoch)": """
def inverse_time_decay(lr0, epoch, k=0.1):
    result = lr0 / (1 + k) ** np.asarray(epoch, dtype=float)
    return float(result) if np.ndim(result) == 0 else result
""",
            "returns a numpy array for an int epoch": """
def inverse_time_decay(lr0, epoch, k=0.1):
    return np.atleast_1d(lr0 / (1 + k * np.asarray(epoch, dtype=float)))
""",
        },
        "probe_misses": [],
    },
}
