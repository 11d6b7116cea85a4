"""Golden examples: run a rubric's ``examples:`` and compare with what they expect.

Each example is scored on its own (a one-row response set in period 0), so a
population-relative method sees a population of one; write examples for such
rubrics with that in mind. Scores are compared as reported (rounded when the rubric
sets ``rounding``): an example passes when every expected value is within ``tol``
(absolute, plus 1e-9 relative slack for binary noise) and the band is the same.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from ..errors import ResponseError
from ..model import Example, Rubric
from ..responses import ResponseSet

__all__ = ["ExampleCheck", "ExampleResult", "check_examples"]


@attrs.frozen(slots=True)
class ExampleCheck:
    """One expectation of an example.

    Attributes:
        key: ``overall``, ``band``, ``coverage`` or ``dimensions.<node id>``.
        expected: The value the example expects.
        actual: The value scoring gave (NaN/None when there is none).
        tol: Absolute tolerance (0 for the band).
        passed: Whether the actual value matches.

    .. versionadded:: 0.1.0
    """

    key: str
    expected: Any
    actual: Any
    tol: float
    passed: bool

    def describe(self) -> str:
        """``overall 62.99 (expected 62.99 ± 0.01)`` or ``band developed (expected ...)``."""
        if self.key == "band":
            return f"band {self.actual} (expected {self.expected})"
        label = self.key.replace("dimensions.", "")
        return f"{label} {_num(self.actual)} (expected {_num(self.expected)} ± {self.tol:g})"


@attrs.frozen(slots=True)
class ExampleResult:
    """The outcome of one golden example.

    Attributes:
        agency: The example's agency name.
        passed: True when every check passed and the answers were valid.
        checks: One :class:`ExampleCheck` per expectation, in the order written.
        error: Why the example could not be scored (its answers are invalid), or None.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])],
        ...     examples=[rm.Example("x", answers={"a": "maybe"}, expect={"overall": 0})])
        >>> result = rm.check_examples(r)[0]
        >>> result.agency, result.passed, result.checks
        ('x', False, ())
        >>> result.error.split(":")[0]
        "bad answer 'maybe' for indicator 'a' (agency 'x', period 0)"

    .. versionadded:: 0.1.0
    """

    agency: str
    passed: bool
    checks: tuple[ExampleCheck, ...]
    error: str | None = None

    @property
    def failures(self) -> tuple[ExampleCheck, ...]:
        """The checks that failed.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])],
            ...     examples=[rm.Example("x", answers={"a": "yes"}, expect={"overall": 90})])
            >>> [(c.key, c.expected, c.actual) for c in rm.check_examples(r)[0].failures]
            [('overall', 90.0, 100.0)]
        """
        return tuple(c for c in self.checks if not c.passed)


def _num(x: Any) -> str:
    if isinstance(x, float) and math.isnan(x):
        return "none"
    return f"{x:g}" if isinstance(x, float | int) else str(x)


def _close(actual: float, expected: float, tol: float) -> bool:
    if math.isnan(actual):
        return False
    return abs(actual - expected) <= tol + 1e-9 * max(1.0, abs(expected))


def _run(rubric: Rubric, ex: Example) -> ExampleResult:
    from ..engine import score

    answers = {k: list(v) if isinstance(v, tuple) else v for k, v in ex.answers}
    try:
        rs = ResponseSet.from_records([{"agency": ex.agency, "period": 0, **answers}], rubric)
        res = score(rubric, rs)
    except ResponseError as err:
        return ExampleResult(ex.agency, False, (), error="; ".join(p.message for p in err.problems))
    checks: list[ExampleCheck] = []
    for key, want in ex.expect:
        if key == "band":
            got = res.band[0]
            checks.append(ExampleCheck("band", want, got, 0.0, got == want))
        elif key in ("overall", "coverage"):
            got_f = float((res.overall if key == "overall" else res.coverage)[0])
            checks.append(ExampleCheck(key, want, got_f, ex.tol, _close(got_f, want, ex.tol)))
        else:  # dimensions
            for nid, dwant in want:
                got_f = float(res.node(nid)[0])
                checks.append(
                    ExampleCheck(
                        f"dimensions.{nid}", dwant, got_f, ex.tol, _close(got_f, dwant, ex.tol)
                    )
                )
    return ExampleResult(ex.agency, all(c.passed for c in checks), tuple(checks))


def check_examples(rubric: Rubric) -> list[ExampleResult]:
    """Score each of the rubric's golden examples and compare with its expectations.

    Args:
        rubric: A rubric; its ``examples`` are checked (none: an empty list).

    Returns:
        One :class:`ExampleResult` per example, in the rubric's order. Invalid answers
        in an example give a failed result with ``error`` set (nothing is raised).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])], examples=[
        ...     rm.Example("x", answers={"a": "yes"}, expect={"overall": 50}),
        ...     rm.Example("y", answers={"a": "yes", "b": "yes"}, expect={"overall": 90})])
        >>> [(e.agency, e.passed) for e in check_examples(r)]
        [('x', True), ('y', False)]
        >>> check_examples(r)[1].failures[0].describe()
        'overall 100 (expected 90 ± 1e-06)'

    .. versionadded:: 0.1.0
    """
    return [_run(rubric, ex) for ex in rubric.examples]
