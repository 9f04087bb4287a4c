"""Wrong implementations of notebook 05's optimizers (the mistakes students really make).

Each is the solution class with one mistake; the test cells listed must reject it.
"""

MUTANTS = {
    "SGD": {
        "tests": ["test_SGD"],
        "wrong": {
            "rebinds params[key] to a new array instead of updating in place": '''
class SGD:
    """Plain stochastic gradient descent: θ ← θ − η·g.

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η (the course's default; torch's current docs use 1e-3).
    """

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """Update every array ``params[key]`` in place, using ``grads[key]``; return None.

        ``params`` and ``grads`` are dicts with the same keys and arrays of the same shapes.
        The arrays in ``params`` must stay the same objects (``params[key] -= ...``);
        ``grads`` must not change.
        """
        for key in params:
            params[key] = params[key] - self.lr * grads[key]
''',
            "moves uphill (+= instead of -=)": '''
class SGD:
    """Plain stochastic gradient descent: θ ← θ − η·g.

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η (the course's default; torch's current docs use 1e-3).
    """

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """Update every array ``params[key]`` in place, using ``grads[key]``; return None.

        ``params`` and ``grads`` are dicts with the same keys and arrays of the same shapes.
        The arrays in ``params`` must stay the same objects (``params[key] -= ...``);
        ``grads`` must not change.
        """
        for key in params:
            params[key] += self.lr * grads[key]
''',
            "scales the caller's gradient in place": '''
class SGD:
    """Plain stochastic gradient descent: θ ← θ − η·g.

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η (the course's default; torch's current docs use 1e-3).
    """

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """Update every array ``params[key]`` in place, using ``grads[key]``; return None.

        ``params`` and ``grads`` are dicts with the same keys and arrays of the same shapes.
        The arrays in ``params`` must stay the same objects (``params[key] -= ...``);
        ``grads`` must not change.
        """
        for key in params:
            g = grads[key]
            g *= self.lr
            params[key] -= g
''',
            "returns after the first parameter": '''
class SGD:
    """Plain stochastic gradient descent: θ ← θ − η·g.

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η (the course's default; torch's current docs use 1e-3).
    """

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """Update every array ``params[key]`` in place, using ``grads[key]``; return None.

        ``params`` and ``grads`` are dicts with the same keys and arrays of the same shapes.
        The arrays in ``params`` must stay the same objects (``params[key] -= ...``);
        ``grads`` must not change.
        """
        for key in params:
            params[key] -= self.lr * grads[key]
            return
''',
        },
    },
    "Momentum": {
        "tests": ["test_Momentum"],
        "wrong": {
            "v = μv − ηg but then θ −= v (mixes the two sign conventions)": '''
class Momentum:
    """SGD with (heavy-ball) momentum, as torch.optim.SGD(momentum=μ) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·b_t

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = -self.lr * np.array(g, dtype=float)
            else:
                self.b[key] *= self.momentum
                self.b[key] -= self.lr * g
            params[key] -= self.b[key]
''',
            "EMA form b = μb + (1 − μ)g (Coursera) with the same lr": '''
class Momentum:
    """SGD with (heavy-ball) momentum, as torch.optim.SGD(momentum=μ) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·b_t

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = (1 - self.momentum) * np.array(g, dtype=float)
            else:
                self.b[key] *= self.momentum
                self.b[key] += (1 - self.momentum) * g
            params[key] -= self.lr * self.b[key]
''',
            "one buffer shared by all parameters": '''
class Momentum:
    """SGD with (heavy-ball) momentum, as torch.optim.SGD(momentum=μ) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·b_t

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for name in params:
            g = grads[name]
            key = "shared"  # one state for all
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)  # a copy: never alias the caller's gradient
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[name] -= self.lr * self.b[key]
''',
            "keeps the caller's gradient array as its buffer (no copy)": '''
class Momentum:
    """SGD with (heavy-ball) momentum, as torch.optim.SGD(momentum=μ) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·b_t

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = g
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[key] -= self.lr * self.b[key]
''',
            "rebinds params[key] to a new array": '''
class Momentum:
    """SGD with (heavy-ball) momentum, as torch.optim.SGD(momentum=μ) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·b_t

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)  # a copy: never alias the caller's gradient
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[key] = params[key] - self.lr * self.b[key]
''',
        },
    },
    "Nesterov": {
        "tests": ["test_Nesterov"],
        "wrong": {
            "plain momentum (no look-ahead)": '''
class Nesterov:
    """Nesterov momentum, as torch.optim.SGD(momentum=μ, nesterov=True) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·(g_t + μ·b_t)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[key] -= self.lr * self.b[key]
''',
            "the book's v-form with v updated before the step": '''
class Nesterov:
    """Nesterov momentum, as torch.optim.SGD(momentum=μ, nesterov=True) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·(g_t + μ·b_t)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = np.zeros(np.shape(g))
            self.b[key] *= self.momentum
            self.b[key] -= self.lr * g
            params[key] += self.momentum * self.momentum * self.b[key] - (1 + self.momentum) * self.lr * g
''',
            "keeps the caller's gradient array as its buffer (no copy)": '''
class Nesterov:
    """Nesterov momentum, as torch.optim.SGD(momentum=μ, nesterov=True) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·(g_t + μ·b_t)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = g
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[key] -= self.lr * (g + self.momentum * self.b[key])
''',
            "one buffer shared by all parameters": '''
class Nesterov:
    """Nesterov momentum, as torch.optim.SGD(momentum=μ, nesterov=True) with dampening 0.

    b₁ = g₁;  b_t = μ·b_{t−1} + g_t;  θ ← θ − η·(g_t + μ·b_t)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    momentum : float, default 0.9
        The momentum factor μ.

    State: ``self.b[key]``, one momentum buffer per parameter name.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for name in params:
            g = grads[name]
            key = "shared"  # one state for all
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[name] -= self.lr * (g + self.momentum * self.b[key])
''',
        },
    },
    "AdaGrad": {
        "tests": ["test_AdaGrad"],
        "wrong": {
            "ε inside the square root (Keras)": '''
class AdaGrad:
    """AdaGrad, as torch.optim.Adagrad (lr_decay 0, initial_accumulator_value 0).

    h_t = h_{t−1} + g_t²  (h₀ = 0);  θ ← θ − η·g_t / (√h_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    eps : float, default 1e-10
        ε, added *outside* the square root.

    State: ``self.h[key]``, the running sum of squared gradients per parameter name.
    """

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.zeros(np.shape(g))
            self.h[key] += g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key] + self.eps))
''',
            "Keras' initial accumulator 0.1": '''
class AdaGrad:
    """AdaGrad, as torch.optim.Adagrad (lr_decay 0, initial_accumulator_value 0).

    h_t = h_{t−1} + g_t²  (h₀ = 0);  θ ← θ − η·g_t / (√h_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    eps : float, default 1e-10
        ε, added *outside* the square root.

    State: ``self.h[key]``, the running sum of squared gradients per parameter name.
    """

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.full(np.shape(g), 0.1)
            self.h[key] += g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
''',
            "h = g² instead of the running sum": '''
class AdaGrad:
    """AdaGrad, as torch.optim.Adagrad (lr_decay 0, initial_accumulator_value 0).

    h_t = h_{t−1} + g_t²  (h₀ = 0);  θ ← θ − η·g_t / (√h_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    eps : float, default 1e-10
        ε, added *outside* the square root.

    State: ``self.h[key]``, the running sum of squared gradients per parameter name.
    """

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.zeros(np.shape(g))
            self.h[key] = g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
''',
            "one accumulator shared by all parameters": '''
class AdaGrad:
    """AdaGrad, as torch.optim.Adagrad (lr_decay 0, initial_accumulator_value 0).

    h_t = h_{t−1} + g_t²  (h₀ = 0);  θ ← θ − η·g_t / (√h_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    eps : float, default 1e-10
        ε, added *outside* the square root.

    State: ``self.h[key]``, the running sum of squared gradients per parameter name.
    """

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for name in params:
            g = grads[name]
            key = "shared"  # one state for all
            if key not in self.h:
                self.h[key] = np.zeros(np.shape(g))
            self.h[key] += g * g
            params[name] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
''',
        },
    },
    "RMSprop": {
        "tests": ["test_RMSprop"],
        "wrong": {
            "ε inside the square root (Keras)": '''
class RMSprop:
    """RMSprop, as torch.optim.RMSprop (not centered, no momentum).

    s_t = α·s_{t−1} + (1 − α)·g_t²  (s₀ = 0);  θ ← θ − η·g_t / (√s_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    alpha : float, default 0.99
        The decay rate α of the running average of g².
    eps : float, default 1e-8
        ε, added *outside* the square root.

    State: ``self.s[key]``, the running average of g² per parameter name.
    """

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
            self.s[key] *= self.alpha
            self.s[key] += (1 - self.alpha) * g * g
            params[key] -= self.lr * g / (np.sqrt(self.s[key] + self.eps))
''',
            "α and 1 − α swapped": '''
class RMSprop:
    """RMSprop, as torch.optim.RMSprop (not centered, no momentum).

    s_t = α·s_{t−1} + (1 − α)·g_t²  (s₀ = 0);  θ ← θ − η·g_t / (√s_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    alpha : float, default 0.99
        The decay rate α of the running average of g².
    eps : float, default 1e-8
        ε, added *outside* the square root.

    State: ``self.s[key]``, the running average of g² per parameter name.
    """

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
            self.s[key] *= 1 - self.alpha
            self.s[key] += self.alpha * g * g
            params[key] -= self.lr * g / (np.sqrt(self.s[key]) + self.eps)
''',
            "starts the average at g² instead of 0": '''
class RMSprop:
    """RMSprop, as torch.optim.RMSprop (not centered, no momentum).

    s_t = α·s_{t−1} + (1 − α)·g_t²  (s₀ = 0);  θ ← θ − η·g_t / (√s_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    alpha : float, default 0.99
        The decay rate α of the running average of g².
    eps : float, default 1e-8
        ε, added *outside* the square root.

    State: ``self.s[key]``, the running average of g² per parameter name.
    """

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = g * g
            self.s[key] *= self.alpha
            self.s[key] += (1 - self.alpha) * g * g
            params[key] -= self.lr * g / (np.sqrt(self.s[key]) + self.eps)
''',
            "Keras' default decay 0.9": '''
class RMSprop:
    """RMSprop, as torch.optim.RMSprop (not centered, no momentum).

    s_t = α·s_{t−1} + (1 − α)·g_t²  (s₀ = 0);  θ ← θ − η·g_t / (√s_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    alpha : float, default 0.99
        The decay rate α of the running average of g².
    eps : float, default 1e-8
        ε, added *outside* the square root.

    State: ``self.s[key]``, the running average of g² per parameter name.
    """

    def __init__(self, lr=0.01, alpha=0.9, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
            self.s[key] *= self.alpha
            self.s[key] += (1 - self.alpha) * g * g
            params[key] -= self.lr * g / (np.sqrt(self.s[key]) + self.eps)
''',
            "one average shared by all parameters": '''
class RMSprop:
    """RMSprop, as torch.optim.RMSprop (not centered, no momentum).

    s_t = α·s_{t−1} + (1 − α)·g_t²  (s₀ = 0);  θ ← θ − η·g_t / (√s_t + ε)

    Parameters
    ----------
    lr : float, default 0.01
        The learning rate η.
    alpha : float, default 0.99
        The decay rate α of the running average of g².
    eps : float, default 1e-8
        ε, added *outside* the square root.

    State: ``self.s[key]``, the running average of g² per parameter name.
    """

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for name in params:
            g = grads[name]
            key = "shared"  # one state for all
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
            self.s[key] *= self.alpha
            self.s[key] += (1 - self.alpha) * g * g
            params[name] -= self.lr * g / (np.sqrt(self.s[key]) + self.eps)
''',
        },
    },
    "AdaDelta": {
        "tests": ["test_AdaDelta"],
        "wrong": {
            "missing the √(u + ε) numerator": '''
class AdaDelta:
    """AdaDelta, as torch.optim.Adadelta.

    s_t = ρ·s_{t−1} + (1 − ρ)·g_t²
    Δ_t = √(u_{t−1} + ε) / √(s_t + ε) · g_t
    u_t = ρ·u_{t−1} + (1 − ρ)·Δ_t²
    θ ← θ − η·Δ_t            (s₀ = u₀ = 0)

    Parameters
    ----------
    lr : float, default 1.0
        The learning rate η (1.0 as in the paper and torch).
    rho : float, default 0.9
        The decay rate ρ of both running averages.
    eps : float, default 1e-6
        ε, added *inside* both square roots.

    State: ``self.s[key]`` (average of g²) and ``self.u[key]`` (average of Δ²) per parameter name.
    """

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = {}
        self.u = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
                self.u[key] = np.zeros(np.shape(g))
            self.s[key] *= self.rho
            self.s[key] += (1 - self.rho) * g * g
            delta = g / np.sqrt(self.s[key] + self.eps)
            self.u[key] *= self.rho
            self.u[key] += (1 - self.rho) * delta * delta
            params[key] -= self.lr * delta
''',
            "accumulates g² instead of Δ² into u": '''
class AdaDelta:
    """AdaDelta, as torch.optim.Adadelta.

    s_t = ρ·s_{t−1} + (1 − ρ)·g_t²
    Δ_t = √(u_{t−1} + ε) / √(s_t + ε) · g_t
    u_t = ρ·u_{t−1} + (1 − ρ)·Δ_t²
    θ ← θ − η·Δ_t            (s₀ = u₀ = 0)

    Parameters
    ----------
    lr : float, default 1.0
        The learning rate η (1.0 as in the paper and torch).
    rho : float, default 0.9
        The decay rate ρ of both running averages.
    eps : float, default 1e-6
        ε, added *inside* both square roots.

    State: ``self.s[key]`` (average of g²) and ``self.u[key]`` (average of Δ²) per parameter name.
    """

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = {}
        self.u = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
                self.u[key] = np.zeros(np.shape(g))
            self.s[key] *= self.rho
            self.s[key] += (1 - self.rho) * g * g
            delta = np.sqrt(self.u[key] + self.eps) / np.sqrt(self.s[key] + self.eps) * g
            self.u[key] *= self.rho
            self.u[key] += (1 - self.rho) * g * g
            params[key] -= self.lr * delta
''',
            "ε outside the square roots": '''
class AdaDelta:
    """AdaDelta, as torch.optim.Adadelta.

    s_t = ρ·s_{t−1} + (1 − ρ)·g_t²
    Δ_t = √(u_{t−1} + ε) / √(s_t + ε) · g_t
    u_t = ρ·u_{t−1} + (1 − ρ)·Δ_t²
    θ ← θ − η·Δ_t            (s₀ = u₀ = 0)

    Parameters
    ----------
    lr : float, default 1.0
        The learning rate η (1.0 as in the paper and torch).
    rho : float, default 0.9
        The decay rate ρ of both running averages.
    eps : float, default 1e-6
        ε, added *inside* both square roots.

    State: ``self.s[key]`` (average of g²) and ``self.u[key]`` (average of Δ²) per parameter name.
    """

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = {}
        self.u = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
                self.u[key] = np.zeros(np.shape(g))
            self.s[key] *= self.rho
            self.s[key] += (1 - self.rho) * g * g
            delta = (np.sqrt(self.u[key]) + self.eps) / (np.sqrt(self.s[key]) + self.eps) * g
            self.u[key] *= self.rho
            self.u[key] += (1 - self.rho) * delta * delta
            params[key] -= self.lr * delta
''',
            "ignores lr": '''
class AdaDelta:
    """AdaDelta, as torch.optim.Adadelta.

    s_t = ρ·s_{t−1} + (1 − ρ)·g_t²
    Δ_t = √(u_{t−1} + ε) / √(s_t + ε) · g_t
    u_t = ρ·u_{t−1} + (1 − ρ)·Δ_t²
    θ ← θ − η·Δ_t            (s₀ = u₀ = 0)

    Parameters
    ----------
    lr : float, default 1.0
        The learning rate η (1.0 as in the paper and torch).
    rho : float, default 0.9
        The decay rate ρ of both running averages.
    eps : float, default 1e-6
        ε, added *inside* both square roots.

    State: ``self.s[key]`` (average of g²) and ``self.u[key]`` (average of Δ²) per parameter name.
    """

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = {}
        self.u = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
                self.u[key] = np.zeros(np.shape(g))
            self.s[key] *= self.rho
            self.s[key] += (1 - self.rho) * g * g
            delta = np.sqrt(self.u[key] + self.eps) / np.sqrt(self.s[key] + self.eps) * g
            self.u[key] *= self.rho
            self.u[key] += (1 - self.rho) * delta * delta
            params[key] -= delta
''',
        },
    },
    "Adam": {
        "tests": ["test_Adam"],
        "wrong": {
            "no bias correction": '''
class Adam:
    """Adam (and AMSGrad), as torch.optim.Adam.

    t ← t + 1 (once per update call)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    m̂_t = m_t / (1 − β₁ᵗ)                  v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·m̂_t / (√v̂_t + ε)
    AMSGrad: v_max = max(v_max, v_t) on the raw v_t, and v̂_t = v_max / (1 − β₂ᵗ).

    Parameters
    ----------
    lr : float, default 1e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root, after the bias correction.
    amsgrad : bool, default False
        Use the AMSGrad variant.

    State: the step counter ``self.t`` (one per optimizer) and ``self.m[key]``,
    ``self.v[key]``, ``self.v_max[key]`` per parameter name.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        bias1 = 1 - beta1**self.t
        bias2 = 1 - beta2**self.t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            v = self.v[key]
            if self.amsgrad:
                np.maximum(self.v_max[key], self.v[key], out=self.v_max[key])
                v = self.v_max[key]
            params[key] -= self.lr * self.m[key] / (np.sqrt(v) + self.eps)
''',
            "ε-hat form (Keras, Deep Learning from Scratch)": '''
class Adam:
    """Adam (and AMSGrad), as torch.optim.Adam.

    t ← t + 1 (once per update call)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    m̂_t = m_t / (1 − β₁ᵗ)                  v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·m̂_t / (√v̂_t + ε)
    AMSGrad: v_max = max(v_max, v_t) on the raw v_t, and v̂_t = v_max / (1 − β₂ᵗ).

    Parameters
    ----------
    lr : float, default 1e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root, after the bias correction.
    amsgrad : bool, default False
        Use the AMSGrad variant.

    State: the step counter ``self.t`` (one per optimizer) and ``self.m[key]``,
    ``self.v[key]``, ``self.v_max[key]`` per parameter name.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        bias1 = 1 - beta1**self.t
        bias2 = 1 - beta2**self.t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            v = self.v[key]
            if self.amsgrad:
                np.maximum(self.v_max[key], self.v[key], out=self.v_max[key])
                v = self.v_max[key]
            params[key] -= self.lr * np.sqrt(bias2) / bias1 * self.m[key] / (np.sqrt(v) + self.eps)
''',
            "counts steps per parameter": '''
class Adam:
    """Adam (and AMSGrad), as torch.optim.Adam.

    t ← t + 1 (once per update call)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    m̂_t = m_t / (1 − β₁ᵗ)                  v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·m̂_t / (√v̂_t + ε)
    AMSGrad: v_max = max(v_max, v_t) on the raw v_t, and v̂_t = v_max / (1 − β₂ᵗ).

    Parameters
    ----------
    lr : float, default 1e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root, after the bias correction.
    amsgrad : bool, default False
        Use the AMSGrad variant.

    State: the step counter ``self.t`` (one per optimizer) and ``self.m[key]``,
    ``self.v[key]``, ``self.v_max[key]`` per parameter name.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        for key in params:
            g = grads[key]
            self.t += 1
            bias1 = 1 - beta1**self.t
            bias2 = 1 - beta2**self.t
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            v = self.v[key]
            if self.amsgrad:
                np.maximum(self.v_max[key], self.v[key], out=self.v_max[key])
                v = self.v_max[key]
            params[key] -= self.lr * (self.m[key] / bias1) / (np.sqrt(v) / np.sqrt(bias2) + self.eps)
''',
            "AMSGrad max on the bias-corrected v̂": '''
class Adam:
    """Adam (and AMSGrad), as torch.optim.Adam.

    t ← t + 1 (once per update call)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    m̂_t = m_t / (1 − β₁ᵗ)                  v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·m̂_t / (√v̂_t + ε)
    AMSGrad: v_max = max(v_max, v_t) on the raw v_t, and v̂_t = v_max / (1 − β₂ᵗ).

    Parameters
    ----------
    lr : float, default 1e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root, after the bias correction.
    amsgrad : bool, default False
        Use the AMSGrad variant.

    State: the step counter ``self.t`` (one per optimizer) and ``self.m[key]``,
    ``self.v[key]``, ``self.v_max[key]`` per parameter name.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        bias1 = 1 - beta1**self.t
        bias2 = 1 - beta2**self.t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            v = self.v[key]
            if self.amsgrad:
                np.maximum(self.v_max[key], self.v[key] / bias2, out=self.v_max[key])
                v = self.v_max[key] * bias2
            params[key] -= self.lr * (self.m[key] / bias1) / (np.sqrt(v) / np.sqrt(bias2) + self.eps)
''',
            "ignores amsgrad=True": '''
class Adam:
    """Adam (and AMSGrad), as torch.optim.Adam.

    t ← t + 1 (once per update call)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    m̂_t = m_t / (1 − β₁ᵗ)                  v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·m̂_t / (√v̂_t + ε)
    AMSGrad: v_max = max(v_max, v_t) on the raw v_t, and v̂_t = v_max / (1 − β₂ᵗ).

    Parameters
    ----------
    lr : float, default 1e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root, after the bias correction.
    amsgrad : bool, default False
        Use the AMSGrad variant.

    State: the step counter ``self.t`` (one per optimizer) and ``self.m[key]``,
    ``self.v[key]``, ``self.v_max[key]`` per parameter name.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        bias1 = 1 - beta1**self.t
        bias2 = 1 - beta2**self.t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            v = self.v[key]
            if False:
                np.maximum(self.v_max[key], self.v[key], out=self.v_max[key])
                v = self.v_max[key]
            params[key] -= self.lr * (self.m[key] / bias1) / (np.sqrt(v) / np.sqrt(bias2) + self.eps)
''',
            "ε inside the square root": '''
class Adam:
    """Adam (and AMSGrad), as torch.optim.Adam.

    t ← t + 1 (once per update call)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    m̂_t = m_t / (1 − β₁ᵗ)                  v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·m̂_t / (√v̂_t + ε)
    AMSGrad: v_max = max(v_max, v_t) on the raw v_t, and v̂_t = v_max / (1 − β₂ᵗ).

    Parameters
    ----------
    lr : float, default 1e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root, after the bias correction.
    amsgrad : bool, default False
        Use the AMSGrad variant.

    State: the step counter ``self.t`` (one per optimizer) and ``self.m[key]``,
    ``self.v[key]``, ``self.v_max[key]`` per parameter name.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        bias1 = 1 - beta1**self.t
        bias2 = 1 - beta2**self.t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            v = self.v[key]
            if self.amsgrad:
                np.maximum(self.v_max[key], self.v[key], out=self.v_max[key])
                v = self.v_max[key]
            params[key] -= self.lr * (self.m[key] / bias1) / (np.sqrt(v / bias2 + self.eps))
''',
            "one m and v shared by all parameters": '''
class Adam:
    """Adam (and AMSGrad), as torch.optim.Adam.

    t ← t + 1 (once per update call)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    m̂_t = m_t / (1 − β₁ᵗ)                  v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·m̂_t / (√v̂_t + ε)
    AMSGrad: v_max = max(v_max, v_t) on the raw v_t, and v̂_t = v_max / (1 − β₂ᵗ).

    Parameters
    ----------
    lr : float, default 1e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root, after the bias correction.
    amsgrad : bool, default False
        Use the AMSGrad variant.

    State: the step counter ``self.t`` (one per optimizer) and ``self.m[key]``,
    ``self.v[key]``, ``self.v_max[key]`` per parameter name.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        bias1 = 1 - beta1**self.t
        bias2 = 1 - beta2**self.t
        for name in params:
            g = grads[name]
            key = "shared"  # one state for all
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            v = self.v[key]
            if self.amsgrad:
                np.maximum(self.v_max[key], self.v[key], out=self.v_max[key])
                v = self.v_max[key]
            params[name] -= self.lr * (self.m[key] / bias1) / (np.sqrt(v) / np.sqrt(bias2) + self.eps)
''',
        },
    },
    "Nadam": {
        "tests": ["test_Nadam"],
        "wrong": {
            "Keras' 0.96^t schedule": '''
class Nadam:
    """NAdam, as torch.optim.NAdam (Dozat's momentum schedule).

    t ← t + 1 (once per update call)
    μ_t = β₁·(1 − ½·0.96^(t·ψ))            ψ = momentum_decay
    M_t = μ₁·μ₂·…·μ_t                      (the μ-product, kept in the state)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·(1 − μ_t)/(1 − M_t) · g_t/(√v̂_t + ε) − η·μ_{t+1}/(1 − M_t·μ_{t+1}) · m_t/(√v̂_t + ε)

    Parameters
    ----------
    lr : float, default 2e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root.
    momentum_decay : float, default 4e-3
        ψ in the momentum schedule.

    State: the step counter ``self.t`` and the μ-product ``self.mu_product`` (one per
    optimizer), ``self.m[key]`` and ``self.v[key]`` per parameter name.
    """

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        mu = beta1 * (1 - 0.5 * 0.96**t)
        mu_next = beta1 * (1 - 0.5 * 0.96 ** (t + 1))
        self.mu_product *= mu
        mu_product_next = self.mu_product * mu_next
        bias2 = 1 - beta2**t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / bias2) + self.eps
            params[key] -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            params[key] -= self.lr * mu_next / (1 - mu_product_next) * self.m[key] / denom
''',
            "μ_t instead of μ_{t+1} in the momentum term": '''
class Nadam:
    """NAdam, as torch.optim.NAdam (Dozat's momentum schedule).

    t ← t + 1 (once per update call)
    μ_t = β₁·(1 − ½·0.96^(t·ψ))            ψ = momentum_decay
    M_t = μ₁·μ₂·…·μ_t                      (the μ-product, kept in the state)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·(1 − μ_t)/(1 − M_t) · g_t/(√v̂_t + ε) − η·μ_{t+1}/(1 − M_t·μ_{t+1}) · m_t/(√v̂_t + ε)

    Parameters
    ----------
    lr : float, default 2e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root.
    momentum_decay : float, default 4e-3
        ψ in the momentum schedule.

    State: the step counter ``self.t`` and the μ-product ``self.mu_product`` (one per
    optimizer), ``self.m[key]`` and ``self.v[key]`` per parameter name.
    """

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = mu
        self.mu_product *= mu
        mu_product_next = self.mu_product * mu_next
        bias2 = 1 - beta2**t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / bias2) + self.eps
            params[key] -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            params[key] -= self.lr * mu_next / (1 - mu_product_next) * self.m[key] / denom
''',
            "Adam's 1 − β₁ᵗ instead of the μ-product": '''
class Nadam:
    """NAdam, as torch.optim.NAdam (Dozat's momentum schedule).

    t ← t + 1 (once per update call)
    μ_t = β₁·(1 − ½·0.96^(t·ψ))            ψ = momentum_decay
    M_t = μ₁·μ₂·…·μ_t                      (the μ-product, kept in the state)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·(1 − μ_t)/(1 − M_t) · g_t/(√v̂_t + ε) − η·μ_{t+1}/(1 − M_t·μ_{t+1}) · m_t/(√v̂_t + ε)

    Parameters
    ----------
    lr : float, default 2e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root.
    momentum_decay : float, default 4e-3
        ψ in the momentum schedule.

    State: the step counter ``self.t`` and the μ-product ``self.mu_product`` (one per
    optimizer), ``self.m[key]`` and ``self.v[key]`` per parameter name.
    """

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        self.mu_product = beta1**t
        mu_product_next = beta1 ** (t + 1)
        bias2 = 1 - beta2**t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / bias2) + self.eps
            params[key] -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            params[key] -= self.lr * mu_next / (1 - mu_product_next) * self.m[key] / denom
''',
            "counts steps per parameter": '''
class Nadam:
    """NAdam, as torch.optim.NAdam (Dozat's momentum schedule).

    t ← t + 1 (once per update call)
    μ_t = β₁·(1 − ½·0.96^(t·ψ))            ψ = momentum_decay
    M_t = μ₁·μ₂·…·μ_t                      (the μ-product, kept in the state)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·(1 − μ_t)/(1 − M_t) · g_t/(√v̂_t + ε) − η·μ_{t+1}/(1 − M_t·μ_{t+1}) · m_t/(√v̂_t + ε)

    Parameters
    ----------
    lr : float, default 2e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root.
    momentum_decay : float, default 4e-3
        ψ in the momentum schedule.

    State: the step counter ``self.t`` and the μ-product ``self.mu_product`` (one per
    optimizer), ``self.m[key]`` and ``self.v[key]`` per parameter name.
    """

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        for key in params:
            g = grads[key]
            self.t += 1
            t = self.t
            mu = beta1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))
            mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
            self.mu_product *= mu
            mu_product_next = self.mu_product * mu_next
            bias2 = 1 - beta2**t
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / bias2) + self.eps
            params[key] -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            params[key] -= self.lr * mu_next / (1 - mu_product_next) * self.m[key] / denom
''',
            "ε inside the square root": '''
class Nadam:
    """NAdam, as torch.optim.NAdam (Dozat's momentum schedule).

    t ← t + 1 (once per update call)
    μ_t = β₁·(1 − ½·0.96^(t·ψ))            ψ = momentum_decay
    M_t = μ₁·μ₂·…·μ_t                      (the μ-product, kept in the state)
    m_t = β₁·m_{t−1} + (1 − β₁)·g_t        v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
    v̂_t = v_t / (1 − β₂ᵗ)
    θ ← θ − η·(1 − μ_t)/(1 − M_t) · g_t/(√v̂_t + ε) − η·μ_{t+1}/(1 − M_t·μ_{t+1}) · m_t/(√v̂_t + ε)

    Parameters
    ----------
    lr : float, default 2e-3
        The learning rate η.
    betas : (float, float), default (0.9, 0.999)
        β₁ and β₂.
    eps : float, default 1e-8
        ε, added *outside* the square root.
    momentum_decay : float, default 4e-3
        ψ in the momentum schedule.

    State: the step counter ``self.t`` and the μ-product ``self.mu_product`` (one per
    optimizer), ``self.m[key]`` and ``self.v[key]`` per parameter name.
    """

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        """Update every ``params[key]`` in place (see ``SGD.update`` for the contract)."""
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        self.mu_product *= mu
        mu_product_next = self.mu_product * mu_next
        bias2 = 1 - beta2**t
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] *= beta1
            self.m[key] += (1 - beta1) * g
            self.v[key] *= beta2
            self.v[key] += (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / bias2 + self.eps)
            params[key] -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            params[key] -= self.lr * mu_next / (1 - mu_product_next) * self.m[key] / denom
''',
        },
    },
}

