"""The public read model: what an LAO has published, for its public page /p/<code>.

Tables (written by the inline projection ``public``, infra/projections/public.py):
public_declarations (published declarations and their announcements), public_plans
(promulgated or closed plans), public_items (their items: headings and step progress, no notes,
no evidence, no names), public_files (the files published with them: the signed declaration,
the announcements' evidence, the signed promulgation).

Who reads them: the web role writes and reads its own tenant's rows (the usual tenant
policies: the projection runs in the append transaction). The public page has no session and no
tenant: it switches its transaction to the role ``sujarit_public`` (``set_config('role', ...,
true)``, undone at the end of the transaction), which owns nothing and is granted SELECT on
the public tables and the organisations register only. So the public page cannot read a
tenant table even by a mistaken query: the privilege check refuses it before row-level
security is consulted. Its policy reads every tenant's public rows, but only while the
current user IS that role (``current_user = 'sujarit_public'``): the web role, a member of it,
does not gain a cross-tenant read. Preferred to a SECURITY DEFINER function, which would run
as the owner (who bypasses every policy) so that a mistake in it could leak anything.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from alembic import op

from infra.db.rls import tenant_table
from infra.settings import APP_ROLE

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

PUBLIC_ROLE = "sujarit_public"
TABLES = ("public_declarations", "public_plans", "public_items", "public_files")

ROLE = f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PUBLIC_ROLE}') THEN
    CREATE ROLE {PUBLIC_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$
"""


def upgrade() -> None:
    op.execute(ROLE)
    op.execute(f"GRANT {PUBLIC_ROLE} TO {APP_ROLE}")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {PUBLIC_ROLE}")
    op.execute(f"GRANT SELECT ON organisations, provinces TO {PUBLIC_ROLE}")
    op.execute("""
        CREATE TABLE public_declarations (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            declaration_id uuid NOT NULL,
            published_on date NOT NULL,
            view jsonb NOT NULL,
            PRIMARY KEY (tenant_id, declaration_id)
        )""")
    op.execute("""
        CREATE TABLE public_plans (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            plan_id uuid NOT NULL,
            first_year integer NOT NULL,
            last_year integer NOT NULL,
            view jsonb NOT NULL,
            PRIMARY KEY (tenant_id, plan_id)
        )""")
    op.execute("""
        CREATE TABLE public_items (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            item_id uuid NOT NULL,
            plan_id uuid NOT NULL,
            number text NOT NULL,
            sort_key integer[] NOT NULL,
            kind text NOT NULL,
            registered_name text NOT NULL,
            view jsonb NOT NULL,
            PRIMARY KEY (tenant_id, item_id)
        )""")
    op.execute("CREATE INDEX public_items_plan ON public_items (tenant_id, plan_id, sort_key)")
    op.execute("""
        CREATE TABLE public_files (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            source_id uuid NOT NULL,
            sha256 text NOT NULL,
            name text NOT NULL,
            media_type text NOT NULL,
            size bigint NOT NULL,
            PRIMARY KEY (tenant_id, source_id, sha256)
        )""")
    op.execute("CREATE INDEX public_files_sha ON public_files (tenant_id, sha256)")
    for t in TABLES:
        for sql in tenant_table(t, app_privileges="SELECT, INSERT, UPDATE, DELETE"):
            op.execute(sql)
        op.execute(
            f"CREATE POLICY public_read ON {t} FOR SELECT TO {PUBLIC_ROLE} "
            f"USING (current_user = '{PUBLIC_ROLE}')"
        )
        op.execute(f"GRANT SELECT ON {t} TO {PUBLIC_ROLE}")


def downgrade() -> None:
    for t in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {t}")
    op.execute(f"REVOKE SELECT ON organisations, provinces FROM {PUBLIC_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {PUBLIC_ROLE}")
    op.execute(f"REVOKE {PUBLIC_ROLE} FROM {APP_ROLE}")
