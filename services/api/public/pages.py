"""The public page of each LAO, /p/<code>: no sign-in, only what the LAO has published.

Everything here is read from the public read model in a transaction switched to the database
role ``sujarit_public`` (infra.queries.public), which can read the public tables and the
register of organisations and nothing else. Files are served only when the public read model
lists them (the signed declaration, the announcements' evidence, the signed promulgation);
step evidence is never public.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import asdict
from typing import Any
from urllib.parse import quote

import msgspec
import segno
from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Template

from domain.declarations.declaration import Channel
from domain.plans.values import ItemKind
from services.api.caching import etag_of, not_modified
from services.api.i18n import lang_var
from services.api.pages.common import AnyRequest, page, view_context
from services.api.state import Services
from services.usecases import open_data
from services.usecases import public as usecase

CHANNEL_TH = {c.value: c.thai for c in Channel}
KIND_TH = {k.value: k.thai for k in ItemKind}
STATUS_TH = {"scheduled": "ยังไม่เริ่ม", "in_progress": "กำลังดำเนินการ", "completed": "เสร็จแล้ว"}
# Public, but it changes when the LAO records progress: a short shared cache; the language
# comes from a cookie, so caches keep one copy per cookie.
CACHE = {"Cache-Control": "public, max-age=60", "Vary": "Cookie"}


def not_found_public() -> Template:
    return page(
        "message.html",
        404,
        title="ไม่พบหน้าข้อมูลสาธารณะนี้",
        message="ไม่พบองค์กรปกครองส่วนท้องถิ่นหรือรายการตามที่อยู่นี้ "
        "กรุณาตรวจสอบรหัส อปท. ในที่อยู่อีกครั้ง (เช่น /p/6470101)",
        link="/",
        link_text="กลับหน้าแรก",
    )


def shown_org(org: Any) -> dict[str, Any]:
    """The LAO as its public pages show it: its English name (from the register) on the
    English pages when it has one; ``name_lang`` marks which language the name is in."""
    out = asdict(org)
    english = lang_var.get() == "en" and bool(org.name_en)
    out["name"] = org.name_en if english else org.name
    out["name_lang"] = "en" if english else "th"
    return out


def public_url(services: Services, code: str, path: str = "") -> str:
    """The full, shareable address of an LAO's public page (settings.base_url)."""
    return f"{services.settings.base_url.rstrip('/')}/p/{quote(code)}{path}"


def qr_svg(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=False, title=url)
    return out.getvalue()


class PublicPages(Controller):
    path = "/p/{code:str}"
    include_in_schema = False

    @get("/")
    async def lao(
        self, code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template | Response[bytes]:
        wanted = str(request.query_params.get("plan", ""))[:40]
        shown = await usecase.lao_page(services, code, wanted)
        if shown is None:
            return not_found_public()
        # The page's ETag: what it shows (the use case's version) in the language it is in.
        etag = f'"{shown.version}-{lang_var.get()}"'
        headers = {**CACHE, "ETag": etag}
        if unchanged := not_modified(request, etag, headers):
            return unchanged
        return page(
            "public.html",
            org=shown_org(shown.org),
            title=shown_org(shown.org)["name"],
            home_url=f"/p/{shown.org.code}",
            channel_th=CHANNEL_TH,
            kind_th=KIND_TH,
            page_url=public_url(services, shown.org.code),
            headers=headers,
            **view_context(shown, leave_out=("org", "version")),
        )

    @get("/qr.svg", media_type="image/svg+xml")
    async def qr(self, code: FromPath[str], services: Dep[Services]) -> Response[bytes] | Template:
        """The page's full address as a QR code, for the notice board (SVG, from our origin)."""
        if not await usecase.exists(services, code):
            return not_found_public()
        return Response(
            qr_svg(public_url(services, code)),
            media_type="image/svg+xml",
            headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
        )

    @get("/data.json", media_type="application/json")
    async def data_json(
        self, code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Response[bytes] | Template:
        """The LAO's published data, table by table (the columns of docs/open-data.md)."""
        data = await open_data.lao_data(services, code)
        if data is None:
            return not_found_public()
        body = {
            "lao_code": data.code,
            "page": public_url(services, data.code),
            "license": open_data.LICENSE["url"],
            "schema": f"{services.settings.base_url.rstrip('/')}/open-data/",
            **data.tables,
        }
        content = msgspec.json.encode(body)
        headers = {**CACHE, "ETag": etag_of(content)}
        return not_modified(request, headers["ETag"], headers) or Response(
            content, media_type="application/json", headers=headers
        )

    @get("/data.csv", media_type="text/csv")
    async def data_csv(
        self, code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Response[bytes] | Template:
        """The LAO's items with their plan, progress and budget, one row each."""
        data = await open_data.lao_data(services, code)
        if data is None:
            return not_found_public()
        content = open_data.items_csv(data).encode()
        headers = {
            **CACHE,
            "ETag": etag_of(content),
            "Content-Disposition": f'attachment; filename="{data.code}-items.csv"',
        }
        return not_modified(request, headers["ETag"], headers) or Response(
            content, media_type="text/csv; charset=utf-8", headers=headers
        )

    @get("/items/{item_id:uuid}")
    async def item(
        self, code: FromPath[str], item_id: FromPath[uuid.UUID], services: Dep[Services]
    ) -> Template:
        shown = await usecase.item_page(services, code, item_id)
        if shown is None:
            return not_found_public()
        item = shown.item
        return page(
            "public_item.html",
            org=shown_org(shown.org),
            title=item["name"],
            home_url=f"/p/{shown.org.code}",
            item=item,
            plan=shown.plan,
            kind_th=KIND_TH,
            status_th=STATUS_TH,
            today=shown.today,
            headers=CACHE,
        )

    @get("/files/{sha256:str}", media_type="application/octet-stream")
    async def file(
        self, code: FromPath[str], sha256: FromPath[str], services: Dep[Services]
    ) -> Response[bytes] | Template:
        found = await usecase.public_file(services, code, sha256)
        if found is None:
            return not_found_public()
        return Response(
            found.content,
            media_type=found.media_type,
            headers={
                "Content-Disposition": f"{'inline' if found.inline else 'attachment'}; "
                f"filename*=UTF-8''{quote(found.name)}",
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "public, max-age=86400, immutable",
            },
        )
