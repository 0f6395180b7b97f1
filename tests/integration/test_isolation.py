"""Tenant isolation at the edge and in the database, and the route audit.

Every route that takes an id answers 404 to a member of another tenant; a provincial reviewer
reads the LAOs of its province only and writes nowhere; every route but an explicit public
list has a guard.
"""

from __future__ import annotations

import inspect
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from infra.auth.orgs import reviewer_transaction
from infra.db.pool import connect, tenant_transaction
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from infra.tokens import create_token
from services.api.app import create_app
from tests.integration.accounts import accounts_on, make_member, session_csrf, sign_in
from tests.support import org

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = "2026-11-20"


@dataclass
class Tenants:
    client: AsyncTestClient  # type: ignore[type-arg]
    app: Litestar
    a: str  # codes
    b: str
    far: str  # an LAO of another province
    a_id: uuid.UUID
    b_id: uuid.UUID
    far_id: uuid.UUID
    officer_a: dict[str, str]
    officer_b: dict[str, str]
    executive_a: dict[str, str]
    ids: dict[str, str]  # tenant B's objects


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _b_objects(c: AsyncTestClient, h: dict[str, str]) -> dict[str, str]:  # type: ignore[type-arg]
    async def ok(r: Any) -> dict[str, Any]:
        assert r.status_code in (200, 201), r.text
        return r.json()  # type: ignore[no-any-return]

    plan = (
        await ok(
            await c.post(
                "/api/v1/plans",
                json={"title": "แผน B", "first_year": 2566, "last_year": 2570},
                headers=h,
            )
        )
    )["id"]
    item = (
        await ok(
            await c.post(
                f"/api/v1/plans/{plan}/items",
                json={"number": "2.1.1", "kind": "activity", "name": "กิจกรรมของ B"},
                headers=h,
            )
        )
    )["id"]
    await ok(
        await c.post(
            f"/api/v1/plans/{plan}/items/{item}/steps",
            json={"number": "6.1", "title": "ขั้นที่หนึ่ง", "due": "2027-01-31"},
            headers=h,
        )
    )
    await ok(
        await c.post(
            f"/api/v1/plans/{plan}/items/{item}/outputs",
            json={
                "id": "o1",
                "text": "ประกาศ 1 ฉบับ",
                "comparator": "at_least",
                "target": "1",
                "unit": "ฉบับ",
            },
            headers=h,
        )
    )
    declaration = (
        await ok(
            await c.post(
                "/api/v1/declarations", json={"text": "เจตจำนง", "signers": ["นายก"]}, headers=h
            )
        )
    )["id"]
    complaint = (
        await ok(
            await c.post(
                "/api/v1/complaints",
                json={"on": TODAY, "channel": "phone", "category": "บริการ"},
                headers=h,
            )
        )
    )["id"]
    up = await c.post(
        "/api/v1/evidence", files={"data": ("b.pdf", PDF, "application/pdf")}, headers=h
    )
    sha = (await ok(up))["sha256"]
    sample = Path(__file__).parents[1] / "fixtures" / "phangkhwang-2.1.1.txt"
    batch = await ok(
        await c.post(
            "/api/v1/imports",
            files=[("files", ("sheet.txt", sample.read_bytes(), "text/plain"))],
            headers=h,
        )
    )
    return {
        "batch": batch["batch_id"],
        "sheet": batch["sheets"][0]["sheet_id"],
        "plan": plan,
        "item": item,
        "declaration": declaration,
        "complaint": complaint,
        "sha256": sha,
    }


