"""Read models of plans, items and step deadlines (inline projection "plans").

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op

from infra.db.rls import tenant_table_v1 as tenant_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE plan_views (
            tenant_id uuid NOT NULL,
            plan_id uuid NOT NULL,
            version integer NOT NULL,
            summary jsonb NOT NULL,
            PRIMARY KEY (tenant_id, plan_id)
        )""")
    op.execute("""
        CREATE TABLE item_views (
            tenant_id uuid NOT NULL,
            item_id uuid NOT NULL,
            plan_id uuid NOT NULL,
            number text NOT NULL,
            sort_key integer[] NOT NULL,
            kind text NOT NULL,
            registered_name text NOT NULL,
            version integer NOT NULL DEFAULT 0,
            sheet jsonb NOT NULL,
            PRIMARY KEY (tenant_id, item_id)
        )""")
    op.execute("CREATE INDEX item_views_plan ON item_views (tenant_id, plan_id, sort_key)")
    op.execute("""
        CREATE TABLE step_deadlines (
            tenant_id uuid NOT NULL,
            item_id uuid NOT NULL,
            number text NOT NULL,
            plan_id uuid NOT NULL,
            title text NOT NULL,
            due_date date,
            status text NOT NULL,
            completed_on date,
            PRIMARY KEY (tenant_id, item_id, number)
        )""")
    op.execute(
        "CREATE INDEX step_deadlines_open ON step_deadlines (tenant_id, due_date) "
        "WHERE status <> 'completed'"
    )
    for t in ("plan_views", "item_views", "step_deadlines"):
        for sql in tenant_table(t, app_privileges="SELECT, INSERT, UPDATE, DELETE"):
            op.execute(sql)


def downgrade() -> None:
    for t in ("step_deadlines", "item_views", "plan_views"):
        op.execute(f"DROP TABLE IF EXISTS {t}")
