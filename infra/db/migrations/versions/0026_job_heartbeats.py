"""Report jobs that cannot be lost with their worker: a heartbeat and a count of attempts.

- ``report_jobs.heartbeat_at``: the worker running the job writes it every few seconds
  (``JOB_HEARTBEAT_SECONDS``); a running job whose heartbeat is older than
  ``JOB_STALE_SECONDS`` belonged to a worker that is gone (a container killed as a whole), and
  the sweep (beat, every ``JOB_SWEEP_SECONDS``) queues it again through the job outbox.
- ``report_jobs.attempts``: how many times a job was taken back from a lost worker; after
  ``MAX_LOST_ATTEMPTS`` it fails with a reason instead of taking down worker after worker.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE report_jobs ADD COLUMN heartbeat_at timestamptz")
    op.execute("ALTER TABLE report_jobs ADD COLUMN attempts integer NOT NULL DEFAULT 0")
    op.execute(
        "CREATE INDEX report_jobs_running ON report_jobs (heartbeat_at) WHERE status = 'running'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX report_jobs_running")
    op.execute("ALTER TABLE report_jobs DROP COLUMN attempts")
    op.execute("ALTER TABLE report_jobs DROP COLUMN heartbeat_at")