@pytest.fixture
async def tenants(settings: Settings, app_pool: asyncpg.Pool) -> AsyncIterator[Tenants]:
    a, b, far = org(), org(), org(province="48")
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b, far])
        ta = await create_token(owner, a.id, "plan_officer", "officer@a")
        ea = await create_token(owner, a.id, "executive", "executive@a")
        tb = await create_token(owner, b.id, "plan_officer", "officer@b")
    finally:
        await owner.close()
    app = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    async with AsyncTestClient(app) as client:
        ids = await _b_objects(client, bearer(tb))
        _, member_b = await make_member(app_pool, b.code, "staff")
        _, owner_b = await make_member(app_pool, b.code, "viewer")
        token_b = await accounts_on(app_pool).create_token(
            (await _org(app_pool, b.code)), uuid.UUID(owner_b), "b's script"
        )
        ids |= {"account": member_b, "token": token_b.split("_")[1]}
        ids["thread"] = str(await _revision_on(app_pool, b.id, ids["item"]))
        ids |= await _reports_of(settings, b.id)
        yield Tenants(
            client,
            app,
            a.code,
            b.code,
            far.code,
            a.id,
            b.id,
            far.id,
            bearer(ta),
            bearer(tb),
            bearer(ea),
            ids,
        )


async def _revision_on(pool: asyncpg.Pool, tenant: uuid.UUID, item: str) -> uuid.UUID:
    """A revision request of the provincial reviewer on tenant B's item."""
    from domain.review.thread import ReviewThread
    from domain.shared.ports import Context
    from infra.eventstore.postgres import PostgresEventStore
    from infra.projections.registry import inline_projections
    from infra.repository import EventSourcedRepository

    thread = ReviewThread(uuid.uuid4())
    thread.request_revision(f"item:{item}", "ขอให้แก้ไข", "reviewer@po-47", "po-47")
    store = PostgresEventStore(pool, projections=inline_projections())
    await EventSourcedRepository(store).save(Context(tenant, "reviewer@po-47"), thread)
    return thread.id


async def _reports_of(settings: Settings, tenant: uuid.UUID) -> dict[str, str]:
    """A generated report and its job for tenant B, and a province summary of province 48
    (rows as the report worker writes them)."""
    report, job, summary = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    owner = await connect(settings.database_url)
    try:
        await owner.execute(
            "INSERT INTO reports (tenant_id, id, round, format, sha256, size, content_hash, "
            "as_of, generated_at) VALUES ($1, $2, '2569-12', 'pdf', $3, 10, 'h', "
            "current_date, now())",
            tenant,
            report,
            "0" * 64,
        )
        await owner.execute(
            "INSERT INTO report_jobs (id, tenant_id, scope, round, requested_by, created_at) "
            "VALUES ($1, $2, 'tenant', '2569-12', 'b', now())",
            job,
            tenant,
        )
        await owner.execute(
            "INSERT INTO province_reports (id, province_code, round, format, sha256, size, "
            "content_hash, as_of, lao_count, generated_at) VALUES ($1, '48', '2569-12', 'pdf', "
            "$2, 10, $3, current_date, 1, now())",
            summary,
            "0" * 64,
            str(summary),
        )
    finally:
        await owner.close()
    return {"report": str(report), "job": str(job), "summary": str(summary)}


async def _org(pool: asyncpg.Pool, code: str) -> Any:
    from infra.auth.orgs import find_org

    async with pool.acquire() as conn:
        return await find_org(conn, code)


