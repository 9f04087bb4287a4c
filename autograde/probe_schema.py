"""The strict schema of a probe result, checked on the trusted side before anything compares it.

A probe runs inside the student's kernel, so what comes back is the student's to
forge: any type, any size, any depth. Only plain data of a bounded size passes
(see :func:`gdlab_autograde.probes.to_plain`); anything else becomes
``{"malformed probe result": why}``, which never agrees with the reference, so
that test cell scores 0 and the batch goes on.
"""

from __future__ import annotations

import math
from typing import Any

from gdlab_autograde.probes import ARRAY_KEYS, MAX_DEPTH

MALFORMED = "malformed probe result"
MAX_NODES = 400_000  # an array of to_plain's 100,000 numbers and then some
MAX_STRING = 10_000
MAX_KEY = 200
MAX_INT = 2**63  # integers a probe returns are counts and indices; beyond this is a forgery
NON_FINITE = {"nan", "inf", "-inf"}


class MalformedProbe(ValueError):
    """A probe result outside the schema."""


def parse_payloads(payloads: list[Any], undecodable: int = 0) -> Any:
    """The result of one probe execution from the probe payloads it displayed, or the malformed marker.

    Exactly one payload ``{"result": <plain data>}`` is accepted: a second display of
    the probe's output type (by the student's code during the probe) makes it malformed.
    """
    try:
        if undecodable:
            raise MalformedProbe(f"{undecodable} message(s) the grader could not decode")
        if len(payloads) != 1:
            raise MalformedProbe(f"{len(payloads)} results instead of one")
        payload = payloads[0]
        if not isinstance(payload, dict) or set(payload) != {"result"}:
            raise MalformedProbe("not a probe result")
        check_plain(payload["result"])
        return payload["result"]
    except MalformedProbe as why:
        return {MALFORMED: str(why)[:200]}
    except (RecursionError, MemoryError, TypeError, ValueError):
        return {MALFORMED: "unreadable"}


def is_malformed(result: Any) -> bool:
    """Whether a parsed result is the malformed marker."""
    return isinstance(result, dict) and set(result) == {MALFORMED}


def check_plain(value: Any) -> None:
    """Raise :class:`MalformedProbe` unless ``value`` is bounded plain probe data (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise MalformedProbe("too large")
        if depth > MAX_DEPTH:
            raise MalformedProbe("nested too deeply")
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, int):
            if abs(item) > MAX_INT:
                raise MalformedProbe("an integer beyond range")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise MalformedProbe("a non-finite number")
        elif isinstance(item, str):
            if len(item) > MAX_STRING:
                raise MalformedProbe("a string too long")
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, dict):
            keys = set(item)
            if not all(isinstance(k, str) and len(k) <= MAX_KEY for k in keys):
                raise MalformedProbe("a dict with keys that are not short strings")
            # An encoded array, or a part of one; a probe's own dict may also hold a "kind" or a "shape".
            if "array" in keys or (keys and keys <= ARRAY_KEYS):
                _check_array(item)
                nodes += len(item["array"])
                continue
            stack.extend((child, depth + 1) for child in item.values())
        else:
            raise MalformedProbe(f"a value of type {type(item).__name__}")


def _check_array(item: dict) -> None:
    if set(item) != ARRAY_KEYS:
        raise MalformedProbe("an array with unexpected keys")
    numbers, shape, kind = item["array"], item["shape"], item["kind"]
    if not (isinstance(kind, str) and len(kind) == 1 and kind in "biuf"):
        raise MalformedProbe("an array of an unknown kind")
    if not (isinstance(shape, list) and len(shape) <= 32 and all(_is_count(n) for n in shape)):
        raise MalformedProbe("an array with a malformed shape")
    if not isinstance(numbers, list) or len(numbers) > MAX_NODES or math.prod(shape) != len(numbers):
        raise MalformedProbe("an array whose size does not match its shape")
    for x in numbers:
        if isinstance(x, bool) or not (
            (isinstance(x, float) and math.isfinite(x))
            or (isinstance(x, int) and abs(x) <= MAX_INT)
            or x in NON_FINITE
        ):
            raise MalformedProbe("an array with a value that is not a number")


def _is_count(n: Any) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_NODES
