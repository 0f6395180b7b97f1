"""Foundation: roles, reference data, tenancy, the event store, the first read models.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from alembic import op

from infra.db.rls import tenant_table_v1 as tenant_table
from infra.settings import APP_ROLE, PROJECTOR_ROLE

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
    CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PROJECTOR_ROLE}') THEN
    CREATE ROLE {PROJECTOR_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$
"""

APP_TENANT = """
CREATE FUNCTION app_tenant() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  v text := current_setting('app.tenant_id', true);
BEGIN
  IF v IS NULL OR v = '' THEN
    RAISE EXCEPTION 'no tenant is set for this transaction'
      USING ERRCODE = '42501', HINT = 'set app.tenant_id with set_config(..., true) first';
  END IF;
  RETURN v::uuid;
END $$
"""

# Take the tenant's head row lock first (serialises appends per tenant, so the tenant's
# sequence and its transactions' ids agree), then read the stream version and any earlier
# command with the same idempotency key. Separate statements: each sees what committed
# before the lock was granted.
BEGIN_APPEND = """
CREATE FUNCTION app_begin_append(p_tenant uuid, p_stream uuid, p_key text)
RETURNS TABLE (head_sequence bigint, head_hash bytea, stream_version integer,
               dup_first bigint, dup_last bigint, dup_fingerprint bytea)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  h_seq bigint;
  h_hash bytea;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  SELECT t.sequence, t.last_hash INTO h_seq, h_hash
    FROM tenant_heads t WHERE t.tenant_id = p_tenant FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO tenant_heads (tenant_id) VALUES (p_tenant) ON CONFLICT DO NOTHING;
    SELECT t.sequence, t.last_hash INTO h_seq, h_hash
      FROM tenant_heads t WHERE t.tenant_id = p_tenant FOR UPDATE;
  END IF;
  head_sequence := h_seq;
  head_hash := h_hash;
  SELECT coalesce(max(e.version), 0) INTO stream_version
    FROM events e WHERE e.tenant_id = p_tenant AND e.stream_id = p_stream;
  dup_first := NULL; dup_last := NULL; dup_fingerprint := NULL;
  IF p_key IS NOT NULL THEN
    SELECT c.first_sequence, c.last_sequence, c.fingerprint
      INTO dup_first, dup_last, dup_fingerprint
      FROM command_log c WHERE c.tenant_id = p_tenant AND c.idempotency_key = p_key;
  END IF;
  RETURN NEXT;
END $$
"""


