"""The provincial summary: one row per LAO, made from each LAO's progress report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.reporting.model import Organisation
from domain.reporting.rounds import six_month, twelve_month
from domain.reporting.summary import provincial_summary
from tests.unit.test_reporting_progress import _report

AS_OF = date(2026, 11, 28)


def test_one_row_per_lao_in_code_order_with_totals() -> None:
    pk = _report()
    other = replace(
        _report(declarations=[], plans=[]),
        organisation=Organisation("6470100", "เทศบาลตำบลตัวอย่าง", "เมืองสกลนคร", "สกลนคร"),
    )
    s = provincial_summary(
        "สกลนคร",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดสกลนคร",
        twelve_month(2561),
        AS_OF,
        [pk, other],
        submitted={"6470101": date(2018, 10, 20)},
    )
    assert [r.code for r in s.rows] == ["6470100", "6470101"]
    empty, row = s.rows
    assert not empty.has_plan and empty.declared_on is None and empty.report_submitted_on is None
    assert row.has_plan and row.promulgated_on == date(2017, 10, 31)
    assert (row.declared_on, row.announcements) == (date(2017, 10, 2), 3)
    assert (row.steps_total, row.steps_done, row.overdue) == (7, 3, 3)
    assert row.percent_done == Decimal("42.86") == pk.percent_done
    assert (row.outputs_met, row.outputs_total) == (pk.outputs_met, pk.outputs_total) == (2, 3)
    assert row.report_submitted_on == date(2018, 10, 20)
    assert (s.declared, s.announced, s.promulgated, s.submitted) == (1, 1, 1, 1)
    assert (s.steps_total, s.steps_done, s.overdue, s.percent_done) == (7, 3, 3, Decimal("42.86"))
    assert s.cutoff == date(2018, 9, 30)


def test_reports_of_another_round_are_refused() -> None:
    with pytest.raises(ValueError):
        provincial_summary("สกลนคร", "สถจ.", six_month(2561), AS_OF, [_report()])
