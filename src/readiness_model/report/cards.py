"""One agency: its radar chart (report card, notebook ``_repr_svg_``) and its HTML card."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .._args import require, require_period, require_text
from ..analysis.gap import Gap
from ..errors import Problem, ResponseError
from ..model import Indicator
from ..responses import Period
from ..results import NOT_ASSESSED, Results, provide_view
from .era import Years
from .svg import Series, esc, radar_chart
from .targets import answer_text, round_toward, threshold_text
from .text import fmt, score_digits, ui
from .view import AgencyView, agency_view, period_medians, plans_for, top_columns

__all__ = ["CARD_CSS", "agency_card", "agency_html", "radar_for_view", "radar_svg", "trend_cell"]

CARD_CSS = (
    ".rm-card{border:1px solid #d6dbe3;border-radius:6px;padding:12px;margin:14px 0;"
    "break-inside:avoid;page-break-inside:avoid}"
    ".rm-card h3{font-size:16px;margin:0 0 6px}.rm-card h4{font-size:14px;margin:10px 0 4px}"
    ".rm-card small,.rm-card .muted{color:#666;font-weight:normal}"
    ".rm-card .badges{margin:0 0 8px}.rm-card .badge{display:inline-block;background:#eef2f8;"
    "border-radius:10px;padding:1px 9px;margin:0 6px 4px 0;font-size:12px}"
    ".rm-card .badge.band{background:#dbe7fb}"
    ".rm-card .card-body{display:grid;grid-template-columns:auto 1fr;gap:14px}"
    ".rm-card .chart svg{max-width:100%;height:auto}"
    ".rm-card table{border-collapse:collapse;width:100%;font-size:12px}"
    ".rm-card th,.rm-card td{border-bottom:1px solid #e2e2e2;padding:3px 6px;text-align:left;"
    "vertical-align:top}.rm-card th{background:#f2f5fa}"
    ".rm-card td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".rm-card .weak li,.rm-card .gap li,.rm-card .plan li{margin-bottom:4px}"
    ".up{color:#1a7f37}.down{color:#c62828}.flat{color:#666}.up,.down{white-space:nowrap}"
    "@media (max-width:700px){.rm-card .card-body{grid-template-columns:1fr}}"
)


def radar_for_view(
    results: Results,
    view: AgencyView,
    lang: str = "en",
    size: int = 380,
    years: Years | None = None,
) -> str:
    """The radar chart of a gathered :class:`AgencyView` (previous, median, agency)."""
    words = ui(lang)
    rubric = results.rubric
    year = (years or Years.of(results.periods, lang)).text
    # the readiness axes: a dimension of weight 0 (e.g. a development-trend axis of the
    # groups) does not count in the score and is not drawn (the score table shows it)
    keep = [k for k, d in enumerate(rubric.dimensions) if d.weight > 0] or list(
        range(len(rubric.dimensions))
    )
    axes = [rubric.dimensions[k].label(lang) for k in keep]

    def on_axes(values: Sequence[float]) -> tuple[float, ...]:
        return tuple(values[k] for k in keep)

    series = []
    if view.previous is not None:
        prev_period = year(results.periods[view.previous_row])
        label = f"{words['previous']} ({prev_period})"
        series.append(Series(label, on_axes(view.previous), "previous"))
    series.append(
        Series(f"{words['median']} ({year(view.period)})", on_axes(view.median), "median")
    )
    series.append(Series(f"{view.name} ({year(view.period)})", on_axes(view.dimensions), "agency"))
    return radar_chart(
        axes,
        series,
        scale=rubric.scale,
        size=size,
        title=f"{view.name} — {rubric.label(lang)}",
    )


def radar_svg(
    results: Results,
    agency: str,
    period: Period | None = None,
    *,
    lang: str = "en",
    size: int = 380,
    era: str = "auto",
) -> str:
    """The radar chart of one agency's top-level dimension scores against the population
    median of its period and its previous period (when there is one).

    Args:
        results: Scored results.
        agency: Agency id.
        period: Its period (default: its latest).
        lang: Language of the titles (the rubric's language mapping).
        size: Chart width in px (wider when a label needs it).
        era: What the periods are, for writing years in the era of ``lang``
            (see :class:`~readiness_model.report.era.Years`): ``auto``, ``ce``, ``be``
            or ``none``.

    Returns:
        Standalone SVG markup (the same chart the HTML report shows).

    Raises:
        ResponseError: the agency or period is not in the results.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension(d, indicators=[rm.Indicator(d + "q")])
        ...     for d in ("a", "b", "c")])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "aq": "yes", "bq": "no", "cq": "yes"}], r))
        >>> radar_svg(res, "x").count("<polygon")
        6

    .. versionadded:: 0.1.0
    """
    require(results, Results, "results")
    require_text(agency, "agency")
    require_period(period)
    require_text(lang, "lang")
    require(size, int, "size", "a whole number")
    if isinstance(size, bool) or not 100 <= size <= 4000:
        raise ResponseError([Problem(f"'size' must be 100 to 4000 pixels (got {size})", "size")])
    view = _view_for(results, agency, period, lang)
    return radar_for_view(results, view, lang, size, Years.of(results.periods, lang, era))


def _view_for(
    results: Results, agency: str, period: Period | None, lang: str, plan: bool = False
) -> AgencyView:
    row = results.row(agency, period)
    prev = _previous_of(results, row)
    medians = period_medians(results, top_columns(results))
    gap = plans_for(results, [row]).get(row) if plan else None
    return agency_view(results, row, prev, medians[results.periods[row]], lang=lang, plan=gap)


def agency_html(
    results: Results,
    agency: str,
    period: Period | None = None,
    *,
    lang: str = "en",
    era: str = "auto",
) -> str:
    """One agency's report card as an HTML fragment with its own scoped style (notebooks).

    Args:
        results: Scored results.
        agency: Agency id.
        period: Its period (default: its latest).
        lang: Language of the titles.
        era: What the periods are (``auto``, ``ce``, ``be``, ``none``; see
            :func:`radar_svg`).

    Returns:
        ``<div>`` with a ``<style>`` scoped to ``.rm-card`` and the card.

    Raises:
        ResponseError: the agency or period is not in the results.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "q": "yes"}], r))
        >>> "<svg" in agency_html(res, "x")
        True

    .. versionadded:: 0.1.0
    """
    view = _view_for(results, agency, period, lang, plan=True)
    years = Years.of(results.periods, lang, era)
    card = agency_card(results, view, "rm-card", lang, years)
    return f"<div><style>{CARD_CSS}</style>{card}</div>"


def _previous_of(results: Results, row: int) -> int:
    from ..io.answer_cells import period_order

    order = period_order(results.periods)
    here = order[results.periods[row]]
    cand = [
        i
        for i, a in enumerate(results.agencies)
        if a == results.agencies[row]
        and results.origin[i] == results.origin[row]
        and order[results.periods[i]] < here
    ]
    return max(cand, key=lambda i: order[results.periods[i]]) if cand else -1


def trend_cell(results: Results, row: int, lang: str = "en") -> str:
    """An arrow and the change of the overall score since the previous period (HTML)."""
    change = float(results.change[row])
    nd = score_digits(results.rubric.scale, results.rubric.rounding)
    if math.isnan(change):
        return '<span class="flat">–</span>'
    trend = results.trend[row]
    tip = ""
    if trend is not None:
        for t in results.rubric.trend:
            if t.id == trend:
                tip = f' title="{esc(t.label(lang))}"'
    if change > 0:
        return f'<span class="up"{tip}>▲ +{change:.{nd}f}</span>'
    if change < 0:
        return f'<span class="down"{tip}>▼ {change:.{nd}f}</span>'
    return f'<span class="flat"{tip}>► {0:.{nd}f}</span>'


def _label(items: object, key: str | None, lang: str) -> str:
    for x in items:  # type: ignore[attr-defined]
        if x.id == key:
            return str(x.label(lang))
    return key or ""


def _gap_html(
    results: Results, view: AgencyView, words: dict[str, str], nd: int, lang: str = "en"
) -> str:
    """The "gap to the next band" part of a card: the band's unmet rules, then the
    fewest answer changes that reach it (``view.plan``); empty without bands."""
    rubric = results.rubric
    nb = view.next_band
    if not rubric.bands or results.status[view.row] == NOT_ASSESSED:
        return ""
    out = [f"<h4>{esc(words['next_band'])}</h4>"]
    if nb is None:
        out.append(f"<p>{esc(words['top_band'])}</p>")
        return "".join(out)
    rules = []
    for key, label, now, need in nb.shortfalls:
        if key == "coverage":
            rules.append(
                f"{esc(words['coverage'])}: {esc(words['needs'])} ≥ {100 * need:.0f}% "
                f"({esc(words['now'])} {fmt(100 * now, 0)}%)"
            )
            continue
        name = words["overall"] if key == "overall" else label
        base = rubric.scale[0] if math.isnan(now) else now
        short = round_toward(need - base, nd, up=True)
        rules.append(
            f"{esc(name)}: {esc(words['needs'])} ≥ {threshold_text(need, nd)} "
            f"({esc(words['now'])} {fmt(now, nd)}, +{short:.{nd}f})"
        )
    out.append(f"<p><b>{esc(nb.title)}</b></p><ul class='gap'>")
    out += [f"<li>{rule}</li>" for rule in rules]
    out.append("</ul>")
    out.append(_plan_html(results, view.plan, words, nd, lang))
    return "".join(out)


def _plan_html(
    results: Results, plan: Gap | None, words: dict[str, str], nd: int, lang: str
) -> str:
    """The fewest answer changes of a gap plan, targets written as the scales accept."""
    if plan is None:
        return f"<p class='muted'>{esc(words['no_plan'])}</p>"
    if not plan.reached:
        return f"<p class='muted'>{esc(words['unreachable'])}</p>"
    rubric = results.rubric
    digits = 2 if rubric.rounding is None else rubric.rounding
    out = [f"<p>{esc(words['plan'])}:</p><ol class='plan'>"]
    for c in plan.changes:
        ind = rubric.indicator(c.indicator)
        now = words["unanswered"] if c.current is None else _written(ind, c.current, digits)
        title = ind.label(lang)
        if c.added_items:
            target = f"{esc(words['add'])} {esc(', '.join(c.added_items))}"
        else:
            target = esc(answer_text(ind, c.stored, digits))
        out.append(
            f"<li><b>{esc(title)}</b> <span class='muted'>({esc(c.indicator)})</span>: "
            f"{esc(now)} → <b>{target}</b> <span class='muted'>(+{fmt(c.gain, nd)})</span></li>"
        )
    out.append("</ol>")
    band = _label(rubric.bands, plan.band_after, lang)
    after = words["plan_after"].format(band=band, overall=fmt(plan.overall_after, nd))
    out.append(f"<p class='muted'>{esc(after)}</p>")
    return "".join(out)


def _written(ind: Indicator, current: object, digits: int) -> str:
    """A current answer as written; a number at ``digits`` decimals, with its unit."""
    if not isinstance(current, float):
        return str(current)
    text = f"{current:.{digits}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    unit = str(getattr(ind.scale, "unit", "") or "")
    return text + (f" {unit}" if unit else "")


def agency_card(
    results: Results,
    view: AgencyView,
    anchor: str,
    lang: str = "en",
    years: Years | None = None,
) -> str:
    """The HTML card of one agency: radar, badges, dimension table, weakest indicators
    with their remediation, and the gap to the next band."""
    words = ui(lang)
    years = years or Years.of(results.periods, lang)
    rubric = results.rubric
    r = view.row
    rank = int(results.rank[r])
    nd = score_digits(rubric.scale, rubric.rounding)
    band = _label(rubric.bands, results.band[r], lang) or words["no_band"]
    if results.status[r] == NOT_ASSESSED:
        band = words["not_assessed"]
    group = _label(rubric.groups, results.group[r], lang)
    out = [
        f'<section class="rm-card" id="{esc(anchor)}"><h3>{esc(view.name)} '
        f"<small>{esc(view.agency)} · {esc(words['period'])} {esc(years.text(view.period))}"
        "</small></h3>",
        '<p class="badges">',
        f'<span class="badge band">{esc(words["band"])}: {esc(band)}</span>',
    ]
    if group:
        out.append(f'<span class="badge">{esc(words["group"])}: {esc(group)}</span>')
    out.append(
        f'<span class="badge">{esc(words["rank"])}: '
        f"{rank if rank else esc(words['unranked'])}</span>"
        f'<span class="badge">{esc(words["overall"])}: {fmt(float(results.overall[r]), nd)}</span>'
        f'<span class="badge">{esc(words["coverage"])}: '
        f"{fmt(100 * float(results.coverage[r]), 0)}%</span>"
        f'<span class="badge">{esc(words["trend"])}: {trend_cell(results, r, lang)}</span></p>'
    )
    out.append('<div class="card-body"><div class="chart">')
    out.append(radar_for_view(results, view, lang, years=years))
    out.append('</div><div class="facts">')
    out.append(
        f'<table class="dims"><thead><tr><th>{esc(words["dimension"])}</th>'
        f"<th>{esc(words['score'])}</th><th>{esc(words['median'])}</th>"
        f"<th>{esc(words['previous'])}</th></tr></thead><tbody>"
    )
    for k, d in enumerate(rubric.dimensions):
        prev = view.previous[k] if view.previous is not None else math.nan
        out.append(
            f"<tr><td>{esc(d.label(lang))}</td><td class='num'>{fmt(view.dimensions[k], nd)}</td>"
            f"<td class='num'>{fmt(view.median[k], nd)}</td>"
            f"<td class='num'>{fmt(prev, nd)}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append(f"<h4>{esc(words['weakest'])}</h4>")
    if view.weakest:
        out.append("<ol class='weak'>")
        for w in view.weakest:
            score = "–" if math.isnan(w.score) else f"{100 * w.score:.0f}%"
            fix = w.remediation or words["no_remediation"]
            out.append(
                f"<li><b>{esc(w.title)}</b> <span class='muted'>({esc(w.indicator)}, "
                f"{score})</span><br>{esc(fix)}</li>"
            )
        out.append("</ol>")
    else:
        out.append(f"<p class='muted'>{esc(words['no_weakest'])}</p>")
    out.append(_gap_html(results, view, words, nd, lang))
    out.append("</div></div></section>")
    return "".join(out)


provide_view("radar_svg", radar_svg)
provide_view("agency_html", agency_html)
