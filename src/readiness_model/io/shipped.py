"""Rubrics installed with the package, found by name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["rubric_dirs", "shipped_rubric_path", "shipped_rubrics"]


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
    from .rubric_family import is_abstract_text

    names: set[str] = set()
    for d in rubric_dirs():
        for p in d.glob("*.yaml"):
            if include_abstract or not is_abstract_text(p.read_text("utf-8", errors="replace")):
                names.add(p.stem)
    return sorted(names)


def shipped_rubric_path(name: str) -> Path | None:
    """Path of the shipped rubric called ``name``, or ``None``."""
    for d in rubric_dirs():
        p = d / f"{name}.yaml"
        if p.is_file():
            return p
    return None
