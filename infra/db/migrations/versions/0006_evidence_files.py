"""Evidence files a tenant uploaded (the bytes live in the file store, by SHA-256).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from alembic import op

from infra.db.rls import tenant_table_v1 as tenant_table

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE evidence_files (
            tenant_id uuid NOT NULL,
            sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
            name text NOT NULL,
            media_type text NOT NULL,
            size integer NOT NULL CHECK (size >= 0),
            uploaded_at timestamptz NOT NULL DEFAULT now(),
            uploaded_by text NOT NULL,
            PRIMARY KEY (tenant_id, sha256)
        )""")
    for sql in tenant_table("evidence_files", app_privileges="SELECT, INSERT"):
        op.execute(sql)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS evidence_files")
