"""What a YAML syntax error means for a rubric author, and what to do about it.

The YAML parser names what it expected where it stopped ("mapping values are not
allowed in this context"); the mistake is often elsewhere on the line, or on the line
above. :func:`syntax_problem` looks at the text around the parser's marks and names the
usual mistakes in the author's words, each at its file, line and column with the
offending line and a caret under the spot (:func:`excerpt`):

- a tab in the indentation (YAML indents with spaces only);
- an unquoted ``: `` inside a value (``title: นโยบาย: แผนงาน``): quote the value, shown
  quoted;
- a line indented differently from the line it belongs with: the column of that line;
- a quote or a bracket that is never closed, or text after a closing quote;
- (duplicate keys are found later, while reading; their problem carries an excerpt too).

Anything else keeps the parser's words, with the line and the caret.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import attrs

from ..errors import Location, Problem

__all__ = ["excerpt", "quoted", "syntax_problem"]

_WIDE = 100  # longest excerpt shown, in display columns
_KEY = re.compile(
    r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)"
    r"(?P<key>[^\s#'\"\[\]{},&*!|>%@`-][^:#]*?|\"[^\"]*\"|'[^']*'):(?:[ ]+|$)"
)
_DASH = re.compile(r"^(?P<indent>[ ]*)-(?:[ ]|$)")
_BLOCK_SCALAR = re.compile(r"(?::|^-|^[ ]*-)[ ]+[|>][-+0-9]*[ ]*(?:#.*)?$")


def _width(text: str) -> int:
    """Display columns of ``text`` (combining marks 0, wide characters 2)."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def excerpt(text: str, line: int, column: int) -> str:
    """The line ``line`` of ``text`` and a caret under ``column`` (both 1-based), as
    shown under a problem; a tab shows as ``→``.

    Example:
        >>> print(excerpt("rubric: x\\ntitle: a: b\\n", 2, 9))
          2 | title: a: b
            |         ^
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].replace("\t", "→")
    col = max(1, min(column, len(shown) + 1))
    if _width(shown[max(0, col - 1 - _WIDE) : col - 1]) > _WIDE - 20:
        start = col - 1 - 40
        shown = "…" + shown[start : start + 2 * _WIDE]
        col = col - start + 1
    if len(shown) > _WIDE or _width(shown) > _WIDE:
        shown = shown[: 2 * _WIDE]
        while _width(shown) > _WIDE - 1:
            shown = shown[:-1]
        shown += "…"
    number = str(line)
    pad = " " * len(number)
    caret = " " * _width(shown[: col - 1]) + "^"
    return f"  {number} | {shown}\n  {pad} | {caret}"


def quoted(value: str) -> str:
    """``value`` as a quoted YAML scalar: double quotes, or single quotes when the value
    holds a double quote or a backslash.

    Example:
        >>> quoted("นโยบาย: แผนงาน"), quoted('say "hi"')
        ('"นโยบาย: แผนงาน"', '\\'say "hi"\\'')
    """
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


@attrs.frozen
class _Found:
    message: str
    line: int
    column: int
    hint: str = ""


def _lines(text: str) -> list[str]:
    return text.splitlines() or [""]


def _leading(line: str) -> int:
    """0-based index of the first character that is not a space or tab."""
    return len(line) - len(line.lstrip(" \t"))


def _tab(lines: list[str], first: int, last: int) -> _Found | None:
    """A tab in the indentation of a line from ``first`` to ``last`` (0-based), the
    nearest to ``last`` first."""
    for i in range(min(last, len(lines) - 1), max(first, 0) - 1, -1):
        head = lines[i][: _leading(lines[i])]
        if "\t" in head:
            return _Found(
                "a tab indents this line; YAML indents with spaces only",
                i + 1,
                head.index("\t") + 1,
                "replace the tab with spaces",
            )
    return None


def _strip_comment(value: str) -> str:
    cut = re.search(r"[ \t]#", value)
    return (value[: cut.start()] if cut else value).rstrip()


def _colon_in_value(lines: list[str], i: int, col: int) -> _Found | None:
    """``key: some: text`` where the parser stopped at a ``:`` inside the value."""
    m = _KEY.match(lines[i])
    if m is None or col <= m.end() - 1:
        return None
    value = _strip_comment(lines[i][m.end() :])
    if not value or value[0] in "'\"[{|>&*!":
        return None
    fixed = lines[i][: m.end()].lstrip() + quoted(value)
    key = m.group("key")
    return _Found(
        f"the value of {key!r} holds ': ', which YAML reads as a new key",
        i + 1,
        col + 1,
        f"write the value in quotes: {fixed}",
    )


def _colon_in_flow(lines: list[str], i: int, col: int) -> _Found | None:
    """``{en: a, th: some: text}``: a second ``: `` inside one item of a flow mapping."""
    line = lines[i]
    if col >= len(line) or line[col] != ":":
        return None
    start = max(line.rfind(c, 0, col) for c in ",{[") + 1
    if start == 0:  # no flow item starts before it on this line
        return None
    end = min([j for j in (line.find(c, col) for c in ",}]") if j >= 0] or [len(line)])
    item = line[start:end]
    key, sep, value = item.strip().partition(": ")
    if not sep or (": " not in value and not value.endswith(":")):
        return None
    lead = item[: len(item) - len(item.lstrip())]
    fixed = line[:start] + lead + f"{key}: {quoted(value.strip())}" + line[end:]
    return _Found(
        f"the value of {key!r} holds ': ', which YAML reads as a new key",
        i + 1,
        col + 1,
        f"write the value in quotes: {fixed.strip()}",
    )


def _structure(lines: list[str], upto: int) -> list[tuple[int, str, int, str]]:
    """(line index, kind, column, text) of the key and list-item lines before ``upto``
    (0-based columns; kind ``key`` or ``item``), skipping comments and the content of
    block scalars (``description: >-``)."""
    out: list[tuple[int, str, int, str]] = []
    scalar_indent: int | None = None
    for i in range(upto):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = _leading(line)
        if scalar_indent is not None:
            if indent > scalar_indent:
                continue
            scalar_indent = None
        m = _KEY.match(line)
        if m is not None:
            col = m.start("key")
            out.append((i, "key", col, m.group("key")))
            if m.group("dashes"):
                out.append((i, "item", indent, line.strip()))
        elif _DASH.match(line):
            out.append((i, "item", indent, line.strip()))
        if _BLOCK_SCALAR.search(line):
            scalar_indent = indent
    return out


def _misindented(lines: list[str], i: int) -> _Found | None:
    """Line ``i`` starts at a column that no key (or list item) above it uses: name the
    nearest one at the closest column."""
    line = lines[i]
    if not line.strip():
        return None
    col = _leading(line)
    kind = "item" if _DASH.match(line) else "key"
    above = [s for s in _structure(lines, i) if s[1] == kind]
    if not above or any(c == col for _, _, c, _ in above[-1:]):
        return None
    best = min(above, key=lambda s: (abs(s[2] - col), i - s[0]))
    if best[2] == col:
        return None
    j, _, other, text = best
    what = line.strip()
    if kind == "item":
        shown = text if len(text) <= 30 else text[:29] + "…"
        what = what if len(what) <= 30 else what[:29] + "…"
        return _Found(
            f"mis-indented list item: {what!r} starts at column {col + 1}, "
            f"but the item above it ({shown!r}, line {j + 1}) starts at column {other + 1}",
            i + 1,
            col + 1,
            f"indent it to column {other + 1} to make it another item of that list",
        )
    name = _KEY.match(line)
    key = name.group("key") if name is not None else what[:30]
    return _Found(
        f"mis-indented line: {key!r} starts at column {col + 1}, but {text!r} "
        f"(line {j + 1}) starts at column {other + 1}",
        i + 1,
        col + 1,
        f"indent it to column {other + 1} to make it a key beside {text!r}",
    )


def _after_quote(lines: list[str], i: int, col: int) -> _Found | None:
    """``title: 'Director's plan'``: text right after a closing quote."""
    line = lines[i]
    end = len(line[:col].rstrip())
    if end == 0 or line[end - 1] not in "'\"":
        return None
    q = line[end - 1]
    opening = line.find(q)
    if opening < 0 or opening >= end - 1:
        return None
    value = _strip_comment(line[opening + 1 :])
    inner = value[:-1] if value.endswith(q) else value
    fixed = line[:opening].lstrip() + quoted(inner)
    how = (
        "inside single quotes an apostrophe is written twice ('')"
        if q == "'"
        else 'inside double quotes a quote is written \\"'
    )
    return _Found(
        f"text after the closing {q} of a quoted value",
        i + 1,
        col + 1,
        f"{how}; or write: {fixed}",
    )


