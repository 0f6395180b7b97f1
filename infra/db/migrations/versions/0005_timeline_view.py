"""The tenant's timeline becomes a view over the events (it held nothing they do not).

One table less to write in every append; row-level security still applies, since the view
runs with the invoker's rights.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from alembic import op

from infra.settings import APP_ROLE

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE timeline")
    op.execute("""
        CREATE VIEW timeline WITH (security_invoker = true) AS
        SELECT tenant_id, sequence, recorded_at, event_type, stream_type, stream_id, version,
               coalesce(metadata->>'actor', '') AS actor
        FROM events""")
    op.execute(f"GRANT SELECT ON timeline TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP VIEW timeline")
    op.execute("""
        CREATE TABLE timeline (
            tenant_id uuid NOT NULL,
            sequence bigint NOT NULL,
            recorded_at timestamptz NOT NULL,
            event_type text NOT NULL,
            stream_type text NOT NULL,
            stream_id uuid NOT NULL,
            version integer NOT NULL,
            actor text NOT NULL DEFAULT '',
            PRIMARY KEY (tenant_id, sequence)
        )""")
    from infra.db.rls import tenant_table_v1 as tenant_table

    for sql in tenant_table("timeline", app_privileges="SELECT, INSERT, UPDATE, DELETE"):
        op.execute(sql)
    op.execute(
        "INSERT INTO timeline SELECT tenant_id, sequence, recorded_at, event_type, stream_type, "
        "stream_id, version, coalesce(metadata->>'actor', '') FROM events"
    )
