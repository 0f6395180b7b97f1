"""The rules of a round's reports: generate (idempotent on the content hash), submit once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from domain.registry import event_data, event_from
from domain.reporting.entries import report_lacks
from domain.reporting.events import ReportFile, ReportGenerated, ReportSubmitted
from domain.reporting.model import Organisation, PlanPart, ProgressReport
from domain.reporting.report import (
    ReportAlreadySubmitted,
    ReportIncomplete,
    ReportSuperseded,
    RoundNotClosed,
    RoundReport,
)
from domain.reporting.rounds import ReportingRound
from domain.shared.errors import NotFound
from tests.unit.gwt import decide

R = ReportingRound.parse("2568-6")
AT = datetime(2025, 4, 2, 3, 30, tzinfo=UTC)
A = (ReportFile("pdf", "a" * 64, 10), ReportFile("xlsx", "b" * 64, 20))
B = (ReportFile("pdf", "c" * 64, 11), ReportFile("xlsx", "d" * 64, 21))
GEN_A = ReportGenerated("2568-6", R.end, "hash-a", A, AT)
GEN_B = ReportGenerated("2568-6", R.end, "hash-b", B, AT)


def test_given_nothing_when_generated_then_report_generated() -> None:
    assert decide(RoundReport, [], lambda r: r.generate(R, R.end, "hash-a", A, AT)) == [GEN_A]


def test_the_same_content_again_records_nothing() -> None:
    assert decide(RoundReport, [GEN_A], lambda r: r.generate(R, R.end, "hash-a", B, AT)) == []


def test_new_content_records_a_new_generation() -> None:
    assert decide(RoundReport, [GEN_A], lambda r: r.generate(R, R.end, "hash-b", B, AT)) == [GEN_B]


def test_submit_the_latest_once() -> None:
    on = date(2025, 4, 3)
    done = decide(RoundReport, [GEN_A], lambda r: r.submit("a" * 64, "plan@a", on))
    assert done == [ReportSubmitted("2568-6", "hash-a", "a" * 64, "plan@a", on)]
    with pytest.raises(ReportAlreadySubmitted):
        decide(RoundReport, [GEN_A, *done], lambda r: r.submit("b" * 64, "plan@a", on))


def test_a_new_generation_may_be_submitted_again() -> None:
    on = date(2025, 4, 3)
    sent = ReportSubmitted("2568-6", "hash-a", "a" * 64, "plan@a", on)
    again = decide(RoundReport, [GEN_A, sent, GEN_B], lambda r: r.submit("c" * 64, "x", on))
    assert [type(e) for e in again] == [ReportSubmitted]


def test_an_older_generation_or_an_unknown_file_is_refused() -> None:
    on = date(2025, 4, 3)
    with pytest.raises(ReportSuperseded):
        decide(RoundReport, [GEN_A, GEN_B], lambda r: r.submit("a" * 64, "x", on))
    with pytest.raises(NotFound):
        decide(RoundReport, [GEN_A], lambda r: r.submit("e" * 64, "x", on))
    with pytest.raises(NotFound):
        decide(RoundReport, [], lambda r: r.submit("a" * 64, "x", on))


def test_an_open_round_is_not_submitted() -> None:
    early = ReportGenerated("2568-6", date(2025, 2, 1), "hash-a", A, AT)
    with pytest.raises(RoundNotClosed) as e:
        decide(RoundReport, [early], lambda r: r.submit("a" * 64, "x", date(2025, 2, 1)))
    # The round's last day said in the Buddhist Era, not as ISO "2025-03-31".
    assert "(31 มีนาคม 2568)" in e.value.message and "2025" not in e.value.message


def test_events_round_trip_through_their_data() -> None:
    for e in (GEN_A, ReportSubmitted("2568-6", "hash-a", "a" * 64, "plan@a", date(2025, 4, 3))):
        assert event_from(e.event_type(), event_data(e)) == e


def test_an_incomplete_round_is_not_submitted_and_says_what_lacks() -> None:
    lacking = tuple(f"รายการ 1.1.{n}: ยังไม่ระบุสถานะการดำเนินงาน" for n in range(12))
    with pytest.raises(ReportIncomplete) as refused:
        decide(RoundReport, [GEN_A], lambda r: r.submit("a" * 64, "x", date(2025, 4, 3), lacking))
    assert "รายการ 1.1.0" in refused.value.message and "และอีก 2 รายการ" in refused.value.message
    assert refused.value.details["lacking"] == list(lacking)


def test_what_a_report_lacks_by_the_rules() -> None:
    org = Organisation("6470101", "อบต.พังขว้าง", "เมืองสกลนคร", "สกลนคร")
    bare = ProgressReport(org, R, R.end, None, (), (), None, ())
    assert report_lacks(bare)[0].startswith("ไม่มีแผนปฏิบัติการป้องกันการทุจริตที่ครอบคลุม")
    plan = PlanPart("แผน", 2566, 2570, None, "")
    unpromulgated = replace(bare, plan=plan)
    assert [x.split(":")[0] for x in report_lacks(unpromulgated)] == [
        "แผนยังไม่ได้ประกาศใช้",
        "แผนไม่มีโครงการ/กิจกรรม/มาตรการในปีงบประมาณ 2568",
    ]
