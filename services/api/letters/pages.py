"""The cover letter on the pages: GET /t/<code>/letters/<round>/cover-letter.pdf (or .docx)
with the optional fields the round table's form sends: number, date (BE), to, ref."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.response import Template

from domain.reporting.letter import MAX_ADDRESSEE, MAX_NUMBER, MAX_REFERENCE, LetterInput
from domain.shared.bedate import InvalidDay, parse_be_day
from domain.shared.errors import NotFound
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import AnyRequest, not_found, page, provide_page_lao
from services.api.rounds.pages import export_response
from services.api.state import Services
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


class LetterPages(Controller):
    path = "/t/{org_code:str}/letters"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_lao)}  # noqa: RUF012

    @get("/{round_code:str}/{filename:str}")
    async def cover_letter(
        self, org: Dep[Org], request: AnyRequest, viewer: Dep[Session], services: Dep[Services]
    ) -> Response[bytes] | Template:
        filename, round_code = request.path_params["filename"], request.path_params["round_code"]
        query = {k: str(v) for k, v in request.query_params.items()}
        try:
            day = parse_be_day(query["date"]) if query.get("date", "").strip() else None
        except InvalidDay as e:
            back = f"/t/{org.code}/rounds/"
            return page(
                "message.html",
                400,
                session=viewer,
                org=org,
                title="วันที่ของหนังสือไม่ถูกต้อง",
                message=e.message,
                link=back,
                link_text="กลับไปหน้ารายงานผลรายรอบ",
            )
        if filename not in FILES:
            return not_found()
        given = letter_input(query, day)
        try:
            found = await usecase.cover_letter_file(
                services, actor_of_session(viewer), round_code[:20], FILES[filename], given
            )
        except (NotFound, InvalidRound):
            return not_found()
        return export_response(found)
