"""What produced a result, and where a row of results comes from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = ["ANSWERED", "ROLLED_UP", "Provenance"]

ANSWERED = "answers"
"""The origin of a row scored from the agency's own answers."""
ROLLED_UP = "rolled_up"
"""The origin of a row rolled up from its children (:func:`readiness_model.roll_up`)."""


def _triples(value: Iterable[Sequence[object]]) -> tuple[tuple[str, str, str], ...]:
    return tuple((str(a), str(b), str(c)) for a, b, c in value)


@attrs.frozen(slots=True)
class Provenance:
    """What produced a result: rubric id, version, content hash, library version, and
    the chain of rubrics the rubric extends (``rubric_chain``: id, version and content
    hash of each, the base first; empty for a rubric that extends none) and every method
    the rubric used that is not built in (``methods``: kind, name and the providing
    package with its version).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> p = rm.score(r, rm.ResponseSet.from_array([[1]], ["x"], r)).provenance
        >>> p.rubric_id, p.rubric_version, p.rubric_sha256 == r.content_hash
        ('t', '1', True)
        >>> p.rubric_chain, p.methods
        ((), ())
        >>> egdi = rm.load_rubric("un-egdi-2022")
        >>> p = rm.score(egdi, rm.ResponseSet.from_array([[1, 1, 1]], ["x"], egdi)).provenance
        >>> [(i, v) for i, v, _ in p.rubric_chain]
        [('un-egdi', 'base')]

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``rubric_chain`` and ``methods``.
    """

    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    library_version: str
    rubric_chain: tuple[tuple[str, str, str], ...] = attrs.field(default=(), converter=_triples)
    methods: tuple[tuple[str, str, str], ...] = attrs.field(default=(), converter=_triples)

    def to_dict(self) -> dict[str, Any]:
        """Plain data.

        Example:
            >>> Provenance("t", "1", "ab12", "0.1.0").to_dict()["rubric_sha256"]
            'ab12'
            >>> sorted(Provenance("t", "1", "ab12", "0.1.0").to_dict())
            ['library_version', 'methods', 'rubric_chain', 'rubric_id', 'rubric_sha256',
             'rubric_version']
        """
        return attrs.asdict(self)
