"""/api/v1/evidence: upload a file (type checked by its bytes), download it again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.exceptions import ValidationException
from litestar.params import FromPath, MultipartBody

from domain.plans.values import MAX_EVIDENCE_BYTES
from domain.shared.access import Action, Actor
from infra.logs import tenant_var
from services.api.state import Services
from services.api.v1.common import PROBLEMS
from services.usecases import evidence as usecase
from services.usecases.scope import authorize


@dataclass
class UploadForm:
    """multipart/form-data with one file in the field ``data``."""

    data: UploadFile


class EvidenceController(Controller):
    path = "/api/v1/evidence"
    tags = ["evidence"]  # noqa: RUF012

    @post("/", request_max_body_size=MAX_EVIDENCE_BYTES + 1024 * 1024, responses=PROBLEMS)
    async def upload(
        self, data: MultipartBody[UploadForm], actor: Dep[Actor], services: Dep[Services]
    ) -> Response[Any]:
        """Upload one evidence file (multipart field ``data``): PDF, JPEG, PNG, DOCX or XLSX
        up to 20 MB, recognised by its content. Returns its SHA-256, by which commands cite it."""
        authorize(actor, Action.RECORD_PROGRESS)  # a role that may not: 403 whatever it sent
        upload = data.data
        if not isinstance(upload, UploadFile):
            raise ValidationException("ต้องส่งไฟล์หลักฐานหนึ่งไฟล์ในช่อง data (multipart/form-data)")
        kept = await usecase.upload(services, actor, upload.filename, await upload.read())
        return Response(
            {
                "sha256": kept.sha256,
                "name": kept.name,
                "media_type": kept.media_type,
                "size": kept.size,
            },
            status_code=201,
        )

    @get("/{sha256:str}", responses=PROBLEMS, media_type="application/octet-stream")
    async def download(
        self, sha256: FromPath[str], actor: Dep[Actor], services: Dep[Services]
    ) -> Response[bytes]:
        found = await usecase.download(services, actor, sha256)
        tenant_var.set(actor.tenant_code)
        return Response(
            found.content,
            media_type=found.media_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.name)}",
                "X-Content-Type-Options": "nosniff",
            },
        )
