"""A Thai word list and a dictionary segmentation, used to decide whether a repair is certain.

The words come from outside (infra loads PyThaiNLP's list); the domain only asks which runs of
Thai letters split into known words, how many characters are left unknown, and into how many
words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Thai letters, vowels and marks (not digits, not ฯ or ๆ, which separate words).
THAI_LETTER = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
THAI_RUN = re.compile(f"[{THAI_LETTER}]+")
_ONLY_THAI = re.compile(f"^[{THAI_LETTER}]+$")
_ABBREVIATION = re.compile(f"^(?:[{THAI_LETTER}]+\\.)+$")


# Phrases of plan documents that PyThaiNLP's list holds only as separate words: with them a
# phrase that lost its marks ("ไมนอยกวา") has one dictionary form to be restored to.
PLAN_WORDS = (
    "ไม่น้อยกว่า",
    "ไม่ต่ำกว่า",
    "ไม่เกิน",
    "ไม่มากกว่า",
    "อย่างน้อย",
    "ไม่ใช้งบประมาณ",
    "วิธีดำเนินการ",
    "ปีละ",
    "ต่อปี",
)


@dataclass(frozen=True, order=True)
class Cost:
    """How well a run splits into words: unknown characters first, then number of words."""

    unknown: int
    words: int


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    known: bool


class Lexicon:
    """A set of words with the prefixes needed for a fast left-to-right segmentation."""

    def __init__(self, words: Iterable[str]) -> None:
        thai: set[str] = set()
        abbreviations: set[str] = set()
        for w in words:
            w = unicodedata.normalize("NFC", w.strip())
            if _ONLY_THAI.match(w):
                thai.add(w)
            elif _ABBREVIATION.match(w):
                abbreviations.add(w)
        self.words = frozenset(thai)
        self.abbreviations = frozenset(abbreviations)
        prefixes: set[str] = set()
        for w in thai:
            for i in range(1, len(w) + 1):
                prefixes.add(w[:i])
        self._prefixes = frozenset(prefixes)

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)

    def segment(self, run: str) -> tuple[Cost, tuple[Token, ...]]:
        """The best split of ``run``: fewest unknown characters, then fewest words."""
        n = len(run)
        best: list[tuple[Cost, int, bool] | None] = [None] * (n + 1)
        best[0] = (Cost(0, 0), 0, True)
        for i in range(n):
            here = best[i]
            if here is None:
                continue
            cost = here[0]
            step = (Cost(cost.unknown + 1, cost.words), i, False)
            if best[i + 1] is None or step[0] < best[i + 1][0]:  # type: ignore[index]
                best[i + 1] = step
            j = i + 1
            while j <= n and run[i:j] in self._prefixes:
                if run[i:j] in self.words:
                    cand = (Cost(cost.unknown, cost.words + 1), i, True)
                    if best[j] is None or cand[0] < best[j][0]:  # type: ignore[index]
                        best[j] = cand
                j += 1
        tokens: list[Token] = []
        k = n
        while k > 0:
            entry = best[k]
            assert entry is not None
            tokens.append(Token(entry[1], k, entry[2]))
            k = entry[1]
        tokens.reverse()
        final = best[n]
        assert final is not None
        return final[0], tuple(_merge_unknown(tokens))

    def cost(self, run: str) -> Cost:
        return self.segment(run)[0]


def _merge_unknown(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in tokens:
        if out and not t.known and not out[-1].known:
            out[-1] = Token(out[-1].start, t.end, False)
        else:
            out.append(t)
    return out
