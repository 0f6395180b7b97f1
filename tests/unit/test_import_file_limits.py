"""Import files as an attacker sends them: a .docx or zip that expands to far more than it
weighs is refused before anything is inflated (413), and a Word table python-docx cannot read
is a clear refusal (415), never a 500."""

from __future__ import annotations

import io
import resource
import zipfile
from collections.abc import Callable

import docx
import pytest

from infra.imports.files import FileTooLarge, UnreadableFile, read_documents


def _docx(document_xml: Callable[[bytes], bytes] | None = None, chunks: int = 0) -> bytes:
    """A real .docx from python-docx, its document part replaced when asked; ``chunks`` MB of
    spaces inside the body make it a bomb (streamed: the test never holds it expanded)."""
    d = docx.Document()
    d.add_paragraph("๑. ชื่อโครงการ")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "6.1"
    raw = io.BytesIO()
    d.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                z.writestr(info, data)
                continue
            if document_xml is not None:
                data = document_xml(data)
            if not chunks:
                z.writestr(info.filename, data)
                continue
            head, _, tail = data.partition(b"</w:body>")
            with z.open(info.filename, "w", force_zip64=True) as w:
                w.write(head)
                block = b"<w:p><w:r><w:t>" + b" " * (1024 * 1024 - 30) + b"</w:t></w:r></w:p>"
                for _ in range(chunks):
                    w.write(block)
                w.write(b"</w:body>" + tail)
    return out.getvalue()


def test_a_docx_that_expands_to_150_mb_is_refused_before_it_is_read() -> None:
    bomb = _docx(chunks=150)
    assert len(bomb) < 1024 * 1024  # it weighs well under a megabyte
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(FileTooLarge) as refused:
        read_documents("แผน.docx", bomb)
    assert refused.value.status == 413 and "คลายการบีบอัด" in refused.value.message
    grew_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grew_kb < 50 * 1024, grew_kb  # nothing was inflated


def test_a_zip_of_bombs_is_refused_too() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(3):
            z.writestr(f"sheet{n}.txt", b" " * (40 * 1024 * 1024))
    with pytest.raises(FileTooLarge):
        read_documents("plan.zip", out.getvalue())


@pytest.mark.parametrize(
    "broken",
    [b"<w:tcPr><w:vMerge/>", b'<w:tcPr><w:gridSpan w:val="x"/>'],
    ids=["vmerge-without-grid", "gridspan-not-a-number"],
)
def test_a_malformed_word_table_is_a_clear_refusal(broken: bytes) -> None:
    damaged = _docx(lambda xml: xml.replace(b"<w:tcPr>", broken, 1))
    with pytest.raises(UnreadableFile) as refused:
        read_documents("sheet.docx", damaged)
    assert refused.value.status == 415 and "Word" in refused.value.message


def test_an_ordinary_docx_still_reads() -> None:
    (doc,) = read_documents("sheet.docx", _docx())
    assert "ชื่อโครงการ" in doc.text and "6.1" in doc.text
