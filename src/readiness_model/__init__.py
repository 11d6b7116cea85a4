"""readiness-model: score digital-government readiness from YAML rubrics.

Everyday names are re-exported here; deep imports are never needed::

    import readiness_model as rm
    rubric = rm.load_rubric("thai-dg-readiness-2016")
"""

from ._version import __version__
from .analysis.rollup import roll_up
from .errors import Location, Problem, ReadinessError, ResponseError, RubricError
from .engine import score
from .io.responses_io import load_responses, write_responses
from .io.shipped import shipped_rubrics
from .model import (
    Aggregation,
    Band,
    BinaryScale,
    ChecklistScale,
    ChoiceScale,
    Defaults,
    Dimension,
    Example,
    Group,
    Indicator,
    Normalization,
    NumericScale,
    OrdinalScale,
    Range,
    Rubric,
    Text,
    TrendClass,
)
from .responses import ResponseSet
from .results import AgencyResult, Provenance, Results

__all__ = [
    "AgencyResult",
    "Provenance",
    "ResponseSet",
    "Results",
    "score",
    "Aggregation",
    "Band",
    "BinaryScale",
    "ChecklistScale",
    "ChoiceScale",
    "Defaults",
    "Dimension",
    "Example",
    "Group",
    "Indicator",
    "Location",
    "Normalization",
    "NumericScale",
    "OrdinalScale",
    "Problem",
    "Range",
    "ReadinessError",
    "ResponseError",
    "Rubric",
    "RubricError",
    "Text",
    "TrendClass",
    "__version__",
    "shipped_rubrics",
    "load_responses",
    "write_responses",
    "roll_up",
]
