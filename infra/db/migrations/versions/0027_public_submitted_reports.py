"""The reports an LAO submitted to its provincial office are public: the ITA asks every LAO
to publish its 6-month and annual reports, and the service answers those items with a stable
address (/p/<code>/ita/<year>/<item>). The role ``sujarit_public`` may read, of ``reports``,
only the PDF rows that were submitted, and only the columns that name the file (not
``submitted_by``, an account's email). The files themselves are served by the application
from its file store by the sha256 read here.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03
"""

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

PUBLIC_ROLE = "sujarit_public"
COLUMNS = "tenant_id, round, format, sha256, size, as_of, submitted_at"


def upgrade() -> None:
    op.execute(
        f"CREATE POLICY public_read_submitted ON reports FOR SELECT TO {PUBLIC_ROLE} "
        f"USING (current_user = '{PUBLIC_ROLE}' AND submitted_at IS NOT NULL AND format = 'pdf')"
    )
    op.execute(f"GRANT SELECT ({COLUMNS}) ON reports TO {PUBLIC_ROLE}")


def downgrade() -> None:
    op.execute(f"REVOKE SELECT ({COLUMNS}) ON reports FROM {PUBLIC_ROLE}")
    op.execute("DROP POLICY IF EXISTS public_read_submitted ON reports")
