"""Handlers of the reports of a round: record a generation, submit to the province."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from domain.reporting.events import ReportFile
from domain.reporting.report import RoundReport, report_stream_id
from domain.reporting.rounds import ReportingRound
from domain.shared.messages import Command
from domain.shared.ports import Context, Repository, Saved


@dataclass(frozen=True)
class RecordReport(Command):
    round: ReportingRound
    as_of: date
    content_hash: str
    files: tuple[ReportFile, ...]
    generated_at: datetime


@dataclass(frozen=True)
class SubmitReport(Command):
    round: ReportingRound
    sha256: str
    on: date
    lacking: tuple[str, ...] = ()  # what the round's data lacks (domain.reporting.entries)


def stream_of(tenant_id: uuid.UUID, rnd: ReportingRound) -> uuid.UUID:
    return report_stream_id(tenant_id, rnd.code)


async def handle_report_command(
    repo: Repository, ctx: Context, cmd: RecordReport | SubmitReport
) -> Saved:
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    report = await repo.load(RoundReport, ctx.tenant_id, stream_of(ctx.tenant_id, cmd.round))
    match cmd:
        case RecordReport():
            report.generate(cmd.round, cmd.as_of, cmd.content_hash, cmd.files, cmd.generated_at)
        case SubmitReport():
            report.submit(cmd.sha256, ctx.public_actor, cmd.on, cmd.lacking)
    return await repo.save(ctx, report)
