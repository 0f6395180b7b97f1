"""Files in, parsed sheets out: the reading (infra) and the parsing (domain) together."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from domain.imports.plan import ParsedPlan, has_table, known_templates, parse_plan
from domain.imports.sheet import ParsedSheet, parse_document
from domain.shared.errors import DomainError
from infra.imports.files import Document, UnreadableFile, read_documents
from infra.imports.lexicon import thai_lexicon

SUPPORTED = (".txt", ".docx", ".pdf", ".zip", ".text")


class NoSheetFound(DomainError):
    code = "no-detail-sheet"
    status = 422


@dataclass
class ParsedFile:
    name: str
    sheets: list[ParsedSheet]
    skipped: list[str] = field(default_factory=list)  # zip members that are not documents


@dataclass
class ParsedUpload:
    files: list[ParsedFile]
    seconds: float

    @property
    def sheets(self) -> list[tuple[str, ParsedSheet]]:
        return [(f"{f.name} #{n}", s) for f in self.files for n, s in enumerate(f.sheets, 1)]


def parse_upload(files: list[tuple[str, bytes]]) -> ParsedUpload:
    """Every sheet of every file, in the order given; a file that is not a plan document,
    or has no detail sheet in it, is refused with its name."""
    started = time.perf_counter()
    lexicon = thai_lexicon()
    out: list[ParsedFile] = []
    for name, content in files:
        documents: list[Document] = read_documents(name, content)
        for doc in documents:
            if has_table(doc.text):
                # A summary table (with or without the sheets): its items, matched to their
                # sheets and numbered in table order, as in a whole-plan import.
                plan = parse_plan(doc.text, lexicon, known_templates())
                span = plan.years or (0, 0)
                out.append(ParsedFile(doc.name, [i.as_sheet(span) for i in plan.items]))
                continue
            sheets = [s for s in parse_document(doc.text, lexicon) if len(s.headings) >= 3]
            if not sheets:
                raise NoSheetFound(
                    f"ไม่พบรายละเอียดโครงการ (หัวข้อ ๑-๑๐) ในไฟล์ '{doc.name}'", file=doc.name
                )
            out.append(ParsedFile(doc.name, sheets))
    if not out:
        raise UnreadableFile("ไม่มีไฟล์ให้นำเข้า")
    return ParsedUpload(out, time.perf_counter() - started)


class NoPlanFound(DomainError):
    code = "no-plan-table"
    status = 422


def parse_plan_upload(name: str, content: bytes) -> ParsedPlan:
    """A whole plan from one file (a .txt, .docx or PDF; a zip's documents are read in name
    order as one plan): its round, summary table and detail sheets."""
    documents = read_documents(name, content)
    text = "\n".join(d.text for d in documents)
    plan = parse_plan(text, thai_lexicon(), known_templates())
    if not plan.items:
        raise NoPlanFound(
            f"ไม่พบตารางบัญชีโครงการหรือรายละเอียดโครงการในไฟล์ '{name}': "
            "นำเข้าทั้งแผนต้องมีตาราง (มิติที่ ... และรายการใต้แต่ละภารกิจ) หรือรายละเอียดโครงการ",
            file=name,
        )
    return plan
