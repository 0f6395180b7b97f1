"""A plan's summary table (บัญชีโครงการ/กิจกรรม/มาตรการ) as issued to the record: each issue
of a new content records its files' SHA-256, so that a downloaded or printed copy can be checked
against the LAO's public record (/p/<code>/verify). One stream per plan.

Rules:
- An issue of a content already issued records nothing: the same table is the same files.
- Only the PDF and .docx renderings are issued.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from domain.reporting.events import ReportFile
from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event
from domain.shared.ports import Context, Repository

_STREAM_NAMESPACE = uuid.UUID("b3c0e2f4-5d71-4a8e-9f26-7c1d0a4e8b35")
FORMATS = ("pdf", "docx")


class InvalidPlanTable(DomainError):
    code = "invalid-plan-table"


@dataclass(frozen=True)
class PlanTableIssued(Event):
    """The summary table of ``plan_id`` of content ``content_hash``, as ``files``."""

    plan_id: uuid.UUID
    content_hash: str
    files: tuple[ReportFile, ...]
    generated_at: datetime


PLAN_TABLE_EVENTS: tuple[type[Event], ...] = (PlanTableIssued,)


def plan_table_stream_id(tenant_id: uuid.UUID, plan_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(_STREAM_NAMESPACE, f"{tenant_id}:{plan_id}")


class PlanTable(Aggregate):
    stream_type = "plan_table"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.issues: dict[str, PlanTableIssued] = {}

    def issued(self, content_hash: str) -> PlanTableIssued | None:
        return self.issues.get(content_hash)

    def issue(
        self,
        plan_id: uuid.UUID,
        content_hash: str,
        files: tuple[ReportFile, ...],
        at: datetime,
    ) -> bool:
        """Record an issue; False (nothing recorded) when this content was issued before."""
        if not files or any(f.format not in FORMATS for f in files):
            raise InvalidPlanTable("บัญชีโครงการต้องมีไฟล์ PDF หรือ DOCX")
        if content_hash in self.issues:
            return False
        self._record(PlanTableIssued(plan_id, content_hash, files, at))
        return True

    def _on_PlanTableIssued(self, e: PlanTableIssued) -> None:
        self.issues[e.content_hash] = e


async def load_plan_table(repo: Repository, tenant_id: uuid.UUID, plan_id: uuid.UUID) -> PlanTable:
    return await repo.load(PlanTable, tenant_id, plan_table_stream_id(tenant_id, plan_id))


async def issue_plan_table(
    repo: Repository,
    ctx: Context,
    plan_id: uuid.UUID,
    content_hash: str,
    files: tuple[ReportFile, ...],
    at: datetime,
) -> PlanTableIssued:
    """Record the issue (or find the earlier one of the same content)."""
    table = await load_plan_table(repo, ctx.tenant_id, plan_id)
    if table.issue(plan_id, content_hash, files, at):
        await repo.save(ctx, table)
    found = table.issued(content_hash)
    assert found is not None
    return found
