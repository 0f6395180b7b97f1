"""Revisions of a promulgated plan's items: proposed by the plan officer, approved or returned
by the executive (ประกาศใช้แล้ว แก้ไขต้องผ่านผู้บริหาร).

Until a revision is approved the item's headings (its sheet, and the public page, which reads
them) stay as approved; the proposal waits beside them. One revision of an item waits at a
time. Every step is an event of the item's stream, so the history shows who proposed what,
why, and who decided.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from domain.plans.errors import (
    MissingText,
    NotExecutive,
    NotPlanOfficer,
    RevisionNotPending,
    RevisionRequired,
)
from domain.plans.events import (
    ItemHeadingsEdited,
    ItemRevisionApproved,
    ItemRevisionProposed,
    ItemRevisionReturned,
)
from domain.shared.bedate import be_day
from domain.shared.messages import Event
from domain.shared.serialization import to_data


class RevisionStatus(StrEnum):
    PROPOSED = "proposed"  # รอผู้บริหารพิจารณา
    APPROVED = "approved"  # อนุมัติแล้ว
    RETURNED = "returned"  # ส่งกลับให้แก้ไข


@dataclass(frozen=True)
class Revision:
    revision_id: uuid.UUID
    headings: ItemHeadingsEdited
    reason: str
    proposed_by: str
    status: RevisionStatus = RevisionStatus.PROPOSED
    decided_by: str = ""
    decided_on: date | None = None
    returned_because: str = ""


class RevisionRules:
    """The Item aggregate's revision rules (mixed into Item; uses its ``_record`` and
    ``edit_headings`` checks)."""

    revisions: dict[uuid.UUID, Revision]
    # The Item aggregate's: record an event; check an edit (the changed headings); apply one.
    _record: Callable[[Event], None]
    _check_edit: Callable[[Any, ItemHeadingsEdited], dict[str, Any]]
    _apply_headings: Callable[[ItemHeadingsEdited], None]

    @staticmethod
    def check_not_promulgated(plan: Any) -> None:
        if plan.promulgated:
            raise RevisionRequired(
                "แผนนี้ประกาศใช้แล้ว การแก้ไขรายละเอียดโครงการต้องเสนอเป็นฉบับปรับปรุง "
                "ให้ผู้บริหารอนุมัติก่อน กรุณาใช้ 'เสนอปรับปรุง' พร้อมเหตุผล"
            )

    def pending_revision(self) -> Revision | None:
        return next(
            (r for r in self.revisions.values() if r.status is RevisionStatus.PROPOSED), None
        )

    def propose_revision(
        self,
        plan: Any,
        revision_id: uuid.UUID,
        edit: ItemHeadingsEdited,
        reason: str,
        *,
        role: str,
        by: str,
    ) -> None:
        if plan.closed:
            from domain.plans.errors import PlanClosed

            raise PlanClosed("แผนนี้ปิดแล้ว แก้ไขไม่ได้")
        if not plan.promulgated:
            raise RevisionNotPending("แผนนี้ยังไม่ประกาศใช้ แก้ไขรายละเอียดได้โดยตรง ไม่ต้องเสนอฉบับปรับปรุง")
        if role != "plan_officer":
            raise NotPlanOfficer("เฉพาะเจ้าหน้าที่ผู้รับผิดชอบแผนเท่านั้นที่เสนอปรับปรุงแผนได้", role=role)
        waiting = self.pending_revision()
        if waiting is not None:
            raise RevisionNotPending(
                "รายการนี้มีฉบับปรับปรุงที่รอผู้บริหารพิจารณาอยู่แล้ว รอให้ผู้บริหารอนุมัติหรือส่งกลับก่อนจึงเสนอฉบับใหม่",
                revision_id=str(waiting.revision_id),
            )
        if not reason.strip():
            raise MissingText("กรุณาระบุเหตุผลที่ขอปรับปรุง", field="reason")
        changed = self._check_edit(plan, edit)
        if not changed:
            raise MissingText("ฉบับปรับปรุงนี้ไม่ได้เปลี่ยนหัวข้อใดเลย", field="headings")
        self._record(ItemRevisionProposed(revision_id, edit, reason.strip(), by))

    def _waiting(self, revision_id: uuid.UUID) -> Revision:
        r = self.revisions.get(revision_id)
        if r is None or r.status is not RevisionStatus.PROPOSED:
            raise RevisionNotPending(
                "ไม่พบฉบับปรับปรุงที่รอพิจารณานี้ (อาจอนุมัติหรือส่งกลับไปแล้ว) กรุณาโหลดหน้านี้ใหม่",
                revision_id=str(revision_id),
            )
        return r

    @staticmethod
    def _check_executive(role: str) -> None:
        if role != "executive":
            raise NotExecutive("เฉพาะผู้บริหารเท่านั้นที่อนุมัติหรือส่งกลับฉบับปรับปรุงได้", role=role)

    def approve_revision(
        self, plan: Any, revision_id: uuid.UUID, on: date, *, role: str, by: str
    ) -> None:
        self._check_executive(role)
        self._waiting(revision_id)
        if plan.today is not None and on > plan.today:
            raise MissingText(f"วันที่อนุมัติ {be_day(on)} ยังมาไม่ถึง", field="on")
        self._record(ItemRevisionApproved(revision_id, on, by))

    def return_revision(
        self, plan: Any, revision_id: uuid.UUID, reason: str, *, role: str, by: str
    ) -> None:
        self._check_executive(role)
        self._waiting(revision_id)
        if not reason.strip():
            raise MissingText("กรุณาระบุสิ่งที่ต้องแก้ไขก่อนส่งกลับ", field="reason")
        self._record(ItemRevisionReturned(revision_id, reason.strip(), by))

    # -- evolution -----------------------------------------------------------------------

    def _on_ItemRevisionProposed(self, e: ItemRevisionProposed) -> None:
        self.revisions[e.revision_id] = Revision(e.revision_id, e.headings, e.reason, e.by)

    def _on_ItemRevisionApproved(self, e: ItemRevisionApproved) -> None:
        r = self.revisions[e.revision_id]
        self.revisions[e.revision_id] = replace(
            r, status=RevisionStatus.APPROVED, decided_by=e.by, decided_on=e.on
        )
        self._apply_headings(r.headings)

    def _on_ItemRevisionReturned(self, e: ItemRevisionReturned) -> None:
        r = self.revisions[e.revision_id]
        self.revisions[e.revision_id] = replace(
            r, status=RevisionStatus.RETURNED, decided_by=e.by, returned_because=e.reason
        )


def revisions_view(revisions: dict[uuid.UUID, Revision]) -> list[dict[str, Any]]:
    """The item's revisions, oldest first: what each would change, why, who decided."""
    return [
        {
            "revision_id": str(r.revision_id),
            "status": r.status.value,
            "changes": {k: v for k, v in to_data(r.headings).items() if v is not None},
            "reason": r.reason,
            "proposed_by": r.proposed_by,
            "decided_by": r.decided_by,
            "decided_on": r.decided_on.isoformat() if r.decided_on else None,
            "returned_because": r.returned_because,
        }
        for r in revisions.values()
    ]
