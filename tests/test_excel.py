"""Excel in: questionnaires written from every shipped rubric, filled in, read back;
percent cells, formulas, dates, booleans, several sheets, located problems, and the
error without the extra."""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest

import readiness_model as rm
from readiness_model.responses.template import answer_form

openpyxl = pytest.importorskip("openpyxl")

AGENCIES = [
    {"agency": "moc", "name": "Ministry of Commerce", "kind": "ministry"},
    {"agency": "dbd", "name": "Department of Business Development", "parent": "moc"},
    {"agency": "rd", "name": "Revenue Department", "kind": "department"},
]
THAI_NAME = "กรมพัฒนาธุรกิจการค้า"


def valid_answer(x: rm.Indicator, row: int) -> Any:
    """A valid answer to indicator ``x`` for agency row ``row``, as a person writes it."""
    form = answer_form(x.scale)
    if form.kind == "list":
        return form.labels[(row + len(x.id)) % len(form.labels)]
    if form.kind == "items":
        return "|".join(form.labels[: 1 + row % len(form.labels)])
    lo, hi = form.goalposts or (0.0, 10.0)
    return round(lo + (hi - lo) * (0.25 + 0.25 * row), 3)


def header_of(ws: Any) -> dict[str, str]:
    """Column id -> column letter, from the row of ids (row 3)."""
    return {c.value: c.column_letter for c in ws[3] if c.value}


