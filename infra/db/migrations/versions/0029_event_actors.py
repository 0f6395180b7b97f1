"""Who acted, kept in the tenant's own store: the person behind a publication's event.

The events that record a published file (report generated or submitted, declaration published
or announced, plan promulgated) are published whole by ``/p/<code>/log/record``, so that a
citizen can recompute their hash: from now on their metadata names the actor's role and office
(``"actor": "<role>/<office>"``), never a person. The person (the signed-in account's e-mail
address) goes to ``event_actors`` (tenant_id, sequence, actor) in the same transaction, under
the tenant's row-level security like every tenant table and never readable by the public role.
The timeline (who did what, the LAO's history page) reads the person from it first.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03
"""

from alembic import op

from infra.db.rls import tenant_table

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE event_actors (
            tenant_id uuid NOT NULL,
            sequence bigint NOT NULL,
            actor text NOT NULL,
            PRIMARY KEY (tenant_id, sequence)
        )""")
    for sql in tenant_table("event_actors", app_privileges="SELECT, INSERT", projector="SELECT"):
        op.execute(sql)
    op.execute("""
        CREATE OR REPLACE VIEW timeline WITH (security_invoker = true) AS
        SELECT e.tenant_id, e.sequence, e.recorded_at, e.event_type, e.stream_type, e.stream_id,
               e.version, coalesce(a.actor, e.metadata->>'actor', '') AS actor
        FROM events e
        LEFT JOIN event_actors a ON a.tenant_id = e.tenant_id AND a.sequence = e.sequence""")


def downgrade() -> None:
    op.execute("""
        CREATE OR REPLACE VIEW timeline WITH (security_invoker = true) AS
        SELECT tenant_id, sequence, recorded_at, event_type, stream_type, stream_id, version,
               coalesce(metadata->>'actor', '') AS actor
        FROM events""")
    op.execute("DROP TABLE event_actors")
