"""Cover letters (หนังสือนำส่ง) of a round's report to the provincial office, as PDF and .docx:
a download on the pages (with the few fields only the clerk knows) and on the JSON API."""

from __future__ import annotations

from services.api.edge import api_routes
from services.api.letters.api import LettersController
from services.api.letters.pages import LetterPages

ROUTES = [api_routes(LettersController), LetterPages]
