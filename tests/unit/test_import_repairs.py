"""Repairs are made only where the dictionary is sure, and every one is listed."""

from __future__ import annotations

import unicodedata

from domain.imports.lexicon import Cost, Lexicon
from domain.imports.spelling import repair
from domain.imports.text import normalise
from infra.imports.lexicon import thai_lexicon
from tests.demo import DATA


def fix(text: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, tuple[str, ...]]]]:
    out, report = repair(text, thai_lexicon(), "หัวข้อ 2")
    return (
        out,
        [(r.before, r.after) for r in report.repairs],
        [(f.text, f.suggestions) for f in report.flags],
    )


def test_correct_official_text_is_left_exactly_as_it_is() -> None:
    """Every text of the demo plans (about 27,000 characters of correct Thai): no change,
    no repair, no flag."""
    texts: list[str] = []
    for org in DATA["organisations"]:
        for plan in org["plans"]:
            for it in plan["items"]:
                texts += [it["name"], it["rationale"], *it["objectives"], *it["targets"]]
                texts += [it["area"]] if it["area"] else []
                texts += [s["title"] for s in it["steps"]] + [o["text"] for o in it["outputs"]]
    assert sum(map(len, texts)) > 15_000
    for text in texts:
        assert fix(text) == (text, [], [])


def test_a_non_word_becomes_the_only_word_it_can_be() -> None:
    assert fix("ประซาซนในท้องถิ่น") == ("ประชาชนในท้องถิ่น", [("ประซาซน", "ประชาชน")], [])
    assert fix("การทุจริตเซิงรุก")[1] == [("เซิงรุก", "เชิงรุก")]
    assert fix("มีศักดิ์ศริ")[0] == "มีศักดิ์ศรี"


def test_words_that_make_one_dictionary_word_when_repaired() -> None:
    # ปอง|กัน are words, but ป้องกัน is one: the tone mark the scan lost.
    assert fix("การปองกันการทุจริต")[0] == "การป้องกันการทุจริต"
    assert fix("โดยไต้รับความร่วมมือ")[1] == [("ไต้รับ", "ได้รับ")]
    assert fix("รายงานผลการดาเนินงาน")[1] == [("ผลการดาเนินงาน", "ผลการดำเนินงาน")]


def test_a_suspicious_word_that_is_a_word_is_flagged_not_changed() -> None:
    text = "เป็นหน้าที่ซองผู้บริหาร"
    out, made, flags = fix(text)
    assert out == text and made == []
    assert flags == [("ซอง", ("ของ", "ชอง"))]
    assert fix("ประพฤติมิชอบ") == ("ประพฤติมิชอบ", [], [])  # มิชอบ is a word


def test_split_sara_am_and_stray_commas() -> None:
    out, made, _ = fix("ส านักปลัด ด าเนินการตามค าสั่ง เป็นฉบับ,ที่ ๓")
    assert out == "สำนักปลัด ดำเนินการตามคำสั่ง เป็นฉบับที่ ๓"
    assert ("ส านัก", "สำนัก") in made and ("ด าเนิน", "ดำเนิน") in made
    assert len(made) == 4


def test_normalise_nfc_page_numbers_and_continuation_marks() -> None:
    raw = "ข้อความตอนท้ายของ\n\t\t\t/องค์กร...\n\t\t-๒-\n\nองค์กรปกครอง\u200b\r\nต่อไป ทํา"
    text, made = normalise(unicodedata.normalize("NFD", raw))
    assert text == "ข้อความตอนท้ายขององค์กรปกครอง\nต่อไป ทำ"
    assert [(r.before, r.after) for r in made] == [
        ("\u0e4d\u0e32", "\u0e33"),
        ("/องค์กร...", ""),
        ("-๒-", ""),
        ("\nองค์กร", "องค์กร"),
    ]


def test_segmentation_counts_unknown_letters_first() -> None:
    lex = Lexicon(["ป้องกัน", "ป้อง", "กัน", "การ"])
    assert lex.cost("การป้องกัน") == Cost(0, 2)
    assert lex.cost("การปองกัน") == Cost(3, 2)
    assert "ป.ป.ช." in Lexicon(["ป.ป.ช."]).abbreviations
