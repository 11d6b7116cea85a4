"""The domain model: frozen, validated attrs classes. Knows nothing of files."""

from .classes import Band, Group, Range, TrendClass
from .conventions import AnswerRule, NotAssessed, Ranking
from .method_choice import Aggregation, Normalization
from .nodes import Dimension, Indicator
from .rubric import Defaults, Example, Rubric
from .scales import (
    BinaryScale,
    ChecklistScale,
    ChoiceScale,
    NumericScale,
    OrdinalScale,
    Scale,
    register_scale,
    scale_type,
    scale_types,
)
from .text import Text

__all__ = [
    "Aggregation",
    "AnswerRule",
    "Band",
    "BinaryScale",
    "ChecklistScale",
    "ChoiceScale",
    "Defaults",
    "Dimension",
    "Example",
    "Group",
    "Indicator",
    "Normalization",
    "NotAssessed",
    "NumericScale",
    "OrdinalScale",
    "Range",
    "Ranking",
    "Rubric",
    "Scale",
    "Text",
    "TrendClass",
    "register_scale",
    "scale_type",
    "scale_types",
]