# Every route that takes an id, with a body that would be accepted for the right tenant.
MATRIX: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/plans/{plan}", None),
    ("PATCH", "/api/v1/plans/{plan}", {"title": "x", "first_year": 2566, "last_year": 2570}),
    (
        "PUT",
        "/api/v1/plans/{plan}/catalogue",
        {
            "dimensions": [
                {"number": 1, "title": "มิติ", "sub_items": [{"number": "1.1", "title": "ภารกิจ"}]}
            ]
        },
    ),
    ("POST", "/api/v1/plans/{plan}/items", {"number": "1.1.1", "kind": "project", "name": "x"}),
    ("POST", "/api/v1/plans/{plan}/promulgation", {"on": TODAY, "executive": "นายก"}),
    ("POST", "/api/v1/plans/{plan}/closure", {"on": TODAY}),
    ("GET", "/api/v1/plans/{plan}/items/{item}", None),
    ("PATCH", "/api/v1/plans/{plan}/items/{item}", {"name": "x"}),
    ("PUT", "/api/v1/plans/{plan}/items/{item}/number", {"number": "2.1.2"}),
    ("PUT", "/api/v1/plans/{plan}/items/{item}/budget", {"no_budget": True}),
    ("POST", "/api/v1/plans/{plan}/items/{item}/withdrawal", {"reason": "x"}),
    ("POST", "/api/v1/plans/{plan}/items/{item}/addition/approval", {"on": TODAY}),
    ("POST", "/api/v1/plans/{plan}/items/{item}/addition/return", {"reason": "x"}),
    (
        "POST",
        "/api/v1/plans/{plan}/items/{item}/steps",
        {"number": "6.2", "title": "x", "due": "2027-01-31"},
    ),
    ("POST", "/api/v1/plans/{plan}/items/{item}/steps/6.1/start", {"on": TODAY}),
    ("POST", "/api/v1/plans/{plan}/items/{item}/steps/6.1/complete", {"on": TODAY}),
    ("POST", "/api/v1/plans/{plan}/items/{item}/steps/6.1/reopen", {"reason": "x"}),
    (
        "POST",
        "/api/v1/plans/{plan}/items/{item}/steps/6.1/reschedule",
        {"reason": "x", "due": "2027-02-28"},
    ),
    (
        "POST",
        "/api/v1/plans/{plan}/items/{item}/outputs",
        {"id": "o2", "text": "x", "comparator": "exactly", "target": "1", "unit": "ครั้ง"},
    ),
    ("POST", "/api/v1/plans/{plan}/items/{item}/outcomes", {"id": "c1", "text": "x"}),
    (
        "POST",
        "/api/v1/plans/{plan}/items/{item}/indicators/o1/results",
        {"fiscal_year": 2567, "value": "1"},
    ),
    ("GET", "/api/v1/declarations/{declaration}", None),
    ("PUT", "/api/v1/declarations/{declaration}", {"text": "x", "signers": ["y"]}),
    ("POST", "/api/v1/declarations/{declaration}/publication", {"on": TODAY}),
    (
        "POST",
        "/api/v1/declarations/{declaration}/announcements",
        {"channel": "website", "on": TODAY},
    ),
    ("POST", "/api/v1/complaints/{complaint}/progress", {"on": TODAY}),
    ("POST", "/api/v1/complaints/{complaint}/resolution", {"on": TODAY, "outcome": "other"}),
    ("GET", "/api/v1/evidence/{sha256}", None),
    ("PATCH", "/api/v1/members/{account}", {"role": "viewer"}),
    ("POST", "/api/v1/members/{account}/disable", None),
    ("POST", "/api/v1/members/{account}/enable", None),
    ("DELETE", "/api/v1/tokens/{token}", None),
    ("GET", "/api/v1/reports/{report}/download", None),
    ("POST", "/api/v1/reports/{report}/submission", None),
    ("GET", "/api/v1/report-jobs/{job}", None),
    ("POST", "/api/v1/reviews/{thread}/answer", {"text": "ตอบ"}),
    ("POST", "/api/v1/reviews/{thread}/resolution", {"note": "x"}),
    ("GET", "/api/v1/imports/{batch}", None),
    ("PATCH", "/api/v1/imports/{batch}/sheets/{sheet}", {"name": "x"}),
    ("POST", "/api/v1/imports/{batch}/sheets/{sheet}/accept", {"plan_id": "{plan}"}),
    ("POST", "/api/v1/imports/{batch}/sheets/{sheet}/reject", {"reason": "x"}),
    ("GET", "/api/v1/imports/{batch}/plan", None),
    ("POST", "/api/v1/imports/{batch}/plan/accept", {"plan_id": "{plan}"}),
    ("GET", "/api/v1/plans/{plan}/rounds/2567-6", None),
    ("PUT", "/api/v1/plans/{plan}/rounds/2567-6", {"entries": []}),
    ("GET", "/api/v1/plans/{plan}/rounds/2567-6/eplannacc.xlsx", None),
]
ADMIN_ROUTES = ("/api/v1/members/", "/api/v1/tokens/")


