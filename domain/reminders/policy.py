"""The reminder policy of a tenant, and which reminders fall due on which day.

A reminder is identified by (tenant, subject, due date, kind, recipient): the workers claim
that key before sending, so each goes out once. Kinds: ``before-14``, ``before-7``,
``before-1``, ``due`` (on the day), ``overdue-<days>`` (the day after, then weekly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.reporting.rounds import ReportingRound, RoundKind
from domain.shared.errors import DomainError
from domain.shared.fiscal import fiscal_year

CATCH_UP_DAYS = 2  # a reminder missed while the service was down still goes out this late


class InvalidPolicy(DomainError):
    code = "invalid-reminder-policy"


@dataclass(frozen=True)
class Policy:
    before_days: tuple[int, ...] = (14, 7, 1)
    on_the_day: bool = True
    overdue_every_days: int = 7  # 0: no overdue reminders
    escalate_after_days: int = 14  # overdue longer: the executives too
    province_after_days: int | None = None  # e.g. 30: the provincial reviewers too
    rounds: bool = True
    indicators: bool = True

    def __post_init__(self) -> None:
        if any(d < 1 or d > 60 for d in self.before_days) or len(set(self.before_days)) != len(
            self.before_days
        ):
            raise InvalidPolicy("วันเตือนล่วงหน้าต้องเป็นจำนวนวัน 1 ถึง 60 วัน ไม่ซ้ำกัน")
        if not 0 <= self.overdue_every_days <= 31:
            raise InvalidPolicy("เตือนซ้ำเมื่อเลยกำหนดได้ทุก 1 ถึง 31 วัน (0: ไม่เตือน)")
        if self.escalate_after_days < 1:
            raise InvalidPolicy("จำนวนวันก่อนแจ้งผู้บริหารต้องมากกว่า 0")
        if self.province_after_days is not None and self.province_after_days < 1:
            raise InvalidPolicy("จำนวนวันก่อนแจ้งจังหวัดต้องมากกว่า 0")


@dataclass(frozen=True)
class Due:
    """One reminder that falls due: its kind, the day it is for, and who else hears of it."""

    kind: str
    on: date  # the day the reminder is for (trigger day)
    executives: bool = False
    province: bool = False
    days_overdue: int = 0


def step_reminders(policy: Policy, due: date, today: date) -> list[Due]:
    """The reminder of a step due on ``due`` for today, or the latest one of the last days
    if the scan missed its day (a later reminder supersedes an earlier one: no "due
    tomorrow" on the day itself)."""
    out: list[Due] = []
    window = [today - timedelta(days=n) for n in range(CATCH_UP_DAYS, -1, -1)]
    for day in window:
        left = (due - day).days
        if left > 0 and left in policy.before_days:
            out.append(Due(f"before-{left}", day))
        elif left == 0 and policy.on_the_day:
            out.append(Due("due", day))
        elif left < 0 and policy.overdue_every_days:
            over = -left
            if (over - 1) % policy.overdue_every_days == 0:
                out.append(
                    Due(
                        f"overdue-{over}",
                        day,
                        executives=over > policy.escalate_after_days,
                        province=policy.province_after_days is not None
                        and over > policy.province_after_days,
                        days_overdue=over,
                    )
                )
    return out[-1:]


def round_reminders(policy: Policy, today: date) -> list[tuple[ReportingRound, Due]]:
    """The reporting rounds closing soon (31 March, 30 September): before and on the day."""
    if not policy.rounds:
        return []
    fy = fiscal_year(today)
    out = []
    for r in (ReportingRound(fy, RoundKind.SIX_MONTH), ReportingRound(fy, RoundKind.TWELVE_MONTH)):
        for d in step_reminders(
            Policy(policy.before_days, policy.on_the_day, 0, policy.escalate_after_days),
            r.end,
            today,
        ):
            out.append((r, d))
    return out


def indicator_reminder_due(policy: Policy, today: date) -> tuple[int, Due] | None:
    """Indicators not recorded for a fiscal year that has just ended: remind on 1 October
    (and the catch-up days after), for the fiscal year that closed on 30 September."""
    if not policy.indicators:
        return None
    for n in range(CATCH_UP_DAYS + 1):
        day = today - timedelta(days=n)
        if day.month == 10 and day.day == 1:
            return fiscal_year(day) - 1, Due("indicators", day)
    return None


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    role: str
    mode: str = "immediate"  # immediate | daily
    hour: int = 7  # a daily digest's hour (Asia/Bangkok)


@dataclass(frozen=True)
class StepTeam:
    """Who hears about one step: the members it names, else the plan officers."""

    named: tuple[Recipient, ...]
    plan_officers: tuple[Recipient, ...]
    executives: tuple[Recipient, ...]
    reviewers: tuple[Recipient, ...] = field(default=())

    def for_(self, due: Due) -> list[Recipient]:
        people = list(self.named or self.plan_officers)
        if due.executives:
            people += self.executives
        if due.province:
            people += self.reviewers
        seen: dict[str, Recipient] = {}
        for p in people:
            seen.setdefault(p.email, p)
        return list(seen.values())


def named_in(responsible: tuple[str, ...], members: list[Recipient]) -> tuple[Recipient, ...]:
    """The members a step's responsible people name (by email or by name)."""
    wanted = {" ".join(r.lower().split()) for r in responsible}
    return tuple(
        m for m in members if m.email in wanted or " ".join(m.name.lower().split()) in wanted
    )
