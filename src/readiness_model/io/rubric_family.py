"""Rubric families: ``extends:`` a shipped rubric or a file, with overrides by id.

A rubric file that says ``extends: un-egdi`` (a shipped name) or ``extends: base.yaml``
(a path relative to the extending file's folder) is read as the rubric it extends with
the file's changes merged in (see :mod:`readiness_model.io.rubric_merge` for the rules and
docs/rubric-format.md for the syntax). The rubric it extends is read and checked first,
on its own, so each problem is reported in the file that holds it; a problem that shows
only once the files are merged (an inherited band the child's new scale makes
unreachable) is reported at the child's ``extends:``, naming the inherited spot.

A file with ``abstract: true`` is a base for other rubrics: ``validate``, ``show`` and
``check`` read it, but :func:`~readiness_model.load_rubric` does not (it is not scored on
its own). The resolved rubric records its chain (:attr:`Rubric.lineage
<readiness_model.Rubric.lineage>`: id, version and content hash of each rubric it
extends, the base first), which scoring copies into the results' provenance.

Nothing but the named file is read: no other search path, no absolute path, no network.
A relative path must lead (``..`` and symbolic links resolved) to a file inside the
*root folder*: the folder of the rubric file that was asked for, the first of the chain
(below a shipped rubric named by ``extends``, the folder of the shipped rubrics). A path
that leads elsewhere is refused at its ``extends`` before the file it names is opened,
so no file outside that folder is read, let alone quoted in an error.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

import attrs

from ..errors import Location, Problem, RubricError, did_you_mean
from ..model import Rubric
from .rubric_build import build_rubric
from .rubric_hints import with_hints
from .rubric_merge import FAMILY_KEYS, Merge
from .shipped import looks_like_path, rubric_file, shipped_rubric_path, shipped_rubrics
from .yaml_nodes import Document, read_document, read_limited, yaml11_reading

__all__ = [
    "MAX_CHAIN",
    "LoadedRubric",
    "inherited",
    "load_family",
    "read_family",
]

MAX_CHAIN = 16
"""Most rubrics a chain of ``extends`` may hold."""
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@attrs.frozen
class LoadedRubric:
    """A rubric as read from its file: the resolved rubric and what reading it learnt.

    Attributes:
        rubric: The resolved rubric (its ``lineage`` set).
        document: The resolved data with the mark of every value in the file that
            wrote it (for locating later problems, e.g. of golden examples).
        abstract: The file says ``abstract: true``.
        files: The files read, the base first, this file last.

    Example:
        >>> loaded = load_family("un-egdi-2022")
        >>> loaded.rubric.id, loaded.abstract, [Path(f).stem for f in loaded.files]
        ('un-egdi-2022', False, ['un-egdi', 'un-egdi-2022'])
        >>> [(i, v) for i, v, _ in loaded.rubric.lineage]
        [('un-egdi', 'base')]
    """

    rubric: Rubric
    document: Document
    abstract: bool
    files: tuple[str, ...]


def _fail(message: str, loc: Location, hint: str = "", path: str = "$") -> RubricError:
    return RubricError([Problem(message, path, loc, hint=hint)])


def _parent_file(doc: Document, folder: Path | None, root: Path | None) -> tuple[Path, Path]:
    """The file that ``extends:`` names, and the root folder for its own ``extends``:
    a shipped rubric by name (root: the shipped rubrics' folder), or a path relative to
    ``folder`` that leads inside ``root`` (root: ``root`` still). Nothing is opened here:
    a path that leads outside ``root`` is refused before the file it names is read."""
    ref = doc.data.get("extends")
    loc = doc.locate("$.extends")
    if not isinstance(ref, str) or not ref.strip():
        raise _fail(
            "'extends' names the rubric this one extends: a shipped rubric's name or a "
            "relative path",
            loc,
            "e.g. extends: un-egdi, or extends: base.yaml",
            "$.extends",
        )
    if not looks_like_path(ref):
        found = shipped_rubric_path(ref)
        if found is None:
            names = shipped_rubrics(include_abstract=True)
            raise _fail(
                f"'extends' names no shipped rubric {ref!r}",
                loc,
                did_you_mean(ref, names) + "; a file is named by a path such as ./base.yaml",
                "$.extends",
            )
        return found, _real(found.parent)
    if _URL.match(ref) and not re.match(r"^[A-Za-z]:[\\/]", ref):
        raise _fail(
            f"'extends' takes a shipped name or a relative path, not a URL ({ref!r})",
            loc,
            "rubrics are never fetched: save the rubric beside this one",
            "$.extends",
        )
    if os.path.isabs(ref) or ref.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", ref):
        raise _fail(
            f"'extends' takes a path relative to this file, not an absolute path ({ref!r})",
            loc,
            "copy the base rubric into the folder of the rubric you load or a folder below "
            "it, and write the path from this file's folder, e.g. extends: base.yaml",
            "$.extends",
        )
    if folder is None or root is None:
        raise _fail(
            f"'extends: {ref}' names a file, but this rubric was given as text, not read "
            "from a file",
            loc,
            "load the rubric from its file, or extend a shipped rubric by name",
            "$.extends",
        )
    path = Path(os.path.normpath(folder / ref))
    _inside(ref, path, root, loc)
    if not path.is_file():
        raise _fail(
            f"'extends' names a file that does not exist: {ref!r} (looked for {str(path)!r})",
            loc,
            "the path is relative to the folder of this file",
            "$.extends",
        )
    return path, root


def _real(path: Path) -> Path:
    """``path`` absolute, with every ``..`` and symbolic link resolved as far as it exists
    (only names are looked at: nothing is opened)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, RuntimeError, ValueError):  # pragma: no cover - a loop on old Pythons
        return Path(os.path.normpath(os.path.abspath(path)))


