"""An item added to a promulgated plan waits for the executive: the item page says so, and
the executive approves it (from the day typed, วัน / เดือน / ปี พ.ศ.) or returns it with what
to change. The same commands and rules as the API's .../addition/approval and .../return."""

from __future__ import annotations

from typing import Any

from litestar import post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.shared.access import Forbidden
from domain.shared.errors import DomainError, NotFound
from services.api.edge import form_call
from services.api.pages.bedays import read_day, typed_day
from services.api.pages.common import AnyRequest, not_found, posted, text
from services.api.plans.item_pages import ItemController, ItemPage
from services.usecases import plans as plan_cases
from services.usecases.scope import today

ANCHOR = "addition"


class AdditionPages(ItemController):
    @post("/addition/{act:str}")
    async def decide(
        self, ip: Dep[ItemPage | None], act: FromPath[str], request: AnyRequest
    ) -> Template | Redirect:
        if ip is None or act not in ("approve", "return"):
            return not_found()
        form = await posted(request, ip.viewer)
        a = f"{ANCHOR}-{act}"
        actor = ip.actor
        typed: dict[str, Any] = {f"{a}-reason": text(form, "reason", 2000)}
        typed[f"{a}-on"] = typed_day(form, "on")
        errors: dict[str, str] = {}
        cmd: c.ApproveItemAddition | c.ReturnItemAddition | None = None
        if act == "approve":
            on, problem = read_day(
                typed[f"{a}-on"], "วันที่อนุมัติ", today(ip.services.clock), past_only=True
            )
            if on is None:
                errors[f"{a}-on"] = problem
            else:
                cmd = c.ApproveItemAddition(ip.plan_id, ip.item_id, on, actor.role, actor.email)
        elif not typed[f"{a}-reason"]:
            errors[f"{a}-reason"] = "กรุณาระบุเหตุผลที่ส่งคืน เพื่อให้เจ้าหน้าที่แก้ไขได้ตรงจุด"
        else:
            reason = typed[f"{a}-reason"]
            cmd = c.ReturnItemAddition(ip.plan_id, ip.item_id, reason, actor.role, actor.email)
        if cmd is not None:
            try:
                await plan_cases.plan_command(
                    ip.services, actor, form_call(form, f"addition-{act}"), cmd
                )
            except Forbidden as e:
                return ip.refused(a, e)
            except NotFound:
                return not_found("ไม่พบรายการนี้")
            except DomainError as e:
                errors[a if e.details.get("field") != "reason" else f"{a}-reason"] = e.message
            else:
                done = "addition-approved" if act == "approve" else "addition-returned"
                return Redirect(f"{ip.url}?done={done}#{ANCHOR}", status_code=303)
        return await ip.render(status=400, errors=errors, typed=typed, open_form=a)
