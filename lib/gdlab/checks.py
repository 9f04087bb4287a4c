"""Assertions used by the notebooks' test cells.

Every check raises ``AssertionError`` with a message that says *what* is wrong
(the call, what came back, what was expected) and, where a common mistake
explains the difference, *why* ("exactly twice the expected value: did you
forget the 1/2?"). Nothing here knows any exercise's answer: the expected
values live in the test cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "CheckFailure",
    "RaisedError",
    "check_close",
    "check_equal",
    "check_raises",
    "check_shape",
    "check_dtype",
    "check_unchanged",
    "check_true",
    "describe",
]

# A hint is (candidate, message): when the student's value is close to
# `candidate`, `message` explains the likely mistake.
Hint = tuple[Any, str]


class CheckFailure(AssertionError):
    """A failed check; an ``AssertionError`` so plain ``assert`` readers understand it."""


def describe(value: Any, limit: int = 6) -> str:
    """Return a short, readable description of ``value`` for failure messages.

    Arrays show their shape, dtype and first few entries; everything else its repr.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()  # a 0-d array reads as the number it holds
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray):
        flat = value.ravel()
        shown = np.array2string(flat[:limit], precision=6, separator=", ")
        more = ", ..." if flat.size > limit else ""
        return f"array(shape={value.shape}, dtype={value.dtype}, values={shown[:-1]}{more}])"
    if isinstance(value, float):
        return f"{value:.10g}"
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _fail(message: str) -> None:
    raise CheckFailure(message)


def _as_array(value: Any, what: str) -> np.ndarray:
    if value is None:
        _fail(f"{what} returned None: did you forget a `return` statement?")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{what} returned {describe(value)}, which is not a number or an array of numbers.")
    return array


def _matching_hints(actual: np.ndarray, hints: Iterable[Hint], rtol: float, atol: float) -> list[str]:
    found = []
    for candidate, message in hints:
        try:
            candidate_array = np.asarray(candidate, dtype=float)
            if candidate_array.shape == actual.shape and np.allclose(
                actual, candidate_array, rtol=rtol, atol=atol, equal_nan=True
            ):
                found.append(message)
        except (TypeError, ValueError):
            continue
    return found


def _automatic_hints(
    actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float, *, factors: bool = True
) -> list[str]:
    """Hints that apply to every numeric exercise.

    ``factors`` adds the factor-2 and sign guesses; a test that names its own likely
    mistakes turns them off, since a value off by exactly 2 has many other causes there
    (a rounded exponent of 1/2, say).
    """
    hints: list[Hint] = []
    if factors and np.any(expected != 0):
        hints += [
            (
                2 * expected,
                "your value is exactly twice the expected one: a factor 2 (or a missing 1/2) slipped in?",
            ),
            (expected / 2, "your value is exactly half the expected one: a factor 1/2 too many?"),
            (-expected, "your value has the wrong sign."),
        ]
    found = _matching_hints(actual, hints, rtol, atol)
    if not found and actual.size == expected.size and actual.shape != expected.shape:
        found.append("the numbers may be right but the shape differs: check reshape/keepdims/axis.")
    if np.isnan(actual).any() and not np.isnan(expected).any():
        found.append("your result contains nan: log(0), 0/0 or inf - inf somewhere?")
    elif np.isinf(actual).any() and not np.isinf(expected).any():
        found.append("your result contains inf: an overflow (exp of a large number?) or a division by zero?")
    return found


def check_close(
    actual: Any,
    expected: Any,
    what: str = "your function",
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    hints: Sequence[Hint] = (),
) -> None:
    """Check that ``actual`` equals ``expected`` within tolerance, shape included.

    ``what`` names the call in the message (e.g. ``"mean_squared_error(y, t)"``);
    ``hints`` pairs values a typical mistake produces with the explanation shown
    when the student's result matches one of them.
    """
    actual_array = _as_array(actual, what)
    expected_array = np.asarray(expected, dtype=float)
    if actual_array.shape != expected_array.shape:
        extra = _matching_hints(actual_array, hints, rtol, atol)
        if extra:
            pass  # the test's own hint names the mistake; a generic guess would only contradict it
        elif actual_array.size == expected_array.size:
            extra.append("the numbers may be right but the shape differs: check reshape/keepdims/axis.")
        elif expected_array.ndim == 0 and actual_array.ndim > 0:
            extra.append("expected a single number: did you forget to sum or average?")
        _fail(
            f"{what} returned shape {actual_array.shape}, expected shape {expected_array.shape}.\n"
            f"  got:      {describe(actual)}\n  expected: {describe(expected_array)}"
            + "".join(f"\nHint: {h}" for h in extra)
        )
    if np.allclose(actual_array, expected_array, rtol=rtol, atol=atol, equal_nan=True):
        return
    found = _matching_hints(actual_array, hints, rtol, atol) or _automatic_hints(
        actual_array, expected_array, rtol, atol, factors=not hints
    )
    wrong = ~np.isclose(actual_array, expected_array, rtol=rtol, atol=atol, equal_nan=True)
    where = ""
    if actual_array.ndim > 0:
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        where = f"\n  {int(wrong.sum())} of {wrong.size} entries differ; first at index {first}: got {actual_array[first]:.10g}, expected {expected_array[first]:.10g}"
    _fail(
        f"{what} returned a wrong value.\n  got:      {describe(actual)}\n  expected: {describe(expected_array)}"
        + where
        + "".join(f"\nHint: {h}" for h in found)
    )


