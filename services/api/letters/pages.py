"""The cover letter on the pages: GET /t/<code>/letters/<round>/cover-letter.pdf (or .docx)
with the optional fields the round table's form sends: number, date (BE), to, ref."""

from __future__ import annotations

from datetime import date

from litestar import Response, get
from litestar.di import NamedDependency as Dep
from litestar.response import Template

from domain.reporting.letter import MAX_ADDRESSEE, MAX_NUMBER, MAX_REFERENCE, LetterInput
from domain.shared.bedate import InvalidDay, parse_be_day
from domain.shared.errors import NotFound
from services.api.pages.common import not_found
from services.api.pages.visit import LaoPages, Visit
from services.api.rounds.pages import export_response
from services.usecases import letters as usecase
from services.usecases.reports import InvalidRound

FILES = {"cover-letter.pdf": "pdf", "cover-letter.docx": "docx"}


def letter_input(query: dict[str, str], day: date | None) -> LetterInput:
    """The clerk's fields (number, to, ref), cut to their limits, and the letter's date."""
    return LetterInput(
        number=query.get("number", "")[:MAX_NUMBER],
        on=day,
        addressee=query.get("to", "")[:MAX_ADDRESSEE],
        reference=query.get("ref", "")[:MAX_REFERENCE],
    )


class LetterPages(LaoPages):
    path = "/t/{org_code:str}/letters"

    @get("/{round_code:str}/{filename:str}")
    async def cover_letter(self, visit: Dep[Visit]) -> Response[bytes] | Template:
        params = visit.request.path_params
        filename, round_code = params["filename"], params["round_code"][:20]
        if filename not in FILES:
            return not_found()
        try:
            day = parse_be_day(visit.query("date")) if visit.query("date").strip() else None
        except InvalidDay as e:
            return visit.render(
                "message.html",
                400,
                title="วันที่ของหนังสือไม่ถูกต้อง",
                message=e.message,
                link=visit.url("/rounds/"),
                link_text="กลับไปหน้ารายงานผลรายรอบ",
            )
        given = letter_input({k: visit.query(k) for k in ("number", "to", "ref")}, day)
        try:
            found = await usecase.cover_letter_file(
                visit.services, visit.actor, round_code, FILES[filename], given
            )
        except (NotFound, InvalidRound):
            return not_found()
        return export_response(found)
