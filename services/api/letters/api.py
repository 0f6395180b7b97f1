"""/api/v1: the cover letter of a round's report, as PDF or .docx. Query: number, date (ISO
8601, CE), to, ref (all optional)."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep
from litestar.di import Provide

from domain.reporting.letter import LetterInput
from domain.shared.access import Actor
from domain.shared.bedate import iso_day
from domain.shared.errors import NotFound
from services.api.letters.pages import FILES, letter_input
from services.api.rounds.pages import export_response
from services.api.state import Services
from services.api.v1.auth import AnyRequest
from services.api.v1.common import PROBLEMS
from services.usecases import letters as usecase


def provide_letter(number: str = "", date: str = "", to: str = "", ref: str = "") -> LetterInput:
    """The query's fields (a BE year in ``date`` is explained: problem+json, 422)."""
    day = iso_day(date) if date.strip() else None
    return letter_input({"number": number, "to": to, "ref": ref}, day)


class LettersController(Controller):
    path = "/api/v1/cover-letters"
    tags = ["reports"]  # noqa: RUF012
    dependencies = {"given": Provide(provide_letter, sync_to_thread=False)}  # noqa: RUF012

    @get("/{round_code:str}/{filename:str}", responses=PROBLEMS)
    async def cover_letter(
        self,
        request: AnyRequest,
        actor: Dep[Actor],
        services: Dep[Services],
        given: Dep[LetterInput],
    ) -> Response[bytes]:
        filename, round_code = request.path_params["filename"], request.path_params["round_code"]
        if filename not in FILES:
            raise NotFound("มีเฉพาะ cover-letter.pdf และ cover-letter.docx")
        fmt = FILES[filename]
        return export_response(
            await usecase.cover_letter_file(services, actor, round_code[:20], fmt, given)
        )
