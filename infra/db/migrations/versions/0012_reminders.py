"""Reminders: each tenant's policy, each member's delivery preference, and the claims that
make every reminder go out once; the scheduler (the projector role) reads what is due.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from alembic import op

from infra.db.rls import tenant_table
from infra.settings import APP_ROLE, PROJECTOR_ROLE

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The operator's view of reminders that failed for good (no tenant data beyond the address).
FAILED = """
CREATE FUNCTION app_failed_reminders()
RETURNS TABLE (tenant_code text, recipient text, subject text, due_date date, kind text,
               attempts integer, last_error text, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.code, c.recipient, c.subject, c.due_date, c.kind, c.attempts, c.last_error,
         c.updated_at
  FROM reminder_claims c JOIN organisations o ON o.id = c.tenant_id
  WHERE c.status = 'failed' ORDER BY c.updated_at DESC LIMIT 500
$$
"""


def upgrade() -> None:
    op.execute("""
        CREATE TABLE reminder_policies (
            tenant_id uuid PRIMARY KEY REFERENCES organisations (id),
            policy jsonb NOT NULL,
            changed_by text NOT NULL,
            changed_at timestamptz NOT NULL
        )""")
    op.execute("""
        CREATE TABLE reminder_preferences (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            account_id uuid NOT NULL,
            mode text NOT NULL CHECK (mode IN ('immediate', 'daily')),
            hour smallint NOT NULL DEFAULT 7 CHECK (hour BETWEEN 0 AND 23),
            PRIMARY KEY (tenant_id, account_id)
        )""")
    # One row per reminder: (tenant, subject, due date, kind, recipient). A worker inserts and
    # locks the rows of a digest in one transaction that spans the SMTP send, and marks them
    # sent before it commits: a crash rolls the claim back (sent again: the only duplicate
    # window is between SMTP accepting and that commit); a second worker given the same task
    # (Redis redelivery) waits on the lock, then finds them sent.
    op.execute("""
        CREATE TABLE reminder_claims (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            subject text NOT NULL,
            due_date date NOT NULL,
            kind text NOT NULL,
            recipient text NOT NULL,
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed')),
            attempts integer NOT NULL DEFAULT 0,
            last_error text NOT NULL DEFAULT '',
            detail jsonb NOT NULL DEFAULT '{}',
            sent_at timestamptz,
            recorded boolean NOT NULL DEFAULT false,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, subject, due_date, kind, recipient)
        )""")
    op.execute(
        "CREATE INDEX reminder_claims_recipient ON reminder_claims (tenant_id, recipient, sent_at)"
    )
    op.execute(
        "CREATE INDEX reminder_claims_unrecorded ON reminder_claims (recorded) "
        "WHERE status = 'sent' AND NOT recorded"
    )
    for t, rights in (
        ("reminder_policies", "SELECT, INSERT, UPDATE"),
        ("reminder_preferences", "SELECT, INSERT, UPDATE, DELETE"),
        ("reminder_claims", "SELECT, INSERT, UPDATE"),
    ):
        for sql in tenant_table(t, app_privileges=rights, projector="SELECT"):
            op.execute(sql)
    # The scheduler's scan reads what is due across tenants (and nothing it does not need).
    for t in ("step_deadlines", "members", "item_views", "plan_views"):
        op.execute(
            f"CREATE POLICY projector_read ON {t} FOR SELECT TO {PROJECTOR_ROLE} USING (true)"
        )
        op.execute(f"GRANT SELECT ON {t} TO {PROJECTOR_ROLE}")
    op.execute(f"GRANT SELECT ON office_members TO {PROJECTOR_ROLE}")
    op.execute(
        f"CREATE POLICY projector_read ON office_members FOR SELECT TO {PROJECTOR_ROLE} "
        "USING (true)"
    )
    op.execute(FAILED)
    op.execute("REVOKE ALL ON FUNCTION app_failed_reminders() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_failed_reminders() TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS app_failed_reminders()")
    for t in ("step_deadlines", "members", "item_views", "plan_views", "office_members"):
        op.execute(f"DROP POLICY IF EXISTS projector_read ON {t}")
        op.execute(f"REVOKE SELECT ON {t} FROM {PROJECTOR_ROLE}")
    for t in ("reminder_claims", "reminder_preferences", "reminder_policies"):
        op.execute(f"DROP TABLE IF EXISTS {t}")
