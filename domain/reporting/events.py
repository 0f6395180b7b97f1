"""What reporting records in the tenant's log: a round's report generated, and submitted to
the provincial office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.shared.messages import Event


@dataclass(frozen=True)
class ReportFile:
    format: str  # "pdf" | "xlsx"
    sha256: str  # of the file's bytes (the file store's address)
    size: int


@dataclass(frozen=True)
class ReportGenerated(Event):
    """The progress report of ``round`` (e.g. "2568-6") as of ``as_of``: ``content_hash`` is
    the hash of its data (the same events give the same hash); ``files`` each rendering of it."""

    round: str
    as_of: date
    content_hash: str
    files: tuple[ReportFile, ...]
    generated_at: datetime


@dataclass(frozen=True)
class ReportSubmitted(Event):
    """The LAO sent its report of ``round`` (the generation ``content_hash``, as the file
    ``sha256``) to the provincial office on ``on`` (Asia/Bangkok)."""

    round: str
    content_hash: str
    sha256: str
    submitted_by: str
    on: date


REPORT_EVENTS: tuple[type[Event], ...] = (ReportGenerated, ReportSubmitted)
