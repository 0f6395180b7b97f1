"""The operator's console writes the register of LAOs.

``organisations`` was written only by the owner (``sujarit organisations import``). Now the web
role may insert and update rows too, but only in the operator's transaction (``app.scope`` =
'operator', set by the operator's use cases after the access rules said yes); everyone reads
the register as before. Row-level security is enabled and forced, with the owner's maintenance
policy (the command line, backups and restores run as the owner).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03
"""

from alembic import op

from infra.settings import APP_ROLE

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

OPERATOR = "current_setting('app.scope', true) = 'operator'"


def upgrade() -> None:
    op.execute("ALTER TABLE organisations ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE organisations FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY owner_maintenance ON organisations TO CURRENT_USER "
        "USING (true) WITH CHECK (true)"
    )
    op.execute("CREATE POLICY register_read ON organisations FOR SELECT USING (true)")
    op.execute(
        f"CREATE POLICY operator_insert ON organisations FOR INSERT TO {APP_ROLE} "
        f"WITH CHECK ({OPERATOR})"
    )
    op.execute(
        f"CREATE POLICY operator_update ON organisations FOR UPDATE TO {APP_ROLE} "
        f"USING ({OPERATOR}) WITH CHECK ({OPERATOR})"
    )
    op.execute(f"GRANT INSERT, UPDATE ON organisations TO {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"REVOKE INSERT, UPDATE ON organisations FROM {APP_ROLE}")
    for policy in ("operator_update", "operator_insert", "register_read", "owner_maintenance"):
        op.execute(f"DROP POLICY IF EXISTS {policy} ON organisations")
    op.execute("ALTER TABLE organisations NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE organisations DISABLE ROW LEVEL SECURITY")
