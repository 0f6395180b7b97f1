"""PDF documents in the style of a Thai official document (หนังสือราชการ): A4, Sarabun,
Buddhist Era dates and Thai digits, page numbers "- ๒ -" centred at the top from page 2.

HTML from Jinja templates, laid out by WeasyPrint (Pango breaks Thai lines between words).
The same report and ``generated_at`` give byte-identical files: the PDF's dates come from
``generated_at``, its file identifier from the content hash, and nothing else varies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.reporting.digest import content_hash
from domain.reporting.letter import CoverLetter
from domain.reporting.model import ProgressReport
from domain.reporting.summary import ProvincialSummary
from infra.documents.common import (
    RecordMark,
    environment,
    fix_thai_text_map,
    font_faces,
    identifier,
    pdf_date,
)

PDF_MEDIA_TYPE = "application/pdf"
__all__ = [
    "PDF_MEDIA_TYPE",
    "RecordMark",
    "cover_letter_pdf",
    "plan_table_pdf",
    "progress_pdf",
    "summary_pdf",
    "warm_up",
]


def _render(
    template: str,
    data: Any,
    generated_at: datetime,
    record: RecordMark | None = None,
    digest: str | None = None,
    **context: Any,
) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    digest = digest or content_hash(data)
    html = (
        environment()
        .get_template(template)
        .render(
            fonts=font_faces(),
            created=pdf_date(generated_at),
            generated_at=generated_at,
            digest=digest,
            record=record,
            **context,
        )
    )
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=None).render(font_config=fonts)
    pdf: bytes = document.write_pdf(
        pdf_identifier=identifier(digest, generated_at), finisher=fix_thai_text_map
    )
    return pdf


def warm_up() -> None:
    """Import WeasyPrint and lay out one line in Sarabun: ~3 s a process pays once (imports,
    the user-agent stylesheet, fonts) and not on its first report. The worker calls it before
    it forks its pool, so every pool process starts warm."""
    from weasyprint import HTML

    html = f"<style>{font_faces()} p {{ font-family: Sarabun }}</style><p>รายงาน ๑</p>"
    HTML(string=html).render().write_pdf()


def progress_pdf(
    report: ProgressReport,
    generated_at: datetime,
    record: RecordMark | None = None,
    digest: str | None = None,
) -> bytes:
    """The LAO's progress report of a round, as a PDF (with its record mark, if given;
    ``digest``: the report's ``content_hash`` when the caller has it)."""
    return _render("progress.html", report, generated_at, record, digest, r=report)


def summary_pdf(summary: ProvincialSummary, generated_at: datetime) -> bytes:
    """The provincial summary of a round (A4 landscape), as a PDF."""
    return _render("summary.html", summary, generated_at, s=summary)


def plan_table_pdf(
    table: dict[str, Any], generated_at: datetime, record: RecordMark | None = None
) -> bytes:
    """The plan's summary table (A4 landscape), as a PDF (with its record mark, if given)."""
    return _render("plan_table.html", table, generated_at, record, t=table)


def cover_letter_pdf(letter: CoverLetter, generated_at: datetime) -> bytes:
    """The cover letter of a round's report (หนังสือนำส่ง, A4 portrait), as a PDF."""
    return _render("cover_letter.html", letter, generated_at, l=letter)
