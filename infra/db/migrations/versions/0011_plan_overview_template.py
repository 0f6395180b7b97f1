"""The plan overview, kept ready by the inline projection: item briefs and an overview template.

- ``item_views.brief``: the part of the sheet the overview reads (name, budget, steps' number,
  status and due date), so that the overview never decodes whole sheets;
- ``plan_views.overview_*``: the overview as UTF-8 JSON text around holes for what depends on
  the day (each item's overdue steps, their count, the day) and what fills them in each period
  between two due dates (domain.plans.views.OverviewTemplate). NULL until the projection
  writes them (after this migration: the plan's next event, or ``sujarit projections
  rebuild``); the API computes the overview from the items' briefs meanwhile;
- ``app_plan_overview(tenant, plan, today)``: one statement that sets the tenant for itself and
  reads the plan's version, template and today's fillers (one round trip for the API's most
  read page).

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-29
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BRIEF = """
UPDATE item_views SET brief = jsonb_build_object(
    'name', sheet->'name', 'no_budget', sheet->'no_budget', 'budget', sheet->'budget',
    'steps', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                  'number', s->'number', 'status', s->'status', 'due', s->'due') ORDER BY i),
                  '[]'::jsonb)
              FROM jsonb_array_elements(sheet->'steps') WITH ORDINALITY AS e(s, i)))
"""

# The plan's row for its overview on a day: the version, the template's parts and what fills
# its holes in the day's period (once k of the breaks are before the day: the k-th run of
# fillers, one per shown item, and the k-th total); before the projection has written the
# template, the summary to compute the overview from.
READ = """
CREATE FUNCTION app_plan_overview(p_tenant uuid, p_plan uuid, p_today date)
RETURNS TABLE (version integer, overview_parts bytea[], fillers text[], total integer,
               summary jsonb)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  RETURN QUERY
    SELECT v.version, v.overview_parts, v.overview_fillers[p.k * p.n + 1 : (p.k + 1) * p.n],
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
    op.execute("ALTER TABLE item_views ADD COLUMN brief jsonb")
    op.execute(BRIEF)
    op.execute("ALTER TABLE item_views ALTER COLUMN brief SET NOT NULL")
    op.execute("""
        ALTER TABLE plan_views
            ADD COLUMN overview_parts bytea[],
            ADD COLUMN overview_breaks date[],
            ADD COLUMN overview_fillers text[],
            ADD COLUMN overview_totals integer[]""")
    # Read on every request, written on a plan's events: kept uncompressed (no pglz per read).
    op.execute("ALTER TABLE plan_views ALTER COLUMN overview_parts SET STORAGE EXTERNAL")
    op.execute(READ)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS app_plan_overview(uuid, uuid, date)")
    op.execute(
        "DROP FUNCTION IF EXISTS app_render_overview(text[], integer[], date[], text[], date)"
    )
    op.execute("""
        ALTER TABLE plan_views
            DROP COLUMN overview_parts,
            DROP COLUMN overview_open_slot,
            DROP COLUMN overview_open_due,
            DROP COLUMN overview_open_number""")
    op.execute("ALTER TABLE item_views DROP COLUMN brief")