def _diagnose(lines: list[str], err: Any) -> _Found | None:
    mark = getattr(err, "problem_mark", None)
    ctx = getattr(err, "context_mark", None)
    problem = str(getattr(err, "problem", "") or "")
    context = str(getattr(err, "context", "") or "")
    if mark is None:
        return None
    i, col = int(mark.line), int(mark.column)
    c_line = int(ctx.line) if ctx is not None else i
    found = _tab(lines, min(c_line, i), i) if "tab" in problem or "token" in problem else None
    if found is None and i < len(lines) and "\t" in lines[i][: _leading(lines[i]) + 1]:
        found = _tab(lines, i, i)
    if found is not None:
        return found
    if "quoted scalar" in context and ctx is not None and c_line < len(lines):
        q = lines[c_line][int(ctx.column)] if int(ctx.column) < len(lines[c_line]) else '"'
        return _Found(
            f"the {q} that starts a quoted value here is never closed",
            c_line + 1,
            int(ctx.column) + 1,
            f"end the value with {q} on the same line"
            + (", and write an apostrophe inside it twice ('')" if q == "'" else ""),
        )
    if "flow" in context and "did not find expected" in problem and c_line < len(lines):
        found = _colon_in_flow(lines, i, col) if i < len(lines) else None
        if (
            found is None
            and ctx is not None
            and i > c_line
            and int(ctx.column) < len(lines[c_line])
        ):
            opener = lines[c_line][int(ctx.column)]
            closer = {"[": "]", "{": "}"}.get(opener, "]")
            found = _Found(
                f"the {opener!r} that starts here is never closed",
                c_line + 1,
                int(ctx.column) + 1,
                f"end the {'list' if opener == '[' else 'mapping'} with {closer!r}",
            )
        return found
    if i >= len(lines):
        return None
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, i, col) or _misindented(lines, i)
    if "did not find expected" in problem or "not allowed" in problem:
        return _after_quote(lines, i, col) or _misindented(lines, i)
    return None


