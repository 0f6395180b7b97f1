"""The public's side: an LAO's contact details and its complaint counts, for its public page.

- ``organisations`` gains ``address``, ``phone`` and ``website`` (empty until the operator
  sets them: ``sujarit organisations contact``); the public role already reads the register.
- ``public_complaint_counts`` (tenant_id, fiscal_year, received, resolved): how many
  complaints the LAO received and resolved per fiscal year, written by the inline projection
  ``public`` from the complaints register; numbers only, never a complaint's channel,
  category or anything about who complained. Read like the other public tables (migration
  0013): the web role its own tenant's rows, ``sujarit_public`` every tenant's.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""

from alembic import op

from infra.db.rls import tenant_table

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

PUBLIC_ROLE = "sujarit_public"


def upgrade() -> None:
    for column in ("address", "phone", "website"):
        op.execute(
            f"ALTER TABLE organisations ADD COLUMN IF NOT EXISTS {column} text NOT NULL DEFAULT ''"
        )
    op.execute("""
        CREATE TABLE public_complaint_counts (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            fiscal_year integer NOT NULL,
            received integer NOT NULL,
            resolved integer NOT NULL,
            PRIMARY KEY (tenant_id, fiscal_year)
        )""")
    for sql in tenant_table(
        "public_complaint_counts", app_privileges="SELECT, INSERT, UPDATE, DELETE"
    ):
        op.execute(sql)
    op.execute(
        f"CREATE POLICY public_read ON public_complaint_counts FOR SELECT TO {PUBLIC_ROLE} "
        f"USING (current_user = '{PUBLIC_ROLE}')"
    )
    op.execute(f"GRANT SELECT ON public_complaint_counts TO {PUBLIC_ROLE}")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS public_complaint_counts")
    for column in ("address", "phone", "website"):
        op.execute(f"ALTER TABLE organisations DROP COLUMN IF EXISTS {column}")
