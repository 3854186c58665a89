"""Response models of the audit API (they document the JSON the service produces)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

AuditAction = Literal["insert", "update", "delete"]
ProblemKind = Literal[
    "deleted",
    "modified",
    "reordered",
    "unchained",
    "truncated",
    "bad_signature",
    "checkpoint_mismatch",
    "checkpoint_deleted",
]


class AuditEntryOut(BaseModel):
    id: int = Field(description="Entry id (global, increasing)")
    tenant_id: uuid.UUID
    at: datetime = Field(description="When the row changed (clock time inside the writing transaction)")
    actor: str = Field(description="user:<id>, apikey:<id>, or system")
    action: AuditAction
    table: str
    object_id: str = Field(description="The row's primary key (composite keys joined by '/')")
    before: dict[str, Any] | None = Field(description="Delete: the row; update: the changed columns' old values")
    after: dict[str, Any] | None = Field(description="Insert: the row; update: the changed columns' new values")
    request_id: str | None
    itar: bool = Field(description="The row is ITAR-controlled")
    redacted: bool = Field(description="before/after withheld: ITAR-controlled and the caller is not ITAR-authorised")
    seq: int | None = Field(description="Position in the tenant's hash chain; null until sealed (seconds)")
    hash: str | None = Field(description="The chain hash at that position (hex)")


class AuditEntryPage(BaseModel):
    items: list[AuditEntryOut]
    next_before_id: int | None = Field(description="Pass as before_id for the next (older) page; null at the end")


class CheckpointOut(BaseModel):
    tenant_id: uuid.UUID
    seq: int = Field(description="The chain position signed")
    hash: str = Field(description="The chain hash at seq (hex)")
    at: datetime
    key_id: str = Field(description="First 16 hex of SHA-256 of the Ed25519 public key")
    signature: str = Field(description="Ed25519 signature (hex) of the checkpoint message")


class CheckpointPage(BaseModel):
    items: list[CheckpointOut]
    next_before_seq: int | None


class ProblemOut(BaseModel):
    kind: ProblemKind
    detail: str
    seq: int | None
    entry_id: int | None
    table: str | None
    object_id: str | None


class LastCheckpoint(BaseModel):
    seq: int
    at: datetime


class VerifyReport(BaseModel):
    tenant_id: uuid.UUID
    ok: bool = Field(description="True when the chain and every checkpoint verify")
    entries: int = Field(description="Chain length")
    head_seq: int
    head_hash: str | None
    pending: int = Field(description="Entries not sealed yet (the sealer links committed entries every few seconds)")
    checkpoints: int
    checkpoints_verified: int
    last_checkpoint: LastCheckpoint | None
    problems: list[ProblemOut] = Field(description="First problems, in chain order")
    problem_count: int
