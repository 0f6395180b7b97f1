"""Heading 10 of the item page: define an output indicator (at least / exactly / at most N of a
unit, or a percentage) or an outcome, through the ordinary DefineIndicator command."""

from __future__ import annotations

import re
from functools import partial

from litestar import post
from litestar.di import NamedDependency as Dep
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.plans.values import Comparator, OutcomeIndicator, OutputIndicator
from services.api.pages.common import number_of, text
from services.api.plans.item_pages import ItemController, ItemPage, item_form

_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


class IndicatorPages(ItemController):
    @post("/indicators")
    async def define(self, ip: Dep[ItemPage]) -> Template | Redirect:
        a = "add-indicator"
        probe = partial(c.DefineIndicator, indicator=OutcomeIndicator("", ""))
        form, _ = await item_form(ip, probe, a)
        plan_id, item_id = ip.plan_id, ip.item_id
        keys = ("kind", "id", "text", "comparator", "target", "unit")
        typed = {f"{a}-{k}": text(form, k, 2000) for k in keys}
        errors: dict[str, str] = {}
        kind = typed[f"{a}-kind"]
        if kind not in ("output", "outcome"):
            errors[f"{a}-kind"] = "กรุณาเลือกว่าเป็นผลผลิตหรือผลลัพธ์"
        ident = typed[f"{a}-id"].strip()
        if not _ID.match(ident):
            errors[f"{a}-id"] = "รหัสตัวชี้วัดใช้ตัวอักษรอังกฤษหรือตัวเลข เช่น o4 (ไม่เกิน 40 ตัว)"
        if not typed[f"{a}-text"]:
            errors[f"{a}-text"] = "กรุณากรอกข้อความตัวชี้วัด"
        indicator: OutputIndicator | OutcomeIndicator | None = None
        if kind == "output":
            target = number_of(typed[f"{a}-target"])
            if target is None:
                errors[f"{a}-target"] = "กรุณากรอกเป้าหมายเป็นตัวเลข เช่น 1 หรือ 80"
            if typed[f"{a}-comparator"] not in ("at_least", "exactly", "at_most"):
                errors[f"{a}-comparator"] = "กรุณาเลือก อย่างน้อย / จำนวน / ไม่เกิน"
            if not typed[f"{a}-unit"]:
                errors[f"{a}-unit"] = "กรุณากรอกหน่วย เช่น ครั้ง ฉบับ หรือ % สำหรับร้อยละ"
            if not errors and target is not None:
                indicator = OutputIndicator(
                    ident,
                    typed[f"{a}-text"][:1000],
                    Comparator(typed[f"{a}-comparator"]),
                    target,
                    typed[f"{a}-unit"][:50],
                )
        elif kind == "outcome" and not errors:
            indicator = OutcomeIndicator(ident, typed[f"{a}-text"][:1000])
        if errors or indicator is None:
            return await ip.render(status=400, errors=errors, typed=typed, open_form=a)
        return await ip.run(
            form,
            c.DefineIndicator(plan_id, item_id, indicator),
            "indicator",
            anchor=a,
            fields={"indicator_id": f"{a}-id", "target": f"{a}-target", "unit": f"{a}-unit"},
            typed=typed,
            done="indicator",
        )
