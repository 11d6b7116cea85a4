# ruff: noqa: F841  (a type-checked client: every name is bound to show its type)
"""A client of every public function, type-checked by tests/test_typing.py with
``mypy --strict --disallow-any-expr``: the public surface reveals no ``Any``.

Nothing is annotated: mypy lets an ``Any`` through into an annotated variable, so every
value is bound bare and its inferred type must hold no ``Any``. It is only type-checked,
never run. ``to_dataframe`` is left out: pandas ships no type
information of its own (with ``pandas-stubs`` installed it is precise too).
"""

from __future__ import annotations

from pathlib import Path

import readiness_model as rm


def client(folder: Path) -> list[object]:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    other = rm.rubric_from_yaml(rm.dump_rubric(rubric))
    names = list(rm.shipped_rubrics())
    schema = rm.rubric_schema()
    responses = rm.load_responses(folder / "answers.csv", rubric)
    rm.write_responses(responses, rubric, folder / "copy.csv")
    results = rm.score(rubric, responses)
    rolled = rm.roll_up(results)
    one = results.agency("moc")
    row = results.row("moc", 2016)
    answers = one.answers
    ex = rm.explain(results, "moc")
    ex2 = one.explain()
    contribution = ex.contributions[0]
    answer = contribution.answer
    plan = rm.gap(results, "moc")
    change = plan.changes[0]
    proposed = change.proposed
    options = plan.alternatives
    distance = rm.distance_to_target(results, "moc", 80.0)
    shortfall = distance.items[0]
    sens = rm.sensitivity(rubric, responses, samples=10)
    audit = rm.audit(rubric, responses)
    indicator_audit = audit.indicators[0]
    node_audit = audit.nodes[0]
    pairs = audit.duplicates
    weights = audit.effective_weights
    diff = rm.diff_rubrics(rubric, other, responses)
    rubric_change = diff.changes[0]
    old = rubric_change.old
    weight_change = diff.weights[0]
    movements = diff.movers(3)
    checked = rm.check_examples(rubric)
    checks = checked[0].checks
    page = rm.render_report(results, lang="th")
    svg = rm.radar_svg(results, "moc")
    rm.write_template(rubric, folder / "template.csv")
    rm.write_results_workbook(results, folder / "results.xlsx")
    methods = [n.name for n in rm.normalizations()] + [a.name for a in rm.aggregations()]
    scales = list(rm.scale_types())
    records = [
        results.to_records(),
        ex.to_records(),
        plan.to_records(),
        sens.to_records(),
        audit.to_records(),
        diff.to_records(),
        rubric.to_records(),
    ]
    first = rm.Results.from_json(results.to_json())
    same = first == results and first.equals(results)
    overall = results.to_records()[0]["overall"]  # (numpy's array type has Any in its shape)
    try:
        results.agency("nobody")
    except KeyError as err:
        missing = str(err)
    try:
        rm.load_rubric(folder / "none.yaml")
    except FileNotFoundError as err:
        problems = err.problems if isinstance(err, rm.ReadinessError) else ()
    norm = rm.register_normalization("twice", _twice, population=False, replace=True)
    agg = rm.register_aggregation("first", _twice, replace=True)
    scale = rm.register_scale(rm.BinaryScale, replace=True)
    return [names, schema, rolled, row, answers, ex2, answer, proposed, options, shortfall]


def _twice(x: object) -> object:
    return x
