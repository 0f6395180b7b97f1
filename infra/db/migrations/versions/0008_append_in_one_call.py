"""Append in one call: lock the tenant head, check idempotency and the expected version,
chain, insert and move the head, all in one SQL function (one round trip per append).

The hash chain is computed in the function from the canonical text the store sends around
the two numbers only the locked head knows (the sequence and the version):
``sha256(prev || prefix || sequence || middle || version || '}')``. The verify command
recomputes it in Python from the stored row, so both must agree (tests check it).

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-29
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Statements run in this order, each with its own snapshot (VOLATILE): the head row lock is
# the first thing the transaction takes, so what follows sees every append that committed
# before the lock was granted. outcome: 'ok' (written), 'duplicate' (an earlier command with
# this key: nothing written; first/last sequence and its fingerprint returned) or 'conflict'
# (the stream is not at p_expected: nothing written; its version returned).
APPEND = r"""
CREATE FUNCTION app_append(
    p_tenant uuid, p_stream uuid, p_stream_type text, p_expected integer, p_key text,
    p_fingerprint bytea, p_recorded_at timestamptz, p_event_ids uuid[], p_types text[],
    p_schema_versions smallint[], p_data text[], p_metadata text[],
    p_prefixes bytea[], p_middles bytea[])
RETURNS TABLE (outcome text, stream_version integer, first_sequence bigint,
               last_sequence bigint, prev_hash bytea, hashes bytea[], dup_fingerprint bytea)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  h_seq bigint;
  h_hash bytea;
  h bytea;
  v integer;
  n integer := cardinality(p_types);
  hs bytea[] := '{}';
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  SELECT t.sequence, t.last_hash INTO h_seq, h_hash
    FROM tenant_heads t WHERE t.tenant_id = p_tenant FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO tenant_heads (tenant_id) VALUES (p_tenant) ON CONFLICT DO NOTHING;
    SELECT t.sequence, t.last_hash INTO h_seq, h_hash
      FROM tenant_heads t WHERE t.tenant_id = p_tenant FOR UPDATE;
  END IF;
  IF p_key IS NOT NULL THEN
    SELECT c.first_sequence, c.last_sequence, c.fingerprint
      INTO first_sequence, last_sequence, dup_fingerprint
      FROM command_log c WHERE c.tenant_id = p_tenant AND c.idempotency_key = p_key;
    IF FOUND THEN
      outcome := 'duplicate';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  SELECT coalesce(max(e.version), 0) INTO v
    FROM events e WHERE e.tenant_id = p_tenant AND e.stream_id = p_stream;
  stream_version := v;
  IF p_expected IS NOT NULL AND v <> p_expected THEN
    outcome := 'conflict';
    RETURN NEXT;
    RETURN;
  END IF;
  IF n IS NULL OR n = 0 THEN
    RAISE EXCEPTION 'nothing to append' USING ERRCODE = '22023';
  END IF;
  -- One plain INSERT per event (not INSERT ... SELECT over the arrays, whose generic plan
  -- expects many rows, so that it would be planned again on every call).
  h := h_hash;
  FOR k IN 1..n LOOP
    h := sha256(h || p_prefixes[k] || convert_to((h_seq + k)::text, 'UTF8') || p_middles[k]
                || convert_to((v + k)::text, 'UTF8') || '\x7d'::bytea);
    INSERT INTO events (tenant_id, sequence, stream_type, stream_id, version, event_id,
                        event_type, schema_version, data, metadata, recorded_at, prev_hash,
                        hash)
    VALUES (p_tenant, h_seq + k, p_stream_type, p_stream, v + k, p_event_ids[k], p_types[k],
            p_schema_versions[k], p_data[k]::jsonb, p_metadata[k]::jsonb, p_recorded_at,
            coalesce(hs[k - 1], h_hash), h);
    hs := array_append(hs, h);
  END LOOP;
  IF p_key IS NOT NULL THEN
    INSERT INTO command_log (tenant_id, idempotency_key, stream_id, first_sequence,
                             last_sequence, fingerprint, recorded_at)
    VALUES (p_tenant, p_key, p_stream, h_seq + 1, h_seq + n, p_fingerprint, p_recorded_at);
  END IF;
  UPDATE tenant_heads t SET sequence = h_seq + n, last_hash = h WHERE t.tenant_id = p_tenant;
  outcome := 'ok';
  first_sequence := h_seq + 1;
  last_sequence := h_seq + n;
  prev_hash := h_hash;
  hashes := hs;
  RETURN NEXT;
END $$
"""


def upgrade() -> None:
    op.execute(APPEND)


def downgrade() -> None:
    op.execute(
        "DROP FUNCTION IF EXISTS app_append(uuid, uuid, text, integer, text, bytea, "
        "timestamptz, uuid[], text[], smallint[], text[], text[], bytea[], bytea[])"
    )
