"""The operator's console: the register of LAOs (add one; import the national register from a
CSV, shown first as what it would add, change and leave, nothing written until the operator
applies exactly what was shown), and the onboarding funnel per province. Every change is an
event in the operator log."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from typing import Any

from domain.shared.access import Action, Actor
from domain.shared.errors import DomainError, NotFound
from domain.tenancy.members import RegisterChanged
from domain.tenancy.organisations import (
    COLUMNS,
    Organisation,
    RegisterChanges,
    read_organisations_csv,
    register_changes,
)
from infra.auth.orgs import OPERATOR, find_org, org_transaction, overview_transaction
from infra.queries import onboarding as queries
from infra.tenancy import write_organisations
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize

# The register's stream in the operator log.
REGISTER_STREAM = uuid.UUID("8d3c1f0e-5a7b-4e2d-9c61-0b4f2a8e7d15")


class RegisterHasProblems(DomainError):
    code = "register-problems"

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(
            "แก้ไขบรรทัดที่มีข้อผิดพลาดก่อน ไม่มีการเปลี่ยนแปลงทะเบียน: " + "; ".join(problems[:5]),
            problems=list(problems),
        )


class PreviewChanged(DomainError):
    code = "register-preview-changed"
    status = 409

    def __init__(self) -> None:
        super().__init__("ทะเบียนเปลี่ยนไปหลังจากที่คุณดูตัวอย่าง ยังไม่ได้บันทึกอะไร กรุณาตรวจสอบตัวอย่างใหม่อีกครั้ง")


class AlreadyRegistered(DomainError):
    code = "already-registered"
    status = 409


def fingerprint(changes: RegisterChanges) -> str:
    """What the operator saw: the rows to add and every field to change."""
    seen = repr(
        (
            [
                (o.code, o.name_th, o.name_en, o.kind, o.province.code, o.district)
                for o in changes.added
            ],
            [(c.code, c.fields) for c in changes.changed],
        )
    )
    return hashlib.sha256(seen.encode()).hexdigest()[:32]


async def _operator_org(services: Services) -> Any:
    async with services.db.acquire() as conn:
        return await find_org(conn, OPERATOR)


async def _current(services: Services, codes: list[str]) -> dict[str, Organisation]:
    async with services.db.acquire() as conn:
        return await queries.register_of(conn, codes)


async def preview(services: Services, actor: Actor, text: str) -> RegisterChanges:
    """What importing this CSV would add, change and leave, and its problems line by line."""
    authorize(actor, Action.OPERATE)
    incoming, problems = read_organisations_csv(text)
    current = await _current(services, [o.code for o in incoming])
    return register_changes(current, incoming, problems)


async def _write(
    services: Services,
    actor: Actor,
    changes: RegisterChanges,
    incoming: list[Organisation],
    how: str,
) -> None:
    wanted = set(changes.to_write)
    rows = [o for o in incoming if o.code in wanted]
    operator = await _operator_org(services)
    async with org_transaction(services.db, operator) as conn:
        await conn.execute("SELECT set_config('app.scope', 'operator', true)")
        await write_organisations(conn, rows)
    event = RegisterChanged(
        len(changes.added), len(changes.changed), ",".join(changes.to_write), how
    )
    await services.accounts.record_operator_access(operator, REGISTER_STREAM, event, actor.email)


async def apply(services: Services, actor: Actor, text: str, seen: str) -> RegisterChanges:
    """Import exactly what the operator saw in the preview (``seen``: its fingerprint)."""
    changes = await preview(services, actor, text)
    if changes.problems:
        raise RegisterHasProblems(changes.problems)
    if fingerprint(changes) != seen:
        raise PreviewChanged
    if changes.to_write:
        incoming, _ = read_organisations_csv(text)
        await _write(services, actor, changes, incoming, "import")
    return changes


def one_row(fields: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([fields.get(c, "") for c in COLUMNS])
    return out.getvalue()


async def add_lao(services: Services, actor: Actor, fields: dict[str, str]) -> Organisation:
    """Add one LAO to the register (a new code only: changes go through the import's preview)."""
    authorize(actor, Action.OPERATE)
    incoming, problems = read_organisations_csv(one_row(fields))
    if problems:
        raise DomainError(problems[0].removeprefix("บรรทัด 2: "))
    current = await _current(services, [incoming[0].code])
    if current:
        raise AlreadyRegistered(
            f"มี อปท. รหัส {incoming[0].code} ในทะเบียนแล้ว ({current[incoming[0].code].name_th}) "
            "การแก้ไขข้อมูลทำผ่านการนำเข้าทะเบียนซึ่งแสดงสิ่งที่จะเปลี่ยนก่อน"
        )
    changes = register_changes({}, incoming, [])
    await _write(services, actor, changes, incoming, "add")
    return incoming[0]


async def funnel(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """The onboarding funnel per province: the operator's of every province, a provincial
    office's of its own."""
    if actor.scope == "office":
        authorize(actor, Action.READ_PROVINCE)
        async with services.db.acquire() as conn:
            office = await find_org(conn, actor.org_code)
        if office is None:
            raise NotFound("ไม่พบหน่วยงานของคุณ")
        async with overview_transaction(services.db, office) as conn:
            return await queries.funnel(conn, office.province)
    authorize(actor, Action.OPERATE)
    operator = await _operator_org(services)
    async with overview_transaction(services.db, operator) as conn:
        return await queries.funnel(conn)
