"""The reports of one LAO for one reporting round: one stream per (tenant, round).

Rules:
- A generation with the content hash of the latest one records nothing (the same events give
  the same report: regenerating is idempotent).
- Only a generated report of this LAO and round can be submitted, and only the latest
  generation (an older one has been superseded by newer data).
- A round's report is submitted once; a new generation (the data changed, e.g. a late step
  recorded) may be submitted again. Submitting the same generation twice is refused.
- A round is submitted only after it has closed (its report is as of the round's last day).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from domain.reporting.events import ReportFile, ReportGenerated, ReportSubmitted
from domain.reporting.rounds import ReportingRound
from domain.shared.aggregate import Aggregate
from domain.shared.bedate import be_day
from domain.shared.errors import DomainError, NotFound

_STREAM_NAMESPACE = uuid.UUID("4f1d2c8e-7a3b-4e59-9c61-0b8d3e5f7a12")
FORMATS = ("pdf", "xlsx")


class ReportAlreadySubmitted(DomainError):
    code = "report-already-submitted"
    status = 409


class ReportSuperseded(DomainError):
    code = "report-superseded"
    status = 409


class RoundNotClosed(DomainError):
    code = "round-not-closed"
    status = 409


class ReportIncomplete(DomainError):
    code = "report-incomplete"
    status = 409


class InvalidReport(DomainError):
    code = "invalid-report"


def report_stream_id(tenant_id: uuid.UUID, round_code: str) -> uuid.UUID:
    """The stream of a tenant's reports of a round (the same id every time)."""
    return uuid.uuid5(_STREAM_NAMESPACE, f"{tenant_id}:{round_code}")


@dataclass(frozen=True)
class Generation:
    content_hash: str
    as_of: date
    files: tuple[ReportFile, ...]
    generated_at: datetime


class RoundReport(Aggregate):
    stream_type = "report"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.round: ReportingRound | None = None
        self.generations: list[Generation] = []
        self.submitted: str | None = None  # the content hash submitted, while it is the latest

    @property
    def latest(self) -> Generation | None:
        return self.generations[-1] if self.generations else None

    def generate(
        self,
        rnd: ReportingRound,
        as_of: date,
        content_hash: str,
        files: tuple[ReportFile, ...],
        at: datetime,
    ) -> bool:
        """Record a generation; False (nothing recorded) when it is the latest one again."""
        if self.round is not None and self.round != rnd:
            raise InvalidReport("รายงานนี้เป็นของรอบอื่น")
        if not files or any(f.format not in FORMATS for f in files):
            raise InvalidReport("รายงานต้องมีไฟล์ PDF หรือ XLSX")
        if self.latest is not None and self.latest.content_hash == content_hash:
            return False
        self._record(ReportGenerated(rnd.code, as_of, content_hash, files, at))
        return True

    def submit(self, sha256: str, by: str, on: date, lacking: tuple[str, ...] = ()) -> None:
        """``lacking``: what the round's data still lacks by the rules (``report_lacks``);
        a report with anything lacking is not submitted."""
        found = next(
            (g for g in self.generations if any(f.sha256 == sha256 for f in g.files)), None
        )
        if found is None or self.round is None:
            raise NotFound("ไม่พบรายงานนี้")
        latest = self.latest
        assert latest is not None
        if found is not latest:
            raise ReportSuperseded(
                "รายงานฉบับนี้มีฉบับใหม่กว่าแล้ว กรุณาส่งฉบับล่าสุด",
                content_hash=latest.content_hash,
            )
        if found.as_of < self.round.end:
            raise RoundNotClosed(
                "รอบรายงานนี้ยังไม่สิ้นสุด ส่งรายงานได้หลังวันสิ้นรอบ "
                f"({be_day(self.round.end, full=True)}) โดยสร้างรายงานใหม่หลังวันนั้น",
                round=self.round.code,
                ends=self.round.end.isoformat(),
            )
        if lacking:
            raise ReportIncomplete(
                "ยังส่งรายงานรอบนี้ไม่ได้ เพราะข้อมูลยังไม่ครบ: "
                + "; ".join(lacking[:10])
                + (f" และอีก {len(lacking) - 10} รายการ" if len(lacking) > 10 else ""),
                round=self.round.code,
                lacking=list(lacking),
            )
        if self.submitted == found.content_hash:
            raise ReportAlreadySubmitted(
                "ส่งรายงานรอบนี้ให้จังหวัดแล้ว จะส่งอีกได้เมื่อสร้างรายงานฉบับใหม่ที่ข้อมูลเปลี่ยนไป",
                round=self.round.code,
            )
        self._record(ReportSubmitted(self.round.code, found.content_hash, sha256, by, on))

    def _on_ReportGenerated(self, e: ReportGenerated) -> None:
        self.round = ReportingRound.parse(e.round)
        self.generations.append(Generation(e.content_hash, e.as_of, e.files, e.generated_at))
        if self.submitted != e.content_hash:
            self.submitted = None

    def _on_ReportSubmitted(self, e: ReportSubmitted) -> None:
        self.submitted = e.content_hash
