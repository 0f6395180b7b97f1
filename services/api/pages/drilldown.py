"""The province dashboard's links into an LAO: /t/po-<code>/lao/<lao code>/ goes to the LAO's
own pages, which a reviewer of its province reads read-only (see common.provide_viewer)."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from infra.auth.sessions import Session
from services.api.pages.common import not_found


@get("/t/{org_code:str}/lao/{lao:str}/", include_in_schema=False)
async def into_lao(
    org_code: FromPath[str], lao: FromPath[str], viewer: Dep[Session]
) -> Redirect | Template:
    if viewer.scope != "office" or len(lao) > 40:
        return not_found()
    return Redirect(f"/t/{lao}/", status_code=303)


PAGES = (into_lao,)
