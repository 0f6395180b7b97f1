"""The cover letter (หนังสือนำส่ง) of a round's report to the provincial office, as PDF and
.docx: composed from the same data as the report (read as of today), the LAO's register entry,
its executive and profile; only the letter's number, date, addressee and reference are typed."""

from __future__ import annotations

from domain.reporting.letter import LetterInput, LetterParty, cover_letter
from domain.shared.access import Action, Actor
from infra.documents.docx import cover_letter_docx
from infra.documents.pdf import cover_letter_pdf
from infra.queries import letters as q
from infra.reporting import read_progress_report
from services.usecases.bootstrap import Services
from services.usecases.profile import profile
from services.usecases.reports import parse_round
from services.usecases.rounds import Export
from services.usecases.scope import authorize, need_tenant, reading, today

FORMATS = ("pdf", "docx")
UNIT = "สำนักงานปลัด งานกฎหมายและคดี"


async def cover_letter_file(
    services: Services, actor: Actor, round_code: str, fmt: str, given: LetterInput
) -> Export:
    authorize(actor, Action.READ)
    need_tenant(actor)
    on = today(services.clock)
    rnd = parse_round(round_code, on)
    async with reading(services, actor) as conn:
        report = await read_progress_report(conn, actor.tenant_id, rnd, on)
        found = await q.letter_party(conn, actor.tenant_id)
    p, _ = await profile(services, actor)
    who = " ".join(x for x in (p.coordinator_name, p.coordinator_position) if x)
    unit = f"{UNIT} ({who})" if who else UNIT
    party = LetterParty(
        found["kind"],
        found["office"],
        found["executive"],
        unit,
        p.coordinator_phone,
        p.coordinator_email,
    )
    letter = cover_letter(report, party, given, on)
    code = actor.tenant_code
    th, ascii_name = f"หนังสือนำส่ง-{code}-{rnd.code}", f"sujarit-cover-letter-{code}-{rnd.code}"
    at = services.clock.now()
    if fmt == "docx":
        return Export(cover_letter_docx(letter, at), "docx", th, ascii_name)
    return Export(cover_letter_pdf(letter, at), "pdf", th, ascii_name)