def _inside(ref: str, path: Path, root: Path, loc: Location) -> None:
    """Refuse ``path`` (what ``extends: ref`` names) unless, ``..`` and symbolic links
    resolved, it lies inside the root folder ``root``: a located error raised before the
    file is opened, naming only what the rubric wrote."""
    real = _real(path)
    if real.is_relative_to(root):  # the folder itself is then "not a file"
        return
    linked = Path(os.path.normpath(os.path.abspath(path))).is_relative_to(root)
    raise _fail(
        f"'extends: {ref}' leads{' through a symbolic link' if linked else ''} outside "
        f"{str(root)!r}, the folder of the rubric being loaded: a rubric extends only files "
        "in that folder or below it",
        loc,
        "move the base rubric into that folder or a folder below it and name it from "
        "there, e.g. extends: bases/base.yaml; or extend a shipped rubric by its name, "
        "e.g. extends: un-egdi",
        "$.extends",
    )


def _looks_like_a_rubric(data: Any, source: str) -> None:
    """A mapping without a ``rubric``, ``dimensions`` or ``extends`` key (or a near miss
    of one) is some other file: say so without quoting any of its content."""
    wanted = ["rubric", "dimensions", "extends"]
    keys = [k for k in data if isinstance(k, str)] if isinstance(data, dict) else []
    if not isinstance(data, dict) or set(wanted) & set(keys):
        return
    if any(difflib.get_close_matches(k, wanted, 1, 0.6) for k in keys):
        return
    raise _fail(
        "this is not a rubric: it has no 'rubric' or 'dimensions' key at the top level",
        Location(source, 1, 1),
        "start with 'rubric: my-rubric-id'",
    )


_RUBRIC_KEY = re.compile(r"^(rubric|dimensions|extends)[ \t]*:", re.MULTILINE)


def _unquoted(err: RubricError, text: str | bytes, source: str) -> RubricError:
    """``err``, unless ``source`` is a file that is neither named like YAML nor holds a
    rubric's top-level key: then one problem that quotes nothing of it (an error must
    not echo a password file's lines)."""
    if source.startswith("<") or source.lower().endswith((".yaml", ".yml")):
        return err
    head = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    if _RUBRIC_KEY.search(head):
        return err
    return RubricError(
        [
            Problem(
                "this is not a rubric: it is not YAML with a 'rubric' or 'dimensions' key "
                "at the top level",
                "$",
                Location(source, 1, 1),
                hint="give a rubric file (.yaml), or a shipped rubric's name",
            )
        ]
    )


