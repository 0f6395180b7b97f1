"""The public's side: the round reports an LAO submitted to the province are published.

``public_reports`` is a view over ``reports``: of each round and format the latest submitted
file (round, format, sha256, size, as of, submitted on, Asia/Bangkok). The public role reads
it, and through it only the submitted rows of ``reports`` and only the columns migration 0027
granted, and only the submitted PDFs its policy opens (never who submitted, never an
unsubmitted generation, not the spreadsheet). Its LAO's public page
lists them with a download link (/p/<code>/files/<sha256>), and the open data has them
(``reports``: data.json per LAO and /open-data/reports.csv).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

PUBLIC_ROLE = "sujarit_public"


def upgrade() -> None:
    op.execute("""
        CREATE VIEW public_reports WITH (security_invoker = true) AS
        SELECT DISTINCT ON (tenant_id, round, format)
               tenant_id, round, format, sha256, size, as_of,
               (submitted_at AT TIME ZONE 'Asia/Bangkok')::date AS submitted_on
        FROM reports
        WHERE submitted_at IS NOT NULL
        ORDER BY tenant_id, round, format, submitted_at DESC""")
    op.execute(f"GRANT SELECT ON public_reports TO {PUBLIC_ROLE}")


def downgrade() -> None:
    op.execute("DROP VIEW public_reports")
