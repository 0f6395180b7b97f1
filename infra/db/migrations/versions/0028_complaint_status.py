"""The complaints register keeps a complaint's status and outcome.

- ``complaint_views`` gains ``taken_up_on`` (the day the LAO started to look into it: อยู่ระหว่าง
  ดำเนินการ) and ``outcome`` (one of domain.complaints.complaint.OUTCOMES; "" for complaints
  resolved before outcomes were kept, and while not resolved). Rows already there have neither
  (ComplaintTakenUp did not exist; ComplaintResolved v1 had no outcome), so no rebuild is needed.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03
"""

from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE complaint_views ADD COLUMN taken_up_on date")
    op.execute("ALTER TABLE complaint_views ADD COLUMN outcome text NOT NULL DEFAULT ''")


def downgrade() -> None:
    op.execute("ALTER TABLE complaint_views DROP COLUMN outcome")
    op.execute("ALTER TABLE complaint_views DROP COLUMN taken_up_on")
