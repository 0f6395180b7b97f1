"""The plan overview's template gets a digest.

``plan_views.overview_digest``: SHA-256 over the template's parts, each preceded by its length
(4 bytes, big-endian): ``domain.plans.views.template_digest``. A template is the same text for
every request until the projection rewrites it, so an API process keeps the parts it read under
their digest (infra/overview_cache); ``app_plan_overview(tenant, plan, today, known)`` sends
the parts only when their digest is not ``known``, and the day's fillers as one text joined by
U+001F (which JSON text never holds raw).

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# A row's digest from its parts (the test of this migration checks it against Python's).
DIGEST_OF_PARTS = """(
    SELECT sha256(string_agg(int4send(length(p)) || p, ''::bytea ORDER BY i))
      FROM unnest(overview_parts) WITH ORDINALITY AS u(p, i))"""
DIGEST = (
    f"UPDATE plan_views SET overview_digest = {DIGEST_OF_PARTS} WHERE overview_parts IS NOT NULL"
)

READ = """
CREATE FUNCTION app_plan_overview(p_tenant uuid, p_plan uuid, p_today date, p_known bytea)
RETURNS TABLE (version integer, digest bytea, overview_parts bytea[], fillers text,
               total integer, summary jsonb)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  RETURN QUERY
    SELECT v.version, v.overview_digest,
           CASE WHEN v.overview_digest IS NOT DISTINCT FROM p_known AND p_known IS NOT NULL
                THEN NULL ELSE v.overview_parts END,
           array_to_string(v.overview_fillers[p.k * p.n + 1 : (p.k + 1) * p.n], E'\\x1f'),
           v.overview_totals[p.k + 1], CASE WHEN v.overview_parts IS NULL THEN v.summary END
      FROM plan_views v
      CROSS JOIN LATERAL (
        SELECT coalesce(cardinality(v.overview_parts) - 3, 0) AS n,
               (SELECT count(*) FROM unnest(v.overview_breaks) AS b(d) WHERE b.d < p_today)::int
                 AS k) AS p
     WHERE v.tenant_id = p_tenant AND v.plan_id = p_plan;
END $$
"""


def upgrade() -> None:
    op.execute("ALTER TABLE plan_views ADD COLUMN overview_digest bytea")
    op.execute(DIGEST)
    op.execute(READ)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS app_plan_overview(uuid, uuid, date, bytea)")
    op.execute("ALTER TABLE plan_views DROP COLUMN overview_digest")