def _abstract(doc: Document) -> bool:
    value = doc.data.get("abstract", False)
    if isinstance(value, bool):
        return value
    raw = doc.raw("$.abstract") or ""
    old = yaml11_reading(raw)
    hint = (
        f"YAML 1.1 reads {raw} as {str(old).lower()}, but YAML 1.2 reads it as text; write "
        f"{str(old).lower()}"
        if isinstance(old, bool)
        else "abstract: true marks a base that other rubrics extend"
    )
    raise _fail(f"'abstract' must be true or false (got {value!r})", doc.locate("$.abstract"), hint)


def _family_keys(doc: Document) -> None:
    """``remove`` needs ``extends``."""
    if "remove" in doc.data and "extends" not in doc.data:
        raise _fail(
            "'remove' takes ids out of the rubric this one extends, and there is none",
            doc.locate("$.remove", at_key=True),
            "add 'extends: <the rubric to start from>', or delete 'remove'",
            "$.remove",
        )


def _strip(doc: Document) -> Document:
    if not any(k in doc.data for k in FAMILY_KEYS):
        return doc
    data = {k: v for k, v in doc.data.items() if k not in FAMILY_KEYS}
    spots = {
        p: s
        for p, s in doc.spots.items()
        if not any(p == f"$.{k}" or p.startswith((f"$.{k}.", f"$.{k}[")) for k in FAMILY_KEYS)
    }
    return Document(data, spots, doc.problems, doc.file)


def _under(path: str, prefixes: set[str]) -> bool:
    return any(path == r or path.startswith((f"{r}.", f"{r}[")) for r in prefixes)


def inherited(p: Problem, child: Document) -> Problem:
    """A problem found in a part the child inherits (valid in the file that holds it, so
    the child's changes cause it), moved to the child's ``extends`` with the inherited spot
    in the hint; any other problem as it is. ``child`` is the child's own document or the
    resolved one (which keeps the mark of ``extends``).

    Example:
        >>> doc = read_document("extends: base.yaml\\nrubric: c\\n", "c.yaml")
        >>> p = Problem("band 'x' can never match", "$.bands[0]", Location("base.yaml", 9, 5))
        >>> q = inherited(p, doc)
        >>> str(q.location), q.hint
        ('c.yaml:1:10', 'in a part inherited from base.yaml:9:5: restate that part in this file')
    """
    if p.location is None or p.location.file == child.file or "$.extends" not in child.spots:
        return p
    note = f"in a part inherited from {p.location}: restate that part in this file"
    return attrs.evolve(
        p, location=child.locate("$.extends"), hint="; ".join(filter(None, [p.hint, note]))
    )


def _build(doc: Document, merge: Merge | None) -> Rubric:
    """Build the resolved rubric; with a merge, its own problems first, and a problem
    of the build found in an inherited part reported at the child's ``extends``."""
    child_problems = list(merge.problems) if merge is not None else []
    try:
        rubric = build_rubric(doc)
    except RubricError as err:
        problems = child_problems
        for p in err.problems:
            if merge is None or p.location is None or p.location.file == doc.file:
                problems.append(p)
            elif not _under(p.path, merge.reported):
                problems.append(inherited(p, merge.child))
        raise RubricError(with_hints(sorted(problems, key=_order) or err.problems)) from None
    if child_problems:
        raise RubricError(with_hints(sorted(child_problems, key=_order)))
    return rubric


def _order(p: Problem) -> tuple[int, int]:
    loc = p.location
    return (loc.line or 0, loc.column or 0) if loc is not None else (0, 0)