# A province's summaries belong to no tenant: checked in the reviewer's test instead.
# A cover letter takes a round and a file name, no id: each member gets its own LAO's.
NOT_TENANT_ROUTES = {
    ("GET", "/api/v1/province/reports/{}/download"),
    ("GET", "/api/v1/cover-letters/{}/{}"),
}


def _id_routes(app: Litestar) -> set[tuple[str, str]]:
    out = set()
    for route in app.routes:
        if not route.path.startswith("/api/v1/") or "{" not in route.path:
            continue
        for h in getattr(route, "route_handlers", []):
            for m in h.http_methods:
                if m not in ("OPTIONS", "HEAD"):
                    out.add((m, re.sub(r"\{[^}]+\}", "{}", route.path)))
    return out


def _shape(path: str) -> str:
    return re.sub(
        r"\{[^}]+\}|/6\.1(?=/)|/o1(?=/)|/\d{4}-(?:6|12)(?=/|$)|/eplannacc\.xlsx$", "/{}", path
    ).replace("//", "/")


async def test_the_matrix_covers_every_route_that_takes_an_id(tenants: Tenants) -> None:
    covered = {(m, _shape(p)) for m, p, _ in MATRIX}
    assert _id_routes(tenants.app) - NOT_TENANT_ROUTES == covered


