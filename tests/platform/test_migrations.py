"""Migrations and models agree; migrations are re-runnable."""

from __future__ import annotations

import re
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from mip.platform.database_setup import DatabaseHandle
from mip.platform.migrate import current_revision, sqlalchemy_url, upgrade
from mip.platform.schema import load_all_models

# partitions of the time-series tables are created at run time (mip_ensure_partitions), not modelled
PARTITION = re.compile(r"^(readings|rollup_1m|rollup_1h|reading_chunks)_(p\d{8,10}|default)$")


def _not_a_partition(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return not (reflected and table is not None and PARTITION.match(table))


def test_given_migrated_db_then_models_and_schema_do_not_drift(db_handle: DatabaseHandle) -> None:
    engine = create_engine(sqlalchemy_url(db_handle.owner_url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_object": _not_a_partition}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), load_all_models())
    assert diff == []


def test_given_migrated_db_when_upgrading_again_then_noop_at_head(db_handle: DatabaseHandle) -> None:
    before = current_revision(db_handle.owner_url)
    upgrade(db_handle.owner_url)
    assert current_revision(db_handle.owner_url) == before
    assert before is not None
