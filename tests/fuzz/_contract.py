"""What every fuzz test asserts, and how many cases it runs.

The default run is bounded so that the whole suite adds well under a minute to CI; the
long mode (``READINESS_FUZZ_LONG=1``, or ``READINESS_FUZZ_CASES=N``) is for nightly jobs
(docs/development.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

import readiness_model as rm
from readiness_model._args import TYPE_MESSAGE

LONG_CASES = 100_000
T = TypeVar("T")


def cases(default: int) -> int:
    """The number of cases of one fuzz test: ``default``, or the long mode's count."""
    if os.environ.get("READINESS_FUZZ_CASES"):
        return int(os.environ["READINESS_FUZZ_CASES"])
    if os.environ.get("READINESS_FUZZ_LONG", "") not in ("", "0"):
        return LONG_CASES
    return default


def fuzz(default: int) -> Callable[[T], T]:
    """Hypothesis settings of a fuzz test (derandomised in the default run, so that CI is
    reproducible; random in the long mode, so that each night explores new inputs)."""
    n = cases(default)
    return settings(  # type: ignore[return-value]
        max_examples=n,
        deadline=None,
        derandomize=n == default,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def located(err: rm.ReadinessError, *, in_file: bool) -> None:
    """Every problem names where it is: a path, and in a file a line."""
    assert err.problems, err
    for p in err.problems:
        if in_file:
            assert p.location is not None, p
            assert p.location.line is not None, p
        else:
            assert p.path or p.location is not None, p


def attempt(call: Callable[[], T], *, in_file: bool) -> T | None:
    """``call()``, or None when it failed the allowed way (a located ReadinessError, or
    a TypeError in the documented form); anything else fails the test."""
    try:
        return call()
    except rm.ReadinessError as err:
        located(err, in_file=in_file)
    except TypeError as err:
        assert TYPE_MESSAGE.match(str(err)), f"TypeError outside the contract: {err}"  # noqa: PT017
    return None


def no_escape(call: Callable[[], Any]) -> None:
    """Run ``call`` (a use of data that was accepted): a ReadinessError is allowed (a
    located one), nothing else."""
    attempt(call, in_file=False)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into nested dicts and lists (the root first), for mutating documents."""
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*prefix, i))
    return out


def get_at(data: Any, path: tuple[Any, ...]) -> Any:
    """The value at ``path`` (as :func:`paths` gives it)."""
    for p in path:
        data = data[p]
    return data
