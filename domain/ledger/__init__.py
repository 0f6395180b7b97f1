"""The public record: a Merkle tree over each LAO's events (RFC 9162 hashing), its proofs, and
the signed-note / checkpoint / cosignature formats of C2SP (pure: formats and hashing only; the
Ed25519 signing is in infra.tlog.keys)."""
