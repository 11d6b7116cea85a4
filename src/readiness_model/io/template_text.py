"""Words of the questionnaire template, in English and Thai (the rubric's own texts come
from its language mapping).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

__all__ = ["words"]

_EN = {
    "agency": "Agency id",
    "name": "Agency name",
    "period": "Period",
    "kind": "Kind (ministry, department...)",
    "parent": "Parent agency id",
    "attribute": "Attribute",
    "answers": "Answers",
    "instructions": "Instructions",
    "title": "Questionnaire",
    "rubric": "Rubric",
    "version": "Version",
    "sha256": "Content hash (sha256)",
    "made": "Made by",
    "how": "How to answer",
    "how_rows": "One row per agency and period on the sheet 'Answers'. Rows 1 and 2 are "
    "titles for people; row 3 holds the column ids the program reads: do not change it. "
    "Hover over an id to read its question.",
    "how_blank": "A blank cell means not answered (it counts as the rubric says: {missing}).",
    "how_na": "n/a means not applicable: the indicator does not apply to this agency and "
    "its weight goes to the other indicators.",
    "how_list": "Drop-down cells: choose one answer from the list (or n/a).",
    "how_checklist": "Checklists: write every item that applies, separated by | "
    "(for example {example}), or none.",
    "how_number": "Numbers: write the number; percentages as 99.5, or as a cell formatted "
    "as a percentage (99.5%). A value outside the goalposts is flagged when read.",
    "how_ids": "Agency ids are written exactly as given (no spaces around them).",
    "how_sheets": "You may copy the sheet 'Answers', one per ministry or per period: every "
    "sheet with the row of column ids is read.",
    "table": "Indicators",
    "col_id": "Column id",
    "col_dimension": "Dimension",
    "col_title": "Indicator",
    "col_question": "Question",
    "col_answer": "Answer",
    "col_evidence": "Evidence asked for",
    "col_weight": "Weight",
    "missing_zero": "it scores 0",
    "missing_reweight": "its weight goes to the answered indicators",
    "missing_error": "every answer is required",
    "note_answer": "Answer",
    "note_evidence": "Evidence",
    "choose": "Choose one (or n/a)",
    "list_error": "Choose an answer from the list, or n/a.",
    "number": "A number",
    "between": "between {lo} and {hi}",
    "clamped": "values outside count as the nearest goalpost",
    "percent": "a percentage: 99.5, or 99.5% in a cell formatted as %",
    "checklist": "Items separated by |, or none",
    "bad_number": "Expected a number {range} (or n/a).",
    "one_of": "one of: ",
    "or_na": "(or n/a)",
}

_TH = {
    "agency": "รหัสหน่วยงาน",
    "name": "ชื่อหน่วยงาน",
    "period": "รอบการสำรวจ",
    "kind": "ประเภทหน่วยงาน",
    "parent": "รหัสหน่วยงานต้นสังกัด",
    "attribute": "คุณลักษณะ",
    "answers": "Answers",
    "instructions": "Instructions",
    "title": "แบบสำรวจ",
    "rubric": "เกณฑ์การประเมิน",
    "version": "รุ่น",
    "sha256": "รหัสตรวจสอบเนื้อหา (sha256)",
    "made": "จัดทำโดย",
    "how": "วิธีตอบแบบสำรวจ",
    "how_rows": "กรอกหนึ่งแถวต่อหนึ่งหน่วยงานและรอบการสำรวจในแผ่นงาน 'Answers' แถวที่ 1 และ 2 "
    "เป็นหัวข้อสำหรับผู้ตอบ แถวที่ 3 เป็นรหัสคอลัมน์ที่โปรแกรมอ่าน ห้ามแก้ไข "
    "เลื่อนเมาส์ไปที่รหัสเพื่ออ่านคำถาม",
    "how_blank": "ช่องว่างหมายถึงยังไม่ได้ตอบ (นับตามเกณฑ์: {missing})",
    "how_na": "n/a หมายถึงไม่เกี่ยวข้องกับหน่วยงานนี้ น้ำหนักของตัวชี้วัดจะถูกแบ่งให้ตัวชี้วัดอื่น",
    "how_list": "ช่องที่มีรายการให้เลือก: เลือกคำตอบหนึ่งข้อจากรายการ (หรือ n/a)",
    "how_checklist": "ตัวชี้วัดแบบหลายข้อ: เขียนทุกข้อที่มี คั่นด้วย | (เช่น {example}) หรือ none",
    "how_number": "ตัวเลข: กรอกตัวเลข ร้อยละกรอกเป็น 99.5 หรือจัดรูปแบบเซลล์เป็นร้อยละ (99.5%) "
    "ค่าที่อยู่นอกช่วงเกณฑ์จะถูกแจ้งเตือนเมื่ออ่านไฟล์",
    "how_ids": "กรอกรหัสหน่วยงานตามที่กำหนด ไม่มีช่องว่างหน้าหรือหลัง",
    "how_sheets": "คัดลอกแผ่นงาน 'Answers' ได้ เช่น หนึ่งแผ่นต่อหนึ่งกระทรวงหรือหนึ่งรอบการสำรวจ "
    "ทุกแผ่นงานที่มีแถวรหัสคอลัมน์จะถูกอ่าน",
    "table": "ตัวชี้วัด",
    "col_id": "รหัสคอลัมน์",
    "col_dimension": "มิติ",
    "col_title": "ตัวชี้วัด",
    "col_question": "คำถาม",
    "col_answer": "คำตอบ",
    "col_evidence": "หลักฐานที่ต้องแสดง",
    "col_weight": "น้ำหนัก",
    "missing_zero": "ได้ 0 คะแนน",
    "missing_reweight": "น้ำหนักแบ่งให้ตัวชี้วัดที่ตอบ",
    "missing_error": "ต้องตอบทุกข้อ",
    "note_answer": "คำตอบ",
    "note_evidence": "หลักฐาน",
    "choose": "เลือกหนึ่งข้อ (หรือ n/a)",
    "list_error": "เลือกคำตอบจากรายการ หรือ n/a",
    "number": "ตัวเลข",
    "between": "ระหว่าง {lo} ถึง {hi}",
    "clamped": "ค่านอกช่วงนับเป็นค่าขอบเขตที่ใกล้ที่สุด",
    "percent": "ร้อยละ: 99.5 หรือ 99.5% ในเซลล์รูปแบบร้อยละ",
    "checklist": "รายการคั่นด้วย | หรือ none",
    "bad_number": "ต้องเป็นตัวเลข {range} (หรือ n/a)",
    "one_of": "ตัวเลือก: ",
    "or_na": "(หรือ n/a)",
}

LANGS = {"en": _EN, "th": _TH}


def words(lang: str) -> dict[str, str]:
    """The template's words in ``lang`` (English for a language without a table).

    Example:
        >>> words("th")["agency"], words("fr")["agency"]
        ('รหัสหน่วยงาน', 'Agency id')
    """
    return LANGS.get(lang, _EN)
