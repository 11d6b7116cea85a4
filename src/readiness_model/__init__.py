"""readiness-model: score digital-government readiness from YAML rubrics.

Everyday names are re-exported here; deep imports are never needed::

    import readiness_model as rm
    rubric = rm.load_rubric("thai-dg-readiness-2016")
"""

from ._version import __version__
from .analysis.audit import (
    Audit,
    DuplicatePair,
    EffectiveWeight,
    IndicatorAudit,
    NodeAudit,
    audit,
)
from .analysis.diff import Movement, RubricChange, RubricDiff, WeightChange, diff_rubrics
from .analysis.distance import Distance, Shortfall, distance_to_target
from .analysis.examples import ExampleCheck, ExampleResult, check_examples
from .analysis.explain import Contribution, Explanation, explain
from .analysis.gap import AnswerChange, Gap, GapOption, gap
from .analysis.rollup import roll_up
from .analysis.sensitivity import Sensitivity, sensitivity
from .engine import score
from .engine.children import Children
from .engine.stats import ColumnStats
from .errors import (
    AnswersNotFoundError,
    AnswerWarning,
    Location,
    Problem,
    ReadinessError,
    ReadinessWarning,
    ReadingNote,
    ResponseError,
    RubricError,
    RubricNotFoundError,
    UnknownAgencyError,
)
from .interop import MissingExtraError
from .io.rubric_yaml import dump_rubric, load_rubric, rubric_from_yaml
from .io.schema import rubric_schema
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
    Scale,
    Text,
    TrendClass,
    register_scale,
    scale_types,
)
from .model.methods import (
    Param,
    aggregations,
    normalizations,
    register_aggregation,
    register_normalization,
)
from .report import radar_svg, render_report
from .report.workbook import write_results_workbook
from .responses import ResponseSet
from .responses.files import load_responses, write_responses
from .responses.template import write_template
from .results import AgencyResult, Provenance, Results

__all__ = [
    "AgencyResult",
    "Aggregation",
    "AnswerChange",
    "AnswerWarning",
    "AnswersNotFoundError",
    "Audit",
    "Band",
    "BinaryScale",
    "ChecklistScale",
    "Children",
    "ChoiceScale",
    "ColumnStats",
    "Contribution",
    "Defaults",
    "Dimension",
    "Distance",
    "DuplicatePair",
    "EffectiveWeight",
    "Example",
    "ExampleCheck",
    "ExampleResult",
    "Explanation",
    "Gap",
    "GapOption",
    "Group",
    "Indicator",
    "IndicatorAudit",
    "Location",
    "MissingExtraError",
    "Movement",
    "NodeAudit",
    "Normalization",
    "NumericScale",
    "OrdinalScale",
    "Param",
    "Problem",
    "Provenance",
    "Range",
    "ReadinessError",
    "ReadinessWarning",
    "ReadingNote",
    "ResponseError",
    "ResponseSet",
    "Results",
    "Rubric",
    "RubricChange",
    "RubricDiff",
    "RubricError",
    "RubricNotFoundError",
    "Scale",
    "Sensitivity",
    "Shortfall",
    "Text",
    "TrendClass",
    "UnknownAgencyError",
    "WeightChange",
    "__version__",
    "aggregations",
    "audit",
    "check_examples",
    "diff_rubrics",
    "distance_to_target",
    "dump_rubric",
    "explain",
    "gap",
    "load_responses",
    "load_rubric",
    "normalizations",
    "radar_svg",
    "register_aggregation",
    "register_normalization",
    "register_scale",
    "render_report",
    "roll_up",
    "rubric_from_yaml",
    "rubric_schema",
    "scale_types",
    "score",
    "sensitivity",
    "shipped_rubrics",
    "write_responses",
    "write_results_workbook",
    "write_template",
]
