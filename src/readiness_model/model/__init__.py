"""The domain model: frozen, validated attrs classes. Knows nothing of files."""

from .classes import Band, Group, Range, TrendClass
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
    "NumericScale",
    "OrdinalScale",
    "Range",
    "Rubric",
    "Scale",
    "Text",
    "TrendClass",
    "register_scale",
    "scale_type",
    "scale_types",
]
