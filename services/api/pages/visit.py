"""A signed-in page's request as one object, and the controllers that hand it to their routes.

``Visit`` holds what every signed-in page handler starts from: the viewer's session (and the
use cases' actor made from it), the organisation in the address, the services and the
request; and what a page does with them: read the CSRF-checked form, render a template for
the viewer, show the refusal page, send the browser on (303). A controller that subclasses
``LaoPages`` (an LAO's pages) or ``OrgPages`` (any organisation's) gets it as the ``visit``
dependency, after the viewer's guard and the organisation's lookup (an unknown address is the
'not found' page before the handler runs)::

    class TokenPages(LaoPages):
        path = "/t/{org_code:str}/tokens"

        @post("/", status_code=200)
        async def create(self, visit: Dep[Visit]) -> Template | Redirect:
            form = await visit.form()                      # CSRF checked
            visit.require(may(visit.actor, Action.X), "บทบาทของคุณ...")  # else the 403 page
            errors: dict[str, str] = {}
            if await attempt(usecase.create(visit.services, visit.actor, ...), errors, "name"):
                return visit.see_other("/tokens?done=created")
            return visit.render("tokens.html", 400, title="API token", errors=errors)

A page that must stop deep inside a helper raises ``Refusal`` (the 403 page it carries) or
``PageNotFound`` (common.py) instead of returning a page through every caller.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Controller, Response
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.response import Redirect, Template

from domain.shared.access import Actor
from domain.shared.errors import DomainError
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import (
    AnyRequest,
    page,
    posted,
    provide_page_lao,
    provide_page_org,
    refused,
)
from services.api.state import Services
from services.usecases.scope import today


@dataclass(frozen=True)
class Visit:
    """Who asks which organisation's page, and the page's ways to answer."""

    request: AnyRequest
    viewer: Session
    org: Org
    services: Services

    @property
    def actor(self) -> Actor:
        """The viewer as the use cases' actor."""
        return actor_of_session(self.viewer)

    @property
    def today(self) -> date:
        return today(self.services.clock)

    def query(self, name: str) -> str:
        """A query parameter of the address ("" when absent)."""
        return str(self.request.query_params.get(name) or "")

    def notice(self, notices: dict[str, str]) -> str:
        """The message of ``?done=<what>`` after a redirect ("" for none or an unknown one)."""
        return notices.get(self.query("done"), "")

    async def form(self) -> Any:
        """The posted form, its CSRF token checked (else the 'form expired' page)."""
        return await posted(self.request, self.viewer)

    def render(self, template: str, status: int = 200, /, **context: Any) -> Template:
        """A template of this organisation's pages, for the viewer."""
        return page(template, status, session=self.viewer, org=self.org, **context)

    def refused(self, message: str, link: str = "", link_text: str = "กลับหน้าหลัก") -> Template:
        """The 403 page: what the role may not do and who can."""
        return refused(self.org, self.viewer, message, link, link_text)

    def require(
        self, allowed: bool, message: str, link: str = "", link_text: str = "กลับหน้าหลัก"
    ) -> None:
        """Go on only when ``allowed``; else stop here with the 403 page (``refused``)."""
        if not allowed:
            raise Refusal(self.refused(message, link, link_text))

    def url(self, path: str = "/") -> str:
        """The address of one of this organisation's pages: ``/t/<code>`` + ``path``."""
        return f"/t/{self.org.code}{path}"

    def see_other(self, path: str) -> Redirect:
        """After a form is done: on to ``/t/<code>`` + ``path`` (303)."""
        return Redirect(self.url(path), status_code=303)


class Refusal(Exception):
    """A page that says no, raised where the handler finds out (``Visit.require``)."""

    def __init__(self, page: Template) -> None:
        super().__init__(page)
        self.page = page


def show_refusal(request: AnyRequest, exc: Refusal) -> Response[Any]:
    return exc.page


async def provide_visit(
    request: AnyRequest, viewer: Dep[Session], org: Dep[Org], services: Dep[Services]
) -> Visit:
    return Visit(request, viewer, org, services)


class LaoPages(Controller):
    """An LAO's signed-in pages: ``visit`` for every route (another address: 'not found')."""

    path = "/t/{org_code:str}"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_lao), "visit": Provide(provide_visit)}  # noqa: RUF012
    exception_handlers = {Refusal: show_refusal}  # noqa: RUF012


class OrgPages(Controller):
    """Any organisation's signed-in pages (an LAO, a provincial office, the operator)."""

    path = "/t/{org_code:str}"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_org), "visit": Provide(provide_visit)}  # noqa: RUF012
    exception_handlers = {Refusal: show_refusal}  # noqa: RUF012


async def attempt(run: Awaitable[Any], errors: dict[str, str], field: str) -> bool:
    """Await a use case a form asked for: True when done; when a rule says no, False with its
    Thai message in ``errors`` beside the field the rule names (else ``field``), for the form
    to be shown again with what was typed."""
    try:
        await run
    except DomainError as e:
        errors[str(e.details.get("field", field))] = e.message
        return False
    return True
