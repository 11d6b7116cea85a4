"""Reading YAML safely: hostile-input guards, then composed nodes → plain data with marks.

Plain scalars are read as YAML 1.2 reads them (its core schema), as editors and their
JSON-Schema validators do: ``no``, ``on`` and ``y`` are text, ``1e6`` is a number,
``017`` is seventeen, and ``1_000`` or ``1:30`` are text. (PyYAML alone reads YAML 1.1,
where the first three are booleans, ``1e6`` is text and ``017`` is fifteen.) So a rubric
means the same to ``readiness-model validate`` and to an editor checking it against the
JSON Schema; :func:`yaml11_reading` tells where YAML 1.1 would read a value differently,
for the hints.

The rubric loader never calls ``yaml.load``. It decodes the text, checks the event
stream (depth, size, number of documents) without recursion, composes the node graph,
measures what aliases would expand to, and only then turns nodes into plain Python data
while remembering where every key and value sits (:class:`Spot`), so that any problem
found later, by path, can be given a file, line and column.
"""

from __future__ import annotations

import os
from typing import Any

import attrs
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader

from ..errors import Location, Problem, RubricError
from .yaml12 import INVALID, TAG, Loader, construct, read_plain, yaml11_reading
from .yaml_hints import excerpt, syntax_problem

__all__ = [
    "INVALID",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_EVENTS",
    "MAX_EXPANDED",
    "Document",
    "Spot",
    "read_document",
    "read_limited",
    "read_plain",
    "yaml11_reading",
]

MAX_BYTES = 5_000_000
"""Longest rubric text accepted (bytes of UTF-8)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted (also after alias expansion)."""
MAX_EVENTS = 30_000
"""Most parser events (about two per value) accepted: more than ten times the largest shipped
rubric, and few enough that any text is read in well under a second."""
MAX_EXPANDED = 50_000
"""Most nodes the document may hold once every alias is expanded ("billion laughs")."""

_TAG = TAG
_SCALAR_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")}


@attrs.frozen(slots=True)
class Spot:
    """Where one value sits: the mark of its key (``None`` in lists), of the value itself,
    and the value's text as written (scalars only)."""

    key: Location | None
    value: Location
    raw: str | None = None


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else "$"


@attrs.define
class Document:
    """A YAML document turned into plain data, with a mark for every path.

    Attributes:
        data: The plain data (dicts, lists, scalars; :data:`INVALID` where a value
            was rejected).
        spots: ``path -> Spot`` for every key and value.
        problems: What was found while reading (duplicate keys, bad tags...).
        file: The file name used in locations.
    """

    data: Any
    spots: dict[str, Spot]
    problems: list[Problem]
    file: str

    def locate(self, path: str, *, at_key: bool = False) -> Location:
        """Location of ``path``, or of its nearest ancestor that has one."""
        p = path
        while True:
            spot = self.spots.get(p)
            if spot is not None:
                if at_key and spot.key is not None:
                    return spot.key
                return spot.value
            if p == "$" or not p.startswith("$"):
                return Location(self.file, 1, 1)
            p = _parent(p)

    def raw(self, path: str) -> str | None:
        """The text of the scalar at ``path`` as written, if known."""
        spot = self.spots.get(path)
        return spot.raw if spot is not None else None


def _fail(file: str, message: str, line: int = 1, column: int = 1, hint: str = "") -> RubricError:
    return RubricError([Problem(message, "$", Location(file, line, column), hint=hint)])


