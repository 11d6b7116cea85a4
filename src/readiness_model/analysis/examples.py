"""Golden examples: run a rubric's ``examples:`` and compare with what they expect.

Each example is scored on its own (a one-row response set in period 0), so a
population-relative method sees a population of one; write examples for such
rubrics with that in mind. Scores are compared as reported (rounded when the rubric
sets ``rounding``): an example passes when every expected value is within ``tol``
(absolute, plus 1e-9 relative slack for binary noise) and the band is the same.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import TYPE_CHECKING, Any

import attrs

from .._args import require
from ..errors import Location, Problem, ResponseError
from ..model import Example, Rubric
from ..responses import ResponseSet

if TYPE_CHECKING:
    from ..io.yaml_nodes import Document

__all__ = ["ExampleCheck", "ExampleResult", "check_examples", "example_problems"]


@attrs.frozen(slots=True)
class ExampleCheck:
    """One expectation of an example.

    Attributes:
        key: ``overall``, ``band``, ``status``, ``coverage`` or ``dimensions.<node id>``.
        expected: The value the example expects.
        actual: The value scoring gave (NaN/None when there is none).
        tol: Absolute tolerance (0 for the band and the status).
        passed: Whether the actual value matches.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])],
        ...     examples=[rm.Example("x", answers={"a": "yes"}, expect={"overall": 100})])
        >>> c = rm.check_examples(r)[0].checks[0]
        >>> isinstance(c, rm.ExampleCheck), c.key, c.passed, c.describe()
        (True, 'overall', True, 'overall 100 (expected 100 ± 1e-06)')

    .. versionadded:: 0.1.0
    """

    key: str
    expected: float | str | None
    actual: float | str | None
    tol: float
    passed: bool

    def describe(self) -> str:
        """``overall 62.99 (expected 62.99 ± 0.01)`` or ``band developed (expected ...)``.

        Example:
            >>> ExampleCheck("band", "good", "weak", 0.0, False).describe()
            'band weak (expected good)'
        """
        if self.key in ("band", "status"):
            return f"{self.key} {self.actual} (expected {self.expected})"
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
        unanswered: The rubric's indicators the example gives no answer (they count as
            missing), in column order.
        scores: Every node's score (reported scale) as ``(node id, score)``, parents
            first; empty when the example could not be scored.
        location: Where the example is written (with a document), or None.

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
    .. versionchanged:: 0.2.0 ``unanswered``, ``scores`` and ``location``.
    """

    agency: str
    passed: bool
    checks: tuple[ExampleCheck, ...]
    error: str | None = None
    unanswered: tuple[str, ...] = ()
    scores: tuple[tuple[str, float], ...] = ()
    location: Location | None = None

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


def _record(ex: Example) -> dict[str, Any]:
    answers = {k: list(v) if isinstance(v, tuple) else v for k, v in ex.answers}
    return {"agency": ex.agency, "period": 0, **answers}


def _run(rubric: Rubric, ex: Example, location: Location | None = None) -> ExampleResult:
    from ..engine import score

    given = {k for k, _ in ex.answers}
    unanswered = tuple(x.id for x in rubric.indicators if x.id not in given)
    try:
        rs = ResponseSet.from_records([_record(ex)], rubric)
        res = score(rubric, rs)
    except ResponseError as err:
        return ExampleResult(
            ex.agency,
            False,
            (),
            error="; ".join(p.message for p in err.problems),
            unanswered=unanswered,
            location=location,
        )
    checks: list[ExampleCheck] = []
    for key, want in ex.expect:
        if key in ("band", "status"):
            got = (res.band if key == "band" else res.status)[0]
            checks.append(ExampleCheck(key, want, got, 0.0, got == want))
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
    scores = tuple((d.id, float(res.node(d.id)[0])) for d in rubric.all_dimensions)
    return ExampleResult(
        ex.agency,
        all(c.passed for c in checks),
        tuple(checks),
        unanswered=unanswered,
        scores=scores,
        location=location,
    )


def check_examples(rubric: Rubric, document: Document | None = None) -> list[ExampleResult]:
    """Score each of the rubric's golden examples and compare with its expectations.

    Args:
        rubric: A rubric; its ``examples`` are checked (none: an empty list).
        document: The rubric's read document (``load_family(...).document``), to give
            each result the file, line and column of its example.

    Returns:
        One :class:`ExampleResult` per example, in the rubric's order. Invalid answers
        in an example give a failed result with ``error`` set (nothing is raised).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])], examples=[
        ...     rm.Example("x", answers={"a": "yes"}, expect={"overall": 50}),
        ...     rm.Example("y", answers={"a": "yes", "b": "yes"}, expect={"overall": 90})])
        >>> [(e.agency, e.passed, e.unanswered) for e in check_examples(r)]
        [('x', True, ('b',)), ('y', False, ())]
        >>> check_examples(r)[1].failures[0].describe()
        'overall 100 (expected 90 ± 1e-06)'

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``document``.
    """
    require(rubric, Rubric, "rubric")
    return [
        _run(rubric, ex, None if document is None else document.locate(f"$.examples[{i}]"))
        for i, ex in enumerate(rubric.examples)
    ]


def example_problems(rubric: Rubric, document: Document | None = None) -> list[Problem]:
    """Every answer of the golden examples that scoring could not read, as located
    problems (what ``readiness-model validate`` adds to the rubric's own checks).

    Answers are read exactly as :func:`check_examples` reads them, so an example that
    passes here cannot fail there for its answers.

    Example:
        >>> import readiness_model as rm
        >>> level = rm.OrdinalScale(("none", "planned", "executive_review"))
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("plan", scale=level)])],
        ...     examples=[rm.Example("x", answers={"plan": "exec_review"}, expect={})])
        >>> (p,) = example_problems(r)
        >>> p.message.split(": expected")[0]
        "example 'x': bad answer 'exec_review' for indicator 'plan'"
        >>> p.hint, p.path
        ("did you mean 'executive_review'?", '$.examples[0].answers.plan')

    .. versionadded:: 0.2.0
    """
    out: list[Problem] = []
    for i, ex in enumerate(rubric.examples):
        try:
            ResponseSet.from_records([_record(ex)], rubric)
        except ResponseError as err:
            for p in err.problems:
                key = p.path.split(".", 1)[1] if p.path.startswith("record ") else ""
                path = f"$.examples[{i}].answers.{key}" if key else f"$.examples[{i}]"
                words = re.findall(r"'([^']*)'", p.expected)
                got = p.got.strip("'")
                close = difflib.get_close_matches(got, words, 1, 0.6) if words else []
                message = p.message.replace(f" (agency {ex.agency!r}, period 0)", "")
                out.append(
                    Problem(
                        f"example {ex.agency!r}: {message}",
                        path,
                        None if document is None else document.locate(path),
                        hint=f"did you mean {close[0]!r}?" if close else p.hint,
                        expected=p.expected,
                        got=p.got,
                    )
                )
    return out
