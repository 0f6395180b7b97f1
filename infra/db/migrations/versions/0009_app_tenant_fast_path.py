"""app_tenant(): the province check only for a reviewer's transaction (same rules, 5x cheaper).

Every row-level security policy calls app_tenant() (app_write_tenant() calls it too), about a
dozen times per append. In 0007 the province test and the EXISTS subquery sat in one IF
condition; PL/pgSQL then runs that condition through the executor on every call, even when no
province is set (5 us a call here). Nested, the first test is a simple expression (1 us) and
the subquery runs only for a reviewer. What it accepts and refuses does not change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FAST = """
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
  IF p IS NOT NULL AND p <> '' THEN
    IF NOT EXISTS (
        SELECT 1 FROM organisations o WHERE o.id = v::uuid AND o.province_code = p) THEN
      RAISE EXCEPTION 'this tenant is outside the reviewer''s province' USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN v::uuid;
END $$
"""

# As 0007 made it.
BEFORE = """
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


def upgrade() -> None:
    op.execute(FAST)


def downgrade() -> None:
    op.execute(BEFORE)
