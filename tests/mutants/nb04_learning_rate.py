"""Wrong implementations of notebook 04's exercises (the mistakes students really make), and correct
alternatives (other algorithms, other dtype handling the spec allows) that every test must accept."""

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
            "np.asarray without dtype=float: uint8 steps wrap around": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history)
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
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "a dot product <= 0 counts as a reversal": """
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
    if np.dot(steps[-2], steps[-1]) <= 0:
        return "oscillating"
    return "slow"
""",
            "converged only when the last step is < tol (strictly)": """
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
    if lengths[-1] < tol:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "step length as the sum of |entries| (L1 norm)": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.abs(steps).sum(axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "step length as the largest |entry|": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    steps = np.diff(h, axis=0)
    lengths = np.abs(steps).max(axis=1)
    if lengths[-1] > 10 * lengths[0]:
        return "diverged"
    if lengths[-1] <= tol:
        return "converged"
    if np.dot(steps[-2], steps[-1]) < 0:
        return "oscillating"
    return "slow"
""",
            "centres the caller's history in place": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history, dtype=float)
    if h.ndim == 0 or len(h) < 3:
        raise ValueError("too short")
    h = h.reshape(len(h), -1)
    if not np.all(np.isfinite(h)):
        return "diverged"
    h -= h[-1]
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
            "nan slips through (nan <= 0 is False, nanmax skips it)": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    if a.size == 0 or np.any(a <= 0):
        raise ValueError("a must be positive")
    return float(1.0 / np.nanmax(a))
""",
            "len() of a 0-d array or numpy scalar fails": """
def max_stable_lr(a):
    if isinstance(a, (int, float)):
        a = [a]
    a = np.asarray(a, dtype=float)
    if len(a) == 0 or np.any(a <= 0) or not np.all(np.isfinite(a)):
        raise ValueError("a must be positive")
    return float(1.0 / a.max())
""",
            "returns a 1-element array": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    if a.size == 0 or np.any(a <= 0) or not np.all(np.isfinite(a)):
        raise ValueError("a must be positive")
    return 1.0 / a.max(keepdims=True)
""",
            "curvature 2a in the input's dtype (uint8 wraps)": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a))
    if a.size == 0 or np.any(a <= 0) or not np.all(np.isfinite(a)):
        raise ValueError("a must be positive")
    return float(2 / (2 * a).max())
""",
            "rejects only a < 0 (a = 0 gives inf)": """
def max_stable_lr(a):
    a = np.atleast_1d(np.asarray(a, dtype=float))
    if a.size == 0 or np.any(a < 0) or np.any(np.isnan(a)):
        raise ValueError("a must be positive")
    return float(1.0 / a.max())
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
            "adds 1e-8 to the std (Keras-style eps)": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    return (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)
""",
            "variance as mean(X**2) - mean**2, in the input's dtype": """
def standardize(X):
    X = np.asarray(X)
    mean = X.mean(axis=0)
    std = np.sqrt(np.maximum(np.mean(X**2, axis=0) - mean**2, 0.0))
    std = np.where(std < 1e-12, 1.0, std)
    return (X - mean) / std
""",
            "keeps float32 input in float32": """
def standardize(X):
    X = np.asarray(X)
    if X.dtype.kind != "f":
        X = X.astype(float)
    std = X.std(axis=0)
    std = np.where(std < 1e-12, 1.0, std)
    return (X - X.mean(axis=0)) / std
""",
            "threshold 1e-8 instead of 1e-12": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    std = X.std(axis=0)
    std = np.where(std < 1e-8, 1.0, std)
    return (X - X.mean(axis=0)) / std
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
            "returns a list for an array of epochs": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    if np.ndim(epoch) == 0:
        return float(lr0 * drop ** (int(epoch) // every))
    return [float(lr0 * drop ** (int(e) // every)) for e in np.ravel(epoch)]
""",
            "ceil instead of floor": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    result = lr0 * drop ** np.ceil(np.asarray(epoch) / every)
    return float(result) if np.ndim(result) == 0 else result
