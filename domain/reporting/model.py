"""The progress report of one LAO for one reporting round, as plain frozen data.

``domain.reporting.progress`` assembles it from the read models' dicts; documents render it.
Everything in it is decided by the events and the round and "as of" date: nothing here knows
when the document is generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.reporting.rounds import ReportingRound


def percent(part: int, whole: int) -> Decimal:
    """part of whole in per cent, two places, rounded half up (0 when whole is 0)."""
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


class StepState(StrEnum):
    """Where a step stood at the report's cut-off."""

    DONE = "done"  # completed within the round
    DONE_EARLIER = "done_earlier"  # completed before the round began
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"  # past its due date and not completed
    NOT_DUE = "not_due"

    @property
    def thai(self) -> str:
        return _STEP_STATES[self.value]

    @property
    def brief(self) -> str:
        """The state in a few words, for a table cell beside step numbers."""
        return _STEP_BRIEFS[self.value]

    @property
    def done(self) -> bool:
        return self in (StepState.DONE, StepState.DONE_EARLIER)


_STEP_STATES = {
    "done": "ดำเนินการแล้ว",
    "done_earlier": "ดำเนินการแล้ว (ก่อนรอบนี้)",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "overdue": "เกินกำหนด ยังไม่แล้วเสร็จ",
    "not_due": "ยังไม่ถึงกำหนด",
}
_STEP_BRIEFS = {
    "done": "แล้วเสร็จในรอบ",
    "done_earlier": "แล้วเสร็จก่อนรอบ",
    "in_progress": "ระหว่างดำเนินการ",
    "overdue": "เกินกำหนด",
    "not_due": "ยังไม่ถึงกำหนด",
}


class Attainment(StrEnum):
    MET = "met"
    NOT_YET = "not_yet"  # the fiscal year is not over
    MISSED = "missed"  # the year is over and the value short of the target
    NOT_RECORDED = "not_recorded"  # the year is over and nothing was recorded
    NOT_APPLICABLE = "not_applicable"  # not one of the item's fiscal years

    @property
    def thai(self) -> str:
        from domain.plans.views import ATTAINMENTS

        return ATTAINMENTS[self.value]


COMPARATORS_TH = {"at_least": "ไม่น้อยกว่า", "exactly": "จำนวน", "at_most": "ไม่เกิน"}
KINDS_TH = {"project": "โครงการ", "activity": "กิจกรรม", "measure": "มาตรการ"}


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    district: str
    province: str


@dataclass(frozen=True)
class EvidenceLine:
    """One piece of evidence cited in the round: a file (by its sha256) or a link."""

    item_number: str  # "" for the declaration's
    step_number: str  # "" unless a step's
    indicator_id: str  # "" unless an indicator result's
    context: str  # what it backs, in Thai: "ขั้นตอนที่ 6.1", "ประกาศเจตจำนง"
    name: str
    kind: str  # "file" | "link"
    media_type: str
    size: int
    sha256: str
    url: str
    on: date | None  # the day the step was completed, the declaration published...


@dataclass(frozen=True)
class StepLine:
    number: str
    title: str
    due: date | None
    responsible: tuple[str, ...]
    state: StepState
    completed_on: date | None  # only when completed by the cut-off
    note: str
    evidence: tuple[str, ...]  # names of the evidence cited


@dataclass(frozen=True)
class OutputLine:
    indicator_id: str
    text: str
    comparator: str  # "at_least" | "exactly" | "at_most"
    target: Decimal
    unit: str  # "%" for a percentage
    value: Decimal | None  # recorded, or counted by the service; None: nothing yet
    source: str | None  # "recorded" | "counted" | None
    attainment: Attainment

    @property
    def target_text(self) -> str:
        """'ไม่น้อยกว่า 1 ฉบับ', 'ไม่น้อยกว่าร้อยละ 80' (Arabic digits)."""
        from domain.shared.thai import plain_number

        cmp = COMPARATORS_TH.get(self.comparator, "")
        if self.unit == "%":
            return f"{cmp}ร้อยละ {plain_number(self.target)}"
        return f"{cmp} {plain_number(self.target)} {self.unit}".strip()


@dataclass(frozen=True)
class OutcomeLine:
    indicator_id: str
    text: str
    measure: str  # "complaints_received", or "" when not measured
    value: Decimal | None  # this round (recorded for the fiscal year, or counted)
    previous: Decimal | None  # the same period a year earlier


@dataclass(frozen=True)
class ItemLine:
    number: str
    kind: str
    name: str
    dimension: int
    sub_item: str  # "2.1"
    responsible_unit: str
    no_budget: bool
    budget: Decimal | None  # for the round's fiscal year; None with no_budget or unset
    steps: tuple[StepLine, ...]
    outputs: tuple[OutputLine, ...]
    outcomes: tuple[OutcomeLine, ...]

    @property
    def kind_th(self) -> str:
        return KINDS_TH.get(self.kind, self.kind)

    @property
    def heading(self) -> str:
        """'กิจกรรม ประกาศเจตจำนง...', or the name alone when it says its kind already
        ('โครงการฝึกอบรม...')."""
        return self.name if self.name.startswith(self.kind_th) else f"{self.kind_th} {self.name}"

    @property
    def steps_done(self) -> int:
        return sum(1 for s in self.steps if s.state.done)

    @property
    def steps_done_in_round(self) -> int:
        return sum(1 for s in self.steps if s.state is StepState.DONE)

    @property
    def overdue(self) -> int:
        return sum(1 for s in self.steps if s.state is StepState.OVERDUE)

    @property
    def percent_done(self) -> Decimal:
        return percent(self.steps_done, len(self.steps))

    @property
    def outputs_met(self) -> int:
        return sum(1 for o in self.outputs if o.attainment is Attainment.MET)

    @property
    def worked_in_round(self) -> tuple[StepLine, ...]:
        """The steps the round has something to say about: completed in it, or under way."""
        return tuple(s for s in self.steps if s.state in (StepState.DONE, StepState.IN_PROGRESS))

    @property
    def reported_states(self) -> tuple[tuple[StepState, str], ...]:
        """What the report says of the item's steps beyond their count: those done or under
        way in the round and those late, each state with its step numbers in runs ("6.3–6.7,
        6.9"). Steps done before the round or not due yet are only counted."""
        out = []
        for state in REPORTED_STATES:
            numbers = [s.number for s in self.steps if s.state is state]
            if numbers:
                out.append((state, number_ranges(numbers)))
        return tuple(out)


