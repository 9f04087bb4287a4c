"""Wrong implementations of notebook 03's exercises (the mistakes students really make), and correct
alternatives (other algorithms, other dtype handling the spec allows) that every test must accept."""

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
            "returns the caller's array when steps=0 (np.asarray)": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.asarray(x0, dtype=float)
    history = np.empty((steps + 1, *x.shape))
    history[0] = x
    for k in range(1, steps + 1):
        x = x - lr * df(x)
        history[k] = x
    return x, history
""",
            "df sees the raw uint8 start (2 * x wraps around)": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0)
    history = np.empty((steps + 1, *x.shape))
    history[0] = x
    for k in range(1, steps + 1):
        x = x - lr * df(x)
        history[k] = x
    return np.array(x, dtype=float), history
""",
            "keeps a float32 start in float32": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0)
    if x.dtype.kind != "f":
        x = x.astype(float)
    history = np.empty((steps + 1, *x.shape), dtype=x.dtype)
    history[0] = x
    for k in range(1, steps + 1):
        x = x - lr * df(x)
        history[k] = x
    return x, history
""",
            "returns the history as a Python list": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(steps):
        x = x - lr * df(x)
        history.append(x)
    return x, history
""",
            "x0.astype(float): fails on numbers and lists": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = x0.astype(float)
    history = np.empty((steps + 1, *x.shape))
    history[0] = x
    for k in range(1, steps + 1):
        x = x - lr * df(x)
        history[k] = x
    return x, history
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
            "returns the caller's array when no update is made (np.asarray)": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.asarray(x0, dtype=float)
    n = 0
    while n < max_iter:
        g = df(x)
        if np.linalg.norm(g) < tol:
            break
        x = x - lr * g
        n += 1
    return x, n
""",
            "stops when |g| <= tol (a gradient equal to tol counts as small)": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n < max_iter:
        g = df(x)
        if np.linalg.norm(g) <= tol:
            break
        x = x - lr * g
        n += 1
    return x, n
""",
            "matrix 2-norm np.linalg.norm(g, 2) for a 2-D x": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n < max_iter:
        g = df(x)
        if np.linalg.norm(g, 2) < tol:
            break
        x = x - lr * g
        n += 1
    return x, n
""",
            "df sees the raw uint8 start (2 * x wraps around)": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = x0
    n = 0
    while n < max_iter:
        g = df(x)
        if np.linalg.norm(g) < tol:
            break
        x = x - lr * g
        n += 1
    return np.array(x, dtype=float), n
""",
            "keeps a float32 start in float32": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0)
    if x.dtype.kind != "f":
        x = x.astype(float)
    n = 0
    while n < max_iter:
        g = df(x)
        if np.linalg.norm(g) < tol:
            break
        x = (x - lr * g).astype(x.dtype)
        n += 1
    return x, n
""",
            "changed default tol (1e-5)": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-5, max_iter=10_000):
    x = np.array(x0, dtype=float)
    n = 0
    while n < max_iter:
        g = df(x)
        if np.linalg.norm(g) < tol:
            break
        x = x - lr * g
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
            "returns the caller's array when steps=0 (np.asarray)": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.asarray(x0, dtype=float)
    history = np.empty((steps + 1, *x.shape))
    history[0] = x
    for k in range(1, steps + 1):
        x = x + lr * df(x)
        history[k] = x
    return x, history
""",
            "returns the history as a Python list": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=float)
    history = [x]
    for _ in range(steps):
        x = x + lr * df(x)
        history.append(x)
    return x, history
""",
            "keeps a float32 start in float32": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.array(x0)
    if x.dtype.kind != "f":
        x = x.astype(float)
    history = np.empty((steps + 1, *x.shape), dtype=x.dtype)
    history[0] = x
    for k in range(1, steps + 1):
        x = x + lr * df(x)
        history[k] = x
    return x, history
""",
            "df sees the raw uint8 start": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    x = np.array(x0)
    history = np.empty((steps + 1, *x.shape))
    history[0] = x
    for k in range(1, steps + 1):
        x = x + lr * df(x)
        history[k] = x
    return np.array(x, dtype=float), history
""",
            "changed default lr (0.01)": """
def gradient_ascent(df, x0, lr=0.01, steps=100):
    return gradient_descent(lambda x: -np.asarray(df(x)), x0, lr=lr, steps=steps)
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
            "returns a Python list": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends, _ = gradient_descent(df, np.asarray(starts, dtype=float), lr=lr, steps=steps)
    return sorted(set(np.round(ends[np.isfinite(ends)], decimals).tolist()))
""",
            "rounds down (np.floor) instead of to the nearest": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends, _ = gradient_descent(df, np.asarray(starts, dtype=float), lr=lr, steps=steps)
    ends = ends[np.isfinite(ends)]
    return np.unique(np.floor(ends * 10**decimals) / 10**decimals)
""",
            "drops only nan (np.isnan), keeps -inf": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends, _ = gradient_descent(df, np.asarray(starts, dtype=float), lr=lr, steps=steps)
    return np.unique(np.round(ends[~np.isnan(ends)], decimals))
""",
            "descends in place on the caller's starts": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends = np.asarray(starts, dtype=float)
    for _ in range(steps):
        ends -= lr * df(ends)
    return np.unique(np.round(ends[np.isfinite(ends)], decimals))
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
            "expanded formula in the input's dtype (uint8 x * x wraps)": """
def line_gradients(w, b, x, y):
    x, y = np.asarray(x), np.asarray(y)
    dw = 2 * (w * np.mean(x * x) + b * np.mean(x) - np.mean(x * y))
    db = 2 * (w * np.mean(x) + b - np.mean(y))
    return float(dw), float(db)
""",
            "in-place arithmetic on the caller's float x": """
