"""The plan overview's one statement, cheaper for the database: ``app_plan_overview_row``.

``app_plan_overview`` (migrations 0011 and 0019) cost the server ~100 us of CPU per call more
than reading the row does: a set-returning PL/pgSQL function (``RETURN QUERY``: a portal and a
tuplestore per call), ``cardinality(overview_parts)`` to count the holes (which detoasts the
whole template, ~35 KB, on every request, even when the parts are not sent) and a subquery
over ``unnest(overview_breaks)`` to count the passed breaks. The new function returns its one
row as OUT parameters (a row of NULLs when the plan is not found: the caller filters on
``version``, which is never NULL), counts the holes from the fillers (one per hole in each
period, and a period per total: ``cardinality(fillers) / cardinality(totals)``) and the passed
breaks with ``width_bucket`` (the breaks are unique and ascending: the number of breaks on or
before yesterday is the number before today). Same values, same tenant set for itself in the
caller's transaction, same row-level security (an invoker's function: the web role reads).

``app_plan_overview`` stays for processes of the previous release during a deploy.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03
"""

from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

READ = """
CREATE FUNCTION app_plan_overview_row(
    p_tenant uuid, p_plan uuid, p_today date, p_known bytea,
    OUT version integer, OUT digest bytea, OUT overview_parts bytea[], OUT fillers text,
    OUT total integer, OUT summary jsonb)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  f text[];
  t integer[];
  k integer;
  n integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  SELECT v.version, v.overview_digest,
         CASE WHEN v.overview_digest IS NOT DISTINCT FROM p_known AND p_known IS NOT NULL
              THEN NULL ELSE v.overview_parts END,
         CASE WHEN v.overview_parts IS NULL THEN v.summary END,
         v.overview_fillers, v.overview_totals,
         coalesce(width_bucket(p_today - 1, v.overview_breaks), 0)
    INTO version, digest, overview_parts, summary, f, t, k
    FROM plan_views v
   WHERE v.tenant_id = p_tenant AND v.plan_id = p_plan;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  n := coalesce(cardinality(f) / nullif(cardinality(t), 0), 0);
  fillers := array_to_string(f[k * n + 1 : (k + 1) * n], E'\\x1f');
  total := t[k + 1];
END $$
"""


def upgrade() -> None:
    op.execute(READ)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS app_plan_overview_row(uuid, uuid, date, bytea)")
