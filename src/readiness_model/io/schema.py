"""JSON Schema (draft 2020-12) of the YAML rubric format, for editors and other tools.

Generated from the model: every key, its description, whether it is required and the
shape of its value come from the fields' metadata (``readiness_model.model._format``),
the scale types from their registry, the methods from their classes' ``schema()``. So a
field added to a model class shows up here, in the loader and in the dump at once.

The schema checks shape (keys, types, enumerations, scalar forms); the loader checks
everything else (unique ids, reachable bands, one value per level...). Every object
forbids unknown keys. Scalars are read as YAML 1.2 reads them, as editors do and as
``readiness-model validate`` does.
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any, Union

from ..model import Rubric
from ..model._format import object_schema

__all__ = [
    "MODELINE",
    "SCHEMA_ID",
    "JSONValue",
    "modeline_target",
    "rubric_schema",
    "schema_path",
    "schema_text",
    "with_modeline",
]

#: A JSON value as :mod:`json` reads it.
JSONValue = Union[str, int, float, bool, None, list["JSONValue"], dict[str, "JSONValue"]]  # noqa: UP007

SCHEMA_ID = "https://readiness-model.invalid/schema/rubric.json"

# The one rule across keys that a schema can state: a node holds either sub-dimensions
# or indicators (Dimension checks it when built).
_NODE_RULE = {"oneOf": [{"required": ["dimensions"]}, {"required": ["indicators"]}]}


_FAMILY: dict[str, dict[str, Any]] = {
    "extends": {
        "type": "string",
        "minLength": 1,
        "description": "The rubric this one extends: a shipped rubric's name (un-egdi) or "
        "a path relative to this file (base.yaml, bases/base.yaml) that leads to a file "
        "inside the folder of the rubric being loaded.",
    },
    "abstract": {
        "type": "boolean",
        "description": "A base that other rubrics extend, not scored on its own.",
    },
    "remove": {
        "type": "array",
        "items": {"type": "string"},
        "uniqueItems": True,
        "description": "Ids of dimensions or indicators of the extended rubric to leave out.",
    },
}


def rubric_schema() -> dict[str, JSONValue]:
    """The JSON Schema (draft 2020-12) of the rubric format, as a new dict.

    A file is either a whole rubric (``$defs/rubric``) or, when it has ``extends``, the
    changes to the rubric it extends (``$defs/extending``): there every key is optional
    but ``rubric``, and a restated dimension gives only the keys it changes
    (``$defs/node_override``). What the parent holds is the loader's to check.

    Example:
        >>> schema = rubric_schema()
        >>> schema["$schema"]
        'https://json-schema.org/draft/2020-12/schema'
        >>> schema["if"], schema["then"], schema["else"]
        ({'required': ['extends']}, {'$ref': '#/$defs/extending'}, {'$ref': '#/$defs/rubric'})
        >>> schema["$defs"]["rubric"]["required"], schema["$defs"]["extending"]["required"]
        (['rubric', 'dimensions'], ['extends', 'rubric'])
        >>> sorted(schema["$defs"]["scale"]["oneOf"][0])
        ['$ref']

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``extends``, ``abstract`` and ``remove`` (rubric families).
    """
    defs: dict[str, Any] = {}
    root = object_schema(Rubric, defs)
    defs["node"].update(_NODE_RULE)
    root["properties"]["abstract"] = dict(_FAMILY["abstract"])
    extending = copy.deepcopy(root)
    extending["description"] = (
        "A rubric that extends another: the keys it gives replace the other's; dimensions "
        "and indicators are merged by id."
    )
    extending["properties"].update(copy.deepcopy(_FAMILY))
    extending["properties"]["dimensions"]["items"] = {"$ref": "#/$defs/node_override"}
    extending["required"] = ["extends", "rubric"]
    override = copy.deepcopy(defs["node"])
    for rule in _NODE_RULE:
        override.pop(rule)
    override["description"] = (
        "A dimension: one the extended rubric has (by id; only the keys that change), or a new one."
    )
    override["properties"]["dimensions"]["items"] = {"$ref": "#/$defs/node_override"}
    defs.update(rubric=root, extending=extending, node_override=override)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "readiness-model rubric",
        "description": "A scoring method for digital-government readiness surveys.",
        "type": "object",
        "if": {"required": ["extends"]},
        "then": {"$ref": "#/$defs/extending"},
        "else": {"$ref": "#/$defs/rubric"},
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as the JSON text ``readiness-model schema`` prints (2-space indent).

    Example:
        >>> schema_text().startswith('{\\n  "$schema"')
        True
    """
    return json.dumps(rubric_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_path() -> Path | None:
    """The schema file installed next to the shipped rubrics, at ``../docs/`` from them
    (``readiness_model/docs/rubric.schema.json``; in a source checkout the committed
    ``docs/rubric.schema.json``), or ``None`` when there is none.

    Example:
        >>> schema_path().name
        'rubric.schema.json'
    """
    from .shipped import rubric_dirs

    for d in rubric_dirs():
        p = d.parent / "docs" / "rubric.schema.json"
        if p.is_file():
            return p
    return None


MODELINE = "# yaml-language-server: $schema="
"""The comment that points an editor's YAML language server at a schema."""
_MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=.*$")


def with_modeline(text: str, target: str) -> str:
    """``text`` with its schema modeline set to ``target``: an existing modeline among the
    leading comment lines is replaced, else one is added as the first line.

    Example:
        >>> with_modeline("# my rubric\\nrubric: x\\n", "s.json")
        '# yaml-language-server: $schema=s.json\\n# my rubric\\nrubric: x\\n'
        >>> with_modeline("# yaml-language-server: $schema=old.json\\nrubric: x\\n", "s.json")
        '# yaml-language-server: $schema=s.json\\nrubric: x\\n'
    """
    lines = text.splitlines(keepends=True)
    line = f"{MODELINE}{target}"
    for i, old in enumerate(lines):
        if not old.startswith("#"):
            break
        if _MODELINE.match(old.rstrip("\r\n")):
            ending = old[len(old.rstrip("\r\n")) :] or "\n"
            lines[i] = line + ending
            return "".join(lines)
    return line + "\n" + text


def modeline_target(rubric: str | os.PathLike[str], schema: str | None = None) -> str:
    """What a rubric's modeline should name: a URL as given, or a schema file (by default
    the installed one) as a path relative to the rubric's folder.

    Raises:
        FileNotFoundError: the schema file does not exist.

    Example:
        >>> modeline_target("rubrics/x.yaml", "https://example.org/rubric.schema.json")
        'https://example.org/rubric.schema.json'
    """
    if schema is not None and re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", schema):
        return schema
    path = Path(schema) if schema is not None else schema_path()
    if path is None or not path.is_file():
        raise FileNotFoundError(f"no schema file {str(path)!r}" if path else "no installed schema")
    folder = Path(rubric).resolve().parent
    try:
        return Path(os.path.relpath(path.resolve(), folder)).as_posix()
    except ValueError:  # another drive (Windows)
        return path.resolve().as_posix()
