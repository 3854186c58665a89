"""Time-series storage: hourly-partitioned hot readings, compressed chunks, 1 min / 1 h rollups.

* ``readings`` becomes RANGE-partitioned on ``ts`` (hourly ``readings_pYYYYMMDDHH`` + ``readings_default``).
* ``rollup_1m`` (hourly partitions, in lockstep with ``readings``; dropped when the hour is compressed),
  ``rollup_1h`` (weekly partitions), ``reading_chunks`` (daily partitions): every one with RLS like every
  tenant table. Partitions carry RLS too (ENABLE + FORCE + ``tenant_isolation``), and mip_app gets no
  privilege on them: the app reaches rows only through the parents.
* ``maintenance`` policies let the tables' owner (the migration role, which owns them and could switch
  FORCE off anyway) see every tenant's rows, so the compression job can swap a whole hour atomically.
* ``mip_ensure_partition(parent, lo, hi)`` / ``mip_ensure_partitions(from_ns, to_ns)``: owner-only DDL
  functions (no grant to mip_app) used by this migration and the maintenance task.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

from mip.platform.rls import CURRENT_TENANT, enable_rls, grant_app

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOUR_NS = 3_600_000_000_000
TS_TABLES = ["readings", "rollup_1m", "rollup_1h", "reading_chunks"]

ROLLUP_COLUMNS = """
    tenant_id uuid not null,
    sensor_id uuid not null,
    bucket bigint not null,
    min double precision not null,
    max double precision not null,
    sum double precision not null,
    count bigint not null,
    last_ts bigint not null,
    last_value double precision not null"""

TABLES = [
    """create table readings (
        tenant_id uuid not null,
        sensor_id uuid not null,
        ts bigint not null,
        value double precision not null,
        quality smallint default '0' not null,
        constraint pk_readings primary key (tenant_id, sensor_id, ts)
    ) partition by range (ts)""",
    f"""create table rollup_1m ({ROLLUP_COLUMNS},
        constraint pk_rollup_1m primary key (tenant_id, sensor_id, bucket)
    ) partition by range (bucket)""",
    f"""create table rollup_1h ({ROLLUP_COLUMNS},
        constraint pk_rollup_1h primary key (tenant_id, sensor_id, bucket)
    ) partition by range (bucket)""",
    """create table reading_chunks (
        tenant_id uuid not null,
        sensor_id uuid not null,
        start_ts bigint not null,
        first_ts bigint not null,
        last_ts bigint not null,
        n integer not null,
        ts_codec smallint not null,
        val_codec smallint not null,
        val_scale smallint not null,
        ts_data bytea not null,
        val_data bytea not null,
        q_data bytea,
        min double precision not null,
        max double precision not null,
        sum double precision not null,
        first_value double precision not null,
        last_value double precision not null,
        last_quality smallint not null,
        constraint pk_reading_chunks primary key (tenant_id, sensor_id, start_ts)
    ) partition by range (start_ts)""",
    "create index ix_reading_chunks_start_ts on reading_chunks (start_ts)",
    # already zstd-compressed: store out of line without pglz attempts
    "alter table reading_chunks alter column ts_data set storage external",
    "alter table reading_chunks alter column val_data set storage external",
    "alter table reading_chunks alter column q_data set storage external",
]


def _maintenance_policy(table: str, owner: str) -> str:
    return f"create policy maintenance on {table} to {owner} using (true) with check (true)"


# One partition: created standalone (LIKE the parent), given RLS, filled with any rows of its range that
# wait in the DEFAULT partition, then ATTACHed (SHARE UPDATE EXCLUSIVE on the parent: no reader or
# writer of other partitions is blocked). Owner-only: mip_app cannot run DDL.
ENSURE_PARTITION = f"""
create function mip_ensure_partition(p_parent text, p_lo bigint, p_hi bigint) returns boolean
language plpgsql set search_path = public, pg_temp as $fn$
declare
  v_name text := p_parent || '_p' || to_char(to_timestamp(p_lo / 1000000000) at time zone 'UTC',
                 case when p_hi - p_lo < 86400000000000 then 'YYYYMMDDHH24' else 'YYYYMMDD' end);
  v_policy constant text := $p${CURRENT_TENANT}$p$;
  v_key text;
  v_owner text;
begin
  if p_parent not in ('readings', 'rollup_1m', 'rollup_1h', 'reading_chunks') or p_lo >= p_hi then
    raise exception 'mip_ensure_partition: bad arguments % % %', p_parent, p_lo, p_hi;
  end if;
  if to_regclass(v_name) is not null then
    return false;
  end if;
  select a.attname, c.relowner::regrole::text into v_key, v_owner
    from pg_partitioned_table pt
    join pg_class c on c.oid = pt.partrelid
    join pg_attribute a on a.attrelid = pt.partrelid and a.attnum = pt.partattrs[0]
   where pt.partrelid = p_parent::regclass;
  execute format('create table %I (like %I including all)', v_name, p_parent);
  execute format('alter table %I enable row level security', v_name);
  execute format('alter table %I force row level security', v_name);
  execute format('create policy tenant_isolation on %I using (tenant_id = %s) with check (tenant_id = %s)',
                 v_name, v_policy, v_policy);
  execute format('create policy maintenance on %I to %s using (true) with check (true)', v_name, v_owner);
  execute format('with moved as (delete from %I where %I >= $1 and %I < $2 returning *) '
                 'insert into %I select * from moved', p_parent || '_default', v_key, v_key, v_name)
    using p_lo, p_hi;
  execute format('alter table %I attach partition %I for values from (%s) to (%s)',
                 p_parent, v_name, p_lo, p_hi);
  return true;
