"""Review threads: the provincial office's comments and revision requests on an LAO's plan,
items and reports (inline read model of the LAO's ``review`` streams).

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-29
"""

from alembic import op

from infra.db.rls import tenant_table

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE review_threads (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            thread_id uuid NOT NULL,
            subject text NOT NULL,
            kind text NOT NULL CHECK (kind IN ('comment', 'revision')),
            status text NOT NULL CHECK (status IN ('', 'open', 'answered', 'resolved')),
            text text NOT NULL,
            office text NOT NULL,
            requested_by text NOT NULL,
            requested_at timestamptz NOT NULL,
            answer text NOT NULL DEFAULT '',
            answered_by text NOT NULL DEFAULT '',
            answered_at timestamptz,
            resolved_by text NOT NULL DEFAULT '',
            resolved_at timestamptz,
            resolution text NOT NULL DEFAULT '',
            version integer NOT NULL,
            PRIMARY KEY (tenant_id, thread_id)
        )""")
    op.execute(
        "CREATE INDEX review_threads_open ON review_threads (tenant_id, requested_at) "
        "WHERE status IN ('open', 'answered')"
    )
    for sql in tenant_table(
        "review_threads", app_privileges="SELECT, INSERT, UPDATE, DELETE", projector="SELECT"
    ):
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS review_threads")
