"""SQL for row-level security, shared by the migrations.

Every tenant table: RLS enabled and FORCED; the web role sees and writes only the rows of the
tenant set for the transaction (``app_tenant()`` raises when none is set); the owner keeps an
explicit maintenance policy (migrations, rebuilds, verify); other roles get nothing unless a
migration grants them a policy of their own.
"""

from __future__ import annotations

from infra.settings import APP_ROLE, PROJECTOR_ROLE


def tenant_table(table: str, *, app_privileges: str, projector: str | None = None) -> list[str]:
    """Statements that put ``table`` (with a ``tenant_id`` column) under tenant isolation."""
    sql = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_maintenance ON {table} TO CURRENT_USER "
        "USING (true) WITH CHECK (true)",
        f"CREATE POLICY tenant_isolation ON {table} TO {APP_ROLE} "
        f"USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()))",
        f"GRANT {app_privileges} ON {table} TO {APP_ROLE}",
    ]
    if projector:
        sql += [
            f"CREATE POLICY projector_all ON {table} TO {PROJECTOR_ROLE} "
            "USING (true) WITH CHECK (true)",
            f"GRANT {projector} ON {table} TO {PROJECTOR_ROLE}",
        ]
    return sql
