"""The history page: the tenant's timeline (who did what, when) in plain Thai, newest first,
filtered by kind, "load more" with HTMX; and the way into the plan "as of" a past day."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import get
from litestar.di import NamedDependency as Dep
from litestar.response import Template

from domain.complaints.complaint import CHANNEL_NAMES, OUTCOME_NAMES
from domain.declarations.declaration import Channel
from domain.plans.templates import LEGACY_TEMPLATE_ID, TEMPLATES
from domain.plans.values import ItemKind
from domain.reporting.rounds import ReportingRound
from domain.shared.thai import grouped, plain_number
from domain.tenancy.members import ROLE_NAMES_TH
from services.api.i18n import lang_var, translator
from services.api.pages.filters import be_date
from services.api.pages.visit import LaoPages, Visit
from services.usecases import registers as usecase

PAGE_SIZE = 30
SIGN_INS = ("SignedIn", "SignInFailed")
# kind -> (label, stream types, event types shown: None = all but the sign-ins)
KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...] | None]] = {
    "all": ("ทั้งหมด (ยกเว้นการเข้าสู่ระบบ)", (), None),
    "plan": ("แผนและรายการ", ("plan", "item"), None),
    "declaration": ("ประกาศเจตจำนง", ("declaration",), None),
    "complaint": ("ข้อร้องเรียน", ("complaint",), None),
    "member": ("สมาชิกและสิทธิ์", ("member",), None),
    "review": ("ความเห็นและคำขอแก้ไขจากจังหวัด", ("review",), None),
    "signin": ("การเข้าสู่ระบบ", ("member",), SIGN_INS),
}
# What most events say: each fills in what it has of the event's fields (step, title, item,
# due, on, reason, number, name, kind, first, last, text, round) and ``who`` (the member the
# event is about); the events that say more are cases of ``sentence``.
SENTENCES = {
    "PlanDrafted": "สร้างร่างแผน “{title}” ปีงบประมาณ พ.ศ. {first}–{last} ตามแม่แบบ {template}",
    "PlanDetailsChanged": "แก้ไขแผนเป็น “{title}” ปีงบประมาณ พ.ศ. {first}–{last}",
    "CatalogueChanged": "แก้ไขบัญชีมิติและภารกิจของแผน",
    "ItemAdded": "เพิ่ม{kind} {number} “{name}” ในแผน",
    "ItemAdditionApproved": "ผู้บริหารอนุมัติรายการ {item} ที่เพิ่มหลังประกาศใช้แผน เมื่อ {on}",
    "ItemAdditionReturned": (
        "ผู้บริหารส่งคืนรายการ {item} ที่เพิ่มหลังประกาศใช้แผนให้ปรับปรุง (เหตุผล: {reason})"
    ),
    "ItemRenumbered": "เปลี่ยนเลขที่รายการเป็น {number}",
    "ItemWithdrawn": "ถอนรายการออกจากแผน (เหตุผล: {reason})",
    "PlanClosed": "ปิดแผน เมื่อ {on}",
    "PlanMadeCurrent": "ตั้งเป็นแผนที่ใช้อยู่ในปัจจุบัน ตั้งแต่ {on}",
    "ItemHeadingsEdited": "แก้ไขรายละเอียดของรายการ {item}",
    "NoBudgetDeclared": "ระบุว่ารายการ {item} ไม่ใช้งบประมาณ",
    "StepScheduled": "กำหนดขั้นตอน {step} “{title}” ของ {item} (กำหนดเสร็จ {due})",
    "StepDueDateSet": "กำหนดวันเสร็จของขั้นตอน {step} ของ {item} เป็น {due}",
    "StepRescheduled": "เลื่อนกำหนดขั้นตอน {step} ของ {item} เป็น {due} (เหตุผล: {reason})",
    "StepStarted": "บันทึกว่าเริ่มขั้นตอน {step} ของ {item} เมื่อ {on}",
    "StepCompleted": "บันทึกว่าขั้นตอน {step} ของ {item} เสร็จแล้ว (เมื่อ {on})",
    "StepReopened": "เปิดขั้นตอน {step} ของ {item} ใหม่ (เหตุผล: {reason})",
    "DeclarationDrafted": "ร่างประกาศเจตจำนงต่อต้านการทุจริต",
    "DeclarationPublished": "ลงนามประกาศเจตจำนงต่อต้านการทุจริต เมื่อ {on}",
    "ComplaintTakenUp": "เริ่มดำเนินการเรื่องร้องเรียน เมื่อ {on}",
    "CountedResultOverridden": (
        "แก้ผลที่ระบบนับของตัวชี้วัด {indicator} ของ {item} ปีงบประมาณ {fy} เป็น {value} (เหตุผล: {reason})"
    ),
    "ItemRevisionProposed": (
        "เสนอแก้ไขรายละเอียดของรายการ {item} หลังประกาศใช้แผน รอผู้บริหารอนุมัติ (เหตุผล: {reason})"
    ),
    "ItemRevisionApproved": "ผู้บริหารอนุมัติการแก้ไขรายละเอียดของรายการ {item} เมื่อ {on}",
    "ItemRevisionReturned": (
        "ผู้บริหารส่งคืนการแก้ไขรายละเอียดของรายการ {item} ให้ปรับปรุง (เหตุผล: {reason})"
    ),
    "LaoProfileSet": "แก้ไขข้อมูลองค์กร (ประชากร พื้นที่ รายได้ ผู้ประสานงาน เว็บไซต์)",
    "RoundEntriesRecorded": "บันทึกผลการดำเนินงาน {round}",
    "PasswordChanged": "ตั้งรหัสผ่านใหม่ของ {who}",
    "MemberDisabled": "ระงับบัญชีของ {who}",
    "MemberEnabled": "เปิดใช้บัญชีของ {who} อีกครั้ง",
    "SignedIn": "{who} เข้าสู่ระบบ",
    "ApiTokenCreated": "สร้าง API token “{name}”",
    "ApiTokenRevoked": "ยกเลิก API token",
    "ReviewCommented": "สำนักงานจังหวัดให้ความเห็น: {text}",
    "RevisionRequested": "สำนักงานจังหวัดขอให้แก้ไข: {text}",
    "RevisionAnswered": "ตอบคำขอแก้ไขของจังหวัด: {text}",
    "RevisionResolved": "สำนักงานจังหวัดปิดคำขอแก้ไข",
    "ReportGenerated": "จัดทำรายงานผลการดำเนินงาน {round}",
    "ReportSubmitted": "ส่งรายงานผลการดำเนินงาน {round} ถึงจังหวัด",
    "PlanTableIssued": "ออกบัญชีโครงการของแผนพร้อมเครื่องหมายบันทึกสาธารณะ",
}
SIGN_IN_REASONS = {
    "wrong_password": "รหัสผ่านไม่ถูกต้อง",
    "disabled": "บัญชีถูกระงับ",
    "not_joined": "ยังไม่ได้ตอบรับคำเชิญ",
    "unknown_account": "ไม่มีบัญชีนี้",
    "throttled": "พยายามหลายครั้งเกินไป",
}


def _money(value: Any) -> str:
    try:
        return grouped(Decimal(str(value)), places=2)
    except (InvalidOperation, ValueError):
        return str(value)


def _day(value: Any) -> str:
    try:
        return be_date(value)
    except (TypeError, ValueError):
        return str(value or "")


def _number(value: Any) -> str:
    try:
        return plain_number(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value or "")


def _round(code: Any) -> str:
    """ "2569-6" -> the round as people say it (รอบ ๖ เดือน ปีงบประมาณ ...)."""
    try:
        return str(ReportingRound.parse(str(code)))
    except (ValueError, TypeError):
        return f"รอบ {code}" if code else ""


def _template(template_id: Any) -> str:
    t = TEMPLATES.get(str(template_id or LEGACY_TEMPLATE_ID))
    return t.title if t is not None else str(template_id)


def _due(d: dict[str, Any], f: Callable[..., str]) -> str:
    if d.get("due"):
        return _day(d["due"])
    if d.get("fiscal_year"):
        return f("ภายในปีงบประมาณ {fy}", fy=d["fiscal_year"])
    return "—"


def sentence(row: Any, _: Callable[[str], str]) -> str:
    """What happened, as a plain sentence (the actor is shown beside it)."""
    d: dict[str, Any] = row["data"] if isinstance(row["data"], dict) else {}
    item = row["item_number"] or _("รายการหนึ่ง")
    subject = row["subject_name"] or row["subject_email"] or _("สมาชิกคนหนึ่ง")
    kind = ItemKind(d["kind"]).thai if d.get("kind") in ItemKind._value2member_map_ else ""

    def f(said: str, /, **values: Any) -> str:
        return _(said).format(**values)

    match row["event_type"]:
        case event if event in SENTENCES:
            return f(
                SENTENCES[event],
                who=subject,
                item=item,
                kind=_(kind),
                step=d.get("number", ""),
                number=d.get("number", ""),
                name=d.get("name", ""),
                title=d.get("title", ""),
                first=d.get("first_year", ""),
                last=d.get("last_year", ""),
                due=_due(d, f),
                on=_day(d.get("on")),
                reason=d.get("reason") or "—",
                text=str(d.get("text", ""))[:200],
                round=_round(d.get("round")),
                template=_template(d.get("template_id")),
                indicator=d.get("indicator_id", ""),
                fy=d.get("fiscal_year", ""),
                value=_number(d.get("value")),
            )
        case "ComplaintResolved":
            outcome = OUTCOME_NAMES.get(d.get("outcome", ""), "")
            return f(
                "ยุติเรื่องร้องเรียน เมื่อ {on} (ผล: {outcome})",
                on=_day(d.get("on")),
                outcome=_(outcome) if outcome else _("ไม่ได้บันทึก"),
            )
        case "PlanPromulgated":
            return f(
                "บันทึกการประกาศใช้แผน เมื่อ {on} โดย {who}",
                on=_day(d.get("on")),
                who=d.get("executive", ""),
            )
        case "BudgetSet":
            amounts = d.get("amounts") or {}
            text = ", ".join(
                f(
                    "ปี {year}: {amount} บาท",
                    year=y,
                    amount=_money(a),
                )
                for y, a in sorted(amounts.items())
            )
            return f("กำหนดงบประมาณของรายการ {item} ({amounts})", item=item, amounts=text or "—")
        case "OutputIndicatorDefined" | "OutcomeIndicatorDefined":
            ind = d.get("indicator") or {}
            template = (
                "กำหนดตัวชี้วัดผลผลิตของ {item}: “{text}”"
                if row["event_type"] == "OutputIndicatorDefined"
                else "กำหนดตัวชี้วัดผลลัพธ์ของ {item}: “{text}”"
            )
            return f(template, item=item, text=ind.get("text", ""))
        case "IndicatorResultRecorded":
            return f(
                "บันทึกผลตัวชี้วัดของ {item} ปีงบประมาณ {fy}: {value}",
                item=item,
                fy=d.get("fiscal_year", ""),
                value=_number(d.get("value")),
            )
        case "DeclarationAnnounced":
            ch = d.get("channel", "")
            channel = Channel(ch).thai if ch in Channel._value2member_map_ else str(ch)
            return f(
                "เผยแพร่ประกาศเจตจำนงทาง{channel} เมื่อ {on}",
                channel=_(channel),
                on=_day(d.get("on")),
            )
        case "ComplaintReceived":
            return f(
                "รับข้อร้องเรียนเรื่อง{category} ทาง{channel} เมื่อ {on}",
                category=d.get("category", ""),
                channel=_(CHANNEL_NAMES.get(d.get("channel", ""), d.get("channel", ""))),
                on=_day(d.get("on")),
            )
        case "MemberInvited":
            return f(
                "เชิญ {name} ({email}) เป็น{role}",
                name=d.get("name", ""),
                email=d.get("email", ""),
                role=_(ROLE_NAMES_TH.get(d.get("role", ""), d.get("role", ""))),
            )
        case "MemberJoined":
            return f("{name} ตอบรับคำเชิญและตั้งรหัสผ่านแล้ว", name=d.get("name") or subject)
        case "MemberRoleChanged":
            return f(
                "เปลี่ยนบทบาทของ {who} จาก{old}เป็น{new}",
                who=subject,
                old=_(ROLE_NAMES_TH.get(d.get("old_role", ""), d.get("old_role", ""))),
                new=_(ROLE_NAMES_TH.get(d.get("new_role", ""), d.get("new_role", ""))),
            )
        case "SignInFailed":
            return f(
                "เข้าสู่ระบบด้วยบัญชีของ {who} ไม่สำเร็จ ({reason})",
                who=subject,
                reason=_(SIGN_IN_REASONS.get(d.get("reason", ""), d.get("reason", ""))),
            )
        case "ReminderSent":
            return f("ส่งอีเมลแจ้งเตือนถึง {who}", who=d.get("recipient", ""))
    return _("บันทึกการเปลี่ยนแปลงอื่นในระบบ")


class HistoryPages(LaoPages):
    @get("/history")
    async def history(self, visit: Dep[Visit]) -> Template:
        kind = visit.query("kind") or "all"
        errors: dict[str, str] = {}
        if kind not in KINDS:
            errors["kind"] = "ไม่รู้จักประเภทนี้ จึงแสดงทั้งหมด"
            kind = "all"
        raw_before = visit.query("before")
        before = int(raw_before) if raw_before.isdigit() and len(raw_before) < 16 else None
        _, streams, events = KINDS[kind]
        rows = await usecase.history(
            visit.services,
            visit.actor,
            before,
            streams,
            events or (),
            SIGN_INS,
            PAGE_SIZE + 1,
        )
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        tr = translator(lang_var.get())
        entries = [
            {
                "sequence": r["sequence"],
                "at": r["recorded_at"],
                "what": sentence(r, tr),
                "who": r["actor_name"] or r["actor"] or tr("ระบบ"),
                "email": r["actor"] if r["actor_name"] else "",
                "item_number": r["item_number"],
            }
            for r in rows
        ]
        context: dict[str, Any] = {
            "entries": entries,
            "kind": kind,
            "kinds": [(k, v[0]) for k, v in KINDS.items()],
            "next_before": rows[-1]["sequence"] if more and rows else None,
            "today": visit.today,
            "first_page": before is None,
        }
        if visit.request.headers.get("hx-request") and before is not None:
            return visit.render("history_rows.html", **context)
        return visit.render(
            "history.html",
            400 if errors else 200,
            title="ประวัติการเปลี่ยนแปลง",
            errors=errors,
            **context,
        )
