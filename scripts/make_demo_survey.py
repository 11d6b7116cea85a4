"""Generate the bundled synthetic survey ``src/readiness_model/data/demo-survey-2015-2016.csv``.

Every answer in that file is made up by this script (fixed seed, so the file is
reproducible); the agency names are real Thai ministries and departments, the answers
are not theirs. Run from a checkout::

    python scripts/make_demo_survey.py          # rewrite the CSV
    python scripts/make_demo_survey.py --check  # exit 1 if the CSV is not up to date
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from readiness_model.io.rubric_yaml import load_rubric  # noqa: E402
from readiness_model.model import (  # noqa: E402
    BinaryScale,
    ChecklistScale,
    ChoiceScale,
    NumericScale,
    OrdinalScale,
)

OUT = ROOT / "src" / "readiness_model" / "data" / "demo-survey-2015-2016.csv"
SEED = 2016
DEVELOPMENT = "development"
"""The dimension of development-trend questions (weight 0), answered from a second random
stream, so that the readiness answers are the same as before it was added."""
PERIODS = (2015, 2016)
OPS = ("Office of the Permanent Secretary", "สำนักงานปลัด")

# (id, English, Thai, [(English, Thai), ...departments]); "OPS" = the permanent secretary's office
# fmt: off
MINISTRIES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("opm", "Office of the Prime Minister", "สำนักนายกรัฐมนตรี", [
        ("OPS", "สำนักงานปลัดสำนักนายกรัฐมนตรี"),
        ("Public Relations Department", "กรมประชาสัมพันธ์"),
        ("Office of the Consumer Protection Board", "สำนักงานคณะกรรมการคุ้มครองผู้บริโภค"),
        ("Office of the National Economic and Social Development Board",
         "สำนักงานคณะกรรมการพัฒนาการเศรษฐกิจและสังคมแห่งชาติ"),
        ("Office of the Civil Service Commission", "สำนักงานคณะกรรมการข้าราชการพลเรือน"),
        ("Office of the Public Sector Development Commission",
         "สำนักงานคณะกรรมการพัฒนาระบบราชการ"),
        ("Bureau of the Budget", "สำนักงบประมาณ"),
        ("Office of the Council of State", "สำนักงานคณะกรรมการกฤษฎีกา"),
        ("Office of the Board of Investment", "สำนักงานคณะกรรมการส่งเสริมการลงทุน"),
        ("Office of the National Security Council", "สำนักงานสภาความมั่นคงแห่งชาติ"),
        ("National Intelligence Agency", "สำนักข่าวกรองแห่งชาติ"),
    ]),
    ("mod", "Ministry of Defence", "กระทรวงกลาโหม", [
        ("OPS", "สำนักงานปลัดกระทรวงกลาโหม"),
        ("Royal Thai Armed Forces Headquarters", "กองบัญชาการกองทัพไทย"),
        ("Royal Thai Army", "กองทัพบก"),
        ("Royal Thai Navy", "กองทัพเรือ"),
        ("Royal Thai Air Force", "กองทัพอากาศ"),
        ("Defence Technology Institute", "สถาบันเทคโนโลยีป้องกันประเทศ"),
    ]),
    ("mof", "Ministry of Finance", "กระทรวงการคลัง", [
        ("OPS", "สำนักงานปลัดกระทรวงการคลัง"),
        ("Comptroller General's Department", "กรมบัญชีกลาง"),
        ("Customs Department", "กรมศุลกากร"),
        ("Excise Department", "กรมสรรพสามิต"),
        ("Revenue Department", "กรมสรรพากร"),
        ("Treasury Department", "กรมธนารักษ์"),
        ("Public Debt Management Office", "สำนักงานบริหารหนี้สาธารณะ"),
        ("Fiscal Policy Office", "สำนักงานเศรษฐกิจการคลัง"),
        ("State Enterprise Policy Office", "สำนักงานคณะกรรมการนโยบายรัฐวิสาหกิจ"),
    ]),
    ("mfa", "Ministry of Foreign Affairs", "กระทรวงการต่างประเทศ", [
        ("OPS", "สำนักงานปลัดกระทรวงการต่างประเทศ"),
        ("Department of Consular Affairs", "กรมการกงสุล"),
        ("Department of Protocol", "กรมพิธีการทูต"),
        ("Department of Information", "กรมสารนิเทศ"),
        ("Department of Treaties and Legal Affairs", "กรมสนธิสัญญาและกฎหมาย"),
        ("Department of International Economic Affairs", "กรมเศรษฐกิจระหว่างประเทศ"),
        ("Thailand International Cooperation Agency", "กรมความร่วมมือระหว่างประเทศ"),
        ("Department of ASEAN Affairs", "กรมอาเซียน"),
        ("Department of American and South Pacific Affairs", "กรมอเมริกาและแปซิฟิกใต้"),
    ]),
    ("mots", "Ministry of Tourism and Sports", "กระทรวงการท่องเที่ยวและกีฬา", [
        ("OPS", "สำนักงานปลัดกระทรวงการท่องเที่ยวและกีฬา"),
        ("Department of Tourism", "กรมการท่องเที่ยว"),
        ("Department of Physical Education", "กรมพลศึกษา"),
        ("Institute of Physical Education", "สถาบันการพลศึกษา"),
        ("Sports Authority of Thailand", "การกีฬาแห่งประเทศไทย"),
    ]),
    ("msdhs", "Ministry of Social Development and Human Security",
     "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์", [
        ("OPS", "สำนักงานปลัดกระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"),
        ("Department of Social Development and Welfare", "กรมพัฒนาสังคมและสวัสดิการ"),
        ("Department of Women's Affairs and Family Development",
         "กรมกิจการสตรีและสถาบันครอบครัว"),
        ("Department of Children and Youth", "กรมกิจการเด็กและเยาวชน"),
        ("Department of Older Persons", "กรมกิจการผู้สูงอายุ"),
        ("Department of Empowerment of Persons with Disabilities",
         "กรมส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ"),
    ]),
    ("moac", "Ministry of Agriculture and Cooperatives", "กระทรวงเกษตรและสหกรณ์", [
        ("OPS", "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์"),
        ("Royal Irrigation Department", "กรมชลประทาน"),
        ("Department of Agriculture", "กรมวิชาการเกษตร"),
        ("Department of Agricultural Extension", "กรมส่งเสริมการเกษตร"),
        ("Department of Fisheries", "กรมประมง"),
        ("Department of Livestock Development", "กรมปศุสัตว์"),
        ("Land Development Department", "กรมพัฒนาที่ดิน"),
        ("Cooperative Promotion Department", "กรมส่งเสริมสหกรณ์"),
        ("Rice Department", "กรมการข้าว"),
        ("Queen Sirikit Department of Sericulture", "กรมหม่อนไหม"),
        ("Office of Agricultural Economics", "สำนักงานเศรษฐกิจการเกษตร"),
        ("Agricultural Land Reform Office", "สำนักงานการปฏิรูปที่ดินเพื่อเกษตรกรรม"),
    ]),
    ("mot", "Ministry of Transport", "กระทรวงคมนาคม", [
        ("OPS", "สำนักงานปลัดกระทรวงคมนาคม"),
        ("Department of Land Transport", "กรมการขนส่งทางบก"),
        ("Marine Department", "กรมเจ้าท่า"),
        ("Department of Highways", "กรมทางหลวง"),
        ("Department of Rural Roads", "กรมทางหลวงชนบท"),
        ("Department of Civil Aviation", "กรมการบินพลเรือน"),
        ("Office of Transport and Traffic Policy and Planning",
         "สำนักงานนโยบายและแผนการขนส่งและจราจร"),
    ]),
    ("mnre", "Ministry of Natural Resources and Environment",
     "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม", [
        ("OPS", "สำนักงานปลัดกระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
        ("Pollution Control Department", "กรมควบคุมมลพิษ"),
        ("Department of Environmental Quality Promotion", "กรมส่งเสริมคุณภาพสิ่งแวดล้อม"),
        ("Department of Mineral Resources", "กรมทรัพยากรธรณี"),
        ("Department of Water Resources", "กรมทรัพยากรน้ำ"),
        ("Department of Groundwater Resources", "กรมทรัพยากรน้ำบาดาล"),
        ("Royal Forest Department", "กรมป่าไม้"),
        ("Department of National Parks, Wildlife and Plant Conservation",
         "กรมอุทยานแห่งชาติ สัตว์ป่า และพันธุ์พืช"),
        ("Department of Marine and Coastal Resources", "กรมทรัพยากรทางทะเลและชายฝั่ง"),
        ("Office of Natural Resources and Environmental Policy and Planning",
         "สำนักงานนโยบายและแผนทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ]),
    ("mict", "Ministry of Information and Communication Technology",
     "กระทรวงเทคโนโลยีสารสนเทศและการสื่อสาร", [
        ("OPS", "สำนักงานปลัดกระทรวงเทคโนโลยีสารสนเทศและการสื่อสาร"),
        ("Thai Meteorological Department", "กรมอุตุนิยมวิทยา"),
        ("National Statistical Office", "สำนักงานสถิติแห่งชาติ"),
        ("Electronic Government Agency", "สำนักงานรัฐบาลอิเล็กทรอนิกส์"),
        ("Electronic Transactions Development Agency", "สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์"),
        ("Software Industry Promotion Agency", "สำนักงานส่งเสริมอุตสาหกรรมซอฟต์แวร์แห่งชาติ"),
    ]),
    ("moen", "Ministry of Energy", "กระทรวงพลังงาน", [
        ("OPS", "สำนักงานปลัดกระทรวงพลังงาน"),
        ("Department of Mineral Fuels", "กรมเชื้อเพลิงธรรมชาติ"),
        ("Department of Energy Business", "กรมธุรกิจพลังงาน"),
        ("Department of Alternative Energy Development and Efficiency",
         "กรมพัฒนาพลังงานทดแทนและอนุรักษ์พลังงาน"),
        ("Energy Policy and Planning Office", "สำนักงานนโยบายและแผนพลังงาน"),
    ]),
    ("moc", "Ministry of Commerce", "กระทรวงพาณิชย์", [
        ("OPS", "สำนักงานปลัดกระทรวงพาณิชย์"),
        ("Department of Business Development", "กรมพัฒนาธุรกิจการค้า"),
        ("Department of Foreign Trade", "กรมการค้าต่างประเทศ"),
        ("Department of Internal Trade", "กรมการค้าภายใน"),
        ("Department of Intellectual Property", "กรมทรัพย์สินทางปัญญา"),
        ("Department of Trade Negotiations", "กรมเจรจาการค้าระหว่างประเทศ"),
        ("Department of International Trade Promotion", "กรมส่งเสริมการค้าระหว่างประเทศ"),
        ("Trade Policy and Strategy Office", "สำนักงานนโยบายและยุทธศาสตร์การค้า"),
    ]),
    ("moi", "Ministry of Interior", "กระทรวงมหาดไทย", [
        ("OPS", "สำนักงานปลัดกระทรวงมหาดไทย"),
        ("Department of Provincial Administration", "กรมการปกครอง"),
        ("Community Development Department", "กรมการพัฒนาชุมชน"),
        ("Department of Lands", "กรมที่ดิน"),
        ("Department of Disaster Prevention and Mitigation", "กรมป้องกันและบรรเทาสาธารณภัย"),
        ("Department of Public Works and Town and Country Planning", "กรมโยธาธิการและผังเมือง"),
        ("Department of Local Administration", "กรมส่งเสริมการปกครองท้องถิ่น"),
    ]),
    ("moj", "Ministry of Justice", "กระทรวงยุติธรรม", [
        ("OPS", "สำนักงานปลัดกระทรวงยุติธรรม"),
        ("Department of Corrections", "กรมราชทัณฑ์"),
        ("Department of Probation", "กรมคุมประพฤติ"),
        ("Department of Juvenile Observation and Protection",
         "กรมพินิจและคุ้มครองเด็กและเยาวชน"),
        ("Legal Execution Department", "กรมบังคับคดี"),
        ("Department of Special Investigation", "กรมสอบสวนคดีพิเศษ"),
        ("Rights and Liberties Protection Department", "กรมคุ้มครองสิทธิและเสรีภาพ"),
        ("Central Institute of Forensic Science", "สถาบันนิติวิทยาศาสตร์"),
        ("Office of the Narcotics Control Board",
         "สำนักงานคณะกรรมการป้องกันและปราบปรามยาเสพติด"),
    ]),
    ("mol", "Ministry of Labour", "กระทรวงแรงงาน", [
        ("OPS", "สำนักงานปลัดกระทรวงแรงงาน"),
        ("Department of Employment", "กรมการจัดหางาน"),
        ("Department of Skill Development", "กรมพัฒนาฝีมือแรงงาน"),
        ("Department of Labour Protection and Welfare", "กรมสวัสดิการและคุ้มครองแรงงาน"),
        ("Social Security Office", "สำนักงานประกันสังคม"),
    ]),
    ("mculture", "Ministry of Culture", "กระทรวงวัฒนธรรม", [
        ("OPS", "สำนักงานปลัดกระทรวงวัฒนธรรม"),
        ("Department of Religious Affairs", "กรมการศาสนา"),
        ("Fine Arts Department", "กรมศิลปากร"),
        ("Department of Cultural Promotion", "กรมส่งเสริมวัฒนธรรม"),
        ("Office of Contemporary Art and Culture", "สำนักงานศิลปวัฒนธรรมร่วมสมัย"),
        ("Bunditpatanasilpa Institute", "สถาบันบัณฑิตพัฒนศิลป์"),
    ]),
    ("most", "Ministry of Science and Technology", "กระทรวงวิทยาศาสตร์และเทคโนโลยี", [
        ("OPS", "สำนักงานปลัดกระทรวงวิทยาศาสตร์และเทคโนโลยี"),
        ("Department of Science Service", "กรมวิทยาศาสตร์บริการ"),
        ("Office of Atoms for Peace", "สำนักงานปรมาณูเพื่อสันติ"),
        ("National Science and Technology Development Agency",
         "สำนักงานพัฒนาวิทยาศาสตร์และเทคโนโลยีแห่งชาติ"),
        ("Geo-Informatics and Space Technology Development Agency",
         "สำนักงานพัฒนาเทคโนโลยีอวกาศและภูมิสารสนเทศ"),
    ]),
    ("moe", "Ministry of Education", "กระทรวงศึกษาธิการ", [
        ("OPS", "สำนักงานปลัดกระทรวงศึกษาธิการ"),
        ("Office of the Education Council", "สำนักงานเลขาธิการสภาการศึกษา"),
        ("Office of the Basic Education Commission", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"),
        ("Office of the Vocational Education Commission", "สำนักงานคณะกรรมการการอาชีวศึกษา"),
        ("Office of the Higher Education Commission", "สำนักงานคณะกรรมการการอุดมศึกษา"),
        ("Office of the Teacher Civil Service and Educational Personnel Commission",
         "สำนักงานคณะกรรมการข้าราชการครูและบุคลากรทางการศึกษา"),
        ("Office of Non-Formal and Informal Education",
         "สำนักงานส่งเสริมการศึกษานอกระบบและการศึกษาตามอัธยาศัย"),
    ]),
    ("moph", "Ministry of Public Health", "กระทรวงสาธารณสุข", [
        ("OPS", "สำนักงานปลัดกระทรวงสาธารณสุข"),
        ("Department of Medical Services", "กรมการแพทย์"),
        ("Department of Disease Control", "กรมควบคุมโรค"),
        ("Department of Thai Traditional and Alternative Medicine",
         "กรมการแพทย์แผนไทยและการแพทย์ทางเลือก"),
        ("Department of Medical Sciences", "กรมวิทยาศาสตร์การแพทย์"),
        ("Department of Health Service Support", "กรมสนับสนุนบริการสุขภาพ"),
        ("Department of Mental Health", "กรมสุขภาพจิต"),
        ("Department of Health", "กรมอนามัย"),
        ("Food and Drug Administration", "สำนักงานคณะกรรมการอาหารและยา"),
        ("National Health Security Office", "สำนักงานหลักประกันสุขภาพแห่งชาติ"),
    ]),
    ("moind", "Ministry of Industry", "กระทรวงอุตสาหกรรม", [
        ("OPS", "สำนักงานปลัดกระทรวงอุตสาหกรรม"),
        ("Department of Industrial Works", "กรมโรงงานอุตสาหกรรม"),
        ("Department of Industrial Promotion", "กรมส่งเสริมอุตสาหกรรม"),
        ("Department of Primary Industries and Mines", "กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่"),
        ("Office of Industrial Economics", "สำนักงานเศรษฐกิจอุตสาหกรรม"),
        ("Thai Industrial Standards Institute", "สำนักงานมาตรฐานผลิตภัณฑ์อุตสาหกรรม"),
        ("Office of the Cane and Sugar Board", "สำนักงานคณะกรรมการอ้อยและน้ำตาลทราย"),
    ]),
]
# fmt: on

# Well-known abbreviations; other ids are made from the initials of the English name.
KNOWN_IDS = {
    "Department of Business Development": "dbd",
    "Department of Foreign Trade": "dft",
    "Department of Internal Trade": "dit",
    "Department of Intellectual Property": "dip",
    "Revenue Department": "rd",
    "Electronic Government Agency": "ega",
    "National Statistical Office": "nso",
    "Food and Drug Administration": "fda",
}
SKIP = {"of", "and", "the", "for", "with"}


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s,\-']+", name) if w and w.lower() not in SKIP]
    return "".join(w[0].lower() for w in words)


def agencies() -> list[dict[str, str]]:
    """Every agency: ministries first (kind ministry), each followed by its departments."""
    out: list[dict[str, str]] = []
    used: set[str] = set()
    for mid, en, th, depts in MINISTRIES:
        out.append({"agency": mid, "name": f"{en} / {th}", "kind": "ministry", "parent": ""})
        used.add(mid)
        for d_en, d_th in depts:
            if d_en == "OPS":
                ident, d_en = f"{mid}-ops", f"{OPS[0]}, {en}"
            else:
                ident = KNOWN_IDS.get(d_en) or _initials(d_en)
                base, k = ident, 2
                while ident in used:
                    ident, k = f"{base}{k}", k + 1
            used.add(ident)
            out.append(
                {"agency": ident, "name": f"{d_en} / {d_th}", "kind": "department", "parent": mid}
            )
    return out


def _fmt_number(x: float, unit: str, rng: np.random.Generator) -> str:
    text = f"{x:.0f}" if abs(x) >= 20 or rng.random() < 0.5 else f"{x:.1f}"
    if unit == "%" and rng.random() < 0.3:
        text += "%"
    return text


def answer(ind: object, level: float, rng: np.random.Generator) -> str:
    """An answer written the way people fill in a survey, for a latent level in [0, 1]."""
    s = ind.scale  # type: ignore[attr-defined]
    lv = float(np.clip(level + rng.normal(0, 0.15), 0, 1))
    if isinstance(s, BinaryScale):
        yes = rng.random() < lv
        return str(rng.choice(["yes", "Yes", "YES"] if yes else ["no", "No"], p=None))
    if isinstance(s, OrdinalScale):
        k = len(s.levels)
        level_label: str = s.levels[int(np.clip(round(lv * (k - 1)), 0, k - 1))]
        return level_label
    if isinstance(s, ChoiceScale):
        best = int(np.argmin([abs(v - lv) for v in s.values]))
        option: str = s.options[best]
        return option
    if isinstance(s, ChecklistScale):
        ticked = [it for it in s.items if rng.random() < lv]
        return "|".join(ticked) if ticked else "none"
    assert isinstance(s, NumericScale)
    assert s.goalposts is not None
    lo, hi = s.goalposts
    frac = lv * 1.15 - 0.05  # a few answers beyond the goalposts (they clamp)
    if ind.direction == "lower_is_better":  # type: ignore[attr-defined]
        frac = 1 - frac
    x = max(0.0, lo + frac * (hi - lo))
    if s.unit == "%":
        x = min(x, 100.0)
    return _fmt_number(x, s.unit, rng)


def make_rows() -> list[list[str]]:
    """The header and every row of the survey (deterministic)."""
    rng = np.random.default_rng(SEED)
    dev_rng = np.random.default_rng(SEED + 1)
    rubric = load_rubric("thai-dg-readiness-2016")
    dim_of = {x.id: d.id for d in rubric.dimensions for x in d.iter_indicators()}
    inds = [x for x in rubric.indicators if dim_of[x.id] != DEVELOPMENT]
    dev = [x for x in rubric.indicators if dim_of[x.id] == DEVELOPMENT]
    dims = [d.id for d in rubric.dimensions if d.id != DEVELOPMENT]
    header = ["agency", "period", "name", "kind", "parent", *(x.id for x in inds + dev)]
    rows: list[list[str]] = []
    ags = agencies()
    # Latent readiness: ministries a bit ahead; departments spread widely.
    theta = {a["agency"]: float(rng.beta(2.6, 2.2)) for a in ags}
    theta["moc"] = 0.80
    late = set(
        rng.choice(
            [a["agency"] for a in ags if a["kind"] == "department"], 3, replace=False
        ).tolist()
    )  # first surveyed in 2016
    for period in PERIODS:
        for a in ags:
            ident = a["agency"]
            if period == 2015 and ident in late:
                continue
            base = theta[ident]
            if period == 2016:
                base = float(np.clip(base + rng.normal(0.05, 0.06), 0, 1))
            skew = {d: rng.normal(0, 0.12) for d in dims}
            cells = []
            for x in inds:
                u = rng.random()
                if u < 0.03:
                    cells.append("")  # not answered
                elif u < 0.036 or (
                    x.id == "e_payment" and a["kind"] == "department" and rng.random() < 0.08
                ):
                    cells.append("n/a")
                else:
                    cells.append(answer(x, base + skew[dim_of[x.id]], rng))
            # development in the year: partly readiness, partly the agency's own momentum
            momentum = float(np.clip(0.45 * base + dev_rng.normal(0.25, 0.22), 0, 1))
            for x in dev:
                if dev_rng.random() < 0.03:
                    cells.append("")  # not answered
                else:
                    cell = answer(x, momentum, dev_rng)
                    if getattr(x.scale, "unit", None) == "projects":
                        cell = str(round(float(cell)))  # a count of projects is whole
                    cells.append(cell)
            rows.append([ident, str(period), a["name"], a["kind"], a["parent"], *cells])
    return [header, *rows]


def render() -> str:
    """The CSV text (CRLF line ends, as spreadsheet and survey tools export)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows(make_rows())
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, verify) the bundled demo survey."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    ns = parser.parse_args(argv)
    data = render().encode("utf-8-sig")
    if ns.check:
        same = OUT.is_file() and OUT.read_bytes() == data
        print(f"{OUT.name}: {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    rows = data.count(b"\n") - 1
    print(f"wrote {OUT.relative_to(ROOT)} ({rows} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
