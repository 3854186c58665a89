"""CLI: `mip audit` — verify the tamper-evident audit log, seal and sign now, export checkpoints, the public key.

``mip audit verify`` exits 0 when every verified chain is intact, 3 when a problem was found (the JSON report
says where), 2 on bad input.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from mip.audit import service
from mip.audit.errors import InvalidAuditQuery
from mip.audit.signing import Keyring, load_public_key, public_pem
from mip.cli.common import emit, fail, settings, with_db
from mip.platform.db import Database
from mip.platform.errors import MIPError
from mip.tenancy import service as tenancy

audit_app = typer.Typer(help="Tamper-evident audit log: verify, checkpoints, export.", no_args_is_help=True)

TenantOpt = Annotated[str | None, typer.Option("--tenant", "-t", help="Tenant slug or id (default: every tenant)")]
TAMPERED_EXIT = 3


async def _tenant_id(db: Database, ref: str) -> uuid.UUID:
    try:
        return uuid.UUID(ref)
    except ValueError:
        t = await tenancy.tenant_by_slug(db, ref)
        return uuid.UUID(str(t["id"]))


def _keyring(public_keys: list[Path] | None, *, create: bool) -> Keyring:
    ring = Keyring.from_data_dir(settings().data_dir, create=create)
    for path in public_keys or []:
        try:
            pem = path.read_bytes()
        except OSError as exc:
            raise InvalidAuditQuery(f"cannot read public key {path}: {exc.strerror}") from None
        ring.trust(load_public_key(pem))
    return ring


def _exported(path: Path | None) -> list[dict[str, Any]] | None:
    if path is None:
        return None
    try:
        doc = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InvalidAuditQuery(f"cannot read checkpoints file {path}: {exc}") from None
    items = doc.get("items", doc) if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(c, dict) and {"seq", "hash"} <= c.keys() for c in items):
        raise InvalidAuditQuery(f"{path}: expected the output of `mip audit checkpoints` (items with seq and hash)")
    return items


@audit_app.command()
def verify(
    tenant: TenantOpt = None,
    checkpoints: Annotated[
        Path | None, typer.Option("--checkpoints", help="Checkpoints exported earlier (kept elsewhere) to check too")
    ] = None,
    public_key: Annotated[
        list[Path] | None, typer.Option("--public-key", help="Also trust this Ed25519 public key (PEM); repeatable")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The full JSON report")] = False,
) -> None:
    """Recompute every chain from its first entry and check the signed checkpoints; say where it breaks."""
    try:
        ring = _keyring(public_key, create=False)
        exported = _exported(checkpoints)
    except MIPError as exc:
        fail(exc)

    async def run(db: Database) -> list[dict[str, Any]]:
        tid = await _tenant_id(db, tenant) if tenant else None
        return await service.verify(db, ring, tid, exported=exported)

    reports = with_db(run)
    intact = all(r["ok"] for r in reports)
    if as_json:
        emit({"ok": intact, "tenants": reports})
    else:
        for r in reports:
            state = "intact" if r["ok"] else f"{r['problem_count']} problem(s)"
            sys.stdout.write(
                f"{r['tenant_id']}: {r['entries']} entries, {r['checkpoints_verified']}/{r['checkpoints']} checkpoints "
                f"verified, {r['pending']} pending: {state}\n"
            )
            for p in r["problems"]:
                where = f"seq {p['seq']}" if p["seq"] is not None else "-"
                obj = f" {p['table']}/{p['object_id']}" if p["table"] else ""
                sys.stdout.write(f"  {p['kind']} at {where}{obj}: {p['detail']}\n")
    if not intact:
        raise typer.Exit(TAMPERED_EXIT)


@audit_app.command()
def seal() -> None:
    """Link every committed entry into its tenant's chain now (the server does it every few seconds)."""
    emit({"sealed": with_db(service.seal)})


@audit_app.command()
def checkpoint(
    force: Annotated[bool, typer.Option("--force", help="Sign every head that moved, however recent")] = False,
) -> None:
    """Seal, then sign a checkpoint for every tenant that is due (or every head that moved, with --force)."""
    try:
        ring = _keyring(None, create=True)
    except MIPError as exc:
        fail(exc)

    async def run(db: Database) -> dict[str, int]:
        sealed = await service.seal(db)
        signed = await service.checkpoint(db, ring, every=1 if force else 10_000, age_s=0 if force else 300)
        return {"sealed": sealed, "checkpoints": signed}

    emit(with_db(run))


@audit_app.command()
def checkpoints(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug or id")],
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 1000,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file (keep it elsewhere)")] = None,
) -> None:
    """Export a tenant's signed checkpoints (JSON), to keep outside the database for `verify --checkpoints`."""

    async def run(db: Database) -> list[dict[str, Any]]:
        tid = await _tenant_id(db, tenant)
        async with db.tenant_tx(tid) as conn:
            return await service.list_checkpoints(conn, limit=limit)

    doc = {"items": with_db(run)}
    if out is None:
        emit(doc)
        return
    out.write_bytes(orjson.dumps(doc, default=str, option=orjson.OPT_INDENT_2))
    emit({"written": str(out), "checkpoints": len(doc["items"])})


@audit_app.command("public-key")
def public_key() -> None:
    """The checkpoint signing key's public half (PEM) and id, to verify checkpoints elsewhere."""
    try:
        ring = _keyring(None, create=True)
    except MIPError as exc:
        fail(exc)
    assert ring.signer is not None
    emit({"key_id": ring.key_id, "public_key": public_pem(ring.signer.public_key())})


@audit_app.command()
def entries(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant slug or id")],
    table: Annotated[str | None, typer.Option(help="Only this table")] = None,
    object_id: Annotated[str | None, typer.Option("--object-id", help="Only this object")] = None,
    actor: Annotated[str | None, typer.Option(help="user:<id>, apikey:<id> or system")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
) -> None:
    """A tenant's audit entries, newest first (JSON)."""

    async def run(db: Database) -> list[dict[str, Any]]:
        tid = await _tenant_id(db, tenant)
        async with db.tenant_tx(tid, itar=True) as conn:
            rows = await service.list_entries(conn, table=table, object_id=object_id, actor=actor, limit=limit)
        return [service.entry_json(r, itar_ok=True) for r in rows]

    emit({"items": with_db(run)})
