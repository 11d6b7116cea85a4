"""SVG charts for reports and notebooks: radar (spider) charts and horizontal bar charts.

Pure string building: no scripts, no fonts or images fetched, presentation attributes
inline so that a chart also stands alone (``AgencyResult._repr_svg_``). Every text taken
from a rubric or an answers file is escaped.

Radar geometry: ``n`` axes start at the top and run clockwise, ``2π/n`` apart; a score is
placed at ``radius · (s − lo) / (hi − lo)`` from the centre (clamped to the rings), so the
low end of the rubric scale sits at the centre and the high end on the outer ring.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

import attrs

from .._text_layout import clusters, display_width, wrap_text
from .labels import LINE_HEIGHT, Box, Placed, place_axis_label, text_lines, text_width

__all__ = [
    "FONT",
    "Series",
    "axis_angles",
    "bar_chart",
    "radar_chart",
    "radar_point",
    "wrap",
]

FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans Thai', Tahoma, Arial, sans-serif"
#: Font size of axis labels (px) and the distance between legend lines.
LABEL_FONT, LEGEND_STEP = 10, 14
#: Series styles: stroke colour, fill, dash pattern.
STYLES = {
    "agency": ("#1f5fbf", "#1f5fbf", ""),
    "median": ("#6b6b6b", "none", "5 3"),
    "previous": ("#d9822b", "none", "2 3"),
}


# Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates,
# U+FFFE/U+FFFF) would make a standalone SVG unreadable: they are shown as U+FFFD.
_NOT_XML = dict.fromkeys(
    [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF, *range(0xD800, 0xE000)],
    "\ufffd",
)


def esc(text: object) -> str:
    """Escape text for HTML and XML (quotes included; characters XML forbids become U+FFFD).

    Example:
        >>> esc("<a href='x'>&\x08")
        '&lt;a href=&#x27;x&#x27;&gt;&amp;\ufffd'
    """
    return html.escape(str(text), quote=True).translate(_NOT_XML)


def _n(x: float) -> str:
    """A coordinate with at most one decimal (compact, stable)."""
    s = f"{x:.1f}"
    return "0" if s == "-0.0" else s.removesuffix(".0")


def _floats(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@attrs.frozen(slots=True)
class Series:
    """One polygon of a radar chart.

    Attributes:
        label: Legend text.
        values: One score per axis on the rubric scale (NaN: no score, drawn at the centre).
        style: ``agency``, ``median`` or ``previous``.

    Example:
        >>> Series("Revenue Department", (80.0, 55.5)).style
        'agency'

    .. versionadded:: 0.1.0
    """

    label: str
    values: tuple[float, ...] = attrs.field(converter=_floats)
    style: str = attrs.field(default="agency", validator=attrs.validators.in_(tuple(STYLES)))


def axis_angles(n: int) -> list[float]:
    """Angle (radians, SVG coordinates: y grows downwards) of each of ``n`` radar axes.

    The first axis points up; the others follow clockwise, evenly spaced.

    Args:
        n: Number of axes (>= 1).

    Returns:
        ``[-π/2 + 2πk/n for k in range(n)]``.

    Example:
        >>> [round(math.degrees(a)) for a in axis_angles(4)]
        [-90, 0, 90, 180]

    .. versionadded:: 0.1.0
    """
    return [-math.pi / 2 + 2 * math.pi * k / n for k in range(n)]


def radar_point(
    value: float,
    angle: float,
    scale: tuple[float, float],
    centre: tuple[float, float],
    radius: float,
) -> tuple[float, float]:
    """Where a score lands on its axis.

    Args:
        value: Score on the rubric scale; NaN lands at the centre.
        angle: The axis angle (see :func:`axis_angles`).
        scale: The rubric's ``(low, high)``; low is the centre, high the outer ring.
        centre: ``(cx, cy)`` of the chart.
        radius: Radius of the outer ring.

    Returns:
        ``(x, y)``; scores outside the scale are clamped to it.

    Example:
        >>> radar_point(100.0, -math.pi / 2, (0.0, 100.0), (50.0, 50.0), 40.0)
        (50.0, 10.0)
        >>> radar_point(0.0, 0.0, (0.0, 100.0), (50.0, 50.0), 40.0)
        (50.0, 50.0)

    .. versionadded:: 0.1.0
    """
    lo, hi = scale
    share = 0.0 if math.isnan(value) else min(1.0, max(0.0, (value - lo) / (hi - lo)))
    r = radius * share
    x = centre[0] + r * math.cos(angle)
    y = centre[1] + r * math.sin(angle)
    return round(x, 6) + 0.0, round(y, 6) + 0.0


def wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """Break ``text`` into at most ``lines`` lines of about ``width`` terminal cells, at
    word boundaries (Thai too, see :func:`readiness_model._text_layout.wrap_text`); the
    last line ends with ``…`` when text is left over. For a fixed number of lines only:
    the charts wrap without a limit instead.

    Example:
        >>> wrap("Secure and Efficient Infrastructure", 14)
        ['Secure and', 'Efficient Inf…']
    """
    out = [line.rstrip() for line in wrap_text(text.strip(), width) if line.strip()]
    if len(out) <= lines:
        return out
    last = " ".join(out[lines - 1 :])
    units, kept = clusters(last), ""
    for u in units:
        if display_width(kept + u) > width - 1:
            break
        kept += u
    return [*out[: lines - 1], kept + "…"]


def _tspans(placed: Placed, cx: float, cy: float, step: float) -> str:
    return "".join(
        f'<tspan x="{_n(cx + placed.x)}" y="{_n(cy + placed.baseline + step * k)}">'
        f"{esc(line)}</tspan>"
        for k, line in enumerate(placed.lines)
    )


def radar_chart(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    scale: tuple[float, float] = (0.0, 100.0),
    size: int = 360,
    title: str | None = None,
    label_chars: int = 15,
) -> str:
    """A standalone SVG radar chart.

    Axis labels are never cut: each is wrapped onto as many lines as it needs (Thai at
    word boundaries) and the chart is made large enough to hold every label and legend
    line (wider than ``size`` only when a single word needs it).

    Args:
        axes: Axis labels (dimension titles), clockwise from the top.
        series: Polygons, drawn in order (the agency last so it stays on top is up to
            the caller); each has one value per axis.
        scale: The rubric scale: ``low`` at the centre, ``high`` on the outer ring.
        size: Width of the chart in px (the height follows from the labels and legend).
        title: Accessible title (``<title>``).
        label_chars: Axis labels are wrapped to lines of about this many average Latin
            characters (less where the chart's side leaves less room).

    Returns:
        SVG markup (``<svg xmlns=...>...</svg>``) with escaped text.

    Raises:
        ValueError: a series does not have one value per axis.

    Example:
        >>> svg = radar_chart(["A", "B", "C"], [Series("x", (100.0, 50.0, 0.0))])
        >>> svg.startswith("<svg") and 'class="series agency"' in svg
        True

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Labels are wrapped in full, never shortened with ``…``.
    """
    n = len(axes)
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"series {s.label!r} has {len(s.values)} values for {n} axes")
    radius, pad = size * 0.26, 6.0
    angles = axis_angles(n) if n else []
    label_px = label_chars * 0.62 * LABEL_FONT
    placed: list[Placed] = []
    extent = Box(-radius, -radius, radius, radius)
    for label, a in zip(axes, angles, strict=True):
        c = abs(math.cos(a))
        room = size / 2 - (radius + 8) * c - pad if c >= 0.2 else 1.4 * label_px
        lab = place_axis_label(label, a, radius + 8, max(40.0, min(label_px * 1.4, room)), 10)
        placed.append(lab)
        extent = extent.union(lab.box)
    plot_w = extent.x1 - extent.x0 + 2 * pad
    width = max(float(size), plot_w)
    cx = pad - extent.x0 + (width - plot_w) / 2
    cy = pad - extent.y0
    plot_h = extent.y1 - extent.y0 + 2 * pad
    legend = [text_lines(s.label, width - 42 - pad, 11) or [""] for s in series]
    legend_h = sum(18 + LEGEND_STEP * (len(lines) - 1) for lines in legend) + 8
    width, height = math.ceil(width), math.ceil(plot_h + legend_h)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="radar" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="{esc(FONT)}" font-size="11">'
    ]
    if title:
        out.append(f"<title>{esc(title)}</title>")
    lo, hi = scale
    # rings at a quarter, half, three quarters and the whole of the scale
    for q in (0.25, 0.5, 0.75, 1.0):
        pts = [radar_point(lo + q * (hi - lo), a, scale, (cx, cy), radius) for a in angles or [0.0]]
        if n >= 3:
            ring = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
            out.append(
                f'<polygon class="ring" points="{ring}" fill="none" stroke="#d0d0d0" '
                'stroke-width="1"/>'
            )
        else:
            out.append(
                f'<circle class="ring" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius * q)}" '
                'fill="none" stroke="#d0d0d0" stroke-width="1"/>'
            )
        out.append(
            f'<text x="{_n(cx + 3)}" y="{_n(cy - radius * q + 9)}" fill="#9a9a9a" '
            f'font-size="8">{esc(f"{lo + q * (hi - lo):g}")}</text>'
        )
    step = LABEL_FONT * LINE_HEIGHT
    for label, a, lab in zip(axes, angles, placed, strict=True):
        x, y = radar_point(hi, a, scale, (cx, cy), radius)
        out.append(
            f'<line class="axis" x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
            'stroke="#c0c0c0" stroke-width="1"/>'
        )
        out.append(
            f'<text class="axis-label" text-anchor="{lab.anchor}" fill="#333" '
            f'font-size="{LABEL_FONT}"><title>{esc(label)}</title>'
            f"{_tspans(lab, cx, cy, step)}</text>"
        )
    for s in series:
        stroke, fill, dash = STYLES[s.style]
        pts = [
            radar_point(v, a, scale, (cx, cy), radius)
            for v, a in zip(s.values, angles, strict=True)
        ]
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        fill_attr = f'fill="{fill}" fill-opacity="0.22"' if fill != "none" else 'fill="none"'
        out.append(
            f'<g class="series {s.style}"><title>{esc(s.label)}</title>'
            f'<polygon points="{coords}" {fill_attr} stroke="{stroke}" stroke-width="2"'
            f"{dash_attr}/>"
        )
        if s.style == "agency":
            for (x, y), v in zip(pts, s.values, strict=True):
                if not math.isnan(v):
                    out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{stroke}"/>')
        out.append("</g>")
    y = plot_h + 2
    for s, lines in zip(series, legend, strict=True):
        stroke, _, dash = STYLES[s.style]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        spans = "".join(
            f'<tspan x="42" y="{_n(y + 10 + LEGEND_STEP * k)}">{esc(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(
            f'<line x1="12" y1="{_n(y + 6)}" x2="36" y2="{_n(y + 6)}" stroke="{stroke}" '
            f'stroke-width="2"{dash_attr}/><text class="legend" fill="#333">{spans}</text>'
        )
        y += 18 + LEGEND_STEP * (len(lines) - 1)
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    items: Sequence[tuple[str, int]],
    *,
    width: int = 440,
    title: str | None = None,
    colour: str = "#1f5fbf",
    label_chars: int = 40,
) -> str:
    """A standalone SVG horizontal bar chart of counts (band or group distribution).

    Args:
        items: ``(label, count)`` pairs, drawn top to bottom.
        width: Chart width in px.
        title: Accessible title (``<title>``).
        colour: Bar fill colour.
        label_chars: Labels are wrapped to lines of about this many average Latin
            characters (at most 60 % of the width); a row grows to hold its lines.

    Returns:
        SVG markup with escaped text; bar lengths are proportional to the counts.

    Example:
        >>> svg = bar_chart([("Advanced", 3), ("Initial", 1)])
        >>> svg.count('class="bar"')
        2

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Labels are wrapped in full, never shortened with ``…``.
    """
    room = min(width * 0.6, label_chars * 0.62 * 11)
    wrapped = [text_lines(label, room, 11) or [""] for label, _ in items]
    longest = max((text_width(x, 11) for lines in wrapped for x in lines), default=0.0)
    label_w = math.ceil(longest + 12)
    rows = [max(22.0, LEGEND_STEP * len(lines) + 8) for lines in wrapped]
    height = math.ceil(sum(rows) + 8)
    top = max((c for _, c in items), default=0) or 1
    span = width - label_w - 48
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="{esc(FONT)}" font-size="11">'
    ]
    if title:
        out.append(f"<title>{esc(title)}</title>")
    y = 4.0
    for (label, count), lines, row_h in zip(items, wrapped, rows, strict=True):
        w = span * count / top
        mid = y + row_h / 2
        first = mid + 4 - LEGEND_STEP * (len(lines) - 1) / 2
        spans = "".join(
            f'<tspan x="{label_w - 6}" y="{_n(first + LEGEND_STEP * k)}">{esc(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(
            f'<text text-anchor="end" fill="#333"><title>{esc(label)}</title>{spans}</text>'
            f'<rect class="bar" x="{label_w}" y="{_n(mid - 8)}" width="{_n(w)}" height="16" '
            f'fill="{colour}"/>'
            f'<text x="{_n(label_w + w + 4)}" y="{_n(mid + 4)}" fill="#333">{count}</text>'
        )
        y += row_h
    out.append("</svg>")
    return "".join(out)
