"""PDF text-layer damage beyond single letters: stand-ins for Thai marks, spaces inside words,
marks that were dropped. Every change is checked against the dictionary and listed; what the
dictionary cannot settle is flagged with its candidates, never guessed.

- Fonts that draw shifted tone marks from the Private Use Area (U+F700-U+F71A, the Windows
  Thai glyph variants) are mapped back by their table: the same letter drawn elsewhere.
- Some exports turn those glyphs into cp1252 characters (Œ, ‹, ...). Which mark each stands
  for is not fixed, so every Thai mark is tried and kept only when exactly one makes the
  word a dictionary word.
- A space inside a word (sometimes with the vowel above moved after the next consonant:
  "มคี วาม" for "มีความ") is removed when the joined form is a dictionary word and the parts
  are not.
- A run the dictionary does not know is compared with dictionary words without their tone
  marks, ์ and ็: a word that differs only by dropped marks, and is the only one that does,
  is restored ("วัตถุประสงค" -> "วัตถุประสงค์"); two or more candidates are flagged.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from domain.imports.lexicon import THAI_LETTER, Lexicon
from domain.imports.values import Problem, Repair, Unparsed

# The Windows Thai Private Use Area glyph variants and the letters they draw.
PUA = {
    "\uf700": "\u0e10",
    "\uf701": "\u0e34",
    "\uf702": "\u0e35",
    "\uf703": "\u0e36",
    "\uf704": "\u0e37",
    "\uf705": "\u0e48",
    "\uf706": "\u0e49",
    "\uf707": "\u0e4a",
    "\uf708": "\u0e4b",
    "\uf709": "\u0e4c",
    "\uf70a": "\u0e48",
    "\uf70b": "\u0e49",
    "\uf70c": "\u0e4a",
    "\uf70d": "\u0e4b",
    "\uf70e": "\u0e4c",
    "\uf70f": "\u0e0d",
    "\uf710": "\u0e31",
    "\uf711": "\u0e4d",
    "\uf712": "\u0e47",
    "\uf713": "\u0e48",
    "\uf714": "\u0e49",
    "\uf715": "\u0e4a",
    "\uf716": "\u0e4b",
    "\uf717": "\u0e4c",
    "\uf718": "\u0e38",
    "\uf719": "\u0e39",
    "\uf71a": "\u0e3a",
}
# cp1252's characters for bytes 0x80-0x9F (what a glyph variant becomes through that code
# page), less the quotes, dashes, bullet and ellipsis a Thai document really uses.
CP1252_STAND_INS = "ƒ†‡ˆ‰Š‹ŒŽ˜™š›œžŸ"
_TONES = ("\u0e48", "\u0e49", "\u0e4a", "\u0e4b", "\u0e4c")
_MARKS = frozenset("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_COMBINING = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_STAND_IN = re.compile(f"[{THAI_LETTER}]+(?:[{re.escape(CP1252_STAND_INS)}][{THAI_LETTER}]*)+")
_INNER_SPACE = re.compile(f"([{THAI_LETTER}]+) ([{THAI_LETTER}]+)")
_MOVED_VOWEL = re.compile(f"([ก-ฮ])([ก-ฮ])([{_COMBINING}]+)$")


@dataclass
class Found:
    repairs: list[Repair]
    flags: list[Unparsed]


def _flag(label: str, text: str, why: str, suggestions: tuple[str, ...] = ()) -> Unparsed:
    return Unparsed(Problem.UNCERTAIN_SPELLING, label, text, why, suggestions)


def private_use(text: str) -> tuple[str, list[Repair]]:
    """Glyph variants from the Private Use Area back to their letters (a fixed table)."""
    if not any(ch in PUA for ch in text):
        return text, []
    counts: dict[str, int] = {}
    for ch in text:
        if ch in PUA:
            counts[ch] = counts.get(ch, 0) + 1
    repairs = [
        Repair(
            f"U+{ord(ch):04X}",
            PUA[ch],
            "ทั้งเอกสาร",
            f"อักขระพิเศษของฟอนต์ (Private Use Area) แทน '{PUA[ch]}' ตามตารางของฟอนต์ไทย ({n} แห่ง)",
        )
        for ch, n in sorted(counts.items())
    ]
    return "".join(PUA.get(ch, ch) for ch in text), repairs


def _known(lex: Lexicon, run: str) -> bool:
    return lex.cost(run).unknown == 0


def _fits(run: str, lex: Lexicon) -> dict[str, list[str]]:
    """For each stand-in character of ``run``: the marks that split the run best into words
    (no unknown letter, then fewest words: ข้อมูล is one word, ข่อ|มูล two), the other
    stand-ins, if any, read as whichever mark does best."""
    chars = sorted({ch for ch in run if ch in CP1252_STAND_INS})
    out: dict[str, list[str]] = {}
    for ch in chars:
        others = [c for c in chars if c != ch]
        costs = {
            tone: min(lex.cost(_each(run.replace(ch, tone), others, t)) for t in _TONES)
            for tone in _TONES
        }
        least = min(costs.values())
        if least.unknown == 0:
            out[ch] = [tone for tone, cost in costs.items() if cost == least]
    return out


def _each(run: str, chars: list[str], tone: str) -> str:
    for ch in chars:
        run = run.replace(ch, tone)
    return run


def stand_in_marks(text: str, lex: Lexicon) -> dict[str, str]:
    """What each stand-in character is in this document: the mark some word can only be read
    with, when no word can only be read with another (ขŒอ is only ข้อ, so Œ is ไม้โท)."""
    sure: dict[str, set[str]] = {}
    for m in _STAND_IN.finditer(text):
        for ch, tones in _fits(m[0], lex).items():
            if len(tones) == 1:
                sure.setdefault(ch, set()).add(tones[0])
    return {ch: next(iter(t)) for ch, t in sure.items() if len(t) == 1}


def stand_ins(
    text: str, lex: Lexicon, label: str, found: Found, marks: dict[str, str] | None = None
) -> str:
    """Œ, ‹ and the like between Thai letters: the Thai mark that makes words of the run, when
    only one does (here, or anywhere in the document: ``marks``)."""
    known = marks or {}

    def fix(m: re.Match[str]) -> str:
        run = m[0]
        chars = sorted({ch for ch in run if ch in CP1252_STAND_INS})
        fits = _fits(run, lex)
        choice: dict[str, str] = {}
        for ch in chars:
            tones = fits.get(ch, [])
            if len(tones) == 1:
                choice[ch] = tones[0]
            elif known.get(ch) in tones:
                choice[ch] = known[ch]
        candidate = run
        for ch, tone in choice.items():
            candidate = candidate.replace(ch, tone)
        if len(choice) == len(chars) and _known(lex, candidate):
            found.repairs.append(
                Repair(
                    run,
                    candidate,
                    label,
                    "อักขระ "
                    + ", ".join(f"'{ch}' แทน '{tone}'" for ch, tone in sorted(choice.items()))
                    + f" (การแปลงไฟล์ PDF); พจนานุกรมมีคำ '{candidate}'"
                    + (
                        ""
                        if all(len(fits.get(ch, [])) == 1 for ch in chars)
                        else " และคำอื่นในเอกสารยืนยัน"
                    ),
                )
            )
            return candidate
        found.flags.append(
            _flag(
                label,
                run,
                "มีอักขระแปลกปลอมแทนวรรณยุกต์ แต่พจนานุกรมบอกไม่ได้แน่ว่าเป็นตัวใด จึงไม่แก้",
                tuple(_each(run, chars, t) for ch in chars for t in fits.get(ch, [])),
            )
        )
        return run

    return _STAND_IN.sub(fix, text)


def inner_spaces(text: str, lex: Lexicon, label: str, found: Found) -> str:
    """Rejoin "ประชาชนมคี วามรู้": a space inside a word, where the joined form is words across
    the join and the parts are not (a vowel pushed past the next consonant is put back)."""
    pos = 0
    while True:
        m = _INNER_SPACE.search(text, pos)
        if m is None:
            return text
        left, right = m[1], m[2]
        parts = lex.cost(left).unknown + lex.cost(right).unknown
        best: str | None = None
        abbreviation = text[m.end() : m.end() + 1] == "." or len(right) == 1
        if parts and not abbreviation:
            options = [left + right]
            moved = _MOVED_VOWEL.search(left)
            if moved:
                options.append(left[: moved.start()] + moved[1] + moved[3] + moved[2] + right)
            scored = sorted(
                (lex.cost(o).unknown, o) for o in options if _joined_at(lex, o, len(left))
            )
            if (
                scored
                and scored[0][0] < parts
                and (len(scored) == 1 or scored[1][0] > scored[0][0])
            ):
                best = scored[0][1]
        if best is None:
            pos = m.start(2)
            continue
        _, tokens = lex.segment(best)
        at = len(left)
        near = [t for t in tokens if t.end >= at - 1 and t.start <= at]
        start, end = near[0].start, near[-1].end
        found.repairs.append(
            Repair(
                left[start:] + " " + right[: end - at],
                best[start:end],
                f"{label}: …{m[0]}…",
                "เว้นวรรคกลางคำ (การแปลงไฟล์ PDF) ต่อกัน; แยกกันไม่เป็นคำ "
                f"ต่อกันแล้วพจนานุกรมรู้จัก '{best[start:end]}'",
            )
        )
        text = text[: m.start()] + best + text[m.end() :]
        pos = m.start()


def _joined_at(lex: Lexicon, run: str, at: int) -> bool:
    """The letters on both sides of ``at`` belong to known words of ``run``."""
    _, tokens = lex.segment(run)
    return all(t.known for t in tokens if t.start <= at < t.end or t.start < at <= t.end)


def _bare(word: str) -> str:
    return "".join(ch for ch in word if ch not in _MARKS)


class MarkIndex:
    """Dictionary words by their form without tone marks, ์ and ็."""

    def __init__(self, lex: Lexicon) -> None:
        by: dict[str, set[str]] = {}
        for w in lex.words:
            by.setdefault(_bare(w), set()).add(w)
        self.words = {k: frozenset(v) for k, v in by.items()}
        prefixes: set[str] = set()
        for k in self.words:
            for i in range(1, len(k) + 1):
                prefixes.add(k[:i])
        self.prefixes = frozenset(prefixes)


_INDEXES: weakref.WeakKeyDictionary[Lexicon, MarkIndex] = weakref.WeakKeyDictionary()


def mark_index(lex: Lexicon) -> MarkIndex:
    """The index of ``lex``, built once (about a second for PyThaiNLP's list)."""
    index = _INDEXES.get(lex)
    if index is None:
        index = _INDEXES[lex] = MarkIndex(lex)
    return index


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def dropped_marks(run: str, lex: Lexicon, index: MarkIndex, label: str, found: Found) -> str:
    """A run with letters the dictionary does not know: words that lost only marks, restored
    where exactly one word fits; flagged where several do."""
    if lex.cost(run).unknown == 0:
        return run
    base = [i for i, ch in enumerate(run) if ch not in _MARKS]
    bare = "".join(run[i] for i in base)
    n = len(bare)
    if n == 0:
        return run
    # best[j]: (unknown letters, restored words, words, start, candidates) for bare[:j]
    inf = (n + 1, 0, 0)
    best: list[tuple[tuple[int, int, int], int, frozenset[str]]] = [(inf, 0, frozenset())] * (n + 1)
    best[0] = ((0, 0, 0), 0, frozenset())

    def orig(i: int, j: int) -> str:
        start = base[i] if i else 0  # marks before the first letter stay with it
        end = base[j] if j < n else len(run)
        return run[start:end]

    for i in range(n):
        cost = best[i][0]
        if cost == inf:
            continue
        unknown = (cost[0] + 1, cost[1], cost[2] + 1)
        if unknown < best[i + 1][0]:
            best[i + 1] = (unknown, i, frozenset())
        j = i + 1
        while j <= n and bare[i:j] in index.prefixes:
            words = index.words.get(bare[i:j])
            if words:
                piece = orig(i, j)
                if piece in lex.words:
                    cand = ((cost[0], cost[1], cost[2] + 1), i, frozenset({piece}))
                else:
                    fits = frozenset(w for w in words if _subsequence(piece, w))
                    cand = ((cost[0], cost[1] + 1, cost[2] + 1), i, fits) if fits else cand_none
                if cand is not cand_none and cand[0] < best[j][0]:
                    best[j] = cand
            j += 1
    if best[n][0][0] > 0:
        return run  # letters no word explains: not this damage, left as it is
    tokens: list[tuple[int, int, frozenset[str]]] = []
    k = n
    while k > 0:
        _, start, words = best[k]
        tokens.append((start, k, words))
        k = start
    tokens.reverse()
    out: list[str] = []
    for start, end, words in tokens:
        piece = orig(start, end)
        if len(words) == 1 and piece not in lex.words:
            (word,) = words
            found.repairs.append(
                Repair(
                    piece,
                    word,
                    f"{label}: …{run}…",
                    f"วรรณยุกต์/ทัณฑฆาตหายไปจากการแปลงไฟล์; พจนานุกรมมีคำเดียวที่ตรง '{word}'",
                )
            )
            out.append(word)
        elif len(words) > 1:
            found.flags.append(
                _flag(
                    label,
                    piece,
                    f"น่าจะมีวรรณยุกต์หายไป แต่ตรงกับคำได้หลายคำ จึงไม่แก้: …{run}…",
                    tuple(sorted(words)),
                )
            )
            out.append(piece)
        else:
            out.append(piece)
    return "".join(out)


cand_none: tuple[tuple[int, int, int], int, frozenset[str]] = ((0, 0, 0), -1, frozenset())