# Contract corners (issue 14): float32 parameters, state by position or shared between
# instances, parameters paired with gradients by position, late-binding closures; and correct
# alternatives (other algebra, other state layouts, other dtypes the spec allows), which every
# visible and hidden test and the probes must accept.

EXTRA_WRONG = {
    "SGD": {
        "float32 parameters updated through a float64 copy": """
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            p = np.asarray(params[key], dtype=float)
            p -= self.lr * np.asarray(grads[key], dtype=float)
""",
        "pairs parameters and gradients by position": """
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for p, g in zip(params.values(), grads.values()):
            p -= self.lr * g
""",
        "late-binding lambdas (every step uses the last key)": """
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        steps = [lambda: self.lr * grads[key] for key in params]
        for key, step in zip(params, steps):
            params[key] -= step()
""",
    },
    "Momentum": {
        "mutable default state (b={} shared by every instance)": """
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9, b={}):
        self.lr = lr
        self.momentum = momentum
        self.b = b

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[key] -= self.lr * self.b[key]
""",
        "state in a list by position": """
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = []

    def update(self, params, grads):
        for i, key in enumerate(params):
            g = grads[key]
            if i >= len(self.b):
                self.b.append(np.array(g, dtype=float))
            else:
                self.b[i] *= self.momentum
                self.b[i] += g
            params[key] -= self.lr * self.b[i]
""",
        "state dict as a class attribute": """
class Momentum:
    b = {}

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[key] -= self.lr * self.b[key]
""",
        "float32 parameters updated through a float64 copy": """
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            p = np.asarray(params[key], dtype=float)
            self.b[key] = g.copy() if key not in self.b else self.momentum * self.b[key] + g
            p -= self.lr * self.b[key]
""",
    },
    "Nesterov": {
        "mutable default state (b={} shared by every instance)": """
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9, b={}):
        self.lr = lr
        self.momentum = momentum
        self.b = b

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)
            else:
                self.b[key] *= self.momentum
                self.b[key] += g
            params[key] -= self.lr * (g + self.momentum * self.b[key])
""",
        "pairs parameters and gradients by position": """
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        for key, g in zip(params, grads.values()):
            if key not in self.b:
                self.b[key] = np.array(g, dtype=float)
            else:
                self.b[key] = self.momentum * self.b[key] + g
            params[key] -= self.lr * (g + self.momentum * self.b[key])
""",
        "float32 parameters updated through a float64 copy": """
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            p = np.asarray(params[key], dtype=float)
            self.b[key] = g.copy() if key not in self.b else self.momentum * self.b[key] + g
            p -= self.lr * (g + self.momentum * self.b[key])
""",
    },
    "AdaGrad": {
        "state in a list by position": """
class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = []

    def update(self, params, grads):
        for i, key in enumerate(params):
            g = grads[key]
            if i >= len(self.h):
                self.h.append(np.zeros(np.shape(g)))
            self.h[i] += g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[i]) + self.eps)
""",
        "float32 parameters updated through a float64 copy": """
class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            p = np.asarray(params[key], dtype=float)
            self.h[key] = self.h.get(key, 0) + g * g
            p -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
""",
        "state dict as a class attribute": """
class AdaGrad:
    h = {}

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.h:
                self.h[key] = np.zeros(np.shape(g))
            self.h[key] += g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + self.eps)
""",
    },
    "RMSprop": {
        "pairs parameters and gradients by position": """
class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        for (key, p), g in zip(params.items(), grads.values()):
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
            self.s[key] = self.alpha * self.s[key] + (1 - self.alpha) * g * g
            p -= self.lr * g / (np.sqrt(self.s[key]) + self.eps)
""",
        "mutable default state (s={} shared by every instance)": """
class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8, s={}):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = s

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
            self.s[key] *= self.alpha
            self.s[key] += (1 - self.alpha) * g * g
            params[key] -= self.lr * g / (np.sqrt(self.s[key]) + self.eps)
""",
        "float32 parameters updated through a float64 copy": """
class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            p = np.asarray(params[key], dtype=float)
            self.s[key] = self.alpha * self.s.get(key, 0) + (1 - self.alpha) * g * g
            p -= self.lr * g / (np.sqrt(self.s[key]) + self.eps)
""",
    },
    "AdaDelta": {
        "default eps 1e-8 (RMSprop's) instead of 1e-6": """
class AdaDelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-8):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = {}
        self.u = {}

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
                self.u[key] = np.zeros(np.shape(g))
            self.s[key] = self.rho * self.s[key] + (1 - self.rho) * g * g
            delta = np.sqrt(self.u[key] + self.eps) / np.sqrt(self.s[key] + self.eps) * g
            self.u[key] = self.rho * self.u[key] + (1 - self.rho) * delta * delta
            params[key] -= self.lr * delta
""",
        "mutable default state (s={}, u={} shared by every instance)": """
class AdaDelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6, s={}, u={}):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = s
        self.u = u

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            if key not in self.s:
                self.s[key] = np.zeros(np.shape(g))
                self.u[key] = np.zeros(np.shape(g))
            self.s[key] *= self.rho
            self.s[key] += (1 - self.rho) * g * g
            delta = np.sqrt(self.u[key] + self.eps) / np.sqrt(self.s[key] + self.eps) * g
            self.u[key] *= self.rho
            self.u[key] += (1 - self.rho) * delta * delta
            params[key] -= self.lr * delta
""",
        "state in lists by position": """
class AdaDelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = []
        self.u = []

    def update(self, params, grads):
        for i, key in enumerate(params):
            g = grads[key]
            if i >= len(self.s):
                self.s.append(np.zeros(np.shape(g)))
                self.u.append(np.zeros(np.shape(g)))
            self.s[i] = self.rho * self.s[i] + (1 - self.rho) * g * g
            delta = np.sqrt(self.u[i] + self.eps) / np.sqrt(self.s[i] + self.eps) * g
            self.u[i] = self.rho * self.u[i] + (1 - self.rho) * delta * delta
            params[key] -= self.lr * delta
""",
        "float32 parameters updated through a float64 copy": """
class AdaDelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = {}
        self.u = {}

    def update(self, params, grads):
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            p = np.asarray(params[key], dtype=float)
            self.s[key] = self.rho * self.s.get(key, 0) + (1 - self.rho) * g * g
            delta = np.sqrt(self.u.get(key, 0) + self.eps) / np.sqrt(self.s[key] + self.eps) * g
            self.u[key] = self.rho * self.u.get(key, 0) + (1 - self.rho) * delta * delta
            p -= self.lr * delta
""",
    },
    "Adam": {
        "state and step counter as class attributes": """
class Adam:
    t = 0
    m = {}
    v = {}
    v_max = {}

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
                self.v_max[key] = np.zeros(np.shape(g))
            self.m[key] = beta1 * self.m[key] + (1 - beta1) * g
            self.v[key] = beta2 * self.v[key] + (1 - beta2) * g * g
            self.v_max[key] = np.maximum(self.v_max[key], self.v[key])
            v = self.v_max[key] if self.amsgrad else self.v[key]
            m_hat = self.m[key] / (1 - beta1**self.t)
            params[key] -= self.lr * m_hat / (np.sqrt(v / (1 - beta2**self.t)) + self.eps)
""",
        "float32 parameters updated through a float64 copy": """
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            p = np.asarray(params[key], dtype=float)
            self.m[key] = beta1 * self.m.get(key, 0) + (1 - beta1) * g
            self.v[key] = beta2 * self.v.get(key, 0) + (1 - beta2) * g * g
            self.v_max[key] = np.maximum(self.v_max.get(key, 0), self.v[key])
            v = self.v_max[key] if self.amsgrad else self.v[key]
            m_hat = self.m[key] / (1 - beta1**self.t)
            p -= self.lr * m_hat / (np.sqrt(v / (1 - beta2**self.t)) + self.eps)
""",
        "state in lists by position": """
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = []
        self.v = []
        self.v_max = []

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        for i, key in enumerate(params):
            g = grads[key]
            if i >= len(self.m):
                self.m.append(np.zeros(np.shape(g)))
                self.v.append(np.zeros(np.shape(g)))
                self.v_max.append(np.zeros(np.shape(g)))
            self.m[i] = beta1 * self.m[i] + (1 - beta1) * g
            self.v[i] = beta2 * self.v[i] + (1 - beta2) * g * g
            self.v_max[i] = np.maximum(self.v_max[i], self.v[i])
            v = self.v_max[i] if self.amsgrad else self.v[i]
            m_hat = self.m[i] / (1 - beta1**self.t)
            params[key] -= self.lr * m_hat / (np.sqrt(v / (1 - beta2**self.t)) + self.eps)
""",
    },
    "Nadam": {
        "mutable default state (m={}, v={} shared by every instance)": """
class Nadam:
    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3, m={}, v={}):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = m
        self.v = v

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        self.mu_product *= mu
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] = beta1 * self.m[key] + (1 - beta1) * g
            self.v[key] = beta2 * self.v[key] + (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / (1 - beta2**t)) + self.eps
            params[key] -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            params[key] -= self.lr * mu_next / (1 - self.mu_product * mu_next) * self.m[key] / denom
""",
        "pairs parameters and gradients by position": """
class Nadam:
    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        self.mu_product *= mu
        for key, g in zip(params, grads.values()):
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] = beta1 * self.m[key] + (1 - beta1) * g
            self.v[key] = beta2 * self.v[key] + (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / (1 - beta2**t)) + self.eps
            params[key] -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            params[key] -= self.lr * mu_next / (1 - self.mu_product * mu_next) * self.m[key] / denom
""",
        "float32 parameters updated through a float64 copy": """
class Nadam:
    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * self.momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * self.momentum_decay))
        self.mu_product *= mu
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            p = np.asarray(params[key], dtype=float)
            self.m[key] = beta1 * self.m.get(key, 0) + (1 - beta1) * g
            self.v[key] = beta2 * self.v.get(key, 0) + (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / (1 - beta2**t)) + self.eps
            p -= self.lr * (1 - mu) / (1 - self.mu_product) * g / denom
            p -= self.lr * mu_next / (1 - self.mu_product * mu_next) * self.m[key] / denom
""",
    },
}