def fill(rubric: rm.Rubric, path: Path) -> tuple[dict[str, str], list[dict[str, Any]], str]:
    """Fill the template at ``path``: valid answers, a Thai name, one n/a, one percent
    cell (when a numeric indicator exists) and one invalid drop-down value. Returns the
    invalid cell, the equivalent records and the percent-cell id ("" if none)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Answers"]
    cols = header_of(ws)
    records: list[dict[str, Any]] = []
    for i, a in enumerate(AGENCIES):
        r = 4 + i
        assert ws[f"{cols['agency']}{r}"].value == a["agency"]
        rec: dict[str, Any] = dict(a)
        rec["period"] = 2016
        for x in rubric.indicators:
            rec[x.id] = valid_answer(x, i)
            ws[f"{cols[x.id]}{r}"] = rec[x.id]
        for key, _ in rubric.population:
            ws[f"{cols[key]}{r}"] = rec[key] = "true"
        records.append(rec)
    ws[f"{cols['name']}5"] = records[1]["name"] = THAI_NAME
    first = rubric.indicators[0]
    ws[f"{cols[first.id]}6"] = records[2][first.id] = "n/a"
    percent = ""
    numeric = [x for x in rubric.indicators if answer_form(x.scale).kind == "number"]
    if numeric:
        x = numeric[0]
        percent = x.id
        shown = records[0][x.id]
        cell = ws[f"{cols[x.id]}4"]
        cell.value = shown / 100 if answer_form(x.scale).percent else shown
        cell.number_format = "0.0%"
    # a drop-down column when the rubric has one (numeric-only rubrics: a number column)
    listed = next(
        (x for x in rubric.indicators if answer_form(x.scale).kind == "list"),
        numeric[-1] if numeric else None,
    )
    assert listed is not None
    bad = f"{cols[listed.id]}5"
    ws[bad] = "maybe not"
    wb.save(path)
    return {"cell": bad, "indicator": listed.id, "good": records[1][listed.id]}, records, percent


def write_csv(path: Path, records: list[dict[str, Any]]) -> None:
    keys = list(dict.fromkeys(k for r in records for k in r))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, keys)
        w.writeheader()
        w.writerows(records)


@pytest.mark.parametrize("name", rm.shipped_rubrics())
def test_template_of_every_shipped_rubric_fills_and_reads_back(tmp_path: Path, name: str) -> None:
    """The acceptance test: valid values, one invalid drop-down value, one percent cell,
    one Thai name and one n/a. The invalid cell is reported with sheet and cell; fixed,
    the workbook scores exactly as the equivalent CSV."""
    rubric = rm.load_rubric(name)
    path = tmp_path / "survey.xlsx"
    rm.write_template(rubric, path, agencies=AGENCIES, period=2016)
    empty = rm.load_responses(path, rubric)
    assert empty.agencies == ("moc", "dbd", "rd")
    assert empty.missing.all()
    bad, records, percent = fill(rubric, path)
    with pytest.raises(rm.ResponseError) as info:
        rm.load_responses(path, rubric)
    (line,) = info.value.lines()
    assert line.startswith(
        f"{path}!Answers!{bad['cell']}: bad answer 'maybe not' for indicator "
        f"{bad['indicator']!r} (agency 'dbd', period 2016): expected "
    )
    assert info.value.problems[0].location == rm.Location(
        str(path), 5, openpyxl.utils.column_index_from_string(bad["cell"].rstrip("5")), "Answers"
    )
    wb = openpyxl.load_workbook(path)
    wb["Answers"][bad["cell"]] = bad["good"]
    wb.save(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the percent cell reads as shown
        from_xlsx = rm.load_responses(path, rubric)
    write_csv(tmp_path / "same.csv", records)
    from_csv = rm.load_responses(tmp_path / "same.csv", rubric)
    assert from_xlsx == from_csv
    assert from_xlsx.attribute("name")[1] == THAI_NAME
    assert from_xlsx.na[2, 0]
    if percent:
        j = from_xlsx.indicator_ids.index(percent)
        assert from_xlsx.values[0, j] == records[0][percent]
    assert rm.score(rubric, from_xlsx).equals(rm.score(rubric, from_csv))


def small() -> rm.Rubric:
    return rm.Rubric(
        "small",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator("portal"),
                    rm.Indicator("uptime", scale=rm.NumericScale(goalposts=(95, 100), unit="%")),
                    rm.Indicator("share", scale=rm.NumericScale(goalposts=(0, 1))),
                ],
            )
        ],
    )


def book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


HEAD = ["agency", "period", "portal", "uptime", "share"]


def test_percent_cells_read_as_shown_only_for_percentages(tmp_path: Path) -> None:
    """99.5% shown is 99.5 for a percentage indicator, 0.4 (as stored) for a share."""
    p = book(tmp_path / "a.xlsx", {"S": [HEAD, ["moc", 2016, True, 0.995, 0.4]]})
    wb = openpyxl.load_workbook(p)
    wb["S"]["D2"].number_format = "0.0%"
    wb["S"]["E2"].number_format = "0%"
    wb.save(p)
    rs = rm.load_responses(p, small())
    assert rs.values.tolist() == [[1.0, 99.5, 0.4]]


def test_the_same_fraction_without_percent_format_is_warned_about(tmp_path: Path) -> None:
    p = book(tmp_path / "a.xlsx", {"S": [HEAD, ["moc", 2016, "yes", 0.995, 0.4]]})
    with pytest.warns(rm.AnswerWarning) as caught:
        rm.load_responses(p, small())
    (w,) = caught
    assert str(w.message).startswith(
        f"{p}!S!D2: every answer of percentage indicator 'uptime' lies in [0, 1]"
    )


def test_several_sheets_one_per_ministry_and_duplicates_across_them(tmp_path: Path) -> None:
    p = book(
        tmp_path / "a.xlsx",
        {
            "Notes": [["This workbook holds the 2016 answers"]],
            "MOC": [HEAD, ["moc", 2016, "yes", 99, 0.5], ["dbd", 2016, "no", 97, 0.2]],
            "MOF": [HEAD, ["mof", 2016, "yes", 98, 0.1]],
        },
    )
    rs = rm.load_responses(p, small())
    assert rs.agencies == ("moc", "dbd", "mof")
    assert rm.load_responses(p, small(), sheets=["MOF"]).agencies == ("mof",)
    book(
        p, {"MOC": [HEAD, ["moc", 2016, "yes", 99, 0.5]], "MOF": [HEAD, ["moc", 2016, "no", 98, 1]]}
    )
    with pytest.raises(rm.ResponseError) as info:
        rm.load_responses(p, small())
    (line,) = info.value.lines()
    assert line.startswith(
        f"{p}!MOF!2:2: agency 'moc' appears twice for period 2016 (MOC row 2 and MOF row 2)"
    )


def test_sheets_named_by_year_give_the_period_with_a_note(tmp_path: Path) -> None:
    head = ["agency", "portal", "uptime", "share"]
    p = book(
        tmp_path / "a.xlsx",
        {"2015": [head, ["moc", "no", 96, 0.1]], "2016": [head, ["moc", "yes", 99, 0.2]]},
    )
    with pytest.warns(
        rm.ReadingNote, match="sheet '2015' has no 'period' column: its rows are period 2015"
    ):
        rs = rm.load_responses(p, small())
    assert rs.periods == (2015, 2016)
    book(p, {"Sheet1": [head, ["moc", "no", 96, 0.1]]})
    with pytest.raises(
        rm.ResponseError, match=r"a\.xlsx!Sheet1!1:1: sheet 'Sheet1' has no 'period' column"
    ):
        rm.load_responses(p, small())
    assert rm.load_responses(p, small(), period=2016).periods == (2016,)


def test_unknown_sheet_and_a_workbook_without_answers(tmp_path: Path) -> None:
    p = book(tmp_path / "a.xlsx", {"MOC": [HEAD, ["moc", 2016, "yes", 99, 0.5]]})
    with pytest.raises(
        rm.ResponseError, match="the workbook has no sheet 'MCO' \\(did you mean 'MOC'\\?\\)"
    ):
        rm.load_responses(p, small(), sheets=["MCO"])
    book(p, {"Notes": [["nothing here"]]})
    with pytest.raises(rm.ResponseError, match="no sheet of the workbook has a header row"):
        rm.load_responses(p, small())


def saved_value(path: Path, formula: str, value: str) -> None:
    """Give a formula cell the value a spreadsheet saves with it (openpyxl writes none)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    parts[sheet] = xml.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>").encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_formulas_are_read_by_their_saved_value(tmp_path: Path) -> None:
    """A formula's saved value is read; one without (never opened in a spreadsheet) is
    an error at its cell."""
    p = book(tmp_path / "a.xlsx", {"S": [HEAD, ["moc", 2016, True, "=90+9", "=1/2"]]})
    saved_value(p, "90+9", "99")
    with pytest.raises(rm.ResponseError) as info:
        rm.load_responses(p, small())
    (line,) = info.value.lines()
    assert line.startswith(
        f"{p}!S!E2: formula =1/2 has no saved value (open the workbook in Excel or "
        "LibreOffice and save it, so that its formulas are computed)"
    )
    saved_value(p, "1/2", "0.5")
    assert rm.load_responses(p, small()).values.tolist() == [[1.0, 99.0, 0.5]]


