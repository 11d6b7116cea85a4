"""Griffe extension: read the project's docstrings for the API reference.

The docstrings follow Google style with a few reStructuredText habits that Python
developers expect (``literal``, :class:`~pkg.Name`, ``.. versionadded:: 0.1.0``) and an
``Example:`` section holding doctests. This turns them into what mkdocstrings renders
well: ``Examples:`` (so doctests become code blocks), single-backtick code, and a
"New in version" line.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(
    r":(?:class|func|meth|mod|attr|data|exc|obj):`~?(?:[\w.]+\.)?([^`<]+?)(?: <[^>]+>)?`"
)
_LITERAL = re.compile(r"``([^`]+)``")
_ADDED = re.compile(r"^([ \t]*)\.\. versionadded:: ([\w.]+)[ \t]*$", re.M)
_CHANGED = re.compile(r"^([ \t]*)\.\. versionchanged:: ([\w.]+)[ \t]*$", re.M)
_EXAMPLE = re.compile(r"^([ \t]*)Example:[ \t]*$", re.M)
_LITERAL_BLOCK = re.compile(r"(\S)::[ \t]*$", re.M)  # "needed::" introduces a code block


def rewrite(text: str) -> str:
    """The docstring text with the reStructuredText habits turned into Markdown."""
    text = _EXAMPLE.sub(r"\1Examples:", text)
    text = _LITERAL_BLOCK.sub(r"\1:", text)
    text = _ROLE.sub(r"`\1`", text)
    text = _LITERAL.sub(r"`\1`", text)
    text = _ADDED.sub(r"\1*New in version \2.*", text)
    return _CHANGED.sub(r"\1*Changed in version \2.*", text)


class RstHabits(griffe.Extension):
    """Rewrite every docstring once it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rewrite(obj.docstring.value)
