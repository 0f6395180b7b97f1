from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from domain.complaints.complaint import (
    Complaint,
    ComplaintAlreadyResolved,
    ComplaintReceived,
    ComplaintResolved,
    ComplaintTakenUp,
    InvalidComplaint,
)
from domain.declarations.declaration import (
    Channel,
    Declaration,
    DeclarationAlreadyPublished,
    DeclarationAnnounced,
    DeclarationDrafted,
    DeclarationNotPublished,
    DeclarationPublished,
    EmptyDeclaration,
)
from domain.plans.errors import InvalidIndicator, UnknownIndicator
from domain.plans.events import IndicatorResultRecorded, OutputIndicatorDefined
from domain.plans.item import Item, PlanContext
from domain.plans.values import Comparator, OutputIndicator
from domain.shared.fiscal import YearSpan
from tests.unit.gwt import decide

TEXT = DeclarationDrafted("ข้าพเจ้า นายก อบต.พังขว้าง ขอประกาศเจตจำนงสุจริต", ("นายก อบต.พังขว้าง",))
PUBLISHED = DeclarationPublished(date(2017, 10, 2), None)
OPEN = PlanContext(YearSpan(2561, 2564), closed=False)


def test_publishing_an_empty_declaration_is_refused() -> None:
    with pytest.raises(EmptyDeclaration):
        decide(Declaration, [], lambda d: d.publish(date(2017, 10, 2), None))
    with pytest.raises(EmptyDeclaration):
        decide(
            Declaration,
            [DeclarationDrafted("ข้อความ", ())],
            lambda d: d.publish(date(2017, 10, 2), None),
        )
    assert decide(Declaration, [TEXT], lambda d: d.publish(date(2017, 10, 2), None)) == [PUBLISHED]


def test_a_published_declaration_is_not_redrafted_or_republished() -> None:
    with pytest.raises(DeclarationAlreadyPublished):
        decide(Declaration, [TEXT, PUBLISHED], lambda d: d.draft("ใหม่", ("ก",)))
    with pytest.raises(DeclarationAlreadyPublished):
        decide(Declaration, [TEXT, PUBLISHED], lambda d: d.publish(date(2018, 1, 1), None))


def test_announcements_follow_publication() -> None:
    with pytest.raises(DeclarationNotPublished):
        decide(Declaration, [TEXT], lambda d: d.announce(Channel.WEBSITE, date(2017, 10, 3)))
    with pytest.raises(DeclarationNotPublished):
        decide(
            Declaration, [TEXT, PUBLISHED], lambda d: d.announce(Channel.WEBSITE, date(2017, 10, 1))
        )
    assert decide(
        Declaration,
        [TEXT, PUBLISHED],
        lambda d: d.announce(Channel.NOTICE_BOARD, date(2017, 10, 3), "หน้าที่ทำการ"),
    ) == [DeclarationAnnounced(Channel.NOTICE_BOARD, date(2017, 10, 3), "หน้าที่ทำการ", ())]


def test_complaints_are_received_then_resolved_once() -> None:
    received = ComplaintReceived(date(2018, 1, 5), "phone", "การจัดซื้อจัดจ้าง")
    assert decide(
        Complaint, [], lambda c: c.receive(date(2018, 1, 5), "phone", " การจัดซื้อจัดจ้าง ")
    ) == [received]
    with pytest.raises(InvalidComplaint):
        decide(Complaint, [], lambda c: c.receive(date(2018, 1, 5), "pigeon", "x"))
    assert decide(
        Complaint, [received], lambda c: c.resolve(date(2018, 2, 1), "unsubstantiated")
    ) == [ComplaintResolved(date(2018, 2, 1), "unsubstantiated")]
    with pytest.raises(ComplaintAlreadyResolved):
        decide(
            Complaint,
            [received, ComplaintResolved(date(2018, 2, 1), "other")],
            lambda c: c.resolve(date(2018, 3, 1), "other"),
        )


def test_a_complaint_is_taken_up_then_resolved_with_an_outcome_from_the_list() -> None:
    received = ComplaintReceived(date(2018, 1, 5), "letter", "ถนนชำรุด")
    taken = ComplaintTakenUp(date(2018, 1, 8))
    assert decide(Complaint, [received], lambda c: c.take_up(date(2018, 1, 8))) == [taken]
    with pytest.raises(InvalidComplaint):  # before it was received
        decide(Complaint, [received], lambda c: c.take_up(date(2018, 1, 4)))
    with pytest.raises(InvalidComplaint):  # twice
        decide(Complaint, [received, taken], lambda c: c.take_up(date(2018, 1, 9)))
    with pytest.raises(InvalidComplaint):  # before it was taken up
        decide(Complaint, [received, taken], lambda c: c.resolve(date(2018, 1, 7), "other"))
    with pytest.raises(InvalidComplaint):  # an outcome not in the list
        decide(Complaint, [received, taken], lambda c: c.resolve(date(2018, 2, 1), "ok"))
    with pytest.raises(InvalidComplaint):  # after today
        decide(
            Complaint,
            [received, taken],
            lambda c: c.resolve(date(2018, 2, 1), "referred", date(2018, 1, 31)),
        )
    c = Complaint.replay(uuid.uuid4(), [received, taken])
    assert (c.status, c.outcome) == ("in_progress", "")


def test_the_register_keeps_no_personal_data_and_bounded_subjects() -> None:
    for subject in ("ร้องเรียนถนน โทร 081-234-5678", "นาย ก เลขบัตร 1 2345 67890 12 3", "x" * 201):
        with pytest.raises(InvalidComplaint):
            decide(Complaint, [], lambda c, s=subject: c.receive(date(2018, 1, 5), "phone", s))
    with pytest.raises(InvalidComplaint):  # received in the future
        decide(
            Complaint,
            [],
            lambda c: c.receive(date(2018, 1, 5), "phone", "ไฟฟ้า", date(2018, 1, 4)),
        )
    assert decide(
        Complaint, [], lambda c: c.receive(date(2018, 1, 5), "phone", "ไฟฟ้าดับ หมู่ 5 (2 ครั้ง)")
    )


def test_complaints_resolved_before_outcomes_read_as_not_recorded() -> None:
    from domain.complaints.upcasters import UPCASTERS

    v1 = {"on": "2018-02-01"}
    assert UPCASTERS[("ComplaintResolved", 1)](v1) == {"on": "2018-02-01", "outcome": ""}


def test_indicator_results_and_attainment() -> None:
    ind = OutputIndicator("o1", "มีประกาศเจตจำนง", Comparator.AT_LEAST, Decimal(1), "ฉบับ")
    defined = OutputIndicatorDefined(ind)
    assert decide(Item, [defined], lambda i: i.record_result(OPEN, "o1", 2561, Decimal(1))) == [
        IndicatorResultRecorded("o1", 2561, Decimal(1), "", ())
    ]
    with pytest.raises(UnknownIndicator):
        decide(Item, [], lambda i: i.record_result(OPEN, "o1", 2561, Decimal(1)))
    assert ind.met_by(Decimal(2)) and not ind.met_by(Decimal(0))
    exactly = OutputIndicator("o3", "แผน ๔ ปี", Comparator.EXACTLY, Decimal(1), "ฉบับ")
    assert exactly.met_by(Decimal(1)) and not exactly.met_by(Decimal(2))
    with pytest.raises(InvalidIndicator):
        OutputIndicator("p", "ร้อยละ", Comparator.AT_LEAST, Decimal(120), "%")