def check_equal(actual: Any, expected: Any, what: str = "your function", *, hint: str = "") -> None:
    """Check exact equality (strings, labels, integers, tuples)."""
    if actual is None and expected is not None:
        _fail(f"{what} returned None: did you forget a `return` statement?")
    if isinstance(actual, np.ndarray) or isinstance(expected, np.ndarray):
        same = np.shape(actual) == np.shape(expected) and bool(
            np.all(np.asarray(actual) == np.asarray(expected))
        )
    else:
        same = actual == expected
    if not same:
        _fail(
            f"{what} returned {describe(actual)}, expected {describe(expected)}."
            + (f"\nHint: {hint}" if hint else "")
        )


def check_true(condition: Any, message: str) -> None:
    """Fail with ``message`` unless ``condition`` is true."""
    if not bool(condition):
        _fail(message)


class RaisedError:
    """What ``check_raises`` returns: the exception it caught, displayed as nothing.

    A passing test cell that ends in ``check_raises(...)`` must not show an exception as
    its output (it would look failed), so this wrapper has an empty notebook display;
    ``str()``, ``args`` and every other attribute are the caught exception's.
    """

    def __init__(self, exception: BaseException) -> None:
        self.exception = exception

    def __str__(self) -> str:
        return str(self.exception)

    def __repr__(self) -> str:
        return f"RaisedError({self.exception!r})"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.exception, name)

    def _ipython_display_(self) -> None:
        """Display nothing (IPython calls this instead of showing the repr)."""


def check_raises(
    expected: type[BaseException] | tuple[type[BaseException], ...],
    call: Callable[[], Any],
    what: str = "your function",
    *,
    hint: str = "",
) -> RaisedError:
    """Check that ``call()`` raises ``expected``; return it (``.exception``) for further checks."""
    names = " or ".join(e.__name__ for e in expected) if isinstance(expected, tuple) else expected.__name__
    try:
        result = call()
    except expected as error:
        return RaisedError(error)
    except Exception as error:  # noqa: BLE001 - the wrong exception type is the finding
        _fail(
            f"{what} raised {type(error).__name__}({error}), expected {names}."
            + (f"\nHint: {hint}" if hint else "")
        )
    _fail(
        f"{what} returned {describe(result)} instead of raising {names}."
        + (f"\nHint: {hint}" if hint else "")
    )
    raise AssertionError("unreachable")  # for type checkers


def check_shape(actual: Any, shape: tuple[int, ...], what: str = "your function") -> None:
    """Check that ``actual`` is an array of the given shape."""
    if actual is None:
        _fail(f"{what} returned None: did you forget a `return` statement?")
    got = np.shape(actual)
    if got != tuple(shape):
        _fail(f"{what} returned shape {got}, expected {tuple(shape)}.")


def check_dtype(actual: Any, kind: str, what: str = "your function") -> None:
    """Check the numpy dtype kind of ``actual``: ``"f"`` float, ``"i"`` integer, ``"b"`` bool."""
    got = np.asarray(actual).dtype
    if got.kind != kind:
        names = {"f": "floating point", "i": "integer", "u": "unsigned integer", "b": "boolean"}
        _fail(f"{what} returned dtype {got}, expected a {names.get(kind, kind)} dtype.")


def check_unchanged(before: np.ndarray, after: np.ndarray, what: str = "your function") -> None:
    """Check that an input array was not modified in place by the student's code."""
    if np.shape(before) != np.shape(after) or not np.array_equal(before, after, equal_nan=True):
        _fail(f"{what} modified its input array in place. Work on a copy (e.g. `x = x.copy()`) instead.")


def is_finite_number(value: Any) -> bool:
    """True when ``value`` is a real, finite scalar."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
