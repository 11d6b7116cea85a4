"""Checks of the text arguments of ``ResponseSet.from_array``: attribute columns, and
ids no output could hold.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import Problem, ResponseError
from .answer_cells import check_text

__all__ = ["attribute_columns", "check_texts"]


def attribute_columns(
    attributes: Mapping[str, Sequence[str | None]] | None, n: int
) -> tuple[tuple[str, tuple[str | None, ...]], ...]:
    """``from_array``'s attributes as pairs: one text (or None) per row of each.

    Example:
        >>> attribute_columns({"kind": ["ministry", None]}, 2)
        (('kind', ('ministry', None)),)
    """
    if attributes is None:
        return ()
    if not isinstance(attributes, Mapping):
        raise TypeError(
            f"'attributes' must be a mapping of name to values (got {type(attributes).__name__})"
        )
    out = []
    for k, v in attributes.items():
        if (
            not isinstance(k, str)
            or isinstance(v, str | bytes)
            or not isinstance(v, Sequence)
            or len(v) != n
            or not all(x is None or isinstance(x, str) for x in v)
        ):
            raise ResponseError(
                [
                    Problem(
                        f"attribute {k!r} must hold one text (or None) per row ({n} rows)",
                        f"attributes.{k}",
                    )
                ]
            )
        check_texts(v, f"attributes.{k}", "the attribute")
        out.append((k, tuple(v)))
    return tuple(out)


def check_texts(values: Sequence[object], path: str, what: str) -> None:
    """A located ResponseError for text no output could hold (a lone surrogate).

    Example:
        >>> try:
        ...     check_texts(["a", "\\ud800"], "agencies", "the agency id")
        ... except ResponseError as err:
        ...     print(err.problems[0].path)
        agencies[1]
    """
    try:
        joined = "\x00".join(values)  # type: ignore[arg-type]  # all text: one C call
    except TypeError:
        joined = "\x00".join(v for v in values if isinstance(v, str))
    try:
        check_text(joined, what)
    except ValueError:
        for i, v in enumerate(values):
            try:
                check_text(v if isinstance(v, str) else "", what)
            except ValueError as err:
                raise ResponseError(
                    [Problem(str(err), f"{path}[{i}]", hint="write it as plain text")]
                ) from None