def syntax_problem(file: str, text: str, err: Any) -> Problem:
    """The located problem of a YAML syntax error in ``text``, in the author's words
    when the mistake is a usual one, with the offending line and a caret.

    Example:
        >>> import yaml
        >>> text = "rubric: x\\ntitle: Plan: the next step\\n"
        >>> try:
        ...     yaml.safe_load(text)
        ... except yaml.YAMLError as err:
        ...     p = syntax_problem("r.yaml", text, err)
        >>> str(p.location)
        'r.yaml:2:12'
        >>> print(p.message)
        invalid YAML: the value of 'title' holds ': ', which YAML reads as a new key
        >>> print(p.hint)
        write the value in quotes: title: "Plan: the next step"
        >>> print(p.excerpt)
          2 | title: Plan: the next step
            |            ^
    """
    lines = _lines(text)
    try:
        found = _diagnose(lines, err)
    except (IndexError, ValueError, AttributeError, TypeError):  # pragma: no cover
        found = None  # a hint never hides the error itself
    if found is None:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        what = getattr(err, "problem", None) or str(err)
        context = getattr(err, "context", None)
        message = f"invalid YAML: {what}" + (f" ({context})" if context else "")
        line, col = (int(mark.line) + 1, int(mark.column) + 1) if mark is not None else (1, 1)
        found = _Found(
            message,
            line,
            col,
            "check the YAML at the caret and on the line above: indentation (spaces), "
            "quotes and brackets",
        )
    return Problem(
        found.message
        if found.message.startswith("invalid YAML")
        else f"invalid YAML: {found.message}",
        "$",
        Location(file, found.line, found.column),
        hint=found.hint,
        excerpt=excerpt(text, found.line, found.column),
    )
