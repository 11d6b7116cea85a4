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


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, width: int, lines: int = 2) -> list[str]:
    """Break ``text`` into at most ``lines`` lines of about ``width`` characters (at
    spaces when there are any, else anywhere: Thai has no spaces); the last line ends
    with ``…`` when text is left over.

    Example:
        >>> wrap("Secure and Efficient Infrastructure", 14)
        ['Secure and', 'Efficient Inf…']
    """
    out: list[str] = []
    rest = text.strip()
    while rest and len(out) < lines:
        if len(rest) <= width:
            out.append(rest)
            rest = ""
            break
        cut = rest.rfind(" ", 0, width + 1)
        if cut <= 0:
            cut = width
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    if rest and out:
        out[-1] = _short(out[-1] + " " + rest, width)
    return out


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

    Args:
        axes: Axis labels (dimension titles), clockwise from the top.
        series: Polygons, drawn in order (the agency last so it stays on top is up to
            the caller); each has one value per axis.
        scale: The rubric scale: ``low`` at the centre, ``high`` on the outer ring.
        size: Width of the chart in px (the height adds room for the legend).
        title: Accessible title (``<title>``).
        label_chars: Axis labels are wrapped on two lines of about this many characters
            (full text in a tooltip).

    Returns:
        SVG markup (``<svg xmlns=...>...</svg>``) with escaped text.

    Raises:
        ValueError: a series does not have one value per axis.

    Example:
        >>> svg = radar_chart(["A", "B", "C"], [Series("x", (100.0, 50.0, 0.0))])
        >>> svg.startswith("<svg") and 'class="series agency"' in svg
        True

    .. versionadded:: 0.1.0
    """
    n = len(axes)
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"series {s.label!r} has {len(s.values)} values for {n} axes")
    legend_h = 18 * len(series) + 8
    radius = size * 0.26
    plot_h = round(2 * radius + 64)
    width, height = size, plot_h + legend_h
    cx, cy = size / 2, plot_h / 2
    angles = axis_angles(n) if n else []
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
    for label, a in zip(axes, angles, strict=True):
        x, y = radar_point(hi, a, scale, (cx, cy), radius)
        out.append(
            f'<line class="axis" x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" '
            'stroke="#c0c0c0" stroke-width="1"/>'
        )
        c, sn = math.cos(a), math.sin(a)
        lx = cx + (radius + 8) * c
        ly = cy + (radius + 8) * sn
        anchor = "middle" if abs(c) < 0.2 else ("start" if c > 0 else "end")
        lines = wrap(label, label_chars, 2)
        top = ly + 4 - (11 * (len(lines) - 1) if sn < -0.2 else 0)
        if abs(sn) <= 0.2:
            top -= 5.5 * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="{_n(lx)}" y="{_n(top + 11 * k)}">{esc(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        out.append(
            f'<text class="axis-label" text-anchor="{anchor}" fill="#333" font-size="10">'
            f"<title>{esc(label)}</title>{spans}</text>"
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
    for k, s in enumerate(series):
        stroke, _, dash = STYLES[s.style]
        y = plot_h + 2 + 18 * k
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="12" y1="{y + 6}" x2="36" y2="{y + 6}" stroke="{stroke}" '
            f'stroke-width="2"{dash_attr}/>'
            f'<text x="42" y="{y + 10}" fill="#333">{esc(_short(s.label, 60))}</text>'
        )
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
        label_chars: Labels longer than this are shortened (full text in a tooltip).

    Returns:
        SVG markup with escaped text; bar lengths are proportional to the counts.

    Example:
        >>> svg = bar_chart([("Advanced", 3), ("Initial", 1)])
        >>> svg.count('class="bar"')
        2

    .. versionadded:: 0.1.0
    """
    longest = max((len(_short(label, label_chars)) for label, _ in items), default=0)
    row_h, label_w = 22, min(int(width * 0.6), 7 * longest + 12)
    height = row_h * len(items) + 8
    top = max((c for _, c in items), default=0) or 1
    span = width - label_w - 48
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="{esc(FONT)}" font-size="11">'
    ]
    if title:
        out.append(f"<title>{esc(title)}</title>")
    for k, (label, count) in enumerate(items):
        y = 4 + row_h * k
        w = span * count / top
        out.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" fill="#333">'
            f"<title>{esc(label)}</title>{esc(_short(label, label_chars))}</text>"
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{_n(w)}" height="{row_h - 6}" '
            f'fill="{colour}"/>'
            f'<text x="{_n(label_w + w + 4)}" y="{y + 14}" fill="#333">{count}</text>'
        )
    out.append("</svg>")
    return "".join(out)
