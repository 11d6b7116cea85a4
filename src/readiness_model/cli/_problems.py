"""Problems of rubric files for people, for GitHub Actions and for programs.

``readiness-model validate`` prints one :class:`FileReport` per file it was given in one
of three forms (:func:`render`): ``text`` (one line per problem, a YAML syntax error
with its line and a caret), ``github`` (workflow commands ``::error file=...,line=...::``
that GitHub shows on the pull request's changed lines) or ``json`` (one document).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import Problem

__all__ = ["FORMATS", "FileReport", "add_only_rubrics", "github_line", "is_rubric_file", "render"]

FORMATS = ("text", "github", "json")
_TOP = ("rubric", "dimensions", "extends")


@attrs.frozen
class FileReport:
    """What validating one file found.

    Attributes:
        name: The file or shipped name as given.
        loaded: The loaded rubric (``LoadedRubric``), or None when it did not load.
        problems: Every problem, located.
        skipped: The file is not a rubric (``--only-rubrics``).
    """

    name: str
    loaded: Any = None
    problems: tuple[Problem, ...] = ()
    skipped: bool = False

    def summary(self) -> str:
        """``OK name: 3 dimensions, 3 indicators, extends un-egdi`` (valid files).

        Example:
            >>> from readiness_model.io.rubric_family import load_family
            >>> FileReport("un-egdi-2022", load_family("un-egdi-2022")).summary()
            'OK un-egdi-2022: 3 dimensions, 3 indicators, extends un-egdi'
        """
        r = self.loaded.rubric
        n, m = len(r.dimensions), len(r.indicators)
        out = f"OK {self.name}: {n} dimension{'s' * (n != 1)}, {m} indicator{'s' * (m != 1)}"
        if r.lineage:
            out += ", extends " + " < ".join(i for i, _, _ in reversed(r.lineage))
        if self.loaded.abstract:
            out += " (abstract: a base for other rubrics)"
        return out


def is_rubric_file(name: str) -> bool:
    """Whether a YAML file given to ``--only-rubrics`` is a rubric: a mapping with a
    ``rubric``, ``dimensions`` or ``extends`` key (a shipped name, a missing file or
    unreadable YAML count as rubrics, so that their problem is reported).

    Example:
        >>> import pathlib, tempfile
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "ci.yml"
        >>> _ = f.write_text("on: push\\njobs: {}\\n")
        >>> is_rubric_file(str(f)), is_rubric_file("un-egdi-2022")
        (False, True)
    """
    from ..errors import RubricError
    from ..io.yaml_nodes import read_document

    path = Path(name)
    if not path.is_file():
        return True
    try:
        data = read_document(path.read_bytes(), name).data
    except (OSError, RubricError):
        return True
    return isinstance(data, dict) and any(k in data for k in _TOP)


def add_only_rubrics(p: argparse.ArgumentParser) -> None:
    """Add ``--only-rubrics`` (for hooks and CI jobs that pass every YAML file)."""
    p.add_argument(
        "--only-rubrics",
        action="store_true",
        help="skip YAML files that are not rubrics (no 'rubric', 'dimensions' or 'extends' "
        "key at the top), such as CI workflows",
    )


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(p: Problem, fallback: str) -> str:
    """One GitHub Actions workflow command for a problem.

    Example:
        >>> from readiness_model.errors import Location
        >>> print(github_line(Problem("bad: weight", "$.w", Location("r.yaml", 4, 13),
        ...                           hint="a number"), "r.yaml"))
        ::error file=r.yaml,line=4,col=13,title=readiness-model::bad: weight (a number) @ $.w
    """
    loc = p.location
    parts = [f"file={_escape(loc.file if loc is not None else fallback, prop=True)}"]
    if loc is not None and loc.line is not None:
        parts.append(f"line={loc.line}")
        if loc.column is not None:
            parts.append(f"col={loc.column}")
    parts.append("title=readiness-model")
    hint = f" ({p.hint})" if p.hint else ""
    path = f" @ {p.path}" if p.path else ""
    return f"::error {','.join(parts)}::{_escape(p.message + hint + path)}"


def _problem_data(p: Problem) -> dict[str, Any]:
    loc = p.location
    return {
        "file": loc.file if loc is not None else None,
        "line": loc.line if loc is not None else None,
        "column": loc.column if loc is not None else None,
        "message": p.message,
        "hint": p.hint,
        "path": p.path,
        "expected": p.expected,
        "got": p.got,
        "excerpt": p.excerpt,
    }


def _file_data(r: FileReport) -> dict[str, Any]:
    out: dict[str, Any] = {"name": r.name, "ok": not r.problems}
    if r.skipped:
        out["skipped"] = "not a rubric"
    if r.loaded is not None:
        rubric = r.loaded.rubric
        out.update(
            rubric=rubric.id,
            version=rubric.version,
            sha256=rubric.content_hash,
            abstract=r.loaded.abstract,
            extends=[{"rubric": i, "version": v, "sha256": h} for i, v, h in rubric.lineage],
            files=list(r.loaded.files),
            dimensions=len(rubric.dimensions),
            indicators=len(rubric.indicators),
        )
    out["problems"] = [_problem_data(p) for p in r.problems]
    return out


def render(reports: Sequence[FileReport], fmt: str) -> str:
    """The output of ``validate`` in ``fmt`` (``text``, ``github`` or ``json``).

    Example:
        >>> from readiness_model.errors import Location
        >>> bad = FileReport("r.yaml", problems=(Problem("bad", "$.x", Location("r.yaml", 2, 3)),))
        >>> print(render([bad], "text"), end="")
        r.yaml:2:3: bad @ $.x
        >>> json.loads(render([bad], "json"))["problems"]
        1
    """
    if fmt == "json":
        doc = {
            "files": [_file_data(r) for r in reports],
            "problems": sum(len(r.problems) for r in reports),
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    lines: list[str] = []
    for r in reports:
        if r.skipped:
            lines.append(f"skip {r.name}: not a rubric")
        elif r.problems:
            if fmt == "github":
                lines += [github_line(p, r.name) for p in r.problems]
            else:
                lines += [str(p) for p in r.problems]
        else:
            lines.append(r.summary())
    return "".join(f"{line}\n" for line in lines)
