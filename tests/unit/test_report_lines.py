"""The report's compact lines: step numbers in runs, states in a reader's order, what a round
lacks grouped by reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.reporting.model import ItemLine, RoundPart, StepLine, StepState, number_ranges


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        ([], ""),
        (["6.1"], "6.1"),
        (["6.1", "6.2"], "6.1, 6.2"),
        (["6.1", "6.2", "6.3", "6.5"], "6.1–6.3, 6.5"),
        (["6.3", "6.4", "6.5", "6.6", "6.7"], "6.3–6.7"),
        (["5.8", "6.1", "6.2", "6.3"], "5.8, 6.1–6.3"),  # a new prefix starts a new run
        (["6.9", "6.10", "6.11"], "6.9–6.11"),  # numerically consecutive
        (["6.a", "6.b", "6.c"], "6.a, 6.b, 6.c"),  # not numbers: never a run
    ],
)
def test_step_numbers_in_runs(numbers: list[str], text: str) -> None:
    assert number_ranges(numbers) == text


def _step(number: str, state: StepState) -> StepLine:
    return StepLine(number, f"ขั้นตอน {number}", None, (), state, None, "", ())


def test_what_an_item_says_of_its_steps_and_what_the_round_worked_on() -> None:
    states = [StepState.DONE_EARLIER, StepState.DONE, StepState.OVERDUE, StepState.OVERDUE]
    states += [StepState.OVERDUE, StepState.IN_PROGRESS, StepState.NOT_DUE]
    steps = tuple(_step(f"6.{n}", s) for n, s in enumerate(states, start=1))
    item = ItemLine("1.1.1", "project", "โครงการ", 1, "1.1", "", False, None, steps, (), ())
    assert item.reported_states == (  # done before the round and not due: only counted
        (StepState.DONE, "6.2"),
        (StepState.IN_PROGRESS, "6.6"),
        (StepState.OVERDUE, "6.3–6.5"),
    )
    assert [s.number for s in item.worked_in_round] == ["6.2", "6.6"]
    assert StepState.OVERDUE.brief == "เกินกำหนด"


def test_what_a_round_lacks_is_grouped_by_reason() -> None:
    lacking = (
        "รายการ 1.1.1: ยังไม่ระบุสถานะการดำเนินงาน",
        "รายการ 1.1.2: มีเบิกจ่ายแต่ไม่ได้ระบุงบประมาณตามข้อบัญญัติ",
        "รายการ 1.2.1: ยังไม่ระบุสถานะการดำเนินงาน",
        "แผนยังไม่ได้ประกาศใช้",
    )
    part = RoundPart(Decimal(0), "poor", "ต่ำกว่าเกณฑ์", 0, 3, 0, 0, 0, lacking)
    assert part.lacking_by_reason == (
        "ยังไม่ระบุสถานะการดำเนินงาน: รายการ 1.1.1, 1.2.1",
        "มีเบิกจ่ายแต่ไม่ได้ระบุงบประมาณตามข้อบัญญัติ: รายการ 1.1.2",
        "แผนยังไม่ได้ประกาศใช้",
    )
