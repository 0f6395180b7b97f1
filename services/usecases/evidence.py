"""Evidence files: kept content-addressed (their type checked by their bytes) and listed in the
tenant's ``evidence_files``; cited by SHA-256 in commands; downloaded again by the tenant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.plans.errors import ForbiddenEvidence
from domain.plans.values import Evidence
from domain.shared.access import Action, Actor
from domain.shared.errors import DomainError, NotFound
from infra.evidence import file_name, keep_evidence
from infra.files import sniff_media_type
from infra.queries import evidence as queries
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize, reading


class UnknownEvidence(DomainError):
    code = "unknown-evidence"


@dataclass(frozen=True)
class Download:
    name: str
    media_type: str
    content: bytes


async def keep(
    services: Services,
    actor: Actor,
    action: Action,
    filename: str | None,
    content: bytes,
    media_type: str,
) -> Evidence:
    """Keep a file the caller checked (its ``media_type`` sniffed) for an ``action`` of the
    actor's (recording progress, publishing or announcing a declaration)."""
    authorize(actor, action)
    return await keep_evidence(
        services.db,
        services.files,
        actor.tenant_id,
        file_name(filename),
        content,
        media_type,
        actor.email,
    )


async def upload(
    services: Services, actor: Actor, filename: str | None, content: bytes
) -> Evidence:
    """An evidence file as sent: PDF, JPEG, PNG, DOCX or XLSX, recognised by its content."""
    authorize(actor, Action.RECORD_PROGRESS)
    media_type = sniff_media_type(content)
    if media_type is None:
        raise ForbiddenEvidence(
            "ไฟล์หลักฐานต้องเป็น PDF, JPEG, PNG, DOCX หรือ XLSX เท่านั้น (ตรวจจากเนื้อไฟล์)",
            filename=filename,
        )
    return await keep(services, actor, Action.RECORD_PROGRESS, filename, content, media_type)


async def resolve_files(
    services: Services, actor: Actor, shas: Sequence[str]
) -> tuple[Evidence, ...]:
    """The tenant's uploaded files named by SHA-256, in the order given."""
    if not shas:
        return ()
    async with reading(services, actor) as conn:
        found = await queries.files(conn, shas)
    missing = [s for s in shas if s not in found]
    if missing:
        raise UnknownEvidence("ไม่พบไฟล์หลักฐานที่อ้างถึง กรุณาอัปโหลดก่อน", missing=missing)
    return tuple(
        Evidence.file(found[s]["name"], s, found[s]["media_type"], found[s]["size"]) for s in shas
    )


async def cited(
    services: Services, actor: Actor, links: Sequence[Evidence], files: Sequence[str]
) -> tuple[Evidence, ...]:
    """The evidence a command cites: its links, then its uploaded files."""
    return (*links, *await resolve_files(services, actor, files))


async def download(services: Services, actor: Actor, sha256: str) -> Download:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        row = await queries.one_file(conn, sha256)
    content = await services.files.get(sha256) if row is not None else None
    if row is None or content is None:
        raise NotFound("ไม่พบไฟล์หลักฐานนี้")
    return Download(row["name"], row["media_type"], content)
