"""Read models of declarations of intent and the complaints register.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op

from infra.db.rls import tenant_table_v1 as tenant_table

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE declaration_views (
            tenant_id uuid NOT NULL,
            declaration_id uuid NOT NULL,
            version integer NOT NULL,
            published_on date,
            view jsonb NOT NULL,
            PRIMARY KEY (tenant_id, declaration_id)
        )""")
    op.execute("""
        CREATE TABLE complaint_views (
            tenant_id uuid NOT NULL,
            complaint_id uuid NOT NULL,
            received_on date NOT NULL,
            fiscal_year integer NOT NULL,
            channel text NOT NULL,
            category text NOT NULL,
            resolved_on date,
            PRIMARY KEY (tenant_id, complaint_id)
        )""")
    op.execute("CREATE INDEX complaint_views_year ON complaint_views (tenant_id, fiscal_year)")
    for t in ("declaration_views", "complaint_views"):
        for sql in tenant_table(t, app_privileges="SELECT, INSERT, UPDATE, DELETE"):
            op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS complaint_views")
    op.execute("DROP TABLE IF EXISTS declaration_views")