def read_family(
    text: str | bytes,
    source: str = "<string>",
    *,
    _stack: tuple[Path, ...] = (),
    _root: Path | None = None,
) -> LoadedRubric:
    """Read a rubric from YAML text, resolving ``extends`` (relative paths from the
    folder of ``source`` when it names a file; each must lead inside the root folder,
    that of the first file of the chain).

    Raises:
        RubricError: every problem, each located in the file that holds it; a cycle or
            a missing parent at the ``extends`` that names it.

    Example:
        >>> child = "extends: un-egdi-2022\\nrubric: my-egdi\\nrounding: {decimals: 2}\\n"
        >>> loaded = read_family(child)
        >>> loaded.rubric.id, loaded.rubric.rounding, len(loaded.rubric.indicators)
        ('my-egdi', 2, 3)
        >>> [i for i, _, _ in loaded.rubric.lineage]
        ['un-egdi', 'un-egdi-2022']
    """
    try:
        doc = read_document(text, source)
    except RubricError as err:
        raise _unquoted(err, text, source) from None
    _looks_like_a_rubric(doc.data, source)
    _family_keys(doc)
    abstract = _abstract(doc)
    here = Path(source) if not source.startswith("<") else None
    if "extends" not in doc.data:
        return LoadedRubric(_build(_strip(doc), None), doc, abstract, (source,))
    if _root is None and here is not None:
        _root = _real(here.parent)
    parent_path, parent_root = _parent_file(doc, here.parent if here is not None else None, _root)
    key = parent_path.resolve()
    stack = (*_stack, here.resolve()) if here is not None else _stack
    if key in stack:
        names = [str(p) for p in stack[stack.index(key) :]] + [str(key)]
        raise _fail(
            "'extends' makes a cycle: " + " -> ".join(names),
            doc.locate("$.extends"),
            "a rubric cannot extend itself, directly or through others",
            "$.extends",
        )
    if len(stack) >= MAX_CHAIN:
        raise _fail(
            f"the chain of 'extends' is longer than {MAX_CHAIN} rubrics",
            doc.locate("$.extends"),
            "flatten part of the chain: copy a base's content into the rubric that extends it",
            path="$.extends",
        )
    try:
        data = read_limited(parent_path)
    except OSError as err:
        raise _fail(
            f"cannot read {str(parent_path)!r}: {err.strerror or err}",
            doc.locate("$.extends"),
            "check that the file can be read (its permissions), or name another",
            path="$.extends",
        ) from None
    try:
        parent = read_family(data, str(parent_path), _stack=stack, _root=parent_root)
    except RubricError as err:
        pointer = Problem(
            f"the rubric this one extends ({doc.data['extends']}) is invalid: "
            f"{len(err.problems)} problem(s), listed above",
            "$.extends",
            doc.locate("$.extends"),
            hint=f"fix the problems of {parent_path.name} first; this file is checked with it",
        )
        raise RubricError([*err.problems, pointer]) from None
    merge = Merge(parent.document, doc)
    if "rubric" not in doc.data:
        merge.problems.append(
            Problem(
                "a rubric that extends another names itself: it has no 'rubric' key",
                "$",
                doc.locate("$.extends", at_key=True),
                hint=f"add 'rubric: <its own id>' (the one it extends is {parent.rubric.id!r})",
            )
        )
    merged = Document(merge.data, merge.spots, list(doc.problems), doc.file)
    rubric = _build(merged, merge)
    p = parent.rubric
    lineage = (*p.lineage, (p.id, p.version, p.content_hash))
    rubric = attrs.evolve(rubric, lineage=lineage)
    return LoadedRubric(rubric, merged, abstract, (*parent.files, source))


def load_family(path_or_name: str | os.PathLike[str]) -> LoadedRubric:
    """Read a rubric file, or a shipped rubric by name, resolving ``extends``; abstract
    bases too (see :func:`~readiness_model.load_rubric` for scoring).

    Raises:
        RubricError: as :func:`~readiness_model.load_rubric`.

    Example:
        >>> base = load_family("un-egdi")
        >>> base.abstract, base.rubric.id, base.rubric.lineage
        (True, 'un-egdi', ())
    """
    try:
        path = rubric_file(path_or_name)
    except RubricError as err:  # no such file, or not a file: the same error, with hints
        raise type(err)(with_hints(err.problems)) from None
    try:
        data = read_limited(path)
    except OSError as err:
        raise RubricError(
            [
                Problem(
                    f"cannot read {str(path)!r}: {err.strerror or err}",
                    "",
                    Location(str(path)),
                    hint="check that the file can be read (its permissions)",
                )
            ]
        ) from None
    return read_family(data, str(path))
