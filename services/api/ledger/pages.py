"""/p/<code>/verify: a citizen checks, in the browser, that a document is the one the LAO
recorded (static/ledger_verify.js: WebCrypto SHA-256 and Ed25519; the file never leaves the
device, only its SHA-256 is sent to find its record). /t/operator/log: the operator's console
of the witnesses' refusals, every LAO."""

from __future__ import annotations

import json
from functools import cache

from litestar import Controller, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Template

from services.api.i18n import HERE, lang_var
from services.api.pages.common import not_found, page
from services.api.pages.visit import OrgPages, Visit
from services.api.public.pages import not_found_public
from services.api.state import Services
from services.usecases import ledger_public as lp


@cache
def _script_messages() -> dict[str, str]:
    """The verify script's texts in English (Thai -> English), given to it on English pages."""
    found: dict[str, str] = json.loads((HERE / "verify_js.json").read_text(encoding="utf-8"))
    return found


class LedgerPages(Controller):
    path = "/p/{code:str}"
    include_in_schema = False

    @get("/verify")
    async def verify(self, code: FromPath[str], services: Dep[Services]) -> Template:
        try:
            async with lp.public(services.db, code) as (_, org):
                pass
            alarms = await lp.alarms(services.db, code)
        except lp.UnknownLog:
            return not_found_public()
        return page(
            "ledger_verify.html",
            title=f"ตรวจสอบเอกสารของ{org.name_th}",
            org={"name": org.name_th, "code": org.code},
            home_url=f"/p/{org.code}",
            alarms=alarms,
            base_url=services.settings.base_url,
            messages=_script_messages() if lang_var.get() == "en" else {},
            headers={"Cache-Control": "public, max-age=60", "Vary": "Cookie"},  # its language
        )


class OperatorLogPage(OrgPages):
    @get("/log")
    async def console(self, visit: Dep[Visit]) -> Template:
        if visit.viewer.scope != "operator" or visit.org.scope.value != "operator":
            return not_found()
        return page(
            "ledger_console.html",
            title="บันทึกสาธารณะ: การปฏิเสธของผู้รับรอง",
            session=visit.viewer,
            alarms=await lp.all_alarms(visit.services.db),
        )
