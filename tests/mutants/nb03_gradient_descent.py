"""Wrong implementations of notebook 03's exercises (the mistakes students really make)."""

MUTANTS = {
    "gradient_descent": {
        "tests": ["test_gradient_descent"],
        "wrong": {
            "history misses x0": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = []
    for _ in range(steps):
        x = x - lr * df(x)
        history.append(x)
    return x, np.array(history)
""",
            "x -= ... on an alias of the caller's array": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.asarray(x0, dtype=float)
    history = [x.copy()]
    for _ in range(steps):
        x -= lr * df(x)
        history.append(x.copy())
    return x, np.array(history)
""",
            "appends the same array object every step": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(steps):
        x -= lr * df(x)
        history.append(x)
    return x, np.array(history)
""",
            "one update too few": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(steps - 1):
        x = x - lr * df(x)
        history.append(x)
    history.append(x)
    return x, np.array(history)
""",
            "history keeps x0's integer dtype": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0)
    history = np.zeros((steps + 1, *x.shape), dtype=x.dtype)
    history[0] = x
    for k in range(1, steps + 1):
        x = x - lr * df(x)
        history[k] = x
    return x, history
""",
            "moves uphill (x + lr * df(x))": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(steps):
        x = x + lr * df(x)
        history.append(x)
    return x, np.array(history)
""",
        },
    },
    "gradient_descent_tol": {
        "tests": ["test_gradient_descent_tol"],
        "wrong": {
            "stops on the step size lr * |g| instead of |g|": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n < max_iter:
        step = lr * df(x)
        if np.linalg.norm(step) < tol:
            break
        x = x - step
        n += 1
    return x, n
""",
            "compares x with tol instead of the gradient": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n < max_iter and np.linalg.norm(x) >= tol:
        x = x - lr * df(x)
        n += 1
    return x, n
""",
            "counts gradient evaluations, not updates": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    for n in range(1, max_iter + 1):
        g = df(x)
        if np.linalg.norm(g) < tol:
            return x, n
        x = x - lr * g
    return x, max_iter
""",
            "largest |g_i| instead of the norm": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n < max_iter:
        g = df(x)
        if np.max(np.abs(g)) < tol:
            break
        x = x - lr * g
        n += 1
    return x, n
""",
            "sum of the gradient's entries instead of the norm": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n < max_iter:
        g = df(x)
        if abs(np.sum(g)) < tol:
            break
        x = x - lr * g
        n += 1
    return x, n
""",
            "max_iter + 1 updates (<= instead of <)": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n <= max_iter:
        g = df(x)
        if np.linalg.norm(g) < tol:
            break
        x = x - lr * g
        n += 1
    return x, n
""",
            "updates the caller's x0 in place": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.asarray(x0, dtype=float)
    n = 0
    while n < max_iter:
        g = df(x)
        if np.linalg.norm(g) < tol:
            break
        x -= lr * g
        n += 1
    return x, n
""",
        },
    },
    "gradient_ascent": {
        "tests": ["test_gradient_ascent"],
        "wrong": {
            "descends (x - lr * df(x))": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    return gradient_descent(df, x0, lr=lr, steps=steps)
""",
            "history misses x0": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = []
    for _ in range(steps):
        x = x + lr * df(x)
        history.append(x)
    return x, np.array(history)
""",
            "x += ... on an alias of the caller's array": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.asarray(x0, dtype=float)
    history = [x.copy()]
    for _ in range(steps):
        x += lr * df(x)
        history.append(x.copy())
    return x, np.array(history)
""",
            "one update too many": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(steps + 1):
        x = x + lr * df(x)
        history.append(x)
    return x, np.array(history[1:])
""",
            "integer start stays integer": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.array(x0)
    history = [x]
    for _ in range(steps):
        x = (x + lr * df(x)).astype(x.dtype)
        history.append(x)
    return x, np.array(history)
""",
        },
    },
    "multi_start_minima": {
        "tests": ["test_multi_start_minima"],
        "wrong": {
            "does not round before np.unique": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends, _ = gradient_descent(df, np.asarray(starts, dtype=float), lr=lr, steps=steps)
    return np.unique(ends[np.isfinite(ends)])
""",
            "keeps the runs that diverged": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends, _ = gradient_descent(df, np.asarray(starts, dtype=float), lr=lr, steps=steps)
    return np.unique(np.round(ends, decimals))
""",
            "not sorted (order of first appearance)": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    found = []
    for start in starts:
        end, _ = gradient_descent(df, start, lr=lr, steps=steps)
        end = float(np.round(end, decimals))
        if np.isfinite(end) and end not in found:
            found.append(end)
    return np.array(found)
""",
            "no duplicates removed": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends, _ = gradient_descent(df, np.asarray(starts, dtype=float), lr=lr, steps=steps)
    return np.sort(np.round(ends[np.isfinite(ends)], decimals))
""",
            "ignores the decimals argument": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends, _ = gradient_descent(df, np.asarray(starts, dtype=float), lr=lr, steps=steps)
    return np.unique(np.round(ends[np.isfinite(ends)], 4))
""",
        },
    },
    "line_gradients": {
        "tests": ["test_line_gradients"],
        "wrong": {
            "drops the factor 2": """
def line_gradients(w, b, x, y):
    error = w * np.asarray(x) + b - np.asarray(y)
    return float(np.mean(error * x)), float(np.mean(error))
""",
            "sum instead of mean": """
def line_gradients(w, b, x, y):
    error = w * np.asarray(x) + b - np.asarray(y)
    return float(2 * np.sum(error * x)), float(2 * np.sum(error))
""",
            "error as y - H (wrong sign)": """
def line_gradients(w, b, x, y):
    error = np.asarray(y) - (w * np.asarray(x) + b)
    return float(2 * np.mean(error * x)), float(2 * np.mean(error))
""",
            "dw without the factor x": """
def line_gradients(w, b, x, y):
    error = w * np.asarray(x) + b - np.asarray(y)
    return float(2 * np.mean(error)), float(2 * np.mean(error))
""",
            "divides by N + 1": """
def line_gradients(w, b, x, y):
    error = w * np.asarray(x) + b - np.asarray(y)
    n = len(error) + 1
    return float(2 * np.sum(error * x) / n), float(2 * np.sum(error) / n)
""",
        },
    },
    "fit_line": {
        "tests": ["test_fit_line"],
        "wrong": {
            "gradients without the factor 2": """
def fit_line(x, y, lr=0.1, epochs=1000):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w, b = 0.0, 0.0
    losses = [line_loss(w, b, x, y)]
    for _ in range(epochs):
        error = w * x + b - y
        w, b = w - lr * np.mean(error * x), b - lr * np.mean(error)
        losses.append(line_loss(w, b, x, y))
    return w, b, np.array(losses)
""",
            "steps uphill (w + lr * dw)": """
def fit_line(x, y, lr=0.1, epochs=1000):
    w, b = 0.0, 0.0
    losses = [line_loss(w, b, x, y)]
    for _ in range(epochs):
        dw, db = line_gradients(w, b, x, y)
        w, b = w + lr * dw, b + lr * db
        losses.append(line_loss(w, b, x, y))
    return w, b, np.array(losses)
""",
            "updates w before computing db with the new w": """
def fit_line(x, y, lr=0.1, epochs=1000):
    w, b = 0.0, 0.0
    losses = [line_loss(w, b, x, y)]
    for _ in range(epochs):
        dw, _ = line_gradients(w, b, x, y)
        w = w - lr * dw
        _, db = line_gradients(w, b, x, y)
        b = b - lr * db
        losses.append(line_loss(w, b, x, y))
    return w, b, np.array(losses)
""",
            "sums over the data instead of averaging": """
def fit_line(x, y, lr=0.1, epochs=1000):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w, b = 0.0, 0.0
    losses = [line_loss(w, b, x, y)]
    for _ in range(epochs):
        error = w * x + b - y
        w, b = w - lr * 2 * np.sum(error * x), b - lr * 2 * np.sum(error)
        losses.append(line_loss(w, b, x, y))
    return w, b, np.array(losses)
""",
            "losses miss the starting loss": """
def fit_line(x, y, lr=0.1, epochs=1000):
    w, b = 0.0, 0.0
    losses = []
    for _ in range(epochs):
        dw, db = line_gradients(w, b, x, y)
        w, b = w - lr * dw, b - lr * db
        losses.append(line_loss(w, b, x, y))
    return w, b, np.array(losses)
""",
            "records the loss before each update only": """
def fit_line(x, y, lr=0.1, epochs=1000):
    w, b = 0.0, 0.0
    losses = []
    for _ in range(epochs + 1):
        losses.append(line_loss(w, b, x, y))
        dw, db = line_gradients(w, b, x, y)
        w, b = w - lr * dw, b - lr * db
    return w, b, np.array(losses)
""",
        },
    },
}
