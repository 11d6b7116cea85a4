"""JSON Schema (draft 2020-12) of the YAML rubric format, for editors and other tools.

The schema checks shape (keys, types, enums); the loader checks everything else
(unique ids, reachable bands, ...). Every object forbids unknown keys.
"""

from __future__ import annotations

import copy
from typing import Any

from ..model.nodes import AGGREGATIONS, DIRECTIONS, EFFORTS, MISSING_POLICIES, NORMALIZATIONS

__all__ = ["rubric_schema"]

_ID = r"^[A-Za-z_][A-Za-z0-9_.\-]*$"
_RUBRIC_ID = r"^[a-z0-9][a-z0-9\-]*$"


def _obj(
    description: str, props: dict[str, Any], required: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": props,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    out.update(extra)
    return out


def _ref(name: str, description: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}", "description": description}


def _num(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "number", "description": description, **extra}


def _ids(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "oneOf": [{"$ref": "#/$defs/id"}, {"type": "array", "items": {"$ref": "#/$defs/id"}}],
    }


def _labels(description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "description": description,
        "minItems": 1,
        "items": {"type": ["string", "number"]},
    }


def _values(description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "description": description,
        "items": {"type": "number", "minimum": 0, "maximum": 1},
    }


def _scale(
    kind: str, description: str, props: dict[str, Any], required: list[str] | None = None
) -> dict[str, Any]:
    all_props = {"type": {"const": kind, "description": "The scale type."}, **props}
    return _obj(description, all_props, ["type", *(required or [])])


_RANGE = {
    "min": _num("The value must be >= min."),
    "above": _num("The value must be > above."),
    "max": _num("The value must be <= max."),
    "below": _num("The value must be < below."),
}

_TITLES = {
    "title": _ref("text", "Short name shown in reports."),
    "description": _ref("text", "Longer explanation."),
}

_DEFS: dict[str, Any] = {
    "id": {
        "type": "string",
        "pattern": _ID,
        "description": "Identifier: a letter or '_' then letters, digits, '_', '-', '.'.",
    },
    "text": {
        "description": "Text, or a mapping of language code to text.",
        "oneOf": [
            {"type": "string"},
            {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
        ],
    },
    "aggregate": {
        "description": "How a node combines its children.",
        "oneOf": [
            {"type": "string", "enum": [a for a in AGGREGATIONS if a != "power"]},
            _obj("Power mean with exponent p.", {"power": _num("The exponent p.")}, ["power"]),
        ],
    },
    "missing": {
        "type": "string",
        "enum": list(MISSING_POLICIES),
        "description": "How an unanswered indicator counts.",
    },
    "normalize": {
        "description": "How answers become scores in [0, 1].",
        "oneOf": [
            {"type": "string", "enum": [n for n in NORMALIZATIONS if n != "target"]},
            _obj(
                "Normalisation with parameters.",
                {
                    "method": {
                        "type": "string",
                        "enum": list(NORMALIZATIONS),
                        "description": "The normalisation method.",
                    },
                    "target": _num("Target value (method 'target')."),
                },
                ["method"],
            ),
        ],
    },
    "scale": {
        "description": "How raw answers are read and scored.",
        "oneOf": [
            {"$ref": f"#/$defs/scale_{k}"}
            for k in ("binary", "ordinal", "numeric", "checklist", "choice")
        ],
    },
    "scale_binary": _scale("binary", "Yes/no: yes = 1, no = 0.", {}),
    "scale_ordinal": _scale(
        "ordinal",
        "Ordered levels scored i / (k - 1) or by values.",
        {
            "levels": _labels("The levels, lowest first."),
            "values": _values("Score of each level (non-decreasing)."),
        },
        ["levels"],
    ),
    "scale_numeric": _scale(
        "numeric",
        "A number, scored against goalposts.",
        {
            "goalposts": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "[min, max] mapped to [0, 1].",
            },
            "unit": {"type": "string", "description": "Unit shown with the number."},
            "clamp": {
                "type": "boolean",
                "description": "Clamp values outside the goalposts (default true).",
            },
        },
    ),
    "scale_checklist": _scale(
        "checklist",
        "Tick the items that apply.",
        {
            "items": _labels("The items."),
            "values": _values("What each ticked item adds (default: equal shares)."),
        },
        ["items"],
    ),
    "scale_choice": _scale(
        "choice",
        "One option out of several, each with a score.",
        {
            "options": _labels("The options."),
            "values": _values("Score of each option."),
        },
        ["options", "values"],
    ),
    "indicator": _obj(
        "One question of the survey and how its answer is scored.",
        {
            "id": _ref("id", "Unique in the rubric; the column name in responses."),
            "title": _ref("text", "Short name shown in reports."),
            "question": _ref("text", "The question asked."),
            "evidence": _ref("text", "What proves the answer."),
            "remediation": _ref("text", "What to do to improve."),
            "effort": {
                "description": "Effort to improve: low, medium, high or a number > 0.",
                "oneOf": [
                    {"type": "string", "enum": list(EFFORTS)},
                    {"type": "number", "exclusiveMinimum": 0},
                ],
            },
            "references": {
                "description": "Sources.",
                "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            },
            "weight": _num("Weight relative to siblings (>= 0).", minimum=0),
            "scale": _ref("scale", "Answer scale (default binary)."),
            "direction": {
                "type": "string",
                "enum": list(DIRECTIONS),
                "description": "Whether higher answers are better.",
            },
            "normalize": _ref("normalize", "Normalisation (default goalposts)."),
            "missing": _ref("missing", "Missing-answer policy for this indicator."),
        },
        ["id"],
    ),
    "node": _obj(
        "A dimension: holds either sub-dimensions or indicators.",
        {
            "id": _ref("id", "Unique in the rubric."),
            **_TITLES,
            "weight": _num("Weight relative to siblings (>= 0).", minimum=0),
            "aggregate": _ref("aggregate", "How the children combine."),
            "missing": _ref("missing", "Missing-answer policy below this node."),
            "min_coverage": _num(
                "Below this answered share the node is missing.", minimum=0, maximum=1
            ),
            "rescale": {
                "type": "string",
                "enum": ["minmax"],
                "description": "Rescale across the population after aggregation.",
            },
            "dimensions": {
                "type": "array",
                "items": {"$ref": "#/$defs/node"},
                "minItems": 1,
                "description": "Sub-dimensions.",
            },
            "indicators": {
                "type": "array",
                "items": {"$ref": "#/$defs/indicator"},
                "minItems": 1,
                "description": "Indicators.",
            },
        },
        ["id"],
        oneOf=[{"required": ["dimensions"]}, {"required": ["indicators"]}],
    ),
    "gate": {
        "description": "A minimum score.",
        "oneOf": [
            {"type": "number"},
            _obj("A minimum score.", {"min": _num("Minimum score.")}, ["min"]),
        ],
    },
    "band": _obj(
        "A readiness band; the first band from the top that matches wins.",
        {
            "id": _ref("id", "Band id."),
            **_TITLES,
            **_RANGE,
            "dimensions": {
                "type": "object",
                "description": "Minimum score per dimension id.",
                "propertyNames": {"$ref": "#/$defs/id"},
                "additionalProperties": {"$ref": "#/$defs/gate"},
            },
            "all_dimensions": _ref("gate", "Minimum score of every top-level dimension."),
            "min_coverage": _num("Minimum overall coverage.", minimum=0, maximum=1),
        },
        ["id"],
    ),
    "trend": _obj(
        "A trend class, chosen by the change since the previous period.",
        {
            "id": _ref("id", "Trend class id."),
            **_TITLES,
            "change": _obj("Range of the change of the overall score.", dict(_RANGE)),
        },
        ["id"],
    ),
    "group": _obj(
        "A cell of the band x trend grouping.",
        {
            "id": _ref("id", "Group id."),
            **_TITLES,
            "bands": _ids("Band ids (empty: any band)."),
            "trend": _ids("Trend class ids (empty: any trend)."),
        },
        ["id"],
    ),
    "answer": {
        "description": "An answer: a value, or a list of checklist items.",
        "oneOf": [
            {"type": ["string", "number", "boolean", "null"]},
            {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}},
        ],
    },
    "example": _obj(
        "A golden vector: answers and the scores they must give.",
        {
            "agency": {"type": "string", "description": "Agency name."},
            "answers": {
                "type": "object",
                "description": "Answer per indicator id.",
                "additionalProperties": {"$ref": "#/$defs/answer"},
            },
            "expect": _obj(
                "Expected results.",
                {
                    "overall": _num("Expected overall score."),
                    "band": {"type": ["string", "null"], "description": "Expected band id."},
                    "dimensions": {
                        "type": "object",
                        "description": "Expected score per node id.",
                        "additionalProperties": {"type": "number"},
                    },
                    "coverage": _num("Expected coverage."),
                },
            ),
            "tol": _num("Tolerance of the comparisons.", minimum=0),
        },
        ["agency", "answers", "expect"],
    ),
}

_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://readiness-model.invalid/schema/rubric.json",
    **_obj(
        "A rubric.",
        {
            "rubric": {
                "type": "string",
                "pattern": _RUBRIC_ID,
                "description": "Rubric id: lowercase letters, digits and '-'.",
            },
            "version": {"type": ["string", "number"], "description": "Edition (free text)."},
            **_TITLES,
            "source": {"type": "string", "description": "Citation or URL."},
            "scale": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "[low, high] of reported scores.",
            },
            "defaults": _obj(
                "Methods used where a node does not say otherwise.",
                {
                    "aggregate": _ref("aggregate", "Default aggregation."),
                    "missing": _ref("missing", "Default missing-answer policy."),
                },
            ),
            "rounding": _obj(
                "Rounding of reported scores.",
                {
                    "decimals": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 12,
                        "description": "Decimals kept.",
                    }
                },
                ["decimals"],
            ),
            "population": {
                "type": "object",
                "description": "Agency attribute filter for the population.",
                "additionalProperties": {
                    "oneOf": [
                        {"type": ["string", "number", "boolean"]},
                        {"type": "array", "items": {"type": ["string", "number", "boolean"]}},
                    ]
                },
            },
            "dimensions": {
                "type": "array",
                "items": {"$ref": "#/$defs/node"},
                "minItems": 1,
                "description": "Top-level dimensions.",
            },
            "bands": {
                "type": "array",
                "items": {"$ref": "#/$defs/band"},
                "description": "Readiness bands, strictest first.",
            },
            "trend": {
                "type": "array",
                "items": {"$ref": "#/$defs/trend"},
                "description": "Trend classes, first match wins.",
            },
            "groups": {
                "type": "array",
                "items": {"$ref": "#/$defs/group"},
                "description": "Band x trend groups.",
            },
            "examples": {
                "type": "array",
                "items": {"$ref": "#/$defs/example"},
                "description": "Golden vectors checked by 'readiness-model check'.",
            },
        },
        ["rubric", "dimensions"],
    ),
    "title": "readiness-model rubric",
    "description": "A scoring method for digital-government readiness surveys.",
    "$defs": _DEFS,
}


def rubric_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the rubric format, as a new dict.

    Example:
        >>> rubric_schema()["$schema"]
        'https://json-schema.org/draft/2020-12/schema'

    .. versionadded:: 0.1.0
    """
    return copy.deepcopy(_SCHEMA)
