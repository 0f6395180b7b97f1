"""Keeping an evidence file: its bytes in the file store (content-addressed by SHA-256) and a
row in the tenant's ``evidence_files`` (under row-level security). One way for the API, the
pages and the demo data."""

from __future__ import annotations

import uuid

import asyncpg

from domain.plans.values import Evidence
from infra.db.pool import tenant_transaction
from infra.files import FileStore, sha256_hex


def file_name(filename: str | None, default: str = "หลักฐาน") -> str:
    """The name a person gave the file, without any path, at most 200 characters."""
    return (filename or default).rsplit("/", 1)[-1][:200] or default


async def keep_evidence(
    pool: asyncpg.Pool,
    files: FileStore,
    tenant_id: uuid.UUID,
    name: str,
    content: bytes,
    media_type: str,
    uploaded_by: str,
) -> Evidence:
    """Store ``content`` (already checked by the caller) and list it for the tenant."""
    evidence = Evidence.file(name, sha256_hex(content), media_type, len(content))
    await files.put(content)
    async with tenant_transaction(pool, tenant_id) as conn:
        await conn.execute(
            "INSERT INTO evidence_files (tenant_id, sha256, name, media_type, size, "
            "uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            tenant_id,
            evidence.sha256,
            name,
            media_type,
            len(content),
            uploaded_by,
        )
    return evidence
