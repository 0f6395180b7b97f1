"""SQL for row-level security, shared by the migrations.

Every tenant table: RLS enabled and FORCED; the web role sees and writes only the rows of the
tenant set for the transaction (``app_tenant()`` raises when none is set); the owner keeps an
explicit maintenance policy (migrations, rebuilds, verify); other roles get nothing unless a
migration grants them a policy of their own.
"""

from __future__ import annotations

from infra.settings import APP_ROLE, PROJECTOR_ROLE

# Rows of no tenant (provincial offices' and the operator's accounts): visible to the web role
# only in a transaction that the code opened for them.
ORG_SCOPE = "current_setting('app.scope', true) = 'org'"


def tenant_table(table: str, *, app_privileges: str, projector: str | None = None) -> list[str]:
    """Statements that put ``table`` (with a ``tenant_id`` column) under tenant isolation.

    Reading needs ``app_tenant()`` (the tenant set for the transaction; for a provincial
    reviewer, a tenant of the reviewer's province); writing needs ``app_write_tenant()``,
    which is never set for a reviewer. (Migrations 0001-0006 used ``tenant_table_v1``; 0007
    split their policies the same way.)
    """
    return _tenant_table(
        table,
        [
            f"CREATE POLICY tenant_read ON {table} FOR SELECT TO {APP_ROLE} "
            "USING (tenant_id = (SELECT app_tenant()))",
            f"CREATE POLICY tenant_write ON {table} FOR ALL TO {APP_ROLE} "
            "USING (tenant_id = (SELECT app_write_tenant())) "
            "WITH CHECK (tenant_id = (SELECT app_write_tenant()))",
        ],
        app_privileges,
        projector,
    )


def tenant_table_v1(table: str, *, app_privileges: str, projector: str | None = None) -> list[str]:
    """The single policy of the first migrations (kept so that they stay as they ran)."""
    return _tenant_table(
        table,
        [
            f"CREATE POLICY tenant_isolation ON {table} TO {APP_ROLE} "
            "USING (tenant_id = (SELECT app_tenant())) "
            "WITH CHECK (tenant_id = (SELECT app_tenant()))"
        ],
        app_privileges,
        projector,
    )


def _tenant_table(
    table: str, policies: list[str], app_privileges: str, projector: str | None
) -> list[str]:
    sql = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY owner_maintenance ON {table} TO CURRENT_USER "
        "USING (true) WITH CHECK (true)",
        *policies,
        f"GRANT {app_privileges} ON {table} TO {APP_ROLE}",
    ]
    if projector:
        sql += [
            f"CREATE POLICY projector_all ON {table} TO {PROJECTOR_ROLE} "
            "USING (true) WITH CHECK (true)",
            f"GRANT {projector} ON {table} TO {PROJECTOR_ROLE}",
        ]
    return sql
