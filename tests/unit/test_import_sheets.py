"""Detail sheets read from real and written samples: every heading, its value, the repairs."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from domain.imports.sheet import ParsedSheet, parse_document
from infra.imports.files import UnreadableFile, read_documents
from infra.imports.lexicon import thai_lexicon
from infra.imports.parse import NoSheetFound, parse_upload

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "imports"
TEN = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")


def parse(text: str) -> list[ParsedSheet]:
    return parse_document(text, thai_lexicon())


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def outputs(s: ParsedSheet) -> list[tuple[str, Decimal, str]]:
    return [(o.comparator.value, o.target, o.unit) for o in s.output_indicators]


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def phangkhwang() -> ParsedSheet:
    path = FIXTURES / "phangkhwang-2.1.1.txt"  # the public sample, carried by the tests
    (sheet,) = parse(path.read_text(encoding="utf-8"))
    return sheet


def test_the_real_sample_has_all_ten_headings_and_their_values(phangkhwang: ParsedSheet) -> None:
    s = phangkhwang
    assert set(TEN) <= set(s.headings) and {"10.1", "10.2"} <= set(s.headings)
    assert not [u for u in s.unparsed if u.kind.value != "uncertain_spelling"]
    assert (s.number, s.kind and s.kind.value) == ("2.1.1", "activity")
    assert s.name == "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหารองค์การบริหารส่วนตำบลพังขว้าง"
    assert [n for n, _ in s.steps] == [f"6.{i}" for i in range(1, 9)]
    assert s.steps[1] == ("6.2", "ประชุมหน่วยงาน/บุคคลที่เกี่ยวข้อง")  # เกี่ยวซ้อง repaired
    assert s.steps[7] == ("6.8", "รายงานผลการดำเนินงาน")
    assert s.fiscal_years == (2561, 2562, 2563, 2564)
    assert s.budget is None
    assert outputs(s) == [
        ("at_least", 1, "ฉบับ"),
        ("at_least", 1, "ครั้ง"),
        ("exactly", 1, "ฉบับ"),
    ]
    assert len(s.outcomes) == 2 and s.outcomes[1].startswith("ลดข้อร้องเรียน")
    assert len(s.targets) == 3 and s.targets[2].endswith("๔ ปี")
    assert s.area == "องค์การบริหารส่วนตำบลพังขว้าง"
    assert s.responsible == "งานกฎหมายและคดี สำนักงานปลัดองค์การบริหารส่วนตำบลพังขว้าง"
    assert s.objectives[0].startswith("เพื่อแสดงเจตจำนงทางการเมือง")


def test_the_real_sample_lists_its_repairs(phangkhwang: ParsedSheet) -> None:
    made = {(r.before, r.after) for r in phangkhwang.repairs}
    for before, after in [
        ("ป.ป.ซ.", "ป.ป.ช."),
        ("ไต้รับ", "ได้รับ"),
        ("ประซาซน", "ประชาชน"),
        ("การบีองกัน", "การป้องกัน"),
        ("การปองกัน", "การป้องกัน"),
        ("เปาหมาย", "เป้าหมาย"),
        ("ดัซนี", "ดัชนี"),
        ("เซ่นเดียวกัน", "เช่นเดียวกัน"),
        ("เกี่ยวซ้อง", "เกี่ยวข้อง"),
        ("ยืดหลัก", "ยึดหลัก"),
        ("-๒-", ""),
        ("-๓-", ""),
        ("/องค์กร...", ""),
    ]:
        assert (before, after) in made, (before, after)
    assert any(r.before.endswith("ฉบับ,ที่") and r.after.endswith("ฉบับที่") for r in phangkhwang.repairs)
    for r in phangkhwang.repairs:
        assert r.where and r.why
    text = phangkhwang.rationale
    # Applied: the damaged forms are gone, the repaired ones are there.
    for gone in ("ประซาซน", "ป.ป.ซ.", "บีองกัน", "ดัซนี", "ฉบับ,ที่", "/องค์กร", "-๒-"):
        assert gone not in text
    assert "คณะกรรมการ ป.ป.ช." in text and "ซึ่งหากพิจารณาจำนวนขององค์กรปกครอง" in text
    # Certain only: a word that is itself a word is flagged, never changed.
    assert "ประพฤติมิชอบ" in text  # มิชอบ is a word: not touched
    assert "ไต้จัดทำ" in text
    flagged = {(u.text, u.suggestions) for u in phangkhwang.unparsed}
    assert ("ไต้", ("ได้",)) in flagged
    assert any(t == "ซอง" and "ของ" in sug for t, sug in flagged)


def test_a_sheet_with_arabic_digits_colons_and_a_budget_per_year() -> None:
    (s,) = parse(sample("tharae-1.1.2.txt"))
    assert set(TEN) <= set(s.headings)
    assert (s.number, s.kind and s.kind.value) == ("1.1.2", "project")
    assert s.name.startswith("อบรมคุณธรรมจริยธรรม")
    assert s.objectives == (
        "เพื่อให้ผู้บริหาร สมาชิกสภา และพนักงานมีความรู้ความเข้าใจในหลักคุณธรรมจริยธรรม",
        "เพื่อสร้างจิตสำนึกในการปฏิบัติหน้าที่ด้วยความซื่อสัตย์สุจริต",
    )
    assert [n for n, _ in s.steps] == ["6.1", "6.2", "6.3", "6.4"]
    assert s.fiscal_years == (2566, 2567, 2568, 2569, 2570)
    assert s.budget == {
        2566: Decimal(20000),
        2567: Decimal(20000),
        2568: Decimal(25000),
        2569: Decimal(25000),
        2570: Decimal("30000.50"),
    }
    assert outputs(s) == [("at_least", 80, "%"), ("at_least", 1, "ครั้งต่อปี")]
    assert s.outcomes[0].endswith("ไม่น้อยกว่าร้อยละ 70")
    assert s.responsible == "งานการเจ้าหน้าที่ สำนักปลัดเทศบาลตำบลท่าแร่"
    assert s.repairs == () and s.unparsed == ()
    assert s.to_json()["budget"] == {
        "2566": 20000,
        "2567": 20000,
        "2568": 25000,
        "2569": 25000,
        "2570": 30000.5,
    }


def test_damaged_extraction_is_repaired_where_the_dictionary_is_sure() -> None:
    (s,) = parse(sample("chiangkhruea-4.2.1-damaged.txt"))
    assert set(TEN) <= set(s.headings)  # "๖ วิธีด าเนินการ": no dot, sara am split
    assert (s.number, s.kind and s.kind.value) == ("4.2.1", "measure")
    assert s.name == "ตรวจสอบการใช้ดุลยพินิจของผู้บริหาร"
    assert s.steps == (
        ("6.1", "รวบรวมคำสั่งและประกาศของผู้บริหาร"),
        ("6.2", "เผยแพร่ทางเว็บไซต์และบอร์ดประชาสัมพันธ์"),
        ("6.3", "รายงานผลการดำเนินงาน"),
    )
    assert s.fiscal_years == (2562, 2563, 2564, 2565) and s.budget is None
    assert s.responsible == "สำนักปลัด องค์การบริหารส่วนตำบลเชียงเครือ"
    assert outputs(s) == [("at_least", 100, "%")]
    assert s.outcomes == ("ไม่มีข้อร้องเรียนเรื่องการใช้ดุลยพินิจโดยมิชอบ",)
    made = {(r.before, r.after) for r in s.repairs}
    assert {
        ("ล าดับ", "ลำดับ"),
        ("ส านัก", "สำนัก"),
        ("ค าสั่ง", "คำสั่ง"),
        ("ผลการดาเนินงาน", "ผลการดำเนินงาน"),
        ("บีองกัน", "ป้องกัน"),
        ("ปองกัน", "ป้องกัน"),
        ("ประซาสัมพันธ์", "ประชาสัมพันธ์"),
    } <= made
    # The page break inside heading 2 is gone and its paragraph joined again.
    assert "-๒-" not in s.rationale and "ประพฤติมิชอบโดยให้สำนักปลัด" in s.rationale
    assert [(u.text, u.suggestions) for u in s.unparsed] == [("ไต้", ("ได้",))]


def test_two_sheets_in_one_file() -> None:
    first, second = parse(sample("nongbua-two-sheets.txt"))
    assert (first.number, first.kind and first.kind.value) == ("3.1.1", "activity")
    assert (second.number, second.kind and second.kind.value) == ("3.2.1", "project")
    assert first.name == "เผยแพร่ข้อมูลข่าวสารด้านการจัดซื้อจัดจ้าง"
    assert first.steps[1] == ("6.2", "เผยแพร่ทางเว็บไซต์และปิดประกาศ ณ ที่ทำการองค์การบริหารส่วนตำบล")
    assert first.budget == {y: Decimal(5000) for y in (2562, 2563, 2564, 2565)}  # ปีละ
    # No 10.1 / 10.2: lines with a countable target are outputs, the others outcomes.
    assert outputs(first) == [("exactly", 12, "ครั้งต่อปี")]
    assert first.outcomes == ("ประชาชนมีความพึงพอใจต่อการเผยแพร่ข้อมูล",)
    assert "-2-" not in first.outcomes[0]
    assert second.budget == {
        2562: Decimal(10000),
        2563: Decimal(10000),
        2564: Decimal(0),
        2565: Decimal(12000),
    }
    assert outputs(second) == [("exactly", 12, "หมู่บ้าน"), ("at_least", 30, "คนต่อหมู่บ้าน")]
    assert second.area == "หมู่ที่ 1 - 12 ตำบลหนองบัว"
    assert [n for n, _ in second.steps] == ["6.1", "6.2", "6.3"]


def test_a_sheet_without_a_budget_line_it_understands_is_flagged() -> None:
    text = sample("tharae-1.1.2.txt").replace("ปีงบประมาณ 2566 จำนวน 20,000 บาท", "ตามข้อบัญญัติ")
    text = "\n".join(x for x in text.split("\n") if "จำนวน" not in x or "บาท" not in x)
    (s,) = parse(text)
    assert s.budget == {}
    assert [u.heading for u in s.unparsed if u.kind.value == "not_understood"] == ["8"]
    assert s.to_json()["budget"] == {}


def test_missing_headings_are_reported() -> None:
    text = sample("tharae-1.1.2.txt").split("7 ระยะเวลา")[0]
    (s,) = parse(text)
    missing = [u.heading for u in s.unparsed if u.kind.value == "missing_heading"]
    assert missing == ["7", "8", "9", "10"]


def test_json_shape() -> None:
    (s,) = parse(sample("tharae-1.1.2.txt"))
    d = s.to_json()
    assert list(d) == [
        "number",
        "kind",
        "name",
        "rationale",
        "objectives",
        "targets",
        "area",
        "steps",
        "fiscal_years",
        "budget",
        "responsible",
        "output_indicators",
        "outcomes",
        "repairs",
        "unparsed",
    ]
    assert d["steps"][0] == {"number": "6.1", "title": "เสนอโครงการเพื่อขออนุมัติ"}
    assert d["output_indicators"][1] == {
        "text": "จัดอบรม อย่างน้อย 1 ครั้งต่อปี",
        "comparator": "at_least",
        "target": 1,
        "unit": "ครั้งต่อปี",
    }


def docx_bytes() -> bytes:
    """The Tha Rae sheet as a Word file: headings as paragraphs, steps and budget in tables."""
    import docx

    document = docx.Document()
    in_table: list[tuple[str, str]] = []
    for line in sample("tharae-1.1.2.txt").split("\n"):
        stripped = line.strip()
        if stripped[:2] in ("1.", "2.", "3.", "4.") and not stripped.startswith("10"):
            in_table.append((stripped[:2], stripped[2:].strip()))
            continue
        if in_table:
            table = document.add_table(rows=0, cols=2)
            for a, b in in_table:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = a, b
            in_table = []
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file() -> None:
    (doc,) = read_documents("tharae.docx", docx_bytes())
    (s,) = parse(doc.text)
    assert (s.number, s.kind and s.kind.value) == ("1.1.2", "project")
    assert s.steps == (
        ("6.1", "เสนอโครงการเพื่อขออนุมัติ"),
        ("6.2", "ประสานวิทยากรและจัดเตรียมสถานที่"),
        ("6.3", "จัดอบรมตามหลักสูตร"),
        ("6.4", "ประเมินผลและรายงานผลการดำเนินงาน"),
    )
    assert s.budget is not None and s.budget[2570] == Decimal("30000.50")
    assert outputs(s) == [("at_least", 80, "%"), ("at_least", 1, "ครั้งต่อปี")]


def pdf_bytes(name: str) -> bytes:
    """A PDF with a text layer, set in Sarabun as official documents are (WeasyPrint)."""
    import html
    from importlib.resources import files

    import weasyprint

    font = files("fontpkg_sarabun") / "files" / "Sarabun-Regular.ttf"
    body = "".join(f"<p>{html.escape(x) or '&nbsp;'}</p>" for x in sample(name).split("\n"))
    css = (
        f"@font-face {{ font-family: Sarabun; src: url('file://{font}'); }} "
        "body { font-family: Sarabun; font-size: 14pt } p { margin: 0 }"
    )
    return weasyprint.HTML(
        string=f"<html lang='th'><head><style>{css}</style></head><body>{body}</body></html>"
    ).write_pdf()


def test_a_pdf_text_layer_loses_sara_am_and_gets_it_back() -> None:
    (doc,) = read_documents("tharae.pdf", pdf_bytes("tharae-1.1.2.txt"))
    assert "ดาเนินการ" in doc.text  # what text extraction does to ำ in this font
    (s,) = parse(doc.text)
    assert set(TEN) <= set(s.headings)
    assert squash(s.name) == squash("อบรมคุณธรรมจริยธรรมแก่ผู้บริหาร สมาชิกสภา และพนักงานเทศบาลตำบลท่าแร่")
    assert s.area == "เทศบาลตำบลท่าแร่ อำเภอเมืองสกลนคร จังหวัดสกลนคร"
    assert s.steps[3] == ("6.4", "ประเมินผลและรายงานผลการดำเนินงาน")
    assert s.budget is not None and sum(s.budget.values()) == Decimal("120000.50")
    made = {(r.before, r.after) for r in s.repairs}
    assert {("จานวน", "จำนวน"), ("อาเภอ", "อำเภอ"), ("สานัก", "สำนัก")} <= made


def test_thai_legacy_encoding() -> None:
    raw = sample("chiangkhruea-4.2.1-damaged.txt").encode("cp874")
    (doc,) = read_documents("old.txt", raw)
    (s,) = parse(doc.text)
    assert s.number == "4.2.1" and len(s.steps) == 3


def test_a_zip_of_several_documents() -> None:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("plan/tharae-1.1.2.txt", sample("tharae-1.1.2.txt"))
        z.writestr("plan/nongbua.txt", sample("nongbua-two-sheets.txt"))
        z.writestr("plan/tharae.docx", docx_bytes())
        z.writestr("__MACOSX/plan/._nongbua.txt", b"\x00\x05\x16\x07")
    upload = parse_upload([("plans.zip", buf.getvalue())])
    assert [source for source, _ in upload.sheets] == [
        "plans.zip/plan/nongbua.txt #1",
        "plans.zip/plan/nongbua.txt #2",
        "plans.zip/plan/tharae-1.1.2.txt #1",
        "plans.zip/plan/tharae.docx #1",
    ]
    assert [s.number for _, s in upload.sheets] == ["3.1.1", "3.2.1", "1.1.2", "1.1.2"]


def test_files_that_are_not_plan_documents_are_refused_by_name() -> None:
    with pytest.raises(UnreadableFile) as png:
        read_documents("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert png.value.details["file"] == "photo.png"
    with pytest.raises(UnreadableFile):
        read_documents("broken.docx", b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFile):
        read_documents("scan.pdf", b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(NoSheetFound):
        parse_upload([("letter.txt", "เรียน นายกองค์การบริหารส่วนตำบล\nขอเชิญประชุม".encode())])
