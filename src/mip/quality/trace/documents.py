"""Controlled documents (drawings, specs, certificates, issued CoCs): content stored in PostgreSQL with its SHA-256."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from mip.platform.db import Conn
from mip.platform.ids import uuid7
from mip.quality.trace.common import itar_violation
from mip.quality.trace.errors import TraceConflict, TraceNotFound

DOC_COLUMNS = (
    "id, tenant_id, kind, title, revision, part_number, filename, content_type, size, sha256, meta, itar, "
    "created_by, created_at, updated_at"
)


async def create_document(
    conn: Conn,
    tenant_id: uuid.UUID,
    actor: uuid.UUID | None,
    data: dict[str, Any],
    content: bytes,
    *,
    doc_id: uuid.UUID | None = None,
    if_absent: bool = False,
) -> dict[str, Any]:
    """Store a document. ``if_absent``: an existing document with ``doc_id`` is returned unchanged."""
    doc_id = doc_id or uuid7()
    conflict = " on conflict (id) do nothing" if if_absent else ""
    try:
        async with conn.transaction():
            cur = await conn.execute(
                f"insert into trace_documents (id, tenant_id, kind, title, revision, part_number, filename, "
                f"content_type, size, sha256, content, meta, itar, created_by) "
                f"values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s){conflict} returning {DOC_COLUMNS}",
                [
                    doc_id, tenant_id, data["kind"], data["title"].strip(), data.get("revision") or "",
                    data.get("part_number"), data.get("filename") or "document", data.get("content_type")
                    or "application/octet-stream", len(content), hashlib.sha256(content).hexdigest(), content,
                    Jsonb(data.get("meta") or {}), bool(data.get("itar")), actor,
                ],
            )  # fmt: skip
            row = await cur.fetchone()
    except psycopg.errors.UniqueViolation:
        raise TraceConflict(
            f"{data['kind']} {data['title']!r} revision {data.get('revision') or ''!r} already exists"
        ) from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise itar_violation(exc) from None
    if row is None:  # if_absent and it exists
        return await get_document(conn, doc_id)
    return dict(row)


async def get_document(conn: Conn, doc_id: uuid.UUID) -> dict[str, Any]:
    cur = await conn.execute(f"select {DOC_COLUMNS} from trace_documents where id = %s", [doc_id])
    row = await cur.fetchone()
    if row is None:
        raise TraceNotFound(f"document {doc_id} not found")
    return dict(row)


async def get_content(conn: Conn, doc_id: uuid.UUID) -> tuple[dict[str, Any], bytes]:
    cur = await conn.execute(f"select {DOC_COLUMNS}, content from trace_documents where id = %s", [doc_id])
    row = await cur.fetchone()
    if row is None:
        raise TraceNotFound(f"document {doc_id} not found")
    out = dict(row)
    return out, bytes(out.pop("content"))


async def list_documents(
    conn: Conn, *, kind: str | None, part_number: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    where: list[str] = []
    args: list[Any] = []
    for col, val in (("kind", kind), ("part_number", part_number)):
        if val is not None:
            where.append(f"{col} = %s")
            args.append(val)
    clause = (" where " + " and ".join(where)) if where else ""
    cur = await conn.execute(f"select count(*) as n from trace_documents{clause}", args)
    total = int((await cur.fetchone() or {"n": 0})["n"])
    cur = await conn.execute(
        f"select {DOC_COLUMNS} from trace_documents{clause} order by kind, title, revision limit %s offset %s",
        [*args, limit, offset],
    )
    return [dict(r) for r in await cur.fetchall()], total
