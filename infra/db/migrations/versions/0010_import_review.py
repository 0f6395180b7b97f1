"""Import review: batches of uploaded plan documents and the detail sheets read from them,
kept for a person to check, edit, accept or reject. Accepting adds the item through the
ordinary plan commands; these tables are working material, not read models of the plan.

(Numbered 0008 as reserved; it runs after the revisions that landed before it.)

Revision ID: 0008
Revises: 0010
Create Date: 2026-11-29
"""

from alembic import op

from infra.db.rls import tenant_table

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE import_batches (
            tenant_id uuid NOT NULL,
            batch_id uuid NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            created_by text NOT NULL,
            files jsonb NOT NULL,
            PRIMARY KEY (tenant_id, batch_id)
        )""")
    op.execute("""
        CREATE TABLE import_sheets (
            tenant_id uuid NOT NULL,
            sheet_id uuid NOT NULL,
            batch_id uuid NOT NULL,
            position integer NOT NULL,
            source text NOT NULL,
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'rejected')),
            parsed jsonb NOT NULL,
            sheet jsonb NOT NULL,
            edited_at timestamptz,
            edited_by text,
            plan_id uuid,
            item_id uuid,
            decided_at timestamptz,
            decided_by text,
            reason text,
            PRIMARY KEY (tenant_id, sheet_id),
            UNIQUE (tenant_id, batch_id, position),
            FOREIGN KEY (tenant_id, batch_id) REFERENCES import_batches (tenant_id, batch_id),
            CHECK ((status = 'accepted') = (item_id IS NOT NULL))
        )""")
    for table in ("import_batches", "import_sheets"):
        for sql in tenant_table(table, app_privileges="SELECT, INSERT, UPDATE"):
            op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS import_sheets")
    op.execute("DROP TABLE IF EXISTS import_batches")
