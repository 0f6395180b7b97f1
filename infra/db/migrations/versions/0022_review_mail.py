"""The review mail outbox: one row per (tenant, thread, event, recipient) that must be emailed
(a revision request to the LAO's plan officers and executives). The row is written in the
transaction that appends the event (the inline "review" projection); a worker claims it
(a row lock held across the SMTP send, marked sent before commit), retries with backoff, and
marks it failed for good after its retries; the scan (the projector role) finds what is
pending.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""

from alembic import op

from infra.db.rls import tenant_table

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE review_mail (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            thread_id uuid NOT NULL,
            event_version integer NOT NULL,
            recipient text NOT NULL,
            name text NOT NULL DEFAULT '',
            text text NOT NULL,
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed')),
            attempts integer NOT NULL DEFAULT 0,
            last_error text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, thread_id, event_version, recipient)
        )""")
    op.execute(
        "CREATE INDEX review_mail_pending ON review_mail (created_at) WHERE status = 'pending'"
    )
    for sql in tenant_table(
        "review_mail", app_privileges="SELECT, INSERT, UPDATE", projector="SELECT"
    ):
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TABLE review_mail")
