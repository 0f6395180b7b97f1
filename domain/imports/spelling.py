"""Scanning and extraction damage in Thai text: repaired where the dictionary makes it certain.

Each rule proposes a change at a site (ไต้ -> ได้, ซ -> ช, ปอง -> ป้อง, ...). A change is made
only when the run of Thai letters around it splits into dictionary words better than before:
a word the dictionary does not know becomes one it knows, or words that make no sense together
become one dictionary word (ปอง|กัน -> ป้องกัน). When two changes would do equally well, or a
suspicious word is itself a word (ไต้ is a word: a torch), nothing changes and it is flagged.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from domain.imports.damage import Found, dropped_marks, inner_spaces, mark_index, stand_ins
from domain.imports.lexicon import THAI_LETTER, THAI_RUN, Cost, Lexicon, Token
from domain.imports.values import Problem, Repair, Unparsed

Site = tuple[int, int, str]  # start, end, replacement


@dataclass(frozen=True)
class Rule:
    why: str
    find: Callable[[str], list[Site]]
    flag_ties: bool  # a suspicious word that is itself a word: flag it


def _literal(old: str, new: str) -> Callable[[str], list[Site]]:
    def find(run: str) -> list[Site]:
        return [(m.start(), m.end(), new) for m in re.finditer(re.escape(old), run)]

    return find


def _pattern(pattern: str, new: str) -> Callable[[str], list[Site]]:
    rx = re.compile(pattern)

    def find(run: str) -> list[Site]:
        return [(m.start(1), m.end(1), new) for m in rx.finditer(run)]

    return find


RULES = (
    Rule("สแกนอ่าน ด เป็น ต (ไต้ / ได้)", _literal("ไต้", "ได้"), True),
    Rule("สแกนอ่าน ช เป็น ซ", _literal("ซ", "ช"), True),
    Rule("สแกนอ่าน ข เป็น ซ", _literal("ซ", "ข"), True),
    Rule("สแกนอ่าน ป้ เป็น บี (บีอง / ป้อง)", _literal("บีอง", "ป้อง"), False),
    Rule("ไม้โทบน ป หายไปจากการสแกน (ปอง / ป้อง)", _pattern("(ป)(?=[ก-ฮาะอ])", "ป้"), False),
    Rule("สแกนอ่าน สระอี เป็น สระอิ (มิ / มี)", _literal("มิ", "มี"), True),
    Rule("สแกนอ่าน สระอี เป็น สระอิ", _literal("\u0e34", "\u0e35"), False),
    Rule("สแกนอ่าน สระอี เป็น สระอือ", _literal("\u0e37", "\u0e35"), False),
    Rule("สแกนอ่าน สระอึ เป็น สระอือ", _literal("\u0e37", "\u0e36"), False),
    Rule("การแปลงไฟล์อ่าน ไม้โท เป็น สระอู", _literal("\u0e39", "\u0e49"), False),
    Rule("การแปลงไฟล์อ่าน สระอู เป็น ไม้โท", _literal("\u0e49", "\u0e39"), False),
    Rule("สระอำเหลือแต่สระอา (นิคหิตหายไปจากการแปลงไฟล์)", _pattern("[ก-ฮ][่-๋]?(า)", "ำ"), False),
)
_MAX_PAIR_SITES = 8
_SPLIT_AM = re.compile("([ก-ฮ][\u0e48-\u0e4b]?) +\u0e32")
_COMMA = re.compile(f"(?<=[{THAI_LETTER}]),(?=[{THAI_LETTER}])")
_ABBREVIATION = re.compile(f"(?<![{THAI_LETTER}.])(?:[ก-ฮ]\\.){{2,}}")


@dataclass
class Report:
    repairs: list[Repair]
    flags: list[Unparsed]


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - 12) : start]
    right = text[end : end + 12]
    return f"…{left}{text[start:end]}{right}…".replace("\n", " ")


def _covering(tokens: tuple[Token, ...], at: int) -> Token:
    for t in tokens:
        if t.start <= at < t.end:
            return t
    return tokens[-1]


def _apply(run: str, sites: tuple[Site, ...]) -> tuple[str, list[int]]:
    """``run`` with the sites replaced; the new start of each site."""
    out, starts, pos, shift = [], [], 0, 0
    for start, end, new in sorted(sites):
        out.append(run[pos:start])
        starts.append(start + shift)
        out.append(new)
        shift += len(new) - (end - start)
        pos = end
    out.append(run[pos:])
    return "".join(out), starts


@dataclass(frozen=True)
class _Candidate:
    cost: Cost
    changes: int
    text: str
    words: tuple[str, ...]  # the dictionary word each change made
    befores: tuple[str, ...]
    why: str


def _candidates(
    run: str, lex: Lexicon, cost: Cost, tokens: tuple[Token, ...]
) -> tuple[list[_Candidate], list[_Candidate]]:
    """Changes that make a word (improving), and flagged changes that do no worse (ties)."""
    sites = [(s, r) for r in RULES for s in r.find(run)]
    combos: list[tuple[tuple[Site, ...], str, bool]] = [
        ((s,), r.why, r.flag_ties) for s, r in sites
    ]
    if cost.unknown and 1 < len(sites) <= _MAX_PAIR_SITES:
        for (s1, r1), (s2, r2) in itertools.combinations(sites, 2):
            if s1[1] <= s2[0] or s2[1] <= s1[0]:
                combos.append(((s1, s2), f"{r1.why}; {r2.why}", False))
    improving, ties = [], []
    for combo, why, flag in combos:
        text, starts = _apply(run, combo)
        new_cost, new_tokens = lex.segment(text)
        made, befores, creates = [], [], True
        for (start, end, _new), at in zip(sorted(combo), starts, strict=True):
            tok = _covering(new_tokens, at)
            old = _covering(tokens, start)
            made.append(text[tok.start : tok.end])
            delta = len(text) - len(run)
            befores.append(run[tok.start : max(tok.end - delta, end)])
            if not tok.known or (old.known and tok.end - tok.start <= old.end - old.start):
                creates = False
        cand = _Candidate(new_cost, len(combo), text, tuple(made), tuple(befores), why)
        if new_cost < cost and creates:
            improving.append(cand)
        elif flag and new_cost == cost and len(combo) == 1:
            ties.append(cand)
    return improving, ties


def _flag_ties(ties: list[_Candidate], label: str, run: str, report: Report) -> None:
    by_word: dict[str, list[_Candidate]] = {}
    for t in ties:
        by_word.setdefault(t.befores[0], []).append(t)
    for before, group in by_word.items():
        report.flags.append(
            Unparsed(
                Problem.UNCERTAIN_SPELLING,
                label,
                before,
                f"อาจสแกนผิด ({'; '.join(sorted({t.why for t in group}))}) "
                f"แต่คำเดิมก็มีในพจนานุกรม จึงไม่แก้: …{run}…",
                tuple(sorted({w for t in group for w in t.words})),
            )
        )


def _repair_run(run: str, lex: Lexicon, label: str, report: Report) -> str:
    made: list[Repair] = []
    for _ in range(6):
        cost, tokens = lex.segment(run)
        improving, ties = _candidates(run, lex, cost, tokens)
        if not improving:
            _flag_ties(ties, label, run, report)
            break
        improving.sort(key=lambda c: (c.cost, c.changes))
        best = improving[0]
        rivals = {
            c.text
            for c in improving
            if (c.cost, c.changes) == (best.cost, best.changes)
            and any(b in best.befores[0] or best.befores[0] in b for b in c.befores)
        } - {best.text}
        if rivals:
            report.flags.append(
                Unparsed(
                    Problem.UNCERTAIN_SPELLING,
                    label,
                    best.befores[0],
                    f"น่าจะสแกนผิด แต่แก้ได้หลายแบบ จึงไม่แก้: …{run}…",
                    tuple(sorted({best.words[0], *(_word_in(r, run) for r in rivals)})),
                )
            )
            break
        for before, after in zip(best.befores, best.words, strict=True):
            merged = next((m for m in made if m.after in before), None)
            if merged is not None:
                made.remove(merged)
                before = before.replace(merged.after, merged.before, 1)
            made.append(Repair(before, after, label, f"{best.why}; พจนานุกรมมีคำ '{after}'"))
        run = best.text
    report.repairs.extend(Repair(r.before, r.after, f"{label}: …{run}…", r.why) for r in made)
    return run


def _word_in(changed: str, run: str) -> str:
    """The part of ``changed`` that differs from ``run`` (same length or one longer)."""
    i = 0
    while i < min(len(run), len(changed)) and run[i] == changed[i]:
        i += 1
    j = 0
    while j < min(len(run), len(changed)) - i and run[-1 - j] == changed[-1 - j]:
        j += 1
    return changed[max(0, i - 4) : len(changed) - max(0, j - 4)]


def _joins(text: str, lex: Lexicon, label: str, report: Report) -> str:
    """Sara am split off by a space (ส านัก) and commas between Thai letters (ฉบับ,ที่)."""

    def am(m: re.Match[str]) -> str:
        left = THAI_RUN.findall(text[: m.start(1) + len(m[1])])[-1]
        right = THAI_RUN.match(text, m.end() - 1)
        assert right is not None
        joined = left + "\u0e33" + right[0][1:]
        before = lex.cost(left).unknown + lex.cost(right[0]).unknown
        cost, tokens = lex.segment(joined)
        if cost.unknown < before:
            tok = _covering(tokens, len(left))
            report.repairs.append(
                Repair(
                    joined[tok.start : len(left)] + " \u0e32" + joined[len(left) + 1 : tok.end],
                    joined[tok.start : tok.end],
                    f"{label}: {_context(text, m.start(), m.end())}",
                    f"สระอำถูกแยกเป็นเว้นวรรคกับสระอา; พจนานุกรมยืนยัน '{joined}'",
                )
            )
            return m[1] + "\u0e33"
        report.flags.append(
            Unparsed(
                Problem.UNCERTAIN_SPELLING,
                label,
                m[0],
                "น่าจะเป็นสระอำที่ถูกแยก แต่พจนานุกรมยืนยันไม่ได้",
                (m[1] + "\u0e33",),
            )
        )
        return m[0]

    text = _SPLIT_AM.sub(am, text)

    def comma(m: re.Match[str]) -> str:
        left = THAI_RUN.findall(text[: m.start()])[-1]
        right = THAI_RUN.match(text, m.end())
        assert right is not None
        before = lex.cost(left).unknown + lex.cost(right[0]).unknown
        if lex.cost(left + right[0]).unknown <= before:
            report.repairs.append(
                Repair(
                    f"{left},{right[0]}",
                    left + right[0],
                    f"{label}: {_context(text, m.start(), m.end())}",
                    "จุลภาคติดระหว่างอักษรไทย (รอยสแกน) ตัดออก; ทั้งสองข้างเป็นคำในพจนานุกรม",
                )
            )
            return ""
        return m[0]

    text = _COMMA.sub(comma, text)

    def abbreviation(m: re.Match[str]) -> str:
        if m[0] in lex.abbreviations:
            return m[0]
        fixes = {
            m[0].replace(old, new)
            for old, new in (("ซ", "ช"), ("ซ", "ข"))
            if old in m[0] and m[0].replace(old, new) in lex.abbreviations
        }
        if len(fixes) == 1:
            fix = fixes.pop()
            report.repairs.append(
                Repair(
                    m[0],
                    fix,
                    f"{label}: {_context(text, m.start(), m.end())}",
                    f"อักษรย่อ '{m[0]}' ไม่มีในพจนานุกรม สแกนอ่าน ช/ข เป็น ซ; พจนานุกรมมี '{fix}'",
                )
            )
            return fix
        return m[0]

    return _ABBREVIATION.sub(abbreviation, text)


def repair(
    text: str, lex: Lexicon, label: str, marks: dict[str, str] | None = None
) -> tuple[str, Report]:
    """``text`` with every certain repair made; the report lists them and the flags.
    ``marks``: what each stand-in character was found to be in the whole document."""
    report = Report([], [])
    found = Found(report.repairs, report.flags)
    text = stand_ins(text, lex, label, found, marks)
    text = _joins(text, lex, label, report)
    text = inner_spaces(text, lex, label, found)
    index = mark_index(lex)
    out, pos = [], 0
    for m in THAI_RUN.finditer(text):
        out.append(text[pos : m.start()])
        run = _repair_run(m[0], lex, label, report)
        out.append(dropped_marks(run, lex, index, label, found))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), report
