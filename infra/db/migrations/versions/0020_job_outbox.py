"""The job outbox: a job and the order to run it commit in one transaction.

A report job used to be committed before its task reached Redis: with Redis down the job
stayed "queued" for ever. Now the use case inserts the job and a ``job_outbox`` row in the same
transaction; a relay (beat, every few seconds, and a best-effort hand-off right after the
commit) gives each unsent row to Celery and marks it sent only once Redis took it.

A tenant's rows are tenant rows (the web role writes and reads its own tenant's: the usual
policies); the scheduler and the relay are the projector role (every row; province jobs have no
tenant).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03
"""

from alembic import op

from infra.db.rls import tenant_table

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE job_outbox (
            key text PRIMARY KEY,
            tenant_id uuid REFERENCES organisations (id),
            task text NOT NULL,
            args jsonb NOT NULL,
            created_at timestamptz NOT NULL,
            sent_at timestamptz,
            attempts integer NOT NULL DEFAULT 0,
            last_error text NOT NULL DEFAULT ''
        )""")
    op.execute("CREATE INDEX job_outbox_unsent ON job_outbox (created_at) WHERE sent_at IS NULL")
    for sql in tenant_table(
        "job_outbox", app_privileges="SELECT, INSERT, UPDATE", projector="SELECT, INSERT, UPDATE"
    ):
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS job_outbox")
