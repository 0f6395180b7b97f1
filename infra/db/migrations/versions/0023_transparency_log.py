"""The transparency log: each LAO's Merkle tree, its signed checkpoints, the witnesses'
cosignatures and refusals, and the records a citizen can check a published file against.

``tlog_nodes`` holds the hash of every complete subtree of each LAO's tree (RFC 9162: leaf
``sha256(0x00 || event hash)`` at level 0, index sequence - 1; a node at level L, index i covers
leaves [i * 2^L, (i + 1) * 2^L); a level 0 row keeps its leaf input, the event's hash, too).
A trigger on ``events`` adds a leaf's nodes in the append
transaction itself (a leaf completes at most log2(n) parents), so the tree always holds exactly
the committed events, and any proof needs at most ~2 log2(n) node reads. The events written
before this migration are added to the tree here, in order.

``tlog_checkpoints`` (the log's signed notes), ``tlog_cosignatures`` (the witnesses' lines),
``tlog_alarms`` (a witness refused a checkpoint) and ``tlog_records`` (for each published file,
the sequence and canonical text of the event that records its SHA-256) are written by the
checkpoint issuer as the projector role (cross-tenant) and read by everyone as
``sujarit_public``: they are public by design.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03
"""

from alembic import op

from infra.db.rls import tenant_table
from infra.settings import PROJECTOR_ROLE

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

PUBLIC_ROLE = "sujarit_public"

ADD_LEAF = r"""
CREATE FUNCTION tlog_add_leaf(p_tenant uuid, p_sequence bigint, p_hash bytea)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  i bigint := p_sequence - 1;
  lvl smallint := 0;
  h bytea := sha256('\x00'::bytea || p_hash);
  sib bytea;
BEGIN
  INSERT INTO tlog_nodes (tenant_id, level, idx, hash, leaf) VALUES (p_tenant, 0, i, h, p_hash);
  WHILE i % 2 = 1 LOOP
    SELECT n.hash INTO STRICT sib FROM tlog_nodes n
     WHERE n.tenant_id = p_tenant AND n.level = lvl AND n.idx = i - 1;
    h := sha256('\x01'::bytea || sib || h);
    lvl := lvl + 1;
    i := i / 2;
    INSERT INTO tlog_nodes (tenant_id, level, idx, hash) VALUES (p_tenant, lvl, i, h);
  END LOOP;
END $$
"""

TRIGGER = """
CREATE FUNCTION tlog_events_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tlog_add_leaf(NEW.tenant_id, NEW.sequence, NEW.hash);
  RETURN NULL;
END $$
"""

# A proof's nodes in one round trip: the statement is its own transaction, in which the
# function switches to the public role (undone when the statement's transaction ends), so the
# node query runs under the public role's privileges and policy; at least one row when the LAO
# exists (level NULL when none of the nodes is stored).
PROOF_NODES = f"""
CREATE FUNCTION tlog_public_nodes(p_code text, p_levels smallint[], p_idx bigint[])
RETURNS TABLE (level smallint, idx bigint, hash bytea, leaf bytea)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('role', '{PUBLIC_ROLE}', true);
  RETURN QUERY
    SELECT n.level, n.idx, n.hash, n.leaf FROM organisations o
    LEFT JOIN LATERAL (
      SELECT t.level, t.idx, t.hash, t.leaf FROM tlog_nodes t
      JOIN unnest(p_levels, p_idx) AS w(level, idx) ON t.level = w.level AND t.idx = w.idx
      WHERE t.tenant_id = o.id) n ON true
    WHERE o.code = p_code;
END $$
"""

BACKFILL = """
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tenant_id, sequence, hash FROM events ORDER BY tenant_id, sequence LOOP
    PERFORM tlog_add_leaf(r.tenant_id, r.sequence, r.hash);
  END LOOP;
END $$
"""

TABLES = {
    "tlog_nodes": """
        CREATE TABLE tlog_nodes (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            level smallint NOT NULL,
            idx bigint NOT NULL,
            hash bytea NOT NULL,
            leaf bytea,  -- level 0: the leaf input (the event's hash)
            PRIMARY KEY (tenant_id, level, idx)
        )""",
    "tlog_checkpoints": """
        CREATE TABLE tlog_checkpoints (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            size bigint NOT NULL,
            root bytea NOT NULL,
            note text NOT NULL,
            issued_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, size)
        )""",
    "tlog_cosignatures": """
        CREATE TABLE tlog_cosignatures (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            size bigint NOT NULL,
            witness text NOT NULL,
            line text NOT NULL,
            cosigned_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, size, witness)
        )""",
    "tlog_alarms": """
        CREATE TABLE tlog_alarms (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            id bigserial NOT NULL,
            witness text NOT NULL,
            size bigint NOT NULL,
            status integer NOT NULL,
            reason text NOT NULL,
            at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, id)
        )""",
    "tlog_records": """
        CREATE TABLE tlog_records (
            tenant_id uuid NOT NULL REFERENCES organisations (id),
            sha256 text NOT NULL,
            sequence bigint NOT NULL,
            event_type text NOT NULL,
            prev_hash bytea NOT NULL,
            body text NOT NULL,
            PRIMARY KEY (tenant_id, sha256, sequence)
        )""",
}


def upgrade() -> None:
    for name, sql in TABLES.items():
        op.execute(sql)
        writes = "SELECT, INSERT" if name == "tlog_nodes" else "SELECT"
        projector = "SELECT" if name == "tlog_nodes" else "SELECT, INSERT, UPDATE, DELETE"
        for stmt in tenant_table(name, app_privileges=writes, projector=projector):
            op.execute(stmt)
        op.execute(
            f"CREATE POLICY public_read ON {name} FOR SELECT TO {PUBLIC_ROLE} "
            f"USING (current_user = '{PUBLIC_ROLE}')"
        )
        op.execute(f"GRANT SELECT ON {name} TO {PUBLIC_ROLE}")
    op.execute(f"GRANT USAGE ON SEQUENCE tlog_alarms_id_seq TO {PROJECTOR_ROLE}")
    op.execute(ADD_LEAF)
    op.execute(TRIGGER)
    op.execute(PROOF_NODES)
    op.execute(BACKFILL)
    op.execute(
        "CREATE TRIGGER tlog_add_leaf AFTER INSERT ON events "
        "FOR EACH ROW EXECUTE FUNCTION tlog_events_trigger()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS tlog_add_leaf ON events")
    op.execute("DROP FUNCTION IF EXISTS tlog_public_nodes(text, smallint[], bigint[])")
    op.execute("DROP FUNCTION IF EXISTS tlog_events_trigger()")
    op.execute("DROP FUNCTION IF EXISTS tlog_add_leaf(uuid, bigint, bytea)")
    for name in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS {name}")
