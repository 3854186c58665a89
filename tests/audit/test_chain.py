"""The sealer links committed entries per tenant in (transaction, id) order; verify recomputes the chain and
pinpoints every kind of tampering (done as the database owner, the only role able to)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from mip.audit.chain import ENTRY_SQL_COLUMNS, link
from mip.audit.service import checkpoint, seal, verify
from mip.audit.signing import Keyring
from mip.platform.database_setup import DatabaseHandle
from mip.platform.db import Database
from mip.platform.ids import uuid7
from tests.audit.helpers import chain, entries, make_sites
from tests.conftest import TenantFactory


@pytest.fixture(scope="session")
def keyring(data_dir: Path) -> Keyring:
    return Keyring.from_data_dir(data_dir)


@pytest.fixture
def owner(db_handle: DatabaseHandle) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(db_handle.owner_url, autocommit=True) as conn:
        yield conn


async def _report(db: Database, keyring: Keyring, tenant_id: Any) -> dict[str, Any]:
    (report,) = await verify(db, keyring, tenant_id)
    return report


async def test_given_transactions_committing_out_of_xid_order_then_sealed_in_xid_order_once_both_finished(
    db: Database, make_tenant: TenantFactory, keyring: Keyring
) -> None:
    t = await make_tenant()
    first, second = uuid7(), uuid7()
    insert = "insert into assets (id, tenant_id, kind, name, path) values (%s, %s, 'site', %s, %s)"
    async with db.tenant_tx(t.id, actor="user:one") as slow:
        await slow.execute(insert, [first, t.id, "first", f"first-{first}"])  # takes the lower xid
        async with db.tenant_tx(t.id, actor="user:two") as fast:
            await fast.execute(insert, [second, t.id, "second", f"second-{second}"])
        await seal(db)  # the second has committed, the first has not: nothing of the second may be sealed yet
        (late,) = await entries(db, t.id, "assets", second)
        assert late["seq"] is None
    await seal(db)
    (a,) = await entries(db, t.id, "assets", first)
    (b,) = await entries(db, t.id, "assets", second)
    assert a["xid"] < b["xid"]
    assert a["id"] < b["id"]
    assert a["seq"] is not None
    assert b["seq"] == a["seq"] + 1  # chain order is transaction order, not commit order
    links = await chain(db, t.id)
    assert [c["seq"] for c in links] == list(range(1, len(links) + 1))
    assert [c["xid"] for c in links] == sorted(c["xid"] for c in links)
    report = await _report(db, keyring, t.id)
    assert report["ok"], report["problems"]
    assert report["entries"] == len(links)
    assert report["pending"] == 0


async def test_given_an_untouched_chain_then_python_recomputes_the_sql_seals(
    db: Database, make_tenant: TenantFactory
) -> None:
    t = await make_tenant()
    await make_sites(db, t.id, 3)
    async with db.tenant_tx(t.id) as conn:
        cur = await conn.execute(
            f"select c.seq, c.hash, {ENTRY_SQL_COLUMNS} from audit_chain c join audit_log l on l.id = c.entry_id "
            "order by c.seq"
        )
        rows = await cur.fetchall()
    prev = bytes(32)
    for row in rows:
        assert link(prev, row["seq"], row) == bytes(row["hash"])
        prev = bytes(row["hash"])


async def test_given_a_modified_entry_then_verify_names_its_position_entry_and_object(
    db: Database, make_tenant: TenantFactory, keyring: Keyring, owner: psycopg.Connection[Any]
) -> None:
    t = await make_tenant()
    sites = await make_sites(db, t.id, 4)
    assert (await _report(db, keyring, t.id))["ok"]
    (target,) = await entries(db, t.id, "assets", sites[1])
    owner.execute("update audit_log set after = jsonb_set(after, '{name}', '\"forged\"') where id = %s", [target["id"]])
    report = await _report(db, keyring, t.id)
    assert not report["ok"]
    (p,) = report["problems"]
    assert (p["kind"], p["seq"], p["entry_id"]) == ("modified", target["seq"], target["id"])
    assert (p["table"], p["object_id"]) == ("assets", str(sites[1]))


async def test_given_a_deleted_entry_or_chain_position_then_verify_says_which(
    db: Database, make_tenant: TenantFactory, keyring: Keyring, owner: psycopg.Connection[Any]
) -> None:
    t = await make_tenant()
    sites = await make_sites(db, t.id, 5)
    (gone,) = await entries(db, t.id, "assets", sites[1])
    owner.execute("delete from audit_log where id = %s", [gone["id"]])
    report = await _report(db, keyring, t.id)
    assert [(p["kind"], p["seq"], p["entry_id"]) for p in report["problems"]] == [("deleted", gone["seq"], gone["id"])]
    (row,) = await entries(db, t.id, "assets", sites[3])
    owner.execute("delete from audit_chain where tenant_id = %s and seq = %s", [t.id, row["seq"]])
    report = await _report(db, keyring, t.id)
    kinds = [(p["kind"], p["seq"]) for p in report["problems"]]
    assert ("deleted", row["seq"]) in kinds  # the gap in the chain
    assert ("unchained", None) in kinds  # and the entry no position seals any more
    unchained = next(p for p in report["problems"] if p["kind"] == "unchained")
    assert (unchained["entry_id"], unchained["object_id"]) == (row["id"], str(sites[3]))


async def test_given_swapped_entries_then_verify_reports_them_reordered(
    db: Database, make_tenant: TenantFactory, keyring: Keyring, owner: psycopg.Connection[Any]
) -> None:
    t = await make_tenant()
    sites = await make_sites(db, t.id, 4)
    (x,) = await entries(db, t.id, "assets", sites[1])
    (y,) = await entries(db, t.id, "assets", sites[2])
    assert y["seq"] == x["seq"] + 1
    with owner.transaction():  # move the two chain rows (with their hashes) to each other's position
        owner.execute("update audit_chain set seq = -1 where tenant_id = %s and seq = %s", [t.id, x["seq"]])
        owner.execute("update audit_chain set seq = %s where tenant_id = %s and seq = %s", [x["seq"], t.id, y["seq"]])
        owner.execute("update audit_chain set seq = %s where tenant_id = %s and seq = -1", [y["seq"], t.id])
    report = await _report(db, keyring, t.id)
    assert [(p["kind"], p["seq"], p["entry_id"]) for p in report["problems"]] == [("reordered", y["seq"], x["id"])]


async def test_given_a_truncated_tail_or_a_forged_entry_then_verify_detects_it(
    db: Database, make_tenant: TenantFactory, keyring: Keyring, owner: psycopg.Connection[Any]
) -> None:
    t = await make_tenant()
    sites = await make_sites(db, t.id, 3)
    (last,) = await entries(db, t.id, "assets", sites[-1])
    with owner.transaction():
        owner.execute("delete from audit_chain where entry_id = %s", [last["id"]])
        owner.execute("delete from audit_log where id = %s", [last["id"]])
    report = await _report(db, keyring, t.id)
    assert {p["kind"] for p in report["problems"]} == {"truncated"}  # head (and a checkpoint, if one was signed)
    assert ("truncated", None) in [(p["kind"], p["seq"]) for p in report["problems"]]
    assert report["entries"] == last["seq"] - 1
    # an entry written around the trigger, dated into the sealed past, is never sealed
    owner.execute(
        "insert into audit_log (tenant_id, xid, actor, action, table_name, object_id, after) "
        "values (%s, 1, 'user:ghost', 'insert', 'assets', 'x', '{}')",
        [t.id],
    )
    await seal(db)
    kinds = [p["kind"] for p in (await _report(db, keyring, t.id))["problems"]]
    assert "unchained" in kinds


async def test_given_signed_checkpoints_then_a_rewritten_chain_and_a_bad_signature_are_detected(
    db: Database, make_tenant: TenantFactory, keyring: Keyring, owner: psycopg.Connection[Any]
) -> None:
    t = await make_tenant()
    sites = await make_sites(db, t.id, 4)
    assert await checkpoint(db, keyring, every=1, age_s=0) >= 1
    report = await _report(db, keyring, t.id)
    assert report["ok"], report["problems"]
    assert report["checkpoints"] == report["checkpoints_verified"] >= 1
    assert report["last_checkpoint"]["seq"] == report["head_seq"]
    # the owner changes an entry and recomputes every later seal: the chain is consistent again ...
    (target,) = await entries(db, t.id, "assets", sites[1])
    owner.execute("update audit_log set actor = 'user:scapegoat' where id = %s", [target["id"]])
    with owner.transaction():
        rows = owner.execute(
            f"select c.seq, c.hash, {ENTRY_SQL_COLUMNS} from audit_chain c join audit_log l on l.id = c.entry_id "
            "where c.tenant_id = %s order by c.seq",
            [t.id],
        ).fetchall()
        prev = bytes(32)
        for r in rows:
            row = dict(zip(["seq", "hash", *_entry_names()], r, strict=True))
            h = link(prev, row["seq"], row)
            owner.execute("update audit_chain set hash = %s where tenant_id = %s and seq = %s", [h, t.id, row["seq"]])
            prev = h
        owner.execute("update audit_heads set hash = %s where tenant_id = %s", [prev, t.id])
    report = await _report(db, keyring, t.id)
    # ... but not with its signed checkpoint
    assert {p["kind"] for p in report["problems"]} == {"checkpoint_mismatch"}
    assert report["last_checkpoint"]["seq"] in {p["seq"] for p in report["problems"]}
    owner.execute(
        "update audit_checkpoints set signature = set_byte(signature, 0, (get_byte(signature, 0) + 1) %% 256) "
        "where tenant_id = %s",
        [t.id],
    )
    assert {p["kind"] for p in (await _report(db, keyring, t.id))["problems"]} == {"bad_signature"}
    stranger = await _report(db, Keyring(), t.id)
    assert "unknown key" in stranger["problems"][0]["detail"]


def _entry_names() -> list[str]:
    return [c.strip().split(" as ")[-1].removeprefix("l.") for c in ENTRY_SQL_COLUMNS.split(",")]
