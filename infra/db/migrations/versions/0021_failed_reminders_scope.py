"""app_failed_reminders() answers only in the operator's transaction.

It is SECURITY DEFINER (it reads every tenant's failed reminders for the operator's page), so
row-level security does not limit it: called in an LAO's transaction it returned other
tenants' rows. Now it returns rows only when the transaction is the operator's
(``app.scope = 'operator'``, set by the operator's use case); anywhere else, nothing.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

BODY = """
CREATE OR REPLACE FUNCTION app_failed_reminders()
RETURNS TABLE (tenant_code text, recipient text, subject text, due_date date, kind text,
               attempts integer, last_error text, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.code, c.recipient, c.subject, c.due_date, c.kind, c.attempts, c.last_error,
         c.updated_at
  FROM reminder_claims c JOIN organisations o ON o.id = c.tenant_id
  WHERE c.status = 'failed' {guard} ORDER BY c.updated_at DESC LIMIT 500
$$
"""


def upgrade() -> None:
    op.execute(BODY.format(guard="AND current_setting('app.scope', true) = 'operator'"))


def downgrade() -> None:
    op.execute(BODY.format(guard=""))