def upgrade() -> None:
    op.execute(ROLES)
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}, {PROJECTOR_ROLE}")
    op.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    op.execute(APP_TENANT)

    # Reference data: not tenant tables (no tenant_id); readable by all, written by the owner.
    op.execute("""
        CREATE TABLE provinces (
            code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
            name_th text NOT NULL UNIQUE,
            name_en text NOT NULL UNIQUE,
            region text NOT NULL
        )""")
    op.execute("""
        CREATE TABLE organisations (
            id uuid PRIMARY KEY,
            code text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z-]{3,20}$'),
            name_th text NOT NULL,
            name_en text NOT NULL DEFAULT '',
            kind text NOT NULL CHECK (kind IN
                ('sao', 'subdistrict_municipality', 'town_municipality',
                 'city_municipality', 'pao', 'special')),
            province_code text NOT NULL REFERENCES provinces (code),
            district text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute("CREATE INDEX organisations_province ON organisations (province_code, kind)")
    op.execute("""
        CREATE TABLE provincial_offices (
            id uuid PRIMARY KEY,
            province_code text NOT NULL UNIQUE REFERENCES provinces (code),
            name_th text NOT NULL,
            name_en text NOT NULL DEFAULT ''
        )""")
    for t in ("provinces", "organisations", "provincial_offices"):
        op.execute(f"GRANT SELECT ON {t} TO {APP_ROLE}, {PROJECTOR_ROLE}")

    # The event store.
    op.execute("""
        CREATE TABLE tenant_heads (
            tenant_id uuid PRIMARY KEY REFERENCES organisations (id),
            sequence bigint NOT NULL DEFAULT 0,
            last_hash bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex')
        )""")
    op.execute("""
        CREATE TABLE events (
            tenant_id uuid NOT NULL,
            sequence bigint NOT NULL,
            stream_type text NOT NULL,
            stream_id uuid NOT NULL,
            version integer NOT NULL CHECK (version > 0),
            event_id uuid NOT NULL,
            event_type text NOT NULL,
            schema_version smallint NOT NULL DEFAULT 1,
            data jsonb NOT NULL,
            metadata jsonb NOT NULL DEFAULT '{}',
            recorded_at timestamptz NOT NULL,
            prev_hash bytea NOT NULL,
            hash bytea NOT NULL,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            PRIMARY KEY (tenant_id, sequence),
            UNIQUE (tenant_id, stream_id, version),
            UNIQUE (tenant_id, event_id)
        )""")
    # The log followers' index (gap-safe reading by transaction id). In a distributed
    # (Citus) layout this stays a shard-local index; every key above starts with tenant_id.
    op.execute("CREATE INDEX events_log_order ON events (xid, tenant_id, sequence)")
    op.execute("""
        CREATE TABLE command_log (
            tenant_id uuid NOT NULL,
            idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
            stream_id uuid NOT NULL,
            first_sequence bigint NOT NULL,
            last_sequence bigint NOT NULL,
            fingerprint bytea NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, idempotency_key)
        )""")
    op.execute(BEGIN_APPEND)

    for sql in tenant_table("tenant_heads", app_privileges="SELECT, INSERT, UPDATE"):
        op.execute(sql)
    # Events are immutable: the web role may read and append, never UPDATE or DELETE.
    for sql in tenant_table("events", app_privileges="SELECT, INSERT", projector="SELECT"):
        op.execute(sql)
    for sql in tenant_table("command_log", app_privileges="SELECT, INSERT"):
        op.execute(sql)

    # Inline read model: the tenant's timeline (who did what, when).
    op.execute("""
        CREATE TABLE timeline (
            tenant_id uuid NOT NULL,
            sequence bigint NOT NULL,
            recorded_at timestamptz NOT NULL,
            event_type text NOT NULL,
            stream_type text NOT NULL,
            stream_id uuid NOT NULL,
            version integer NOT NULL,
            actor text NOT NULL DEFAULT '',
            PRIMARY KEY (tenant_id, sequence)
        )""")
    op.execute("CREATE INDEX timeline_stream ON timeline (tenant_id, stream_id, sequence)")
    for sql in tenant_table("timeline", app_privileges="SELECT, INSERT, UPDATE, DELETE"):
        op.execute(sql)

    # Async (cross-tenant) read model: activity per tenant, fed by the projector.
    op.execute("""
        CREATE TABLE tenant_activity (
            tenant_id uuid PRIMARY KEY,
            event_count bigint NOT NULL,
            last_sequence bigint NOT NULL,
            last_event_type text NOT NULL,
            last_event_at timestamptz NOT NULL
        )""")
    for sql in tenant_table(
        "tenant_activity", app_privileges="SELECT", projector="SELECT, INSERT, UPDATE, DELETE"
    ):
        op.execute(sql)
    op.execute("""
        CREATE TABLE projector_checkpoints (
            name text PRIMARY KEY,
            -- the position of the last event applied: (xid, tenant, sequence)
            last_xid xid8 NOT NULL DEFAULT '0',
            last_tenant uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000',
            last_sequence bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now()
        )""")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON projector_checkpoints TO {PROJECTOR_ROLE}")
    op.execute(f"GRANT SELECT ON projector_checkpoints TO {APP_ROLE}")


def downgrade() -> None:
    for t in (
        "projector_checkpoints",
        "tenant_activity",
        "timeline",
        "command_log",
        "events",
        "tenant_heads",
        "provincial_offices",
        "organisations",
        "provinces",
    ):
        op.execute(f"DROP TABLE IF EXISTS {t} CASCADE")
    op.execute("DROP FUNCTION IF EXISTS app_begin_append(uuid, uuid, text)")
    op.execute("DROP FUNCTION IF EXISTS app_tenant()")
