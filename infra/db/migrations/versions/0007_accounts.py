"""Accounts: members of LAOs (a tenant read model), of provincial offices and the operator
(the operator log), their password hashes and emailed one-time links; reviewers' read-only
scope over the tenants of their province, enforced by row-level security.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from alembic import op

from infra.db.rls import ORG_SCOPE, tenant_table
from infra.settings import APP_ROLE

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# A reviewer's transaction sets app.province beside app.tenant_id: the tenant must then be one
# of that province's, and nothing may be written (app_write_tenant() gives NULL: no row
# matches, no row passes the check). Without app.province they are the same tenant.
APP_TENANT = """
CREATE OR REPLACE FUNCTION app_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  v text := current_setting('app.tenant_id', true);
  p text := current_setting('app.province', true);
BEGIN
  IF v IS NULL OR v = '' THEN
    RAISE EXCEPTION 'no tenant is set for this transaction'
      USING ERRCODE = '42501', HINT = 'set app.tenant_id with set_config(..., true) first';
  END IF;
  IF p IS NOT NULL AND p <> '' AND NOT EXISTS (
      SELECT 1 FROM organisations o WHERE o.id = v::uuid AND o.province_code = p) THEN
    RAISE EXCEPTION 'this tenant is outside the reviewer''s province' USING ERRCODE = '42501';
  END IF;
  RETURN v::uuid;
END $$
"""
APP_WRITE_TENANT = """
CREATE FUNCTION app_write_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  p text := current_setting('app.province', true);
BEGIN
  IF p IS NOT NULL AND p <> '' THEN
    RETURN NULL;  -- a reviewer reads, never writes
  END IF;
  RETURN app_tenant();
END $$
"""
TENANT_TABLES = """
SELECT tablename FROM pg_policies
WHERE schemaname = 'public' AND policyname = 'tenant_isolation'
"""


def _split_policies() -> None:
    """Every existing tenant table: one policy to read, one (stricter) to write."""
    bind = op.get_bind()
    tables = [r[0] for r in bind.exec_driver_sql(TENANT_TABLES).fetchall()]
    for t in tables:
        op.execute(f"DROP POLICY tenant_isolation ON {t}")
        op.execute(
            f"CREATE POLICY tenant_read ON {t} FOR SELECT TO {APP_ROLE} "
            "USING (tenant_id = (SELECT app_tenant()))"
        )
        op.execute(
            f"CREATE POLICY tenant_write ON {t} FOR ALL TO {APP_ROLE} "
            "USING (tenant_id = (SELECT app_write_tenant())) "
            "WITH CHECK (tenant_id = (SELECT app_write_tenant()))"
        )


def upgrade() -> None:
    op.execute(APP_TENANT)
    op.execute(APP_WRITE_TENANT)
    _split_policies()

    # An LAO's members: folded from the ``member`` streams of its log (inline projection).
    op.execute("""
        CREATE TABLE members (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            account_id uuid NOT NULL,
            email text NOT NULL,
            name text NOT NULL,
            role text NOT NULL,
            status text NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
            invited_at timestamptz NOT NULL,
            joined_at timestamptz,
            last_sign_in_at timestamptz,
            updated_at timestamptz NOT NULL,
            version integer NOT NULL,
            PRIMARY KEY (tenant_id, account_id),
            UNIQUE (tenant_id, email)
        )""")
    for sql in tenant_table("members", app_privileges="SELECT, INSERT, UPDATE, DELETE"):
        op.execute(sql)

    # Provincial offices' reviewers and the operator: their own log and table.
    op.execute("""
        CREATE TABLE operator_events (
            position bigserial PRIMARY KEY,
            stream_id uuid NOT NULL,
            version integer NOT NULL CHECK (version > 0),
            event_type text NOT NULL,
            data jsonb NOT NULL,
            metadata jsonb NOT NULL DEFAULT '{}',
            recorded_at timestamptz NOT NULL,
            UNIQUE (stream_id, version)
        )""")
    op.execute("""
        CREATE TABLE office_members (
            account_id uuid PRIMARY KEY,
            scope text NOT NULL CHECK (scope IN ('office', 'operator')),
            province_code text REFERENCES provinces (code),
            email text NOT NULL,
            name text NOT NULL,
            role text NOT NULL,
            status text NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
            invited_at timestamptz NOT NULL,
            joined_at timestamptz,
            last_sign_in_at timestamptz,
            updated_at timestamptz NOT NULL,
            version integer NOT NULL,
            CHECK ((scope = 'office') = (province_code IS NOT NULL))
        )""")
    op.execute(
        "CREATE UNIQUE INDEX office_members_email ON office_members "
        "(scope, coalesce(province_code, ''), email)"
    )
    for t, rights in (("operator_events", "SELECT, INSERT"), ("office_members", "ALL")):
        op.execute(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY owner_maintenance ON {t} TO CURRENT_USER USING (true) WITH CHECK (true)"
        )
        op.execute(
            f"CREATE POLICY org_scope ON {t} TO {APP_ROLE} USING ({ORG_SCOPE}) "
            f"WITH CHECK ({ORG_SCOPE})"
        )
        op.execute(f"GRANT {rights} ON {t} TO {APP_ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE operator_events_position_seq TO {APP_ROLE}")

    # Password hashes (argon2id) and emailed one-time links (invitation, reset): state, not
    # events. tenant_id is the LAO's, or NULL for office and operator accounts.
    op.execute("""
        CREATE TABLE credentials (
            account_id uuid PRIMARY KEY,
            tenant_id uuid REFERENCES organisations (id),
            password_hash text NOT NULL,
            changed_at timestamptz NOT NULL
        )""")
    op.execute("""
        CREATE TABLE account_links (
            link_hash bytea PRIMARY KEY,
            account_id uuid NOT NULL,
            tenant_id uuid REFERENCES organisations (id),
            purpose text NOT NULL CHECK (purpose IN ('invitation', 'reset')),
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            used_at timestamptz
        )""")
    op.execute("CREATE INDEX account_links_account ON account_links (account_id, purpose)")
    for t in ("credentials", "account_links"):
        for sql in tenant_table(t, app_privileges="SELECT, INSERT, UPDATE, DELETE"):
            op.execute(sql)
        op.execute(
            f"CREATE POLICY org_scope ON {t} TO {APP_ROLE} "
            f"USING (tenant_id IS NULL AND {ORG_SCOPE}) "
            f"WITH CHECK (tenant_id IS NULL AND {ORG_SCOPE})"
        )

    # API tokens made by a member carry the member's account (older ones: NULL).
    op.execute("ALTER TABLE api_tokens ADD COLUMN account_id uuid")


def downgrade() -> None:
    op.execute("ALTER TABLE api_tokens DROP COLUMN IF EXISTS account_id")
    for t in ("account_links", "credentials", "office_members", "operator_events", "members"):
        op.execute(f"DROP TABLE IF EXISTS {t}")
    bind = op.get_bind()
    tables = bind.exec_driver_sql(
        "SELECT tablename FROM pg_policies WHERE schemaname = 'public' "
        "AND policyname = 'tenant_read'"
    ).fetchall()
    for (t,) in tables:
        op.execute(f"DROP POLICY tenant_read ON {t}")
        op.execute(f"DROP POLICY tenant_write ON {t}")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {t} TO {APP_ROLE} "
            "USING (tenant_id = (SELECT app_tenant())) "
            "WITH CHECK (tenant_id = (SELECT app_tenant()))"
        )
    op.execute("DROP FUNCTION IF EXISTS app_write_tenant()")
