"""Rubrics installed with the package, found by name."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

from ..errors import Location, Problem, RubricError, RubricNotFoundError, did_you_mean

__all__ = [
    "is_abstract_text",
    "looks_like_path",
    "rubric_dirs",
    "rubric_file",
    "shipped_rubric_path",
    "shipped_rubrics",
]

_ABSTRACT = re.compile(r"^abstract:[ \t]*true[ \t]*(?:#.*)?$", re.MULTILINE)


def rubric_dirs() -> list[Path]:
    """Folders holding shipped rubrics: the installed package's, and a source checkout's."""
    dirs: list[Path] = []
    try:
        packaged = Path(str(resources.files("readiness_model") / "rubrics"))
        if packaged.is_dir():
            dirs.append(packaged)
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - zipped installs
        pass
    # A source checkout (editable install): <repo>/rubrics next to <repo>/src.
    repo = Path(__file__).resolve().parents[3] / "rubrics"
    if repo.is_dir() and (repo.parent / "src" / "readiness_model").is_dir():
        dirs.append(repo)
    return dirs


def shipped_rubrics(*, include_abstract: bool = False) -> list[str]:
    """Names of the rubrics installed with the package, sorted.

    Args:
        include_abstract: Also name the bases that other rubrics extend (their files
            say ``abstract: true``); they are not scored on their own.

    Example:
        >>> "thai-dg-readiness-2016" in shipped_rubrics()
        True
        >>> "un-egdi" in shipped_rubrics(), "un-egdi" in shipped_rubrics(include_abstract=True)
        (False, True)

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``include_abstract``.
    """
    names: set[str] = set()
    for d in rubric_dirs():
        for p in d.glob("*.yaml"):
            if include_abstract or not is_abstract_text(p.read_text("utf-8", errors="replace")):
                names.add(p.stem)
    return sorted(names)


def shipped_rubric_path(name: str) -> Path | None:
    """Path of the shipped rubric called ``name``, or ``None``.

    The name is looked up among the files the folders hold, never turned into a path:
    a name from data (a results file's ``rubric`` column) cannot reach another file, and
    one too long for the file system is simply not a shipped rubric.

    Example:
        >>> shipped_rubric_path("un-egdi-2022").name, shipped_rubric_path("9" * 400)
        ('un-egdi-2022.yaml', None)
    """
    for d in rubric_dirs():
        for p in sorted(d.glob("*.yaml")):
            if p.stem == name and p.is_file():
                return p
    return None


def is_abstract_text(text: str) -> bool:
    """Whether rubric text marks itself ``abstract: true`` at the top level (a quick look
    that needs no parsing, used to leave bases out of the shipped names).

    Example:
        >>> is_abstract_text("rubric: base\\nabstract: true\\n"), is_abstract_text("rubric: x\\n")
        (True, False)
    """
    return _ABSTRACT.search(text) is not None


def looks_like_path(text: str) -> bool:
    """Whether a rubric reference is written as a path (a separator or a file suffix) rather
    than the name of a shipped rubric.

    Example:
        >>> looks_like_path("un-egdi-2022"), looks_like_path("rubrics/x.yaml")
        (False, True)
    """
    return (
        "/" in text or "\\" in text or os.sep in text or text.endswith((".yaml", ".yml", ".json"))
    )


def rubric_file(path_or_name: str | os.PathLike[str]) -> Path:
    """The file of a rubric named by path, or by the name of a shipped rubric.

    Raises:
        RubricError: no such file or shipped rubric (the hint names the closest).

    Example:
        >>> rubric_file("un-egdi-2022").name
        'un-egdi-2022.yaml'
    """
    text = os.fspath(path_or_name)
    path = Path(text)
    try:
        if path.is_file():
            return path
    except OSError as err:  # a name too long for the file system, a loop of links
        raise RubricError(
            [Problem(f"cannot read {text[:80]!r}: {err.strerror or err}", "", Location(text[:80]))]
        ) from None
    shipped = shipped_rubric_path(text) if not looks_like_path(text) else None
    if shipped is not None:
        return shipped
    names = shipped_rubrics()
    if path.exists():
        raise RubricError([Problem(f"{text!r} is not a file", "", Location(text))])
    if looks_like_path(text) or isinstance(path_or_name, os.PathLike):
        raise RubricNotFoundError(
            [Problem(f"no such file: {text!r}", "", Location(text), hint="check the path")]
        )
    shown = ", ".join(names) if names else "none"
    raise RubricNotFoundError(
        [
            Problem(
                f"no rubric file or shipped rubric called {text!r} (shipped: {shown})",
                "",
                Location(text),
                hint=did_you_mean(text, names) if names else "",
            )
        ]
    )
