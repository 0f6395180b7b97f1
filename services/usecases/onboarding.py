"""An LAO's first day: the checklist on its home page until every step is done."""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared.access import Action, Actor, may
from infra.queries import onboarding as queries
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize, reading


@dataclass(frozen=True)
class FirstStep:
    key: str
    title: str  # Thai
    hint: str  # Thai: what the step is and who does it
    path: str  # under /t/<code>
    done: bool
    yours: bool  # the actor's role may do it


# key, title, hint, page (under /t/<code>), what counts it as done, who does it
STEPS: tuple[tuple[str, str, str, str, str, Action], ...] = (
    (
        "plan",
        "เลือกรอบแผนและเริ่มร่างแผนปฏิบัติการ",
        "เริ่มจากแม่แบบรอบ 2566–2570 หรือนำเข้าแผนเดิม (Word, PDF) ที่มีอยู่แล้ว",
        "/plan",
        "plans",
        Action.EDIT_PLAN,
    ),
    (
        "members",
        "เชิญทีมงาน",
        "เชิญเจ้าหน้าที่ผู้รับผิดชอบแผน (งานกฎหมายและคดี) และผู้ปฏิบัติ ทางอีเมล",
        "/members",
        "team",
        Action.MANAGE_MEMBERS,
    ),
    (
        "declaration",
        "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร",
        "ร่างโดยผู้รับผิดชอบแผน ผู้บริหารลงนามและเผยแพร่ต่อสาธารณะ",
        "/declaration",
        "declared",
        Action.EDIT_DECLARATION,
    ),
    (
        "promulgate",
        "ประกาศใช้แผน",
        "เมื่อร่างแผนครบทุกหัวข้อ ผู้บริหารประกาศใช้แผน",
        "/plan",
        "promulgated",
        Action.PROMULGATE_PLAN,
    ),
    (
        "reminders",
        "ตั้งการแจ้งเตือนทางอีเมล",
        "กำหนดว่าจะเตือนก่อนครบกำหนดขั้นตอนกี่วัน",
        "/reminders",
        "reminders",
        Action.SET_REMINDER_POLICY,
    ),
)


async def checklist(services: Services, actor: Actor) -> list[FirstStep]:
    """The LAO's first steps, done or not; empty once every one is done."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        n = await queries.first_steps(conn)
    n["team"] = max(0, n.get("members", 0) - 1)  # someone besides the first member
    steps = [
        FirstStep(key, title, hint, path, n.get(count, 0) > 0, may(actor, action))
        for key, title, hint, path, count, action in STEPS
    ]
    return [] if all(s.done for s in steps) else steps