""",
            "a 0-d array for a numpy integer epoch": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    result = lr0 * drop ** (np.asarray(epoch) // every)
    return float(result) if isinstance(epoch, int) else np.asarray(result)
""",
            "wrong default (drop=0.1)": """
def step_decay(lr0, epoch, drop=0.1, every=10):
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
            "returns a list for an array of epochs": """
def exponential_decay(lr0, epoch, k=0.1):
    if np.ndim(epoch) == 0:
        return float(lr0 * np.exp(-k * epoch))
    return (lr0 * np.exp(-k * np.asarray(epoch, dtype=float))).tolist()
""",
            "computes in float32": """
def exponential_decay(lr0, epoch, k=0.1):
    result = lr0 * np.exp(-k * np.asarray(epoch, dtype=np.float32))
    return float(result) if np.ndim(result) == 0 else result
""",
            "always a numpy array (0-d for a number)": """
def exponential_decay(lr0, epoch, k=0.1):
    return np.array(lr0 * np.exp(-k * np.asarray(epoch, dtype=float)))
""",
            "multiplies by the epoch instead of raising to it": """
def exponential_decay(lr0, epoch, k=0.1):
    result = lr0 * np.exp(-k) * np.asarray(epoch, dtype=float)
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
            "returns a list for an array of epochs": """
def inverse_time_decay(lr0, epoch, k=0.1):
    if np.ndim(epoch) == 0:
        return float(lr0 / (1 + k * epoch))
    return [lr0 / (1 + k * e) for e in np.ravel(epoch).tolist()]
""",
            "operator precedence: lr0 / 1 + k * epoch": """
def inverse_time_decay(lr0, epoch, k=0.1):
    result = lr0 / 1 + k * np.asarray(epoch, dtype=float)
    return float(result) if np.ndim(result) == 0 else result
""",
            "wrong default (k=1.0)": """
def inverse_time_decay(lr0, epoch, k=1.0):
    result = lr0 / (1.0 + k * np.asarray(epoch, dtype=float))
    return float(result) if np.ndim(result) == 0 else result
""",
            "always a numpy array (0-d for a number)": """
def inverse_time_decay(lr0, epoch, k=0.1):
    return np.array(lr0 / (1.0 + k * np.asarray(epoch, dtype=float)))
""",
            "linear decay lr0 * (1 - k epoch)": """
def inverse_time_decay(lr0, epoch, k=0.1):
    result = lr0 * (1.0 - k * np.asarray(epoch, dtype=float))
    return float(result) if np.ndim(result) == 0 else result
""",
        },
        "probe_misses": [],
    },
}

