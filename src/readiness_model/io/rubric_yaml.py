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

import os
import re
import weakref
from typing import Any

import yaml

from .._args import require
from ..errors import Problem, RubricError
from ..model import Rubric
from ..model.rubric import provide_yaml_reader
from .rubric_family import LoadedRubric, read_family
from .shipped import rubric_file, shipped_rubric_path, shipped_rubrics

__all__ = ["dump_rubric", "load_rubric", "resolved_yaml", "rubric_file", "rubric_from_yaml"]


def rubric_from_yaml(text: str | bytes, source: str = "<string>") -> Rubric:
    """Parse and validate a rubric written in YAML.

    A rubric that ``extends`` another is resolved (a relative path from the folder of
    ``source``, when it names a file); an abstract base (``abstract: true``) is refused,
    since it is not scored on its own.

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
    .. versionchanged:: 0.2.0 ``extends`` and ``abstract``.
    """
    return _concrete(read_family(text, source), source)


def _concrete(loaded: LoadedRubric, name: str) -> Rubric:
    """The rubric, unless its file marks it abstract (then a located error naming the
    shipped rubrics that extend it)."""
    if not loaded.abstract:
        return loaded.rubric
    rid = loaded.rubric.id
    children = [
        n
        for n in shipped_rubrics()
        if (p := shipped_rubric_path(n)) is not None
        and re.search(
            rf"^extends:[ \t]*{re.escape(rid)}[ \t]*(?:#.*)?$", p.read_text("utf-8"), re.M
        )
    ]
    raise RubricError(
        [
            Problem(
                f"{name!r} is an abstract rubric (abstract: true): a base that other rubrics "
                "extend, not scored on its own",
                "$.abstract",
                loaded.document.locate("$.abstract"),
                hint=(
                    f"use one that extends it: {', '.join(children)}"
                    if children
                    else f"write a rubric with 'extends: {rid}'"
                ),
            )
        ]
    )


def load_rubric(path_or_name: str | os.PathLike[str]) -> Rubric:
    """Load a rubric from a YAML file, or a shipped rubric by name.

    A rubric that ``extends`` another is returned resolved (its :attr:`lineage
    <readiness_model.Rubric.lineage>` names the chain); an abstract base is refused.

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
        ('2016.1', 37, ['policy', 'infrastructure', 'back_office'])
        >>> try:
        ...     load_rubric("thai-dg-readines-2016")
        ... except RubricError as err:
        ...     print(err.problems[0].hint)
        did you mean 'thai-dg-readiness-2016'?

    .. versionadded:: 0.1.0
    """
    require(path_or_name, (str, os.PathLike), "path_or_name", "a path or a shipped rubric's name")
    from .rubric_family import load_family

    return _concrete(load_family(path_or_name), os.fspath(path_or_name))


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


# The YAML of rubrics dumped lately (results files embed it; emitting YAML in Python costs
# tens of milliseconds a rubric), by the rubric object itself: equal rubrics may be
# written differently (an example answer 1 or 1.0: equal values, other text and content
# hash), so a rubric never gets the text of another. An entry lives as long as its rubric.
_DUMPED: dict[int, tuple[weakref.ref[Rubric], str]] = {}


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
    require(rubric, Rubric, "rubric")
    cached = _DUMPED.get(id(rubric))
    if cached is not None and cached[0]() is rubric:
        return cached[1]
    data: Any = rubric.to_data()
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    key = id(rubric)

    def forget(_: weakref.ref[Rubric]) -> None:
        _DUMPED.pop(key, None)

    _DUMPED[key] = (weakref.ref(rubric, forget), text)
    return text


provide_yaml_reader(rubric_from_yaml)


def resolved_yaml(loaded: LoadedRubric) -> str:
    """The resolved rubric as YAML (what ``dump_rubric`` writes), headed by comments
    naming the files it was read from and the chain with each content hash.

    Example:
        >>> from readiness_model.io.rubric_family import load_family
        >>> text = resolved_yaml(load_family("un-egdi-2022"))
        >>> [line.split(" sha256")[0] for line in text.splitlines()[:3]]
        ['# un-egdi-2022 2022, resolved:', '#   extends un-egdi base', '#   this rubric']
    """
    r = loaded.rubric
    head = [f"# {r.id} {r.version}, resolved:"]
    head += [f"#   extends {i} {v} sha256 {h}" for i, v, h in r.lineage]
    head.append(f"#   this rubric sha256 {r.content_hash}")
    head += [f"#   read from {f}" for f in loaded.files]
    if loaded.abstract:
        head.append("# (the file is abstract: a base for other rubrics; not scored on its own)")
    return "\n".join(head) + "\n" + dump_rubric(r)