async def test_a_member_of_another_tenant_gets_404_for_every_id(
    tenants: Tenants, app_pool: asyncpg.Pool, settings: Settings
) -> None:
    c, ids = tenants.client, tenants.ids
    # Tenant A's members: a plan officer (token) for the plan routes; for members and tokens,
    # A's plan officer signed in (sessions are how people manage members and tokens).
    email, _ = await make_member(app_pool, tenants.a, "plan_officer")
    await sign_in(c, tenants.a, email)
    session = {"X-CSRF-Token": await session_csrf(c, tenants.a)}
    # Routes only a reviewer may use: the reviewer of another province (48), naming B.
    far_email, _ = await make_member(
        app_pool, "po-48", "reviewer", email=f"rev48-{uuid.uuid4().hex[:6]}@example.org"
    )
    app = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    async with AsyncTestClient(app) as far:
        await sign_in(far, "po-48", far_email)
        far_csrf = await session_csrf(far, "po-48")
        for method, template, body in MATRIX:
            if not template.endswith("/resolution"):
                continue
            r = await far.request(
                method,
                template.format(**ids),
                json=body,
                headers={"X-CSRF-Token": far_csrf, "Sujarit-Tenant": tenants.b},
            )
            assert r.status_code == 404, (method, template, r.text)
    for method, template, body in MATRIX:
        if template.endswith("/resolution"):
            continue
        path = template.format(**ids)
        headers = session if path.startswith(ADMIN_ROUTES) else tenants.officer_a
        if path.endswith(
            ("/promulgation", "/publication", "/closure", "/addition/approval", "/addition/return")
        ):
            headers = tenants.executive_a  # the executive's acts
        cookies_before = dict(c.cookies)
        if not path.startswith(ADMIN_ROUTES):
            c.cookies.clear()
        if body and body.get("plan_id") == "{plan}":
            body = {"plan_id": ids["plan"]}
        r = await c.request(method, path, json=body, headers=headers)
        for k, v in cookies_before.items():
            c.cookies.set(k, v)
        assert r.status_code == 404, (method, path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        for value in ids.values():
            assert value not in r.text or value in path
    # The same requests by B's own officer find them (the 404 above was isolation).
    r = await c.get(f"/api/v1/plans/{ids['plan']}/items/{ids['item']}", headers=tenants.officer_b)
    assert r.status_code == 200
    assert (
        await c.get(f"/api/v1/evidence/{ids['sha256']}", headers=tenants.officer_b)
    ).status_code == 200


async def test_the_database_refuses_other_tenants_rows_to_the_web_role(
    tenants: Tenants, app_pool: asyncpg.Pool
) -> None:
    tables = await app_pool.fetch(
        "SELECT DISTINCT tablename FROM pg_policies WHERE policyname = 'tenant_read'"
    )
    assert len(tables) >= 12
    async with tenant_transaction(app_pool, tenants.a_id) as conn:
        for (t,) in tables:
            seen = await conn.fetchval(
                f"SELECT count(*) FROM {t} WHERE tenant_id = $1",
                tenants.b_id,
            )
            assert seen == 0, t
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(
                "INSERT INTO complaint_views (tenant_id, complaint_id, received_on, fiscal_year,"
                " channel, category) VALUES ($1, $2, current_date, 2570, 'phone', 'x')",
                tenants.b_id,
                uuid.uuid4(),
            )


async def test_a_reviewer_reads_its_province_only_and_writes_nowhere(
    tenants: Tenants, app_pool: asyncpg.Pool
) -> None:
    c = tenants.client
    c.cookies.clear()
    email, _ = await make_member(
        app_pool, "po-47", "reviewer", email=f"rev-{uuid.uuid4().hex[:8]}@example.org"
    )
    assert (await sign_in(c, "po-47", email)).status_code == 303
    own = {"Sujarit-Tenant": tenants.b}
    plans = await c.get("/api/v1/plans", headers=own)
    assert plans.status_code == 200 and [p["plan_id"] for p in plans.json()] == [
        tenants.ids["plan"]
    ]
    item = await c.get(
        f"/api/v1/plans/{tenants.ids['plan']}/items/{tenants.ids['item']}", headers=own
    )
    assert item.status_code == 200
    far = await c.get("/api/v1/plans", headers={"Sujarit-Tenant": tenants.far})
    assert far.status_code == 404
    assert (await c.get("/api/v1/plans")).status_code == 400  # which LAO? it must say
    other_province = await c.get(f"/api/v1/province/reports/{tenants.ids['summary']}/download")
    assert other_province.status_code == 404  # province 48's summary, for the reviewer of 47
    csrf = {"X-CSRF-Token": await _reviewer_csrf(c)}
    for method, template, body in MATRIX:
        if method == "GET" or template.startswith(ADMIN_ROUTES):
            continue
        if template.endswith("/resolution"):
            continue  # closing a revision request is the reviewer's own act (test_reviews)
        if body and body.get("plan_id") == "{plan}":
            body = {"plan_id": tenants.ids["plan"]}
        r = await c.request(
            method, template.format(**tenants.ids), json=body, headers={**own, **csrf}
        )
        assert r.status_code == 403, (method, template, r.text)
    made = await c.post(
        "/api/v1/plans",
        json={"title": "x", "first_year": 2566, "last_year": 2567},
        headers={**own, **csrf},
    )
    assert made.status_code == 403
    # And in the database, with row-level security: a reviewer's transaction.
    async with reviewer_transaction(app_pool, "47", tenants.b_id) as conn:
        assert await conn.fetchval("SELECT count(*) FROM plan_views") == 1
    for sql in (
        "UPDATE plan_views SET version = version + 1",
        "DELETE FROM complaint_views",
    ):
        async with app_pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "SELECT set_config('app.province', '47', true), "
                "set_config('app.tenant_id', $1, true)",
                str(tenants.b_id),
            )
            assert await conn.execute(sql) in ("UPDATE 0", "DELETE 0")  # nothing to write
    async with app_pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "SELECT set_config('app.province', '47', true), set_config('app.tenant_id', $1, true)",
            str(tenants.b_id),
        )
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(
                "INSERT INTO complaint_views (tenant_id, complaint_id, received_on, fiscal_year,"
                " channel, category) VALUES ($1, $2, current_date, 2570, 'phone', 'x')",
                tenants.b_id,
                uuid.uuid4(),
            )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):  # another province's LAO
        async with reviewer_transaction(app_pool, "47", tenants.far_id) as conn:
            await conn.fetchval("SELECT count(*) FROM plan_views")


async def _reviewer_csrf(c: AsyncTestClient) -> str:  # type: ignore[type-arg]
    from tests.integration.accounts import csrf_of

    page = await c.get("/t/po-47/")
    return csrf_of(page.text)


