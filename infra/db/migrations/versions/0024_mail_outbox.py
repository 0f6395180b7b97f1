"""The mail outbox: every email the service sends (invitations, password resets, and any
other kind) is a row written in the transaction of what caused it; a worker claims the row
(a lock held across the SMTP send), marks it sent before committing, retries failures with
doubling backoff; beat hands Celery whatever is still unsent.

tenant_id is the LAO's, or NULL for the accounts of provincial offices and the operator (as in
``account_links``). The projector role reads across tenants (the relay) and writes nothing.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03
"""

from alembic import op

from infra.db.rls import ORG_SCOPE, tenant_table
from infra.settings import APP_ROLE

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

# The operator's view of mail that failed for good (no content beyond the address and subject):
# SECURITY DEFINER, so it answers only in the operator's transaction (app.scope = 'operator',
# as app_failed_reminders() since 0021).
FAILED = """
CREATE FUNCTION app_failed_mail()
RETURNS TABLE (tenant_code text, kind text, recipient text, subject text, attempts integer,
               last_error text, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(o.code, 'operator'), m.kind, m.recipient, m.subject, m.attempts,
         m.last_error, m.updated_at
  FROM mail_outbox m LEFT JOIN organisations o ON o.id = m.tenant_id
  WHERE m.status = 'failed' AND current_setting('app.scope', true) = 'operator'
  ORDER BY m.updated_at DESC LIMIT 500
$$
"""


def upgrade() -> None:
    op.execute("""
        CREATE TABLE mail_outbox (
            id uuid PRIMARY KEY,
            tenant_id uuid REFERENCES organisations (id),
            kind text NOT NULL,
            key text NOT NULL,
            recipient text NOT NULL,
            subject text NOT NULL,
            body_text text NOT NULL,
            body_html text NOT NULL DEFAULT '',
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed')),
            attempts integer NOT NULL DEFAULT 0,
            last_error text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL,
            next_attempt_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            sent_at timestamptz
        )""")
    op.execute(
        "CREATE UNIQUE INDEX mail_outbox_key ON mail_outbox "
        "(coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), kind, key)"
    )
    op.execute(
        "CREATE INDEX mail_outbox_unsent ON mail_outbox (next_attempt_at) WHERE status = 'pending'"
    )
    for sql in tenant_table(
        "mail_outbox", app_privileges="SELECT, INSERT, UPDATE", projector="SELECT"
    ):
        op.execute(sql)
    op.execute(
        f"CREATE POLICY org_scope ON mail_outbox TO {APP_ROLE} "
        f"USING (tenant_id IS NULL AND {ORG_SCOPE}) "
        f"WITH CHECK (tenant_id IS NULL AND {ORG_SCOPE})"
    )
    op.execute(FAILED)
    op.execute("REVOKE ALL ON FUNCTION app_failed_mail() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION app_failed_mail() TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS app_failed_mail()")
    op.execute("DROP TABLE IF EXISTS mail_outbox")
