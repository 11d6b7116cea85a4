"""The self-contained HTML report: overview, one card per agency, provenance footer.

One file with inline CSS and SVG: no scripts, no fonts or images fetched, so it opens
offline and prints on A4 (one card never splits across pages). Every text taken from a
rubric or an answers file is escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..io.answer_cells import period_order
from ..model import Rubric
from ..results import Results, provide_view
from .cards import CARD_CSS, agency_card, trend_cell
from .era import Years
from .svg import FONT, bar_chart, esc
from .text import fmt, score_digits, ui
from .view import (
    agency_view,
    check_rubric,
    latest_rows,
    period_medians,
    plans_for,
    select_agencies,
    top_columns,
)

__all__ = [
    "CARD_LIMIT",
    "TOP_BOTTOM",
    "default_cards",
    "rank_order",
    "render_report",
    "summary_table",
]

CSS = """
*{box-sizing:border-box}
body{font-family:$FONT;color:#222;margin:0 auto;max-width:1000px;padding:16px;
line-height:1.4;font-size:14px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:24px 0 8px;
border-bottom:2px solid #1f5fbf}h3{font-size:16px;margin:0 0 6px}
h4{font-size:14px;margin:10px 0 4px}
small,.muted{color:#666;font-weight:normal}
.charts{display:flex;flex-wrap:wrap;gap:24px}.charts figure{margin:0}
figcaption{font-weight:bold;margin-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{border-bottom:1px solid #e2e2e2;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f5fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}table.ranking{font-size:11px}
table.ranking th,table.ranking td{padding:3px 4px}
td.title{min-width:7em;overflow-wrap:break-word}
a{color:#1f5fbf;text-decoration:none}
footer{margin-top:28px;border-top:1px solid #ccc;padding-top:8px;font-size:11px;color:#555;
word-break:break-all}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}
.rm-card{margin:8px 0}thead{display:table-header-group}tr{break-inside:avoid}
a{color:inherit}}
""".replace("$FONT", FONT)


#: Past this many agencies, a report without chosen ``agencies`` draws cards only for the
#: best and the worst (:data:`TOP_BOTTOM` each) and says so.
CARD_LIMIT = 200
#: How many of the best and of the worst agencies get a card past :data:`CARD_LIMIT`.
TOP_BOTTOM = 25


def _labels(items: Sequence[object], lang: str) -> dict[str, str]:
    return {x.id: x.label(lang) for x in items}  # type: ignore[attr-defined]


def _distribution(
    values: Sequence[str | None], order: Sequence[str], labels: dict[str, str], none: str
) -> list[tuple[str, int]]:
    counts = Counter(values)
    items = [(labels.get(k, k), counts.get(k, 0)) for k in order]
    if counts.get(None):
        items.append((none, counts[None]))
    return items


def rank_order(results: Results, rows: np.ndarray) -> np.ndarray:
    """``rows`` best first: by rank (unranked last), then by overall score (NaN last).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[0], [1]], ["x", "y"], r))
        >>> rank_order(res, np.array([0, 1])).tolist()
        [1, 0]
    """
    rank = results.rank[rows]
    overall = np.nan_to_num(results.overall[rows], nan=-np.inf)
    return rows[np.lexsort((-overall, np.where(rank == 0, np.iinfo(np.int64).max, rank)))]


def default_cards(results: Results, latest: np.ndarray, limit: int | None) -> np.ndarray:
    """The rows that get a card when none are chosen: every agency up to ``limit``
    agencies, past it the :data:`TOP_BOTTOM` best and worst (in ranking order).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[0]] * 60, list(range(60)), r))
        >>> len(default_cards(res, np.arange(60), 50)), len(default_cards(res, np.arange(60), None))
        (50, 60)
    """
    if limit is None or len(latest) <= limit:
        return latest
    order = rank_order(results, latest)
    return np.concatenate((order[:TOP_BOTTOM], order[-TOP_BOTTOM:]))


def _ranking(
    results: Results,
    rows: np.ndarray,
    anchors: dict[int, str],
    lang: str,
    limit: int | None,
    years: Years,
) -> str:
    words = ui(lang)
    rubric = results.rubric
    bands = _labels(rubric.bands, lang)
    groups = _labels(rubric.groups, lang)
    index = {n: k for k, n in enumerate(results.node_ids)}
    cols = [(d.label(lang), index[d.id]) for d in rubric.dimensions]
    order = rank_order(results, rows)
    names = results.attribute("name")
    show_period = len({str(results.periods[r]) for r in rows.tolist()}) > 1
    head = [
        f"<th class='num'>{esc(words['rank'])}</th><th>{esc(words['agency'])}</th>",
        f"<th>{esc(words['period'])}</th>" if show_period else "",
        f"<th>{esc(words['band'])}</th>",
        f"<th>{esc(words['group'])}</th>" if rubric.groups else "",
        f"<th class='num'>{esc(words['overall'])}</th><th>{esc(words['trend'])}</th>",
        *(f"<th class='num'>{esc(t)}</th>" for t, _ in cols),
    ]
    body: list[str] = []
    nd = score_digits(rubric.scale, rubric.rounding)
    shown = order.tolist() if limit is None else order[:limit].tolist()
    for r in shown:
        name = esc(names[r] or results.agencies[r])
        if r in anchors:
            name = f'<a href="#{anchors[r]}">{name}</a>'
        if names[r] and names[r] != results.agencies[r]:  # the id results.agency() takes
            name += f" <code class='muted'>{esc(results.agencies[r])}</code>"
        band = results.band[r] or ""
        cells = [f"<tr><td class='num'>{int(results.rank[r]) or ''}</td><td>{name}</td>"]
        if show_period:
            cells.append(f"<td>{esc(years.text(results.periods[r]))}</td>")
        cells.append(f"<td class='title'>{esc(bands.get(band, band))}</td>")
        if rubric.groups:
            group = results.group[r] or ""
            cells.append(f"<td class='title'>{esc(groups.get(group, group))}</td>")
        cells.append(f"<td class='num'>{fmt(float(results.overall[r]), nd)}</td>")
        cells.append(f"<td>{trend_cell(results, r, lang)}</td>")
        cells += [
            f"<td class='num'>{fmt(float(results.node_scores[r, k]), nd)}</td>" for _, k in cols
        ]
        body.append("".join(cells) + "</tr>")
    more = ""
    if limit is not None and len(order) > limit:
        more = f"<p class='muted'>… {len(order) - limit} more</p>"
    return (
        f"<table class='ranking'><thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{more}"
    )


def summary_table(
    results: Results, *, lang: str = "en", limit: int | None = 50, era: str = "auto"
) -> str:
    """An HTML summary of results: each agency's latest row, best first (notebooks).

    Args:
        results: Scored results.
        lang: Language of band, group and dimension titles.
        limit: Most rows shown (None: all).
        era: What the periods are, for writing years in the era of ``lang``
            (``auto``, ``ce``, ``be``, ``none``; see :class:`~.era.Years`).

    Returns:
        An HTML fragment (a ``<div>`` with a heading line and a table), text escaped.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "<i>x</i>", "period": 1, "q": "yes"}], r))
        >>> "&lt;i&gt;x" in summary_table(res) and "<i>" not in summary_table(res)
        True

    .. versionadded:: 0.1.0
    """
    p = results.provenance
    latest, _ = latest_rows(results)
    years = Years.of(results.periods, lang, era)
    periods = _periods(results, latest, years)
    note = f" · {esc(years.note)}" if years.note else ""
    return (
        f"<div class='readiness-summary'><p><b>{esc(results.rubric.label(lang))}</b> "
        f"({esc(p.rubric_id)} {esc(p.rubric_version)}) · {len(latest)} "
        f"{esc(ui(lang)['agencies'].lower())} · {esc(', '.join(periods))}{note}</p>"
        f"{_ranking(results, latest, {}, lang, limit, years)}</div>"
    )


def _periods(results: Results, rows: np.ndarray, years: Years) -> list[str]:
    """The periods of ``rows``, in order, as the report writes them."""
    order = period_order(results.periods)
    shown = sorted({results.periods[r] for r in rows.tolist()}, key=lambda p: order[p])
    return [years.text(p) for p in shown]


def render_report(
    results: Results,
    rubric: Rubric | None = None,
    *,
    agencies: Sequence[str] | None = None,
    lang: str = "en",
    era: str = "auto",
    card_limit: int | None = CARD_LIMIT,
) -> str:
    """The whole HTML report as one self-contained string.

    The overview covers every agency's latest period: counts, band and group
    distributions, the ranking with overall and dimension scores and the change since
    the previous period. Then one card per agency (all, or ``agencies``): a radar chart
    against the population median and the previous period, band, group, rank, coverage,
    the three weakest indicators with their remediation, and the gap to the next band:
    its unmet rules and the fewest answer changes that reach it (:func:`~readiness_model.gap`,
    targets written as the scales accept them).
    The footer records the rubric's id, version and sha256 and the library version.

    Args:
        results: Scored results (several periods allowed).
        rubric: The rubric that scored them (default: ``results.rubric``).
        agencies: Agency ids that get a card (default: every agency, or past
            ``card_limit`` agencies the :data:`TOP_BOTTOM` best and worst).
        lang: Language of rubric titles and of the report's own words (``en``, ``th``).
        era: What the periods are, for writing years in the era of ``lang`` (a Thai
            report writes years in the Buddhist era, พ.ศ. = ค.ศ. + 543): ``auto``
            (whole numbers 1900-2199 are Gregorian years, 2443-2742 Buddhist-era
            years, anything else is not a year), ``ce``, ``be`` or ``none`` (as they
            are). The header states a conversion once.
        card_limit: Most agencies that all get a card when ``agencies`` is not given
            (``None``: no limit). Past it the report states which cards it holds; its
            cost stays linear in the number of agencies (the ranking lists them all).

    Returns:
        HTML text (UTF-8) with inline CSS and SVG and no scripts.

    Raises:
        RubricError: ``rubric`` is not the rubric that scored ``results``.
        ResponseError: an agency in ``agencies`` is not in the results.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "<script>", "period": 1, "q": "yes"}], r))
        >>> page = render_report(res)
        >>> page.startswith("<!DOCTYPE html>"), "<script>" in page, "&lt;script&gt;" in page
        (True, False, True)

    .. versionadded:: 0.1.0
    """
    rubric = check_rubric(results, rubric)
    words = ui(lang)
    latest, previous = latest_rows(results)
    prev_of = dict(zip(latest.tolist(), previous.tolist(), strict=True))
    if agencies is None:
        cards = default_cards(results, latest, card_limit)
    else:
        cards = select_agencies(results, latest, agencies)
    anchors = {int(r): f"agency-{k}" for k, r in enumerate(cards.tolist())}
    medians = period_medians(results, top_columns(results))
    title = f"{rubric.label(lang)} — {words['report']}"
    years = Years.of(results.periods, lang, era)
    periods = _periods(results, latest, years)
    note = f"<p class='muted era'>{esc(years.note)}</p>" if years.note else ""
    out = [
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CARD_CSS}{CSS}</style></head><body>",
        f"<header><h1>{esc(rubric.label(lang))}</h1><p class='muted'>{esc(words['report'])} · "
        f"{esc(words['periods'])}: {esc(', '.join(periods))}</p>{note}</header>",
        f"<h2>{esc(words['overview'])}</h2>",
        f"<p>{esc(words['agencies'])}: <b>{len(latest)}</b></p><div class='charts'>",
    ]
    bands = _distribution(
        [results.band[r] for r in latest.tolist()],
        [b.id for b in rubric.bands],
        _labels(rubric.bands, lang),
        words["no_band"],
    )
    if bands:
        out.append(
            f"<figure><figcaption>{esc(words['bands'])}</figcaption>"
            f"{bar_chart(bands, title=words['bands'])}</figure>"
        )
    if rubric.groups:
        groups = _distribution(
            [results.group[r] for r in latest.tolist()],
            [g.id for g in rubric.groups],
            _labels(rubric.groups, lang),
            words["no_group"],
        )
        out.append(
            f"<figure><figcaption>{esc(words['groups'])}</figcaption>"
            f"{bar_chart(groups, title=words['groups'], colour='#2b8a6e')}</figure>"
        )
    out.append(f"</div><h2>{esc(words['ranking'])}</h2>")
    out.append(_ranking(results, latest, anchors, lang, None, years))
    out.append(f"<h2>{esc(words['cards'])}</h2>")
    if len(cards) < len(latest) and agencies is None:
        shown = words["cards_note"].format(n=TOP_BOTTOM, total=len(latest))
        out.append(f"<p class='muted cards-note'>{esc(shown)}</p>")
    plans = plans_for(results, cards.tolist())
    for r in cards.tolist():
        view = agency_view(
            results, r, prev_of[r], medians[results.periods[r]], lang=lang, plan=plans.get(r)
        )
        out.append(agency_card(results, view, anchors[r], lang, years))
    p = results.provenance
    out.append(
        f"<footer>{esc(words['provenance'])}: {esc(p.rubric_id)} · {esc(words['version'])} "
        f"{esc(p.rubric_version)} · {esc(words['sha256'])} {esc(p.rubric_sha256)} · "
        f"{esc(words['library'])} {esc(p.library_version)}</footer></body></html>"
    )
    return "".join(out)


provide_view("summary_table", summary_table)
