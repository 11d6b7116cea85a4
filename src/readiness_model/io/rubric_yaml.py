"""The YAML rubric format: load (every problem located) and dump (round-trips exactly).

The keys are exactly those of :meth:`Rubric.to_data <readiness_model.Rubric.to_data>`
(``model/_data.py`` is the canonical writer); this module is its inverse::

    rubric = load_rubric("rubrics/thai-dg-readiness-2016.yaml")
    assert rubric_from_yaml(dump_rubric(rubric)) == rubric

Loading is safe for hostile input: it never constructs Python objects from tags, and
text that is too large, too deep, or that aliases would expand beyond reason is
rejected early (see :mod:`readiness_model.io.yaml_nodes` for the limits).
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem, RubricError, did_you_mean
from ..model import Rubric
from .rubric_build import build_rubric
from .shipped import shipped_rubric_path, shipped_rubrics
from .yaml_nodes import read_document

__all__ = ["dump_rubric", "load_rubric", "rubric_from_yaml"]


def rubric_from_yaml(text: str | bytes, source: str = "<string>") -> Rubric:
    """Parse and validate a rubric written in YAML.

    Args:
        text: The rubric as YAML text, or bytes of UTF-8.
        source: The file name used in error locations.

    Returns:
        The validated :class:`~readiness_model.Rubric`.

    Raises:
        RubricError: holding every problem found in the document, each with a path
            (``$.dimensions[0].indicators[2].weight``), a file/line/column and a hint.

    Example:
        >>> r = rubric_from_yaml("rubric: demo\\ndimensions:\\n"
        ...                      "  - {id: d, indicators: [{id: q}]}\\n")
        >>> [i.id for i in r.indicators]
        ['q']

    .. versionadded:: 0.1.0
    """
    doc = read_document(text, source)
    _looks_like_a_rubric(doc.data, source)
    return build_rubric(doc)


def _looks_like_a_rubric(data: Any, source: str) -> None:
    """A mapping without a ``rubric`` or ``dimensions`` key (or a near miss of one) is
    some other file: say so without quoting any of its content."""
    keys = [k for k in data if isinstance(k, str)] if isinstance(data, dict) else []
    if not isinstance(data, dict) or {"rubric", "dimensions"} & set(keys):
        return
    if any(difflib.get_close_matches(k, ["rubric", "dimensions"], 1, 0.6) for k in keys):
        return
    raise RubricError(
        [
            Problem(
                "this is not a rubric: it has no 'rubric' or 'dimensions' key at the top level",
                "$",
                Location(source, 1, 1),
                hint="start with 'rubric: my-rubric-id'",
            )
        ]
    )


def _looks_like_path(text: str) -> bool:
    return os.sep in text or "/" in text or text.endswith((".yaml", ".yml", ".json"))


def load_rubric(path_or_name: str | os.PathLike[str]) -> Rubric:
    """Load a rubric from a YAML file, or a shipped rubric by name.

    Args:
        path_or_name: A path to a YAML file, or the name of a rubric installed with
            the package (see :func:`~readiness_model.shipped_rubrics`).

    Returns:
        The validated :class:`~readiness_model.Rubric`.

    Raises:
        RubricError: when the file is missing or unreadable, the name is unknown (the
            hint names the closest shipped rubric), or the rubric is invalid.

    Example:
        >>> rubric = load_rubric("thai-dg-readiness-2016")
        >>> rubric.version, len(rubric.indicators), [d.id for d in rubric.dimensions][:3]
        ('2016.1', 33, ['policy', 'infrastructure', 'back_office'])
        >>> try:
        ...     load_rubric("thai-dg-readines-2016")
        ... except RubricError as err:
        ...     print(err.problems[0].hint)
        did you mean 'thai-dg-readiness-2016'?

    .. versionadded:: 0.1.0
    """
    text = os.fspath(path_or_name)
    path = Path(text)
    if not path.is_file():
        shipped = shipped_rubric_path(text) if not _looks_like_path(text) else None
        if shipped is None:
            names = shipped_rubrics()
            if path.exists():
                raise RubricError([Problem(f"{text!r} is not a file", "", Location(text))])
            if _looks_like_path(text) or isinstance(path_or_name, os.PathLike):
                raise RubricError(
                    [Problem(f"no such file: {text!r}", "", Location(text), hint="check the path")]
                )
            shown = ", ".join(names) if names else "none"
            raise RubricError(
                [
                    Problem(
                        f"no rubric file or shipped rubric called {text!r} (shipped: {shown})",
                        "",
                        Location(text),
                        hint=did_you_mean(text, names) if names else "",
                    )
                ]
            )
        path = shipped
    try:
        data = path.read_bytes()
    except OSError as err:
        raise RubricError(
            [Problem(f"cannot read {str(path)!r}: {err.strerror or err}", "", Location(str(path)))]
        ) from None
    return rubric_from_yaml(data, source=str(path))


# -- dumping ---------------------------------------------------------------------------
# Strings a YAML 1.1 or 1.2 reader would take for a number, boolean or null are quoted,
# so the text reads back the same in any YAML library (PyYAML already quotes the 1.1
# forms; this adds 1.2 forms such as 1e3 or 0o17).
_TYPED = re.compile(
    r"""^(?:
        [-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d+)?
      | [-+]?0[xob][0-9a-fA-F_]+
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?
      | y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE
      | on|On|ON|off|Off|OFF|null|Null|NULL|~
    )$""",
    re.VERBOSE,
)


# Characters YAML reads as line breaks (NEL, LS, PS, CR), a BOM, or that it cannot hold
# raw: such strings are written double-quoted, where the emitter escapes them.
_ESCAPE = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


class _Dumper(yaml.SafeDumper):
    """SafeDumper that quotes every string a YAML reader could take for another type."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if _ESCAPE.search(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    if _TYPED.match(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


_Dumper.add_representer(str, _represent_str)


def dump_rubric(rubric: Rubric) -> str:
    """The rubric as YAML text that :func:`rubric_from_yaml` loads to an equal rubric.

    Keys come in the documented order and defaults are omitted (see
    :meth:`Rubric.to_data <readiness_model.Rubric.to_data>`); floats are written
    exactly; text stays readable (UTF-8, e.g. Thai titles).

    Args:
        rubric: Any valid rubric (loaded or built in Python).

    Returns:
        The YAML text.

    Example:
        >>> from readiness_model import Dimension, Indicator, Rubric
        >>> r = Rubric("demo", dimensions=[Dimension("d", indicators=[Indicator("no")])])
        >>> rubric_from_yaml(dump_rubric(r)) == r
        True

    .. versionadded:: 0.1.0
    """
    data: Any = rubric.to_data()
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return text
