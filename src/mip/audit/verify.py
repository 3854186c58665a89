"""Verify a tenant's audit trail: recompute the hash chain from the first entry and check every signed checkpoint.

Problems found, each with its chain position (``seq``), entry id, table and object:

* ``deleted``: a chain position is missing (gap in seq), or the entry a position seals is gone from the log;
* ``modified``: an entry's content (or its stored seal) no longer matches: recomputed hash != stored hash;
* ``reordered``: entries are out of (transaction, id) order along the chain;
* ``unchained``: an entry below the sealer's cursor that no chain position seals (inserted around the trigger,
  or its chain row deleted);
* ``truncated``: the chain ends before the recorded head or before a signed checkpoint;
* ``bad_signature`` / ``checkpoint_mismatch`` / ``checkpoint_deleted``: a checkpoint does not verify under a
  trusted key, the chain's hash at its position differs (chain rewritten), or an exported checkpoint is gone.

Each position's hash is recomputed from the *stored* previous hash, so one tampered entry is reported at its
own position and the rest of the chain is still checked; rewriting the chain after a change shows up at the
next checkpoint.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any

from mip.audit.chain import ENTRY_SQL_COLUMNS, GENESIS, link
from mip.audit.signing import Keyring, checkpoint_message
from mip.platform.db import Conn

PAGE = 5000

_CHAIN_PAGE = f"""
select c.seq, c.entry_id, c.hash, l.id is not null as present, {ENTRY_SQL_COLUMNS}
from audit_chain c left join audit_log l on l.id = c.entry_id
where c.tenant_id = %s and c.seq > %s order by c.seq limit %s
"""
_UNCHAINED = """
select l.id, l.table_name, l.object_id from audit_log l, audit_sealer s
where s.id = 1 and l.tenant_id = %s and (l.xid, l.id) <= (s.last_xid, s.last_id)
  and not exists (select 1 from audit_chain c where c.entry_id = l.id)
