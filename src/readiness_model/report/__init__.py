"""Reports: a self-contained HTML page and SVG radar charts (no scripts, no fetched fonts).

.. versionadded:: 0.1.0
"""

from .cards import radar_svg
from .html import render_report, summary_table
from .svg import Series, axis_angles, bar_chart, radar_chart, radar_point

__all__ = [
    "Series",
    "axis_angles",
    "bar_chart",
    "radar_chart",
    "radar_point",
    "radar_svg",
    "render_report",
    "summary_table",
]
