"""Any text at all: the sheet and plan readers never fail, and what they return is JSON."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.imports.plan import known_templates, parse_plan
from domain.imports.sheet import parse_document
from domain.imports.spelling import repair
from infra.imports.lexicon import thai_lexicon

PIECES = [
    "๑. ชื่อโครงการ : ",
    "๕. วิธีด\u0e4d\u0e32เนินการ\n",
    "๙. ผลผลิต/ผลลัพธ\n",
    "มิติที่ ๑ ",
    "๑.๑.๑ ",
    "๑) โครงการ",
    " ๕,๐๐๐ ",
    " - ",
    "ปีละ ",
    "รวม ",
    "บาท",
    "พ.ศ. ๒๕๖๖ – ๒๕๗๐",
    "ไมนอยกวา รอยละ 80",
    "เสริมสรŒาง",
    "ตัวอย‹าง",
    "\uf70b",
    "มคี วาม",
    "การปูองกัน",
    "รายละเอียดโครงการ/กิจกรรม/มาตรการ\n",
    "บัญชีโครงการ/กิจกรรม/งบประมาณ\n",
    "\n",
    " ",
    "่",
    "์",
    "ํ",
    "า",
    "ก",
    "Œ",
]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_reads_without_failing(text: str) -> None:
    lex = thai_lexicon()
    for sheet in parse_document(text, lex):
        json.dumps(sheet.to_json(), ensure_ascii=False)
    json.dumps(parse_plan(text, lex, known_templates()).to_json(), ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="กขคงมรวาีิ่้๊๋์็ํำู ŒŠ‹\uf70a\uf70b", max_size=30))
def test_repairs_change_only_what_they_list(text: str) -> None:
    """Without a listed repair the text comes back exactly as it was."""
    out, report = repair(text, thai_lexicon(), "x")
    if not report.repairs:
        assert out == text
