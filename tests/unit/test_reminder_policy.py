"""When reminders fall due, and who hears of them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.reminders.policy import (
    InvalidPolicy,
    Policy,
    Recipient,
    StepTeam,
    indicator_reminder_due,
    named_in,
    round_reminders,
    step_reminders,
)

DUE = date(2026, 3, 31)


def kinds(today: date, policy: Policy | None = None) -> list[str]:
    return [d.kind for d in step_reminders(policy or Policy(), DUE, today) if d.on == today]


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(14, ["before-14"]), (7, ["before-7"]), (1, ["before-1"]), (0, ["due"]), (5, []), (30, [])],
)
def test_reminders_before_and_on_the_day(days_before: int, expected: list[str]) -> None:
    assert kinds(DUE - timedelta(days=days_before)) == expected


def test_overdue_the_day_after_then_weekly_with_escalation() -> None:
    overdue = {n: kinds(DUE + timedelta(days=n)) for n in range(1, 40)}
    assert [n for n, k in overdue.items() if k] == [1, 8, 15, 22, 29, 36]
    late = step_reminders(Policy(province_after_days=30), DUE, DUE + timedelta(days=36))
    today = next(d for d in late if d.on == DUE + timedelta(days=36))
    assert today.executives and today.province and today.days_overdue == 36
    early = step_reminders(Policy(), DUE, DUE + timedelta(days=8))
    assert early[-1].days_overdue == 8 and not early[-1].executives


def test_a_missed_day_is_caught_up_for_two_days_and_the_latest_wins() -> None:
    late = step_reminders(Policy(), DUE, DUE + timedelta(days=2))
    assert [(d.kind, d.on) for d in late] == [("overdue-1", DUE + timedelta(1))]
    assert [d.kind for d in step_reminders(Policy(), DUE, DUE + timedelta(days=4))] == []
    assert [d.kind for d in step_reminders(Policy(), DUE, DUE)] == ["due"]


def test_rounds_close_31_march_and_30_september() -> None:
    found = round_reminders(Policy(), date(2026, 3, 24))
    assert [(r.end, d.kind) for r, d in found if d.on == date(2026, 3, 24)] == [
        (date(2026, 3, 31), "before-7")
    ]
    assert [d.kind for r, d in round_reminders(Policy(), date(2026, 9, 30))][-1] == "due"
    assert indicator_reminder_due(Policy(), date(2026, 10, 1)) is not None
    fy, due = indicator_reminder_due(Policy(), date(2026, 10, 2)) or (0, None)
    assert fy == 2569 and due is not None and due.kind == "indicators"
    assert indicator_reminder_due(Policy(), date(2026, 10, 5)) is None


def test_the_named_hear_of_their_steps_else_the_plan_officers() -> None:
    a = Recipient("a@x.org", "สมชาย ใจดี", "staff")
    officer = Recipient("o@x.org", "สุดา", "plan_officer")
    boss = Recipient("b@x.org", "นายก", "executive")
    members = [a, officer, boss]
    assert named_in(("สมชาย  ใจดี",), members) == (a,)
    assert named_in(("A@X.org",), members) == (a,)
    team = StepTeam(named_in(("งานกฎหมาย",), members), (officer,), (boss,))
    due = step_reminders(Policy(), DUE, DUE + timedelta(days=15))[-1]
    assert {p.email for p in team.for_(due)} == {"o@x.org", "b@x.org"}


def test_bad_policies_are_refused() -> None:
    for bad in ({"before_days": (0,)}, {"before_days": (7, 7)}, {"overdue_every_days": 40}):
        with pytest.raises(InvalidPolicy):
            Policy(**bad)  # type: ignore[arg-type]