order by l.xid, l.id limit %s
"""
_PENDING = """
select count(*) as n from audit_log l, audit_sealer s
where s.id = 1 and l.tenant_id = %s and (l.xid, l.id) > (s.last_xid, s.last_id)
"""


@dataclass
class Problem:
    kind: str
    detail: str
    seq: int | None = None
    entry_id: int | None = None
    table: str | None = None
    object_id: str | None = None


@dataclass
class _State:
    prev: bytes = GENESIS
    expected: int = 1
    last_order: tuple[int, int] | None = None
    max_hash: bytes = GENESIS  # the seal of the latest entry in (xid, id) order: the true previous after a swap
    length: int = 0
    last_hash: bytes | None = None


def _problem(kind: str, detail: str, row: dict[str, Any] | None = None, seq: int | None = None) -> Problem:
    if row is None:
        return Problem(kind, detail, seq=seq)
    return Problem(
        kind,
        detail,
        seq=row["seq"],
        entry_id=row["entry_id"],
        table=row.get("table_name"),
        object_id=row.get("object_id"),
    )


def _check_row(row: dict[str, Any], st: _State, out: list[Problem]) -> None:
    seq, stored = row["seq"], bytes(row["hash"])
    checkable, newest = True, False
    if seq != st.expected:
        gap = f"{st.expected}" if seq == st.expected + 1 else f"{st.expected}..{seq - 1}"
        out.append(_problem("deleted", f"chain position(s) {gap} missing before seq {seq}", seq=st.expected))
        checkable = False  # its link runs through a missing position
    if not row["present"]:
        out.append(_problem("deleted", f"entry {row['entry_id']} sealed at seq {seq} is missing from the log", row))
        checkable = False
    else:
        order = (row["xid"], row["id"])
        if st.last_order is not None and order <= st.last_order:
            if out and out[-1].kind == "modified" and out[-1].seq == seq - 1:
                out.pop()  # the previous position's mismatch is this swap's other half
            detail = f"seq {seq} (entry {row['id']}) is out of (transaction, id) order after seq {seq - 1}"
            out.append(_problem("reordered", detail, row))
            checkable = False
        else:
            st.last_order, newest = order, True
    # after a swap, the true previous seal is the latest entry's, not the previous position's
    if checkable and link(st.prev, seq, row) != stored and link(st.max_hash, seq, row) != stored:
        out.append(_problem("modified", f"seq {seq}: the entry or its seal changed (hash mismatch)", row))
    if newest:
        st.max_hash = stored
    st.prev, st.expected, st.length, st.last_hash = stored, seq + 1, seq, stored


async def verify_tenant(
    conn: Conn,
    tenant_id: uuid.UUID,
    keyring: Keyring,
    *,
    exported: list[dict[str, Any]] | None = None,
    max_problems: int = 100,
) -> dict[str, Any]:
    """Run in the tenant's transaction (RLS shows only its audit rows). ``exported``: checkpoints kept elsewhere
    (``mip audit checkpoints`` output) to compare against, so deleting checkpoints is detected too."""
    cur = await conn.execute(
        "select seq, hash, at, key_id, signature from audit_checkpoints where tenant_id = %s order by seq",
        [tenant_id],
    )
    checkpoints = [dict(r) for r in await cur.fetchall()]
    wanted = {c["seq"] for c in checkpoints} | {int(c["seq"]) for c in exported or []}
    chain_at: dict[int, bytes] = {}
    problems: list[Problem] = []
    st = _State()
    while True:
        cur = await conn.execute(_CHAIN_PAGE, [tenant_id, st.length, PAGE])
        rows = await cur.fetchall()
        for row in rows:
            _check_row(row, st, problems)
            if row["seq"] in wanted:
                chain_at[row["seq"]] = bytes(row["hash"])
        if len(rows) < PAGE:
            break
    head = await (await conn.execute("select seq, hash from audit_heads where tenant_id = %s", [tenant_id])).fetchone()
    if head is not None and head["seq"] > st.length:
        problems.append(_problem("truncated", f"the chain ends at seq {st.length}, its head is {head['seq']}"))
    elif head is not None and head["seq"] == st.length and bytes(head["hash"]) != st.last_hash:
        problems.append(_problem("modified", f"the recorded head hash differs from seq {st.length}", seq=st.length))
    cur = await conn.execute(_UNCHAINED, [tenant_id, max_problems])
    for r in await cur.fetchall():
        problems.append(
            Problem("unchained", f"entry {r['id']} is in the log but in no chain position", None, r["id"],
                    r["table_name"], r["object_id"])
        )  # fmt: skip
    verified = _check_checkpoints(tenant_id, checkpoints, chain_at, st.length, keyring, problems)
    if exported:
        _check_exported(tenant_id, exported, checkpoints, chain_at, st.length, problems)
    pending = await (await conn.execute(_PENDING, [tenant_id])).fetchone()
    last = checkpoints[-1] if checkpoints else None
    return {
        "tenant_id": tenant_id,
        "ok": not problems,
        "entries": st.length,
        "head_seq": st.length,
        "head_hash": st.last_hash.hex() if st.last_hash else None,
        "pending": pending["n"] if pending else 0,
        "checkpoints": len(checkpoints),
        "checkpoints_verified": verified,
        "last_checkpoint": {"seq": last["seq"], "at": last["at"]} if last else None,
        "problems": [asdict(p) for p in problems[:max_problems]],
        "problem_count": len(problems),
    }


def _check_checkpoints(
    tenant_id: uuid.UUID,
    checkpoints: list[dict[str, Any]],
    chain_at: dict[int, bytes],
    length: int,
    keyring: Keyring,
    out: list[Problem],
) -> int:
    ok = 0
    for c in checkpoints:
        seq, signed = c["seq"], bytes(c["hash"])
        why = keyring.check(c["key_id"], checkpoint_message(tenant_id, seq, signed, c["at"]), bytes(c["signature"]))
        if why is not None:
            out.append(Problem("bad_signature", f"checkpoint at seq {seq}: {why}", seq))
            continue
        if seq > length:
            out.append(Problem("truncated", f"signed checkpoint at seq {seq} but the chain ends at seq {length}", seq))
        elif chain_at.get(seq) != signed:
            out.append(
                Problem("checkpoint_mismatch", f"the chain's hash at seq {seq} differs from its checkpoint", seq)
            )
        else:
            ok += 1
    return ok


def _check_exported(
    tenant_id: uuid.UUID,
    exported: list[dict[str, Any]],
    stored: list[dict[str, Any]],
    chain_at: dict[int, bytes],
    length: int,
    out: list[Problem],
) -> None:
    have = {c["seq"] for c in stored}
    for c in exported:
        if str(c.get("tenant_id", tenant_id)) != str(tenant_id):
            continue
        seq, signed = int(c["seq"]), bytes.fromhex(c["hash"])
        if seq not in have:
            out.append(Problem("checkpoint_deleted", f"exported checkpoint at seq {seq} is not in the database", seq))
        if seq > length:
            out.append(
                Problem("truncated", f"exported checkpoint at seq {seq} but the chain ends at seq {length}", seq)
            )
        elif chain_at.get(seq) != signed:
            out.append(Problem("checkpoint_mismatch", f"the chain's hash at seq {seq} differs from the export", seq))
