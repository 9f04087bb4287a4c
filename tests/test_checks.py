"""Unit tests of gdlab.checks: what a student reads when a test fails."""

from __future__ import annotations

import numpy as np
import pytest

from gdlab.checks import (
    CheckFailure,
    RaisedError,
    check_close,
    check_dtype,
    check_equal,
    check_raises,
    check_shape,
    check_true,
    check_unchanged,
    describe,
    is_finite_number,
)


def failure(call) -> str:
    with pytest.raises(CheckFailure) as info:
        call()
    return str(info.value)


def test_check_close_accepts_values_within_tolerance() -> None:
    check_close(0.1 + 0.2, 0.3, "sum")
    check_close(np.array([1.0, 2.0]), [1.0, 2.0 + 1e-12], "array")


def test_check_failure_is_an_assertion_error() -> None:
    assert issubclass(CheckFailure, AssertionError)


def test_twice_the_expected_value_suggests_a_missing_half() -> None:
    message = failure(lambda: check_close(0.195, 0.0975, "mean_squared_error(y, t)"))
    assert "mean_squared_error(y, t)" in message and "0.195" in message and "0.0975" in message
    assert "twice" in message


def test_half_and_sign_hints() -> None:
    assert "half" in failure(lambda: check_close(1.0, 2.0, "f"))
    assert "sign" in failure(lambda: check_close(-3.0, 3.0, "f"))


def test_custom_hint_wins_over_automatic_ones() -> None:
    message = failure(lambda: check_close(5.0, 1.0, "loss", hints=[(5.0, "you summed instead of averaging")]))
    assert "you summed instead of averaging" in message
    assert "twice" not in message


def test_none_means_a_missing_return() -> None:
    assert "forget a `return`" in failure(lambda: check_close(None, 1.0, "f(x)"))


def test_shape_mismatch_is_reported_with_both_shapes() -> None:
    message = failure(lambda: check_close(np.ones((3, 1)), np.ones(3), "softmax(a)"))
    assert "(3, 1)" in message and "(3,)" in message and "shape differs" in message


def test_array_instead_of_scalar_suggests_a_reduction() -> None:
    assert "sum or average" in failure(lambda: check_close(np.ones(4), 1.0, "loss"))


def test_nan_and_inf_are_explained() -> None:
    assert "nan" in failure(lambda: check_close(np.array([np.nan, 1.0]), [0.5, 1.0], "f"))
    assert "overflow" in failure(lambda: check_close(np.array([np.inf, 1.0]), [0.5, 1.0], "f"))


def test_first_differing_entry_is_located() -> None:
    message = failure(lambda: check_close(np.array([1.0, 2.0, 9.0]), [1.0, 2.0, 3.0], "f"))
    assert "1 of 3 entries differ" in message and "index (2,)" in message


def test_non_numeric_result_is_named() -> None:
    assert "not a number" in failure(lambda: check_close("abc", 1.0, "f"))


def test_check_equal() -> None:
    check_equal("converged", "converged", "classify_run(h)")
    check_equal(np.array([1, 2]), np.array([1, 2]))
    message = failure(
        lambda: check_equal("slow", "converged", "classify_run(h)", hint="look at the last step")
    )
    assert "'slow'" in message and "'converged'" in message and "look at the last step" in message
    assert "shape=(3,)" in failure(lambda: check_equal(np.array([1, 2]), np.array([1, 2, 3])))


def test_check_raises() -> None:
    error = check_raises(ValueError, lambda: int("x"), "int('x')")
    assert isinstance(error.exception, ValueError)
    assert str(error) == str(error.exception) and "invalid literal" in str(error)
    assert error.args == error.exception.args
    assert "instead of raising ValueError" in failure(lambda: check_raises(ValueError, lambda: 3, "f()"))
    assert "raised TypeError" in failure(lambda: check_raises(ValueError, lambda: len(5), "f()"))


def test_check_shape_dtype_unchanged_true() -> None:
    check_shape(np.zeros((2, 3)), (2, 3))
    assert "expected (3, 2)" in failure(lambda: check_shape(np.zeros((2, 3)), (3, 2)))
    check_dtype(np.zeros(2), "f")
    assert "floating point" in failure(lambda: check_dtype(np.zeros(2, dtype=int), "f"))
    check_unchanged(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
    assert "in place" in failure(lambda: check_unchanged(np.array([1.0]), np.array([2.0])))
    check_true(True, "never shown")
    assert failure(lambda: check_true(False, "the message")) == "the message"


def test_describe_and_is_finite_number() -> None:
    text = describe(np.arange(10.0))
    assert "shape=(10,)" in text and "float64" in text and "..." in text
    assert describe(0.1) == "0.1"
    assert is_finite_number(3) and is_finite_number(np.float32(2.5))
    assert not is_finite_number(float("inf")) and not is_finite_number("x") and not is_finite_number(None)


def test_check_raises_result_displays_nothing_in_a_notebook() -> None:
    from IPython.core.formatters import DisplayFormatter

    error = check_raises(ValueError, lambda: int("x"))
    assert isinstance(error, RaisedError)
    # IPython shows a cell's last value through its display formatter: nothing here.
    assert DisplayFormatter().format(error) == ({}, {})


def test_scalars_are_described_as_numbers() -> None:
    assert describe(np.array(2.5)) == "2.5"
    assert describe(np.float64(0.1)) == "0.1"
    assert describe(np.int64(3)) == "3"
    assert describe(np.array(7)) == "7"
    assert describe(np.bool_(True)) == "True"
    message = failure(lambda: check_close(np.array(0.5), 0.25, "f(x)"))
    assert "array(shape=()" not in message and "got:      0.5" in message and "expected: 0.25" in message


def test_a_test_with_its_own_hints_gets_no_factor_of_two_guess() -> None:
    # step_decay rounding 9/10 up instead of flooring gives exactly half: not a stray 1/2.
    message = failure(
        lambda: check_close(0.05, 0.1, "step_decay(0.1, 9)", hints=[(0.1 * 0.5**0.9, "no floor")])
    )
    assert "half" not in message and "no floor" not in message
    assert "half" in failure(lambda: check_close(0.05, 0.1, "f"))  # without hints the guess stays


def test_a_matching_shape_hint_is_not_followed_by_a_contradicting_one() -> None:
    message = failure(
        lambda: check_close(np.ones(3), 3.0, "loss(y)", hints=[(np.ones(3), "sum over axis=1, not axis=0")])
    )
    assert "sum over axis=1" in message and "forget to sum" not in message
    assert "forget to sum" in failure(lambda: check_close(np.ones(3), 3.0, "loss(y)"))