REPORTED_STATES = (StepState.DONE, StepState.IN_PROGRESS, StepState.OVERDUE)


def number_ranges(numbers: list[str]) -> str:
    """Step numbers in runs: ["6.1", "6.2", "6.3", "6.5"] -> "6.1–6.3, 6.5" (a run: the same
    prefix and consecutive last parts; two in a run are written apart: "6.1, 6.2")."""
    runs: list[list[str]] = []
    for n in numbers:
        head, _, last = n.rpartition(".")
        if runs and last.isdigit():
            p_head, _, p_last = runs[-1][-1].rpartition(".")
            if p_head == head and p_last.isdigit() and int(p_last) + 1 == int(last):
                runs[-1].append(n)
                continue
        runs.append([n])
    parts = []
    for run in runs:
        if len(run) > 2:
            parts.append(f"{run[0]}–{run[-1]}")
        else:
            parts.extend(run)
    return ", ".join(parts)


@dataclass(frozen=True)
class SubItemLine:
    number: str
    title: str


@dataclass(frozen=True)
class DimensionLine:
    """A row of the summary table: one dimension's items in the round."""

    number: int
    title: str
    sub_items: tuple[SubItemLine, ...]
    items: int
    budget: Decimal
    steps_total: int
    steps_done: int
    overdue: int
    outputs_met: int
    outputs_total: int

    @property
    def percent_done(self) -> Decimal:
        return percent(self.steps_done, self.steps_total)


@dataclass(frozen=True)
class PlanPart:
    title: str
    first_year: int
    last_year: int
    promulgated_on: date | None  # only when promulgated by the cut-off
    promulgated_by: str


@dataclass(frozen=True)
class AnnouncementLine:
    channel: str
    channel_th: str
    on: date
    detail: str


@dataclass(frozen=True)
class DeclarationPart:
    """The executives' declaration of intent, as it stood at the cut-off."""

    text: str
    signers: tuple[str, ...]
    published_on: date | None
    announcements: tuple[AnnouncementLine, ...]


@dataclass(frozen=True)
class RoundPart:
    """The round's entries per item (the round table): the implementation rate with its
    national colour, the items per status, and what the round still lacks."""

    percent: Decimal
    level: str  # "good" | "fair" | "poor"
    level_th: str
    implemented: int
    total: int
    done: int
    in_progress: int
    cannot: int
    lacking: tuple[str, ...]

    @property
    def lacking_by_reason(self) -> tuple[str, ...]:
        """What the round lacks, one line per reason with the items it concerns
        ("ยังไม่ระบุสถานะการดำเนินงาน: รายการ 1.1.1, 1.1.2"), in the order first seen."""
        items: dict[str, list[str]] = {}
        for line in self.lacking:
            head, sep, reason = line.partition(": ")
            if sep and head.startswith("รายการ "):
                items.setdefault(reason, []).append(head.removeprefix("รายการ "))
            else:
                items.setdefault(line, [])
        return tuple(
            f"{reason}: รายการ {', '.join(numbers)}" if numbers else reason
            for reason, numbers in items.items()
        )


@dataclass(frozen=True)
class ProgressReport:
    organisation: Organisation
    round: ReportingRound
    as_of: date
    plan: PlanPart | None  # None: no plan covers the round's fiscal year
    dimensions: tuple[DimensionLine, ...]
    items: tuple[ItemLine, ...]
    declaration: DeclarationPart | None
    evidence: tuple[EvidenceLine, ...]
    round_part: RoundPart | None = None  # None: no plan covers the round

    @property
    def cutoff(self) -> date:
        """The last day the report counts: the as-of date, or the round's end if earlier."""
        return min(self.as_of, self.round.end)

    @property
    def closed(self) -> bool:
        """The round is over at the as-of date: what was due in it and not done is late."""
        return self.as_of >= self.round.end

    @property
    def steps_total(self) -> int:
        return sum(len(i.steps) for i in self.items)

    @property
    def steps_done(self) -> int:
        return sum(i.steps_done for i in self.items)

    @property
    def percent_done(self) -> Decimal:
        return percent(self.steps_done, self.steps_total)

    @property
    def overdue(self) -> int:
        return sum(i.overdue for i in self.items)

    @property
    def outputs_total(self) -> int:
        return sum(len(i.outputs) for i in self.items)

    @property
    def steps_worked(self) -> int:
        """Steps completed or under way in the round."""
        return sum(len(i.worked_in_round) for i in self.items)

    @property
    def has_indicators(self) -> bool:
        return any(i.outputs or i.outcomes for i in self.items)

    @property
    def outputs_met(self) -> int:
        return sum(i.outputs_met for i in self.items)

    @property
    def budget(self) -> Decimal:
        return sum((d.budget for d in self.dimensions), Decimal("0.00"))