def _loc(file: str, mark: Any) -> Location:
    if mark is None:
        return Location(file, 1, 1)
    return Location(file, int(mark.line) + 1, int(mark.column) + 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(text: str | bytes, file: str) -> str:
    """The text as ``str``; bytes are UTF-8 (a BOM is allowed). Too long or undecodable
    text raises :class:`RubricError` with the line and column of the bad byte."""
    if isinstance(text, bytes | bytearray):
        raw = bytes(text)
        if len(raw) > MAX_BYTES:
            raise _too_large(file, len(raw), MAX_BYTES)
        try:
            s = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            before = raw[: err.start].decode("utf-8-sig", errors="replace")
            line, col = _line_col(before, len(before))
            raise _fail(
                file,
                f"the rubric is not valid UTF-8 (byte 0x{raw[err.start]:02x} "
                f"at offset {err.start})",
                line,
                col,
                hint="save the file as UTF-8",
            ) from None
    elif isinstance(text, str):
        s = text[1:] if text.startswith("\ufeff") else text
        if len(s) > MAX_BYTES // 4 and len(s.encode("utf-8", "replace")) > MAX_BYTES:
            raise _fail(
                file,
                f"the rubric is too large (more than {MAX_BYTES:,} bytes)",
                hint="a rubric is a small text file; is this the right text?",
            )
    else:
        raise _fail(
            file,
            f"a rubric must be YAML text or bytes (got {type(text).__name__})",
            hint="pass the file's text (str or UTF-8 bytes), or load the file by its path",
        )
    bad = Reader.NON_PRINTABLE.search(s)
    if bad is not None:
        line, col = _line_col(s, bad.start())
        raise _fail(
            file,
            f"the rubric contains a control character "
            f"(U+{ord(bad.group()):04X}) that YAML does not allow",
            line,
            col,
            hint="remove it or write it as an escape inside double quotes",
        )
    return s


def read_limited(path: str | os.PathLike[str], limit: int = MAX_BYTES) -> bytes:
    """The bytes of a rubric file, its size checked before anything is read.

    A file larger than ``limit`` is refused from its size alone (``os.fstat``), and no
    more than ``limit + 1`` bytes are ever read (a file growing while read, or a device
    with no size, is refused too).

    Raises:
        RubricError: the file is too large.
        OSError: it cannot be opened or read (the caller locates it).

    Example:
        >>> from readiness_model.io.shipped import shipped_rubric_path
        >>> len(read_limited(shipped_rubric_path("thai-dg-readiness-2016"))) > 1000
        True
    """
    file = os.fspath(path)
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise _too_large(file, size, limit)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise _too_large(file, len(data), limit, at_least=True)
    return data


def _too_large(file: str, size: int, limit: int, *, at_least: bool = False) -> RubricError:
    return _fail(
        file,
        f"the rubric is too large ({'more than ' if at_least else ''}{size:,} bytes; "
        f"at most {limit:,} are accepted)",
        hint="a rubric is a small text file; is this the right file?",
    )


def _yaml_problem(file: str, err: yaml.YAMLError, text: str) -> RubricError:
    pos = getattr(err, "position", None)
    if getattr(err, "problem_mark", None) is None and isinstance(pos, int):
        line, col = _line_col(text, min(pos, len(text)))
        return _fail(
            file,
            f"invalid YAML: {err}",
            line,
            col,
            hint="remove or escape the character at this spot",
        )
    return RubricError([syntax_problem(file, text, err)])


def _scan(text: str, file: str) -> tuple[int, bool]:
    """Check the event stream (no recursion): depth, size and number of documents.
    Returns the number of documents and whether any alias is used."""
    depth = docs = 0
    aliases = False
    for events, ev in enumerate(yaml.parse(text, Loader=Loader), 1):
        if events > MAX_EVENTS:
            loc = _loc(file, ev.start_mark)
            raise _fail(
                file,
                f"the rubric is too large (more than {MAX_EVENTS:,} YAML events)",
                loc.line or 1,
                loc.column or 1,
                hint="a rubric is a small text file; split a huge one into a base and "
                "rubrics that extend it",
            )
        if isinstance(ev, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                loc = _loc(file, ev.start_mark)
                raise _fail(
                    file,
                    f"the rubric nests deeper than {MAX_DEPTH} levels",
                    loc.line or 1,
                    loc.column or 1,
                    hint="a rubric nests a few levels of dimensions; check the indentation "
                    "and the brackets here",
                )
        elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        elif isinstance(ev, yaml.AliasEvent):
            aliases = True
        elif isinstance(ev, yaml.DocumentStartEvent):
            docs += 1
            if docs > 1:
                loc = _loc(file, ev.start_mark)
                raise _fail(
                    file,
                    "the file holds more than one YAML document",
                    loc.line or 1,
                    loc.column or 1,
                    hint="keep one rubric per file; remove the extra '---'",
                )
    return docs, aliases


def _check_expansion(root: Node, file: str) -> None:
    """Reject alias cycles and documents whose aliases expand beyond the limits."""
    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def visit(node: Node, level: int) -> tuple[int, int]:
        key = id(node)
        if key in memo:
            size, depth = memo[key]
        else:
            if key in active:
                loc = _loc(file, node.start_mark)
                raise _fail(
                    file,
                    "an alias refers to the mapping or list that contains it",
                    loc.line or 1,
                    loc.column or 1,
                    hint="an alias (*name) may repeat only a value that does not hold it",
                )
            if level > MAX_DEPTH:
                loc = _loc(file, node.start_mark)
                raise _fail(
                    file,
                    f"the rubric nests deeper than {MAX_DEPTH} levels once aliases are expanded",
                    loc.line or 1,
                    loc.column or 1,
                    hint="use aliases only to share small parts; write the nested part out",
                )
            active.add(key)
            size, depth = 1, 1
            if isinstance(node, SequenceNode | MappingNode):
                children: list[Node] = (
                    list(node.value)
                    if isinstance(node, SequenceNode)
                    else [n for pair in node.value for n in pair]
                )
                for child in children:
                    s, d = visit(child, level + 1)
                    size += s
                    depth = max(depth, d + 1)
                    if size > MAX_EXPANDED:
                        break
            active.discard(key)
            memo[key] = (size, depth)
        if size > MAX_EXPANDED or level + depth - 1 > MAX_DEPTH + 1:
            loc = _loc(file, node.start_mark)
            raise _fail(
                file,
                f"aliases expand the rubric beyond {MAX_EXPANDED:,} values or {MAX_DEPTH} levels",
                loc.line or 1,
                loc.column or 1,
                hint="an alias bomb? use aliases only to share small parts",
            )
        return size, depth

    visit(root, 1)


_UNTAG = "remove the tag (the '!...' before the value): only plain values are allowed"


class _Converter:
    def __init__(self, file: str, text: str = "") -> None:
        self.file = file
        self.text = text
        self.spots: dict[str, Spot] = {}
        self.problems: list[Problem] = []

    def problem(self, message: str, path: str, mark: Any, hint: str = "") -> None:
        self.problems.append(Problem(message, path, _loc(self.file, mark), hint=hint))

    def scalar(self, node: ScalarNode, path: str) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.problem(
                f"YAML tag {node.tag!r} is not allowed",
                path,
                node.start_mark,
                hint="only plain YAML values (text, numbers, true/false, null) are allowed",
            )
            return INVALID
        if node.tag == f"{_TAG}timestamp":
            return str(node.value)  # dates stay text as written
        try:
            return construct(node.tag, str(node.value))
        except (ValueError, TypeError, OverflowError) as err:
            self.problem(
                f"invalid value {node.value!r}: {err}",
                path,
                node.start_mark,
                hint="write the value plainly, or quote it to keep it as text",
            )
            return INVALID

    def convert(self, node: Node, path: str) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != f"{_TAG}seq":
                self.problem(f"YAML tag {node.tag!r} is not allowed", path, node.start_mark, _UNTAG)
                return INVALID
            out = []
            for i, item in enumerate(node.value):
                p = f"{path}[{i}]"
                self.spots[p] = Spot(None, _loc(self.file, item.start_mark), self._raw(item))
                out.append(self.convert(item, p))
            return out
        if isinstance(node, MappingNode):
            if node.tag != f"{_TAG}map":
                self.problem(f"YAML tag {node.tag!r} is not allowed", path, node.start_mark, _UNTAG)
                return INVALID
            return self.mapping(node, path)
        self.problem("unsupported YAML node", path, node.start_mark, _UNTAG)  # pragma: no cover
        return INVALID

    @staticmethod
    def _raw(node: Node) -> str | None:
        return str(node.value) if isinstance(node, ScalarNode) else None

    def mapping(self, node: MappingNode, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        explicit: list[tuple[ScalarNode, Node]] = []
        for knode, vnode in node.value:
            if knode.tag == f"{_TAG}merge":
                # '<<: *base' merges first; explicit keys then win.
                for m in vnode.value if isinstance(vnode, SequenceNode) else [vnode]:
                    if isinstance(m, MappingNode):
                        out.update(self.mapping(m, path))
                    else:
                        self.problem(
                            "'<<' must merge a mapping or a list of mappings",
                            path,
                            m.start_mark,
                            hint="write '<<: *base' where &base names a mapping",
                        )
            elif isinstance(knode, ScalarNode):
                explicit.append((knode, vnode))
            else:
                self.problem(
                    "a key must be plain text, not a mapping or list",
                    path,
                    knode.start_mark,
                    hint="write the key as plain text before the ':'",
                )
        for knode, vnode in explicit:
            key = self.scalar(knode, path)
            if key is INVALID:
                continue
            if not isinstance(key, str):
                self.problem(
                    f"key {knode.value!r} must be text (YAML reads it as {key!r})",
                    f"{path}.{knode.value}",
                    knode.start_mark,
                    hint=f"quote it: '{knode.value}'",
                )
                continue
            kpath = f"{path}.{key}"
            if key in first:
                loc = _loc(self.file, knode.start_mark)
                self.problems.append(
                    Problem(
                        f"duplicate key {key!r} (first at line {first[key]})",
                        kpath,
                        loc,
                        hint="each key may appear once in a mapping; keep one",
                        excerpt=excerpt(self.text, loc.line or 1, loc.column or 1),
                    )
                )
                continue
            first[key] = int(knode.start_mark.line) + 1
            self.spots[kpath] = Spot(
                _loc(self.file, knode.start_mark),
                _loc(self.file, vnode.start_mark),
                self._raw(vnode),
            )
            out[key] = self.convert(vnode, kpath)
        return out


def read_document(text: str | bytes, file: str) -> Document:
    """Decode, guard and convert one YAML document.

    Raises:
        RubricError: for text that cannot be read at all (bad encoding, YAML syntax,
            size or depth limits, alias bombs, several or no documents, not a mapping).
    """
    s = decode(text, file)
    try:
        docs, aliases = _scan(s, file)
        root = yaml.compose(s, Loader=Loader) if docs else None
    except yaml.YAMLError as err:
        raise _yaml_problem(file, err, s) from None
    if root is None or (isinstance(root, ScalarNode) and root.tag == f"{_TAG}null"):
        raise _fail(file, "the rubric is empty", hint="start with 'rubric: my-rubric-id'")
    if not isinstance(root, MappingNode):
        loc = _loc(file, root.start_mark)
        # never quote the content: the file may not be a rubric at all (a password file)
        what = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise _fail(
            file,
            f"a rubric must be a mapping of keys to values (got {what})",
            loc.line or 1,
            loc.column or 1,
            hint="start with 'rubric: my-rubric-id'",
        )
    if aliases:  # without aliases, the scan's counts are the document's
        _check_expansion(root, file)
    conv = _Converter(file, s)
    conv.spots["$"] = Spot(None, _loc(file, root.start_mark))
    data = conv.convert(root, "$")
    return Document(data, conv.spots, conv.problems, file)