end
$fn$"""

# The hot tier for [from, to): hourly readings + rollup_1m, and the daily chunk and weekly (Monday)
# rollup_1h partitions that cover it.
ENSURE_PARTITIONS = f"""
create function mip_ensure_partitions(p_from bigint, p_to bigint) returns integer
language plpgsql set search_path = public, pg_temp as $fn$
declare
  h constant bigint := {HOUR_NS};
  d constant bigint := 24 * {HOUR_NS};
  w constant bigint := 7 * 24 * {HOUR_NS};
  monday constant bigint := 4 * 24 * {HOUR_NS};
  t bigint;
  created integer := 0;
begin
  t := p_from - mod(p_from, h);
  while t < p_to loop
    created := created + mip_ensure_partition('readings', t, t + h)::int
                       + mip_ensure_partition('rollup_1m', t, t + h)::int;
    t := t + h;
  end loop;
  t := p_from - mod(p_from, d);
  while t < p_to loop
    created := created + mip_ensure_partition('reading_chunks', t, t + d)::int;
    t := t + d;
  end loop;
  t := p_from - mod(p_from - monday, w);
  while t < p_to loop
    created := created + mip_ensure_partition('rollup_1h', t, t + w)::int;
    t := t + w;
  end loop;
  return created;
end
$fn$"""

FUNCTIONS = ["mip_ensure_partition(text, bigint, bigint)", "mip_ensure_partitions(bigint, bigint)"]


def upgrade() -> None:
    owner = "current_user"
    # the row-per-reading table of 0001 is replaced; its rows move into the new layout below
    op.execute("alter table readings rename to readings_0002")
    op.execute("alter table readings_0002 rename constraint pk_readings to pk_readings_0002")
    for ddl in TABLES:
        op.execute(ddl)
    for table in TS_TABLES:
        for stmt in enable_rls(table):
            op.execute(stmt)
        op.execute(_maintenance_policy(table, owner))
        op.execute(grant_app(table))
        op.execute(f"create table {table}_default partition of {table} default")
        for stmt in enable_rls(f"{table}_default"):
            op.execute(stmt)
        op.execute(_maintenance_policy(f"{table}_default", owner))
    op.execute(ENSURE_PARTITION)
    op.execute(ENSURE_PARTITIONS)
    for sig in FUNCTIONS:
        op.execute(f"revoke all on function {sig} from public")
    # the current hour and three ahead; the maintenance task keeps the window moving
    op.execute(
        "select mip_ensure_partitions(now_ns - 3600000000000, now_ns + 4 * 3600000000000) "
        "from (select (extract(epoch from now()) * 1e9)::bigint as now_ns) n"
    )
    # 0002's rows: the owner is subject to FORCE RLS, so move them with FORCE off (old table only);
    # rows older than the partitions land in readings_default and are compressed by the job
    op.execute("alter table readings_0002 no force row level security")
    op.execute("alter table readings_0002 disable row level security")
    op.execute(
        "with r as (insert into readings select tenant_id, sensor_id, ts, value, quality from readings_0002 "
        "returning tenant_id, sensor_id, ts, value), "
        "m as (insert into rollup_1m select tenant_id, sensor_id, ts - mod(ts, 60000000000), min(value), max(value), "
        "sum(value), count(*), max(ts), (array_agg(value order by ts desc))[1] from r group by 1, 2, 3) "
        "insert into rollup_1h select tenant_id, sensor_id, ts - mod(ts, 3600000000000), min(value), max(value), "
        "sum(value), count(*), max(ts), (array_agg(value order by ts desc))[1] from r group by 1, 2, 3"
    )
    op.execute("drop table readings_0002")


def downgrade() -> None:
    op.execute(
        "do $$ begin if exists (select 1 from reading_chunks) then raise exception "
        "'compressed readings exist: downgrading would lose them'; end if; end $$"
    )
    for sig in FUNCTIONS:
        op.execute(f"drop function if exists {sig}")
    op.execute("alter table readings rename to readings_0003")
    op.execute("alter table readings_0003 rename constraint pk_readings to pk_readings_0003")
    op.execute(
        "create table readings (tenant_id uuid not null, sensor_id uuid not null, ts bigint not null, "
        "value double precision not null, quality smallint default '0' not null, "
        "constraint pk_readings primary key (tenant_id, sensor_id, ts))"
    )
    op.execute("insert into readings select tenant_id, sensor_id, ts, value, quality from readings_0003")
    for stmt in enable_rls("readings"):
        op.execute(stmt)
    op.execute(grant_app("readings"))
    for table in ["readings_0003", "rollup_1m", "rollup_1h", "reading_chunks"]:
        op.execute(f"drop table {table} cascade")