# -- the route audit --------------------------------------------------------------------------
PUBLIC = {
    ("GET", "/"),
    ("GET", "/health"),
    ("GET", "/lang/{}"),
    ("GET", "/ready"),
    ("GET", "/t/{}/signin"),
    ("POST", "/t/{}/signin"),
    ("POST", "/t/{}/signout"),
    ("GET", "/t/{}/invitation/{}"),
    ("POST", "/t/{}/invitation/{}"),
    ("GET", "/t/{}/reset"),
    ("POST", "/t/{}/reset"),
    ("GET", "/t/{}/reset/{}"),
    ("POST", "/t/{}/reset/{}"),
    # The public page of each LAO: what it published, read as the role sujarit_public.
    ("GET", "/p/{}"),
    ("GET", "/p/{}/items/{}"),
    ("GET", "/p/{}/files/{}"),
    # The public record of each LAO (the transparency log): checkpoints, keys, proofs, the
    # record of a published file and the verify page, for anyone to check.
    ("GET", "/p/{}/log/checkpoint"),
    ("GET", "/p/{}/log/keys"),
    ("GET", "/p/{}/log/inclusion"),
    ("GET", "/p/{}/log/consistency"),
    ("GET", "/p/{}/log/record"),
    ("GET", "/p/{}/verify"),
    ("GET", "/p/{}/ita/{}/{}"),  # an ITA address: only what the LAO published
    ("GET", "/p/{}/reports/{}"),  # a report the LAO submitted to its province (ITA)
    # Open data: what the public pages show, as files (per LAO and national), and the page's QR.
    ("GET", "/p/{}/data.json"),
    ("GET", "/p/{}/data.csv"),
    ("GET", "/p/{}/qr.svg"),
    ("GET", "/open-data"),
    ("GET", "/open-data/catalogue.json"),
    ("GET", "/open-data/{}"),
}
PUBLIC_PREFIXES = ("/static/", "/fonts/", "/schema")
API_GUARDS = {"principal", "actor"}  # the API's guard dependencies (services/api/edge.py)
GUARDS = {*API_GUARDS, "viewer"}  # and the pages'


def _all_routes(app: Litestar) -> list[tuple[str, str, Any]]:
    out = []
    for route in app.routes:
        for h in getattr(route, "route_handlers", []):
            for m in h.http_methods:
                if m not in ("OPTIONS", "HEAD"):
                    out.append((m, route.path, h))
    return out


def _needs(handler: Any) -> set[str]:
    """What the handler takes, directly or through the dependencies it takes (a controller's
    dependency that takes ``principal`` or ``viewer`` guards its routes as well)."""
    provided = handler.resolve_dependencies()
    seen: set[str] = set()
    todo = list(handler.parsed_fn_signature.parameters)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            if name in provided:
                todo.extend(inspect.signature(provided[name].dependency).parameters)
    return seen


async def test_every_route_but_the_public_ones_has_a_guard(tenants: Tenants) -> None:
    c = tenants.client
    c.cookies.clear()
    unguarded = []
    for method, path, handler in _all_routes(tenants.app):
        shape = re.sub(r"\{[^}]+\}", "{}", path)
        if (method, shape) in PUBLIC or path.startswith(PUBLIC_PREFIXES):
            continue
        params = _needs(handler)
        if not params & GUARDS:
            unguarded.append((method, path))
            continue
        # And live: without credentials it is refused (API) or sends to sign-in (pages).
        url = re.sub(r"\{[^}:]+:uuid\}", str(uuid.uuid4()), path)
        url = re.sub(r"\{[^}]+\}", tenants.a, url)
        r = await c.request(method, url, json={}, follow_redirects=False)
        if params & API_GUARDS:
            assert r.status_code == 401, (method, path, r.status_code)
        else:
            assert r.status_code == 303 and r.headers["location"].endswith("/signin"), path
    assert unguarded == []


