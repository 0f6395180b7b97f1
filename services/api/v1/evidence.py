"""/api/v1/evidence: upload a file (type checked by its bytes), download it again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.exceptions import ValidationException
from litestar.params import FromPath, MultipartBody

from domain.plans.errors import ForbiddenEvidence
from domain.plans.values import MAX_EVIDENCE_BYTES, Evidence
from domain.shared.errors import DomainError, NotFound
from infra.evidence import file_name, keep_evidence
from infra.files import sniff_media_type
from infra.logs import tenant_var
from services.api.state import Services
from services.api.v1.auth import PROGRESS_ROLES, Principal
from services.api.v1.common import PROBLEMS


@dataclass
class UploadForm:
    """multipart/form-data with one file in the field ``data``."""

    data: UploadFile


class UnknownEvidence(DomainError):
    code = "unknown-evidence"


async def resolve_files(
    principal: Principal, services: Services, shas: list[str]
) -> tuple[Evidence, ...]:
    """The tenant's uploaded files named by SHA-256, in the order given."""
    if not shas:
        return ()
    async with principal.reading(services) as conn:
        rows = await conn.fetch(
            "SELECT sha256, name, media_type, size FROM evidence_files WHERE sha256 = ANY($1)",
            shas,
        )
    found = {r["sha256"]: r for r in rows}
    missing = [s for s in shas if s not in found]
    if missing:
        raise UnknownEvidence("ไม่พบไฟล์หลักฐานที่อ้างถึง กรุณาอัปโหลดก่อน", missing=missing)
    return tuple(
        Evidence.file(found[s]["name"], s, found[s]["media_type"], found[s]["size"]) for s in shas
    )


async def cited(
    principal: Principal, services: Services, links: Sequence[Any], files: list[str]
) -> tuple[Evidence, ...]:
    """The evidence a request cites: its links, then its uploaded files."""
    return (*(link.evidence() for link in links), *await resolve_files(principal, services, files))


class EvidenceController(Controller):
    path = "/api/v1/evidence"
    tags = ["evidence"]  # noqa: RUF012

    @post("/", request_max_body_size=MAX_EVIDENCE_BYTES + 1024 * 1024, responses=PROBLEMS)
    async def upload(
        self, data: MultipartBody[UploadForm], principal: Dep[Principal], services: Dep[Services]
    ) -> Response[Any]:
        """Upload one evidence file (multipart field ``data``): PDF, JPEG, PNG, DOCX or XLSX
        up to 20 MB, recognised by its content. Returns its SHA-256, by which commands cite it."""
        principal.require(PROGRESS_ROLES)
        upload = data.data
        if not isinstance(upload, UploadFile):
            raise ValidationException("ต้องส่งไฟล์หลักฐานหนึ่งไฟล์ในช่อง data (multipart/form-data)")
        content = await upload.read()
        media_type = sniff_media_type(content)
        if media_type is None:
            raise ForbiddenEvidence(
                "ไฟล์หลักฐานต้องเป็น PDF, JPEG, PNG, DOCX หรือ XLSX เท่านั้น (ตรวจจากเนื้อไฟล์)",
                filename=upload.filename,
            )
        name = file_name(upload.filename)
        evidence = await keep_evidence(
            services.db,
            services.files,
            principal.tenant_id,
            name,
            content,
            media_type,
            principal.actor,
        )
        return Response(
            {
                "sha256": evidence.sha256,
                "name": name,
                "media_type": media_type,
                "size": len(content),
            },
            status_code=201,
        )

    @get("/{sha256:str}", responses=PROBLEMS, media_type="application/octet-stream")
    async def download(
        self, sha256: FromPath[str], principal: Dep[Principal], services: Dep[Services]
    ) -> Response[bytes]:
        async with principal.reading(services) as conn:
            row = await conn.fetchrow(
                "SELECT name, media_type FROM evidence_files WHERE sha256 = $1", sha256
            )
        content = await services.files.get(sha256) if row is not None else None
        if row is None or content is None:
            raise NotFound("ไม่พบไฟล์หลักฐานนี้")
        tenant_var.set(principal.tenant_code)
        return Response(
            content,
            media_type=row["media_type"],
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row['name'])}",
                "X-Content-Type-Options": "nosniff",
            },
        )
