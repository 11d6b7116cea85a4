"""Notebook display of result objects: a short ``repr``, a compact HTML table and tidy
records (a base module: it imports nothing from the package's layers).

A class mixes in :class:`Tabular` and defines ``to_records()`` (tidy long form: one
flat dict per observation, the same keys in every row, cells plain Python values),
``_headline()`` (one line saying what it is) and, where a picture helps, ``_svg()``
(public as ``to_svg()``). The mixin adds ``__repr__`` (``<Type headline>``),
``_repr_html_`` (headline, the picture, then at most :data:`HTML_ROWS` rows of the
records, every cell escaped) and ``to_dataframe()`` (the records as a pandas DataFrame,
the ``pandas`` extra).

>>> class Demo(Tabular):
...     def to_records(self): return [{"id": "<a>", "score": 1.5}]
...     def _headline(self): return "one row"
>>> repr(Demo()), "&lt;a&gt;" in Demo()._repr_html_(), HTML_ROWS
('<Demo one row>', True, 40)
"""

from __future__ import annotations

import html
import importlib
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Union

from .errors import MissingExtraError, Problem

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas  # type: ignore[import-untyped, unused-ignore]

__all__ = ["HTML_ROWS", "Cell", "Record", "Tabular", "bars_svg", "cell_text", "html_table"]

#: One cell of a record: what a CSV or a DataFrame column can hold.
Cell = Union[str, int, float, bool, None]  # noqa: UP007 (a runtime alias on 3.10)
#: One tidy row.
Record = dict[str, Cell]

#: Most rows an HTML view shows (the rest are counted, not drawn).
HTML_ROWS = 40
_PANDAS_HINT = "pip install readiness-model[pandas]"


def cell_text(value: Cell) -> str:
    """A cell as a table shows it: numbers to 4 significant decimals, missing as empty.

    Example:
        >>> cell_text(0.123456789), cell_text(None), cell_text(float("nan")), cell_text(3)
        ('0.1235', '', '', '3')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def html_table(records: Sequence[Record], limit: int = HTML_ROWS) -> str:
    """An escaped HTML table of ``records`` (the first row's keys as the header), at
    most ``limit`` rows and a line counting the rest.

    Example:
        >>> t = html_table([{"a": "<b>", "n": 1.0}, {"a": "y", "n": None}], limit=1)
        >>> t.count("<tr>"), "<td>&lt;b&gt;</td>" in t, '<td class="num">1</td>' in t
        (2, True, True)
        >>> t.endswith("<p>… 1 more</p>")
        True
    """
    if not records:
        return "<p>(nothing to show)</p>"
    keys = list(records[0])
    out = ['<table class="rm-table"><thead><tr>']
    out += [f"<th>{html.escape(k)}</th>" for k in keys]
    out.append("</tr></thead><tbody>")
    for rec in records[:limit]:
        out.append("<tr>")
        for k in keys:
            v = rec.get(k)
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            cls = ' class="num"' if num else ""
            out.append(f"<td{cls}>{html.escape(cell_text(v))}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if len(records) > limit:
        out.append(f"<p>… {len(records) - limit} more</p>")
    return "".join(out)


def bars_svg(labels: Sequence[str], values: Sequence[float], *, width: int = 360) -> str:
    """A horizontal bar chart (SVG) of ``values``, negative bars to the left of zero.

    Example:
        >>> svg = bars_svg(["a", "<b>"], [2.0, -1.0])
        >>> svg.startswith("<svg") and "&lt;b&gt;" in svg and svg.count("<rect") == 2
        True
    """
    finite = [v if math.isfinite(v) else 0.0 for v in values]
    lo, hi = min([0.0, *finite]), max([0.0, *finite])
    span = (hi - lo) or 1.0
    left, bar_w, row = 150, width - 150 - 50, 18
    zero = left + bar_w * (0.0 - lo) / span
    h = row * len(finite) + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" '
        f'viewBox="0 0 {width} {h}" font-family="sans-serif" font-size="11">'
    ]
    for i, (label, v) in enumerate(zip(labels, finite, strict=True)):
        y = 2 + i * row
        x0, x1 = sorted((zero, left + bar_w * (v - lo) / span))
        name = label if len(label) <= 24 else label[:23] + "…"
        colour = "#3465a4" if v >= 0 else "#c62828"
        out.append(
            f'<text x="{left - 4}" y="{y + 12}" text-anchor="end">{html.escape(name)}</text>'
            f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(x1 - x0, 0.5):.1f}" height="{row - 5}" '
            f'fill="{colour}"><title>{html.escape(label)}: {v:.4g}</title></rect>'
            f'<text x="{x1 + 3:.1f}" y="{y + 12}">{html.escape(cell_text(v))}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def to_dataframe(records: list[Record], columns: Sequence[str] = ()) -> pandas.DataFrame:
    """``records`` as a pandas DataFrame (``columns``: the order when there are none).

    Raises:
        MissingExtraError: pandas is not installed.

    Example:
        >>> to_dataframe([{"a": 1}]).to_dict("records")
        [{'a': 1}]
    """
    try:
        pd = importlib.import_module("pandas")  # lazily: an optional extra
    except ImportError as err:
        raise MissingExtraError(
            [Problem("this needs pandas, which is not installed", "pandas", hint=_PANDAS_HINT)]
        ) from err
    if not records:
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame.from_records(records, columns=list(records[0]))


class Tabular:
    """Mixin: ``__repr__``, ``_repr_html_`` and ``to_dataframe`` from ``to_records``.

    Example:
        >>> class Two(Tabular):
        ...     def to_records(self): return [{"x": 1}, {"x": 2}]
        ...     def _headline(self): return "two rows"
        >>> repr(Two()), Two()._repr_html_().count("<tr>")
        ('<Two two rows>', 3)
    """

    __slots__ = ()

    def to_records(self) -> list[Record]:  # pragma: no cover - every class defines it
        raise NotImplementedError

    def _headline(self) -> str:  # pragma: no cover - every class defines it
        raise NotImplementedError

    def _svg(self) -> str:
        return ""

    def to_svg(self) -> str:
        """The picture of the notebook view as SVG text (``""`` when it has none): the
        bar chart of an explanation's largest contributions or of a gap plan's gains.

        Example:
            >>> class Bars(Tabular):
            ...     def to_records(self): return []
            ...     def _headline(self): return ""
            ...     def _svg(self): return bars_svg(["a"], [1.0])
            >>> Bars().to_svg().startswith("<svg"), Tabular.to_svg(Bars()) == Bars()._svg()
            (True, True)
        """
        return self._svg()

    def _html_records(self) -> list[Record]:
        """The rows the HTML view shows (default: the records)."""
        return self.to_records()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._headline()}>"

    def _repr_html_(self) -> str:
        """Notebook display: the headline, the picture, a compact table."""
        head = f"<p><b>{html.escape(type(self).__name__)}</b> {html.escape(self._headline())}</p>"
        return (
            f'<div class="rm-tabular">{head}{self._svg()}{html_table(self._html_records())}</div>'
        )

    def to_dataframe(self) -> pandas.DataFrame:
        """The records as a pandas DataFrame (needs ``readiness-model[pandas]``).

        Raises:
            MissingExtraError: pandas is not installed (an ImportError naming the extra).

        Example:
            >>> class One(Tabular):
            ...     def to_records(self): return [{"x": 1.5}]
            ...     def _headline(self): return ""
            >>> One().to_dataframe()["x"].tolist()
            [1.5]
        """
        return to_dataframe(self.to_records())