# -- a reviewer writes nothing through any page ------------------------------------------------
# The reviewer's own acts (comments and revision requests on the reviews pages) are events in
# the LAO's log by design (test_reviews); the public forms (sign-in, reset, invitation) are not
# the reviewer's session acting on the LAO. Every other page that takes a POST is tried here.
REVIEWER_OWN = ("/reviews",)
PUBLIC_FORMS = ("/signin", "/signout", "/reset", "/invitation/")
FORM = {
    "name": "ชื่อใหม่",
    "title": "ชื่อใหม่",
    "text": "ข้อความ",
    "value": "ข้อความ",
    "email": "new-person@example.org",
    "role": "executive",
    "mode": "daily",
    "hour": "9",
    "before_days": "3,1",
    "overdue_every_days": "3",
    "escalate_after_days": "5",
    "province_after_days": "9",
    "round": "2569-6",
    "number": "6.9",
    "kind": "activity",
    "due": "2027-03-31",
    "on": "2026-11-20",
    "completed_on": "2026-11-20",
    "reason": "เหตุผล",
    "first_year": "2566",
    "last_year": "2570",
    "year": "2569",
    "target": "1",
    "comparator": "at_least",
    "unit": "ครั้ง",
    "channel": "หอกระจายข่าว",
    "signers": "นายก",
}


async def _rows_of(settings: Settings, tenant: uuid.UUID) -> dict[str, str]:
    """Every table that holds a tenant's rows: a digest of that tenant's rows (as the owner)."""
    owner = await connect(settings.database_url)
    try:
        tables = await owner.fetch(
            "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables "
            "t USING (table_schema, table_name) WHERE c.table_schema = 'public' AND "
            "c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE' ORDER BY 1"
        )
        out = {}
        for (table,) in tables:
            out[table] = await owner.fetchval(
                f"SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY "
                f"x::text), '')) FROM \"{table}\" x WHERE tenant_id = $1",
                tenant,
            )
        return out
    finally:
        await owner.close()


async def test_a_reviewer_writes_no_row_through_any_page(
    tenants: Tenants, app_pool: asyncpg.Pool, settings: Settings
) -> None:
    c = tenants.client
    c.cookies.clear()
    email, _ = await make_member(
        app_pool, "po-47", "reviewer", email=f"rev-p-{uuid.uuid4().hex[:8]}@example.org"
    )
    assert (await sign_in(c, "po-47", email)).status_code == 303
    csrf = await _reviewer_csrf(c)
    ids = tenants.ids
    params = {
        "org_code": tenants.b,
        "plan_id": ids["plan"],
        "item_id": ids["item"],
        "declaration_id": ids["declaration"],
        "batch_id": ids["batch"],
        "sheet_id": ids["sheet"],
        "account_id": ids["account"],
        "report_id": ids["report"],
        "token_id": str(uuid.uuid4()),
        "number": "6.1",
    }
    variants = {"which": ["name", "rationale", "budget"], "action": ["start", "reopen"]}
    before = await _rows_of(settings, tenants.b_id)
    assert before["events"].split(":")[0] != "0"
    tried = []
    for method, path, _ in _all_routes(tenants.app):
        if method == "GET" or not path.startswith("/t/{org_code"):
            continue
        if any(p in path for p in REVIEWER_OWN + PUBLIC_FORMS):
            continue
        names = re.findall(r"\{([^}:]+)(?::[^}]+)?\}", path)
        choices = [[(n, v) for v in variants.get(n, [params.get(n, "x")])] for n in names]
        combos: list[list[tuple[str, str]]] = [[]]
        for options in choices:
            combos = [[*combo, o] for combo in combos for o in options]
        for combo in combos:
            url = path
            for name, value in combo:
                url = re.sub(r"\{" + name + r"(?::[^}]+)?\}", value, url)
            files = {"files": ("b.pdf", PDF, "application/pdf")}
            r = await c.request(
                method,
                url,
                data={**FORM, "csrf_token": csrf},
                files=files if "imports" in url or "complete" in url else None,
                follow_redirects=False,
            )
            tried.append((url, r.status_code))
            # refused: by the access rules (403), as not there (404), or on its input before
            # anything was tried (400/422); what counts is that no row changed, below
            assert r.status_code in (400, 403, 404, 422), (url, r.status_code, r.text[:300])
    assert len(tried) >= 25, tried
    assert [u for u, s in tried if s == 403], tried
    assert await _rows_of(settings, tenants.b_id) == before
