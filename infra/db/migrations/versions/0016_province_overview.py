"""The province overview: one row per LAO, across tenants (async projection "lao_overview").

Written only by the projector role (and the owner's rebuild). The web role reads a row only
in a transaction that names the row's province (``app.province``: a provincial office's
overview transaction, or a reviewer's transaction) or in the operator's (``app.overview`` =
'all' with the org scope): see ``infra.auth.orgs.overview_transaction``.

Overdue steps depend on the day they are read: the row keeps the sorted due dates of the open
steps (``open_due``); a reader counts those before today with ``width_bucket`` (a binary
search) and the oldest is ``open_due[1]``.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29
"""

from alembic import op

from infra.db.rls import ORG_SCOPE
from infra.settings import APP_ROLE, PROJECTOR_ROLE

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

READ = (
    "province_code = current_setting('app.province', true) "
    f"OR (current_setting('app.overview', true) = 'all' AND {ORG_SCOPE})"
)


def upgrade() -> None:
    op.execute("""
        CREATE TABLE lao_overview (
            tenant_id uuid PRIMARY KEY REFERENCES organisations (id),
            province_code text NOT NULL REFERENCES provinces (code),
            declarations_published integer NOT NULL DEFAULT 0,
            declaration_first_published date,
            announcements integer NOT NULL DEFAULT 0,
            declaration_last_announced date,
            plan_id uuid,
            plan_title text,
            plan_status text,
            plan_first_year integer,
            plan_last_year integer,
            plan_promulgated_on date,
            items integer NOT NULL DEFAULT 0,
            steps_total integer NOT NULL DEFAULT 0,
            steps_done integer NOT NULL DEFAULT 0,
            open_due date[] NOT NULL DEFAULT '{}',
            indicators_total integer NOT NULL DEFAULT 0,
            indicators_met integer NOT NULL DEFAULT 0,
            reports jsonb NOT NULL DEFAULT '{}',
            revisions_open integer NOT NULL DEFAULT 0,
            last_activity_at timestamptz,
            last_event_type text
        )""")
    # The province dashboard: the rows of one province (beside organisations_province).
    op.execute("CREATE INDEX lao_overview_province ON lao_overview (province_code)")
    op.execute("ALTER TABLE lao_overview ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE lao_overview FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY owner_maintenance ON lao_overview TO CURRENT_USER "
        "USING (true) WITH CHECK (true)"
    )
    op.execute(
        f"CREATE POLICY projector_all ON lao_overview TO {PROJECTOR_ROLE} "
        "USING (true) WITH CHECK (true)"
    )
    op.execute(
        f"CREATE POLICY province_read ON lao_overview FOR SELECT TO {APP_ROLE} USING ({READ})"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON lao_overview TO {PROJECTOR_ROLE}")
    op.execute(f"GRANT SELECT ON lao_overview TO {APP_ROLE}")
    # The projection reads the tenants' inline read models (0012 granted the others).
    op.execute(
        f"CREATE POLICY projector_read ON declaration_views FOR SELECT TO {PROJECTOR_ROLE} "
        "USING (true)"
    )
    op.execute(f"GRANT SELECT ON declaration_views TO {PROJECTOR_ROLE}")


def downgrade() -> None:
    op.execute("DROP POLICY IF EXISTS projector_read ON declaration_views")
    op.execute(f"REVOKE SELECT ON declaration_views FROM {PROJECTOR_ROLE}")
    op.execute("DELETE FROM projector_checkpoints WHERE name = 'lao_overview'")
    op.execute("DROP TABLE IF EXISTS lao_overview")