# Correct alternatives: each must pass every visible and hidden test and agree with the probes.
CORRECT = {
    "classify_run": {
        "steps and squared lengths, rules as early returns": """
def classify_run(history, tol=1e-6):
    h = np.array(history, dtype=np.float64, ndmin=1)
    if h.shape[0] < 3:
        raise ValueError(f"need at least 3 points, got {h.shape[0]}")
    h = h.reshape(h.shape[0], -1)
    if np.isnan(h).any() or np.isinf(h).any():
        return "diverged"
    steps = h[1:] - h[:-1]
    first, last = np.sqrt(np.sum(steps[0] ** 2)), np.sqrt(np.sum(steps[-1] ** 2))
    if last > 10 * first:
        return "diverged"
    if last <= tol:
        return "converged"
    return "oscillating" if float(steps[-2] @ steps[-1]) < 0 else "slow"
""",
        "only the last three points, a table of labels": """
def classify_run(history, tol=1e-6):
    h = np.asarray(history).astype(float)
    if h.ndim == 0 or h.shape[0] < 3:
        raise ValueError("a run needs at least 3 points")
    h = np.atleast_2d(h.T).T  # (T+1,) -> (T+1, 1); (T+1, d) unchanged
    finite = bool(np.isfinite(h).all())
    first = np.linalg.norm(h[1] - h[0]) if finite else 0.0
    before, last = (h[-2] - h[-3], h[-1] - h[-2]) if finite else (None, None)
    if not finite or np.linalg.norm(last) > 10 * first:
        return "diverged"
    if np.linalg.norm(last) <= tol:
        return "converged"
    return {True: "oscillating", False: "slow"}[bool(np.dot(before, last) < 0)]
""",
    },
    "max_stable_lr": {
        "the smallest 1/a_i, checked one by one": """
import math


def max_stable_lr(a):
    values = [float(v) for v in np.ravel(a)]
    if not values or not all(math.isfinite(v) and v > 0 for v in values):
        raise ValueError("max_stable_lr needs finite positive coefficients")
    return min(1.0 / v for v in values)
""",
        "np.min of the reciprocals": """
def max_stable_lr(a):
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    if a.size == 0 or not np.all(np.isfinite(a) & (a > 0)):
        raise ValueError("every a_i must be finite and > 0")
    return float(np.min(1.0 / a))
""",
    },
    "standardize": {
        "two passes by hand, std[std < 1e-12] = 1": """
def standardize(X):
    X = np.array(X, dtype=np.float64)
    n = X.shape[0]
    mean = X.sum(axis=0) / n
    centred = X - mean
    std = np.sqrt((centred**2).sum(axis=0) / n)
    std[std < 1e-12] = 1.0
    return centred / std
""",
        "np.divide with where=": """
def standardize(X):
    X = np.asarray(X, dtype=float)
    centred = X - X.mean(axis=0, keepdims=True)
    std = X.std(axis=0, keepdims=True)
    return np.divide(centred, std, out=centred.copy(), where=std >= 1e-12)
""",
    },
    "step_decay": {
        "integer division of the epochs": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    epochs = np.asarray(epoch)
    rate = lr0 * np.power(float(drop), epochs // every)
    return rate.item() if np.ndim(rate) == 0 else rate.astype(np.float64)
""",
        "np.floor_divide and a Python float for scalars": """
def step_decay(lr0, epoch, drop=0.5, every=10):
    if np.ndim(epoch) == 0:
        return float(lr0) * float(drop) ** int(np.floor_divide(epoch, every))
    return float(lr0) * np.float64(drop) ** np.floor_divide(np.asarray(epoch, dtype=np.int64), every)
""",
    },
    "exponential_decay": {
        "the factor exp(-k) raised to the epoch": """
def exponential_decay(lr0, epoch, k=0.1):
    rate = lr0 * np.exp(-k) ** np.asarray(epoch, dtype=np.float64)
    return rate.item() if np.ndim(rate) == 0 else rate
""",
        "math.exp for numbers, np.exp for arrays": """
import math


def exponential_decay(lr0, epoch, k=0.1):
    if np.ndim(epoch) == 0:
        return lr0 * math.exp(-k * int(epoch))
    return lr0 * np.exp(-k * np.asarray(epoch, dtype=np.float64))
""",
    },
    "inverse_time_decay": {
        "a power -1 of (1 + k epoch)": """
def inverse_time_decay(lr0, epoch, k=0.1):
    rate = lr0 * (1.0 + k * np.asarray(epoch, dtype=np.float64)) ** -1.0
    return rate.item() if np.ndim(rate) == 0 else rate
""",
        "np.divide, float() for numbers": """
def inverse_time_decay(lr0, epoch, k=0.1):
    rate = np.divide(float(lr0), 1 + k * np.asarray(epoch, dtype=np.float64))
    return float(rate) if isinstance(rate, np.floating) or np.ndim(rate) == 0 else rate
""",
    },
}
for _cell, _versions in CORRECT.items():
    MUTANTS[_cell]["correct"] = _versions
