"""Population statistics as a value: what population-relative methods, node rescale
and ranks read from a round, kept, saved exactly and merged across partitions.

:class:`Population` (:mod:`.value`), its statistics (:mod:`.stats`) and its JSON file
(:mod:`.json_file`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from .stats import (
    FORMAT,
    FORMAT_VERSION,
    ColumnStatistics,
    PeriodStatistics,
    Step,
    answers_digest,
    build_periods,
    combine_digests,
    fingerprint,
)
from .value import Population

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ColumnStatistics",
    "PeriodStatistics",
    "Population",
    "Step",
    "answers_digest",
    "build_periods",
    "combine_digests",
    "fingerprint",
]
