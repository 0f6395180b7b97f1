"""Reports: the jobs that generate them, the LAOs' reports and the provincial summaries.

report_jobs: one row per generation asked for (on demand by a member, or by the scheduler):
scope tenant (an LAO's report of a round) or province (a province's summary), status
queued -> running -> done | failed. Tenant jobs are tenant rows (the usual tenant policies:
the web role sees and writes its own tenant's); province jobs have no tenant and are the
scheduler's (the projector role), which also queues the scheduled tenant jobs.

reports: the LAO's generated files (one row per format of a generation), written by the inline
projection ``reports`` from ReportGenerated / ReportSubmitted (so rebuilds give the same rows).
A tenant table: the web role reads its own tenant's rows, a provincial reviewer those of an
LAO of its province (``app_tenant()``), the projector reads all (the scheduler's "is there a
report of the round already", and the summaries' "submitted on").

province_reports: the provincial summaries. They belong to a province, not to a tenant, so
they are an office-scoped table: the web role reads a row only when the transaction is a
reviewer's of that province (``app.province``, set by the code for office sessions only;
never set in a tenant's transaction, so an LAO's member reads none), and writes none. Only
the projector role (the worker generating them, which reads across the province anyway)
inserts them. Preferred to a SECURITY DEFINER reader, which would run as the owner and bypass
every policy: here the database itself keeps a reviewer to its province.

Files are stored content-addressed in the file store; the rows hold their SHA-256.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from alembic import op

from infra.db.rls import tenant_table
from infra.settings import APP_ROLE, PROJECTOR_ROLE

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

PROVINCE = "province_code = current_setting('app.province', true)"


def upgrade() -> None:
    op.execute("""
        CREATE TABLE report_jobs (
            id uuid PRIMARY KEY,
            tenant_id uuid REFERENCES organisations (id),
            province_code text REFERENCES provinces (code),
            scope text NOT NULL CHECK (scope IN ('tenant', 'province')),
            round text NOT NULL,
            status text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'done', 'failed')),
            error text NOT NULL DEFAULT '',
            requested_by text NOT NULL,
            content_hash text,
            created_at timestamptz NOT NULL,
            started_at timestamptz,
            finished_at timestamptz,
            CHECK ((scope = 'tenant') = (tenant_id IS NOT NULL)),
            CHECK ((scope = 'province') = (province_code IS NOT NULL))
        )""")
    op.execute("CREATE INDEX report_jobs_tenant ON report_jobs (tenant_id, created_at)")
    op.execute("""
        CREATE TABLE reports (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            id uuid NOT NULL,
            round text NOT NULL,
            format text NOT NULL CHECK (format IN ('pdf', 'xlsx')),
            sha256 text NOT NULL,
            size integer NOT NULL,
            content_hash text NOT NULL,
            as_of date NOT NULL,
            generated_at timestamptz NOT NULL,
            submitted_at timestamptz,
            submitted_by text,
            PRIMARY KEY (tenant_id, id),
            UNIQUE (tenant_id, round, content_hash, format)
        )""")
    op.execute("""
        CREATE TABLE province_reports (
            id uuid PRIMARY KEY,
            province_code text NOT NULL REFERENCES provinces (code),
            round text NOT NULL,
            format text NOT NULL CHECK (format IN ('pdf', 'xlsx')),
            sha256 text NOT NULL,
            size integer NOT NULL,
            content_hash text NOT NULL,
            as_of date NOT NULL,
            lao_count integer NOT NULL,
            generated_at timestamptz NOT NULL,
            UNIQUE (province_code, round, content_hash, format)
        )""")
    for t, app_rights, projector in (
        ("report_jobs", "SELECT, INSERT, UPDATE", "SELECT, INSERT, UPDATE"),
        ("reports", "SELECT, INSERT, UPDATE", "SELECT"),
    ):
        for sql in tenant_table(t, app_privileges=app_rights, projector=projector):
            op.execute(sql)
    t = "province_reports"
    op.execute(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY owner_maintenance ON {t} TO CURRENT_USER USING (true) WITH CHECK (true)"
    )
    op.execute(f"CREATE POLICY province_read ON {t} FOR SELECT TO {APP_ROLE} USING ({PROVINCE})")
    op.execute(f"GRANT SELECT ON {t} TO {APP_ROLE}")
    op.execute(
        f"CREATE POLICY projector_all ON {t} TO {PROJECTOR_ROLE} USING (true) WITH CHECK (true)"
    )
    op.execute(f"GRANT SELECT, INSERT ON {t} TO {PROJECTOR_ROLE}")


def downgrade() -> None:
    for t in ("province_reports", "reports", "report_jobs"):
        op.execute(f"DROP TABLE IF EXISTS {t}")