def test_dates_and_booleans(tmp_path: Path) -> None:
    """A date is no period and no answer; true/false answer yes/no."""
    day = dt.date(2016, 1, 1)
    p = book(
        tmp_path / "a.xlsx",
        {"S": [HEAD, ["moc", day, True, 99, 0.5], ["dbd", 2016, False, day, 0.1]]},
    )
    with pytest.raises(rm.ResponseError) as info:
        rm.load_responses(p, small())
    lines = sorted(info.value.lines())
    assert len(lines) == 2
    assert lines[0].startswith(f"{p}!S!B2: the period is a date (2016-01-01) (write the year")
    assert lines[1].startswith(f"{p}!S!D3: bad answer '2016-01-01' for indicator 'uptime'")
    p = book(p, {"S": [HEAD, ["moc", 2016, True, 99, 0.5], ["dbd", 2016, False, 97, 0.1]]})
    assert rm.load_responses(p, small()).values[:, 0].tolist() == [1.0, 0.0]


def test_cells_of_every_kind_are_located_as_file_sheet_cell(tmp_path: Path) -> None:
    p = book(
        tmp_path / "a.xlsx",
        {"S": [["Title row"], [*HEAD, "remarks"], [" moc", 2016, "perhaps", "#N/A", 2, "x"]]},
    )
    with pytest.raises(rm.ResponseError) as info:
        rm.load_responses(p, small())
    lines = info.value.lines()
    assert lines[0].startswith(f"{p}!S!F2: unknown column 'remarks'")
    assert any(x.startswith(f"{p}!S!A3: the agency id ' moc' has spaces around it") for x in lines)
    assert any(x.startswith(f"{p}!S!C3: bad answer 'perhaps'") for x in lines)
    assert any(x.startswith(f"{p}!S!D3: bad answer '#N/A'") for x in lines)
    rs = rm.load_responses(
        book(p, {"S": [["Title row"], [*HEAD, "remarks"], ["moc", 2016, "yes", 99, 1, "ตรวจแล้ว"]]}),
        small(),
        extra_columns="keep",
    )
    assert rs.attribute("remarks") == ("ตรวจแล้ว",)


