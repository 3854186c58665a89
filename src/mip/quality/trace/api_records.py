"""Routes: shipments, certificates of conformance, controlled documents, electronic signatures."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated, Any

from fastapi import Depends, Query, Response

from mip.api.deps import Ctx, require
from mip.identity.permissions import Permission
from mip.quality.trace import coc, documents, esign, records, shipments  # noqa: F401  (records: registers types)
from mip.quality.trace.api_trace import Limit, Offset, Read, Write, check_itar
from mip.quality.trace.common import MARKING, marked
from mip.quality.trace.errors import TraceBadRequest, TraceInvalid
from mip.quality.trace.routing import router
from mip.quality.trace.schemas import (
    DocumentIn,
    DocumentOut,
    DocumentPage,
    ShipmentIn,
    ShipmentOut,
    ShipmentPage,
    SignatureFailureOut,
    SignatureOut,
    SignIn,
    StoredDocKind,
)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PDF = {200: {"content": {"application/pdf": {}}, "description": "The certificate (PDF)"}}


@router.post("/shipments", response_model=ShipmentOut, status_code=201, summary="Ship lots and serials")
async def create_shipment(body: ShipmentIn, ctx: Write) -> dict[str, Any]:
    async with ctx.tx() as conn:
        data = body.model_dump()
        data["lines"] = [ln.model_dump() for ln in body.lines]
        return await shipments.create_shipment(conn, ctx.principal.tenant_id, ctx.principal.user_id, data)


@router.get("/shipments", response_model=ShipmentPage, summary="List shipments, newest first")
async def list_shipments(
    ctx: Read,
    customer: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows, total = await shipments.list_shipments(conn, customer=customer, limit=limit, offset=offset)
    return {"items": rows, "total": total, "limit": limit, "offset": offset}


@router.get("/shipments/{shipment_id}", response_model=ShipmentOut, summary="Get a shipment with its lines")
async def get_shipment(shipment_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return await shipments.get_shipment(conn, shipment_id)


@router.get(
    "/shipments/{shipment_id}/coc.pdf",
    response_class=Response,
    responses=PDF,  # type: ignore[arg-type]
    summary="Certificate of conformance (PDF) for one shipped serial or lot",
    description="Issued once per distinct content and stored as a `coc` document; headers give its id and hashes.",
)
async def coc_pdf(
    shipment_id: uuid.UUID,
    ctx: Read,
    serial: Annotated[str, Query(min_length=1, max_length=100, description="The shipped serial or lot (number/id)")],
) -> Response:
    async with ctx.tx() as conn:
        doc, pdf = await coc.issue(conn, ctx.principal.tenant_id, ctx.principal.user_id, shipment_id, serial)
    headers = {
        "Content-Disposition": f'inline; filename="{doc["filename"]}"',
        "X-Document-Id": str(doc["id"]),
        "X-Content-SHA256": str(doc["meta"].get("content_sha256", "")),
        "X-File-SHA256": doc["sha256"],
    }
    if doc["itar"]:
        headers["X-Export-Control"] = MARKING
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post("/documents", response_model=DocumentOut, status_code=201, summary="Store a controlled document")
async def create_document(body: DocumentIn, ctx: Write) -> dict[str, Any]:
    check_itar(ctx, body.itar)
    try:
        content = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise TraceBadRequest("content_base64 is not valid base64") from None
    if len(content) > MAX_DOCUMENT_BYTES:
        raise TraceInvalid(f"document larger than {MAX_DOCUMENT_BYTES} bytes")
    data = body.model_dump(exclude={"content_base64"})
    async with ctx.tx() as conn:
        return marked(
            await documents.create_document(conn, ctx.principal.tenant_id, ctx.principal.user_id, data, content)
        )


@router.get("/documents", response_model=DocumentPage, summary="List documents (ITAR ones only for authorised users)")
async def list_documents(
    ctx: Read,
    kind: StoredDocKind | None = None,
    part_number: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    async with ctx.tx() as conn:
        rows, total = await documents.list_documents(
            conn, kind=kind, part_number=part_number, limit=limit, offset=offset
        )
    return {"items": [marked(r) for r in rows], "total": total, "limit": limit, "offset": offset}


@router.get("/documents/{document_id}", response_model=DocumentOut, summary="Get a document's record")
async def get_document(document_id: uuid.UUID, ctx: Read) -> dict[str, Any]:
    async with ctx.tx() as conn:
        return marked(await documents.get_document(conn, document_id))


@router.get(
    "/documents/{document_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The stored file"}},
    summary="Download a document's file",
)
async def document_content(document_id: uuid.UUID, ctx: Read) -> Response:
    async with ctx.tx() as conn:
        doc, content = await documents.get_content(conn, document_id)
    headers = {"Content-Disposition": f'attachment; filename="{doc["filename"]}"', "X-Content-SHA256": doc["sha256"]}
    if doc["itar"]:
        headers["X-Export-Control"] = MARKING
    return Response(content, media_type=doc["content_type"], headers=headers)


@router.post(
    "/signatures",
    response_model=SignatureOut,
    status_code=201,
    summary="Electronically sign a record (the password is verified again)",
    description="401 `signature_rejected` on a wrong password (the attempt is recorded); 403 after 5 failures "
    "in 15 minutes or for API keys.",
)
async def create_signature(body: SignIn, ctx: Write) -> dict[str, Any]:
    async with esign.recording_failures(ctx.rt.db, ctx.principal), ctx.tx() as conn:
        content = await esign.record_content(conn, body.record_type, body.record_id)
        return await esign.sign(
            conn,
            ctx.principal,
            body.record_type,
            body.record_id,
            body.meaning,
            body.password,
            content,
            comment=body.comment,
        )


@router.get(
    "/signatures",
    response_model=list[SignatureOut],
    summary="A record's signatures, each checked against the record's current content",
)
async def list_signatures(
    ctx: Read,
    record_type: Annotated[str, Query(min_length=1, max_length=40)],
    record_id: uuid.UUID,
) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await esign.signatures(conn, record_type, record_id)


@router.get(
    "/signatures/failures",
    response_model=list[SignatureFailureOut],
    summary="Failed signing attempts (wrong passwords), newest first",
)
async def list_failures(
    ctx: Annotated[Ctx, Depends(require(Permission.USERS_READ))],
    user_id: uuid.UUID | None = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    async with ctx.tx() as conn:
        return await esign.failures(conn, user_id=user_id, limit=limit)
