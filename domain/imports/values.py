"""What an import reports besides the parsed values: repairs made and what was not understood."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Repair:
    """A change made to the text because it was certain: before, after, where, why."""

    before: str
    after: str
    where: str  # the heading (or "ส่วนหัว") and the text around it
    why: str

    def to_json(self) -> dict[str, str]:
        return {"before": self.before, "after": self.after, "where": self.where, "why": self.why}


class Problem(StrEnum):
    UNCERTAIN_SPELLING = "uncertain_spelling"  # looks damaged; a guess is offered, not applied
    MISSING_HEADING = "missing_heading"
    NOT_UNDERSTOOD = "not_understood"  # a heading's text the parser could not read


@dataclass(frozen=True)
class Unparsed:
    """Something a person must look at: left as it was in the document."""

    kind: Problem
    heading: str  # "1".."10", "10.1", "10.2" or "" (the sheet's header)
    text: str
    why: str
    suggestions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "heading": self.heading,
            "text": self.text,
            "why": self.why,
            "suggestions": list(self.suggestions),
        }
