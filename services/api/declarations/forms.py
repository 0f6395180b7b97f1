"""The declaration pages' forms: what was typed, and the errors to show beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from litestar.datastructures import UploadFile

from domain.declarations.declaration import Channel
from domain.plans.values import MAX_EVIDENCE_BYTES, Evidence
from domain.shared.errors import DomainError
from infra.files import sniff_media_type
from services.api.pages.bedays import read_day, typed_day
from services.api.pages.common import text

CHANNELS = [(c.value, c.thai) for c in Channel]
MAX_FILES = 3
SIGNED_TYPES = {"application/pdf", "image/jpeg", "image/png"}


@dataclass
class Upload:
    """A file that passed the form's checks, to keep once the whole form is valid."""

    filename: str
    content: bytes
    media_type: str


@dataclass
class Typed:
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)


def signers_of(raw: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in raw.replace("\r", "").split("\n") if s.strip())


def version_of(form: Any) -> int | None:
    raw = text(form, "version", 12)
    return int(raw) if raw.isdigit() else None


def parse_day(parts: Any, what: str, today: date, errors: dict[str, str], name: str) -> date | None:
    """The day of the three fields (วัน / เดือน / ปี พ.ศ.) of ``name``; its error beside it."""
    on, problem = read_day(parts, what, today, past_only=True)
    if problem:
        errors[name] = problem
    return on


def uploads(form: Any, name: str) -> list[UploadFile]:
    values = form.getall(name, []) if hasattr(form, "getall") else [form.get(name)]
    return [u for u in values if isinstance(u, UploadFile) and u.filename]


def draft_form(form: Any) -> Typed:
    typed = Typed({"text": text(form, "text", 5000), "signers": text(form, "signers", 1000)})
    if not typed.values["text"]:
        typed.errors["text"] = "กรุณากรอกข้อความประกาศเจตจำนง"
    if not signers_of(typed.values["signers"]):
        typed.errors["signers"] = "กรุณาระบุผู้บริหารผู้ลงนามอย่างน้อย 1 คน (บรรทัดละ 1 คน)"
    return typed


async def publish_form(form: Any, today: date) -> tuple[Typed, date | None, Upload | None]:
    """The publication's day and the signed document (PDF or a scan)."""
    typed = Typed({"on": typed_day(form, "on")})
    on = parse_day(typed.values["on"], "วันที่เผยแพร่", today, typed.errors, "on")
    files = uploads(form, "document")
    if not files:
        typed.errors["document"] = "กรุณาแนบไฟล์ประกาศเจตจำนงที่ลงนามแล้ว (PDF หรือภาพสแกน)"
        return typed, on, None
    content = await files[0].read()
    media_type = sniff_media_type(content) if content else None
    if media_type not in SIGNED_TYPES or media_type is None:
        typed.errors["document"] = "ไฟล์ประกาศที่ลงนามแล้วต้องเป็น PDF, JPEG หรือ PNG (ตรวจจากเนื้อไฟล์)"
    elif len(content) > MAX_EVIDENCE_BYTES:
        typed.errors["document"] = "ไฟล์ต้องมีขนาดไม่เกิน 20 MB"
    else:
        return typed, on, Upload(files[0].filename, content, media_type)
    return typed, on, None


async def announce_form(
    form: Any, today: date
) -> tuple[Typed, date | None, list[Evidence], list[Upload]]:
    """The announcement's channel, day and detail, its links and its files (at most 3)."""
    typed = Typed({k: text(form, k, 2000) for k in ("channel", "detail", "links")})
    typed.values["announced_on"] = typed_day(form, "announced_on")
    v, errors = typed.values, typed.errors
    if v["channel"] not in {c for c, _ in CHANNELS}:
        errors["channel"] = "กรุณาเลือกช่องทางที่ประกาศ"
    on = parse_day(v["announced_on"], "วันที่ประกาศ", today, errors, "announced_on")
    if v["channel"] == Channel.OTHER.value and not v["detail"]:
        errors["detail"] = "ช่องทางอื่น: กรุณาระบุรายละเอียดว่าประกาศที่ใด"
    links: list[Evidence] = []
    for line in v["links"].replace("\r", "").split("\n"):
        if line.strip():
            try:
                links.append(Evidence.link(line.strip()))
            except DomainError as e:
                errors["links"] = f"{e.message}: {line.strip()[:80]}"
                break
    files = uploads(form, "files")
    if len(files) > MAX_FILES:
        errors["files"] = f"แนบไฟล์ได้ไม่เกิน {MAX_FILES} ไฟล์ต่อครั้ง"
    kept: list[Upload] = []
    for f in files[:MAX_FILES]:
        content = await f.read()
        media_type = sniff_media_type(content) if content else None
        if media_type is None:
            errors["files"] = f"ไฟล์ {f.filename} ต้องเป็น PDF, JPEG, PNG, DOCX หรือ XLSX"
        elif len(content) > MAX_EVIDENCE_BYTES:
            errors["files"] = f"ไฟล์ {f.filename} มีขนาดเกิน 20 MB"
        else:
            kept.append(Upload(f.filename, content, media_type))
    return typed, on, links, kept