def test_template_csv_and_th_workbook(tmp_path: Path) -> None:
    """The CSV template reads back; the Thai workbook carries Thai titles and notes."""
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    rm.write_template(rubric, tmp_path / "t.csv", agencies=AGENCIES, period=2016)
    assert rm.load_responses(tmp_path / "t.csv", rubric).agencies == ("moc", "dbd", "rd")
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    rm.write_template(rubric, tmp_path / "t.xlsx", lang="th")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    ws = wb["Answers"]
    assert wb.active.title == "Answers"
    assert ws.freeze_panes == "C4"
    assert ws["A2"].value == "รหัสหน่วยงาน"
    assert ws["F1"].value == "นโยบายและแนวปฏิบัติ"
    assert "ความพร้อม" in ws["A1"].value
    note = ws["F3"].comment.text
    assert note.startswith("แผนพัฒนารัฐบาลดิจิทัล")
    assert "หลักฐาน: The signed plan" in note
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "custom"} <= kinds
    assert wb["Lists"].sheet_state == "hidden"
    info = wb["Instructions"]
    assert info["B4"].value == rubric.content_hash
    assert any(c.value == "dg_plan" for c in info["A"])


def test_template_formula_like_names_stay_text(tmp_path: Path) -> None:
    rubric = small()
    rm.write_template(
        rubric,
        tmp_path / "t.xlsx",
        agencies=[{"agency": "x", "name": '=HYPERLINK("http://e","y")'}],
    )
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["Answers"]
    assert ws["B4"].data_type == "s"
    assert rm.load_responses(tmp_path / "t.xlsx", rubric, period=1).attribute("name") == (
        '=HYPERLINK("http://e","y")',
    )


def test_template_agencies_from_a_previous_rounds_answers(tmp_path: Path) -> None:
    from readiness_model.cli.cmd_score import demo_survey_path

    rubric = rm.load_rubric("thai-dg-readiness-2016")
    rm.write_template(rubric, tmp_path / "t.csv", agencies=demo_survey_path(), period=2017)
    rs = rm.load_responses(tmp_path / "t.csv", rubric)
    assert len(rs.agencies) == 170
    assert set(rs.periods) == {2017}
    assert rs.missing.all()
    with pytest.raises(rm.ResponseError, match=r"a template is written as \.xlsx or \.csv"):
        rm.write_template(rubric, tmp_path / "t.ods")


def test_without_the_excel_extra_a_workbook_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = book(tmp_path / "a.xlsx", {"S": [HEAD]})
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    with pytest.raises(rm.MissingExtraError) as info:
        rm.load_responses(p, small())
    assert isinstance(info.value, rm.ReadinessError)
    assert info.value.problems[0].hint == 'pip install "readiness-model[excel]"'
    with pytest.raises(rm.MissingExtraError, match=re.escape("readiness-model[excel]")):
        rm.write_template(small(), tmp_path / "t.xlsx")


def test_the_core_install_stays_attrs_numpy_pyyaml() -> None:
    """openpyxl comes only with the excel extra (and with [test], for the test run)."""
    from importlib.metadata import requires

    core = sorted(
        r.split(">")[0].split("=")[0].strip().lower()
        for r in requires("readiness-model") or []
        if "extra ==" not in r
    )
    assert core == ["attrs", "numpy", "pyyaml"]
    excel = [r for r in requires("readiness-model") or [] if "extra == 'excel'" in r]
    assert [r.split(";")[0].strip() for r in excel] == ["openpyxl>=3.1"]


def test_an_attribute_column_of_one_sheet_only_lines_up_with_its_rows(tmp_path: Path) -> None:
    named = [*HEAD, "name"]
    first = [HEAD, ["moc", 2016, "yes", 99, 0.5], ["dbd", 2016, "no", 97, 0.2]]
    second = [named, ["mof", 2016, "yes", 98, 0.1, "Finance"]]
    p = book(tmp_path / "a.xlsx", {"A": first, "B": second})
    rs = rm.load_responses(p, small())
    assert rs.agencies == ("moc", "dbd", "mof")
    assert dict(rs.attributes) == {"name": (None, None, "Finance")}
    book(p, {"B": second, "A": first})
    rs = rm.load_responses(p, small())
    assert dict(rs.attributes) == {"name": ("Finance", None, None)}
    book(p, {"A": first})
    assert rm.load_responses(p, small()).attributes == ()
