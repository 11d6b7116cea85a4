"""Words of the report's own interface, in English and Thai (rubric titles come from the
rubric's language mapping)."""

from __future__ import annotations

from .._numbers import score_digits
from .._numbers import score_text as fmt

__all__ = ["LANGS", "fmt", "score_digits", "ui"]

_EN = {
    "report": "Readiness report",
    "overview": "Overview",
    "agencies": "Agencies",
    "period": "Period",
    "periods": "Periods",
    "bands": "Agencies per band",
    "groups": "Agencies per group",
    "ranking": "Ranking",
    "rank": "Rank",
    "agency": "Agency",
    "band": "Band",
    "group": "Group",
    "overall": "Overall",
    "trend": "Change",
    "coverage": "Coverage",
    "no_band": "no band",
    "no_group": "no group",
    "median": "Population median",
    "previous": "Previous period",
    "dimension": "Dimension",
    "score": "Score",
    "weakest": "Weakest indicators",
    "no_weakest": "No indicator answers to show (scores only).",
    "next_band": "Gap to the next band",
    "top_band": "Already in the top band.",
    "needs": "needs",
    "now": "now",
    "plan": "Fewest answer changes that reach it",
    "cards_note": "Cards for the {n} highest and the {n} lowest ranked of {total} agencies "
    "(choose others with agencies=... or --agency; --all-cards draws every card).",
    "plan_after": "After these changes: {band}, overall {overall} (verified by rescoring).",
    "unreachable": "No answers the scales allow reach it.",
    "no_plan": "These results carry no answers: score the answers to plan the changes.",
    "unanswered": "unanswered",
    "add": "add",
    "no_remediation": "(no remediation text in the rubric)",
    "unranked": "not ranked",
    "provenance": "Rubric",
    "version": "version",
    "sha256": "sha256",
    "library": "readiness-model",
    "cards": "Agencies",
    "missing": "–",
}

_TH = {
    "report": "รายงานความพร้อม",
    "overview": "ภาพรวม",
    "agencies": "หน่วยงาน",
    "period": "รอบการสำรวจ",
    "periods": "รอบการสำรวจ",
    "bands": "จำนวนหน่วยงานตามระดับ",
    "groups": "จำนวนหน่วยงานตามกลุ่ม",
    "ranking": "อันดับ",
    "rank": "อันดับ",
    "agency": "หน่วยงาน",
    "band": "ระดับ",
    "group": "กลุ่ม",
    "overall": "คะแนนรวม",
    "trend": "การเปลี่ยนแปลง",
    "coverage": "ความครบถ้วนของคำตอบ",
    "no_band": "ไม่มีระดับ",
    "no_group": "ไม่มีกลุ่ม",
    "median": "ค่ามัธยฐานของทุกหน่วยงาน",
    "previous": "รอบการสำรวจก่อนหน้า",
    "dimension": "มิติ",
    "score": "คะแนน",
    "weakest": "ตัวชี้วัดที่ควรพัฒนาก่อน",
    "no_weakest": "ไม่มีคำตอบรายตัวชี้วัด (มีเฉพาะคะแนน)",
    "next_band": "ระยะห่างถึงระดับถัดไป",
    "top_band": "อยู่ในระดับสูงสุดแล้ว",
    "needs": "ต้องการ",
    "now": "ปัจจุบัน",
    "plan": "คำตอบที่ต้องเปลี่ยนน้อยที่สุดเพื่อไปถึงระดับนี้",
    "cards_note": "แสดงการ์ดของหน่วยงานอันดับสูงสุด {n} แห่งและต่ำสุด {n} แห่งจากทั้งหมด {total} แห่ง "
    "(เลือกหน่วยงานอื่นด้วย agencies=... หรือ --agency; --all-cards แสดงทุกหน่วยงาน)",
    "plan_after": "หลังเปลี่ยนคำตอบ: ระดับ{band} คะแนนรวม {overall} (ตรวจสอบด้วยการคำนวณคะแนนใหม่)",
    "unreachable": "ไม่มีคำตอบใดตามเกณฑ์ที่ทำให้ถึงระดับนี้ได้",
    "no_plan": "ผลนี้ไม่มีคำตอบรายตัวชี้วัด จึงวางแผนการเปลี่ยนคำตอบไม่ได้",
    "unanswered": "ไม่ได้ตอบ",
    "add": "เพิ่ม",
    "no_remediation": "(เกณฑ์ไม่มีข้อแนะนำ)",
    "unranked": "ไม่จัดอันดับ",
    "provenance": "เกณฑ์การประเมิน",
    "version": "รุ่น",
    "sha256": "sha256",
    "library": "readiness-model",
    "cards": "รายหน่วยงาน",
    "missing": "–",
}

LANGS = {"en": _EN, "th": _TH}


def ui(lang: str) -> dict[str, str]:
    """Interface words in ``lang`` (English for a language without a table).

    Example:
        >>> ui("th")["overview"], ui("fr")["overview"]
        ('ภาพรวม', 'Overview')

    .. versionadded:: 0.1.0
    """
    return LANGS.get(lang, _EN)
