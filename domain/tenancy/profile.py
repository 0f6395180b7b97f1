"""The LAO's profile as e-PlanNACC asks it: population, area, income (the last fiscal year's
revenue), the coordinator of the plan (name, position, phone, email) and the website.
One stream per tenant; a save that changes nothing records nothing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event

_STREAM_NAMESPACE = uuid.UUID("5b0e9d7a-2c41-4f83-a6e2-8d17c3b94f05")
MAX_POPULATION = 10_000_000  # Bangkok is not an LAO of this kind; the largest city is far below
MAX_AREA = Decimal("25000.00")  # km²: larger than any province's PAO
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
_PHONE = re.compile(r"^[0-9 +\-()#,]{0,40}$")


class InvalidProfile(DomainError):
    code = "invalid-profile"


@dataclass(frozen=True)
class LaoProfileSet(Event):
    population: int | None
    area_km2: Decimal | None
    income: int | None  # satang
    coordinator_name: str
    coordinator_position: str
    coordinator_phone: str
    coordinator_email: str
    website: str


PROFILE_EVENTS: tuple[type[Event], ...] = (LaoProfileSet,)
EMPTY = LaoProfileSet(None, None, None, "", "", "", "", "")


def profile_stream_id(tenant_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(_STREAM_NAMESPACE, str(tenant_id))


def check(p: LaoProfileSet) -> dict[str, str]:
    """Errors by field (empty: valid)."""
    errors = {}
    if p.population is not None and not 0 <= p.population <= MAX_POPULATION:
        errors["population"] = "จำนวนประชากรต้องเป็นจำนวนเต็ม 0 ถึง 10,000,000 คน"
    if p.area_km2 is not None and not Decimal(0) <= p.area_km2 <= MAX_AREA:
        errors["area_km2"] = "พื้นที่ต้องอยู่ระหว่าง 0 ถึง 25,000 ตารางกิโลเมตร"
    if p.income is not None and not 0 <= p.income <= 10_000_000_000 * 100:
        errors["income"] = "รายได้ต้องไม่ติดลบและไม่เกิน 10,000 ล้านบาท"
    for field, limit in (
        ("coordinator_name", 200),
        ("coordinator_position", 200),
        ("website", 300),
    ):
        if len(getattr(p, field)) > limit:
            errors[field] = f"ยาวได้ไม่เกิน {limit} ตัวอักษร"
    if p.coordinator_email and not _EMAIL.match(p.coordinator_email):
        errors["coordinator_email"] = "อีเมลไม่ถูกต้อง เช่น plan@example.go.th"
    if not _PHONE.match(p.coordinator_phone):
        errors["coordinator_phone"] = "โทรศัพท์ใช้ได้เฉพาะตัวเลข เว้นวรรค + - ( ) เช่น 042 123 456"
    if p.website and not p.website.startswith(("https://", "http://")):
        errors["website"] = "เว็บไซต์ต้องขึ้นต้นด้วย https:// หรือ http://"
    return errors


class LaoProfile(Aggregate):
    stream_type = "lao_profile"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.profile = EMPTY

    def set(self, p: LaoProfileSet) -> bool:
        if errors := check(p):
            raise InvalidProfile(" ".join(errors.values()), fields=errors)
        if p == self.profile:
            return False
        self._record(p)
        return True

    def _on_LaoProfileSet(self, e: LaoProfileSet) -> None:
        self.profile = e
