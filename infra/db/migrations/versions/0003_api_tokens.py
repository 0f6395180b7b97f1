"""API tokens for programs: stored hashed, scoped to one tenant and role, revocable.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from alembic import op

from infra.db.rls import tenant_table_v1 as tenant_table
from infra.settings import APP_ROLE

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# A token is resolved before the tenant is known: this function (run with the owner's rights)
# returns the token's tenant and role only when the secret's hash matches, and nothing else.
RESOLVE = """
CREATE FUNCTION app_resolve_token(p_token_id uuid, p_secret_hash bytea)
RETURNS TABLE (tenant_id uuid, tenant_code text, role text, actor text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.tenant_id, o.code, t.role, t.actor
  FROM api_tokens t JOIN organisations o ON o.id = t.tenant_id
  WHERE t.token_id = p_token_id AND t.secret_hash = p_secret_hash AND t.revoked_at IS NULL
$$
"""


def upgrade() -> None:
    op.execute("""
        CREATE TABLE api_tokens (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            token_id uuid NOT NULL,
            secret_hash bytea NOT NULL,
            role text NOT NULL CHECK (role IN ('executive', 'plan_officer', 'staff', 'viewer')),
            actor text NOT NULL,
            name text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL DEFAULT now(),
            revoked_at timestamptz,
            PRIMARY KEY (tenant_id, token_id),
            UNIQUE (token_id)
        )""")
    for sql in tenant_table("api_tokens", app_privileges="SELECT, INSERT, UPDATE"):
        op.execute(sql)
    op.execute(RESOLVE)
    op.execute("REVOKE ALL ON FUNCTION app_resolve_token(uuid, bytea) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_resolve_token(uuid, bytea) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS app_resolve_token(uuid, bytea)")
    op.execute("DROP TABLE IF EXISTS api_tokens")