CORRECT = {
    "SGD": {
        "np.subtract with out=, looping over grads": """
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key, g in grads.items():
            np.subtract(params[key], self.lr * g, out=params[key])
""",
        "slice assignment p[...] = p - η·g": """
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            p = params[key]
            p[...] = p - self.lr * np.asarray(grads[key])
""",
    },
    "Momentum": {
        "the book's v-form (v = μv − ηg, θ += v)": """
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.v:
                self.v[key] = np.zeros(np.shape(grads[key]))
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]
""",
        "zero buffer, b = μb + g from the first step on, float32 state": """
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        for key, g in grads.items():
            b = self.b.setdefault(key, np.zeros_like(params[key]))
            b *= self.momentum
            b += g
            params[key] -= self.lr * b
""",
    },
    "Nesterov": {
        "the book's v-form with the old v (θ += μ²v − (1+μ)ηg, then v = μv − ηg)": """
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = {}

    def update(self, params, grads):
        mu = self.momentum
        for key in params:
            g = grads[key]
            v = self.v.get(key, np.zeros(np.shape(g)))
            params[key] += mu * mu * v - (1 + mu) * self.lr * g
            self.v[key] = mu * v - self.lr * g
""",
        "look-ahead gradient g' = g + μb, buffers rebound each step": """
class Nesterov:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.b = {}

    def update(self, params, grads):
        for key, g in grads.items():
            b = g + self.momentum * self.b[key] if key in self.b else np.array(g, dtype=float)
            self.b[key] = b
            look_ahead = g + self.momentum * b
            params[key] -= self.lr * look_ahead
""",
    },
    "AdaGrad": {
        "np.add with out=, h ** 0.5": """
class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key, g in grads.items():
            h = self.h.setdefault(key, np.zeros(np.shape(g)))
            np.add(h, np.square(g), out=h)
            params[key] -= self.lr * g / (h**0.5 + self.eps)
""",
        "state in the parameter's dtype, per-entry learning rate first": """
class AdaGrad:
    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps
        self.h = {}

    def update(self, params, grads):
        for key in params:
            if key not in self.h:
                self.h[key] = np.zeros_like(params[key])
            self.h[key] = self.h[key] + grads[key] ** 2
            rate = self.lr / (np.sqrt(self.h[key]) + self.eps)
            params[key] -= rate * grads[key]
""",
    },
    "RMSprop": {
        "s += (1 − α)(g² − s)": """
class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.s = {}

    def update(self, params, grads):
        for key, g in grads.items():
            s = self.s.setdefault(key, np.zeros(np.shape(g)))
            s += (1 - self.alpha) * (g * g - s)
            params[key] -= self.lr * g / (np.sqrt(s) + self.eps)
""",
        "one state dict per parameter, np.square and np.divide": """
class RMSprop:
    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8):
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.state = {}

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            state = self.state.setdefault(key, {"square_avg": np.zeros(np.shape(g))})
            state["square_avg"] = self.alpha * state["square_avg"] + (1 - self.alpha) * np.square(g)
            params[key] -= self.lr * np.divide(g, np.sqrt(state["square_avg"]) + self.eps)
""",
    },
    "AdaDelta": {
        "one square root of the ratio": """
class AdaDelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.s = {}
        self.u = {}

    def update(self, params, grads):
        for key, g in grads.items():
            s = self.rho * self.s.get(key, 0.0) + (1 - self.rho) * g * g
            u = self.u.get(key, np.zeros(np.shape(g)))
            delta = np.sqrt((u + self.eps) / (s + self.eps)) * g
            self.s[key] = s
            self.u[key] = self.rho * u + (1 - self.rho) * delta**2
            params[key] -= self.lr * delta
""",
        "state as a (s, u) pair per name, in the parameter's dtype": """
class AdaDelta:
    def __init__(self, lr=1.0, rho=0.9, eps=1e-6):
        self.lr = lr
        self.rho = rho
        self.eps = eps
        self.state = {}

    def update(self, params, grads):
        for key in params:
            g = grads[key]
            s, u = self.state.get(key, (np.zeros_like(params[key]), np.zeros_like(params[key])))
            s = self.rho * s + (1 - self.rho) * g * g
            delta = np.sqrt(u + self.eps) * g / np.sqrt(s + self.eps)
            u = self.rho * u + (1 - self.rho) * delta * delta
            self.state[key] = (s, u)
            params[key] -= self.lr * delta
""",
    },
    "Adam": {
        "the ε-hat form with ε·√(1 − β₂ᵗ) (the same algorithm as torch's)": """
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.t = 0
        self.m = {}
        self.v = {}
        self.v_max = {}

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        root_bias2 = np.sqrt(1 - beta2**self.t)
        lr_t = self.lr * root_bias2 / (1 - beta1**self.t)
        for key, g in grads.items():
            m = self.m.get(key, 0.0) * beta1 + (1 - beta1) * g
            v = self.v.get(key, 0.0) * beta2 + (1 - beta2) * g * g
            self.m[key], self.v[key] = m, v
            if self.amsgrad:
                v = self.v_max[key] = np.maximum(self.v_max.get(key, 0.0), v)
            params[key] -= lr_t * m / (np.sqrt(v) + self.eps * root_bias2)
""",
        "nested state per name, bias corrections applied to copies": """
class Adam:
    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, amsgrad=False):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.amsgrad = amsgrad
        self.step_count = 0
        self.state = {}

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.step_count += 1
        t = self.step_count
        for key in params:
            g = np.asarray(grads[key], dtype=float)
            if key not in self.state:
                self.state[key] = {"m": np.zeros_like(g), "v": np.zeros_like(g), "v_max": np.zeros_like(g)}
            st = self.state[key]
            st["m"] = beta1 * st["m"] + (1 - beta1) * g
            st["v"] = beta2 * st["v"] + (1 - beta2) * g**2
            st["v_max"] = np.maximum(st["v_max"], st["v"])
            m_hat = st["m"] / (1 - beta1**t)
            v_hat = (st["v_max"] if self.amsgrad else st["v"]) / (1 - beta2**t)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
""",
    },
    "Nadam": {
        "the two terms in one step": """
class Nadam:
    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.mu_product = 1.0
        self.m = {}
        self.v = {}

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        mu = beta1 * (1 - 0.5 * 0.96 ** (self.t * self.momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((self.t + 1) * self.momentum_decay))
        self.mu_product *= mu
        grad_weight = (1 - mu) / (1 - self.mu_product)
        momentum_weight = mu_next / (1 - self.mu_product * mu_next)
        for key, g in grads.items():
            self.m[key] = beta1 * self.m.get(key, 0.0) + (1 - beta1) * g
            self.v[key] = beta2 * self.v.get(key, 0.0) + (1 - beta2) * g * g
            denom = np.sqrt(self.v[key] / (1 - beta2**self.t)) + self.eps
            params[key] -= self.lr * (grad_weight * g + momentum_weight * self.m[key]) / denom
""",
        "the schedule with np.power and the μ-product recomputed from the schedule": """
class Nadam:
    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, momentum_decay=4e-3):
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.momentum_decay = momentum_decay
        self.t = 0
        self.m = {}
        self.v = {}

    def _mu(self, t):
        return self.betas[0] * (1 - 0.5 * np.power(0.96, t * self.momentum_decay))

    def update(self, params, grads):
        beta1, beta2 = self.betas
        self.t += 1
        t = self.t
        product = float(np.prod([self._mu(i) for i in range(1, t + 1)]))
        mu, mu_next = self._mu(t), self._mu(t + 1)
        for key in params:
            g = grads[key]
            if key not in self.m:
                self.m[key] = np.zeros(np.shape(g))
                self.v[key] = np.zeros(np.shape(g))
            self.m[key] = beta1 * self.m[key] + (1 - beta1) * g
            self.v[key] = beta2 * self.v[key] + (1 - beta2) * np.square(g)
            denom = np.sqrt(self.v[key] / (1 - beta2**t)) + self.eps
            params[key] -= self.lr * (1 - mu) / (1 - product) * g / denom
            params[key] -= self.lr * mu_next / (1 - product * mu_next) * self.m[key] / denom
""",
    },
}

for _name, _wrong in EXTRA_WRONG.items():
    MUTANTS[_name]["wrong"].update(_wrong)
    MUTANTS[_name]["correct"] = CORRECT[_name]
