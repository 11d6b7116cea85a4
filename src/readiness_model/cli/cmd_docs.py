"""``readiness-model docs``: where the documentation installed with the package is.

The wheel ships the user guide as Markdown in ``readiness_model/docs`` (see
``pyproject.toml``); a source checkout has it in ``docs/`` beside ``src/``.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from .._version import __version__
from . import Handler, command

__all__ = ["docs_folder", "docs_pages"]


def docs_folder() -> Path | None:
    """The folder holding the documentation (Markdown), or ``None`` when it is missing.

    Example:
        >>> folder = docs_folder()
        >>> folder is None or (folder / "index.md").is_file()
        True
    """
    try:
        packaged = Path(str(resources.files("readiness_model") / "docs"))
        if (packaged / "index.md").is_file():
            return packaged
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - zipped installs
        pass
    # A source checkout (editable install): <repo>/docs next to <repo>/src.
    repo = Path(__file__).resolve().parents[3]
    if (repo / "docs" / "index.md").is_file() and (repo / "src" / "readiness_model").is_dir():
        return repo / "docs"
    return None


def docs_pages(folder: Path) -> list[tuple[str, str]]:
    """``(relative path, title)`` of every Markdown page under ``folder``, index first.

    Example:
        >>> folder = docs_folder()
        >>> folder is None or docs_pages(folder)[0] == ("index.md", "readiness-model")
        True
    """
    pages = []
    for path in folder.rglob("*.md"):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith("_"):
            continue
        title = rel
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
        pages.append((rel, title))
    pages.sort(key=lambda item: (item[0].count("/"), item[0] != "index.md", item[0]))
    return pages


@command(
    "docs",
    help="Show where the documentation installed with the package is.",
    examples="  readiness-model docs\n"
    "  python -m readiness_model docs --path\n"
    "Lists the Markdown pages installed with the package (user guide, tutorial, rubric\n"
    "format, methodology, gallery) with the folder they are in; --path prints the folder only.\n"
    "Every command also explains itself: readiness-model COMMAND --help.",
)
def _docs(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("--path", action="store_true", help="print only the folder")

    def run(ns: argparse.Namespace) -> int:
        folder = docs_folder()
        out = sys.stdout
        if folder is None:
            print(
                "readiness-model: the documentation is not installed with this copy; "
                "run 'readiness-model --help' and 'readiness-model COMMAND --help'",
                file=sys.stderr,
            )
            return 1
        if ns.path:
            out.write(f"{folder}\n")
            return 0
        out.write(f"Documentation of readiness-model {__version__} (Markdown), in\n  {folder}\n\n")
        pages = docs_pages(folder)
        wide = max(len(rel) for rel, _ in pages)
        for rel, title in pages:
            out.write(f"  {rel:<{wide}}  {title}\n")
        out.write(
            "\nStart with getting-started.md and tutorial.md. Every command explains itself:\n"
            "  readiness-model --help\n  readiness-model COMMAND --help\n"
        )
        return 0

    return run