def line_gradients(w, b, x, y):
    prediction = np.asarray(x, dtype=float)
    prediction *= w
    prediction += b
    error = prediction - np.asarray(y, dtype=float)
    return float(2 * np.mean(error * x)), float(2 * np.mean(error))
""",
            "product of means for dw (2 mean(e) mean(x))": """
def line_gradients(w, b, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    error = w * x + b - y
    return float(2 * np.mean(error) * np.mean(x)), float(2 * np.mean(error))
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
            "returns the losses as a Python list": """
def fit_line(x, y, lr=0.1, epochs=1000):
    w, b = 0.0, 0.0
    losses = [line_loss(w, b, x, y)]
    for _ in range(epochs):
        dw, db = line_gradients(w, b, x, y)
        w, b = w - lr * dw, b - lr * db
        losses.append(line_loss(w, b, x, y))
    return w, b, losses
""",
            "changed default lr (0.01)": """
def fit_line(x, y, lr=0.01, epochs=1000):
    w, b = 0.0, 0.0
    losses = [line_loss(w, b, x, y)]
    for _ in range(epochs):
        dw, db = line_gradients(w, b, x, y)
        w, b = w - lr * dw, b - lr * db
        losses.append(line_loss(w, b, x, y))
    return w, b, np.array(losses)
""",
        },
    },
}

# Correct alternatives: each must pass every visible and hidden test and agree with the probes.
CORRECT = {
    "gradient_descent": {
        "a list of copies, stacked at the end": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    for _ in range(steps):
        x = x - lr * np.asarray(df(x), dtype=np.float64)
        path.append(x)
    return x, np.array(path, dtype=np.float64).reshape(steps + 1, *np.shape(x0))
""",
        "in place on a private copy (astype always copies)": """
def gradient_descent(df, x0, lr=0.1, steps=100):
    x = np.asarray(x0).astype(np.float64)
    history = np.zeros((steps + 1,) + x.shape)
    history[0] = x
    for k in range(steps):
        x -= lr * np.asarray(df(x))
        history[k + 1] = x
    return x, history
""",
    },
    "gradient_descent_tol": {
        "a for loop over the allowed updates, norm as sqrt(sum(g**2))": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.array(x0, dtype=float)
    for n in range(max_iter + 1):
        if n == max_iter:
            return x, n
        g = np.asarray(df(x), dtype=float)
        if np.sqrt(np.sum(g * g)) < tol:
            return x, n
        x = x - lr * g
""",
        "np.linalg.norm of the flattened gradient, update in place on a copy": """
def gradient_descent_tol(df, x0, lr=0.1, tol=1e-6, max_iter=10_000):
    x = np.asarray(x0).astype(np.float64, copy=True)
    n = 0
    while n < max_iter and not np.linalg.norm(np.ravel(df(x))) < tol:
        x -= lr * np.asarray(df(x))
        n += 1
    return x, int(n)
""",
    },
    "gradient_ascent": {
        "descent on the negated gradient": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    return gradient_descent(lambda x: -np.asarray(df(x)), x0, lr=lr, steps=steps)
""",
        "descent with a negative learning rate": """
def gradient_ascent(df, x0, lr=0.1, steps=100):
    return gradient_descent(df, x0, lr=-lr, steps=steps)
""",
    },
    "multi_start_minima": {
        "one run per start, collected in a set": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    found = set()
    for start in np.ravel(starts):
        end, _ = gradient_descent(df, float(start), lr=lr, steps=steps)
        if np.isfinite(end):
            found.add(float(np.round(end, decimals)))
    return np.array(sorted(found), dtype=float)
""",
        "np.around on the finite ends, kept by a comparison with inf": """
def multi_start_minima(df, starts, lr=0.01, steps=1000, decimals=4):
    ends = gradient_descent(df, np.array(starts, dtype=np.float64), lr=lr, steps=steps)[0]
    kept = ends[np.abs(ends) < np.inf]
    return np.unique(np.around(kept, decimals=decimals)).astype(np.float64)
""",
    },
    "line_gradients": {
        "expanded formula in float64": """
def line_gradients(w, b, x, y):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    dw = 2 * (w * np.mean(x * x) + b * np.mean(x) - np.mean(x * y))
    db = 2 * (w * np.mean(x) + b - np.mean(y))
    return float(dw), float(db)
""",
        "matrix form A.T @ (A p - y)": """
def line_gradients(w, b, x, y):
    x = np.asarray(x, dtype=float)
    A = np.column_stack([x, np.ones_like(x)])
    residual = A @ np.array([w, b], dtype=float) - np.asarray(y, dtype=float)
    dw, db = 2 * A.T @ residual / len(x)
    return float(dw), float(db)
""",
    },
    "fit_line": {
        "self-contained, with its own gradient and loss": """
def fit_line(x, y, lr=0.1, epochs=1000):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = b = 0.0
    losses = np.zeros(epochs + 1)
    for epoch in range(epochs + 1):
        error = w * x + b - y
        losses[epoch] = np.mean(error**2)
        if epoch < epochs:
            w, b = w - lr * 2 * np.mean(error * x), b - lr * 2 * np.mean(error)
    return float(w), float(b), losses
""",
        "parameters as one array, losses collected in a list": """
def fit_line(x, y, lr=0.1, epochs=1000):
    p = np.zeros(2)
    losses = [line_loss(p[0], p[1], x, y)]
    for _ in range(epochs):
        p = p - lr * np.array(line_gradients(p[0], p[1], x, y))
        losses.append(line_loss(p[0], p[1], x, y))
    return float(p[0]), float(p[1]), np.array(losses)
""",
    },
}
for _cell, _versions in CORRECT.items():
    MUTANTS[_cell]["correct"] = _versions
