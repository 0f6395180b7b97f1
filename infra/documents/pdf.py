"""PDF documents in the style of a Thai official document (หนังสือราชการ): A4, Sarabun,
Buddhist Era dates and Thai digits, page numbers "- ๒ -" centred at the top from page 2.

HTML from Jinja templates, laid out by WeasyPrint (Pango breaks Thai lines between words).
The templates are also well-formed XML, and are read as such: ElementTree reads a report in
under 1 ms where WeasyPrint's HTML5 parser takes ~25 ms, and a user-agent stylesheet of only
the elements they use (``templates/user_agent.css``) halves the styling. Markup that is not
XML (it should not happen) is read by WeasyPrint's parser, with its own stylesheet: the same
PDF, only slower.
The same report and ``generated_at`` give byte-identical files: the PDF's dates come from
``generated_at``, its file identifier from the content hash, and nothing else varies.
"""

from __future__ import annotations

import atexit
import logging
import threading
from datetime import datetime
from functools import cache
from typing import Any
from xml.etree import ElementTree

from domain.reporting.digest import content_hash
from domain.reporting.letter import CoverLetter
from domain.reporting.model import ProgressReport
from domain.reporting.summary import ProvincialSummary
from infra.documents.common import (
    TEMPLATES,
    RecordMark,
    environment,
    fix_thai_text_map,
    font_faces,
    identifier,
    pdf_date,
)

PDF_MEDIA_TYPE = "application/pdf"
log = logging.getLogger(__name__)
__all__ = [
    "PDF_MEDIA_TYPE",
    "RecordMark",
    "cover_letter_pdf",
    "plan_table_pdf",
    "progress_pdf",
    "summary_pdf",
    "warm_up",
]


@cache
def _xml_html() -> Any:
    """WeasyPrint's HTML made from a tree we parsed, with our user-agent stylesheet."""
    import cssselect2
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    user_agent = CSS(filename=str(TEMPLATES / "user_agent.css"))

    class XmlHTML(HTML):  # type: ignore[misc]  # WeasyPrint ships no types
        def __init__(self, root: ElementTree.Element) -> None:
            # What HTML.__init__ sets (no base URL: our documents' URLs are file: or data:)
            self.base_url = None
            self.url_fetcher = URLFetcher()
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [user_agent]

    return XmlHTML


def _document(markup: str) -> Any:
    """WeasyPrint's HTML of ``markup``: read as XML, with our user-agent stylesheet; or, if it
    is not XML, by WeasyPrint's HTML5 parser with its own."""
    try:
        # our template's output: every value in it is escaped (autoescape), so no entity or
        # DTD comes from a user
        root = ElementTree.fromstring(markup)  # noqa: S314
    except ElementTree.ParseError as e:
        from weasyprint import HTML

        log.warning("document markup is not XML (%s): read as HTML", e)
        return HTML(string=markup, base_url=None)
    return _xml_html()(root)


_thread = threading.local()
# The main thread's is let go before the interpreter tears its modules down (its __del__
# removes a temporary folder, and would find shutil gone); other threads' go as they end.
atexit.register(lambda: vars(_thread).clear())  # atexit runs in the main thread


def _font_config() -> Any:
    """This thread's WeasyPrint FontConfiguration, made on its first document and kept: a new
    one per document loads the system's fonts again and starts Pango's font caches cold
    (~13 % of a report's PDF). Per thread, as Pango's font map is not thread-safe. Every
    document adds the same @font-face rules, which a kept configuration has already."""
    config = getattr(_thread, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _thread.font_config = FontConfiguration()
    return config


def _render(
    template: str,
    data: Any,
    generated_at: datetime,
    record: RecordMark | None = None,
    digest: str | None = None,
    **context: Any,
) -> bytes:
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
    document = _document(html).render(font_config=_font_config())
    pdf: bytes = document.write_pdf(
        pdf_identifier=identifier(digest, generated_at), finisher=fix_thai_text_map
    )
    return pdf


def warm_up() -> None:
    """Import WeasyPrint and lay out a page like a report's (Sarabun, bold, a table with its
    head, a PNG): ~3 s a process pays once (imports, the user-agent stylesheet, fonts, the
    image decoder) and not on its first report. The worker calls it before it forks its
    pool, so every pool process starts warm."""
    qr = RecordMark(0, "https://example.invalid/").qr()
    html = (
        f"<html><head><style>{font_faces()} html {{ font-family: Sarabun }}"
        " td { border: 0.6pt solid #000 } table { border-collapse: collapse }</style></head>"
        "<body><p><strong>รายงาน</strong> ๑<br/>ข้อมูล</p><table><thead><tr><th>ที่</th></tr>"
        f'</thead><tbody><tr><td>๑</td></tr></tbody></table><img src="{qr}"/></body></html>'
    )
    _document(html).render(font_config=_font_config()).write_pdf()


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
