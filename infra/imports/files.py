"""Reading plan documents: text (UTF-8 or TIS-620), Word (.docx), PDF text layers, zips."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from domain.shared.errors import DomainError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 200
# A zip (or .docx, which is one) is opened only if what it would expand to is bounded: in all,
# and per member against its compressed size (a 156 KB .docx that expands to 150 MB of XML
# took an API process from 186 MB to 1.3 GB). zipfile never inflates past a member's declared
# size, so checking the declared sizes bounds the memory.
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
_KINDS = ".txt .docx .pdf .zip"


class UnreadableFile(DomainError):
    """A file that is not a plan document this service can read."""

    code = "unreadable-import-file"
    status = 415


class FileTooLarge(DomainError):
    code = "import-file-too-large"
    status = 413


@dataclass(frozen=True)
class Document:
    name: str
    text: str


def read_documents(name: str, content: bytes) -> list[Document]:
    """The text of ``content`` (a zip gives each of its documents, in name order)."""
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge("ไฟล์ต้องมีขนาดไม่เกิน 20 MB", file=name)
    suffix = PurePosixPath(name.lower()).suffix
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                _bounded(name, z)
                names = set(z.namelist())
                if "word/document.xml" in names:
                    return [Document(name, docx_text(content))]
                return _zip(name, z)
        except zipfile.BadZipFile:
            raise UnreadableFile("ไฟล์ zip/docx เสียหาย เปิดไม่ได้", file=name) from None
    if content.startswith(b"%PDF-"):
        return [Document(name, pdf_text(name, content))]
    if suffix in ("", ".txt", ".text") or _looks_like_text(content):
        return [Document(name, decode_text(name, content))]
    raise UnreadableFile(
        f"อ่านไฟล์ '{name}' ไม่ได้: รับเฉพาะ {_KINDS} (PDF ต้องมีข้อความ ไม่ใช่ภาพสแกนล้วน)",
        file=name,
    )


def _bounded(name: str, z: zipfile.ZipFile) -> None:
    """Refuse an archive that would expand beyond what the service reads (a zip bomb)."""
    total = 0
    for info in z.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_EXPANDED_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise FileTooLarge(
                "ไฟล์นี้เมื่อคลายการบีบอัดแล้วใหญ่เกินกว่าที่ระบบรับได้ (เกิน 100 MB หรือบีบอัดผิดปกติ) "
                "กรุณาบันทึกเอกสารใหม่ หรือแยกเป็นหลายไฟล์",
                file=name,
            )


def _zip(name: str, z: zipfile.ZipFile) -> list[Document]:
    out: list[Document] = []
    members = sorted(
        (i for i in z.infolist() if not i.is_dir() and not _hidden(i.filename)),
        key=lambda i: i.filename,
    )
    if len(members) > MAX_FILES:
        raise UnreadableFile(f"ไฟล์ zip มีเอกสารเกิน {MAX_FILES} ไฟล์", file=name)
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size > MAX_FILE_BYTES or total > 5 * MAX_FILE_BYTES:
            raise FileTooLarge("เอกสารใน zip ใหญ่เกินไป", file=f"{name}/{info.filename}")
        inner = f"{name}/{info.filename}"
        data = z.read(info)
        if data.startswith(b"PK\x03\x04") and not info.filename.lower().endswith(".docx"):
            raise UnreadableFile("ไม่รับ zip ซ้อนใน zip", file=inner)
        out += read_documents(inner, data)
    if not out:
        raise UnreadableFile("ไฟล์ zip ไม่มีเอกสาร", file=name)
    return out


def _hidden(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(p.startswith((".", "__MACOSX")) for p in parts)


def _looks_like_text(content: bytes) -> bool:
    return b"\x00" not in content[:4096]


def decode_text(name: str, content: bytes) -> str:
    """UTF-8 (with or without BOM), else TIS-620 / Windows-874, the older Thai encodings."""
    if b"\x00" in content[:4096]:
        for enc in ("utf-16",):
            try:
                return content.decode(enc)
            except UnicodeDecodeError:
                pass
        raise UnreadableFile("ไฟล์นี้ไม่ใช่ข้อความ", file=name)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for enc in ("cp874", "tis-620"):
        try:
            return content.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("อ่านตัวอักษรในไฟล์ไม่ได้ (ไม่ใช่ UTF-8 หรือ TIS-620)", file=name)


def docx_text(content: bytes) -> str:
    """Paragraphs and table cells in document order (a sheet laid out in a table reads the
    same as one in paragraphs)."""
    import docx
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocxDocument = docx.Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise UnreadableFile("เปิดไฟล์ Word (.docx) ไม่ได้", error=type(exc).__name__) from None
    lines: list[str] = []

    def table(t: Table) -> None:
        """A row whose cells hold one line each is one line ("6.1 | title" -> "6.1 title");
        otherwise each cell's lines follow one another."""
        for row in t.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:  # a merged cell repeats in the row
                    seen.add(id(cell._tc))
                    cells.append(cell)
            if all(len(c.paragraphs) <= 1 and not c.tables for c in cells):
                lines.append(" ".join(c.text.strip() for c in cells if c.text.strip()))
                continue
            for cell in cells:
                for block in cell.iter_inner_content():
                    if isinstance(block, Paragraph):
                        lines.append(block.text)
                    else:
                        table(block)

    try:
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.extend(block.text.split("\n"))
            else:
                table(block)
    except Exception as exc:  # a malformed table or part: python-docx raises many kinds
        raise UnreadableFile(
            "อ่านเนื้อหาในไฟล์ Word (.docx) ไม่ได้ (ตารางหรือส่วนของเอกสารเสียหาย) "
            "กรุณาเปิดใน Word แล้วบันทึกใหม่ หรือบันทึกเป็น PDF/ข้อความ",
            error=type(exc).__name__,
        ) from None
    return "\n".join(lines)


def pdf_text(name: str, content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableFile("เปิดไฟล์ PDF ไม่ได้", file=name, error=str(exc)[:200]) from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile(
            "PDF นี้ไม่มีชั้นข้อความ (เป็นภาพสแกน): แปลงด้วย OCR ก่อน แล้วนำเข้าไฟล์ข้อความ",
            file=name,
        )
    return text
